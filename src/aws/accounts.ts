/**
 * Account ids of profiles: read from the profile when it states one, otherwise looked up with
 * GetCallerIdentity (which needs no IAM permission) — lazily, a few at a time, and cached per
 * profile fingerprint. A background lookup never prompts for MFA, never needs an SSO login and never
 * runs credential_process: such profiles wait until the user acts on them.
 */
import * as l10n from '@vscode/l10n';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { createLimiter, type Limiter } from '../core/limit';
import type { AwsProfile } from '../core/profiles';
import { type ClientFactory, type MfaCodeProvider } from './clients';
import { explainError, TenDlcError } from './errors';

/** Who the credentials that are about to write really are, and whether the profile says otherwise. */
export interface WriterIdentity {
  readonly accountId: string;
  readonly arn?: string;
  /** The account the profile declares (aws_account_id, sso_account_id or its role_arn), if any. */
  readonly declared?: string;
  readonly declaredSource?: string;
  /** True when the profile declares an account and the credentials belong to another. */
  readonly mismatch: boolean;
}

/** A profile whose declared account is not the account its credentials act in. */
export interface AccountMismatch {
  readonly declared: string;
  readonly declaredSource?: string;
  readonly actual: string;
}

export type AccountState =
  | { readonly status: 'known'; readonly accountId: string; readonly arn?: string; readonly source: 'profile' | 'sts' }
  | { readonly status: 'pending' }
  | { readonly status: 'error'; readonly reason: string; readonly hint: string; readonly cancelled?: boolean }
  /** Not looked up in the background because resolving would prompt or run something. */
  | { readonly status: 'deferred'; readonly reason: string };

export interface LookupOptions {
  /** True when the user asked for this profile: MFA prompts, SSO and credential_process are allowed. */
  readonly interactive: boolean;
  readonly mfaCodeProvider?: MfaCodeProvider;
  /** Cancels the lookup (the state then says it was cancelled, and is not cached). */
  readonly signal?: AbortSignal;
}

const REFUSE_MFA: MfaCodeProvider = async (serial) => {
  throw new Error(`background lookup does not ask for MFA codes (${serial})`);
};

/** One GetCallerIdentity call shared by every caller that asks for the same profile meanwhile. */
interface Lookup {
  readonly promise: Promise<AccountState>;
  /** Aborts the call; fired when every caller that waits with a signal has cancelled, and none waits without one. */
  readonly controller: AbortController;
  /** Callers waiting with a signal that has not fired. */
  cancellable: number;
  /** A caller waits without a signal (e.g. the background refresh): the call is never aborted. */
  pinned: boolean;
  /** The call has left the queue (a queued background lookup may wait behind many others). */
  started: boolean;
}

const CANCELLED: AccountState = { status: 'error', reason: l10n.t('GetCallerIdentity was cancelled.'), hint: l10n.t('Run the command again when ready.'), cancelled: true };

export class AccountResolver {
  private readonly cache = new Map<string, { fingerprint: string; state: AccountState }>();
  /** Keyed by profile name and fingerprint, so a changed profile never joins a lookup of its old settings. */
  private readonly inflight = new Map<string, Lookup>();
  private readonly limit: Limiter;
  private readonly listeners = new Set<(profile: string) => void>();
  /** Bumped by clear(): a lookup started before it does not write its answer into the fresh cache. */
  private generation = 0;
  /** How many GetCallerIdentity calls were started (for tests and the benchmark). */
  lookups = 0;
  /** Profiles whose declared account was found wrong by verifyWriter, keyed by name (with the fingerprint seen). */
  private readonly mismatches = new Map<string, { fingerprint: string; mismatch: AccountMismatch }>();

  constructor(
    private readonly clients: ClientFactory,
    private readonly defaultRegion: () => string,
    concurrency = 16,
  ) {
    this.limit = createLimiter(concurrency);
  }

  /** Called with a profile name whenever its state changes. */
  onDidChange(listener: (profile: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The state known now, without starting anything. */
  peek(profile: AwsProfile): AccountState | undefined {
    if (profile.declaredAccountId) {
      return { status: 'known', accountId: profile.declaredAccountId, source: 'profile' };
    }
    const hit = this.cache.get(profile.name);
    if (hit && hit.fingerprint === profile.fingerprint) {
      return hit.state;
    }
    const running = this.inflight.get(inflightKey(profile));
    if (running && !running.controller.signal.aborted) {
      return { status: 'pending' };
    }
    return undefined;
  }

  /** Forgets every looked-up id (explicit refresh). */
  clear(): void {
    this.cache.clear();
    this.generation++;
  }

  /**
   * The account id of a profile: from the profile, the cache, or GetCallerIdentity. Errors become an
   * `error` state (never thrown), so a failing profile never breaks the tree. A lookup already running
   * for the profile is joined, not repeated. `opts.signal` cancels this caller's wait (an `error`
   * state saying so, not cached) and the call itself once no other caller waits for it.
   */
  async resolve(profile: AwsProfile, opts: LookupOptions): Promise<AccountState> {
    const known = this.peek(profile);
    if (known && known.status === 'known') {
      return known;
    }
    if (known && known.status !== 'pending' && !opts.interactive) {
      return known;
    }
    if (!opts.interactive && profile.interactive) {
      const state: AccountState = {
        status: 'deferred',
        reason: profile.interactiveReason ? l10n.t('not looked up automatically: this profile {0}', profile.interactiveReason) : l10n.t('not looked up automatically: this profile may prompt'),
      };
      return state;
    }
    if (!opts.interactive && profile.problems.length > 0) {
      // The SDK cannot get its credentials (see the profile's problem): a background call would only fail.
      return { status: 'error', reason: l10n.t('not looked up: {0}', profile.problems[0]), hint: l10n.t('Fix the profile in the AWS file (it is listed under Problems); the account is looked up after the next refresh.') };
    }
    if (profile.kind === 'none') {
      return { status: 'error', reason: l10n.t('the profile has no credentials'), hint: l10n.t('Add keys, a role or SSO settings to it.') };
    }
    if (opts.signal?.aborted) {
      return CANCELLED;
    }
    const key = inflightKey(profile);
    let lookup = this.inflight.get(key);
    // The user is waiting: join a lookup that is running (its wait is theirs to cancel), but never one that is
    // still queued behind background lookups; start now instead, outside the queue.
    if (!lookup || lookup.controller.signal.aborted || (opts.interactive && !lookup.started)) {
      lookup = this.start(profile, opts, key, !opts.interactive);
    }
    return this.wait(lookup, opts.signal);
  }

  /**
   * Before a write: GetCallerIdentity with the very credentials that will write, so the account the
   * confirmation names is the one that gets written to. A declared account that disagrees is recorded
   * (the tree shows it on the profile) and returned as a mismatch. Errors are thrown: a write must not
   * go ahead when it is not known where it would land.
   */
  async verifyWriter(profile: AwsProfile, credentials: AwsCredentialIdentityProvider, region: string, signal?: AbortSignal): Promise<WriterIdentity> {
    const sts = this.clients.sts(profile, credentials, { profile: profile.name, account: profile.declaredAccountId, region });
    try {
      const out = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
      if (!out.Account) {
        throw new TenDlcError('unknown', l10n.t('GetCallerIdentity with profile "{0}" returned no account.', profile.name), l10n.t('Check the endpoint of the profile.'));
      }
      const declared = profile.declaredAccountId;
      const mismatch = declared !== undefined && declared !== out.Account;
      if (mismatch) {
        this.mismatches.set(profile.name, { fingerprint: profile.fingerprint, mismatch: { declared, declaredSource: profile.declaredAccountSource, actual: out.Account } });
      } else {
        this.mismatches.delete(profile.name);
      }
      this.emit(profile.name);
      return { accountId: out.Account, arn: out.Arn, declared, declaredSource: profile.declaredAccountSource, mismatch };
    } finally {
      sts.destroy();
    }
  }

  /** The mismatch verifyWriter found for this profile (as it is now), if any. */
  mismatchOf(profile: AwsProfile): AccountMismatch | undefined {
    const m = this.mismatches.get(profile.name);
    return m && m.fingerprint === profile.fingerprint ? m.mismatch : undefined;
  }

  /** Records an account id learnt elsewhere (e.g. during assume role), so no second call is made. */
  remember(profile: AwsProfile, accountId: string, arn?: string): void {
    this.cache.set(profile.name, { fingerprint: profile.fingerprint, state: { status: 'known', accountId, arn, source: 'sts' } });
    this.emit(profile.name);
  }

  /**
   * Starts a lookup, queued behind the concurrency limit (background) or at once (the user asked); it always
   * settles with a state, never rejects. A queued lookup whose profile got an answer while it waited (an
   * interactive lookup overtook it) uses that answer.
   */
  private start(profile: AwsProfile, opts: LookupOptions, key: string, queued: boolean): Lookup {
    const controller = new AbortController();
    const generation = this.generation;
    const lookup: { -readonly [K in keyof Lookup]: Lookup[K] } = { promise: Promise.resolve(CANCELLED), controller, cancellable: 0, pinned: false, started: false };
    const cachedAtStart = this.cache.get(profile.name);
    const run = async (): Promise<AccountState> => {
      lookup.started = true;
      if (queued) {
        // Each background lookup starts in a task of its own: started back to back (a page of the tree, or the next
        // one as each answer frees a slot) their client work chained without a break and held the extension host's
        // thread for 100-300 ms at a time (BENCHMARKS.md, issue 13, point 8).
        await new Promise((r) => setImmediate(r));
      }
      if (controller.signal.aborted) {
        return CANCELLED;
      }
      const answered = this.cache.get(profile.name);
      if (queued && answered && answered !== cachedAtStart && answered.fingerprint === profile.fingerprint && generation === this.generation) {
        return answered.state;
      }
      return this.callSts(profile, opts, controller.signal);
    };
    lookup.promise = (queued ? this.limit(run) : run())
      .catch((e: unknown) => this.errorState(e, profile, controller.signal))
      .then((state) => {
        if (this.inflight.get(key) === lookup) {
          this.inflight.delete(key);
        }
        if (!controller.signal.aborted && generation === this.generation) {
          this.cache.set(profile.name, { fingerprint: profile.fingerprint, state });
        }
        this.emit(profile.name);
        return state;
      });
    this.inflight.set(key, lookup);
    this.emit(profile.name);
    return lookup;
  }

  /** Waits for a lookup on behalf of one caller; that caller's signal ends its wait at once. */
  private wait(lookup: Lookup, signal: AbortSignal | undefined): Promise<AccountState> {
    if (!signal) {
      lookup.pinned = true;
      return lookup.promise;
    }
    lookup.cancellable++;
    return new Promise<AccountState>((resolve) => {
      const onAbort = (): void => {
        lookup.cancellable--;
        if (lookup.cancellable === 0 && !lookup.pinned) {
          lookup.controller.abort();
        }
        resolve(CANCELLED);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void lookup.promise.then((state) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) {
          lookup.cancellable--;
        }
        resolve(state);
      });
    });
  }

  private async callSts(profile: AwsProfile, opts: LookupOptions, signal: AbortSignal): Promise<AccountState> {
    this.lookups++;
    try {
      const region = this.clients.regionOf(profile) ?? this.defaultRegion();
      const timeouts = opts.interactive ? undefined : this.clients.checkTimeouts;
      const creds = this.clients.credentialsFor(profile, region, opts.interactive && opts.mfaCodeProvider ? opts.mfaCodeProvider : REFUSE_MFA, { signal, timeouts });
      const sts = this.clients.sts(profile, creds, { profile: profile.name, region }, timeouts);
      try {
        const out = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
        if (!out.Account) {
          return { status: 'error', reason: l10n.t('GetCallerIdentity returned no account'), hint: l10n.t('Check the endpoint.') };
        }
        return { status: 'known', accountId: out.Account, arn: out.Arn, source: 'sts' };
      } finally {
        sts.destroy();
      }
    } catch (e) {
      return this.errorState(e, profile, signal);
    }
  }

  private errorState(e: unknown, profile: AwsProfile, signal: AbortSignal): AccountState {
    if (signal.aborted) {
      return CANCELLED;
    }
    const x = explainError(e, { operation: 'GetCallerIdentity', profile: profile.name, endpoint: this.clients.endpointFor(profile, 'sts') });
    // Kept in the tree (description, tooltip) long after: redacted now, like every other exit.
    return { status: 'error', reason: this.clients.redact(x.message), hint: this.clients.redact(x.hint) };
  }

  private emit(profile: string): void {
    for (const l of this.listeners) {
      l(profile);
    }
  }
}

function inflightKey(profile: AwsProfile): string {
  return `${profile.name}\u0000${profile.fingerprint}`;
}
