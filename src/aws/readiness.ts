/**
 * The one readiness model: every reason a test SMS would not go out is a `Check`, written once and
 * run by one runner, and shown two ways — Check Setup's report and tree (checks.ts), and the send
 * confirmation's pre-flight (preflight.ts). A check reads with whatever credentials the caller
 * gives it (the primary's own in Check Setup, the assumed role in a send); a read the endpoint does
 * not implement, or that the caller may not make, makes the check "unknown" with why — the runner
 * does that for every check, so no check handles it itself.
 */
import { GetSMSAttributesCommand, GetSMSSandboxAccountStatusCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { RAMClient } from '@aws-sdk/client-ram';
import { setMaxListeners } from 'node:events';
import type { SharingMode, SpendLimitInfo } from '../core/sharing';
import { explainError } from './errors';
import { readNumber, type NumberDirectory, type NumberInfo } from './numbers';
import { findSharedNumber, readAccountTier, readTextSpendLimit, type SharedNumber } from './sharing';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** Commands that fix a failed check; the UI maps them to its command ids. */
export type FixId =
  | 'setPrimary'
  | 'addSecondary'
  | 'setOriginationNumber'
  | 'generatePolicies'
  | 'createRole'
  | 'verifySandboxNumber'
  | 'openDocs'
  | 'raiseSpendLimit'
  | 'enableDeliveryLogging'
  | 'grantSnsNumberAccess'
  /** resourceShare mode: share the number with the secondaries (its resource policy). */
  | 'shareNumber'
  /** resourceShare mode: accept the primary's RAM invitation, from the secondary the check is about. */
  | 'acceptInvitation'
  /** resourceShare mode: a secondary's own End User Messaging spend limit. */
  | 'raiseSecondarySpendLimit';

/** Every check's id, in the order the report lists them within a profile. */
export const CHECK_ORDER = [
  'primary',
  'secondaries',
  'credentials',
  'number',
  'eum-number',
  'registration',
  'sns-number-access',
  'sns-opt-out-access',
  'sharing',
  'shared-number',
  'capacity',
  'shared-brand',
  'delivery-logging',
  'role',
  'sandbox',
  'sandbox-destination',
  'spend-limit',
  'consumer-spend-limit',
  'consumer-sandbox',
  'assume',
  'region',
  'opt-out',
  'ten-dlc-holdings',
] as const;

export type CheckId = (typeof CHECK_ORDER)[number];

export interface CheckResult {
  readonly id: CheckId;
  /** The profile the check is about ('' for the setup as a whole). */
  readonly subject: string;
  readonly title: string;
  /** In a send, `fail` blocks: the confirmation then needs an explicit "Send Anyway". */
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: FixId;
}

/** What a check finds; `id`, `title` and `subject` default to the check's own (a check may report several). */
export interface Outcome {
  readonly id?: CheckId;
  /** The profile it is about, when not the one the check ran for (e.g. a primary-side finding about a secondary). */
  readonly subject?: string;
  readonly title?: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: FixId;
}

export type Scope = 'setup' | 'send';

/** Reads of the primary account that several checks share: each is made once per run. */
export interface PrimaryReads {
  /** GetSMSAttributes, unfiltered (some endpoints answer a filtered request with the first name only). */
  readonly smsAttributes: () => Promise<Record<string, string>>;
  /** GetSMSSandboxAccountStatus. */
  readonly inSandbox: () => Promise<boolean>;
  /** DescribePhoneNumbers for the origination number, with its registration and resource policies. */
  readonly number: () => Promise<NumberInfo | undefined>;
}

/** What a secondary sees with its own credentials (resourceShare mode); each read is made once per run. */
export interface ConsumerReads {
  /** DescribePhoneNumbers Owner = SHARED, looking for the origination number. */
  readonly sharedNumber: () => Promise<SharedNumber | undefined>;
  /** DescribeSpendLimits: the account's monthly text-message limit. */
  readonly spendLimit: () => Promise<SpendLimitInfo | undefined>;
  /** DescribeAccountAttributes ACCOUNT_TIER: SANDBOXED or PRODUCTION. */
  readonly tier: () => Promise<string | undefined>;
}

/** A secondary that sends with its own credentials (resourceShare mode). */
export interface ConsumerEnv {
  readonly profile: string;
  /** Its account, when known: the account billed for its messages. */
  readonly accountId?: string;
  /** End User Messaging and RAM with the secondary's own credentials. */
  readonly eum: PinpointSMSVoiceV2Client;
  readonly ram: RAMClient;
  readonly reads: ConsumerReads;
}

/** The consumer reads several checks share. */
export function consumerReads(eum: PinpointSMSVoiceV2Client, number: string | undefined, signal?: AbortSignal): ConsumerReads {
  return {
    sharedNumber: once(async () => (number ? findSharedNumber(eum, number, signal) : undefined)),
    spendLimit: once(() => readTextSpendLimit(eum, signal)),
    tier: once(() => readAccountTier(eum, signal)),
  };
}

export interface CheckEnv {
  readonly scope: Scope;
  /** The sharing mode the checks are for: a check runs only in the modes it lists. */
  readonly mode: SharingMode;
  /** The number's region. */
  readonly region: string;
  readonly originationNumber?: string;
  readonly destination?: string;
  readonly primaryAccountId: string;
  /** Who reads, for "may not call" messages: "the primary profile", "the role". */
  readonly reader: string;
  /** SNS and End User Messaging clients with the reading credentials. */
  readonly sns: SNSClient;
  readonly eum: PinpointSMSVoiceV2Client;
  readonly reads: PrimaryReads;
  /** For checks about the sending profile. */
  readonly sender?: { readonly profile: string; readonly region?: string };
  /** For checks that run with a secondary's own credentials (resourceShare mode). */
  readonly consumer?: ConsumerEnv;
  readonly signal?: AbortSignal;
}

export interface Check {
  readonly id: CheckId;
  readonly title: string;
  /**
   * What it is about: `primary` runs once with the primary account's credentials; `session` with an
   * assumed session of a sender (role mode); `sender` once per sending profile; `consumer` with a
   * sender's own credentials (resourceShare mode).
   */
  readonly on: 'primary' | 'session' | 'sender' | 'consumer';
  readonly scopes: readonly Scope[];
  /** The sharing modes it applies to. */
  readonly modes: readonly SharingMode[];
  /** The AWS operation behind it, named when the answer is "unknown". */
  readonly operation: string;
  readonly run: (env: CheckEnv) => Promise<Outcome | readonly Outcome[] | undefined>;
}

/** Why a read could not be made, as the detail of an "unknown" result. */
export function unknownDetail(e: unknown, operation: string, reader: string): string {
  const x = explainError(e, { operation });
  switch (x.category) {
    case 'access-denied':
      return `Unknown: ${reader} may not call ${operation} (${x.code}).`;
    case 'not-implemented':
      return `Unknown: the endpoint does not implement ${operation}.`;
    case 'cancelled':
      return 'Cancelled.';
    default:
      return `Unknown: ${x.message}`;
  }
}

/**
 * Runs the checks that apply to `on` in `scope`, in parallel, each guarded: a check that throws is
 * "unknown" with why. Results carry `subject`; order is the check order.
 */
export async function runChecks(checks: readonly Check[], on: Check['on'], env: CheckEnv, subject: string): Promise<CheckResult[]> {
  const applicable = checks.filter((c) => c.on === on && c.scopes.includes(env.scope) && c.modes.includes(env.mode));
  const results = await Promise.all(
    applicable.map(async (c): Promise<CheckResult[]> => {
      try {
        const out = await c.run(env);
        const list: readonly Outcome[] = out === undefined ? [] : Array.isArray(out) ? out : [out as Outcome];
        return list.map((o) => ({ id: o.id ?? c.id, subject: o.subject ?? subject, title: o.title ?? c.title, status: o.status, detail: o.detail, ...(o.fix ? { fix: o.fix } : {}) }));
      } catch (e) {
        return [{ id: c.id, subject, title: c.title, status: 'unknown', detail: unknownDetail(e, c.operation, env.reader) }];
      }
    }),
  );
  return results.flat();
}

/** Orders results by profile (as given; '' first), then by check. */
export function ordered(results: readonly CheckResult[], subjects: readonly string[]): CheckResult[] {
  const rank = (s: string): number => (s === '' ? -1 : subjects.indexOf(s));
  const order = CHECK_ORDER as readonly string[];
  return [...results].sort((a, b) => rank(a.subject) - rank(b.subject) || order.indexOf(a.id) - order.indexOf(b.id));
}

const SEND_ORDER: Record<CheckStatus, number> = { fail: 0, warn: 1, unknown: 2, pass: 3 };

/** Problems first, for the send confirmation. */
export function problemsFirst(results: readonly CheckResult[]): CheckResult[] {
  return [...results].sort((a, b) => SEND_ORDER[a.status] - SEND_ORDER[b.status]);
}

/** Memoises a read for one run. */
export function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

/**
 * The primary-account reads several checks share, each made once per run. With `numbers.directory`, the number is
 * read by the ids an earlier read found (one round trip) and what this read finds is kept for the next;
 * `numbers.brand` looks for the campaign's brand even when its id is not known yet.
 */
export function primaryReads(
  sns: SNSClient,
  eum: PinpointSMSVoiceV2Client,
  input: { readonly originationNumber?: string; readonly region: string },
  primaryAccountId: string,
  signal?: AbortSignal,
  numbers: { readonly directory?: NumberDirectory; readonly brand?: boolean } = { brand: true },
): PrimaryReads {
  const readTheNumber = async (number: string): Promise<NumberInfo | undefined> => {
    const info = await readNumber(eum, number, { accountId: primaryAccountId, region: input.region }, signal, {
      known: numbers.directory?.get(primaryAccountId, input.region, number),
      brand: numbers.brand,
    });
    numbers.directory?.learn(primaryAccountId, input.region, number, info);
    return info;
  };
  return {
    smsAttributes: once(async () => (await sns.send(new GetSMSAttributesCommand({}), { abortSignal: signal })).attributes ?? {}),
    inSandbox: once(async () => (await sns.send(new GetSMSSandboxAccountStatusCommand({}), { abortSignal: signal })).IsInSandbox === true),
    number: once(async () => (input.originationNumber ? readTheNumber(input.originationNumber) : undefined)),
  };
}

/**
 * A run makes a few dozen calls at once, each waiting on the one cancel signal: more than Node's
 * default of 10 listeners, which is not a leak here (each call removes its listener when it ends).
 */
export function shareSignal(signal: AbortSignal | undefined): void {
  if (signal) {
    setMaxListeners(100, signal);
  }
}
