/**
 * The tree benchmark, inside the extension host: expanding the *Other* group of a big file whose static-key
 * profiles declare no account (so their accounts really are looked up, with GetCallerIdentity against the loopback
 * fake AWS), the way VS Code does it for a visible view: the group's children and a tree item for each, and a new
 * tree item for every node the view says changed (each lookup's answer repaints its profile). Measured from the
 * click until every lookup it started has settled: the extension host's CPU time (process.cpuUsage: every thread of
 * the process), the event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution), the lookups made.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { TestApi } from '../../src/extension';
import type { Node } from '../../src/ui/profilesView';

export interface TreeBenchOutput {
  readonly profiles: number;
  /** Children of the group VS Code got on expanding it (profile nodes and any "show more" node). */
  readonly children: number;
  readonly lookups: number;
  /** Tree items built: the first paint of the children, then one per repaint the view asked for. */
  readonly items: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly delayP50Ms: number;
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
}

async function settled(api: TestApi, timeoutMs: number): Promise<void> {
  const s = await api.deps.aws.get();
  const inflight = (s.accounts as unknown as { inflight: Map<string, unknown> }).inflight;
  const end = Date.now() + timeoutMs;
  // Lookups end, then the view's 50 ms repaint batch fires: wait for both (a quiet 200 ms).
  let quietSince = Date.now();
  let lastLookups = s.accounts.lookups;
  for (;;) {
    if (inflight.size > 0 || s.accounts.lookups !== lastLookups) {
      quietSince = Date.now();
      lastLookups = s.accounts.lookups;
    } else if (Date.now() - quietSince > 200) {
      return;
    }
    if (Date.now() > end) throw new Error(`lookups did not settle within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function treeBench(api: TestApi): Promise<TreeBenchOutput> {
  const view = api.deps.view;
  const s = await api.deps.aws.get();
  await settled(api, 120_000);
  const lookups0 = s.accounts.lookups;
  let items = 0;
  const sub = view.onDidChangeTreeData((e) => {
    const nodes = e === undefined ? [] : Array.isArray(e) ? e : [e];
    for (const n of nodes as Node[]) {
      view.getTreeItem(n);
      items++;
    }
  });
  const h = monitorEventLoopDelay({ resolution: 1 });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  h.enable();
  try {
    const roots = (await view.getChildren()) ?? [];
    const other = roots.find((r) => r.kind === 'group' && r.group === 'other');
    if (!other) throw new Error('no Other group');
    const children = (await view.getChildren(other)) ?? [];
    for (const c of children) {
      view.getTreeItem(c);
      items++;
    }
    await settled(api, 900_000);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    h.disable();
    return {
      profiles: api.deps.state.profiles?.profiles.length ?? 0,
      children: children.length,
      lookups: s.accounts.lookups - lookups0,
      items,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      delayP50Ms: h.percentile(50) / 1e6,
      delayP99Ms: h.percentile(99) / 1e6,
      delayMaxMs: h.max / 1e6,
    };
  } finally {
    h.disable();
    sub.dispose();
  }
}
