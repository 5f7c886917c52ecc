/**
 * Child processes that the harness starts and must never leave behind.
 *
 * Every process is spawned in a process group of its own (`detached`) and is stopped by signalling the whole
 * group, so the grandchildren (code-server's extension host, moto's workers) go too. A registry of live groups
 * is killed when the harness process exits or is told to stop (SIGINT, SIGTERM, SIGHUP), so an interrupted test
 * run leaves nothing listening.
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Set once the process has exited. */
  readonly exitInfo: ExitInfo | undefined;
  /** Resolves when the process exits (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** SIGTERM to the group, then SIGKILL after `graceMs`; resolves when the leader is gone. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  /** A short name used in messages, e.g. "moto" or "code-server". */
  name: string;
  /** The complete environment of the child (not merged with process.env here). */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr are appended here. */
  logFile: string;
}

const liveGroups = new Set<number>();
const exitCleanups = new Set<() => void>();
let handlersInstalled = false;
/** Set when a signal has been received: nothing new is started after that. */
let shuttingDown: NodeJS.Signals | undefined;

/**
 * Registers a synchronous cleanup (removing a temp folder, say) run if the harness exits or is signalled
 * before the caller's own cleanup; returns the function that unregisters it.
 */
export function onExitCleanup(fn: () => void): () => void {
  installHandlers();
  exitCleanups.add(fn);
  return () => exitCleanups.delete(fn);
}

function runExitCleanups(): void {
  for (const fn of [...exitCleanups]) {
    exitCleanups.delete(fn);
    try {
      fn();
    } catch {
      // best effort
    }
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Kills every live group synchronously: usable from an 'exit' handler. */
export function killAllSync(graceMs = 1500): void {
  const groups = [...liveGroups];
  if (groups.length === 0) return;
  for (const g of groups) signalGroup(g, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groups.some(groupAlive)) sleepSync(50);
  for (const g of groups) {
    if (groupAlive(g)) signalGroup(g, 'SIGKILL');
    liveGroups.delete(g);
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    killAllSync(500);
    runExitCleanups();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      shuttingDown = signal;
      killAllSync();
      runExitCleanups();
      if (process.listenerCount(signal) === 1) {
        // Nobody else handles it: die of the signal, as if it had not been caught.
        process.off(signal, handler);
        process.kill(process.pid, signal);
      } else {
        // Let the others (mocha's summary, playwright's browser close) run, but do exit: playwright's SIGTERM
        // handler, for one, does not.
        setTimeout(() => process.exit(128 + os.constants.signals[signal]), 2000).unref();
      }
    };
    process.on(signal, handler);
  }
}

/** Starts `command args` in its own process group, output appended to `logFile`. */
export function spawnManaged(command: string, args: string[], opts: SpawnOptions): ManagedProcess {
  installHandlers();
  if (shuttingDown) throw new Error(`${opts.name}: not started, the harness received ${shuttingDown}`);
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  fs.writeSync(fd, `--- ${new Date().toISOString()} ${opts.name}: ${command} ${args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    fs.closeSync(fd);
  }
  if (child.pid === undefined) {
    throw new Error(`${opts.name}: could not start ${command} (see ${opts.logFile})`);
  }
  const pid = child.pid;
  liveGroups.add(pid);
  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (err) => {
      fs.appendFileSync(opts.logFile, `--- ${opts.name}: spawn error: ${err.message}\n`);
      exitInfo ??= { code: null, signal: null };
      resolve(exitInfo);
    });
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5000): Promise<void> => {
    stopping ??= (async () => {
      if (groupAlive(pid)) {
        signalGroup(pid, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        while (Date.now() < deadline && groupAlive(pid)) await delay(50);
        if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
        const killDeadline = Date.now() + 5000;
        while (Date.now() < killDeadline && groupAlive(pid)) await delay(50);
      }
      // The group may be gone before node has seen the leader's exit.
      await Promise.race([exited, delay(1000)]);
      liveGroups.delete(pid);
    })();
    return stopping;
  };

  return {
    name: opts.name,
    pid,
    logFile: opts.logFile,
    get exitInfo() {
      return exitInfo;
    },
    exited,
    stop,
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface WaitOptions {
  /** What is awaited, for the timeout message. */
  description: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Checked before each poll: a string return fails the wait at once with that message (e.g. "process exited"). */
  abortIf?: () => string | undefined;
  /** Extra text appended to the timeout message (a log tail, say). */
  diagnostics?: () => string;
}

/**
 * Polls `condition` until it returns a value other than undefined/false, or fails after `timeoutMs`.
 * A condition that throws counts as "not yet" (a refused connection, a half-written file).
 */
export async function waitFor<T>(condition: () => Promise<T | undefined | false> | T | undefined | false, opts: WaitOptions): Promise<T> {
  const start = Date.now();
  const interval = opts.intervalMs ?? 200;
  let lastError: unknown;
  for (;;) {
    const abort = opts.abortIf?.();
    if (abort !== undefined) {
      throw new Error(`${opts.description}: ${abort}${opts.diagnostics ? `\n${opts.diagnostics()}` : ''}`);
    }
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() - start >= opts.timeoutMs) {
      const last = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(
        `timed out after ${opts.timeoutMs} ms waiting for ${opts.description}${last}` +
          (opts.diagnostics ? `\n${opts.diagnostics()}` : ''),
      );
    }
    await delay(interval);
  }
}

/** The last `lines` lines of a text file, or a note that it does not exist. */
export function tailFile(file: string, lines = 40): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return `(no file ${file})`;
  }
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all.slice(-lines).join('\n');
}

/** Describes an exit for messages: "exited with code 1" / "was killed by SIGKILL". */
export function describeExit(info: ExitInfo): string {
  return info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
}

/**
 * The environment for a child: this process's environment without variables that would leak the developer's
 * AWS identity or a surrounding VS Code into the test, then `overrides` (an undefined value removes a variable).
 */
export function childEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^AWS_/.test(k) || /^VSCODE_/.test(k) || k === 'ELECTRON_RUN_AS_NODE' || k === 'TENDLC_TEST_RESULT') continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** GETs or POSTs a loopback URL; resolves with status and body text. */
export async function httpRequest(
  url: string,
  init: { method?: string; body?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    body: init.body,
    signal: AbortSignal.timeout(init.timeoutMs ?? 5000),
  });
  return { status: res.status, body: await res.text() };
}

/** Every file below `dir` whose name matches, depth first (a missing folder gives none). */
export function findFiles(dir: string, name: RegExp, found: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, name, found);
    else if (name.test(e.name)) found.push(p);
  }
  return found;
}
