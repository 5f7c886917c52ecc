/**
 * Size limits of the policy documents this extension writes, counted the way each service counts,
 * so a proposal that would be refused is named before Apply rather than by the service's error.
 * Pure: no `vscode`, no AWS SDK.
 *
 * - IAM role trust policy: quota "Role trust policy length" (Service Quotas code L-C07B4B0D), 2,048
 *   characters by default, adjustable up to 8,192 (IAM and AWS STS quotas, IAM User Guide). "IAM
 *   doesn't count white space when calculating the size of a policy against these limits": counted
 *   here as the JSON without the white space between its tokens (white space inside a string is part
 *   of a value and counts). The quota an account has is not read here (that is Service Quotas'
 *   GetServiceQuota), so a document between the two figures is a warning, and over 8,192 a problem.
 * - End User Messaging resource policy: PutResourcePolicy's `Policy` is 1 to 10,000 characters (API
 *   reference, length constraints of the parameter): the string as sent, white space included.
 */
import * as l10n from '@vscode/l10n';

/** What a limit says about a document: a problem blocks Apply; a warning is said in the question. */
export interface LimitVerdict {
  readonly problem?: string;
  readonly warning?: string;
}

export const TRUST_POLICY_LENGTH = { default: 2048, max: 8192, quotaCode: 'L-C07B4B0D', quotaName: 'Role trust policy length' } as const;

export const EUM_RESOURCE_POLICY_MAX = 10_000;

/** A policy's length as IAM counts it: every character except white space outside string values. */
export function iamPolicyLength(text: string): number {
  let n = 0;
  let inString = false;
  let escaped = false;
  for (const c of text.replace(/^\ufeff/, '')) {
    if (inString) {
      n++;
      if (escaped) {
        escaped = false;
      } else if (c === '\\') {
        escaped = true;
      } else if (c === '"') {
        inString = false;
      }
    } else if (!/\s/.test(c)) {
      n++;
      if (c === '"') {
        inString = true;
      }
    }
  }
  return n;
}

const num = (n: number): string => n.toLocaleString('en-US');

/** Whether IAM will take `text` as a role's trust policy, by size. */
export function trustPolicyLimit(text: string, name = 'The trust policy'): LimitVerdict | undefined {
  const length = iamPolicyLength(text);
  const { default: def, max, quotaCode, quotaName } = TRUST_POLICY_LENGTH;
  if (length > max) {
    return {
      problem: l10n.t('{0} is {1} characters as IAM counts them (without white space), over IAM\'s maximum for a role trust policy, {2} even with a quota increase: IAM would refuse it (LimitExceeded). Trust fewer principals per statement, or use a condition such as aws:PrincipalOrgID instead of listing accounts.', name, num(length), num(max)),
    };
  }
  if (length > def) {
    return {
      warning: `${name} is ${num(length)} characters as IAM counts them (without white space), over IAM's default limit of ${num(def)} for a role trust policy: unless this account's quota "${quotaName}" (${quotaCode} in Service Quotas) was raised (up to ${num(max)}), IAM will refuse it with LimitExceeded.`,
    };
  }
  return undefined;
}

/** Whether End User Messaging will take `text` as a resource policy, by size. */
export function eumResourcePolicyLimit(text: string, name: string): LimitVerdict | undefined {
  const length = text.replace(/^\ufeff/, '').length;
  if (length > EUM_RESOURCE_POLICY_MAX) {
    return {
      problem: l10n.t('{0} is {1} characters (white space included), over the {2} PutResourcePolicy accepts: End User Messaging would refuse it. Remove the indentation or statements that are no longer needed.', name, num(length), num(EUM_RESOURCE_POLICY_MAX)),
    };
  }
  if (length === 0) {
    return { problem: l10n.t('{0} is empty: PutResourcePolicy needs at least one character.', name) };
  }
  return undefined;
}
