/**
 * Check Setup: every reason a test SMS through the shared number would not work, found with
 * read-only calls (and a real AssumeRole per secondary). This file is the report's side of the one
 * readiness model (readiness.ts): it resolves each profile, assumes the role per secondary, runs the
 * shared list of checks (readinessChecks.ts) with the primary's own credentials and with each
 * secondary's session, and adds what only a setup-wide look can tell — what 10DLC numbers and brands
 * every account of the setup owns in the number's region, read with that account's own credentials,
 * and brands registered in more than one of them.
 */
import * as l10n from '@vscode/l10n';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { roleArn } from '../core/policies';
import type { AwsProfile } from '../core/profiles';
import type { SharingMode } from '../core/sharing';
import { describeHoldings, sharedBrands, sharedCapWarning, type AccountTenDlc } from '../core/tenDlc';
import type { AccountResolver } from './accounts';
import type { ClientFactory } from './clients';
import { explainError } from './errors';
import { readHoldings, type NumberDirectory, type NumberInfo } from './numbers';
import { consumerReads, ordered, primaryReads, runChecks, unknownDetail, type CheckEnv, type CheckResult, shareSignal } from './readiness';
import { CHECKS, type SetupEnv } from './readinessChecks';
import type { RoleManager } from './roleSetup';
import type { SessionManager, SessionPrompts } from './sessions';

export type { CheckId, CheckResult, CheckStatus, FixId } from './readiness';

export interface SetupInput {
  /** `role` (the default): the role and a real AssumeRole per secondary; `resourceShare`: the share, and each secondary's own view of it. */
  readonly mode?: SharingMode;
  readonly primary?: AwsProfile;
  readonly secondaries: readonly AwsProfile[];
  readonly roleName: string;
  readonly externalId?: string;
  readonly requireMfa: boolean;
  readonly originationNumber?: string;
  readonly destination?: string;
  /** The number's region. */
  readonly region: string;
}

export interface SetupReport {
  readonly results: readonly CheckResult[];
  readonly primaryAccountId?: string;
  /** Role mode only. */
  readonly roleArn?: string;
  /** The number as End User Messaging described it to the primary (for the tree's tooltip). */
  readonly number?: NumberInfo;
  /** What each account of the setup owns in the number's region (those that could be read). */
  readonly holdings: readonly AccountTenDlc[];
  readonly durationMs: number;
}

export class SetupChecker {
  constructor(
    private readonly clients: ClientFactory,
    private readonly accounts: AccountResolver,
    private readonly sessions: SessionManager,
    private readonly roles: RoleManager,
    /** The ids of numbers read before (shared with the pre-flight and the tooltip). */
    private readonly numbers?: NumberDirectory,
  ) {}

  async run(input: SetupInput, prompts: SessionPrompts, signal?: AbortSignal): Promise<SetupReport> {
    const started = Date.now();
    shareSignal(signal);
    const results: CheckResult[] = [];
    const { primary } = input;
    if (!primary) {
      results.push({ id: 'primary', subject: '', title: l10n.t('Primary profile'), status: 'fail', detail: l10n.t('No primary profile is set: choose the profile of the account that owns the 10DLC number.'), fix: 'setPrimary' });
      return { results, holdings: [], durationMs: Date.now() - started };
    }
    if (input.secondaries.length === 0) {
      results.push({ id: 'secondaries', subject: primary.name, title: l10n.t('Secondary profiles'), status: 'fail', detail: l10n.t('No secondary profile is set: add the profiles of the accounts that will send through the primary.'), fix: 'addSecondary' });
    }

    // 1. Credentials of every profile in the setup (in parallel; MFA prompts are serialised by the UI).
    const profiles = [primary, ...input.secondaries];
    const ids = new Map<string, string>();
    await Promise.all(
      profiles.map(async (p) => {
        const s = await this.accounts.resolve(p, { interactive: true, mfaCodeProvider: prompts.mfaCode, signal });
        if (s.status === 'known') {
          ids.set(p.name, s.accountId);
          results.push({ id: 'credentials', subject: p.name, title: l10n.t('Credentials'), status: 'pass', detail: s.arn ? l10n.t('Resolve to account {0} as {1}.', s.accountId, s.arn) : l10n.t('Resolve to account {0}.', s.accountId) });
        } else {
          results.push({ id: 'credentials', subject: p.name, title: l10n.t('Credentials'), status: 'fail', detail: s.status === 'error' ? `${s.reason} ${s.hint}` : l10n.t('Could not be resolved.') });
        }
      }),
    );
    const primaryAccountId = ids.get(primary.name);
    if (!primaryAccountId) {
      return { results: ordered(results, profiles.map((p) => p.name)), holdings: [], durationMs: Date.now() - started };
    }
    const arn = roleArn(primaryAccountId, input.roleName, input.region);
    // One provider per profile for this run: each profile's credentials resolve once, however many reads use them.
    const providers = new Map<string, AwsCredentialIdentityProvider>();
    const credentials = (p: AwsProfile): AwsCredentialIdentityProvider => {
      let c = providers.get(p.name);
      if (!c) {
        const inner = this.clients.credentialsFor(p, input.region, prompts.mfaCode, { signal });
        let resolved: Promise<AwsCredentialIdentity> | undefined;
        c = () => {
          resolved ??= inner().catch((e: unknown) => {
            resolved = undefined; // a failure is not kept: the next read may ask again
            throw e;
          });
          return resolved;
        };
        providers.set(p.name, c);
      }
      return c;
    };
    const ctx = { profile: primary.name, account: primaryAccountId, region: input.region };
    const sns = this.clients.sns(primary, credentials(primary), ctx, this.clients.checkTimeouts);
    const eum = this.clients.smsVoice(primary, credentials(primary), ctx, this.clients.checkTimeouts);
    const reads = primaryReads(sns, eum, input, primaryAccountId, signal, { directory: this.numbers, brand: true });
    const mode = input.mode ?? 'role';
    const ram = mode === 'resourceShare' ? this.clients.ram(primary, credentials(primary), ctx, this.clients.checkTimeouts) : undefined;
    let number: NumberInfo | undefined;
    const holdings: AccountTenDlc[] = [];
    try {
      const env: SetupEnv = {
        scope: 'setup',
        mode,
        region: input.region,
        originationNumber: input.originationNumber,
        destination: input.destination,
        primaryAccountId,
        reader: `profile ${primary.name}`,
        sns,
        eum,
        reads,
        signal,
        ...(ram ? { sharing: { secondaries: input.secondaries.map((s) => ({ profile: s.name, accountId: ids.get(s.name) })), ram } } : {}),
        role: {
          name: input.roleName,
          read: () => this.roles.read({ profile: primary, credentials: credentials(primary), accountId: primaryAccountId, region: input.region, roleName: input.roleName }, signal),
          secondaries: input.secondaries.map((s) => ({ profile: s.name, accountId: ids.get(s.name) })),
          externalId: input.externalId,
          requireMfa: input.requireMfa,
        },
      };
      const [primaryResults, , ...perSecondary] = await Promise.all([
        runChecks(CHECKS, 'primary', env, primary.name),
        this.holdings(profiles, ids, credentials, input.region, signal).then((h) => {
          holdings.push(...h.holdings);
          results.push(...h.results);
        }),
        ...input.secondaries.map((s) =>
          mode === 'role' ? this.secondary(s, env, primaryAccountId, arn, input, prompts, signal) : this.consumer(s, env, ids.get(s.name), credentials(s), input, signal),
        ),
      ]);
      results.push(...primaryResults, ...perSecondary.flat());
      if (input.originationNumber) {
        number = await reads.number().catch(() => undefined);
      }
      for (const shared of sharedBrands(holdings)) {
        results.push({ id: 'shared-brand', subject: primary.name, title: l10n.t('Brand in several accounts'), status: 'warn', detail: sharedCapWarning(shared) });
      }
    } finally {
      sns.destroy();
      eum.destroy();
      ram?.destroy();
    }
    return { results: ordered(results, profiles.map((p) => p.name)), primaryAccountId, roleArn: mode === 'role' ? arn : undefined, number, holdings, durationMs: Date.now() - started };
  }

  /**
   * Per secondary in resourceShare mode: no role — the checks that run with its own credentials (is the
   * number shared with its account, its spend limit and sandbox tier, the destination's opt-out), and
   * those about the profile.
   */
  private async consumer(
    profile: AwsProfile,
    primaryEnv: CheckEnv,
    accountId: string | undefined,
    credentials: AwsCredentialIdentityProvider,
    input: SetupInput,
    signal?: AbortSignal,
  ): Promise<CheckResult[]> {
    const sender = { profile: profile.name, region: profile.region };
    const results = await runChecks(CHECKS, 'sender', { ...primaryEnv, sender }, profile.name);
    if (!accountId) {
      return results; // its credentials check already failed
    }
    const ctx = { profile: profile.name, account: accountId, region: input.region };
    const eum = this.clients.smsVoice(profile, credentials, ctx, this.clients.checkTimeouts);
    const ram = this.clients.ram(profile, credentials, ctx, this.clients.checkTimeouts);
    try {
      const consumer = { profile: profile.name, accountId, eum, ram, reads: consumerReads(eum, input.originationNumber, signal) };
      results.push(...(await runChecks(CHECKS, 'consumer', { ...primaryEnv, reader: `profile ${profile.name}`, sender, consumer }, profile.name)));
    } finally {
      eum.destroy();
      ram.destroy();
    }
    return results;
  }

  /** Per secondary: assume the role, then the checks that run with its session, and those about the profile. */
  private async secondary(
    profile: AwsProfile,
    primaryEnv: CheckEnv,
    primaryAccountId: string,
    arn: string,
    input: SetupInput,
    prompts: SessionPrompts,
    signal?: AbortSignal,
  ): Promise<CheckResult[]> {
    const results = await runChecks(CHECKS, 'sender', { ...primaryEnv, sender: { profile: profile.name, region: this.clients.regionOf(profile) } }, profile.name);
    let credentials: AwsCredentialIdentity;
    try {
      const session = await this.sessions.assume(
        { profile, primaryAccountId, roleArn: arn, roleName: input.roleName, externalId: input.externalId, requireMfa: input.requireMfa, region: this.clients.regionOf(profile) ?? input.region },
        prompts,
        signal,
      );
      credentials = session.credentials;
      results.push({ id: 'assume', subject: profile.name, title: l10n.t('Assume the role'), status: 'pass', detail: l10n.t('Assumed {0}.', session.assumedRoleArn) });
    } catch (e) {
      const x = explainError(e, { operation: 'AssumeRole', profile: profile.name, roleArn: arn });
      results.push({
        id: 'assume',
        subject: profile.name,
        title: l10n.t('Assume the role'),
        status: x.category === 'not-implemented' ? 'unknown' : 'fail',
        detail: `${x.message} ${x.hint}`,
        ...(x.category === 'access-denied' ? { fix: 'createRole' as const } : {}),
      });
      return results;
    }
    const ctx = { profile: `${profile.name} → role`, account: primaryAccountId, region: input.region };
    const sns = this.clients.sns(profile, credentials, ctx, this.clients.checkTimeouts);
    try {
      results.push(...(await runChecks(CHECKS, 'session', { ...primaryEnv, reader: 'the role', sns }, profile.name)));
    } finally {
      sns.destroy();
    }
    return results;
  }

  /**
   * What 10DLC numbers and brand registrations each account of the setup owns in the number's region,
   * read with that account's own credentials (each account once, under its first profile).
   */
  private async holdings(
    profiles: readonly AwsProfile[],
    ids: ReadonlyMap<string, string>,
    credentials: (p: AwsProfile) => AwsCredentialIdentityProvider,
    region: string,
    signal?: AbortSignal,
  ): Promise<{ holdings: AccountTenDlc[]; results: CheckResult[] }> {
    const byAccount = new Map<string, AwsProfile[]>();
    for (const p of profiles) {
      const id = ids.get(p.name);
      if (id) {
        byAccount.set(id, [...(byAccount.get(id) ?? []), p]);
      }
    }
    const title = `10DLC in ${region}`;
    const done = await Promise.all(
      [...byAccount].map(async ([accountId, ps]): Promise<{ holding?: AccountTenDlc; result: CheckResult }> => {
        const p = ps[0];
        const names = ps.map((x) => x.name);
        const eum = this.clients.smsVoice(p, credentials(p), { profile: p.name, account: accountId, region }, this.clients.checkTimeouts);
        try {
          const holding = await readHoldings(eum, { accountId, profiles: names }, signal);
          const also = names.length > 1 ? ` (also for ${names.slice(1).join(', ')}: same account)` : '';
          return { holding, result: { id: 'ten-dlc-holdings', subject: p.name, title, status: 'pass', detail: `${describeHoldings(holding, region)}${also}` } };
        } catch (e) {
          return { result: { id: 'ten-dlc-holdings', subject: p.name, title, status: 'unknown', detail: unknownDetail(e, 'DescribePhoneNumbers', `profile ${p.name}`) } };
        } finally {
          eum.destroy();
        }
      }),
    );
    return { holdings: done.flatMap((d) => (d.holding ? [d.holding] : [])), results: done.map((d) => d.result) };
  }
}
