/** What the benchmark's extension wrapper (hostWrapper.ts) and its test module (hostBench.ts) share. */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

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
  /** From activate() start to the profiles loaded (files read, parsed, classified), ms. */
  readonly loadMs: number;
  /** Share of the time from activate() to the first children that the extension host's thread was busy (any code). */
  readonly eventLoopBusy: number;
  /** A load with a fresh loader once the first children are shown (startup over): the loader's own cost, ms. */
  readonly coldLoadAfterStartupMs: number;
  /** Problems in the files (0 expected). */
  readonly problems: number;
  readonly profiles: number;
  /** Children shown in the first paint (all expanded groups). */
  readonly firstItems: number;
  /** Modules `require` loaded from the bundle's start to the root children (no AWS call can have happened yet). */
  readonly modulesAtRootChildren: string[];
  /** Of those, the AWS SDK's and the AWS layer's (dist/aws.js): must be none. */
  readonly sdkModulesAtRootChildren: string[];
  /** Whether the AWS layer was loaded by the time the root children were there (must be false). */
  readonly awsLoadedAtRootChildren: boolean;
  /** Whether the first paint started background account lookups (the first AWS call, which loads the AWS layer). */
  readonly lookupsStarted: boolean;
  /** Heap after a full GC just before activate(), bytes. */
  readonly heapBeforeActivate: number;
  readonly error?: string;
}

declare global {
  var __tendlcBench: WrapperTimings | undefined;
}

export const SDK_MODULE = /[\\/](@aws-sdk|@smithy|@aws-crypto)[\\/]|[\\/]dist[\\/]aws\.js$/;

/** A full garbage collection: the extension host has no --expose-gc, so expose it on the fly. */
export function fullGc(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
}
