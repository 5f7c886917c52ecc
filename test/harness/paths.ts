/**
 * Where the test tools are, as `scripts/setup.sh` installs them, and whether they are there.
 *
 * Overrides (for a machine laid out differently): TENDLC_CACHE_DIR (code-server's cache, as in setup.sh),
 * TENDLC_CODE_SERVER, TENDLC_MOTO_SERVER, TENDLC_CHROMIUM (a binary each).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const CODE_SERVER_VERSION = '4.100.3';

const SETUP_HINT = 'run `bash scripts/setup.sh` (installs chromium, moto and code-server; idempotent)';

/** The repository root: the nearest folder above this file whose package.json names the extension. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tendlc-cross-account') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no tendlc-cross-account package.json above ${__dirname}`);
    dir = parent;
  }
}

export function cacheDir(): string {
  return process.env.TENDLC_CACHE_DIR || path.join(os.homedir(), '.cache', 'tendlc');
}

export function codeServerDir(): string {
  return path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerBin(): string {
  return process.env.TENDLC_CODE_SERVER || path.join(codeServerDir(), 'node_modules', '.bin', 'code-server');
}

export function motoServerBin(): string {
  return process.env.TENDLC_MOTO_SERVER || path.join(repoRoot(), '.venv', 'bin', 'moto_server');
}

export function chromiumBin(): string {
  return process.env.TENDLC_CHROMIUM || '/usr/bin/chromium';
}

/** Where tests put logs, screenshots and scratch folders by default (git-ignored). */
export function testResultsDir(): string {
  return path.join(repoRoot(), 'test-results');
}

export type Tool = 'codeServer' | 'moto' | 'chromium';

export interface ToolStatus {
  tool: Tool;
  path: string;
  available: boolean;
}

const TOOL_PATHS: Record<Tool, () => string> = {
  codeServer: codeServerBin,
  moto: motoServerBin,
  chromium: chromiumBin,
};

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether each tool is installed (an executable file where it is expected). */
export function toolStatus(tools: Tool[] = ['codeServer', 'moto', 'chromium']): ToolStatus[] {
  return tools.map((tool) => {
    const p = TOOL_PATHS[tool]();
    return { tool, path: p, available: isExecutable(p) };
  });
}

/** A message naming the missing tools and how to install them, or undefined when all are there. */
export function missingToolsMessage(tools?: Tool[]): string | undefined {
  const missing = toolStatus(tools).filter((s) => !s.available);
  if (missing.length === 0) return undefined;
  return `missing test tools: ${missing.map((m) => `${m.tool} (${m.path})`).join(', ')}; ${SETUP_HINT}`;
}

/** Throws when any of `tools` is missing, with the setup hint. */
export function requireTools(...tools: Tool[]): void {
  const message = missingToolsMessage(tools.length ? tools : undefined);
  if (message) throw new Error(message);
}
