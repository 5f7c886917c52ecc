/** Set Primary, Add Secondary, Remove from Group: the only commands that write settings. */
import * as vscode from 'vscode';
import { withoutProfile, withPrimary, withSecondary } from '../core/profiles';
import { writeGroups } from '../ui/settings';
import { Cancelled, reportError, resolveProfileArg, UserError, type Deps } from './common';

export async function setPrimary(deps: Deps, arg?: unknown): Promise<void> {
  try {
    const p = await resolveProfileArg(deps, arg, vscode.l10n.t('Set Primary Profile: the account that owns the 10DLC number'));
    const before = deps.state.settings;
    await writeGroups(withPrimary(before, p.name));
    deps.log.info(`Primary profile set to "${p.name}"${before.primaryProfile && before.primaryProfile !== p.name ? ` (was "${before.primaryProfile}")` : ''}.`);
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Set Primary Profile'));
  }
}

export async function addSecondary(deps: Deps, arg?: unknown): Promise<void> {
  try {
    const p = await resolveProfileArg(deps, arg, vscode.l10n.t('Add Secondary Profile: an account that sends through the primary'));
    const before = deps.state.settings;
    if (before.primaryProfile === p.name) {
      const answer = await deps.ui.modal(
        vscode.l10n.t('"{0}" is the primary profile. Make it a secondary instead?', p.name),
        vscode.l10n.t('The primary would then be unset until you choose another.'),
        [vscode.l10n.t('Make Secondary')],
      );
      if (answer !== vscode.l10n.t('Make Secondary')) {
        throw new Cancelled();
      }
    }
    await writeGroups(withSecondary(before, p.name));
    deps.log.info(`Profile "${p.name}" added to the secondary profiles.`);
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Add Secondary Profile'));
  }
}

export async function removeFromGroup(deps: Deps, arg?: unknown): Promise<void> {
  try {
    const s = deps.state.settings;
    const named = typeof arg === 'object' && arg !== null && 'name' in arg ? String((arg as { name: unknown }).name) : typeof arg === 'string' ? arg : undefined;
    let name = named;
    if (!name) {
      const members = [...(s.primaryProfile ? [s.primaryProfile] : []), ...s.secondaryProfiles];
      if (members.length === 0) {
        throw new UserError(vscode.l10n.t('No profile is in the Primary or Secondary group.'), vscode.l10n.t('Nothing to remove.'));
      }
      name = await deps.ui.pick(
        members.map((n) => ({ label: n, description: n === s.primaryProfile ? vscode.l10n.t('primary') : vscode.l10n.t('secondary'), value: n })),
        { title: vscode.l10n.t('Remove from Group'), placeHolder: vscode.l10n.t('Choose the profile to move back to Other') },
      );
      if (!name) {
        throw new Cancelled();
      }
    }
    await writeGroups(withoutProfile(s, name));
    deps.log.info(`Profile "${name}" removed from its group.`);
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Remove from Group'));
  }
}
