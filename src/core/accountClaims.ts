/**
 * Which declared account ids are claims to check and which are facts of the credential chain. Pure:
 * no `vscode`, no AWS SDK.
 *
 * A profile names its account three ways (profiles.ts, `declaredAccountSource`):
 * - `role_arn` (an assume-role or web-identity profile): the credentials are the role's, so they act
 *   in the role's account by construction — the ARN cannot be "stale" against them;
 * - `sso_account_id`: IAM Identity Center hands out credentials for that very account — the same;
 * - `aws_account_id`: a free-standing setting beside keys or a `credential_process`. Nothing ties it
 *   to the credentials; copied profiles and rotated keys make it wrong without a sign. It is the only
 *   one worth checking with GetCallerIdentity before it decides what a trust policy says.
 *
 * A check resolves the profile's credentials. For a profile that would prompt, log in or run a
 * program (`interactive`), a write on behalf of *another* account's role does not do that uninvited:
 * the claim is then used as declared and the confirmation says it was not verified, and why.
 */
import * as l10n from '@vscode/l10n';
import type { AwsProfile } from './profiles';

export type ClaimCheck =
  /** No declared account, or one the credentials act in by construction (role_arn, sso_account_id). */
  | { readonly kind: 'not-a-claim' }
  /** aws_account_id with credentials that resolve without asking: verify with GetCallerIdentity. */
  | { readonly kind: 'verify'; readonly declared: string }
  /** aws_account_id that cannot be verified without prompting or running something, or at all. */
  | { readonly kind: 'unverifiable'; readonly declared: string; readonly why: string };

export function claimCheck(p: AwsProfile): ClaimCheck {
  if (p.declaredAccountSource !== 'aws_account_id' || !p.declaredAccountId) {
    return { kind: 'not-a-claim' };
  }
  const declared = p.declaredAccountId;
  if (p.problems.length) {
    return { kind: 'unverifiable', declared, why: l10n.t('the AWS SDK cannot get its credentials ({0})', p.problems[0]) };
  }
  if (p.kind === 'none') {
    return { kind: 'unverifiable', declared, why: l10n.t('the profile has no credentials') };
  }
  if (p.interactive) {
    return { kind: 'unverifiable', declared, why: p.interactiveReason ? l10n.t('the profile {0}, which this command does not start for another account', p.interactiveReason) : l10n.t('the profile may prompt, which this command does not start for another account') };
  }
  return { kind: 'verify', declared };
}
