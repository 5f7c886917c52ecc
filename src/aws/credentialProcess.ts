/**
 * Runs a profile's `credential_process` the way the AWS SDK for JavaScript does (through the shell, as
 * `child_process.exec` does), but bounded and cancellable, which the SDK's `fromProcess` is not: it calls `exec`
 * with no timeout and no signal (credential-provider-process 3.1169), so a hanging program holds the command for ever
 * and outlives a Cancel; and on failure its message quotes the command line and the program's whole stderr.
 *
 * Here the program runs in its own process group, is killed with its children on cancel or at its own timeout, its
 * output is validated against the documented format (Version 1, AccessKeyId, SecretAccessKey, optional SessionToken
 * and Expiration), and a failure shows only the exit status and the first line of stderr, redacted. Neither the
 * command line nor what the program printed on stdout is ever put in a message.
 */
import * as l10n from '@vscode/l10n';
import { spawn } from 'node:child_process';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { redactText } from '../core/redact';
import { TenDlcError } from './errors';
import { seconds } from './http';

export interface ProcessOptions {
  /** How long the program may run, ms. */
  readonly timeoutMs: number;
  /** Kills the program (and its children) when it fires. */
  readonly signal?: AbortSignal;
  /** The process environment the program gets (the extension host's). */
  readonly env?: NodeJS.ProcessEnv;
}

/** At most this much of stdout is kept: the JSON is a few kilobytes at most. */
const MAX_STDOUT = 1024 * 1024;
/** Only the first line of stderr is shown: this much is enough to find it. */
const MAX_STDERR = 16 * 1024;
/** After SIGTERM, a program that has not exited by then gets SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** The first line of stderr is cut to this length in a message. */
const MAX_EXCERPT = 200;

/** Ends the program and everything it started: its process group on POSIX, its process tree on Windows. */
function killTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) {
    return;
  }
  try {
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    } else {
      process.kill(-pid, signal);
    }
  } catch {
    // already gone
  }
}

/** The first non-empty line of a program's stderr, cut short and redacted; '' when there is none. */
export function stderrExcerpt(stderr: string): string {
  // Redacted whole, then cut: a token that straddles the cut would otherwise leave its head behind.
  const line = redactText(stderr.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '');
  return line.length > MAX_EXCERPT ? `${line.slice(0, MAX_EXCERPT)}…` : line;
}

/** Runs `command` for `profile` and returns the credentials it printed; rejects with a message that names the profile. */
export function runCredentialProcess(profile: string, command: string, opts: ProcessOptions): Promise<AwsCredentialIdentity> {
  const who = `credential_process of profile "${profile}"`;
  if (opts.signal?.aborted) {
    return Promise.reject(Object.assign(new Error(`${who} was cancelled.`), { name: 'AbortError' }));
  }
  return new Promise<AwsCredentialIdentity>((resolve, reject) => {
    const child = spawn(command, [], {
      shell: true,
      // Its own process group, so a cancel ends the programs it starts too (aws-vault, a shell pipeline…).
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      killTree(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killTree(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const done = (error: Error | undefined, creds?: AwsCredentialIdentity): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (error) {
        reject(error);
      } else if (creds) {
        resolve(creds);
      }
    };
    const onAbort = (): void => {
      stop();
      done(Object.assign(new Error(`${who} was cancelled.`), { name: 'AbortError' }));
    };
    const timer = setTimeout(() => {
      stop();
      done(
        new TenDlcError(
          'timeout',
          l10n.t('{0} did not finish within {1}; it was stopped.', who, seconds(opts.timeoutMs)),
          l10n.t('Run the command in a terminal to see whether it waits for input (a device touch, a browser login) or hangs, then try again.'),
        ),
      );
    }, opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < MAX_STDOUT) {
        stdout += chunk;
      }
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR) {
        stderr += chunk;
      }
    });
    child.on('error', (e) => {
      done(new TenDlcError('profile', l10n.t('{0} could not be started ({1}).', who, (e as NodeJS.ErrnoException).code ?? l10n.t('error')), l10n.t('Check the credential_process setting of the profile.')));
    });
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      if (settled) {
        return;
      }
      if (code !== 0) {
        const status = code === null ? `was ended by ${signal ?? 'a signal'}` : `exited with status ${code}`;
        const excerpt = stderrExcerpt(stderr);
        done(new TenDlcError('profile', `${who} ${status}${excerpt ? `: ${excerpt}` : '.'}`, l10n.t('Run the command in a terminal to see the whole error, fix what it reports, then try again.')));
        return;
      }
      try {
        done(undefined, parseProcessOutput(who, stdout));
      } catch (e) {
        done(e as Error);
      }
    });
  });
}

/**
 * The credentials in a credential_process's output, as documented ("Sourcing credentials with an external
 * process"): `{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "SessionToken": …, "Expiration": ISO 8601}`.
 * The messages say what is wrong without quoting the output (it holds secrets).
 */
export function parseProcessOutput(who: string, stdout: string): AwsCredentialIdentity {
  const hint = 'The program must print one JSON object: {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…", "Expiration": "…"} (SessionToken and Expiration optional).';
  let data: unknown;
  try {
    data = JSON.parse(stdout.trim());
  } catch {
    throw new TenDlcError('profile', stdout.trim() === '' ? l10n.t('{0} did not print JSON (it printed nothing).', who) : l10n.t('{0} did not print JSON ({1} characters that are not JSON).', who, stdout.trim().length), hint);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TenDlcError('profile', l10n.t('{0} printed JSON that is not an object.', who), hint);
  }
  const o = data as Record<string, unknown>;
  if (o['Version'] !== 1) {
    throw new TenDlcError('profile', l10n.t('{0} printed "Version": {1}; the only version AWS defines is "Version": 1.', who, JSON.stringify(o['Version'] ?? null)), hint);
  }
  const text = (key: string, required: boolean): string | undefined => {
    const v = o[key];
    if (v === undefined && !required) {
      return undefined;
    }
    if (typeof v !== 'string' || v === '') {
      throw new TenDlcError('profile', v === undefined ? l10n.t('{0} printed no {1}.', who, key) : l10n.t('{0} printed no {1} string.', who, key), hint);
    }
    return v;
  };
  const accessKeyId = text('AccessKeyId', true) as string;
  const secretAccessKey = text('SecretAccessKey', true) as string;
  const sessionToken = text('SessionToken', false);
  const expirationText = text('Expiration', false);
  let expiration: Date | undefined;
  if (expirationText !== undefined) {
    expiration = new Date(expirationText);
    if (Number.isNaN(expiration.getTime())) {
      throw new TenDlcError('profile', l10n.t('{0} printed an Expiration that is not an ISO 8601 time.', who), hint);
    }
    if (expiration.getTime() <= Date.now()) {
      throw new TenDlcError('expired', l10n.t('{0} printed credentials that expired at {1}.', who, expiration.toISOString()), l10n.t('Renew them with the tool behind the program (log in again), then try again.'));
    }
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), ...(expiration ? { expiration } : {}) };
}
