/**
 * Pre-flight of a test SMS: the send confirmation's side of the one readiness model
 * (readiness.ts). It runs the shared list of checks (readinessChecks.ts) that apply to a send, with
 * the assumed session in the primary account, plus those about the sending profile. Each call is
 * bounded (one attempt, short timeouts); a call the endpoint does not implement or the role may not
 * make is "unknown", with why, and never blocks the send. A `fail` blocks: the confirmation then
 * needs an explicit "Send Anyway".
 *
 * Every read is made at once (one round trip): the number by the ids an earlier read found (numbers.ts), the
 * destination's opt-out state beside it. What does not depend on the destination (the spend limit and logging, the
 * sandbox, the number with its registration and policies) is kept per session and number for a few minutes, so the
 * next send asks only whether its destination opted out. It is read again after that, with another session, after
 * any change the extension made in an account (ClientFactory.writes), or when a read was not answered.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsProfile } from '../core/profiles';
import type { SpendLimitInfo } from '../core/sharing';
import type { ClientFactory } from './clients';
import type { NumberDirectory, NumberInfo } from './numbers';
import { consumerReads, primaryReads, problemsFirst, runChecks, type CheckEnv, type CheckResult, type PrimaryReads, shareSignal } from './readiness';
import { CHECKS } from './readinessChecks';
import type { AssumedSession } from './sessions';
import type { SharedNumber } from './sharing';

export interface DeliveryLogging {
  /** undefined: could not be read. */
  readonly enabled?: boolean;
  readonly successSamplingRate?: number;
}

export interface PreflightResult {
  /** Everything found, problems first. */
  readonly findings: readonly CheckResult[];
  readonly logging: DeliveryLogging;
  /** True when a finding blocks the send (an explicit "send anyway" is needed). */
  readonly blocking: boolean;
  /** The number as the role could read it (for the tree's tooltip). */
  readonly number?: NumberInfo;
  readonly durationMs: number;
}

export interface PreflightInput {
  readonly region: string;
  readonly originationNumber: string;
  readonly destination: string;
}

/** How long what a pre-flight read about the primary's setup is used again for the next send. */
export const PREFLIGHT_REUSE_MS = 5 * 60_000;

/** Answers of the reads that do not depend on the destination, kept for the next send. */
interface Kept {
  readonly session: AssumedSession;
  /** ClientFactory.writes when the reads were made. */
  readonly writes: number;
  readonly values: Partial<{ [K in keyof PrimaryReads]: { readonly at: number; readonly value: Awaited<ReturnType<PrimaryReads[K]>> } }>;
}

/** A resourceShare-mode pre-flight, run with the secondary's own credentials. */
export interface SharedPreflightResult {
  /** Everything found, problems first. */
  readonly findings: readonly CheckResult[];
  readonly blocking: boolean;
  /** The number as the secondary's account sees it (Owner = SHARED): its ARN is what SendTextMessage needs. */
  readonly shared?: SharedNumber;
  /** Its monthly text spend limit, when it could be read. */
  readonly spendLimit?: SpendLimitInfo;
  readonly durationMs: number;
}

/** Who sends in resourceShare mode: the secondary itself, with its own credentials. */
export interface SharedSender {
  readonly profile: AwsProfile;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Its account: the one billed. */
  readonly accountId: string;
}

export class Preflight {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly clients: ClientFactory,
    /** The ids of numbers read before (shared with Check Setup and the tooltip). */
    private readonly numbers?: NumberDirectory,
    private readonly now: () => number = Date.now,
  ) {}

  /** Forgets what earlier pre-flights read (the next one reads everything). */
  forget(): void {
    this.kept.clear();
  }

  async run(session: AssumedSession, via: AwsProfile | undefined, input: PreflightInput, signal?: AbortSignal): Promise<PreflightResult> {
    const started = Date.now();
    shareSignal(signal);
    const ctx = { profile: `${session.profile} → role`, account: session.accountId, region: input.region };
    const sns = this.clients.sns(via, session.credentials, ctx, this.clients.checkTimeouts);
    const eum = this.clients.smsVoice(via, session.credentials, ctx, this.clients.checkTimeouts);
    const reads = this.reads(session, via, input, primaryReads(sns, eum, input, session.accountId, signal, { directory: this.numbers, brand: false }));
    const env: CheckEnv = {
      scope: 'send',
      mode: 'role',
      region: input.region,
      originationNumber: input.originationNumber,
      destination: input.destination,
      primaryAccountId: session.accountId,
      reader: 'the role',
      sns,
      eum,
      reads,
      sender: { profile: session.profile, region: this.clients.regionOf(via) },
      signal,
    };
    try {
      const found = (await Promise.all((['primary', 'session', 'sender'] as const).map((on) => runChecks(CHECKS, on, env, on === 'primary' ? '' : session.profile)))).flat();
      const [logging, number] = await Promise.all([
        reads.smsAttributes().then(
          (a): DeliveryLogging => ({
            enabled: Boolean(a['DeliveryStatusIAMRole']),
            successSamplingRate: a['DeliveryStatusSuccessSamplingRate'] ? Number(a['DeliveryStatusSuccessSamplingRate']) : undefined,
          }),
          (): DeliveryLogging => ({}),
        ),
        reads.number().catch(() => undefined),
      ]);
      const findings = problemsFirst(found);
      return { findings, logging, blocking: findings.some((f) => f.status === 'fail'), number, durationMs: Date.now() - started };
    } finally {
      sns.destroy();
      eum.destroy();
    }
  }

  /**
   * The reads of this run: each one kept from an earlier run of the same session and number when still good, else
   * the fresh read, whose answer is kept for the next run once it came (a read that failed is not kept).
   */
  private reads(session: AssumedSession, via: AwsProfile | undefined, input: PreflightInput, fresh: PrimaryReads): PrimaryReads {
    const key = [session.accountId, input.region, input.originationNumber, this.clients.endpointFor(via, 'sns') ?? '', this.clients.endpointFor(via, 'sms-voice') ?? ''].join('\u0000');
    const now = this.now();
    let entry = this.kept.get(key);
    if (!entry || entry.session !== session || entry.writes !== this.clients.writes) {
      entry = { session, writes: this.clients.writes, values: {} };
      this.kept.set(key, entry);
    }
    const values = entry.values as Record<keyof PrimaryReads, { at: number; value: unknown } | undefined>;
    const reuse = <K extends keyof PrimaryReads>(name: K, keep: (value: Awaited<ReturnType<PrimaryReads[K]>>) => boolean): PrimaryReads[K] => {
      const hit = values[name];
      if (hit && now - hit.at < PREFLIGHT_REUSE_MS) {
        return (() => Promise.resolve(hit.value)) as PrimaryReads[K];
      }
      values[name] = undefined;
      const read = fresh[name] as () => Promise<Awaited<ReturnType<PrimaryReads[K]>>>;
      let started: Promise<Awaited<ReturnType<PrimaryReads[K]>>> | undefined;
      return (() => {
        if (!started) {
          started = read();
          started.then(
            (value) => {
              if (keep(value) && this.kept.get(key) === entry) {
                values[name] = { at: now, value };
              }
            },
            () => undefined,
          );
        }
        return started;
      }) as PrimaryReads[K];
    };
    return {
      smsAttributes: reuse('smsAttributes', () => true),
      inSandbox: reuse('inSandbox', () => true),
      // Kept only when every part of it was read (a refused policy read is asked again next time).
      number: reuse('number', (n) => n === undefined || ([n.registration, n.policy, n.optOutList, n.optOutList?.ok ? n.optOutList.value.policy : undefined] as const).every((r) => r === undefined || r.ok)),
    };
  }

  /**
   * The pre-flight of a resourceShare-mode send (and dry run): the checks that run with the
   * secondary's own credentials — the shared number's visibility (and its ARN), the account's spend
   * limit and sandbox tier, the destination on the number's opt-out list — and those about the
   * profile. There is no primary session here: the primary's own checks belong to Check Setup.
   */
  async runShared(sender: SharedSender, input: PreflightInput & { readonly primaryAccountId: string }, signal?: AbortSignal): Promise<SharedPreflightResult> {
    const started = Date.now();
    shareSignal(signal);
    const ctx = { profile: sender.profile.name, account: sender.accountId, region: input.region };
    const eum = this.clients.smsVoice(sender.profile, sender.credentials, ctx, this.clients.checkTimeouts);
    const ram = this.clients.ram(sender.profile, sender.credentials, ctx, this.clients.checkTimeouts);
    const sns = this.clients.sns(sender.profile, sender.credentials, ctx, this.clients.checkTimeouts);
    const reads = consumerReads(eum, input.originationNumber, signal);
    const env: CheckEnv = {
      scope: 'send',
      mode: 'resourceShare',
      region: input.region,
      originationNumber: input.originationNumber,
      destination: input.destination,
      primaryAccountId: input.primaryAccountId,
      reader: `profile ${sender.profile.name}`,
      sns,
      eum,
      // Never read here: no check about the primary's own account runs in a resourceShare send.
      reads: primaryReads(sns, eum, input, input.primaryAccountId, signal),
      sender: { profile: sender.profile.name, region: sender.profile.region },
      consumer: { profile: sender.profile.name, accountId: sender.accountId, eum, ram, reads },
      signal,
    };
    try {
      const found = (await Promise.all((['consumer', 'sender'] as const).map((on) => runChecks(CHECKS, on, env, sender.profile.name)))).flat();
      const [shared, spendLimit] = await Promise.all([reads.sharedNumber().catch(() => undefined), reads.spendLimit().catch(() => undefined)]);
      const findings = problemsFirst(found);
      return { findings, blocking: findings.some((f) => f.status === 'fail'), shared, spendLimit, durationMs: Date.now() - started };
    } finally {
      eum.destroy();
      ram.destroy();
      sns.destroy();
    }
  }
}
