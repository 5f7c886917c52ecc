/**
 * Choose Sharing Mode: sets tendlc.sharingMode (in user settings, like every setting of this
 * extension) from a pick that says what each mode means — who pays, what each side sets up.
 */
import * as vscode from 'vscode';
import { SHARING_MODES, type SharingMode } from '../core/sharing';
import { writeSetting } from '../ui/settings';
import { Cancelled, reportError, type Deps } from './common';

const WORDS: Record<SharingMode, { description: string; detail: (roleName: string) => string }> = {
  role: { description: vscode.l10n.t('billed to the primary'), detail: (r) => vscode.l10n.t('Secondaries assume the role {0} in the primary, then call SNS Publish', r) },
  resourceShare: { description: vscode.l10n.t('each secondary pays for its messages'), detail: () => vscode.l10n.t('The number is shared (resource policy or AWS RAM); SendTextMessage with own credentials') },
};

export async function chooseSharingMode(deps: Deps): Promise<SharingMode | undefined> {
  try {
    const s = deps.state.settings;
    const picked = await deps.ui.pick(
      SHARING_MODES.map((m) => ({
        label: m,
        description: `${m === s.sharingMode ? '(current) ' : ''}${WORDS[m].description}`,
        detail: WORDS[m].detail(s.roleName),
        value: m,
      })),
      { title: vscode.l10n.t('How secondaries send through the primary\'s 10DLC number'), placeHolder: vscode.l10n.t('Now: {0}', s.sharingMode) },
    );
    if (!picked) {
      throw new Cancelled();
    }
    if (picked !== s.sharingMode) {
      await writeSetting('sharingMode', picked);
      deps.log.info(`Sharing mode set to ${picked} (tendlc.sharingMode, user settings).`);
    }
    return picked;
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Choose Sharing Mode'));
    return undefined;
  }
}
