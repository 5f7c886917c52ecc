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
  /** What the extension host reported: `vscode.version` and its `process.version` (empty if not reported). */
  vscodeVersion: string;
  nodeVersion: string;
  /** Measured here: spawn of code-server to healthy. */
  codeServerReadyMs: number;
  /** Measured here: the whole call. */
  totalMs: number;
  /** Where code-server's log, the browser console and VS Code's logs are kept. */
  runDir: string;
}

/** The workbench URL of `workspaceFolder` (the extension and the tests come in through developmentOptions). */
export function workbenchUrl(serverUrl: string, workspaceFolder: string): string {
  return `${serverUrl}/?folder=${encodeURIComponent(path.resolve(workspaceFolder))}`;
}

/**
 * The embedder's development options that load `extensionPath` as the extension under development and call
 * `run()` of `testsPath` in the remote (Node) extension host: the `developmentOptions` of VS Code's web
 * construction options (IDevelopmentOptions, what @vscode/test-web sets), as UriComponents.
 *
 * The `payload` query parameter did the same on VS Code 1.100, but a built 1.139 workbench ignores the
 * payload's development arguments unless the smoke-test driver is enabled (`--enable-smoke-test-driver`, which
 * code-server refuses as an unknown option); developmentOptions work on 1.100 and 1.139 alike.
 */
export function developmentOptions(port: number, extensionPath: string, testsPath: string): Record<string, unknown> {
  const remote = (p: string): Record<string, string> => ({ scheme: 'vscode-remote', authority: `127.0.0.1:${port}`, path: path.resolve(p) });
  return { extensions: [remote(extensionPath)], extensionTestsPath: remote(testsPath) };
}

/**
 * Runs in the page before any of its scripts: when the workbench reads its web configuration (the JSON in the
 * `data-settings` attribute of `#vscode-workbench-web-configuration`), `developmentOptions` are merged into it.
 * (Rewriting the served HTML instead, with Playwright's route.fulfill, makes Chromium treat the page as not
 * local, and its Local Network Access checks then block the workbench's WebSocket to 127.0.0.1.)
 */
export function injectDevelopmentOptionsScript(dev: Record<string, unknown>): string {
  return `(() => {
  const dev = ${JSON.stringify(dev)};
  const original = Document.prototype.getElementById;
  Document.prototype.getElementById = function (id) {
    const element = original.call(this, id);
    if (id === 'vscode-workbench-web-configuration' && element && window.__tendlcDevelopmentOptions === undefined) {
      try {
        const settings = JSON.parse(element.getAttribute('data-settings') || '{}');
        settings.developmentOptions = Object.assign({}, settings.developmentOptions, dev);
        element.setAttribute('data-settings', JSON.stringify(settings));
        window.__tendlcDevelopmentOptions = 'applied';
      } catch (e) {
        window.__tendlcDevelopmentOptions = 'failed: ' + (e && e.message ? e.message : String(e));
      }
    }
    return element;
  };
})();`;
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
    vscodeVersion: raw.vscodeVersion ?? '',
    nodeVersion: raw.nodeVersion ?? '',
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
      // The user data dir, for the tests that check which of its settings files VS Code reads.
      env: { ...opts.env, TENDLC_TEST_RESULT: resultFile, TENDLC_USER_DATA_DIR: userDataDir },
    });
    const srv = server;
    browser = await launchChromium();
    const page: Page = await browser.newPage();
    let pageGone: string | undefined;
    page.on('console', (m) => logConsole(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => logConsole(`[pageerror] ${e.message}`));
    page.on('crash', () => (pageGone = 'the browser page crashed'));
    page.on('close', () => (pageGone ??= 'the browser page closed'));
    // The workbench gets the extension and the tests through its web configuration (see injectDevelopmentOptionsScript).
    await page.addInitScript({ content: injectDevelopmentOptionsScript(developmentOptions(srv.port, opts.extensionPath, opts.testsPath)) });
    await page.goto(workbenchUrl(srv.url, opts.workspaceFolder), {
      waitUntil: 'domcontentloaded',
      timeout: 60_000,
    });
    const injected = await waitFor(async () => (await page.evaluate('window.__tendlcDevelopmentOptions')) as string | undefined, {
      description: 'the workbench to read its web configuration (#vscode-workbench-web-configuration)',
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    if (injected !== 'applied') throw new Error(`could not give the workbench the extension under test: ${injected}`);

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
