/**
 * Account ids of profiles: read from the profile when it states one, otherwise looked up with
 * GetCallerIdentity (which needs no IAM permission) — lazily, a few at a time, and cached per
 * profile fingerprint. A background lookup never prompts for MFA, never needs an SSO login and never
 * runs credential_process: such profiles wait until the user acts on them.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createLimiter, type Limiter } from '../core/limit';
import type { AwsProfile } from '../core/profiles';
import { CHECK_TIMEOUTS, type ClientFactory, type MfaCodeProvider } from './clients';
import { explainError } from './errors';

export type AccountState =
  | { readonly status: 'known'; readonly accountId: string; readonly arn?: string; readonly source: 'profile' | 'sts' }
  | { readonly status: 'pending' }
  | { readonly status: 'error'; readonly reason: string; readonly hint: string }
  /** Not looked up in the background because resolving would prompt or run something. */
  | { readonly status: 'deferred'; readonly reason: string };

export interface LookupOptions {
  /** True when the user asked for this profile: MFA prompts, SSO and credential_process are allowed. */
  readonly interactive: boolean;
  readonly mfaCodeProvider?: MfaCodeProvider;
}

const REFUSE_MFA: MfaCodeProvider = async (serial) => {
  throw new Error(`background lookup does not ask for MFA codes (${serial})`);
};

export class AccountResolver {
  private readonly cache = new Map<string, { fingerprint: string; state: AccountState }>();
  private readonly inflight = new Map<string, Promise<AccountState>>();
  private readonly limit: Limiter;
  private readonly listeners = new Set<(profile: string) => void>();
  /** How many GetCallerIdentity calls were started (for tests and the benchmark). */
  lookups = 0;

  constructor(
    private readonly clients: ClientFactory,
    private readonly defaultRegion: () => string,
    concurrency = 4,
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
    if (this.inflight.has(profile.name)) {
      return { status: 'pending' };
    }
    return undefined;
  }

  /** Forgets every looked-up id (explicit refresh). */
  clear(): void {
    this.cache.clear();
  }

  /**
   * The account id of a profile: from the profile, the cache, or GetCallerIdentity. Errors become an
   * `error` state (never thrown), so a failing profile never breaks the tree.
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
        reason: `not looked up automatically: this profile ${profile.interactiveReason ?? 'may prompt'}`,
      };
      return state;
    }
    if (profile.kind === 'none') {
      return { status: 'error', reason: 'the profile has no credentials', hint: 'Add keys, a role or SSO settings to it.' };
    }
    const running = this.inflight.get(profile.name);
    if (running) {
      return running;
    }
    const task = this.limit(() => this.callSts(profile, opts)).then((state) => {
      this.cache.set(profile.name, { fingerprint: profile.fingerprint, state });
      this.inflight.delete(profile.name);
      this.emit(profile.name);
      return state;
    });
    this.inflight.set(profile.name, task);
    this.emit(profile.name);
    return task;
  }

  /** Records an account id learnt elsewhere (e.g. during assume role), so no second call is made. */
  remember(profile: AwsProfile, accountId: string, arn?: string): void {
    this.cache.set(profile.name, { fingerprint: profile.fingerprint, state: { status: 'known', accountId, arn, source: 'sts' } });
    this.emit(profile.name);
  }

  private async callSts(profile: AwsProfile, opts: LookupOptions): Promise<AccountState> {
    const region = profile.region ?? this.defaultRegion();
    this.lookups++;
    try {
      const creds = this.clients.credentialsFor(profile, region, opts.interactive && opts.mfaCodeProvider ? opts.mfaCodeProvider : REFUSE_MFA);
      const sts = this.clients.sts(profile, creds, { profile: profile.name, region }, opts.interactive ? undefined : CHECK_TIMEOUTS);
      try {
        const out = await sts.send(new GetCallerIdentityCommand({}));
        if (!out.Account) {
          return { status: 'error', reason: 'GetCallerIdentity returned no account', hint: 'Check the endpoint.' };
        }
        return { status: 'known', accountId: out.Account, arn: out.Arn, source: 'sts' };
      } finally {
        sts.destroy();
      }
    } catch (e) {
      const x = explainError(e, { operation: 'GetCallerIdentity', profile: profile.name, endpoint: this.clients.endpointFor(profile, 'sts') });
      return { status: 'error', reason: x.message, hint: x.hint };
    }
  }

  private emit(profile: string): void {
    for (const l of this.listeners) {
      l(profile);
    }
  }
}
