/**
 * The `main` of the benchmark's copy of the extension (test/bench/host.ts writes a copy of package.json whose
 * `main` is this file, next to a copy of dist/). VS Code loads it exactly as it loads the extension; it times
 * loading the real bundle, the real `activate()`, and the tree's first children as the view asks for them
 * (root, then the groups VS Code shows expanded, with every tree item), and notes which modules `require`
 * loaded meanwhile. The numbers go to `globalThis.__tendlcBench` for the bench's test module.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Node } from '../../src/ui/profilesView';

export interface WrapperTimings {
  /** require() of dist/extension.js, ms. */
  readonly bundleLoadMs: number;
  /** activate() itself (it reads nothing: the files are read when the view first asks), ms. */
  readonly activateMs: number;
  /** From activate() start to the root children (the profiles loaded, parsed and grouped), ms. */
  readonly rootChildrenMs: number;
  /** From activate() start to the children and tree items of every group VS Code shows expanded, ms. */
  readonly firstChildrenMs: number;
  /** The same from the moment VS Code started loading the bundle, ms. */
  readonly firstChildrenFromLoadMs: number;
  readonly profiles: number;
  /** Children shown in the first paint (all expanded groups). */
  readonly firstItems: number;
  /** Modules `require` loaded from the bundle's start to the first children; and those of the AWS SDK/layer. */
  readonly modulesLoaded: string[];
  readonly sdkModulesLoaded: string[];
  /** Whether the AWS layer was loaded by the time the root children were there (must be false). */
  readonly awsLoadedAtRootChildren: boolean;
  /** Heap after a full GC just before activate(), bytes. */
  readonly heapBeforeActivate: number;
  readonly error?: string;
}

declare global {
  var __tendlcBench: WrapperTimings | undefined;
}

const SDK_MODULE = /[\\/](@aws-sdk|@smithy|@aws-crypto)[\\/]|[\\/]dist[\\/]aws\.js$/;

/** A full garbage collection: the extension host has no --expose-gc, so expose it on the fly. */
export function fullGc(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
}

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
      const roots = await children(view);
      const rootChildrenMs = performance.now() - t0;
      const awsLoadedAtRootChildren = api.deps.aws.loaded;
      let firstItems = 0;
      for (const r of roots) {
        const item = await view.getTreeItem(r);
        // VS Code fetches the children of expanded nodes right away; collapsed ones wait for a click.
        if (item.collapsibleState === 2 /* Expanded */) {
          firstItems += (await children(view, r)).length;
        }
      }
      const firstChildrenMs = performance.now() - t0;
      const loaded = Object.keys(require.cache).filter((k) => !cacheBefore.has(k));
      globalThis.__tendlcBench = {
        bundleLoadMs,
        activateMs,
        rootChildrenMs,
        firstChildrenMs,
        firstChildrenFromLoadMs: performance.now() - loadStart,
        profiles: api.deps.state.profiles?.profiles.length ?? 0,
        firstItems,
        modulesLoaded: loaded,
        sdkModulesLoaded: loaded.filter((k) => SDK_MODULE.test(k)),
        awsLoadedAtRootChildren,
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
