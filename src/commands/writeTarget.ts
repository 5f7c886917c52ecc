/**
 * Before any policy write: which account the credentials really write to (GetCallerIdentity with those
 * very credentials), and, when the profile declares another account, the user's say — fix the profile,
 * or confirm the write goes to the credentials' account. Shared by Create or Update Role, Enable
 * Delivery-Status Logging and the resource-policy flow. Also, before a trust policy is written, which
 * accounts the secondaries' profiles really act in (`verifiedTrustees`).
 */
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { WriterIdentity } from '../aws/index';
import { claimCheck } from '../core/accountClaims';
import { shellQuote } from '../core/format';
import type { AwsProfile } from '../core/profiles';
import { Cancelled, services, type Deps, type TrustPlan } from './common';

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

/** The button that trusts the account a secondary's credentials act in, not the one its profile declares. */
export function useAccountButton(accountId: string): string {
  return `Use Account ${accountId}`;
}

/** The secondary accounts a trust policy will name, checked, and what the confirmation must say about them. */
export interface Trustees {
  /** Distinct accounts to trust (the primary's own left out). */
  readonly trusted: readonly string[];
  /** Sentences for the confirmation: a declared account not verified (and why), or one replaced by the real one. */
  readonly lines: readonly string[];
}

/**
 * Before a trust policy is written: the secondaries' accounts, with each profile's declared
 * `aws_account_id` checked against GetCallerIdentity with that profile's own credentials (role_arn and
 * sso_account_id are facts of the chain, see core/accountClaims.ts). A profile whose credentials would
 * prompt, log in or run a program is not resolved here: its declared account is used, and the
 * confirmation says "declared, not verified" and why (the user confirms that dialog with it in view).
 * A mismatch is recorded (the tree shows it, and lists it under Problems) and asked about in its own
 * dialog, naming both accounts; declining cancels the command before anything is written.
 */
export async function verifiedTrustees(deps: Deps, plan: TrustPlan, primaryAccountId: string, roleName: string): Promise<Trustees> {
  const lines: string[] = [];
  const accounts = plan.secondaries.map((s) => s.accountId);
  const toVerify: { index: number; profile: AwsProfile; declared: string }[] = [];
  plan.secondaries.forEach((s, index) => {
    const p = deps.state.profile(s.name);
    const check = p ? claimCheck(p) : { kind: 'not-a-claim' as const };
    if (p && check.kind === 'verify') {
      toVerify.push({ index, profile: p, declared: check.declared });
    } else if (check.kind === 'unverifiable') {
      lines.push(`Secondary "${s.name}": account ${check.declared} as its aws_account_id declares, not verified: ${check.why} (aws sts get-caller-identity --profile ${shellQuote(s.name)} shows the real one).`);
      deps.log.warn(`Create or Update Role: the declared account ${check.declared} of secondary "${s.name}" is not verified: ${check.why}.`);
    }
  });
  if (toVerify.length) {
    const svc = await services(deps);
    const outcomes = await deps.ui.progress(`Checking the accounts of ${toVerify.length === 1 ? `secondary "${toVerify[0].profile.name}"` : `${toVerify.length} secondaries`}…`, (signal) =>
      Promise.all(
        toVerify.map(async (v) => {
          const region = v.profile.region ?? plan.primary.region;
          const refuse = async (serial: string): Promise<string> => {
            throw new Error(`not asking for an MFA code (${serial}) for another account's profile`);
          };
          try {
            const credentials = svc.clients.credentialsFor(v.profile, region, refuse, { signal, timeouts: svc.clients.checkTimeouts });
            return { v, w: await svc.accounts.verifyWriter(v.profile, credentials, region, signal) };
          } catch (e) {
            return { v, error: (await deps.aws.mod()).explainError(e, { operation: 'GetCallerIdentity', profile: v.profile.name }).message };
          }
        }),
      ),
    );
    for (const o of outcomes) {
      const name = o.v.profile.name;
      if (o.error !== undefined || !o.w) {
        lines.push(`Secondary "${name}": account ${o.v.declared} as its aws_account_id declares, not verified: GetCallerIdentity with its credentials failed (${o.error ?? 'no answer'}).`);
        deps.log.warn(`Create or Update Role: the declared account ${o.v.declared} of secondary "${name}" is not verified: ${o.error ?? 'no answer'}`);
        continue;
      }
      const w = o.w;
      if (!w.mismatch) {
        continue;
      }
      deps.log.warn(`Secondary profile "${name}" declares account ${w.declared} (${w.declaredSource ?? 'profile'}) but its credentials belong to ${w.accountId}.`);
      const where = o.v.profile.locations[0] ? ` (${o.v.profile.locations[0].file}:${o.v.profile.locations[0].line})` : '';
      const own = w.accountId === primaryAccountId;
      const answer = await deps.ui.modal(
        `Secondary profile "${name}" says account ${w.declared}, but its credentials belong to account ${w.accountId}.`,
        `${own ? `Account ${w.accountId} is the primary itself, where role ${roleName} is: it would be left out of the trust policy` : `The trust policy of role ${roleName} would trust account ${w.accountId} — where the credentials of "${name}" act`}, not ${w.declared}. ${w.declaredSource ?? 'The declared account'} in the profile${where} is wrong or stale: fix it and run the command again, or use ${w.accountId}.`,
        [useAccountButton(w.accountId)],
      );
      if (answer !== useAccountButton(w.accountId)) {
        throw new Cancelled();
      }
      accounts[o.v.index] = w.accountId;
      lines.push(
        own
          ? `Secondary "${name}" declares account ${w.declared}, but its credentials belong to ${w.accountId}, the primary itself: it is left out.`
          : `Secondary "${name}" declares account ${w.declared}, but its credentials belong to ${w.accountId}: ${w.accountId} is trusted, not ${w.declared}.`,
      );
    }
  }
  return { trusted: [...new Set(accounts.filter((a) => a !== primaryAccountId))], lines };
}
