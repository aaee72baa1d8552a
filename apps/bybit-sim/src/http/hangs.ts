// Requests the timeout faults leave unanswered. A hung request ends when the client gives up
// (its socket closes) or after hangMs, when we drop the connection without an answer; either
// way the client never sees a response. Server shutdown releases all of them at once.
import { Socket } from 'node:net';

/** Registry of hanging requests. */
export class Hangs {
  private readonly releases = new Set<() => void>();

  /**
   * Holds a connection open without answering.
   *
   * @returns when the client closed the socket or hangMs elapsed (the socket is destroyed then)
   */
  hold(socket: Socket, hangMs: number): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        socket.off('close', release);
        this.releases.delete(release);
        if (!socket.destroyed) socket.destroy();
        resolve();
      };
      const timer = setTimeout(release, hangMs);
      socket.once('close', release);
      this.releases.add(release);
      if (socket.destroyed) release();
    });
  }

  /** Ends every hanging request (on shutdown). */
  releaseAll(): void {
    for (const release of [...this.releases]) release();
  }

  get size(): number {
    return this.releases.size;
  }
}
