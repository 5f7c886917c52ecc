/**
 * Entry of the AWS layer. It is bundled separately (dist/aws.js) and loaded on the first AWS call,
 * so that activating the extension loads no AWS SDK module.
 */
import { AccountResolver } from './accounts';
import { ClientFactory, type ClientFactoryOptions } from './clients';
import { SessionManager } from './sessions';
import { SmsService } from './sms';

export { explainError, TenDlcError } from './errors';
export type { ErrorCategory, ExplainedError } from './errors';
export { runTestSend } from './testSend';
export type { ConfirmDetails, TestSendPrompts, TestSendResult } from './testSend';
export type { AccountState } from './accounts';
export type { AssumedSession, AssumeRequest, SessionPrompts } from './sessions';
export type { OptOutState, SmsRequest, SmsType } from './sms';
export type { Logger, MfaCodeProvider, Timeouts } from './clients';

export interface AwsServicesOptions extends ClientFactoryOptions {
  /** Region for profiles that name none. */
  readonly defaultRegion: () => string;
  readonly lookupConcurrency?: number;
}

export function createAwsServices(opts: AwsServicesOptions) {
  const clients = new ClientFactory(opts);
  return {
    clients,
    accounts: new AccountResolver(clients, opts.defaultRegion, opts.lookupConcurrency ?? 4),
    sessions: new SessionManager(clients),
    sms: new SmsService(clients),
  };
}

export type AwsServices = ReturnType<typeof createAwsServices>;
