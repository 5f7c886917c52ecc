/**
 * Check Setup: every reason a test SMS through the shared number would not work, found with
 * read-only calls (and a real AssumeRole per secondary). Independent checks run in parallel; a call
 * the endpoint does not implement, or that the caller may not make, is "unknown" with the reason.
 */
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  GetSMSAttributesCommand,
  GetSMSSandboxAccountStatusCommand,
  ListOriginationNumbersCommand,
  ListSMSSandboxPhoneNumbersCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { maskPhoneNumber } from '../core/validate';
import { allowsAction, trustsAccount } from '../core/policyMerge';
import { roleArn } from '../core/policies';
import type { AwsProfile } from '../core/profiles';
import type { AccountResolver } from './accounts';
import type { ClientFactory } from './clients';
import { explainError } from './errors';
import type { RoleManager } from './roleSetup';
import type { Preflight } from './preflight';
import type { SessionManager, SessionPrompts } from './sessions';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** Commands that fix a failed check; the UI maps them to its command ids. */
export type FixId = 'setPrimary' | 'addSecondary' | 'setOriginationNumber' | 'generatePolicies' | 'createRole' | 'verifySandboxNumber' | 'openDocs' | 'raiseSpendLimit' | 'enableDeliveryLogging';

export interface CheckResult {
  readonly id: string;
  /** The profile the check is about. */
  readonly subject: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: FixId;
}

export interface SetupInput {
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
  readonly roleArn?: string;
  readonly durationMs: number;
}

type Result = Omit<CheckResult, 'id' | 'subject' | 'title'>;

const CHECK_ORDER = ['primary', 'secondaries', 'credentials', 'number', 'registration', 'delivery-logging', 'role', 'sandbox', 'sandbox-destination', 'spend-limit', 'assume', 'opt-out'];

/** Checks finish in any order; the report lists them by profile (primary first), then by check. */
function ordered(results: readonly CheckResult[], profiles: readonly AwsProfile[]): CheckResult[] {
  const subjectRank = (s: string): number => (s === '' ? -1 : profiles.findIndex((p) => p.name === s));
  return [...results].sort((a, b) => subjectRank(a.subject) - subjectRank(b.subject) || CHECK_ORDER.indexOf(a.id) - CHECK_ORDER.indexOf(b.id));
}

const DOCS_FIX: FixId = 'openDocs';

export class SetupChecker {
  constructor(
    private readonly clients: ClientFactory,
    private readonly accounts: AccountResolver,
    private readonly sessions: SessionManager,
    private readonly roles: RoleManager,
    private readonly preflight: Preflight,
  ) {}

  async run(input: SetupInput, prompts: SessionPrompts, signal?: AbortSignal): Promise<SetupReport> {
    const started = Date.now();
    const results: CheckResult[] = [];
    const push = (subject: string, id: string, title: string, r: Result): void => {
      results.push({ id, subject, title, ...r });
    };
    const { primary } = input;
    if (!primary) {
      push('', 'primary', 'Primary profile', { status: 'fail', detail: 'No primary profile is set: choose the profile of the account that owns the 10DLC number.', fix: 'setPrimary' });
      return { results, durationMs: Date.now() - started };
    }
    if (input.secondaries.length === 0) {
      push(primary.name, 'secondaries', 'Secondary profiles', { status: 'fail', detail: 'No secondary profile is set: add the profiles of the accounts that will send through the primary.', fix: 'addSecondary' });
    }

    // 1. Credentials of every profile in the setup (in parallel; MFA prompts are serialised by the UI).
    const profiles = [primary, ...input.secondaries];
    const ids = new Map<string, string>();
    await Promise.all(
      profiles.map(async (p) => {
        const s = await this.accounts.resolve(p, { interactive: true, mfaCodeProvider: prompts.mfaCode, signal });
        if (s.status === 'known') {
          ids.set(p.name, s.accountId);
          push(p.name, 'credentials', 'Credentials', { status: 'pass', detail: `Resolve to account ${s.accountId}${s.status === 'known' && s.arn ? ` as ${s.arn}` : ''}.` });
        } else {
          push(p.name, 'credentials', 'Credentials', { status: 'fail', detail: s.status === 'error' ? `${s.reason} ${s.hint}` : 'Could not be resolved.' });
        }
      }),
    );
    const primaryAccountId = ids.get(primary.name);
    if (!primaryAccountId) {
      return { results, durationMs: Date.now() - started };
    }
    const arn = roleArn(primaryAccountId, input.roleName, input.region);
    const primaryCreds = this.clients.credentialsFor(primary, input.region, prompts.mfaCode);
    const sns = this.clients.sns(primary, primaryCreds, { profile: primary.name, account: primaryAccountId, region: input.region }, this.clients.checkTimeouts);
    try {
      const secondaryIds = input.secondaries.map((s) => ({ profile: s, accountId: ids.get(s.name) }));
      await Promise.all([
        this.check(push, primary.name, 'number', 'Origination number', () => this.checkNumber(sns, input, signal)),
        this.checkRole(push, primary, primaryCreds, primaryAccountId, input, secondaryIds, signal),
        this.checkSandbox(push, primary.name, sns, input, signal),
        this.check(push, primary.name, 'spend-limit', 'Monthly SMS spend limit', () =>
          this.checkSpendLimit(sns, signal, (a) => {
            const rate = a['DeliveryStatusSuccessSamplingRate'];
            push(
              primary.name,
              'delivery-logging',
              'Delivery-status logging',
              a['DeliveryStatusIAMRole']
                ? rate !== undefined && Number(rate) < 100
                  ? { status: 'warn', detail: `On, but success records are sampled at ${rate}%: a missing record will not prove a message failed.`, fix: 'enableDeliveryLogging' }
                  : { status: 'pass', detail: 'On: test sends report whether they arrived.' }
                : { status: 'warn', detail: 'Off: whether a test SMS arrived will be unknown.', fix: 'enableDeliveryLogging' },
            );
          }),
        ),
        this.checkRegistration(push, primary, primaryCreds, primaryAccountId, input, signal),
        ...input.secondaries.map((s) => this.checkSecondary(push, s, primaryAccountId, arn, input, prompts, signal)),
      ]);
    } finally {
      sns.destroy();
    }
    return { results: ordered(results, profiles), primaryAccountId, roleArn: arn, durationMs: Date.now() - started };
  }

  /** Runs one check; refusals and unimplemented calls become "unknown", with why. */
  private async check(push: (subject: string, id: string, title: string, r: Result) => void, subject: string, id: string, title: string, fn: () => Promise<Result>): Promise<void> {
    try {
      push(subject, id, title, await fn());
    } catch (e) {
      const x = explainError(e, { operation: title, profile: subject });
      if (x.category === 'not-implemented') {
        push(subject, id, title, { status: 'unknown', detail: `Unknown: ${x.message}` });
      } else if (x.category === 'access-denied') {
        push(subject, id, title, { status: 'unknown', detail: `Unknown: the caller may not make this check (${x.code}).` });
      } else if (x.category === 'cancelled') {
        push(subject, id, title, { status: 'unknown', detail: 'Cancelled.' });
      } else {
        push(subject, id, title, { status: 'unknown', detail: `Unknown: ${x.message}` });
      }
    }
  }

  private async checkNumber(sns: SNSClient, input: SetupInput, signal?: AbortSignal): Promise<Result> {
    const number = input.originationNumber;
    if (!number) {
      return { status: 'fail', detail: 'No 10DLC number is set (tendlc.originationNumber).', fix: 'setOriginationNumber' };
    }
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await sns.send(new ListOriginationNumbersCommand({ NextToken: token, MaxResults: 30 }), { abortSignal: signal });
      const hit = out.PhoneNumbers?.find((p) => p.PhoneNumber === number);
      if (hit) {
        const problems: string[] = [];
        if (hit.Status && hit.Status.toUpperCase() !== 'ACTIVE') {
          problems.push(`its status is ${hit.Status}, not ACTIVE`);
        }
        if (!(hit.NumberCapabilities ?? []).includes('SMS')) {
          problems.push('it has no SMS capability');
        }
        if (hit.Iso2CountryCode && hit.Iso2CountryCode !== 'US') {
          problems.push(`it is a ${hit.Iso2CountryCode} number, not a US one`);
        }
        if (problems.length) {
          return { status: 'fail', detail: `${number} is in the primary account in ${input.region}, but ${problems.join(' and ')}.`, fix: DOCS_FIX };
        }
        return { status: 'pass', detail: `${number} is ACTIVE with SMS capability in ${input.region}${hit.RouteType ? ` (${hit.RouteType})` : ''}.` };
      }
      token = out.NextToken;
      pages++;
    } while (token && pages < 50);
    return { status: 'fail', detail: `${number} is not an origination number of the primary account in ${input.region}. Check the number and the region (tendlc.region).`, fix: 'setOriginationNumber' };
  }

  private async checkRegistration(
    push: (subject: string, id: string, title: string, r: Result) => void,
    primary: AwsProfile,
    credentials: AwsCredentialIdentityProvider,
    accountId: string,
    input: SetupInput,
    signal?: AbortSignal,
  ): Promise<void> {
    if (!input.originationNumber) {
      return;
    }
    const number = input.originationNumber;
    const eum = this.clients.smsVoice(primary, credentials, { profile: primary.name, account: accountId, region: input.region }, this.clients.checkTimeouts);
    try {
      await this.check(push, primary.name, 'registration', '10DLC number and registration', async () => {
        const findings = await this.preflight.numberFindings(eum, { originationNumber: number, region: input.region }, signal);
        const worst = findings.find((f) => f.status === 'blocking') ?? findings.find((f) => f.status === 'problem') ?? findings.find((f) => f.status === 'unknown');
        const detail = findings.map((f) => f.detail).join(' ');
        return worst
          ? { status: worst.status === 'unknown' ? 'unknown' : worst.status === 'blocking' ? 'fail' : 'warn', detail, fix: DOCS_FIX }
          : { status: 'pass', detail };
      });
    } finally {
      eum.destroy();
    }
  }

  private async checkSpendLimit(sns: SNSClient, signal?: AbortSignal, logging?: (attrs: Record<string, string>) => void): Promise<Result> {
    const out = await sns.send(new GetSMSAttributesCommand({}), { abortSignal: signal });
    logging?.(out.attributes ?? {});
    const limit = out.attributes?.['MonthlySpendLimit'];
    if (!limit || limit === '1') {
      return { status: 'warn', detail: `The monthly SMS spend limit is $${limit ?? '1'} (the default of new accounts): a few messages can exhaust it.`, fix: 'raiseSpendLimit' };
    }
    return { status: 'pass', detail: `The monthly SMS spend limit is $${limit}.` };
  }

  private async checkSandbox(push: (subject: string, id: string, title: string, r: Result) => void, subject: string, sns: SNSClient, input: SetupInput, signal?: AbortSignal): Promise<void> {
    let inSandbox: boolean | undefined;
    await this.check(push, subject, 'sandbox', 'SMS sandbox', async () => {
      const out = await sns.send(new GetSMSSandboxAccountStatusCommand({}), { abortSignal: signal });
      inSandbox = out.IsInSandbox === true;
      return inSandbox
        ? { status: 'warn', detail: 'The primary account is in the SMS sandbox: it can send only to verified destination numbers.', fix: DOCS_FIX }
        : { status: 'pass', detail: 'The primary account is out of the SMS sandbox.' };
    });
    if (inSandbox && input.destination) {
      const destination = input.destination;
      await this.check(push, subject, 'sandbox-destination', 'Test destination verified', async () => {
        let token: string | undefined;
        let pages = 0;
        do {
          const out = await sns.send(new ListSMSSandboxPhoneNumbersCommand({ NextToken: token }), { abortSignal: signal });
          const hit = out.PhoneNumbers?.find((p) => p.PhoneNumber === destination);
          if (hit) {
            return hit.Status === 'Verified'
              ? { status: 'pass', detail: `${maskPhoneNumber(destination)} is a verified sandbox destination.` }
              : { status: 'fail', detail: `${maskPhoneNumber(destination)} was added to the sandbox but not verified yet.`, fix: 'verifySandboxNumber' };
          }
          token = out.NextToken;
          pages++;
        } while (token && pages < 50);
        return { status: 'fail', detail: `${maskPhoneNumber(destination)} is not a verified sandbox destination: messages to it will not be sent.`, fix: 'verifySandboxNumber' };
      });
    }
  }

  private async checkRole(
    push: (subject: string, id: string, title: string, r: Result) => void,
    primary: AwsProfile,
    credentials: AwsCredentialIdentityProvider,
    accountId: string,
    input: SetupInput,
    secondaries: readonly { profile: AwsProfile; accountId?: string }[],
    signal?: AbortSignal,
  ): Promise<void> {
    await this.check(push, primary.name, 'role', `Role ${input.roleName}`, async () => {
      const state = await this.roles.read({ profile: primary, credentials, accountId, region: input.region, roleName: input.roleName }, signal);
      if (!state.exists) {
        return { status: 'fail', detail: `The role ${input.roleName} does not exist in the primary account ${accountId}.`, fix: 'createRole' };
      }
      const untrusted = secondaries.filter((s) => s.accountId && s.accountId !== accountId && !(state.trust && trustsAccount(state.trust, s.accountId)));
      const publishes = Object.values(state.inlinePolicies).some((d) => allowsAction(d, 'sns:Publish'));
      const problems: string[] = [];
      if (untrusted.length) {
        problems.push(`its trust policy does not trust ${untrusted.map((u) => `${u.profile.name} (${u.accountId})`).join(', ')}`);
      }
      if (!publishes && state.attachedPolicyArns.length === 0) {
        problems.push('no policy of the role allows sns:Publish on "*"');
      }
      if (problems.length) {
        return { status: 'fail', detail: `The role exists, but ${problems.join(', and ')}.`, fix: 'createRole' };
      }
      if (!publishes) {
        return { status: 'warn', detail: `The role exists and trusts every secondary; sns:Publish may come from its attached managed policies (${state.attachedPolicyArns.join(', ')}), which are not read.` };
      }
      return { status: 'pass', detail: `The role exists, trusts every secondary account and allows sns:Publish${state.tagged ? '' : ' (it was not created by this extension)'}.` };
    });
  }

  private async checkSecondary(
    push: (subject: string, id: string, title: string, r: Result) => void,
    profile: AwsProfile,
    primaryAccountId: string,
    arn: string,
    input: SetupInput,
    prompts: SessionPrompts,
    signal?: AbortSignal,
  ): Promise<void> {
    let credentials: AwsCredentialIdentity | undefined;
    try {
      const session = await this.sessions.assume(
        { profile, primaryAccountId, roleArn: arn, roleName: input.roleName, externalId: input.externalId, requireMfa: input.requireMfa, region: profile.region ?? input.region },
        prompts,
        signal,
      );
      credentials = session.credentials;
      push(profile.name, 'assume', 'Assume the role', { status: 'pass', detail: `Assumed ${session.assumedRoleArn}.` });
    } catch (e) {
      const x = explainError(e, { operation: 'AssumeRole', profile: profile.name, roleArn: arn });
      push(profile.name, 'assume', 'Assume the role', {
        status: x.category === 'not-implemented' ? 'unknown' : 'fail',
        detail: `${x.message} ${x.hint}`,
        fix: x.category === 'access-denied' ? 'createRole' : undefined,
      });
      return;
    }
    if (!input.destination) {
      return;
    }
    const destination = input.destination;
    const sns = this.clients.sns(profile, credentials, { profile: `${profile.name} → role`, account: primaryAccountId, region: input.region }, this.clients.checkTimeouts);
    try {
      await this.check(push, profile.name, 'opt-out', 'Destination not opted out', async () => {
        const out = await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: destination }), { abortSignal: signal });
        return out.isOptedOut
          ? { status: 'fail', detail: `${maskPhoneNumber(destination)} has opted out of SMS from the primary account.`, fix: DOCS_FIX }
          : { status: 'pass', detail: `${maskPhoneNumber(destination)} has not opted out.` };
      });
    } finally {
      sns.destroy();
    }
  }
}
