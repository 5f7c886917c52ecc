/**
 * code-server (VS Code in the browser) on 127.0.0.1, with no authentication: the editor TENDLC_EDITOR selects
 * (see paths.ts; code-server 4.100.3 = VS Code 1.100.3 on the system Node 20, or 4.139.1 = VS Code 1.139.1 on
 * Node 24 from the cache dir).
 *
 * The extension host it starts inherits its environment: that is where a test puts AWS_CONFIG_FILE,
 * AWS_SHARED_CREDENTIALS_FILE and TENDLC_TEST_RESULT.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { codeServerCommand, editorLabel, requireTools, selectedEditor, type Editor } from './paths';
import { getFreePort } from './ports';
import { machineSettingsFile, splitSettingsByScope } from './settingsFiles';
import { childEnv, describeExit, httpRequest, ManagedProcess, spawnManaged, tailFile, waitFor } from './processes';

export interface CodeServerOptions {
  /** The folder the workbench opens (also the default of `?folder=`). */
  folder: string;
  /** Where extensions are loaded from: copy `publisher.name-version/` here, or use installVsix. */
  extensionsDir: string;
  /**
   * VS Code's user data (settings, logs, state). Keep the path short: code-server puts a unix socket in it,
   * and such a path must stay under 108 bytes.
   */
  userDataDir: string;
  /** Environment for code-server and so for the extension host, over a copy of process.env without AWS_* and VSCODE_*. */
  env?: NodeJS.ProcessEnv;
  /** code-server's stdout and stderr (the extension host's console output is in userDataDir/logs). */
  logFile: string;
  /**
   * Settings written when the files do not exist yet: the extension's machine-scoped ones to the remote's settings
   * (userDataDir/Machine/settings.json: code-server is a remote window, see settingsFiles.ts), the rest to
   * userDataDir/User/settings.json, merged over DEFAULT_SETTINGS (no welcome page, no update or marketplace checks).
   */
  settings?: Record<string, unknown>;
  /** Bound on the wait for /healthz; default 60 s. */
  readyTimeoutMs?: number;
  /** More code-server flags. */
  extraArgs?: string[];
}

export interface CodeServer {
  /** The editor running (code-server and VS Code versions). */
  editor: Editor;
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  port: number;
  logFile: string;
  userDataDir: string;
  extensionsDir: string;
  folder: string;
  /** Milliseconds from spawn to a healthy /healthz. */
  readyMs: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

const ATTEMPTS = 3;

/**
 * code-server's product config takes the marketplace from EXTENSIONS_GALLERY (default open-vsx.org, unreachable
 * here): an empty one turns the gallery off, so no request leaves the machine and nothing waits on one.
 */
const NO_GALLERY_ENV: NodeJS.ProcessEnv = { EXTENSIONS_GALLERY: '{}' };

/**
 * A config file for code-server: without `--config FILE` naming an existing file, every run (even --version)
 * writes ~/.config/code-server/config.yaml with a generated password.
 */
function writeConfig(userDataDir: string): string {
  fs.mkdirSync(userDataDir, { recursive: true });
  const file = path.join(userDataDir, 'code-server.yaml');
  if (!fs.existsSync(file)) fs.writeFileSync(file, 'auth: none\ncert: false\n');
  return file;
}

function writeSettings(userDataDir: string, settings: Record<string, unknown> | undefined): void {
  const { user, machine } = splitSettingsByScope(settings ?? {});
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_SETTINGS, ...user }, null, 2) + '\n');
  }
  const remote = machineSettingsFile(userDataDir);
  if (Object.keys(machine).length && !fs.existsSync(remote)) {
    fs.mkdirSync(path.dirname(remote), { recursive: true });
    fs.writeFileSync(remote, JSON.stringify(machine, null, 2) + '\n');
  }
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  requireTools('codeServer');
  const editor = selectedEditor();
  const { command, args: commandArgs } = codeServerCommand(editor);
  const config = writeConfig(opts.userDataDir);
  writeSettings(opts.userDataDir, opts.settings);
  fs.mkdirSync(opts.extensionsDir, { recursive: true });
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const port = await getFreePort();
    const args = [
      ...commandArgs,
      '--config', config,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--extensions-dir', opts.extensionsDir,
      '--user-data-dir', opts.userDataDir,
      ...(opts.extraArgs ?? []),
      opts.folder,
    ];
    const started = Date.now();
    const proc = spawnManaged(command, args, {
      name: 'code-server',
      env: childEnv({ ...NO_GALLERY_ENV, ...opts.env }),
      cwd: opts.folder,
      logFile: opts.logFile,
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => (await httpRequest(`${url}/healthz`, { timeoutMs: 2000 })).status === 200, {
        description: `code-server on ${url}`,
        timeoutMs: opts.readyTimeoutMs ?? 60_000,
        intervalMs: 100,
        abortIf: () => (proc.exitInfo ? `code-server ${describeExit(proc.exitInfo)}` : undefined),
        diagnostics: () => `--- tail of ${opts.logFile}:\n${tailFile(opts.logFile, 40)}`,
      });
    } catch (e) {
      await proc.stop();
      lastError = e;
      if (/EADDRINUSE|address already in use/i.test(tailFile(opts.logFile, 20)) && attempt < ATTEMPTS) continue;
      throw e;
    }
    // code-server logs its version first thing: a run that started some other editor must not count as this one's.
    const version = [...tailFile(opts.logFile, 400).matchAll(/\binfo {1,2}code-server (\d+\.\d+\.\d+)\b/g)].pop();
    if (version && version[1] !== editor.codeServer) {
      await proc.stop();
      throw new Error(`${command} started code-server ${version[1]}, not ${editor.codeServer} (${editorLabel(editor)}); see ${opts.logFile}`);
    }
    return {
      editor,
      url,
      port,
      logFile: opts.logFile,
      userDataDir: opts.userDataDir,
      extensionsDir: opts.extensionsDir,
      folder: opts.folder,
      readyMs: Date.now() - started,
      process: proc,
      stop: () => proc.stop(),
    };
  }
  throw lastError;
}

export interface InstallVsixOptions {
  /** Default: a `user-data` folder beside extensionsDir. */
  userDataDir?: string;
  /** Where the command's output goes; default `extensionsDir/../install-extension.log`. */
  logFile?: string;
  timeoutMs?: number;
}

/**
 * `code-server --install-extension X.vsix --extensions-dir D --force`: installs a packaged extension exactly as a
 * user would. Resolves with the command's output; rejects with it when the command fails or times out.
 */
export async function installVsix(vsixPath: string, extensionsDir: string, opts: InstallVsixOptions = {}): Promise<string> {
  requireTools('codeServer');
  const { command, args: commandArgs } = codeServerCommand();
  if (!fs.existsSync(vsixPath)) throw new Error(`installVsix: no file ${vsixPath}`);
  fs.mkdirSync(extensionsDir, { recursive: true });
  const userDataDir = opts.userDataDir ?? path.join(path.dirname(path.resolve(extensionsDir)), 'user-data');
  const config = writeConfig(userDataDir);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const args = [...commandArgs, '--config', config, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force', '--install-extension', path.resolve(vsixPath)];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { env: childEnv(NO_GALLERY_ENV), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
      reject(new Error(`installVsix timed out after ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && !/Failed Installing|not found/i.test(out)) resolve(out);
      else reject(new Error(`code-server --install-extension ${vsixPath} ${signal ? `killed by ${signal}` : `exited ${code}`}:\n${out}`));
    });
  });
  fs.writeFileSync(opts.logFile ?? path.join(path.dirname(path.resolve(extensionsDir)), 'install-extension.log'), output);
  return output;
}
