/**
 * Reads the AWS config and credentials files from disk and builds the profile set. A missing file is
 * normal (no problem reported); an unreadable one is reported with its path. Re-reads a file only
 * when its size or modification time changed, and parses again only when a text changed: a refresh
 * with unchanged files costs two `stat` calls, whatever their size. No `vscode`, no AWS SDK.
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import { parseAwsFiles, type AwsFileKind, type IniProblem, type SourceFile } from './awsIni';
import { resolveAwsFilePaths } from './awsFilePaths';
import { buildProfileSet, type ProfileSet } from './profiles';

export interface LoadedProfiles extends ProfileSet {
  readonly configPath: string;
  readonly credentialsPath: string;
  /** Which of the two files exist. */
  readonly found: { readonly config: boolean; readonly credentials: boolean };
}

/**
 * Non-blocking, so a FIFO put in place of the file cannot hang the open (it is then refused as not a file). On
 * Windows there is no such flag, and no FIFO at a path either.
 */
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

interface CachedFile {
  readonly mtimeMs: number;
  readonly size: number;
  readonly text: string;
}

/** The last result and the texts it was built from (`undefined`: that file was missing). */
interface LastLoad {
  readonly configPath: string;
  readonly credentialsPath: string;
  readonly config: string | undefined;
  readonly credentials: string | undefined;
  readonly loaded: LoadedProfiles;
}

export class ProfileLoader {
  private readonly cache = new Map<string, CachedFile>();
  private last?: LastLoad;

  constructor(
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly homedir: string,
  ) {}

  /** The two paths, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
  paths(): { config: string; credentials: string } {
    return resolveAwsFilePaths(this.env, this.homedir);
  }

  async load(): Promise<LoadedProfiles> {
    const { config, credentials } = this.paths();
    const problems: IniProblem[] = [];
    const [c, k] = await Promise.all([this.read(config, 'config', problems), this.read(credentials, 'credentials', problems)]);
    const last = this.last;
    // The result depends only on the two paths and texts. Unchanged files give back the very same texts from the
    // cache (so `===` is a pointer comparison); a read problem is never cached, so it is reported every time.
    if (
      last &&
      problems.length === 0 &&
      last.configPath === config &&
      last.credentialsPath === credentials &&
      last.config === c?.text &&
      last.credentials === k?.text
    ) {
      return last.loaded;
    }
    const parsed = parseAwsFiles({ config: c, credentials: k });
    const set = buildProfileSet(parsed);
    const loaded: LoadedProfiles = {
      ...set,
      problems: [...problems, ...set.problems],
      configPath: config,
      credentialsPath: credentials,
      found: { config: c !== undefined, credentials: k !== undefined },
    };
    this.last = problems.length === 0 ? { configPath: config, credentialsPath: credentials, config: c?.text, credentials: k?.text, loaded } : undefined;
    return loaded;
  }

  private async read(path: string, kind: AwsFileKind, problems: IniProblem[]): Promise<SourceFile | undefined> {
    const notAFile = (): undefined => {
      problems.push({ file: path, line: 1, severity: 'error', message: `${path} is not a file; the AWS ${kind} file must be a regular file.` });
      return undefined;
    };
    try {
      const hit = this.cache.get(path);
      if (hit) {
        // Read before: one stat tells whether it changed.
        const st = await fs.stat(path);
        if (!st.isFile()) {
          return notAFile();
        }
        if (hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
          return { path, kind, text: hit.text };
        }
      }
      const text = await this.readFresh(path);
      return text === undefined ? notAFile() : { path, kind, text };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        this.cache.delete(path);
        return undefined;
      }
      if (code === 'EISDIR' || code === 'ENXIO') {
        return notAFile(); // a directory (Windows), a socket
      }
      problems.push({ file: path, line: 1, severity: 'error', message: `Could not read the AWS ${kind} file (${code ?? 'error'}); check its permissions.` });
      return undefined;
    }
  }

  /**
   * The text of a regular file (undefined for anything else), cached with the size and mtime read before it. One
   * open, fstat, read and close, as many system calls as `fs.readFile` alone: a separate `stat` first made the
   * first load of small files a third slower than the SDK's own loader (test/bench).
   */
  private async readFresh(path: string): Promise<string | undefined> {
    const fh = await fs.open(path, OPEN_FLAGS);
    try {
      const st = await fh.stat();
      if (!st.isFile()) {
        return undefined;
      }
      // Up to the size fstat gave (as fs.readFile does); a file that grows meanwhile is read again next time, since
      // its size or mtime then differs from the cached ones. Size 0 (some virtual files say so): read to the end.
      let buf = Buffer.allocUnsafe(st.size > 0 ? st.size : 64 * 1024);
      let n = 0;
      while (st.size === 0 || n < st.size) {
        if (n === buf.length) {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, n);
          buf = bigger;
        }
        const { bytesRead } = await fh.read(buf, n, buf.length - n, null);
        if (bytesRead === 0) {
          break;
        }
        n += bytesRead;
      }
      const text = buf.toString('utf8', 0, n);
      this.cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, text });
      return text;
    } finally {
      // Not awaited: the text is ready, and each await here is a turn of a busy event loop at startup.
      fh.close().catch(() => undefined);
    }
  }
}
