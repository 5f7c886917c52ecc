/**
 * The extension-host test runner: VS Code calls `run()` inside the extension host, under @vscode/test-electron
 * (desktop) and under code-server (test/harness/hostTests.ts, via the workbench's `payload` URL).
 *
 * Runs mocha (bdd) over every `*.test.js` beside this file (only the tests whose full title matches TENDLC_HOST_GREP,
 * a regular expression, when it is set: a faster loop while working on one suite; the full tier never sets it). When TENDLC_TEST_RESULT names a file, writes
 * `{ passed, failed, pending, failures: [{ title, error }], durationMs, vscodeVersion, nodeVersion }` there (atomically: a temp file renamed),
 * because inside code-server nothing exits when `run()` ends. Rejects when anything failed, as test-electron expects.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface HostRunResult {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  durationMs: number;
  /** The editor and the Node the suite ran in (`vscode.version`, `process.version` of the extension host). */
  vscodeVersion: string;
  nodeVersion: string;
}

const MAX_ERROR_CHARS = 4000;

function describeError(err: unknown): string {
  let text: string;
  if (err instanceof Error) text = err.stack && err.stack.includes(err.message) ? err.stack : `${err.message}\n${err.stack ?? ''}`;
  else text = String(err);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}

function writeResult(file: string, result: HostRunResult): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

/** The compiled test files run by `run()`: `*.test.js` in `dir`, sorted. */
export function testFiles(dir: string = __dirname): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

export async function run(): Promise<void> {
  const started = Date.now();
  const result: HostRunResult = { passed: 0, failed: 0, pending: 0, failures: [], durationMs: 0, vscodeVersion: vscode.version, nodeVersion: process.version };
  try {
    // TENDLC_HOST_GREP (a regular expression over full test titles) runs a subset, for a faster loop while developing.
    const grep = process.env['TENDLC_HOST_GREP'];
    const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep: new RegExp(grep) } : {}) });
    const files = testFiles();
    if (files.length === 0) throw new Error(`no *.test.js files in ${__dirname}`);
    for (const f of files) mocha.addFile(f);
    await new Promise<void>((resolve, reject) => {
      try {
        const runner = mocha.run(() => resolve());
        runner.on('pass', () => result.passed++);
        runner.on('pending', () => result.pending++);
        runner.on('fail', (test, err) => {
          result.failed++;
          result.failures.push({ title: test.fullTitle(), error: describeError(err) });
        });
      } catch (e) {
        reject(e);
      }
    });
  } catch (e) {
    // mocha itself failed (a test file that does not load, say): that is a failure too.
    result.failed = Math.max(1, result.failed + 1);
    result.failures.push({ title: 'mocha run', error: describeError(e) });
  }
  result.durationMs = Date.now() - started;
  const resultFile = process.env.TENDLC_TEST_RESULT;
  if (resultFile) writeResult(resultFile, result);
  if (result.failed > 0) {
    throw new Error(`${result.failed} extension-host test(s) failed: ${result.failures.map((f) => f.title).join('; ')}`);
  }
}
