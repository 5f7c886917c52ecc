/**
 * Remembers recent test sends per destination, so a second send to the same number shortly after the
 * first asks again, more pointedly (each one is billed). A send whose outcome is unknown (the request
 * reached the endpoint and the answer was lost) counts as a send: it may have been billed. In memory
 * only; never persisted.
 */
export const REPEAT_WINDOW_MS = 2 * 60_000;

/** How the last send to a destination ended: a message id came back, or the outcome is unknown. */
export type SendOutcome = 'sent' | 'unknown';

export class RecentSends {
  private readonly last = new Map<string, { at: number; outcome: SendOutcome }>();

  constructor(private readonly windowMs: number = REPEAT_WINDOW_MS) {}

  record(destination: string, at: Date = new Date(), outcome: SendOutcome = 'sent'): void {
    this.last.set(destination, { at: at.getTime(), outcome });
  }

  /** The last send to this destination, when it is within the window: how long ago and how it ended. */
  recent(destination: string, now: Date = new Date()): { seconds: number; outcome: SendOutcome } | undefined {
    const last = this.last.get(destination);
    if (last === undefined) {
      return undefined;
    }
    const ms = now.getTime() - last.at;
    return ms >= 0 && ms < this.windowMs ? { seconds: Math.round(ms / 1000), outcome: last.outcome } : undefined;
  }

  /** Seconds since the last send to this destination, when it is within the window. */
  secondsSinceRecent(destination: string, now: Date = new Date()): number | undefined {
    return this.recent(destination, now)?.seconds;
  }
}
