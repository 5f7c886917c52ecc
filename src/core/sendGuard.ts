/**
 * Remembers recent test sends per destination, so a second send to the same number shortly after the
 * first asks again, more pointedly (each one is billed). In memory only; never persisted.
 */
export const REPEAT_WINDOW_MS = 2 * 60_000;

export class RecentSends {
  private readonly last = new Map<string, number>();

  constructor(private readonly windowMs: number = REPEAT_WINDOW_MS) {}

  record(destination: string, at: Date = new Date()): void {
    this.last.set(destination, at.getTime());
  }

  /** Seconds since the last send to this destination, when it is within the window. */
  secondsSinceRecent(destination: string, now: Date = new Date()): number | undefined {
    const t = this.last.get(destination);
    if (t === undefined) {
      return undefined;
    }
    const ms = now.getTime() - t;
    return ms >= 0 && ms < this.windowMs ? Math.round(ms / 1000) : undefined;
  }
}
