import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema of Legwork. Money and quantities are NUMERIC (never float); every status
 * column has a CHECK listing its values; `position_components` is immutable (a trigger refuses
 * UPDATE and DELETE) because close and P&L rely on it being exactly what was opened.
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        token_sha256 char(64) NOT NULL UNIQUE,
        role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'operator')),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE TABLE exchange_accounts (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        exchange_env text NOT NULL CHECK (exchange_env IN ('sim', 'testnet', 'mainnet')),
        api_key text NOT NULL,
        api_secret_ciphertext text NOT NULL,
        encryption_key_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (exchange_env, api_key)
      );
      CREATE INDEX exchange_accounts_user ON exchange_accounts (user_id);
      CREATE TABLE indices (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE index_components (
        index_id uuid NOT NULL REFERENCES indices(id),
        ordinal int NOT NULL,
        symbol text NOT NULL,
        weight numeric(20, 10) NOT NULL CHECK (weight > 0),
        PRIMARY KEY (index_id, ordinal),
        UNIQUE (index_id, symbol)
      );
      CREATE TABLE synthetic_positions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        account_id uuid NOT NULL REFERENCES exchange_accounts(id),
        index_id uuid NOT NULL REFERENCES indices(id),
        direction text NOT NULL CHECK (direction IN ('long', 'short')),
        notional_usdt numeric(30, 8) NOT NULL CHECK (notional_usdt > 0),
        status text NOT NULL CHECK (status IN ('PENDING', 'EXECUTING', 'ACTIVE', 'FAILED', 'CLOSING', 'CLOSED', 'ROLLING_BACK', 'ROLLED_BACK')),
        health text NOT NULL DEFAULT 'IN_SYNC' CHECK (health IN ('IN_SYNC', 'ALTERED')),
        failure_code text,
        failure_reason text,
        on_partial_failure text NOT NULL DEFAULT 'halt' CHECK (on_partial_failure IN ('halt', 'rollback')),
        close_attempts int NOT NULL DEFAULT 0,
        rollback_attempts int NOT NULL DEFAULT 0,
        idempotency_key text,
        request_sha256 char(64),
        version int NOT NULL DEFAULT 1,
        lease_owner text,
        lease_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, idempotency_key)
      );
      CREATE INDEX synthetic_positions_user ON synthetic_positions (user_id, created_at DESC);
      CREATE INDEX synthetic_positions_account_status ON synthetic_positions (account_id, status);
      CREATE TABLE position_status_changes (
        id bigserial PRIMARY KEY,
        position_id uuid NOT NULL REFERENCES synthetic_positions(id),
        from_status text,
        to_status text NOT NULL,
        reason text,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX position_status_changes_position ON position_status_changes (position_id, id);
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        position_id uuid NOT NULL REFERENCES synthetic_positions(id),
        account_id uuid NOT NULL REFERENCES exchange_accounts(id),
        purpose text NOT NULL CHECK (purpose IN ('open', 'close', 'rollback', 'restore')),
        attempt int NOT NULL DEFAULT 0,
        leg_index int NOT NULL,
        order_link_id text NOT NULL,
        symbol text NOT NULL,
        side text NOT NULL CHECK (side IN ('buy', 'sell')),
        quantity numeric(30, 10) NOT NULL CHECK (quantity > 0),
        reduce_only boolean NOT NULL DEFAULT false,
        planned_mark_price numeric(30, 10),
        position_size_before numeric(30, 10),
        status text NOT NULL CHECK (status IN ('PLANNED', 'SUBMITTED', 'FILLED', 'REJECTED', 'UNCONFIRMED', 'SKIPPED')),
        exchange_order_id text,
        filled_quantity numeric(30, 10) NOT NULL DEFAULT 0,
        average_price numeric(30, 10),
        reject_code text,
        reject_reason text,
        unwind_outcome text CHECK (unwind_outcome IN ('closed', 'already_flat', 'side_mismatch', 'still_open', 'failed')),
        submit_count int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz,
        settled_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (account_id, order_link_id),
        UNIQUE (position_id, purpose, attempt, leg_index)
      );
      CREATE INDEX orders_unsettled ON orders (status) WHERE status IN ('SUBMITTED', 'UNCONFIRMED');
      CREATE TABLE trades (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id),
        position_id uuid NOT NULL REFERENCES synthetic_positions(id),
        exec_id text NOT NULL,
        exchange_order_id text NOT NULL,
        symbol text NOT NULL,
        side text NOT NULL CHECK (side IN ('buy', 'sell')),
        price numeric(30, 10) NOT NULL,
        quantity numeric(30, 10) NOT NULL CHECK (quantity > 0),
        fee numeric(30, 10) NOT NULL,
        fee_currency text NOT NULL,
        executed_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (order_id, exec_id)
      );
      CREATE INDEX trades_position ON trades (position_id);
      CREATE TABLE position_components (
        position_id uuid NOT NULL REFERENCES synthetic_positions(id),
        leg_index int NOT NULL,
        symbol text NOT NULL,
        side text NOT NULL CHECK (side IN ('buy', 'sell')),
        expected_quantity numeric(30, 10) NOT NULL CHECK (expected_quantity > 0),
        entry_price numeric(30, 10) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (position_id, leg_index)
      );
      CREATE FUNCTION position_components_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'position_components is an immutable snapshot (% refused)', TG_OP;
      END $$;
      CREATE TRIGGER position_components_no_change BEFORE UPDATE OR DELETE ON position_components
        FOR EACH ROW EXECUTE FUNCTION position_components_immutable();
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        msg_id text NOT NULL UNIQUE,
        subject text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        publish_attempts int NOT NULL DEFAULT 0,
        last_error text
      );
      CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE outbox;
      DROP TABLE position_components;
      DROP FUNCTION position_components_immutable;
      DROP TABLE trades;
      DROP TABLE orders;
      DROP TABLE position_status_changes;
      DROP TABLE synthetic_positions;
      DROP TABLE index_components;
      DROP TABLE indices;
      DROP TABLE exchange_accounts;
      DROP TABLE api_tokens;
      DROP TABLE users;
    `);
  }
}
