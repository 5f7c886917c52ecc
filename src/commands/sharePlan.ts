/**
 * What sharing the number (resourceShare mode) is about, from validated settings: the primary, the
 * 10DLC number, and the secondary accounts to share it with. Shared by Generate Policies, Share the
 * Number (resource policy), Share through AWS RAM.
 */
import * as vscode from 'vscode';
import { validateAccountId, validateUsTenDlcNumber } from '../core/validate';
import { accountIdOf, Cancelled, requirePrimary, UserError, type Deps, type PrimaryInfo } from './common';

export interface SharePlan {
  readonly primary: PrimaryInfo;
  /** The number in E.164. */
  readonly number: string;
  /** Every secondary with its account id (profiles, or ids the user typed when there are none). */
  readonly secondaries: readonly { readonly name: string; readonly accountId: string }[];
  /** The distinct secondary accounts to share with (the primary's own account left out: it owns the number). */
  readonly accounts: readonly string[];
}

/** The number from the settings, validated; a clear error with the way to set it otherwise. */
export function requireNumber(deps: Deps): string {
  const s = deps.state.settings;
  if (!s.originationNumber) {
    throw new UserError(vscode.l10n.t('No 10DLC number is set (tendlc.originationNumber).'), vscode.l10n.t('Set the number the primary shares, then run this again.'), [
      { label: vscode.l10n.t('Set the 10DLC Number'), command: 'workbench.action.openSettings?tendlc.originationNumber' },
    ]);
  }
  const r = validateUsTenDlcNumber(s.originationNumber);
  if (!r.ok) {
    throw new UserError(vscode.l10n.t('The setting tendlc.originationNumber is not valid: {0}', r.error), vscode.l10n.t('Fix the setting, then try again.'), [
      { label: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings?tendlc.originationNumber' },
    ]);
  }
  return r.value;
}

export async function sharePlan(deps: Deps): Promise<SharePlan> {
  const s = deps.state.settings;
  const number = requireNumber(deps);
  const primary = await requirePrimary(deps);
  const secondaries: { name: string; accountId: string }[] = [];
  for (const n of s.secondaryProfiles) {
    const p = deps.state.profile(n);
    if (!p) {
      deps.log.warn(`Secondary "${n}" is not in the AWS files; left out of the share.`);
      continue;
    }
    secondaries.push({ name: n, accountId: await accountIdOf(deps, p) });
  }
  if (secondaries.length === 0) {
    const typed = await deps.ui.input({
      title: vscode.l10n.t('Secondary accounts'),
      prompt: vscode.l10n.t('No secondary profiles are set. Enter the 12-digit account ids to share the number with, separated by commas.'),
      placeHolder: '222222222222, 333333333333',
      validate: (v) => {
        const ids = v.split(',').map((x) => x.trim()).filter(Boolean);
        const bad = ids.find((x) => !validateAccountId(x).ok);
        return ids.length === 0 ? vscode.l10n.t('Enter at least one account id.') : bad ? vscode.l10n.t('"{0}" is not a 12-digit account id.', bad) : undefined;
      },
    });
    if (typed === undefined) {
      throw new Cancelled();
    }
    for (const id of typed.split(',').map((x) => x.trim()).filter(Boolean)) {
      const r = validateAccountId(id);
      if (!r.ok) {
        throw new UserError(r.error, vscode.l10n.t('Enter 12-digit account ids separated by commas.'));
      }
      secondaries.push({ name: vscode.l10n.t('account {0}', r.value), accountId: r.value });
    }
  }
  const same = secondaries.filter((x) => x.accountId === primary.accountId);
  if (same.length) {
    deps.log.warn(`Secondary ${same.map((x) => x.name).join(', ')} is in the primary account ${primary.accountId}, which owns the number: it needs no share.`);
  }
  const accounts = [...new Set(secondaries.filter((x) => x.accountId !== primary.accountId).map((x) => x.accountId))].sort();
  if (accounts.length === 0) {
    throw new UserError(vscode.l10n.t('Every secondary is in the primary account itself, which owns the number: there is nobody to share it with.'), vscode.l10n.t('Add profiles of other accounts as secondaries.'));
  }
  return { primary, number, secondaries, accounts };
}
