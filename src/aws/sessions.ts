/**
 * Assumes the primary's role from a secondary profile and caches the session until shortly before
 * it expires. Every new session is checked: STS names it in AssumeRole's own answer
 * (`AssumedRoleUser.Arn`, arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION, the ARN GetCallerIdentity would
 * answer for its credentials); it must be the role in the primary account, or it is refused.
 */
import * as l10n from '@vscode/l10n';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { roleSessionName } from '../core/format';
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory, MfaCodeProvider } from './clients';
import { TenDlcError, throwIfCancelled } from './errors';

export interface AssumeRequest {
  readonly profile: AwsProfile;
  readonly primaryAccountId: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly externalId?: string;
  /** The role's trust policy asks for MFA: pass SerialNumber and TokenCode on AssumeRole. */
  readonly requireMfa: boolean;
  /** Region for STS calls of the secondary profile. */
  readonly region: string;
  readonly durationSeconds?: number;
}

export interface SessionPrompts {
  /** Asks for a code for the given MFA device. Rejects (or returns undefined) when the user cancels. */
  readonly mfaCode: MfaCodeProvider;
  /** Asks for the ARN of the user's MFA device when the profile has no mfa_serial. */
  readonly mfaSerial: (profile: string) => Promise<string | undefined>;
}

/** A live assumed-role session. The credentials stay in memory, never logged. */
export interface AssumedSession {
  readonly profile: string;
  readonly roleArn: string;
  readonly accountId: string;
  /** arn:aws:sts::PRIMARY:assumed-role/ROLE/SESSION */
  readonly assumedRoleArn: string;
  /** The secondary account the session was assumed from. */
  readonly sourceAccountId?: string;
  readonly expiration: Date;
  readonly credentials: AwsCredentialIdentity;
}

/** Sessions are reused until this long before they expire. */
export const SESSION_REFRESH_MARGIN_MS = 5 * 60_000;

export class SessionManager {
  private readonly sessions = new Map<string, AssumedSession>();
  private readonly listeners = new Set<(profile: string) => void>();
  private readonly now: () => Date;

  constructor(
    private readonly clients: ClientFactory,
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  onDidChange(listener: (profile: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private key(r: Pick<AssumeRequest, 'profile' | 'roleArn' | 'externalId'>): string {
    return `${r.profile.name}\u0000${r.roleArn}\u0000${r.externalId ?? ''}`;
  }

  /** A cached session for this request that is still good, if any. */
  cached(r: Pick<AssumeRequest, 'profile' | 'roleArn' | 'externalId'>): AssumedSession | undefined {
    const s = this.sessions.get(this.key(r));
    if (s && s.expiration.getTime() - SESSION_REFRESH_MARGIN_MS > this.now().getTime()) {
      return s;
    }
    return undefined;
  }

  /** Any live session of a profile, for the tree. */
  liveSessionOf(profileName: string): AssumedSession | undefined {
    for (const s of this.sessions.values()) {
      if (s.profile === profileName && s.expiration.getTime() > this.now().getTime()) {
        return s;
      }
    }
    return undefined;
  }

  /** Drops a profile's sessions (expired mid-way, or the user asked). */
  forget(profileName?: string): void {
    for (const [k, s] of this.sessions) {
      if (profileName === undefined || s.profile === profileName) {
        this.sessions.delete(k);
        this.emit(s.profile);
      }
    }
  }

  /** Returns a live cached session, or assumes the role anew. */
  async getOrAssume(r: AssumeRequest, prompts: SessionPrompts, signal?: AbortSignal): Promise<AssumedSession> {
    return this.cached(r) ?? this.assume(r, prompts, signal);
  }

  /**
   * Assumes the role now (ignoring the cache) and checks who the session is from AssumeRole's answer (one request,
   * no GetCallerIdentity after it). `signal` cancels it at
   * any point: the MFA prompts are the caller's, every AWS call (the source profile's own credentials
   * included) ends at once, and nothing is cached.
   */
  async assume(r: AssumeRequest, prompts: SessionPrompts, signal?: AbortSignal): Promise<AssumedSession> {
    const { profile } = r;
    throwIfCancelled(signal, 'AssumeRole');
    let serialNumber: string | undefined;
    let tokenCode: string | undefined;
    if (r.requireMfa) {
      serialNumber = profile.mfaSerial ?? (await prompts.mfaSerial(profile.name));
      if (!serialNumber) {
        throw new TenDlcError('mfa', l10n.t('The role requires MFA, and no MFA device was given.'), l10n.t('Add mfa_serial to profile "{0}" or enter the device ARN when asked.', profile.name));
      }
      tokenCode = await prompts.mfaCode(serialNumber);
    }
    throwIfCancelled(signal, 'AssumeRole');
    const sourceCreds = this.clients.credentialsFor(profile, r.region, prompts.mfaCode, { signal });
    const sts = this.clients.sts(profile, sourceCreds, { profile: profile.name, account: profile.declaredAccountId, region: r.region });
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: r.roleArn,
        RoleSessionName: roleSessionName(profile.name, this.now()),
        DurationSeconds: r.durationSeconds ?? 3600,
        ...(r.externalId ? { ExternalId: r.externalId } : {}),
        ...(serialNumber && tokenCode ? { SerialNumber: serialNumber, TokenCode: tokenCode } : {}),
      }),
      { abortSignal: signal },
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new TenDlcError('unknown', l10n.t('AssumeRole returned no credentials.'), l10n.t('Check the STS endpoint.'));
    }
    const expiration = c.Expiration ?? new Date(this.now().getTime() + (r.durationSeconds ?? 3600) * 1000);
    const creds: AwsCredentialIdentity = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration };
    const arn = out.AssumedRoleUser?.Arn;
    const who = arn ? assumedRole(arn) : undefined;
    // IAM role names are unique regardless of case: the answer names the role as IAM spells it.
    if (!who || who.account !== r.primaryAccountId || who.role.toLowerCase() !== r.roleName.toLowerCase()) {
      throw new TenDlcError(
        'wrong-account',
        who ? l10n.t('The assumed session is {0} (account {1}), not the role {2} in primary account {3}.', arn ?? l10n.t('not named in the AssumeRole answer'), who.account, r.roleName, r.primaryAccountId) : l10n.t('The assumed session is {0}, not the role {1} in primary account {2}.', arn ?? l10n.t('not named in the AssumeRole answer'), r.roleName, r.primaryAccountId),
        l10n.t('Check the primary profile and the role name in settings; the endpoint may be answering for another account.'),
      );
    }
    const session: AssumedSession = {
      profile: profile.name,
      roleArn: r.roleArn,
      accountId: who.account,
      assumedRoleArn: arn as string,
      sourceAccountId: profile.declaredAccountId,
      expiration,
      credentials: creds,
    };
    this.sessions.set(this.key(r), session);
    this.emit(profile.name);
    return session;
  }

  private emit(profile: string): void {
    for (const l of this.listeners) {
      l(profile);
    }
  }
}

/** The account and role an assumed-role ARN names (arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION). */
export function assumedRole(arn: string): { readonly account: string; readonly role: string } | undefined {
  const m = /^arn:[a-z0-9-]+:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return m ? { account: m[1], role: m[2] } : undefined;
}
