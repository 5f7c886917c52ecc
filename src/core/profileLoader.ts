/**
 * Reads the AWS config and credentials files from disk and builds the profile set. A missing file is
 * normal (no problem reported); an unreadable one is reported with its path. Re-reads a file only
 * when its size or modification time changed. No `vscode`, no AWS SDK.
 */
import { promises as fs } from 'node:fs';
import { parseAwsFiles, type AwsFileKind, type IniProblem, type SourceFile } from './awsIni';
import { resolveAwsFilePaths } from './awsFilePaths';
import { buildProfileSet, type ProfileSet } from './profiles';

export interface LoadedProfiles extends ProfileSet {
  readonly configPath: string;
  readonly credentialsPath: string;
  /** Which of the two files exist. */
  readonly found: { readonly config: boolean; readonly credentials: boolean };
}

interface CachedFile {
  readonly mtimeMs: number;
  readonly size: number;
  readonly text: string;
}

export class ProfileLoader {
  private readonly cache = new Map<string, CachedFile>();

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
    const parsed = parseAwsFiles({ config: c, credentials: k });
    const set = buildProfileSet(parsed);
    return {
      ...set,
      problems: [...problems, ...set.problems],
      configPath: config,
      credentialsPath: credentials,
      found: { config: c !== undefined, credentials: k !== undefined },
    };
  }

  private async read(path: string, kind: AwsFileKind, problems: IniProblem[]): Promise<SourceFile | undefined> {
    try {
      const st = await fs.stat(path);
      if (!st.isFile()) {
        problems.push({ file: path, line: 1, severity: 'error', message: `${path} is not a file; the AWS ${kind} file must be a regular file.` });
        return undefined;
      }
      const hit = this.cache.get(path);
      if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
        return { path, kind, text: hit.text };
      }
      const text = await fs.readFile(path, 'utf8');
      this.cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, text });
      return { path, kind, text };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        this.cache.delete(path);
        return undefined;
      }
      problems.push({ file: path, line: 1, severity: 'error', message: `Could not read the AWS ${kind} file (${code ?? 'error'}); check its permissions.` });
      return undefined;
    }
  }
}
