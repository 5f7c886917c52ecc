/**
 * The send benchmark, inside the extension host: the real command (`tendlc.sendTestSms`, what the palette and the
 * tree run) with its pre-flight and its confirmation, against the loopback fake AWS (test/bench/fakeAws.ts) at a
 * given latency per request. The confirmation is answered at once with its send button; the time it was shown at
 * splits the server's requests into "before the confirmation" and "after". Scenarios, each repeated:
 *
 * - no session: nothing assumed and no pre-flight finding kept, as after a restart or an hour later (the ids of
 *   the number, which the extension keeps across restarts, are known from an earlier send);
 * - no session, number never read: the same, the number's ids also forgotten (the first send ever);
 * - live session: the role assumed first (the Assume Role command), then the send;
 * - second send: the same send again right after one (within any cache window).
 * The first send after activation (nothing known, the AWS layer loaded by the tree's lookups) is measured once.
 */
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { InputOptions, PickItem, Ui } from '../../src/ui/prompts';

export interface SendSample {
  readonly scenario: 'first after activation' | 'no session, number never read' | 'no session' | 'live session' | 'second send';
  readonly latencyMs: number;
  /** From the command's start to the confirmation being shown, ms. */
  readonly confirmMs: number;
  /** The whole command (it returns once SNS answered Publish and the history is written), ms. */
  readonly totalMs: number;
  /** Requests at the server before and after the confirmation, each `{ action, arrivedAt, answeredAt }`. */
  readonly before: { action: string; arrivedAt: number; answeredAt: number }[];
  readonly after: { action: string; arrivedAt: number; answeredAt: number }[];
  /** TCP connections the server accepted during the command. */
  readonly connections: number;
  readonly outcome: string;
}

export interface SendBenchOutput {
  readonly samples: SendSample[];
  readonly profile: string;
}

class BenchUi implements Ui {
  confirmAt = 0;
  modals = 0;
  async pick<T>(items: readonly PickItem<T>[]): Promise<T | undefined> {
    return items[0]?.value;
  }
  async input(o: InputOptions): Promise<string | undefined> {
    return o.value;
  }
  async modal(_m: string, _d: string, actions: readonly string[]): Promise<string | undefined> {
    this.confirmAt = Date.now();
    this.modals++;
    return actions[0];
  }
  async choose(): Promise<string | undefined> {
    return undefined;
  }
  async info(): Promise<string | undefined> {
    return undefined;
  }
  async warn(): Promise<string | undefined> {
    return undefined;
  }
  async error(message: string): Promise<string | undefined> {
    throw new Error(`the command showed an error: ${message}`);
  }
  progress<T>(_title: string, task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T> {
    return task(new AbortController().signal, () => undefined);
  }
}

async function control(endpoint: string, path: string, method = 'POST'): Promise<unknown> {
  const r = await fetch(`${endpoint}${path}`, { method });
  if (!r.ok) throw new Error(`fake AWS ${path}: HTTP ${r.status}`);
  return r.status === 204 ? undefined : r.json();
}

/** Drops the sessions and the kept pre-flight findings (as an hour later), and with `ids` the number's ids too. */
async function forget(api: TestApi, ids: boolean): Promise<void> {
  const s = await api.deps.aws.get();
  s.sessions.forget();
  for (const holder of (ids ? [s.preflight, s.numbers] : [s.preflight]) as unknown[]) {
    (holder as { forget?: () => void }).forget?.();
  }
}

async function waitQuiet(api: TestApi): Promise<void> {
  if (!api.deps.aws.loaded) return;
  const s = await api.deps.aws.get();
  const inflight = (s.accounts as unknown as { inflight: Map<string, unknown> }).inflight;
  const end = Date.now() + 60_000;
  while (inflight.size > 0) {
    if (Date.now() > end) throw new Error('background account lookups did not settle');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function sendBench(api: TestApi, endpoint: string, profile: string, latencies: readonly number[], reps: number): Promise<SendBenchOutput> {
  const ui = new BenchUi();
  api.setUi(ui);
  await waitQuiet(api);
  const samples: SendSample[] = [];
  const one = async (scenario: SendSample['scenario'], latencyMs: number): Promise<void> => {
    await control(endpoint, '/__bench/reset');
    ui.confirmAt = 0;
    const start = Date.now();
    const t0 = performance.now();
    const result = (await vscode.commands.executeCommand('tendlc.sendTestSms', profile)) as { outcome?: string } | undefined;
    const totalMs = performance.now() - t0;
    if (!result || ui.confirmAt === 0) throw new Error(`${scenario}: the send did not go through (result ${JSON.stringify(result)})`);
    const log = (await control(endpoint, '/__bench/log', 'GET')) as { records: { action: string; arrivedAt: number; answeredAt: number }[]; connections: number };
    samples.push({
      scenario,
      latencyMs,
      confirmMs: ui.confirmAt - start,
      totalMs,
      before: log.records.filter((r) => r.arrivedAt < ui.confirmAt),
      after: log.records.filter((r) => r.arrivedAt >= ui.confirmAt),
      connections: log.connections,
      outcome: result.outcome ?? '?',
    });
  };
  // The very first send: the AWS layer is loaded by the tree's lookups already, but nothing was sent or read.
  await control(endpoint, `/__bench/latency?ms=${latencies[latencies.length - 1]}`);
  await one('first after activation', latencies[latencies.length - 1]);
  for (const latencyMs of latencies) {
    await control(endpoint, `/__bench/latency?ms=${latencyMs}`);
    for (let i = 0; i < reps; i++) {
      await forget(api, true);
      await one('no session, number never read', latencyMs);
      await forget(api, false);
      await one('no session', latencyMs);
      await one('second send', latencyMs);
      await forget(api, false);
      const session = await vscode.commands.executeCommand('tendlc.assumeRole', profile);
      if (!session) throw new Error('Assume Role failed');
      await one('live session', latencyMs);
    }
  }
  await control(endpoint, '/__bench/latency?ms=0');
  return { samples, profile };
}
