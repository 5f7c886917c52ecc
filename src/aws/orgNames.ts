/**
 * Account names from AWS Organizations (`ListAccounts`), shown beside account ids. Only a management
 * account or a delegated administrator may list the accounts, so this tries the user's profiles that
 * need no prompt (no MFA code, SSO login or credential_process), the setup's own first, and keeps the
 * first answer. A refusal (AccessDenied, AWSOrganizationsNotInUseException) or any other failure just
 * means "no names": names are never required, and nothing waits for them.
 */
import * as l10n from '@vscode/l10n';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory, MfaCodeProvider } from './clients';
import { explainError } from './errors';

const REFUSE_MFA: MfaCodeProvider = async (serial) => {
  throw new Error(`background lookup does not ask for MFA codes (${serial})`);
};

/** At most this many profiles are tried until the next clear() (each one call that may be refused). */
export const MAX_PROFILES_TRIED = 8;
const MAX_PAGES = 50;

export type OrgNamesState =
  | { readonly status: 'none' }
  | { readonly status: 'known'; readonly via: string; readonly count: number }
  /** Every profile tried was refused, or had none to try: why, in words. */
  | { readonly status: 'unavailable'; readonly reason: string };

export class OrgAccountNames {
  private names: Record<string, string> = {};
  private stateValue: OrgNamesState = { status: 'none' };
  private running?: Promise<OrgNamesState>;
  private readonly listeners = new Set<() => void>();
  /** Profiles (name and fingerprint) already refused, not tried again until clear(). */
  private readonly refused = new Set<string>();
  private generation = 0;
  private tried = 0;
  /** ListAccounts calls started (for tests). */
  calls = 0;

  constructor(
    private readonly clients: ClientFactory,
    private readonly defaultRegion: () => string,
  ) {}

  /** Names known now, by account id (empty until a lookup succeeded). */
  known(): Readonly<Record<string, string>> {
    return { ...this.names };
  }

  nameOf(accountId: string): string | undefined {
    return this.names[accountId];
  }

  get state(): OrgNamesState {
    return this.stateValue;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Forgets the names and the refusals (explicit refresh). */
  clear(): void {
    this.names = {};
    this.stateValue = { status: 'none' };
    this.refused.clear();
    this.tried = 0;
    this.generation++;
    this.running = undefined;
  }

  /**
   * Looks the names up in the background, once: tries `candidates` in order (the caller puts the
   * setup's profiles first), skipping any that would prompt or run a program, until one may list the
   * accounts. A second call while one runs joins it; after a success it returns at once.
   */
  refresh(candidates: readonly AwsProfile[], signal?: AbortSignal): Promise<OrgNamesState> {
    if (this.stateValue.status === 'known') {
      return Promise.resolve(this.stateValue);
    }
    this.running ??= this.run(candidates, signal).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(candidates: readonly AwsProfile[], signal?: AbortSignal): Promise<OrgNamesState> {
    const generation = this.generation;
    const usable = candidates.filter((p) => !p.interactive && p.kind !== 'none' && !this.refused.has(key(p))).slice(0, Math.max(0, MAX_PROFILES_TRIED - this.tried));
    if (usable.length === 0) {
      return this.stateValue.status === 'unavailable' ? this.stateValue : this.settle(generation, { status: 'unavailable', reason: l10n.t('no profile that needs no prompt is left to try') });
    }
    const reasons: string[] = [];
    for (const profile of usable) {
      if (signal?.aborted) {
        break;
      }
      this.tried++;
      const got = await this.list(profile, signal);
      if (generation !== this.generation) {
        return this.stateValue;
      }
      if ('names' in got) {
        this.names = got.names;
        return this.settle(generation, { status: 'known', via: profile.name, count: Object.keys(got.names).length });
      }
      this.refused.add(key(profile));
      reasons.push(`${profile.name}: ${got.why}`);
    }
    return this.settle(generation, { status: 'unavailable', reason: reasons.join('; ') || l10n.t('cancelled') });
  }

  private settle(generation: number, state: OrgNamesState): OrgNamesState {
    if (generation === this.generation) {
      this.stateValue = state;
      for (const l of this.listeners) {
        l();
      }
    }
    return state;
  }

  private async list(profile: AwsProfile, signal?: AbortSignal): Promise<{ names: Record<string, string> } | { why: string }> {
    const region = this.clients.regionOf(profile) ?? this.defaultRegion();
    const timeouts = this.clients.checkTimeouts;
    const creds = this.clients.credentialsFor(profile, region, REFUSE_MFA, { signal, timeouts });
    const client = this.clients.organizations(profile, creds, { profile: profile.name, region }, timeouts);
    this.calls++;
    try {
      const names: Record<string, string> = {};
      let token: string | undefined;
      let pages = 0;
      do {
        const out = await client.send(new ListAccountsCommand({ NextToken: token }), { abortSignal: signal });
        for (const a of out.Accounts ?? []) {
          if (a.Id && a.Name) {
            names[a.Id] = a.Name;
          }
        }
        token = out.NextToken;
        pages++;
      } while (token && pages < MAX_PAGES);
      return { names };
    } catch (e) {
      // Refused (not the management account, no delegated administrator, no organization) or failed:
      // either way no names from this profile. The call log has the detail.
      const x = explainError(e, { operation: 'ListAccounts', profile: profile.name, endpoint: this.clients.endpointFor(profile, 'organizations') });
      return { why: (e as { name?: string }).name ?? x.code };
    } finally {
      client.destroy();
    }
  }
}

function key(p: AwsProfile): string {
  return `${p.name}\u0000${p.fingerprint}`;
}
