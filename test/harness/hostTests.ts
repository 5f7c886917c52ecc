/**
 * Runs an extension-host mocha suite inside code-server (no desktop VS Code can be downloaded here).
 *
 * code-server ignores `--extensionTestsPath` ("not supported for server"), but the workbench takes the same
 * development arguments from the `payload` query parameter: the extension is loaded from extensionPath and
 * `run()` of testsPath is called in the Node extension host. Nothing exits when `run()` ends, so the runner
 * (test/host/index.ts) writes its result to TENDLC_TEST_RESULT and this waits for that file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { CodeServer, startCodeServer } from './codeServer';
import { requireTools, testResultsDir } from './paths';
import { findFiles, onExitCleanup, tailFile, waitFor } from './processes';

export interface HostTestOptions {
  /** Absolute path of the extension folder (its package.json). */
  extensionPath: string;
  /** Absolute path of a compiled JS module exporting `run(): Promise<void>` (e.g. out/test/host/index.js). */
  testsPath: string;
  /** The folder opened in the workbench. */
  workspaceFolder: string;
  /** More environment for code-server and the extension host (AWS_CONFIG_FILE, ...). */
  env?: NodeJS.ProcessEnv;
  /** Where the runner writes its JSON result; any old file is removed first. */
  resultFile: string;
  /** Bound on the whole run once code-server is up; default 180 s. */
  timeoutMs?: number;
  /** Logs and the user data dir go under here; default a fresh folder under `<repo>/test-results/host-RUNID`. */
  runDir?: string;
  /** Extensions loaded besides the one under test; default an empty folder in runDir. */
  extensionsDir?: string;
  /** User settings for the workbench (see codeServer DEFAULT_SETTINGS). */
  settings?: Record<string, unknown>;
}

export interface HostTestFailure {
  title: string;
  error: string;
}

export interface HostTestResult {
  passed: number;
  failed: number;
  pending: number;
  failures: HostTestFailure[];
  /** As measured by the runner inside the extension host. */
  durationMs: number;
  /** Measured here: spawn of code-server to healthy. */
  codeServerReadyMs: number;
  /** Measured here: the whole call. */
  totalMs: number;
  /** Where code-server's log, the browser console and VS Code's logs are kept. */
  runDir: string;
}

/** The workbench URL that runs `testsPath` in the extension host with `extensionPath` under development. */
export function hostTestUrl(serverUrl: string, port: number, workspaceFolder: string, extensionPath: string, testsPath: string): string {
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  return `${serverUrl}/?folder=${encodeURIComponent(path.resolve(workspaceFolder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}


function readResult(file: string): Omit<HostTestResult, 'codeServerReadyMs' | 'totalMs' | 'runDir'> | undefined {
  if (!fs.existsSync(file)) return undefined;
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<HostTestResult>;
  return {
    passed: raw.passed ?? 0,
    failed: raw.failed ?? 0,
    pending: raw.pending ?? 0,
    failures: raw.failures ?? [],
    durationMs: raw.durationMs ?? 0,
  };
}

export async function runExtensionHostTests(opts: HostTestOptions): Promise<HostTestResult> {
  requireTools('codeServer', 'chromium');
  const t0 = Date.now();
  for (const [what, p] of [['extensionPath', opts.extensionPath], ['testsPath', opts.testsPath], ['workspaceFolder', opts.workspaceFolder]]) {
    if (!path.isAbsolute(p)) throw new Error(`runExtensionHostTests: ${what} must be absolute: ${p}`);
    if (!fs.existsSync(p)) throw new Error(`runExtensionHostTests: ${what} does not exist: ${p}`);
  }
  const resultFile = path.resolve(opts.resultFile);
  fs.rmSync(resultFile, { force: true });
  fs.mkdirSync(path.dirname(resultFile), { recursive: true });

  if (!opts.runDir) fs.mkdirSync(testResultsDir(), { recursive: true });
  const runDir = opts.runDir ?? fs.mkdtempSync(path.join(testResultsDir(), 'host-'));
  fs.mkdirSync(runDir, { recursive: true });
  // code-server puts a unix socket in the user data dir: keep that path short.
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-ud-'));
  const removeUserDataDir = (): void => fs.rmSync(userDataDir, { recursive: true, force: true });
  const unregisterCleanup = onExitCleanup(removeUserDataDir);
  const extensionsDir = opts.extensionsDir ?? path.join(runDir, 'extensions');
  const logFile = path.join(runDir, 'code-server.log');
  const consoleFile = path.join(runDir, 'browser-console.log');
  const consoleLines: string[] = [];
  const logConsole = (line: string): void => {
    consoleLines.push(line);
    fs.appendFileSync(consoleFile, line + '\n');
  };

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer({
      folder: opts.workspaceFolder,
      extensionsDir,
      userDataDir,
      logFile,
      settings: opts.settings,
      env: { ...opts.env, TENDLC_TEST_RESULT: resultFile },
    });
    const srv = server;
    browser = await launchChromium();
    const page: Page = await browser.newPage();
    let pageGone: string | undefined;
    page.on('console', (m) => logConsole(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => logConsole(`[pageerror] ${e.message}`));
    page.on('crash', () => (pageGone = 'the browser page crashed'));
    page.on('close', () => (pageGone ??= 'the browser page closed'));
    await page.goto(hostTestUrl(srv.url, srv.port, opts.workspaceFolder, opts.extensionPath, opts.testsPath), {
      waitUntil: 'domcontentloaded',
      timeout: 60_000,
    });

    const timeoutMs = opts.timeoutMs ?? 180_000;
    // When run() settles (resolved, rejected, or its module failed to load) the extension host process exits,
    // with code 0 in every case; code-server and the page stay. The result file is written before that, so an
    // exit seen with no file after a grace period means the suite never got to write one.
    let exthostExitSeenAt: number | undefined;
    const result = await waitFor(() => readResult(resultFile), {
      description: `the extension-host test result ${resultFile}`,
      timeoutMs,
      intervalMs: 250,
      abortIf: () => {
        if (srv.process.exitInfo) return 'code-server exited';
        if (pageGone) return pageGone;
        if (exthostExitSeenAt === undefined && /Extension Host Process exited/.test(tailFile(logFile, 200))) exthostExitSeenAt = Date.now();
        if (exthostExitSeenAt !== undefined && Date.now() - exthostExitSeenAt > 3000) {
          return 'the extension host exited without writing a result (did the tests module load? see the errors below)';
        }
        return undefined;
      },
      diagnostics: () => {
        const exthostLogs = findFiles(path.join(userDataDir, 'logs'), /^(remoteexthost|exthost)\.log$/);
        return [
          `--- tail of ${logFile}:`,
          tailFile(logFile, 40),
          ...exthostLogs.flatMap((f) => [`--- tail of ${f}:`, tailFile(f, 40)]),
          `--- browser console (last ${Math.min(40, consoleLines.length)} of ${consoleLines.length} lines, all in ${consoleFile}):`,
          consoleLines.slice(-40).join('\n'),
        ].join('\n');
      },
    });
    return { ...result, codeServerReadyMs: srv.readyMs, totalMs: Date.now() - t0, runDir };
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    // Keep VS Code's logs (exthost output, the extension's LogOutputChannel) with the run's other logs.
    try {
      if (fs.existsSync(path.join(userDataDir, 'logs'))) fs.cpSync(path.join(userDataDir, 'logs'), path.join(runDir, 'vscode-logs'), { recursive: true });
    } catch {
      // best effort
    }
    unregisterCleanup();
    removeUserDataDir();
  }
}
