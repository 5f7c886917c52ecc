/**
 * Entry of the AWS layer. It is bundled separately (dist/aws.js) and loaded on the first AWS call,
 * so that activating the extension loads no AWS SDK module.
 */
import { configureL10n, type L10nBundle } from '../core/l10n';
import { AccountResolver } from './accounts';
import { ClientFactory, type ClientFactoryOptions } from './clients';
import { SessionManager } from './sessions';
import { SmsService } from './sms';
import { RoleManager } from './roleSetup';
import { SetupChecker } from './checks';
import { SandboxService } from './sandbox';
import { DeliveryTracker } from './delivery';
import { Preflight } from './preflight';
import { NumberDirectory, NumberReader, type KeyValueStore } from './numbers';
import { PolicyValidator } from './policyValidation';
import { SharingService } from './sharing';
import { ResourcePolicies } from './resourcePolicies';
import { OrgAccountNames } from './orgNames';

export { explainError, requestOutcome, TenDlcError } from './errors';
export type { ErrorCategory, ExplainedError } from './errors';
export { runTestSend } from './testSend';
export type { ConfirmDetails, TestSendPrompts, TestSendResult } from './testSend';
export type { AccountMismatch, AccountState, WriterIdentity } from './accounts';
export type { DocumentToValidate, PolicyKind } from './policyValidation';
export type { AssumedSession, AssumeRequest, SessionPrompts } from './sessions';
export type { OptOutState, SmsRequest, SmsType } from './sms';
export type { Logger, MfaCodeProvider, Timeouts } from './clients';
export type { CheckId, CheckResult, CheckStatus, FixId, SetupInput, SetupReport } from './checks';
export type { RoleState, RoleTarget } from './roleSetup';
export { INLINE_POLICY_NAME, ROLE_TAG } from './roleSetup';
export { DELIVERY_ROLE_NAME, deliveryRoleDocuments } from './delivery';
export type { DeliveryOutcome } from './delivery';
export type { PreflightResult } from './preflight';
export type { NumberInfo } from './numbers';
export { runRoleDryRun, runSharedDryRun, runSharedSend } from './sharedSend';
export type { DryRunResult, SharedConfirmDetails, SharedSendRequest, SharedSendResult } from './sharedSend';
export type { SharedPreflightResult } from './preflight';
export type { NumberShareState, SharedNumber } from './sharing';
export { sendOutcome } from './sharing';
export type { EumTarget, ResourcePolicyText } from './resourcePolicies';
export type { OrgNamesState } from './orgNames';

export interface AwsServicesOptions extends ClientFactoryOptions {
  /** Region for profiles that name none. */
  readonly defaultRegion: () => string;
  readonly lookupConcurrency?: number;
  /** Where the ids of numbers read are kept between sessions of the editor (VS Code's globalState); none: in memory. */
  readonly store?: KeyValueStore;
  /** VS Code's l10n bundle for the display language (vscode.l10n.bundle): this bundle has its own @vscode/l10n. */
  readonly l10nBundle?: L10nBundle;
}

export function createAwsServices(opts: AwsServicesOptions) {
  configureL10n(opts.l10nBundle);
  const clients = new ClientFactory(opts);
  const accounts = new AccountResolver(clients, opts.defaultRegion, opts.lookupConcurrency ?? 16);
  const sessions = new SessionManager(clients);
  const roles = new RoleManager(clients);
  const directory = new NumberDirectory(opts.store);
  const preflight = new Preflight(clients, directory);
  return {
    clients,
    accounts,
    sessions,
    sms: new SmsService(clients),
    roles,
    checker: new SetupChecker(clients, accounts, sessions, roles, directory),
    sandbox: new SandboxService(clients),
    delivery: new DeliveryTracker(clients),
    preflight,
    numbers: new NumberReader(clients, directory),
    validator: new PolicyValidator(clients),
    orgNames: new OrgAccountNames(clients, opts.defaultRegion),
    /** Closes the kept-alive connections (the extension is deactivated). */
    dispose: () => clients.dispose(),
    sharing: new SharingService(clients),
    resourcePolicies: new ResourcePolicies(clients),
  };
}

export type AwsServices = ReturnType<typeof createAwsServices>;
