/** Registers every command; each handler lives in its own file and gets its services as arguments. */
import * as vscode from 'vscode';
import { assumeRole, forgetSession } from './assumeRole';
import type { Deps } from './common';
import { generatePolicies } from './generatePolicies';
import { grantSnsNumberAccess } from './grantSnsNumberAccess';
import { checkSetup, verifySandboxNumber } from './checkSetup';
import { createRole } from './createRole';
import { checkDelivery, enableDeliveryLogging } from './delivery';
import { exportCloudFormation, exportTerraform } from './exportIac';
import { addSecondary, removeFromGroup, setPrimary } from './groups';
import { COMMANDS } from './ids';
import { lookupAccount } from './lookupAccount';
import { sendTestSms } from './sendTestSms';
import { acceptInvitation } from './acceptInvitation';
import { chooseSharingMode } from './chooseSharingMode';
import { dryRunSms } from './dryRunSms';
import { shareNumber } from './shareNumber';
import { shareThroughRam } from './shareThroughRam';
import { asProfileNode } from '../ui/profilesView';

export function registerCommands(context: vscode.ExtensionContext, deps: Deps): void {
  const handlers: Record<(typeof COMMANDS)[keyof typeof COMMANDS], (arg?: unknown) => unknown> = {
    [COMMANDS.refreshProfiles]: async () => {
      if (deps.aws.loaded) {
        const svc = await deps.aws.get();
        svc.accounts.clear();
        svc.orgNames.clear();
      }
      await deps.state.reload();
      deps.view.refresh();
    },
    [COMMANDS.setPrimary]: (arg) => setPrimary(deps, arg),
    [COMMANDS.addSecondary]: (arg) => addSecondary(deps, arg),
    [COMMANDS.removeFromGroup]: (arg) => removeFromGroup(deps, arg),
    [COMMANDS.generatePolicies]: () => generatePolicies(deps),
    [COMMANDS.assumeRole]: (arg) => assumeRole(deps, arg),
    [COMMANDS.forgetSession]: (arg) => forgetSession(deps, arg),
    [COMMANDS.sendTestSms]: (arg) => sendTestSms(deps, arg),
    [COMMANDS.lookupAccount]: (arg) => lookupAccount(deps, arg),
    [COMMANDS.openProfileSource]: async (arg) => {
      const p = deps.state.profile(asProfileNode(arg)?.name ?? '');
      const loc = p?.locations[0];
      if (loc) {
        await vscode.window.showTextDocument(vscode.Uri.file(loc.file), { selection: new vscode.Range(loc.line - 1, 0, loc.line - 1, 0) });
      }
    },
    [COMMANDS.showOutput]: () => deps.log.show(),
    // resourceShare mode's "Create or Update" is the number's share (its resource policy), not a role.
    [COMMANDS.createRole]: () => (deps.state.settings.sharingMode === 'resourceShare' ? shareNumber(deps) : createRole(deps)),
    [COMMANDS.checkSetup]: () => checkSetup(deps),
    [COMMANDS.verifySandboxNumber]: () => verifySandboxNumber(deps),
    [COMMANDS.checkDelivery]: (arg) => checkDelivery(deps, arg),
    [COMMANDS.enableDeliveryLogging]: () => enableDeliveryLogging(deps),
    [COMMANDS.dryRunSms]: (arg) => dryRunSms(deps, arg),
    [COMMANDS.shareNumber]: () => shareNumber(deps),
    [COMMANDS.shareNumberRam]: () => shareThroughRam(deps),
    [COMMANDS.acceptInvitation]: (arg) => acceptInvitation(deps, arg),
    [COMMANDS.chooseSharingMode]: () => chooseSharingMode(deps),
    [COMMANDS.exportCloudFormation]: () => exportCloudFormation(deps),
    [COMMANDS.exportTerraform]: () => exportTerraform(deps),
    [COMMANDS.showMoreProfiles]: (arg) => deps.view.showMore(arg),
    [COMMANDS.grantSnsNumberAccess]: () => grantSnsNumberAccess(deps),
  };
  for (const [id, handler] of Object.entries(handlers)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
}
