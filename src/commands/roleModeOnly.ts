/**
 * The commands that belong to role mode only (issue 15): in resourceShare mode they would build or change what
 * the other mode uses — the cross-account role as code, SNS's use of the number, SNS's delivery-status logging —
 * so they stop with what to use instead rather than act on the wrong mode's resources.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import { UserError, type Deps } from './common';

const CHOOSE = { label: vscode.l10n.t('Choose Sharing Mode'), command: COMMANDS.chooseSharingMode };

/** Throws a UserError naming the mode and the way to go in resourceShare mode; nothing is read or written. */
export function requireRoleMode(deps: Deps, command: string, insteadInShareMode: string): void {
  if (deps.state.settings.sharingMode !== 'resourceShare') {
    return;
  }
  throw new UserError(
    vscode.l10n.t('{0} is for role mode (secondaries assume the role {1} and call SNS Publish, billed to the primary); tendlc.sharingMode is resourceShare.', command, deps.state.settings.roleName),
    vscode.l10n.t('{0} Or switch to role mode with Choose Sharing Mode.', insteadInShareMode),
    [CHOOSE],
  );
}
