/** Small timing helpers: interleaved A/B runs and medians, so the machine's drift hits both sides alike. */
import { performance } from 'node:perf_hooks';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Paired {
  /** Median of each side, ms. */
  readonly a: number;
  readonly b: number;
  /** Median of the per-round ratios a/b (each round runs a and b back to back). */
  readonly ratio: number;
  /** First and third quartile of the per-round ratios: how noisy the machine was. */
  readonly ratioQ1: number;
  readonly ratioQ3: number;
  readonly rounds: number;
}

/**
 * Runs `a` and `b` alternately (a b, b a, a b, ...) for `rounds` rounds after `warmup` unmeasured ones, and
 * returns both medians and the median of the per-round ratios. Both get a chance to run first.
 */
export async function paired(a: () => Promise<unknown>, b: () => Promise<unknown>, rounds: number, warmup = 3): Promise<Paired> {
  const ta: number[] = [];
  const tb: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const order = i % 2 === 0 ? [a, b] : [b, a];
    const times: number[] = [];
    for (const f of order) {
      const t0 = performance.now();
      await f();
      times.push(performance.now() - t0);
    }
    if (i < warmup) continue;
    const [x, y] = i % 2 === 0 ? times : [times[1], times[0]];
    ta.push(x);
    tb.push(y);
    ratios.push(x / y);
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  const q = (f: number): number => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
  return { a: median(ta), b: median(tb), ratio: median(ratios), ratioQ1: q(0.25), ratioQ3: q(0.75), rounds };
}

/** Median time of `f` over `rounds` runs after `warmup` unmeasured ones, ms. */
export async function timed(f: () => Promise<unknown>, rounds: number, warmup = 2): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const t0 = performance.now();
    await f();
    if (i >= warmup) t.push(performance.now() - t0);
  }
  return median(t);
}

export function fmtMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

export function fmtKb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function fmtMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
