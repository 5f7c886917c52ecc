/**
 * Reads the AWS config and credentials files from disk and builds the profile set. A missing file is
 * normal (no problem reported); anything else that keeps a file from being read is reported with its path, in
 * words for that cause (permissions, a directory, a symbolic-link loop, a FIFO or device, a path too long, too many
 * open files, a file too big, one not saved as UTF-8). Re-reads a file only when its size or modification time
 * changed, and parses again only when a text changed: a refresh with unchanged files costs two `stat` calls,
 * whatever their size. No `vscode`, no AWS SDK.
 */
import * as l10n from '@vscode/l10n';
import { constants as fsConstants, promises as fs, type Stats } from 'node:fs';
import * as os from 'node:os';
import { decodeAwsFile } from './awsFileText';
import { parseAwsFiles, type AwsFileKind, type IniProblem, type IniSection, type ParsedAwsFiles, type SourceFile } from './awsIni';
import { resolveAwsFilePaths } from './awsFilePaths';
import { buildProfileSet, type ProfileSet } from './profiles';

/**
 * AWS files larger than this are refused before they are read (stat first; the read itself stops here too, in case
 * the file grows meanwhile). The largest real files are written by SSO tools (`aws configure sso`, aws-sso-util,
 * Granted, aws-vault), one profile per account and role at 150-250 bytes each: 10 MB is some 50,000 profiles, e.g.
 * 10,000 accounts with five roles each, beyond the largest AWS organisations on record. The benchmark's 10,000
 * profiles are 1.5 MB and load in about 0.1 s; 10 MB (66,000 profiles) in 1-2.5 s on its 2-core machine (BENCHMARKS.md,
 * point 7). A bigger file is not a config (a log, a binary, a sparse file, a mistyped path), and reading it would
 * stall the extension host and hold its size in memory several times over.
 */
export const MAX_AWS_FILE_BYTES = 10 * 1024 * 1024;

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
  /** Where the file is not UTF-8 (reported again on every load, as every read problem is). */
  readonly invalid?: Invalid;
}

interface Invalid {
  readonly line: number;
  readonly column: number;
  readonly lines: ReadonlySet<number>;
  readonly message: string;
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
  /** Set by the first sections() call: from then on every parse is kept for it. */
  private keepSections = false;
  /** The profile sections of the last parse, with the texts they were parsed from. */
  private lastSections?: { readonly config: string | undefined; readonly credentials: string | undefined; readonly profiles: ReadonlyMap<string, IniSection> };

  constructor(
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly homedir: string,
    /** The size limit (a test may lower it). */
    private readonly maxBytes = MAX_AWS_FILE_BYTES,
  ) {}

  /** The two paths, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
  paths(): { config: string; credentials: string } {
    return resolveAwsFilePaths(this.env, this.homedir);
  }

  /**
   * The merged profile sections of the files as they are now, with every property (secret values included): what
   * the AWS layer resolves credentials from. They come from the same read and the same parse as load(), so the
   * extension parses the files once per change for the tree and for every credential lookup (the SDK's own loader
   * parses both files on every call). Nothing is kept until the first call: a loader whose caller never resolves
   * credentials does not hold the secrets in memory.
   */
  async sections(): Promise<ReadonlyMap<string, IniSection>> {
    this.keepSections = true;
    await this.load();
    return this.lastSections?.profiles ?? new Map<string, IniSection>();
  }

  async load(): Promise<LoadedProfiles> {
    const { config, credentials } = this.paths();
    const problems: IniProblem[] = [];
    const [c, k] = await Promise.all([this.read(config, 'config', problems), this.read(credentials, 'credentials', problems)]);
    // Lines with bytes that are not UTF-8 are covered by the file's one encoding problem; the parser's problems there
    // (the bytes read as U+FFFD) would only repeat it.
    const unreadable = (p: IniProblem): boolean => (p.file === config && c?.badLines?.has(p.line) === true) || (p.file === credentials && k?.badLines?.has(p.line) === true);
    const last = this.last;
    // The result depends only on the two paths and texts. Unchanged files give back the very same texts from the
    // cache (so `===` is a pointer comparison); a read problem is never cached, so it is reported every time.
    const keep = (parsed: ParsedAwsFiles): void => {
      if (this.keepSections) {
        this.lastSections = { config: c?.text, credentials: k?.text, profiles: parsed.profiles };
      }
    };
    if (
      last &&
      problems.length === 0 &&
      last.configPath === config &&
      last.credentialsPath === credentials &&
      last.config === c?.text &&
      last.credentials === k?.text
    ) {
      // Parsed before sections() was first asked for: once, now.
      if (this.keepSections && (this.lastSections?.config !== c?.text || this.lastSections?.credentials !== k?.text)) {
        keep(parseAwsFiles({ config: c, credentials: k }));
      }
      return last.loaded;
    }
    const parsed = parseAwsFiles({ config: c, credentials: k });
    keep(parsed);
    const set = buildProfileSet(parsed);
    const loaded: LoadedProfiles = {
      ...set,
      problems: [...problems, ...(c?.badLines || k?.badLines ? set.problems.filter((p) => !unreadable(p)) : set.problems)],
      configPath: config,
      credentialsPath: credentials,
      found: { config: c !== undefined, credentials: k !== undefined },
    };
    this.last = problems.length === 0 ? { configPath: config, credentialsPath: credentials, config: c?.text, credentials: k?.text, loaded } : undefined;
    return loaded;
  }

  private async read(path: string, kind: AwsFileKind, problems: IniProblem[]): Promise<ReadFile | undefined> {
    const envVar = kind === 'config' ? 'AWS_CONFIG_FILE' : 'AWS_SHARED_CREDENTIALS_FILE';
    const what = this.env[envVar]?.trim() ? l10n.t('The AWS {0} file (set by {1})', kind, envVar) : l10n.t('The AWS {0} file', kind);
    const problem = (message: string, severity: IniProblem['severity'] = 'error', line = 1, column?: number): undefined => {
      problems.push(column === undefined ? { file: path, line, severity, message } : { file: path, line, column, severity, message });
      return undefined;
    };
    try {
      const hit = this.cache.get(path);
      if (hit) {
        // Read before: one stat tells whether it changed.
        const st = await fs.stat(path);
        if (st.isFile() && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
          if (hit.invalid) problem(`${what} ${hit.invalid.message}`, 'error', hit.invalid.line, hit.invalid.column);
          return { path, kind, text: hit.text, badLines: hit.invalid?.lines };
        }
        this.cache.delete(path);
      }
      const got = await this.readFresh(path);
      switch (got.kind) {
        case 'text':
          if (got.invalid) problem(`${what} ${got.invalid.message}`, 'error', got.invalid.line, got.invalid.column);
          return { path, kind, text: got.text, badLines: got.invalid?.lines };
        case 'empty':
          return { path, kind, text: '' };
        case 'too-big':
          return problem(
            got.read
              ? l10n.t('{0} has more than {1} (found while reading it: it grew, or its size is not known in advance), more than an AWS file can reasonably be (the limit is {1}), so it is not read. Check that {2} names the right file, or move what is not profiles out of it.', what, megabytes(this.maxBytes), envVar)
              : l10n.t('{0} is {1}, more than an AWS file can reasonably be (the limit is {2}), so it is not read. Check that {3} names the right file, or move what is not profiles out of it.', what, megabytes(got.bytes), megabytes(this.maxBytes), envVar),
          );
        case 'not-utf8':
          return problem(`${what} ${got.message}`);
        case 'special':
          return problem(l10n.t('{0} is {1}, not a regular file, so it is not read{2}. Point {3} at the file itself.', what, got.what, got.why, envVar));
      }
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const code = err.code ?? 'error';
      switch (code) {
        case 'ENOENT': {
          this.cache.delete(path);
          const target = await fs.readlink(path).catch(() => undefined);
          if (target !== undefined) {
            return problem(l10n.t('{0} is a symbolic link to {1}, which does not exist; the AWS tools treat the file as missing. Fix or remove the link.', what, JSON.stringify(target)), 'warning');
          }
          return undefined; // no file: normal (no profiles from it)
        }
        case 'ENOTDIR':
          this.cache.delete(path);
          return problem(l10n.t('{0} cannot exist at this path: a part of it is a file, not a folder, so the AWS tools treat it as missing. Check {1}.', what, envVar), 'warning');
        case 'EACCES':
        case 'EPERM':
          return problem(l10n.t('{0} cannot be read: permission denied ({1}). Make it readable by your user (e.g. chmod 600 on it, and check the folder above), then refresh.', what, code));
        case 'EISDIR':
          return problem(l10n.t('{0} is a directory, not a file, so it is not read. Point {1} at the file itself.', what, envVar));
        case 'ELOOP':
          return problem(l10n.t('{0} cannot be opened: it is a symbolic link that loops back on itself (ELOOP). Fix or remove the link.', what));
        case 'ENAMETOOLONG':
          return problem(l10n.t('{0} cannot be opened: its path ({1} characters) is longer than the file system allows (ENAMETOOLONG). Check {2}.', what, path.length, envVar));
        case 'EMFILE':
        case 'ENFILE':
          return problem(
            code === 'EMFILE'
              ? l10n.t('{0} could not be opened because too many files are open ({1}: this editor\'s limit). Close some editors or programs, then refresh.', what, code)
              : l10n.t('{0} could not be opened because too many files are open ({1}: the system\'s limit). Close some editors or programs, then refresh.', what, code),
          );
        case 'ENXIO':
          return problem(l10n.t('{0} is a socket or a device with nothing behind it (ENXIO), not a regular file, so it is not read. Point {1} at the file itself.', what, envVar));
        case 'EIO':
          return problem(l10n.t('{0} could not be read: the disk or network share returned an input/output error (EIO). Check the drive, then refresh.', what));
        default:
          return problem(err.syscall ? l10n.t('{0} could not be read ({1} in {2}). Check that the file exists and is readable, then refresh.', what, code, err.syscall) : l10n.t('{0} could not be read ({1}). Check that the file exists and is readable, then refresh.', what, code));
      }
    }
  }

  /**
   * The text of a regular file, cached with the size and mtime read before it; or why there is none. One open,
   * fstat, read and close, as many system calls as `fs.readFile` alone: a separate `stat` first made the first load
   * of small files a third slower than the SDK's own loader (test/bench). The open is non-blocking, so a FIFO cannot
   * hang it, and nothing is read before fstat said it is a regular file of at most the size limit.
   */
  private async readFresh(path: string): Promise<Fresh> {
    const fh = await fs.open(path, OPEN_FLAGS);
    try {
      const st = await fh.stat();
      if (!st.isFile()) {
        return (await isDevNull(st)) ? { kind: 'empty' } : special(st);
      }
      if (st.size > this.maxBytes) {
        return { kind: 'too-big', bytes: st.size, read: false };
      }
      // Up to the size fstat gave (as fs.readFile does); a file that grows meanwhile is read again next time, since
      // its size or mtime then differs from the cached ones. Size 0 (some virtual files say so): read to the end,
      // but never past the limit.
      const cap = this.maxBytes + 1;
      let buf = Buffer.allocUnsafe(st.size > 0 ? st.size : Math.min(64 * 1024, cap));
      let n = 0;
      while (st.size === 0 || n < st.size) {
        if (n === buf.length) {
          if (buf.length >= cap) break;
          const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, cap));
          buf.copy(bigger, 0, 0, n);
          buf = bigger;
        }
        const { bytesRead } = await fh.read(buf, n, buf.length - n, null);
        if (bytesRead === 0) {
          break;
        }
        n += bytesRead;
      }
      if (n > this.maxBytes) {
        return { kind: 'too-big', bytes: n, read: true };
      }
      const decoded = decodeAwsFile(buf.subarray(0, n));
      if (!decoded.ok) {
        return { kind: 'not-utf8', message: decoded.message };
      }
      this.cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, text: decoded.text, invalid: decoded.invalid });
      return { kind: 'text', text: decoded.text, invalid: decoded.invalid };
    } finally {
      // Not awaited: the text is ready, and each await here is a turn of a busy event loop at startup.
      fh.close().catch(() => undefined);
    }
  }
}

/** A file as read: its text, and the lines whose bytes are not UTF-8 (their parse problems are not repeated). */
interface ReadFile extends SourceFile {
  readonly badLines?: ReadonlySet<number>;
}

type Fresh =
  | { kind: 'text'; text: string; invalid?: Invalid }
  | { kind: 'empty' }
  /** `read`: found while reading, past what fstat said. */
  | { kind: 'too-big'; bytes: number; read: boolean }
  | { kind: 'not-utf8'; message: string }
  | { kind: 'special'; what: string; why: string };

function special(st: Stats): Fresh {
  if (st.isDirectory()) return { kind: 'special', what: l10n.t('a directory'), why: '' };
  if (st.isFIFO()) return { kind: 'special', what: l10n.t('a named pipe (FIFO)'), why: l10n.t(' (reading it could wait for a writer forever)') };
  if (st.isCharacterDevice()) return { kind: 'special', what: l10n.t('a character device'), why: l10n.t(' (a device such as /dev/zero or /dev/random never ends)') };
  if (st.isBlockDevice()) return { kind: 'special', what: l10n.t('a block device'), why: '' };
  if (st.isSocket()) return { kind: 'special', what: l10n.t('a socket'), why: '' };
  return { kind: 'special', what: l10n.t('not a regular file'), why: '' };
}

let devNull: Promise<Stats | undefined> | undefined;

/** `AWS_CONFIG_FILE=/dev/null` (or a link to it) is how people say "no config file": an empty file, as the AWS CLI reads it. */
async function isDevNull(st: Stats): Promise<boolean> {
  if (!st.isCharacterDevice()) return false;
  devNull ??= fs.stat(os.devNull).catch(() => undefined);
  const dn = await devNull;
  return dn !== undefined && dn.rdev === st.rdev && dn.dev === st.dev && dn.ino === st.ino;
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 100 || Number.isInteger(mb) ? `${Math.round(mb).toLocaleString('en-US')} MB` : mb >= 0.1 ? `${mb.toFixed(1)} MB` : `${bytes.toLocaleString('en-US')} bytes`;
}
