/**
 * Choose Sharing Mode: sets tendlc.sharingMode (in user settings, like every setting of this
 * extension) from a pick that says what each mode means — who pays, what each side sets up.
 */
import { modeSummary, SHARING_MODES, type SharingMode } from '../core/sharing';
import { writeSetting } from '../ui/settings';
import { Cancelled, reportError, type Deps } from './common';

const WORDS: Record<SharingMode, { label: string; description: string }> = {
  role: { label: 'role', description: 'secondaries assume an IAM role in the primary and call SNS Publish · billed to the primary' },
  resourceShare: { label: 'resourceShare', description: 'the primary shares the number through End User Messaging · each secondary pays for its own messages' },
};

export async function chooseSharingMode(deps: Deps): Promise<SharingMode | undefined> {
  try {
    const s = deps.state.settings;
    const picked = await deps.ui.pick(
      SHARING_MODES.map((m) => ({
        label: WORDS[m].label,
        description: `${m === s.sharingMode ? '(current) ' : ''}${WORDS[m].description}`,
        detail: modeSummary(m, s.roleName).secondary,
        value: m,
      })),
      { title: 'How secondaries send through the primary\'s 10DLC number', placeHolder: `Now: ${s.sharingMode}` },
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
    await reportError(deps, e, 'Choose Sharing Mode');
    return undefined;
  }
}
