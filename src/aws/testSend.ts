/**
 * The whole test-send flow, free of UI: get (or assume) the session, check the destination's
 * opt-out state, ask for confirmation naming the billed primary account, publish, and re-assume once
 * if the session expired on the way.
 */
import type { AwsProfile } from '../core/profiles';
import type { Logger } from './clients';
import { explainError, TenDlcError } from './errors';
import type { AssumedSession, AssumeRequest, SessionManager, SessionPrompts } from './sessions';
import type { OptOutState, SmsRequest, SmsService } from './sms';

export interface ConfirmDetails {
  readonly session: AssumedSession;
  readonly request: SmsRequest;
  readonly optOut: OptOutState;
}

export interface TestSendPrompts extends SessionPrompts {
  /** The modal confirmation. True only when the user explicitly agrees to send (and be billed). */
  readonly confirm: (details: ConfirmDetails) => Promise<boolean>;
}

export type TestSendResult =
  | { readonly outcome: 'sent'; readonly messageId: string; readonly session: AssumedSession; readonly optOut: OptOutState }
  | { readonly outcome: 'cancelled' };

export interface TestSendDeps {
  readonly sessions: SessionManager;
  readonly sms: SmsService;
  readonly logger: Logger;
}

export async function runTestSend(
  deps: TestSendDeps,
  assume: AssumeRequest,
  sms: SmsRequest,
  via: AwsProfile | undefined,
  prompts: TestSendPrompts,
  signal?: AbortSignal,
): Promise<TestSendResult> {
  let session = await deps.sessions.getOrAssume(assume, prompts, signal);
  const optOut = await deps.sms.optOutState(session, via, sms.destination, sms.region, signal);
  if (optOut.status === 'unknown') {
    deps.logger.info(`Opt-out check: unknown (${optOut.reason})`);
  }
  if (!(await prompts.confirm({ session, request: sms, optOut }))) {
    deps.logger.info('Test SMS cancelled at the confirmation; nothing was sent.');
    return { outcome: 'cancelled' };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const messageId = await deps.sms.publish(session, via, sms, signal);
      return { outcome: 'sent', messageId, session, optOut };
    } catch (e) {
      const x = explainError(e, { operation: 'Publish', profile: assume.profile.name });
      if (x.category === 'expired' && attempt === 1) {
        deps.logger.warn('The assumed session expired before Publish; assuming the role again once.');
        deps.sessions.forget(assume.profile.name);
        session = await deps.sessions.assume(assume, prompts, signal);
        continue;
      }
      if (x.category === 'expired') {
        throw new TenDlcError('expired', 'The session expired again right after it was renewed.', 'Check the clock of this machine and the role\'s maximum session duration, then try again.');
      }
      throw e;
    }
  }
}
