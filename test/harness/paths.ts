/**
 * Where the test tools are, as `scripts/setup.sh` installs them, and whether they are there.
 *
 * The host and UI tiers run in one editor per process, chosen by TENDLC_EDITOR (a code-server or VS Code version
 * from test/harness/editors.json, or `oldest` / `newest`; default the oldest). Everything that starts an editor
 * (codeServer.ts) and every results folder (testResultsDir) follows that choice, so a test file runs on each
 * editor without knowing which one it is.
 *
 * Overrides (for a machine laid out differently): TENDLC_CACHE_DIR (the editors' cache, as in setup.sh),
 * TENDLC_CODE_SERVER (a code-server binary, which then runs on its own shebang's Node), TENDLC_MOTO_SERVER,
 * TENDLC_CHROMIUM (a binary each).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SETUP_HINT = 'run `bash scripts/setup.sh` (installs chromium, moto, Node 24 and both code-servers; idempotent)';

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

/** One editor the tiers run on: a code-server release and the VS Code inside it. */
export interface Editor {
  /** code-server's version, e.g. 4.139.1. */
  codeServer: string;
  /** The VS Code version it serves, e.g. 1.139.1 (what `vscode.version` says in its extension host). */
  vscode: string;
  /** `system` (the Node on PATH) or a Node version installed from the npm registry into the cache dir. */
  node: string;
  /** The Node major the editor needs (and so the one its extension host runs). */
  nodeMajor: number;
}

/** The editors of test/harness/editors.json, oldest first. */
export function editors(): Editor[] {
  const file = path.join(repoRoot(), 'test', 'harness', 'editors.json');
  const list = (JSON.parse(fs.readFileSync(file, 'utf8')) as { editors?: Editor[] }).editors;
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${file} lists no editors`);
  return list;
}

/** "VS Code 1.139.1": how results name an editor. */
export function editorLabel(editor: Editor = selectedEditor()): string {
  return `VS Code ${editor.vscode}`;
}

/**
 * The editor named by `name` (default TENDLC_EDITOR): a code-server or VS Code version, `oldest` or `newest`;
 * empty means the oldest. Throws, listing the choices, on anything else.
 */
export function selectedEditor(name: string | undefined = process.env.TENDLC_EDITOR): Editor {
  const list = editors();
  const wanted = (name ?? '').trim();
  if (wanted === '' || wanted === 'oldest') return list[0]!;
  if (wanted === 'newest') return list[list.length - 1]!;
  const found = list.find((e) => e.codeServer === wanted || e.vscode === wanted || `vscode-${e.vscode}` === wanted);
  if (!found) {
    throw new Error(`TENDLC_EDITOR=${wanted} is not one of the tested editors: ${list.map((e) => `${e.codeServer} (VS Code ${e.vscode})`).join(', ')}, oldest, newest`);
  }
  return found;
}

export function codeServerDir(editor: Editor = selectedEditor()): string {
  return path.join(cacheDir(), `code-server-${editor.codeServer}`);
}

/** The Node binary an editor runs on, or undefined for the Node on PATH. */
export function editorNodeBin(editor: Editor = selectedEditor()): string | undefined {
  return editor.node === 'system' ? undefined : path.join(cacheDir(), `node-${editor.node}`, 'bin', 'node');
}

export function codeServerBin(editor: Editor = selectedEditor()): string {
  return process.env.TENDLC_CODE_SERVER || path.join(codeServerDir(editor), 'node_modules', '.bin', 'code-server');
}

/**
 * How to start an editor's code-server: its own Node (when it has one) running code-server's entry point, so the
 * server and its extension host run on that Node whatever is first on PATH; else the bin script.
 */
export function codeServerCommand(editor: Editor = selectedEditor()): { command: string; args: string[] } {
  const node = editorNodeBin(editor);
  if (process.env.TENDLC_CODE_SERVER || !node) return { command: codeServerBin(editor), args: [] };
  return { command: node, args: [path.join(codeServerDir(editor), 'node_modules', 'code-server', 'out', 'node', 'entry.js')] };
}

export function motoServerBin(): string {
  return process.env.TENDLC_MOTO_SERVER || path.join(repoRoot(), '.venv', 'bin', 'moto_server');
}

export function chromiumBin(): string {
  return process.env.TENDLC_CHROMIUM || '/usr/bin/chromium';
}

/**
 * Where tests put logs, screenshots and scratch folders (git-ignored): one folder per editor,
 * `test-results/vscode-1.139.1/`, so the runs on two editors never overwrite each other.
 */
export function testResultsDir(editor: Editor = selectedEditor()): string {
  return path.join(repoRoot(), 'test-results', `vscode-${editor.vscode}`);
}

export type Tool = 'codeServer' | 'editorNode' | 'moto' | 'chromium';

export interface ToolStatus {
  tool: Tool;
  path: string;
  available: boolean;
}

const TOOL_PATHS: Record<Tool, () => string | undefined> = {
  codeServer: () => codeServerBin(),
  // The selected editor's own Node (none for an editor on the system Node, or with TENDLC_CODE_SERVER).
  editorNode: () => (process.env.TENDLC_CODE_SERVER ? undefined : editorNodeBin()),
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

/**
 * Whether each tool is installed (an executable file where it is expected). `codeServer` stands for the selected
 * editor: its code-server and, when it has one, its own Node.
 */
export function toolStatus(tools: Tool[] = ['codeServer', 'moto', 'chromium']): ToolStatus[] {
  const expanded = tools.flatMap((t): Tool[] => (t === 'codeServer' ? ['codeServer', 'editorNode'] : [t]));
  return [...new Set(expanded)].flatMap((tool) => {
    const p = TOOL_PATHS[tool]();
    return p === undefined ? [] : [{ tool, path: p, available: isExecutable(p) }];
  });
}

/** A message naming the missing tools and how to install them, or undefined when all are there. */
export function missingToolsMessage(tools?: Tool[]): string | undefined {
  const missing = toolStatus(tools).filter((s) => !s.available);
  if (missing.length === 0) return undefined;
  const forEditor = missing.some((m) => m.tool === 'codeServer' || m.tool === 'editorNode') ? ` for ${editorLabel()}` : '';
  return `missing test tools${forEditor}: ${missing.map((m) => `${m.tool} (${m.path})`).join(', ')}; ${SETUP_HINT}`;
}

/** Throws when any of `tools` is missing, with the setup hint. */
export function requireTools(...tools: Tool[]): void {
  const message = missingToolsMessage(tools.length ? tools : undefined);
  if (message) throw new Error(message);
}
