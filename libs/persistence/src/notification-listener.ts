import { Client } from 'pg';

/** What a {@link NotificationListener} reports. */
export interface NotificationHandlers {
  /** A `NOTIFY` on one of the channels, with its payload. */
  notified(channel: string, payload: string): void;
  /** (Re)connected and listening: notifications sent while it was away are lost, so catch up now. */
  connected(): void;
  /** The connection failed or ended; it reconnects after `retryMs`. */
  lost(error: unknown): void;
}

/**
 * `LISTEN` on PostgreSQL channels over one dedicated connection (a pooled one would be handed to
 * other queries), reconnecting after `retryMs` when it is lost. Notifications are only wake-ups:
 * what they announce is read from the tables, so one lost while reconnecting costs a delay, never
 * an event (`connected` is the caller's cue to read again).
 */
export class NotificationListener {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly channels: readonly string[],
    private readonly handlers: NotificationHandlers,
    private readonly retryMs = 1_000,
  ) {}

  /** Connects and listens; failures are reported to `lost` and retried, never thrown. */
  start(): void {
    this.stopped = false;
    void this.connect();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'legwork-listen' });
    this.client = client;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.handlers.lost(error);
      this.retry = setTimeout(() => void this.connect(), this.retryMs);
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error('listener connection ended')));
    client.on('notification', (n) => this.handlers.notified(n.channel, n.payload ?? ''));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN "${channel.replace(/"/g, '')}"`);
      if (!this.stopped) this.handlers.connected();
    } catch (error) {
      fail(error);
    }
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}
