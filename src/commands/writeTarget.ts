/**
 * Before any policy write: which account the credentials really write to (GetCallerIdentity with those
 * very credentials), and, when the profile declares another account, the user's say — fix the profile,
 * or confirm the write goes to the credentials' account. Shared by Create or Update Role, Enable
 * Delivery-Status Logging and the resource-policy flow. Also, before a trust policy is written, which
 * accounts the secondaries' profiles really act in (`verifiedTrustees`).
 */
import * as vscode from 'vscode';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { WriterIdentity } from '../aws/index';
import { claimCheck } from '../core/accountClaims';
import { shellQuote } from '../core/format';
import type { AwsProfile } from '../core/profiles';
import { Cancelled, services, type Deps, type TrustPlan } from './common';

/** The button that lets a write go to the credentials' account despite the profile's declared one. */
export function writeToButton(accountId: string): string {
  return vscode.l10n.t('Write to Account {0}', accountId);
}

/** A line for the write's own confirmation when the profile's declared account is wrong. */
export function mismatchLine(profile: AwsProfile, w: WriterIdentity): string {
  return w.mismatch ? vscode.l10n.t(' Profile "{0}" declares account {1} ({2}), but its credentials belong to {3}: the write goes to {3}.', profile.name, String(w.declared), w.declaredSource ?? vscode.l10n.t('in the profile'), w.accountId) : '';
}

/**
 * The identity that will write, verified. When the profile declares another account, asks (modal)
 * whether to write to the credentials' account anyway; declining cancels the command, so nothing is
 * written until the profile is fixed or the user confirms.
 */
export async function verifiedWriter(deps: Deps, profile: AwsProfile, credentials: AwsCredentialIdentityProvider, region: string, what: string): Promise<WriterIdentity> {
  const svc = await services(deps);
  const w = await deps.ui.progress(vscode.l10n.t('Checking which account profile "{0}" writes to…', profile.name), (signal) => svc.accounts.verifyWriter(profile, credentials, region, signal));
  deps.log.info(`Profile "${profile.name}" writes as ${w.arn ?? '?'} in account ${w.accountId}${w.mismatch ? ` (it declares ${w.declared})` : ''}.`);
  if (!w.mismatch) {
    return w;
  }
  deps.log.warn(`Profile "${profile.name}" declares account ${w.declared} (${w.declaredSource ?? 'profile'}) but its credentials belong to ${w.accountId}.`);
  const where = profile.locations[0] ? ` (${profile.locations[0].file}:${profile.locations[0].line})` : '';
  const answer = await deps.ui.modal(
    vscode.l10n.t('Profile "{0}" says account {1}, but its credentials belong to account {2}.', profile.name, String(w.declared), w.accountId),
    vscode.l10n.t('{0} would be written to account {1} — where the credentials act — not to {2}. {3} in the profile{4} is wrong or stale: fix it and run the command again, or write to {1}.', what, w.accountId, String(w.declared), w.declaredSource ?? vscode.l10n.t('The declared account'), where),
    [writeToButton(w.accountId)],
  );
  if (answer !== writeToButton(w.accountId)) {
    throw new Cancelled();
  }
  return w;
}

/** The button that trusts the account a secondary's credentials act in, not the one its profile declares. */
export function useAccountButton(accountId: string): string {
  return vscode.l10n.t('Use Account {0}', accountId);
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
      lines.push(vscode.l10n.t('Secondary "{0}": account {1} as its aws_account_id declares, not verified: {2} (aws sts get-caller-identity --profile {3} shows the real one).', s.name, check.declared, check.why, shellQuote(s.name)));
      deps.log.warn(`Create or Update Role: the declared account ${check.declared} of secondary "${s.name}" is not verified: ${check.why}.`);
    }
  });
  if (toVerify.length) {
    const svc = await services(deps);
    const outcomes = await deps.ui.progress(toVerify.length === 1 ? vscode.l10n.t('Checking the account of secondary "{0}"…', toVerify[0].profile.name) : vscode.l10n.t('Checking the accounts of {0} secondaries…', toVerify.length), (signal) =>
      Promise.all(
        toVerify.map(async (v) => {
          const region = v.profile.region ?? plan.primary.region;
          const refuse = async (serial: string): Promise<string> => {
            throw new Error(vscode.l10n.t('not asking for an MFA code ({0}) for another account\'s profile', serial));
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
        lines.push(vscode.l10n.t('Secondary "{0}": account {1} as its aws_account_id declares, not verified: GetCallerIdentity with its credentials failed ({2}).', name, o.v.declared, o.error ?? vscode.l10n.t('no answer')));
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
        vscode.l10n.t('Secondary profile "{0}" says account {1}, but its credentials belong to account {2}.', name, String(w.declared), w.accountId),
        vscode.l10n.t('{0}, not {1}. {2} in the profile{3} is wrong or stale: fix it and run the command again, or use {4}.', own ? vscode.l10n.t('Account {0} is the primary itself, where role {1} is: it would be left out of the trust policy', w.accountId, roleName) : vscode.l10n.t('The trust policy of role {0} would trust account {1} — where the credentials of "{2}" act', roleName, w.accountId, name), String(w.declared), w.declaredSource ?? vscode.l10n.t('The declared account'), where, w.accountId),
        [useAccountButton(w.accountId)],
      );
      if (answer !== useAccountButton(w.accountId)) {
        throw new Cancelled();
      }
      accounts[o.v.index] = w.accountId;
      lines.push(
        own
          ? vscode.l10n.t('Secondary "{0}" declares account {1}, but its credentials belong to {2}, the primary itself: it is left out.', name, String(w.declared), w.accountId)
          : vscode.l10n.t('Secondary "{0}" declares account {1}, but its credentials belong to {2}: {2} is trusted, not {1}.', name, String(w.declared), w.accountId),
      );
    }
  }
  return { trusted: [...new Set(accounts.filter((a) => a !== primaryAccountId))], lines };
}
