/**
 * The benchmark's "tests" module, run inside VS Code's extension host (code-server) the way the host tests are
 * (test/harness/hostTests.ts calls `run()`). It collects what test/bench/hostWrapper.ts measured at activation,
 * and with TENDLC_BENCH_MODE=memory measures the heap: after the tree shows every profile, then after 20 refreshes
 * with unchanged files and 20 with a changed file (each refresh is the Refresh command followed by VS Code's
 * requests for every expanded node and its items). Writes JSON to TENDLC_BENCH_OUT, then the result file the
 * harness waits for. TENDLC_BENCH_MODE picks what runs: `startup` (default) and `memory` as above, `send` (sendHost.ts)
 * or `tree` (treeHost.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Node } from '../../src/ui/profilesView';
import { fullGc, SDK_MODULE, type WrapperTimings } from './hostShared';
import { sendBench, type SendBenchOutput } from './sendHost';
import { median } from './stats';
import { treeBench, type TreeBenchOutput } from './treeHost';

const EXTENSION_ID = 'tendlc.tendlc-cross-account';
const REFRESHES = 20;

export interface MemoryResult {
  readonly profiles: number;
  /** Heap after GC before activate(), and after the whole tree was shown (all groups expanded). */
  readonly heapBeforeActivate: number;
  readonly heapLoaded: number;
  /** Heap after GC after each refresh with unchanged files, and with the config file changed each time. */
  readonly heapUnchanged: number[];
  readonly heapChanged: number[];
  /** Median time of one refresh plus the tree's requests, ms. */
  readonly refreshUnchangedMs: number;
  readonly refreshChangedMs: number;
  /** Expanding the biggest group (children and every tree item), ms. */
  readonly expandAllMs: number;
  readonly shownItems: number;
}

/** The first-children path again once startup is over (the thread idle), medians of 15 runs, ms. */
export interface AfterStartup {
  /** A fresh ProfileLoader's load (read, parse, merge, classify). */
  readonly coldLoadMs: number;
  /** The view from loaded profiles: root children and the expanded groups' children with their tree items. */
  readonly treeMs: number;
  /** The share of a 1 s window before these runs that the thread was busy (how quiet it was). */
  readonly busyBefore: number;
}

export interface HostBenchOutput {
  readonly activation: WrapperTimings;
  readonly afterStartup: AfterStartup;
  /** SDK modules loaded by the end (after the first paint's background lookups, if any). */
  readonly sdkModulesAtEnd: string[];
  readonly accountLookups: number;
  readonly memory?: MemoryResult;
  /** TENDLC_BENCH_MODE=send: the Send Test SMS command at each latency. */
  readonly send?: SendBenchOutput;
  /** TENDLC_BENCH_MODE=tree: expanding Other with lookups. */
  readonly tree?: TreeBenchOutput;
  readonly vscodeVersion: string;
  readonly nodeVersion: string;
}

async function waitFor<T>(what: string, f: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What VS Code asks for when it shows the tree: the roots, and the children and items of expanded nodes. */
async function showTree(view: vscode.TreeDataProvider<Node>, expandAll: boolean): Promise<number> {
  let items = 0;
  const roots = (await view.getChildren()) ?? [];
  for (const r of roots) {
    const item = await view.getTreeItem(r);
    items++;
    if (expandAll || item.collapsibleState === vscode.TreeItemCollapsibleState.Expanded) {
      let children = (await view.getChildren(r)) ?? [];
      // Every page of a big group when all is asked for (its "Show more" node clicked until none is left).
      for (let last = children[children.length - 1]; expandAll && last?.kind === 'more'; last = children[children.length - 1]) {
        (view as unknown as { showMore(n: Node): void }).showMore(last);
        children = (await view.getChildren(r)) ?? [];
      }
      for (const c of children) {
        await view.getTreeItem(c);
        items++;
      }
    }
  }
  return items;
}

function heap(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

/** Lets pending timers run (the view's 50 ms repaint batching, the file watcher's 250 ms debounce). */
function idle(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function memory(api: TestApi, activation: WrapperTimings): Promise<MemoryResult> {
  const view = api.deps.view;
  const configPath = api.deps.state.profiles?.configPath;
  if (!configPath) throw new Error('no profiles loaded');
  const t0 = performance.now();
  const shownItems = await showTree(view, true);
  const expandAllMs = performance.now() - t0;
  await idle(400);
  const heapLoaded = heap();
  const refresh = async (): Promise<number> => {
    const t = performance.now();
    await vscode.commands.executeCommand('tendlc.refreshProfiles');
    await showTree(view, true);
    return performance.now() - t;
  };
  const heapUnchanged: number[] = [];
  const unchangedTimes: number[] = [];
  for (let i = 0; i < REFRESHES; i++) {
    unchangedTimes.push(await refresh());
    await idle(100);
    heapUnchanged.push(heap());
  }
  const heapChanged: number[] = [];
  const changedTimes: number[] = [];
  for (let i = 0; i < REFRESHES; i++) {
    fs.appendFileSync(configPath, `\n# benchmark refresh ${i}\n`);
    changedTimes.push(await refresh());
    // The file watcher reloads too (debounced 250 ms): let it, so it is not counted in the next refresh.
    await idle(400);
    heapChanged.push(heap());
  }
  return {
    profiles: api.deps.state.profiles?.profiles.length ?? 0,
    heapBeforeActivate: activation.heapBeforeActivate,
    heapLoaded,
    heapUnchanged,
    heapChanged,
    refreshUnchangedMs: median(unchangedTimes),
    refreshChangedMs: median(changedTimes),
    expandAllMs,
    shownItems,
  };
}

async function quietRuns(api: TestApi): Promise<AfterStartup> {
  const elu0 = performance.eventLoopUtilization();
  await idle(1000);
  const busyBefore = performance.eventLoopUtilization(elu0).utilization;
  const Loader = (api.deps.state as unknown as { loader: { constructor: new (env: NodeJS.ProcessEnv, home: string) => { load(): Promise<unknown> } } }).loader.constructor;
  const loads: number[] = [];
  const trees: number[] = [];
  for (let i = 0; i < 15; i++) {
    let t = performance.now();
    await new Loader(process.env, os.homedir()).load();
    loads.push(performance.now() - t);
    api.deps.view.refresh(); // drops the view's nodes, as a reload does
    t = performance.now();
    await showTree(api.deps.view, false);
    trees.push(performance.now() - t);
  }
  return { coldLoadMs: median(loads), treeMs: median(trees), busyBefore };
}

export async function run(): Promise<void> {
  const started = Date.now();
  const resultFile = process.env.TENDLC_TEST_RESULT;
  const outFile = process.env.TENDLC_BENCH_OUT;
  let failure: string | undefined;
  try {
    if (!outFile) throw new Error('TENDLC_BENCH_OUT is not set: run through npm run bench');
    const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
    if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
    const api = await ext.activate();
    if (!api) throw new Error('the extension returned no test API');
    const activation = await waitFor('the activation measurements', () => globalThis.__tendlcBench);
    if (activation.error) throw new Error(`activation: ${activation.error}`);
    const mode = process.env.TENDLC_BENCH_MODE ?? 'startup';
    const afterStartup = mode === 'startup' || mode === 'memory' ? await quietRuns(api) : { coldLoadMs: NaN, treeMs: NaN, busyBefore: NaN };
    const mem = mode === 'memory' ? await memory(api, activation) : undefined;
    const tree = mode === 'tree' ? await treeBench(api) : undefined;
    const endpoint = process.env.TENDLC_BENCH_ENDPOINT ?? '';
    const send =
      mode === 'send'
        ? await sendBench(api, endpoint, process.env.TENDLC_BENCH_PROFILE ?? '', (process.env.TENDLC_BENCH_LATENCIES ?? '0,200').split(',').map(Number), Number(process.env.TENDLC_BENCH_REPS ?? 5))
        : undefined;
    await idle(500);
    const services = api.deps.aws.loaded ? await api.deps.aws.get() : undefined;
    const out: HostBenchOutput = {
      activation,
      afterStartup,
      sdkModulesAtEnd: Object.keys(require.cache).filter((k) => SDK_MODULE.test(k)),
      accountLookups: services?.accounts.lookups ?? 0,
      memory: mem,
      send,
      tree,
      vscodeVersion: vscode.version,
      nodeVersion: process.version,
    };
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, JSON.stringify(out, null, 2));
  } catch (e) {
    failure = e instanceof Error ? e.stack ?? e.message : String(e);
  }
  if (resultFile) {
    const result = { passed: failure ? 0 : 1, failed: failure ? 1 : 0, pending: 0, failures: failure ? [{ title: 'bench', error: failure }] : [], durationMs: Date.now() - started };
    fs.mkdirSync(path.dirname(resultFile), { recursive: true });
    fs.writeFileSync(`${resultFile}.tmp`, JSON.stringify(result));
    fs.renameSync(`${resultFile}.tmp`, resultFile);
  }
}
