import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: one durable, per-user, resumable event log for `GET /api/positions/events` (SSE).
 *
 * Invariant: every status change, fill, deviation change and alert about a user's position or
 * account has one `position_events` row, written by a trigger in the transaction of the change
 * (every writer, present and future, is covered without touching the repositories).
 *
 * Why `seq` and not `id`: `id` (bigserial) is allocated at insert, not at commit, so a reader
 * could see id 11 before a slower transaction commits id 10 and skip it for good. `seq` is given
 * to committed rows only, by one sequencer at a time (`PositionEventRepository.sequence`, under an
 * advisory lock), in one transaction per batch: it is gap-free for a reader, and a resume from
 * `seq > Last-Event-ID` is exact. The trigger wakes the sequencer (`NOTIFY`), the sequencer wakes
 * the readers. Numerics are stored as the API shows them: strings (a JSON number would become a
 * float), plain, without trailing zeros (`trim_scale`).
 */
export class PositionEvents1766000000000 implements MigrationInterface {
  name = 'PositionEvents1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE position_events (
        id bigserial PRIMARY KEY,
        seq bigint NULL,
        user_id uuid NOT NULL,
        position_id uuid NULL,
        kind text NOT NULL CONSTRAINT position_events_kind_check
          CHECK (kind IN ('position.status', 'position.fill', 'position.deviation', 'alert')),
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX position_events_seq_key ON position_events (seq);
      CREATE INDEX position_events_user_seq_idx ON position_events (user_id, seq) WHERE seq IS NOT NULL;
      CREATE INDEX position_events_unsequenced_idx ON position_events (id) WHERE seq IS NULL;

      CREATE FUNCTION position_events_iso(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      $$;

      CREATE FUNCTION position_events_append(p_user uuid, p_position uuid, p_kind text, p_data jsonb) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        IF p_user IS NULL THEN RETURN; END IF; -- an operator-only alert (no position, no account)
        INSERT INTO position_events (user_id, position_id, kind, data) VALUES (p_user, p_position, p_kind, p_data);
        PERFORM pg_notify('legwork_position_events_pending', '');
      END $$;

      CREATE FUNCTION position_events_on_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM position_events_append(
          (SELECT user_id FROM synthetic_positions WHERE id = NEW.position_id), NEW.position_id, 'position.status',
          jsonb_build_object('positionId', NEW.position_id, 'status', NEW.to_status, 'from', NEW.from_status,
            'reason', NEW.reason, 'at', position_events_iso(NEW.changed_at)));
        RETURN NULL;
      END $$;
      CREATE TRIGGER position_events_status AFTER INSERT ON position_status_changes
        FOR EACH ROW EXECUTE FUNCTION position_events_on_status_change();

      CREATE FUNCTION position_events_on_trade() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE o orders%ROWTYPE;
      BEGIN
        SELECT * INTO o FROM orders WHERE id = NEW.order_id;
        PERFORM position_events_append(
          (SELECT user_id FROM synthetic_positions WHERE id = NEW.position_id), NEW.position_id, 'position.fill',
          jsonb_build_object('positionId', NEW.position_id, 'tradeId', NEW.id, 'orderId', NEW.order_id,
            'orderLinkId', o.order_link_id, 'purpose', o.purpose, 'legIndex', o.leg_index,
            'symbol', NEW.symbol, 'side', NEW.side, 'quantity', trim_scale(NEW.quantity)::text, 'price', trim_scale(NEW.price)::text,
            'fee', trim_scale(NEW.fee)::text, 'feeCurrency', NEW.fee_currency, 'execId', NEW.exec_id,
            'at', position_events_iso(NEW.executed_at)));
        RETURN NULL;
      END $$;
      CREATE TRIGGER position_events_fill AFTER INSERT ON trades
        FOR EACH ROW EXECUTE FUNCTION position_events_on_trade();

      -- A scan re-seeing the same deviation only moves last_seen_at: no event. Opened, changed, cleared are.
      CREATE FUNCTION position_events_on_deviation() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE change text;
      BEGIN
        IF TG_OP = 'INSERT' THEN change := 'opened';
        ELSIF OLD.cleared_at IS NULL AND NEW.cleared_at IS NOT NULL THEN change := 'cleared';
        ELSIF (OLD.expected_quantity, OLD.actual_quantity, OLD.delta, OLD.expected_leverage, OLD.actual_leverage)
          IS DISTINCT FROM (NEW.expected_quantity, NEW.actual_quantity, NEW.delta, NEW.expected_leverage, NEW.actual_leverage)
          THEN change := 'changed';
        ELSE RETURN NULL;
        END IF;
        PERFORM position_events_append(
          (SELECT user_id FROM synthetic_positions WHERE id = NEW.position_id), NEW.position_id, 'position.deviation',
          jsonb_build_object('positionId', NEW.position_id, 'deviationId', NEW.id::text, 'change', change,
            'symbol', NEW.symbol, 'kind', NEW.kind, 'expectedQuantity', trim_scale(NEW.expected_quantity)::text,
            'actualQuantity', trim_scale(NEW.actual_quantity)::text, 'delta', trim_scale(NEW.delta)::text,
            'expectedLeverage', trim_scale(NEW.expected_leverage)::text, 'actualLeverage', trim_scale(NEW.actual_leverage)::text,
            'explanation', NEW.explanation,
            'at', position_events_iso(COALESCE(NEW.cleared_at, NEW.last_seen_at))));
        RETURN NULL;
      END $$;
      CREATE TRIGGER position_events_deviation AFTER INSERT OR UPDATE ON position_deviations
        FOR EACH ROW EXECUTE FUNCTION position_events_on_deviation();

      CREATE FUNCTION position_events_on_alert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM position_events_append(
          COALESCE((SELECT user_id FROM synthetic_positions WHERE id = NEW.position_id),
                   (SELECT user_id FROM exchange_accounts WHERE id = NEW.account_id)),
          NEW.position_id, 'alert',
          jsonb_build_object('alertId', NEW.id, 'kind', NEW.kind, 'severity', NEW.severity, 'summary', NEW.summary,
            'positionId', NEW.position_id, 'accountId', NEW.account_id, 'details', NEW.details,
            'at', position_events_iso(NEW.occurred_at)));
        RETURN NULL;
      END $$;
      CREATE TRIGGER position_events_alert AFTER INSERT ON alerts
        FOR EACH ROW EXECUTE FUNCTION position_events_on_alert();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER position_events_alert ON alerts;
      DROP TRIGGER position_events_deviation ON position_deviations;
      DROP TRIGGER position_events_fill ON trades;
      DROP TRIGGER position_events_status ON position_status_changes;
      DROP FUNCTION position_events_on_alert();
      DROP FUNCTION position_events_on_deviation();
      DROP FUNCTION position_events_on_trade();
      DROP FUNCTION position_events_on_status_change();
      DROP FUNCTION position_events_append(uuid, uuid, text, jsonb);
      DROP FUNCTION position_events_iso(timestamptz);
      DROP TABLE position_events;
    `);
  }
}
