/**
 * Pre-flight of a test SMS: the send confirmation's side of the one readiness model
 * (readiness.ts). It runs the shared list of checks (readinessChecks.ts) that apply to a send, with
 * the assumed session in the primary account, plus those about the sending profile. Each call is
 * bounded (one attempt, short timeouts); a call the endpoint does not implement or the role may not
 * make is "unknown", with why, and never blocks the send. A `fail` blocks: the confirmation then
 * needs an explicit "Send Anyway".
 */
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory } from './clients';
import type { NumberInfo } from './numbers';
import { primaryReads, problemsFirst, runChecks, type CheckEnv, type CheckResult, shareSignal } from './readiness';
import { CHECKS } from './readinessChecks';
import type { AssumedSession } from './sessions';

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

export class Preflight {
  constructor(private readonly clients: ClientFactory) {}

  async run(session: AssumedSession, via: AwsProfile | undefined, input: PreflightInput, signal?: AbortSignal): Promise<PreflightResult> {
    const started = Date.now();
    shareSignal(signal);
    const ctx = { profile: `${session.profile} → role`, account: session.accountId, region: input.region };
    const sns = this.clients.sns(via, session.credentials, ctx, this.clients.checkTimeouts);
    const eum = this.clients.smsVoice(via, session.credentials, ctx, this.clients.checkTimeouts);
    const reads = primaryReads(sns, eum, input, session.accountId, signal);
    const env: CheckEnv = {
      scope: 'send',
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
}
