/**
 * Turns AWS SDK and network errors into messages that say what failed, why, and what to do.
 * No SDK import: errors are read by their `name`, `code` and `message`, as the SDK shapes them.
 */
import * as l10n from '@vscode/l10n';
import { getErrorMessage, withoutUserInfo } from '../core/redact';

export type ErrorCategory =
  | 'access-denied'
  | 'invalid-phone'
  | 'opted-out'
  | 'expired'
  | 'bad-credentials'
  | 'sso-login'
  | 'mfa'
  | 'profile'
  | 'unreachable'
  | 'timeout'
  | 'throttled'
  | 'not-implemented'
  | 'cancelled'
  | 'wrong-account'
  | 'clock'
  | 'unknown';

export interface ExplainedError {
  readonly category: ErrorCategory;
  /** One sentence: what failed and why. */
  readonly message: string;
  /** What to do next. */
  readonly hint: string;
  /** The error code or name as AWS gave it, for the log. */
  readonly code: string;
}

export interface ErrorContext {
  /** e.g. "AssumeRole", "Publish". */
  readonly operation: string;
  readonly profile?: string;
  readonly roleArn?: string;
  readonly endpoint?: string;
}

/** An error the extension raises itself, already explained. */
export class TenDlcError extends Error {
  constructor(
    readonly category: ErrorCategory,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'TenDlcError';
  }
}

interface ErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** A non-empty string, or undefined: a DOMException's `code` is a number (20 for an abort), never an AWS code. */
function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function codeOf(e: unknown): string {
  if (typeof e !== 'object' || e === null) {
    return 'Error';
  }
  const err = e as ErrorLike;
  if (err.name === 'AbortError') {
    return 'AbortError';
  }
  const causeCode =
    typeof err.cause === 'object' && err.cause !== null ? text((err.cause as ErrorLike).code) : undefined;
  return text(err.Code) ?? text(err.code) ?? causeCode ?? text(err.name) ?? 'Error';
}

/** The error for an operation the user cancelled (an AbortSignal fired before or between AWS calls). */
export function cancelledError(operation: string): TenDlcError {
  return new TenDlcError('cancelled', l10n.t('{0} was cancelled.', operation), l10n.t('Run the command again when ready.'));
}

/** Throws the `cancelled` error when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted) {
    throw cancelledError(operation);
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const TIMEOUT_CODES = new Set(['TimeoutError', 'ETIMEDOUT', 'RequestTimeout', 'ESOCKETTIMEDOUT', 'DeadlineExceeded']);
/** The codes AWS refuses a request with when its signing time is too far from the server's (the SDK's list, less AccessDeniedException). */
const SKEW_CODES = new Set(['SignatureDoesNotMatch', 'InvalidSignatureException', 'RequestTimeTooSkewed', 'RequestExpired', 'RequestInTheFuture', 'AuthFailure']);
/** AWS's wording for a signing time out of its window: "Signature expired: … is now earlier than …", "… not yet current …". */
const SKEW_TEXT = /Signature expired|Signature not yet current|RequestTimeTooSkewed|request time (is )?too skewed|difference between the request time and the (current|server's) time/i;
/** Below this, an offset is ordinary drift (the SDK's own threshold for "clock skew corrected" is 4 minutes). */
const SKEW_THRESHOLD_MS = 4 * 60_000;

/** An AWS refusal (4xx) of a request for the time it was signed at. */
export function isSkewRefusal(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) {
    return false;
  }
  const err = e as ErrorLike;
  const status = err.$metadata?.httpStatusCode;
  if (status === undefined || status < 400 || status >= 500) {
    return false;
  }
  const code = codeOf(e);
  return code === 'RequestTimeTooSkewed' || (SKEW_CODES.has(code) && SKEW_TEXT.test(err.message ?? ''));
}

function amzTime(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/**
 * How far the endpoint's clock is from this computer's (server − local, ms) when an error shows they differ by
 * minutes; undefined when it does not. Read from AWS's "Signature expired: SIGNED is now earlier than … (SERVER - 5
 * min.)" text, the error's ServerTime, or the answer's Date header.
 */
export function clockSkewOf(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) {
    return undefined;
  }
  const err = e as ErrorLike & { ServerTime?: unknown; $response?: { headers?: Record<string, string | undefined> }; $tendlcClockSkewMs?: number };
  if (typeof err.$tendlcClockSkewMs === 'number') {
    return err.$tendlcClockSkewMs;
  }
  let skew: number | undefined;
  const m = /(\d{8}T\d{6}Z) is (?:now earlier|still later) than \d{8}T\d{6}Z \((\d{8}T\d{6}Z) [-+]/.exec(err.message ?? '');
  const signed = m ? amzTime(m[1]) : undefined;
  const server = m ? amzTime(m[2]) : undefined;
  if (signed !== undefined && server !== undefined) {
    skew = server - signed;
  } else {
    const serverTime = typeof err.ServerTime === 'string' ? err.ServerTime : err.$response?.headers?.['date'] ?? err.$response?.headers?.['Date'];
    const t = serverTime ? Date.parse(serverTime) : NaN;
    skew = Number.isNaN(t) ? undefined : t - Date.now();
  }
  return skew !== undefined && Math.abs(skew) >= SKEW_THRESHOLD_MS ? skew : undefined;
}

/** "12 minutes behind" / "3 hours ahead of": how this computer's clock stands to the server's. */
function skewWords(skewMs: number): string {
  const minutes = Math.round(Math.abs(skewMs) / 60_000);
  const amount = minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `${amount} ${skewMs > 0 ? 'behind' : 'ahead of'}`;
}

/**
 * Whether a failed call's request may have reached AWS and been acted on — what a Publish needs to know, since
 * a Publish acted on is a message sent and billed:
 * - `not-sent`: it provably was not (nothing was written to the connection: refused, DNS, a connect timeout, a
 *   cancel before writing), or AWS answered with one of its own 4xx errors (it refused the request);
 * - `unknown`: the request was written and then the answer was lost (a timeout, a reset, a cancel), or the answer
 *   was a 5xx, or not an AWS answer at all (a proxy's HTML page), or an AWS success that could not be read.
 */
export function requestOutcome(e: unknown): 'not-sent' | 'unknown' {
  if (e instanceof TenDlcError) {
    return 'not-sent';
  }
  if (typeof e !== 'object' || e === null) {
    return 'not-sent';
  }
  const err = e as ErrorLike & { $fault?: string; $tendlcRequest?: string };
  const status = err.$metadata?.httpStatusCode;
  if (status !== undefined) {
    return status >= 400 && status < 500 && isAwsErrorAnswer(e) ? 'not-sent' : 'unknown';
  }
  return err.$tendlcRequest === 'sent' || err.$tendlcRequest === 'unknown' ? 'unknown' : 'not-sent';
}

/** The answer's body (or what the parser quoted of it) is an HTML page: a proxy, a captive portal, a web server. */
function looksLikeHtml(e: unknown): boolean {
  const err = e as ErrorLike & { $responseBodyText?: unknown; $response?: { body?: unknown } };
  const body = err.$response?.body;
  const head =
    typeof err.$responseBodyText === 'string'
      ? err.$responseBodyText
      : body instanceof Uint8Array
        ? Buffer.from(body.subarray(0, 1024)).toString('utf8')
        : '';
  return /<(?:!doctype html|html|head|body|title|center)\b/i.test(`${head} ${err.message ?? ''}`);
}

/** An error the SDK read from an AWS error document (a code and a fault side), not from a page it could not parse. */
function isAwsErrorAnswer(e: unknown): boolean {
  const err = e as ErrorLike & { $fault?: string; $responseBodyText?: unknown };
  const code = codeOf(e);
  return (err.$fault === 'client' || err.$fault === 'server') && code !== 'Error' && code !== 'Unknown' && code !== 'UnknownError' && !/deseriali/i.test(err.message ?? '');
}

/** Explains any error thrown by an AWS call. */
export function explainError(e: unknown, ctx: ErrorContext): ExplainedError {
  if (e instanceof TenDlcError) {
    return { category: e.category, message: e.message, hint: e.hint, code: e.category };
  }
  const tagged = typeof e === 'object' && e !== null ? (e as { $tendlcOperation?: string; $tendlcEndpoint?: string }) : {};
  if (tagged.$tendlcOperation) {
    ctx = { ...ctx, operation: tagged.$tendlcOperation, endpoint: tagged.$tendlcEndpoint ?? ctx.endpoint };
  }
  // An endpoint_url may carry a password (http://user:pw@host): a message never does.
  ctx = ctx.endpoint ? { ...ctx, endpoint: withoutUserInfo(ctx.endpoint) } : ctx;
  const code = codeOf(e);
  const raw = getErrorMessage(e);
  const status = typeof e === 'object' && e !== null ? (e as ErrorLike).$metadata?.httpStatusCode : undefined;
  const who = ctx.profile ? ` with profile "${ctx.profile}"` : '';
  const where = ctx.endpoint ? ` at ${ctx.endpoint}` : '';

  if (code === 'AbortError' || /aborted|cancel/i.test(code)) {
    return { category: 'cancelled', code, message: l10n.t('{0} was cancelled.', ctx.operation), hint: l10n.t('Run the command again when ready.') };
  }
  const written = typeof e === 'object' && e !== null && (e as { $tendlcRequest?: string }).$tendlcRequest === 'sent';
  if (written && (code === 'ECONNRESET' || code === 'EPIPE' || /ECONNRESET|socket hang up/.test(raw))) {
    return {
      category: 'unreachable',
      code,
      message: l10n.t('{0}{1} lost its connection to the AWS endpoint{2} after the request was sent ({3}).', ctx.operation, who, where, code),
      hint: l10n.t('Check your network, proxy and VPN, then try again.'),
    };
  }
  if (NETWORK_CODES.has(code) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET/.test(raw)) {
    return {
      category: 'unreachable',
      code,
      message: l10n.t('{0}{1} could not reach the AWS endpoint{2} ({3}).', ctx.operation, who, where, code),
      hint: ctx.endpoint
        ? l10n.t('Check that the endpoint is running and reachable, or fix endpoint_url in the profile.')
        : l10n.t('Check your network connection, proxy and VPN, then try again.'),
    };
  }
  if (TIMEOUT_CODES.has(code) || /timed? ?out/i.test(raw)) {
    return {
      category: 'timeout',
      code,
      message: l10n.t('{0}{1} got no complete answer from the AWS endpoint{2} in time.', ctx.operation, who, where),
      hint: l10n.t('Check the endpoint and your network (a proxy or VPN that holds connections open), then try again.'),
    };
  }
  // An answer that is not AWS's (an HTML page, a proxy's error): said so, rather than read as an AWS error code.
  // moto answers an action it lacks with an HTML 500, handled below as "does not implement".
  if (status !== undefined && status !== 500 && status !== 501 && !isAwsErrorAnswer(e) && ((status >= 502 && status <= 504) || looksLikeHtml(e))) {
    return {
      category: 'unreachable',
      code,
      message: status >= 502 && status <= 504
          ? l10n.t('{0}{1} got HTTP {2} from {3}, not an answer from AWS: a proxy or gateway between here and AWS failed.', ctx.operation, who, status, ctx.endpoint ?? l10n.t('the endpoint'))
          : l10n.t('{0}{1} got HTTP {2} from {3}, not an answer from AWS: a proxy, a firewall or a wrong endpoint_url answered instead of AWS.', ctx.operation, who, status, ctx.endpoint ?? l10n.t('the endpoint')),
      hint: l10n.t('Check your proxy, VPN or the endpoint in endpoint_url, then try again.'),
    };
  }
  if (/sso/i.test(raw) && /(sso login|token.*(expired|not found|invalid)|refresh)/i.test(raw)) {
    return {
      category: 'sso-login',
      code,
      message: l10n.t('The SSO session for profile "{0}" needs a login.', ctx.profile ?? '?'),
      hint: l10n.t('Run "aws sso login --profile {0}" in a terminal, then try again.', ctx.profile ?? l10n.t('NAME')),
    };
  }
  if (/mfa/i.test(raw) && /(code|token|provider)/i.test(raw)) {
    return {
      category: 'mfa',
      code,
      message: l10n.t('{0}{1} needs a valid MFA code.', ctx.operation, who),
      hint: l10n.t('Enter the current 6-digit code from the MFA device named by mfa_serial.'),
    };
  }
  if (code === 'CredentialsProviderError' || /Could not load credentials|Profile .* (was not found|could not be found)|source_profile/i.test(raw)) {
    return {
      category: 'profile',
      code,
      message: l10n.t('Could not get credentials for profile "{0}": {1}', ctx.profile ?? '?', raw),
      hint: l10n.t('Check the profile in your AWS config and credentials files (the 10DLC view lists problems with file and line).'),
    };
  }
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException' || /expired/i.test(code)) {
    return {
      category: 'expired',
      code,
      message: l10n.t('The credentials used for {0}{1} have expired.', ctx.operation, who),
      hint: l10n.t('Refresh the credentials of that profile (or run the command again to assume the role anew).'),
    };
  }
  const skew = clockSkewOf(e);
  if (isSkewRefusal(e) || (SKEW_CODES.has(code) && (skew !== undefined || SKEW_TEXT.test(raw)))) {
    return {
      category: 'clock',
      code,
      message:
        skew !== undefined
          ? l10n.t('AWS refused {0}{1} because this computer\'s clock is {2} AWS\'s time (AWS accepts requests signed within a few minutes of its own time).', ctx.operation, who, skewWords(skew))
          : l10n.t('AWS refused {0}{1} because the time it was signed at is too far from AWS\'s time: this computer\'s clock is off.', ctx.operation, who),
      hint: l10n.t('Set the clock to update automatically (NTP, "Set time automatically"), check its time zone, then try again.'),
    };
  }
  if (['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'InvalidAccessKeyId'].includes(code)) {
    return {
      category: 'bad-credentials',
      code,
      message: l10n.t('AWS did not accept the credentials of profile "{0}" ({1}).', ctx.profile ?? '?', code),
      hint: l10n.t('The access key may be deactivated, deleted or mistyped; check it with "aws sts get-caller-identity --profile NAME".'),
    };
  }
  if (['AccessDenied', 'AccessDeniedException', 'AuthorizationError', 'AuthorizationErrorException', 'UnauthorizedOperation'].includes(code) || status === 403) {
    if (ctx.operation === 'AssumeRole') {
      return {
        category: 'access-denied',
        code,
        message: l10n.t('AWS refused to let profile "{0}" assume {1}.', ctx.profile ?? '?', ctx.roleArn ?? l10n.t('the role')),
        hint:
          l10n.t('Either the role\'s trust policy does not trust this secondary account, or the secondary\'s own policy lacks sts:AssumeRole on the role, or a required external id / MFA condition is not met. Run "10DLC: Generate Cross-Account Policies" and compare.'),
      };
    }
    return {
      category: 'access-denied',
      code,
      message: l10n.t('AWS refused {0}{1}: the identity may not call it.', ctx.operation, who),
      hint:
        ctx.operation === 'Publish'
          ? l10n.t('The role\'s permissions policy must allow sns:Publish on "*". Run "10DLC: Generate Cross-Account Policies" for the policy to attach.')
          : l10n.t('Grant the permission in IAM, or ask your account administrator.'),
    };
  }
  if (/opted ?out/i.test(raw) || code === 'OptedOut') {
    return {
      category: 'opted-out',
      code,
      message: l10n.t('The destination number has opted out of SMS from the primary account.'),
      hint: l10n.t('Use another test number, or have the recipient reply START / opt back in from the primary account (sns opt-in-phone-number).'),
    };
  }
  if ((code === 'InvalidParameter' || code === 'InvalidParameterException' || code === 'InvalidParameterValue') && /phone|E\.?164/i.test(raw)) {
    return {
      category: 'invalid-phone',
      code,
      message: l10n.t('AWS rejected the phone number: {0}', raw),
      hint: l10n.t('Enter the number in E.164 format: + country code and digits, e.g. +12065550123.'),
    };
  }
  if (['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'ThrottledException'].includes(code) || status === 429) {
    return {
      category: 'throttled',
      code,
      message: l10n.t('AWS throttled {0} after the SDK\'s retries.', ctx.operation),
      hint: l10n.t('Wait a minute and try again; the primary account may be at its SMS rate quota.'),
    };
  }
  if (status === 501 || (status !== undefined && status >= 500 && /deseriali|not (yet )?implemented|Unexpected token|<html/i.test(raw)) || /not (yet )?implemented/i.test(raw)) {
    return {
      category: 'not-implemented',
      code,
      message: l10n.t('The endpoint{0} does not implement {1}.', where, ctx.operation),
      hint: l10n.t('This is expected with some AWS emulators; against real AWS it would work.'),
    };
  }
  return {
    category: 'unknown',
    code,
    message: l10n.t('{0}{1} failed: {2}', ctx.operation, who, raw),
    hint: l10n.t('See the "10DLC Cross-Account" output for details.'),
  };
}
