/**
 * Before any IAM write: which account the credentials really write to (GetCallerIdentity with those
 * very credentials), and, when the profile declares another account, the user's say — fix the profile,
 * or confirm the write goes to the credentials' account. Shared by Create or Update Role and Enable
 * Delivery-Status Logging.
 */
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { WriterIdentity } from '../aws/index';
import type { AwsProfile } from '../core/profiles';
import { Cancelled, services, type Deps } from './common';

/** The button that lets a write go to the credentials' account despite the profile's declared one. */
export function writeToButton(accountId: string): string {
  return `Write to Account ${accountId}`;
}

/** A line for the write's own confirmation when the profile's declared account is wrong. */
export function mismatchLine(profile: AwsProfile, w: WriterIdentity): string {
  return w.mismatch ? ` Profile "${profile.name}" declares account ${w.declared} (${w.declaredSource ?? 'in the profile'}), but its credentials belong to ${w.accountId}: the write goes to ${w.accountId}.` : '';
}

/**
 * The identity that will write, verified. When the profile declares another account, asks (modal)
 * whether to write to the credentials' account anyway; declining cancels the command, so nothing is
 * written until the profile is fixed or the user confirms.
 */
export async function verifiedWriter(deps: Deps, profile: AwsProfile, credentials: AwsCredentialIdentityProvider, region: string, what: string): Promise<WriterIdentity> {
  const svc = await services(deps);
  const w = await deps.ui.progress(`Checking which account profile "${profile.name}" writes to…`, (signal) => svc.accounts.verifyWriter(profile, credentials, region, signal));
  deps.log.info(`Profile "${profile.name}" writes as ${w.arn ?? '?'} in account ${w.accountId}${w.mismatch ? ` (it declares ${w.declared})` : ''}.`);
  if (!w.mismatch) {
    return w;
  }
  deps.log.warn(`Profile "${profile.name}" declares account ${w.declared} (${w.declaredSource ?? 'profile'}) but its credentials belong to ${w.accountId}.`);
  const where = profile.locations[0] ? ` (${profile.locations[0].file}:${profile.locations[0].line})` : '';
  const answer = await deps.ui.modal(
    `Profile "${profile.name}" says account ${w.declared}, but its credentials belong to account ${w.accountId}.`,
    `${what} would be written to account ${w.accountId} — where the credentials act — not to ${w.declared}. ${w.declaredSource ?? 'The declared account'} in the profile${where} is wrong or stale: fix it and run the command again, or write to ${w.accountId}.`,
    [writeToButton(w.accountId)],
  );
  if (answer !== writeToButton(w.accountId)) {
    throw new Cancelled();
  }
  return w;
}
