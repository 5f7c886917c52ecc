/**
 * Sending through End User Messaging's SendTextMessage, free of UI:
 * - a test SMS in resourceShare mode: the secondary's OWN credentials (the account they act in is
 *   verified with GetCallerIdentity: it is the account billed), the pre-flight of that mode, a
 *   confirmation that names the secondary account as the one billed, then SendTextMessage with the
 *   shared number's ARN — one attempt; an answer lost after the request went out is "unknown";
 * - a dry run in either mode (DryRun = true: checked and validated, not sent, not charged): in role
 *   mode through the assumed role in the primary, in resourceShare mode with the secondary's own
 *   credentials. It needs no confirmation, and a refusal is its result, not an error.
 */
import * as l10n from '@vscode/l10n';
import type { AwsProfile } from '../core/profiles';
import { getErrorMessage } from '../core/redact';
import type { AccountResolver, WriterIdentity } from './accounts';
import type { ClientFactory, Logger, MfaCodeProvider } from './clients';
import { explainError, TenDlcError, throwIfCancelled, type ExplainedError } from './errors';
import type { Preflight, PreflightResult, SharedPreflightResult } from './preflight';
import type { AssumedSession, AssumeRequest, SessionManager, SessionPrompts } from './sessions';
import { sendOutcome, sendText, type TextMessage } from './sharing';

export interface SharedSendRequest {
  /** The secondary profile that sends (and is billed). */
  readonly profile: AwsProfile;
  readonly primaryAccountId: string;
  /** The number's region: sharing is regional, so the call goes there. */
  readonly region: string;
  readonly originationNumber: string;
  readonly destination: string;
  readonly message: string;
  readonly messageType: TextMessage['messageType'];
  readonly maxPrice?: string;
}

export interface SharedConfirmDetails {
  readonly request: SharedSendRequest;
  /** Who sends, as GetCallerIdentity answered for the profile's own credentials: the account billed. */
  readonly sender: WriterIdentity;
  readonly preflight: SharedPreflightResult;
  /** The ARN SendTextMessage will name, and where it was learnt. */
  readonly originationIdentity: string;
  readonly identitySource: 'shared' | 'primary';
}

export interface SharedSendPrompts {
  readonly mfaCode: MfaCodeProvider;
  /** The modal confirmation. True only when the user explicitly agrees to send (and be billed). */
  readonly confirm: (details: SharedConfirmDetails) => Promise<boolean>;
  /**
   * The number's ARN read another way (with the primary's profile) when the secondary could not tell
   * whether the number is shared with it (e.g. it may not call DescribePhoneNumbers).
   */
  readonly numberArn?: () => Promise<string | undefined>;
}

export type SharedSendResult =
  | { readonly outcome: 'sent'; readonly messageId: string; readonly sender: WriterIdentity; readonly preflight: SharedPreflightResult; readonly sentAt: Date }
  /** The request went out and its answer was lost, or was a 5xx: the message may have been sent, and billed to the secondary. */
  | { readonly outcome: 'unknown'; readonly reason: ExplainedError; readonly sender: WriterIdentity; readonly preflight: SharedPreflightResult; readonly sentAt: Date }
  | { readonly outcome: 'cancelled' };

export interface SharedSendDeps {
  readonly clients: ClientFactory;
  readonly accounts: AccountResolver;
  readonly preflight: Preflight;
  readonly logger: Logger;
}

/** The secondary's credentials, its verified account and the resourceShare pre-flight, with the ARN to send from. */
async function prepareShared(
  deps: SharedSendDeps,
  r: Omit<SharedSendRequest, 'message' | 'messageType' | 'maxPrice'>,
  prompts: Pick<SharedSendPrompts, 'mfaCode' | 'numberArn'>,
  signal?: AbortSignal,
): Promise<{ sender: WriterIdentity; preflight: SharedPreflightResult; credentials: ReturnType<ClientFactory['credentialsFor']>; identity?: { arn: string; source: 'shared' | 'primary' } }> {
  const credentials = deps.clients.credentialsFor(r.profile, r.profile.region ?? r.region, prompts.mfaCode, { signal });
  const sender = await deps.accounts.verifyWriter(r.profile, credentials, r.profile.region ?? r.region, signal);
  throwIfCancelled(signal, 'Send Test SMS');
  const preflight = await deps.preflight.runShared(
    { profile: r.profile, credentials, accountId: sender.accountId },
    { region: r.region, originationNumber: r.originationNumber, destination: r.destination, primaryAccountId: r.primaryAccountId },
    signal,
  );
  for (const f of preflight.findings) {
    deps.logger.info(`Pre-flight ${f.title}: ${f.status} — ${f.detail}`);
  }
  if (preflight.shared) {
    return { sender, preflight, credentials, identity: { arn: preflight.shared.arn, source: 'shared' } };
  }
  // Not listed as shared: when that is certain ("fail"), there is no ARN to send from. When it could not be
  // read ("unknown"), the primary's own read of the number gives the ARN to try.
  const visibility = preflight.findings.find((f) => f.id === 'shared-number');
  if (visibility?.status === 'unknown' && prompts.numberArn) {
    const arn = await prompts.numberArn();
    if (arn) {
      deps.logger.info(`The number's ARN was read with the primary's profile: ${arn}.`);
      return { sender, preflight, credentials, identity: { arn, source: 'primary' } };
    }
  }
  return { sender, preflight, credentials };
}

/** The error for a number that is not shared with the sending account. */
function notShared(r: { originationNumber: string; region: string }, sender: WriterIdentity, preflight: SharedPreflightResult): TenDlcError {
  const why = preflight.findings.find((f) => f.id === 'shared-number');
  return new TenDlcError(
    'access-denied',
    why?.detail ?? l10n.t('{0} is not shared with account {1} in {2}.', r.originationNumber, sender.accountId, r.region),
    l10n.t('A shared number is sent from by its ARN, which only a share makes visible. Run "10DLC: Check Setup" for what is missing (the number\'s resource policy, or a RAM invitation to accept).'),
  );
}

export async function runSharedSend(deps: SharedSendDeps, r: SharedSendRequest, prompts: SharedSendPrompts, signal?: AbortSignal): Promise<SharedSendResult> {
  throwIfCancelled(signal, 'Send Test SMS');
  const { sender, preflight, credentials, identity } = await prepareShared(deps, r, prompts, signal);
  throwIfCancelled(signal, 'Send Test SMS');
  if (!identity) {
    throw notShared(r, sender, preflight);
  }
  if (!(await prompts.confirm({ request: r, sender, preflight, originationIdentity: identity.arn, identitySource: identity.source }))) {
    deps.logger.info('Test SMS cancelled at the confirmation; nothing was sent.');
    return { outcome: 'cancelled' };
  }
  // Cancelled while the confirmation was open: nothing is sent, whatever the answer was.
  throwIfCancelled(signal, 'Send Test SMS');
  const eum = deps.clients.smsVoice(r.profile, credentials, { profile: r.profile.name, account: sender.accountId, region: r.region }, deps.clients.sendTimeouts);
  const sentAt = new Date();
  try {
    const messageId = await sendText(eum, { originationIdentity: identity.arn, destination: r.destination, body: r.message, messageType: r.messageType, maxPrice: r.maxPrice }, false, signal);
    if (!messageId) {
      const reason = explainError(new Error('End User Messaging answered SendTextMessage without a message id.'), { operation: 'SendTextMessage', profile: r.profile.name });
      return { outcome: 'unknown', reason, sender, preflight, sentAt };
    }
    return { outcome: 'sent', messageId, sender, preflight, sentAt };
  } catch (e) {
    const x = explainError(e, { operation: 'SendTextMessage', profile: r.profile.name });
    if (sendOutcome(e) === 'unknown') {
      deps.logger.warn(`SendTextMessage outcome unknown: the request reached the endpoint, and then ${x.message} The message may have been sent and billed to account ${sender.accountId}.`);
      return { outcome: 'unknown', reason: x, sender, preflight, sentAt };
    }
    throw e;
  } finally {
    eum.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------
// Dry run

export interface DryRunRequest {
  readonly originationNumber: string;
  readonly destination: string;
  readonly message: string;
  readonly messageType: TextMessage['messageType'];
  readonly maxPrice?: string;
  /** The number's region. */
  readonly region: string;
}

export type DryRunPreflight = { readonly mode: 'role'; readonly result: PreflightResult } | { readonly mode: 'resourceShare'; readonly result: SharedPreflightResult };

export interface DryRunResult {
  /** `passed`: End User Messaging checked and validated the message; `refused`: it answered with why not. Either way nothing was sent or billed. */
  readonly outcome: 'passed' | 'refused';
  /** What it answered for `passed` (a dry run answers a message id for a message that was not sent). */
  readonly messageId?: string;
  readonly error?: ExplainedError;
  /** AWS's own words for a refusal (e.g. which policy refused it). */
  readonly awsMessage?: string;
  /** Who was checked: the assumed role (role mode) or the secondary itself (resourceShare mode). */
  readonly caller: string;
  /** The account a real send would be billed to. */
  readonly billedAccountId: string;
  readonly originationIdentity: string;
  readonly preflight: DryRunPreflight;
  readonly durationMs: number;
}

export interface DryRunDeps extends SharedSendDeps {
  readonly sessions: SessionManager;
}

/** A dry run refused by AWS is a result; anything else (no connection, a cancel) is an error. */
async function dryRunCall(
  deps: DryRunDeps,
  via: AwsProfile | undefined,
  credentials: Parameters<ClientFactory['smsVoice']>[1],
  ctx: { profile: string; account: string; region: string },
  m: TextMessage,
  signal?: AbortSignal,
): Promise<{ ok: true; messageId?: string } | { ok: false; error: ExplainedError; awsMessage: string }> {
  const eum = deps.clients.smsVoice(via, credentials, ctx, deps.clients.checkTimeouts);
  try {
    return { ok: true, messageId: await sendText(eum, m, true, signal) };
  } catch (e) {
    const x = explainError(e, { operation: 'SendTextMessage (DryRun)', profile: ctx.profile });
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== undefined && status >= 400 && status < 500 && x.category !== 'not-implemented') {
      return { ok: false, error: x, awsMessage: getErrorMessage(e) };
    }
    throw e;
  } finally {
    eum.destroy();
  }
}

/** Dry Run Send in role mode: through the assumed role in the primary, with the role-mode pre-flight. */
export async function runRoleDryRun(
  deps: DryRunDeps,
  assume: AssumeRequest,
  r: DryRunRequest,
  prompts: SessionPrompts,
  signal?: AbortSignal,
): Promise<DryRunResult & { readonly session: AssumedSession }> {
  const started = Date.now();
  throwIfCancelled(signal, 'Dry Run Send');
  const session = await deps.sessions.getOrAssume(assume, prompts, signal);
  const preflight = await deps.preflight.run(session, assume.profile, { region: r.region, originationNumber: r.originationNumber, destination: r.destination }, signal);
  throwIfCancelled(signal, 'Dry Run Send');
  // In its own account the role may name the number itself; its ARN when the pre-flight read it.
  const identity = preflight.number?.arn || r.originationNumber;
  const out = await dryRunCall(
    deps,
    assume.profile,
    session.credentials,
    { profile: `${session.profile} → role`, account: session.accountId, region: r.region },
    { originationIdentity: identity, destination: r.destination, body: r.message, messageType: r.messageType, maxPrice: r.maxPrice },
    signal,
  );
  return {
    outcome: out.ok ? 'passed' : 'refused',
    ...(out.ok ? { messageId: out.messageId } : { error: out.error, awsMessage: out.awsMessage }),
    caller: session.assumedRoleArn,
    billedAccountId: session.accountId,
    originationIdentity: identity,
    preflight: { mode: 'role', result: preflight },
    durationMs: Date.now() - started,
    session,
  };
}

/** Dry Run Send in resourceShare mode: with the secondary's own credentials and the shared number's ARN. */
export async function runSharedDryRun(
  deps: DryRunDeps,
  r: DryRunRequest & { readonly profile: AwsProfile; readonly primaryAccountId: string },
  prompts: Pick<SharedSendPrompts, 'mfaCode' | 'numberArn'>,
  signal?: AbortSignal,
): Promise<DryRunResult> {
  const started = Date.now();
  throwIfCancelled(signal, 'Dry Run Send');
  const { sender, preflight, credentials, identity } = await prepareShared(deps, r, prompts, signal);
  throwIfCancelled(signal, 'Dry Run Send');
  if (!identity) {
    throw notShared(r, sender, preflight);
  }
  const out = await dryRunCall(
    deps,
    r.profile,
    credentials,
    { profile: r.profile.name, account: sender.accountId, region: r.region },
    { originationIdentity: identity.arn, destination: r.destination, body: r.message, messageType: r.messageType, maxPrice: r.maxPrice },
    signal,
  );
  return {
    outcome: out.ok ? 'passed' : 'refused',
    ...(out.ok ? { messageId: out.messageId } : { error: out.error, awsMessage: out.awsMessage }),
    caller: sender.arn ?? `account ${sender.accountId}`,
    billedAccountId: sender.accountId,
    originationIdentity: identity.arn,
    preflight: { mode: 'resourceShare', result: preflight },
    durationMs: Date.now() - started,
  };
}
