/**
 * Turns AWS SDK and network errors into messages that say what failed, why, and what to do.
 * No SDK import: errors are read by their `name`, `code` and `message`, as the SDK shapes them.
 */
import { getErrorMessage } from '../core/redact';

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
  return new TenDlcError('cancelled', `${operation} was cancelled.`, 'Run the command again when ready.');
}

/** Throws the `cancelled` error when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted) {
    throw cancelledError(operation);
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const TIMEOUT_CODES = new Set(['TimeoutError', 'ETIMEDOUT', 'RequestTimeout', 'ESOCKETTIMEDOUT']);

/** Explains any error thrown by an AWS call. */
export function explainError(e: unknown, ctx: ErrorContext): ExplainedError {
  if (e instanceof TenDlcError) {
    return { category: e.category, message: e.message, hint: e.hint, code: e.category };
  }
  const tagged = typeof e === 'object' && e !== null ? (e as { $tendlcOperation?: string; $tendlcEndpoint?: string }) : {};
  if (tagged.$tendlcOperation) {
    ctx = { ...ctx, operation: tagged.$tendlcOperation, endpoint: tagged.$tendlcEndpoint ?? ctx.endpoint };
  }
  const code = codeOf(e);
  const raw = getErrorMessage(e);
  const status = typeof e === 'object' && e !== null ? (e as ErrorLike).$metadata?.httpStatusCode : undefined;
  const who = ctx.profile ? ` with profile "${ctx.profile}"` : '';
  const where = ctx.endpoint ? ` at ${ctx.endpoint}` : '';

  if (code === 'AbortError' || /aborted|cancel/i.test(code)) {
    return { category: 'cancelled', code, message: `${ctx.operation} was cancelled.`, hint: 'Run the command again when ready.' };
  }
  if (NETWORK_CODES.has(code) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET/.test(raw)) {
    return {
      category: 'unreachable',
      code,
      message: `${ctx.operation}${who} could not reach the AWS endpoint${where} (${code}).`,
      hint: ctx.endpoint
        ? `Check that the endpoint is running and reachable, or fix endpoint_url in the profile.`
        : 'Check your network connection, proxy and VPN, then try again.',
    };
  }
  if (TIMEOUT_CODES.has(code) || /timed? ?out/i.test(raw)) {
    return {
      category: 'timeout',
      code,
      message: `${ctx.operation}${who} got no answer from the AWS endpoint${where} in time.`,
      hint: 'Check the endpoint and your network, then try again.',
    };
  }
  if (/sso/i.test(raw) && /(sso login|token.*(expired|not found|invalid)|refresh)/i.test(raw)) {
    return {
      category: 'sso-login',
      code,
      message: `The SSO session for profile "${ctx.profile ?? '?'}" needs a login.`,
      hint: `Run "aws sso login --profile ${ctx.profile ?? 'NAME'}" in a terminal, then try again.`,
    };
  }
  if (/mfa/i.test(raw) && /(code|token|provider)/i.test(raw)) {
    return {
      category: 'mfa',
      code,
      message: `${ctx.operation}${who} needs a valid MFA code.`,
      hint: 'Enter the current 6-digit code from the MFA device named by mfa_serial.',
    };
  }
  if (code === 'CredentialsProviderError' || /Could not load credentials|Profile .* (was not found|could not be found)|source_profile/i.test(raw)) {
    return {
      category: 'profile',
      code,
      message: `Could not get credentials for profile "${ctx.profile ?? '?'}": ${raw}`,
      hint: 'Check the profile in your AWS config and credentials files (the 10DLC view lists problems with file and line).',
    };
  }
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException' || /expired/i.test(code)) {
    return {
      category: 'expired',
      code,
      message: `The credentials used for ${ctx.operation}${who} have expired.`,
      hint: 'Refresh the credentials of that profile (or run the command again to assume the role anew).',
    };
  }
  if (['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'InvalidAccessKeyId'].includes(code)) {
    return {
      category: 'bad-credentials',
      code,
      message: `AWS did not accept the credentials of profile "${ctx.profile ?? '?'}" (${code}).`,
      hint: 'The access key may be deactivated, deleted or mistyped; check it with "aws sts get-caller-identity --profile NAME".',
    };
  }
  if (['AccessDenied', 'AccessDeniedException', 'AuthorizationError', 'AuthorizationErrorException', 'UnauthorizedOperation'].includes(code) || status === 403) {
    if (ctx.operation === 'AssumeRole') {
      return {
        category: 'access-denied',
        code,
        message: `AWS refused to let profile "${ctx.profile ?? '?'}" assume ${ctx.roleArn ?? 'the role'}.`,
        hint:
          "Either the role's trust policy does not trust this secondary account, or the secondary's own policy lacks sts:AssumeRole on the role, or a required external id / MFA condition is not met. Run \"10DLC: Generate Cross-Account Policies\" and compare.",
      };
    }
    return {
      category: 'access-denied',
      code,
      message: `AWS refused ${ctx.operation}${who}: the identity may not call it.`,
      hint:
        ctx.operation === 'Publish'
          ? "The role's permissions policy must allow sns:Publish on \"*\". Run \"10DLC: Generate Cross-Account Policies\" for the policy to attach."
          : 'Grant the permission in IAM, or ask your account administrator.',
    };
  }
  if (/opted ?out/i.test(raw) || code === 'OptedOut') {
    return {
      category: 'opted-out',
      code,
      message: 'The destination number has opted out of SMS from the primary account.',
      hint: 'Use another test number, or have the recipient reply START / opt back in from the primary account (sns opt-in-phone-number).',
    };
  }
  if ((code === 'InvalidParameter' || code === 'InvalidParameterException' || code === 'InvalidParameterValue') && /phone|E\.?164/i.test(raw)) {
    return {
      category: 'invalid-phone',
      code,
      message: `AWS rejected the phone number: ${raw}`,
      hint: 'Enter the number in E.164 format: + country code and digits, e.g. +12065550123.',
    };
  }
  if (['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'ThrottledException'].includes(code) || status === 429) {
    return {
      category: 'throttled',
      code,
      message: `AWS throttled ${ctx.operation} after the SDK's retries.`,
      hint: 'Wait a minute and try again; the primary account may be at its SMS rate quota.',
    };
  }
  if (status === 501 || (status !== undefined && status >= 500 && /deseriali|not (yet )?implemented|Unexpected token|<html/i.test(raw)) || /not (yet )?implemented/i.test(raw)) {
    return {
      category: 'not-implemented',
      code,
      message: `The endpoint${where} does not implement ${ctx.operation}.`,
      hint: 'This is expected with some AWS emulators; against real AWS it would work.',
    };
  }
  return {
    category: 'unknown',
    code,
    message: `${ctx.operation}${who} failed: ${raw}`,
    hint: 'See the "10DLC Cross-Account" output for details.',
  };
}
