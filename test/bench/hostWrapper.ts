/**
 * The `main` of the benchmark's copy of the extension (test/bench/host.ts writes a copy of package.json whose
 * `main` is this file, next to a copy of dist/). VS Code loads it exactly as it loads the extension; it times
 * loading the real bundle, the real `activate()`, and the tree's first children as the view asks for them
 * (root, then the groups VS Code shows expanded, with every tree item), and notes which modules `require`
 * loaded meanwhile. The numbers go to `globalThis.__tendlcBench` for the bench's test module. It is copied
 * with hostShared.js beside it, so it may import nothing else of the repository.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Node } from '../../src/ui/profilesView';
import { fullGc, SDK_MODULE, type WrapperTimings } from './hostShared';

const loadStart = performance.now();
const cacheBefore = new Set(Object.keys(require.cache));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const real = require(path.join(__dirname, 'dist', 'extension.js')) as typeof import('../../src/extension');
const bundleLoadMs = performance.now() - loadStart;

/** The tree items VS Code asks for: every child of `parent`, each turned into its TreeItem. */
async function children(view: vscode.TreeDataProvider<Node>, parent?: Node): Promise<Node[]> {
  const nodes = (await view.getChildren(parent)) ?? [];
  for (const n of nodes) {
    await view.getTreeItem(n);
  }
  return nodes;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  fullGc();
  const heapBeforeActivate = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const api = real.activate(context);
  const activateMs = performance.now() - t0;
  if (!api) {
    globalThis.__tendlcBench = { error: 'activate() returned no test API (not in ExtensionMode.Test?)' } as WrapperTimings;
    return api;
  }
  const view = api.deps.view;
  void (async () => {
    try {
      const elu0 = performance.eventLoopUtilization();
      const loaded = await api.deps.state.ensureLoaded();
      const loadMs = performance.now() - t0;
      const roots = await children(view);
      const rootChildrenMs = performance.now() - t0;
      const awsLoadedAtRootChildren = api.deps.aws.loaded;
      const modulesAtRootChildren = Object.keys(require.cache).filter((k) => !cacheBefore.has(k));
      let firstItems = 0;
      for (const r of roots) {
        const item = await view.getTreeItem(r);
        // VS Code fetches the children of expanded nodes right away; collapsed ones wait for a click.
        if (item.collapsibleState === 2 /* Expanded */) {
          firstItems += (await children(view, r)).length;
        }
      }
      const firstChildrenMs = performance.now() - t0;
      const busy = performance.eventLoopUtilization(elu0).utilization;
      // The same load again with a fresh loader (nothing cached), now that startup is over: our own cost.
      const Loader = (api.deps.state as unknown as { loader: { constructor: new (env: NodeJS.ProcessEnv, home: string) => { load(): Promise<unknown> } } }).loader.constructor;
      const l0 = performance.now();
      await new Loader(process.env, os.homedir()).load();
      const coldLoadAfterStartupMs = performance.now() - l0;
      globalThis.__tendlcBench = {
        bundleLoadMs,
        activateMs,
        rootChildrenMs,
        firstChildrenMs,
        firstChildrenFromLoadMs: performance.now() - loadStart,
        loadMs,
        eventLoopBusy: busy,
        coldLoadAfterStartupMs,
        problems: loaded.problems.length,
        profiles: api.deps.state.profiles?.profiles.length ?? 0,
        firstItems,
        modulesAtRootChildren,
        sdkModulesAtRootChildren: modulesAtRootChildren.filter((k) => SDK_MODULE.test(k)),
        awsLoadedAtRootChildren,
        lookupsStarted: api.deps.aws.loaded,
        heapBeforeActivate,
      };
    } catch (e) {
      globalThis.__tendlcBench = { error: e instanceof Error ? e.stack ?? e.message : String(e) } as WrapperTimings;
    }
  })();
  return api;
}

export function deactivate(): void {
  real.deactivate();
}
