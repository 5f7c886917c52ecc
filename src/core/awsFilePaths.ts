import * as path from 'path';

/**
 * Where the AWS shared config and credentials files are, by the same rules the AWS SDK for JavaScript uses:
 * `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` when set (non-empty), with a leading `~`, `~/` or `~\`
 * expanded to the home directory; otherwise `<home>/.aws/config` and `<home>/.aws/credentials`.
 *
 * The home directory is `HOME`, then `USERPROFILE`, then `HOMEDRIVE` + `HOMEPATH` (`HOMEDRIVE` defaulting to
 * `C:\` as in the SDK), then `homedir` (pass `os.homedir()`). Pure: reads nothing but its arguments.
 */
export function resolveAwsFilePaths(
  env: Record<string, string | undefined>,
  homedir: string,
): { config: string; credentials: string } {
  const home = resolveHomeDir(env, homedir);
  return {
    config: expandHome(nonEmpty(env.AWS_CONFIG_FILE) ?? path.join(home, '.aws', 'config'), home),
    credentials: expandHome(nonEmpty(env.AWS_SHARED_CREDENTIALS_FILE) ?? path.join(home, '.aws', 'credentials'), home),
  };
}

/** The home directory by the SDK's rules (see {@link resolveAwsFilePaths}). */
export function resolveHomeDir(env: Record<string, string | undefined>, homedir: string): string {
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE);
  if (home) return home;
  const homePath = nonEmpty(env.HOMEPATH);
  if (homePath) return `${nonEmpty(env.HOMEDRIVE) ?? 'C:\\'}${homePath}`;
  return homedir;
}

function expandHome(file: string, home: string): string {
  if (file === '~') return home;
  // `~user/...` is not expanded by the SDK either; only the current user's home.
  if (file.startsWith('~/') || file.startsWith('~\\')) return path.join(home, file.slice(2));
  return file;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
