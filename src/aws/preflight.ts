/**
 * Pre-flight of a test SMS, with the assumed session in the primary account: every read-only thing
 * that decides whether the message can arrive. Each call is bounded (one attempt, short timeouts); a
 * call the endpoint does not implement or the role may not make is "unknown", with why, and never
 * blocks the send.
 */
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  GetSMSAttributesCommand,
  GetSMSSandboxAccountStatusCommand,
  ListSMSSandboxPhoneNumbersCommand,
} from '@aws-sdk/client-sns';
import {
  DescribePhoneNumbersCommand,
  DescribeRegistrationsCommand,
  DescribeRegistrationVersionsCommand,
  type PhoneNumberInformation,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { maskPhoneNumber } from '../core/validate';
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory } from './clients';
import { explainError } from './errors';
import type { AssumedSession } from './sessions';

export type FindingStatus = 'ok' | 'problem' | 'blocking' | 'unknown';

export interface Finding {
  readonly id: 'spend-limit' | 'logging' | 'sandbox' | 'opt-out' | 'number' | 'registration';
  readonly title: string;
  readonly status: FindingStatus;
  readonly detail: string;
}

export interface DeliveryLogging {
  /** undefined: could not be read. */
  readonly enabled?: boolean;
  readonly successSamplingRate?: number;
}

export interface PreflightResult {
  readonly findings: readonly Finding[];
  readonly logging: DeliveryLogging;
  /** True when a finding blocks the send (an explicit "send anyway" is needed). */
  readonly blocking: boolean;
  readonly durationMs: number;
}

export interface PreflightInput {
  readonly region: string;
  readonly originationNumber: string;
  readonly destination: string;
}

const ORDER: Record<FindingStatus, number> = { blocking: 0, problem: 1, unknown: 2, ok: 3 };

export class Preflight {
  constructor(private readonly clients: ClientFactory) {}

  async run(session: AssumedSession, via: AwsProfile | undefined, input: PreflightInput, signal?: AbortSignal): Promise<PreflightResult> {
    const started = Date.now();
    const ctx = { profile: `${session.profile} → role`, account: session.accountId, region: input.region };
    const sns = this.clients.sns(via, session.credentials, ctx, this.clients.checkTimeouts);
    const eum = this.clients.smsVoice(via, session.credentials, ctx, this.clients.checkTimeouts);
    const findings: Finding[] = [];
    let logging: DeliveryLogging = {};
    const guard = async (id: Finding['id'], title: string, operation: string, fn: () => Promise<Finding | Finding[] | undefined>): Promise<void> => {
      try {
        const f = await fn();
        if (f) {
          findings.push(...(Array.isArray(f) ? f : [f]));
        }
      } catch (e) {
        const x = explainError(e, { operation, endpoint: this.clients.endpointFor(via, id === 'number' || id === 'registration' ? 'sms-voice' : 'sns') });
        const why = x.category === 'access-denied' ? `the role may not call ${operation}` : x.category === 'not-implemented' ? `the endpoint does not implement ${operation}` : x.message;
        findings.push({ id, title, status: 'unknown', detail: `Unknown: ${why}.` });
      }
    };
    try {
      await Promise.all([
        guard('spend-limit', 'Spend limit and delivery logging', 'GetSMSAttributes', async () => {
          // All attributes, unfiltered: some endpoints (moto) answer a filtered request with only the first name.
          const out = await sns.send(new GetSMSAttributesCommand({}), { abortSignal: signal });
          const a = out.attributes ?? {};
          const limit = a['MonthlySpendLimit'];
          const rate = a['DeliveryStatusSuccessSamplingRate'] !== undefined ? Number(a['DeliveryStatusSuccessSamplingRate']) : undefined;
          logging = { enabled: Boolean(a['DeliveryStatusIAMRole']), successSamplingRate: rate };
          return [
            !limit || limit === '1'
              ? { id: 'spend-limit', title: 'Monthly spend limit', status: 'problem', detail: `The primary's monthly SMS spend limit is $${limit ?? '1'} (the default of new accounts): it is soon used up.` }
              : { id: 'spend-limit', title: 'Monthly spend limit', status: 'ok', detail: `The primary's monthly SMS spend limit is $${limit}.` },
            logging.enabled
              ? {
                  id: 'logging',
                  title: 'Delivery-status logging',
                  status: rate !== undefined && rate < 100 ? 'problem' : 'ok',
                  detail: `On${rate !== undefined ? `, success sampling rate ${rate}%` : ''}${rate !== undefined && rate < 100 ? ': a missing success record will not prove the message failed' : ''}.`,
                }
              : { id: 'logging', title: 'Delivery-status logging', status: 'problem', detail: 'Off in the primary account: whether the message arrives will be unknown.' },
          ] as Finding[];
        }),
        guard('sandbox', 'SMS sandbox', 'GetSMSSandboxAccountStatus', async () => {
          const out = await sns.send(new GetSMSSandboxAccountStatusCommand({}), { abortSignal: signal });
          if (!out.IsInSandbox) {
            return { id: 'sandbox', title: 'SMS sandbox', status: 'ok', detail: 'The primary account is out of the SMS sandbox.' };
          }
          let token: string | undefined;
          let pages = 0;
          do {
            const list = await sns.send(new ListSMSSandboxPhoneNumbersCommand({ NextToken: token }), { abortSignal: signal });
            const hit = list.PhoneNumbers?.find((p) => p.PhoneNumber === input.destination);
            if (hit?.Status === 'Verified') {
              return { id: 'sandbox', title: 'SMS sandbox', status: 'ok', detail: `In the SMS sandbox; ${maskPhoneNumber(input.destination)} is a verified destination.` };
            }
            token = list.NextToken;
            pages++;
          } while (token && pages < 50);
          return { id: 'sandbox', title: 'SMS sandbox', status: 'blocking', detail: `The primary account is in the SMS sandbox and ${maskPhoneNumber(input.destination)} is not a verified destination: SNS will not send it.` };
        }),
        guard('opt-out', 'Opt-out', 'CheckIfPhoneNumberIsOptedOut', async () => {
          const out = await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: input.destination }), { abortSignal: signal });
          return out.isOptedOut
            ? { id: 'opt-out', title: 'Opt-out', status: 'blocking', detail: `${maskPhoneNumber(input.destination)} has opted out of SMS from the primary account.` }
            : { id: 'opt-out', title: 'Opt-out', status: 'ok', detail: `${maskPhoneNumber(input.destination)} has not opted out.` };
        }),
        guard('number', 'Origination number', 'DescribePhoneNumbers', async () => {
          return this.numberFindings(eum, input, signal);
        }),
      ]);
    } finally {
      sns.destroy();
      eum.destroy();
    }
    findings.sort((a, b) => ORDER[a.status] - ORDER[b.status]);
    return { findings, logging, blocking: findings.some((f) => f.status === 'blocking'), durationMs: Date.now() - started };
  }

  /**
   * The origination number as End User Messaging describes it (ACTIVE, TEN_DLC) and its 10DLC
   * registration. Shared with Check Setup, which asks with the primary's own credentials.
   */
  async numberFindings(eum: ReturnType<ClientFactory['smsVoice']>, input: Pick<PreflightInput, 'originationNumber' | 'region'>, signal?: AbortSignal): Promise<Finding[]> {
    const number = await this.findNumber(eum, input.originationNumber, signal);
    if (!number) {
      return [{ id: 'number', title: 'Origination number', status: 'blocking', detail: `${input.originationNumber} is not a phone number of the primary account in ${input.region}.` }];
    }
    const out: Finding[] = [];
    const problems: string[] = [];
    if (number.Status !== 'ACTIVE') {
      problems.push(`its status is ${number.Status ?? 'unknown'}`);
    }
    if (number.NumberType !== 'TEN_DLC') {
      problems.push(`it is a ${number.NumberType ?? 'unknown'} number, not TEN_DLC`);
    }
    out.push(
      problems.length
        ? { id: 'number', title: 'Origination number', status: number.Status !== 'ACTIVE' ? 'blocking' : 'problem', detail: `${input.originationNumber}: ${problems.join(', ')}.` }
        : { id: 'number', title: 'Origination number', status: 'ok', detail: `${input.originationNumber} is an ACTIVE 10DLC number.` },
    );
    if (number.RegistrationId) {
      out.push(await this.registration(eum, number.RegistrationId, signal));
    }
    return out;
  }

  private async findNumber(eum: ReturnType<ClientFactory['smsVoice']>, number: string, signal?: AbortSignal): Promise<PhoneNumberInformation | undefined> {
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await eum.send(new DescribePhoneNumbersCommand({ NextToken: token, MaxResults: 20 }), { abortSignal: signal });
      const hit = out.PhoneNumbers?.find((p) => p.PhoneNumber === number);
      if (hit) {
        return hit;
      }
      token = out.NextToken;
      pages++;
    } while (token && pages < 50);
    return undefined;
  }

  private async registration(eum: ReturnType<ClientFactory['smsVoice']>, registrationId: string, signal?: AbortSignal): Promise<Finding> {
    try {
      const out = await eum.send(new DescribeRegistrationsCommand({ RegistrationIds: [registrationId] }), { abortSignal: signal });
      const reg = out.Registrations?.[0];
      if (!reg) {
        return { id: 'registration', title: '10DLC registration', status: 'unknown', detail: `Unknown: registration ${registrationId} was not found.` };
      }
      if (reg.RegistrationStatus === 'COMPLETE') {
        return { id: 'registration', title: '10DLC registration', status: 'ok', detail: `Registration ${registrationId} is COMPLETE.` };
      }
      let reasons = '';
      if (reg.LatestDeniedVersionNumber !== undefined) {
        const versions = await eum.send(new DescribeRegistrationVersionsCommand({ RegistrationId: registrationId, VersionNumbers: [reg.LatestDeniedVersionNumber] }), { abortSignal: signal });
        const denied = versions.RegistrationVersions?.[0]?.DeniedReasons ?? [];
        reasons = denied.length ? ` Denied: ${denied.map((d) => `${d.Reason ?? ''}${d.ShortDescription ? ` — ${d.ShortDescription}` : ''}`).join('; ')}.` : '';
      }
      return {
        id: 'registration',
        title: '10DLC registration',
        status: reg.RegistrationStatus === 'DELETED' || reg.RegistrationStatus === 'REQUIRES_UPDATES' ? 'blocking' : 'problem',
        detail: `Registration ${registrationId} is ${reg.RegistrationStatus ?? 'unknown'}, not COMPLETE: carriers may filter messages.${reasons}`,
      };
    } catch (e) {
      const x = explainError(e, { operation: 'DescribeRegistrations' });
      return { id: 'registration', title: '10DLC registration', status: 'unknown', detail: `Unknown: ${x.category === 'access-denied' ? 'the role may not call DescribeRegistrations' : x.message}.` };
    }
  }
}
