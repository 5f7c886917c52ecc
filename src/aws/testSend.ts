/**
 * The whole test-send flow, free of UI: get (or assume) the session, check the destination's
 * opt-out state, ask for confirmation naming the billed primary account, publish, and re-assume once
 * if the session expired on the way.
 */
import * as l10n from '@vscode/l10n';
import type { AwsProfile } from '../core/profiles';
import type { Logger } from './clients';
import { explainError, requestOutcome, TenDlcError, throwIfCancelled, type ExplainedError } from './errors';
import type { AssumedSession, AssumeRequest, SessionManager, SessionPrompts } from './sessions';
import type { OptOutState, SmsRequest, SmsService } from './sms';
import type { Preflight, PreflightResult } from './preflight';

export interface ConfirmDetails {
  readonly session: AssumedSession;
  readonly request: SmsRequest;
  readonly optOut: OptOutState;
  /** Everything the pre-flight found, problems first (when the caller runs one). */
  readonly preflight?: PreflightResult;
}

export interface TestSendPrompts extends SessionPrompts {
  /** The modal confirmation. True only when the user explicitly agrees to send (and be billed). */
  readonly confirm: (details: ConfirmDetails) => Promise<boolean>;
}

export type TestSendResult =
  | { readonly outcome: 'sent'; readonly messageId: string; readonly session: AssumedSession; readonly optOut: OptOutState; readonly preflight?: PreflightResult; readonly sentAt: Date }
  /**
   * The Publish request was written and then its answer was lost (a timeout, a reset, a cancel), or the answer was
   * a 5xx or not an AWS answer: the message may have been sent, and billed to the session's (primary) account.
   */
  | { readonly outcome: 'unknown'; readonly reason: ExplainedError; readonly session: AssumedSession; readonly optOut: OptOutState; readonly preflight?: PreflightResult; readonly sentAt: Date }
  | { readonly outcome: 'cancelled' };

export interface TestSendDeps {
  readonly sessions: SessionManager;
  readonly sms: SmsService;
  readonly logger: Logger;
  /** The full pre-flight (spend limit, logging, sandbox, opt-out, number, registration); without it only the opt-out is checked. */
  readonly preflight?: Preflight;
}

/** The opt-out state as the pre-flight found it. */
function optOutOf(p: PreflightResult): OptOutState {
  const f = p.findings.find((x) => x.id === 'opt-out');
  if (!f || f.status === 'unknown') {
    return { status: 'unknown', reason: f?.detail ?? l10n.t('not checked') };
  }
  return { status: f.status === 'pass' ? 'not-opted-out' : 'opted-out' };
}

export async function runTestSend(
  deps: TestSendDeps,
  assume: AssumeRequest,
  sms: SmsRequest,
  via: AwsProfile | undefined,
  prompts: TestSendPrompts,
  signal?: AbortSignal,
): Promise<TestSendResult> {
  throwIfCancelled(signal, 'Send Test SMS');
  let session = await deps.sessions.getOrAssume(assume, prompts, signal);
  const preflight = deps.preflight
    ? await deps.preflight.run(session, via, { region: sms.region, originationNumber: sms.originationNumber, destination: sms.destination }, signal)
    : undefined;
  const optOut = preflight ? optOutOf(preflight) : await deps.sms.optOutState(session, via, sms.destination, sms.region, signal);
  for (const f of preflight?.findings ?? []) {
    deps.logger.info(`Pre-flight ${f.title}: ${f.status} — ${f.detail}`);
  }
  // The check never throws (a cancelled check reads "unknown"): a cancel must still stop here.
  throwIfCancelled(signal, 'Send Test SMS');
  if (!preflight && optOut.status === 'unknown') {
    deps.logger.info(`Opt-out check: unknown (${optOut.reason})`);
  }
  if (!(await prompts.confirm({ session, request: sms, optOut, preflight }))) {
    deps.logger.info('Test SMS cancelled at the confirmation; nothing was sent.');
    return { outcome: 'cancelled' };
  }
  // Cancelled while the confirmation was open: nothing is published, whatever the answer was.
  throwIfCancelled(signal, 'Send Test SMS');
  for (let attempt = 1; ; attempt++) {
    const sentAt = new Date();
    try {
      const messageId = await deps.sms.publish(session, via, sms, signal);
      return { outcome: 'sent', messageId, session, optOut, preflight, sentAt };
    } catch (e) {
      const x = explainError(e, { operation: 'Publish', profile: assume.profile.name });
      if (requestOutcome(e) === 'unknown') {
        deps.logger.warn(`Publish outcome unknown: the request reached the endpoint, and then ${x.message} The message may have been sent and billed to account ${session.accountId}.`);
        return { outcome: 'unknown', reason: x, session, optOut, preflight, sentAt };
      }
      if (x.category === 'expired' && attempt === 1) {
        deps.logger.warn('The assumed session expired before Publish; assuming the role again once.');
        deps.sessions.forget(assume.profile.name);
        session = await deps.sessions.assume(assume, prompts, signal);
        continue;
      }
      if (x.category === 'expired') {
        // The renewed session is refused too: keep no session that AWS says is expired.
        deps.sessions.forget(assume.profile.name);
        throw new TenDlcError('expired', l10n.t('The session expired again right after it was renewed.'), l10n.t('Check the clock of this machine and the role\'s maximum session duration, then try again.'));
      }
      throw e;
    }
  }
}
