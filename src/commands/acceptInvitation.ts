/**
 * Accept Resource Share Invitation (resourceShare mode, RAM): with a secondary profile's own
 * credentials, finds the pending invitations its account received from the primary account
 * (GetResourceShareInvitations) and, after a confirmation that names both accounts and who pays,
 * accepts one (AcceptResourceShareInvitation).
 */
import * as vscode from 'vscode';
import { invitationOffer, ramShareName } from '../core/sharing';
import { asProfileNode } from '../ui/profilesView';
import { Cancelled, reportError, requirePrimary, resolveProfileArg, services, sessionPrompts, UserError, waitOnAws, type Deps } from './common';
import { askNumber } from './sendPrompts';
import { mismatchLine, verifiedWriter } from './writeTarget';

export const ACCEPT_BUTTON = vscode.l10n.t('Accept Invitation');
const OPERATION = vscode.l10n.t('Accept Resource Share Invitation');

export interface AcceptOutcome {
  readonly status: 'accepted' | 'none';
  readonly invitationArn?: string;
}

export async function acceptInvitation(deps: Deps, arg?: unknown): Promise<AcceptOutcome | undefined> {
  let profileName = asProfileNode(arg)?.name;
  try {
    const profile = await resolveProfileArg(deps, arg, vscode.l10n.t('{0}: choose the secondary profile that was invited', OPERATION), 'secondary');
    profileName = profile.name;
    const primary = await requirePrimary(deps);
    const svc = await services(deps);
    const region = primary.region;
    const credentials = svc.clients.credentialsFor(profile, profile.region ?? region, sessionPrompts(deps).mfaCode);
    const writer = await verifiedWriter(deps, profile, credentials, profile.region ?? region, vscode.l10n.t('The acceptance of the invitation'));
    const caller = { profile, credentials, accountId: writer.accountId, region };
    // Only the invitation to the number's own share (the name Share the Number through AWS RAM gives it): the primary
    // may share other things with this account, and accepting those is not what this command offers.
    const number = (await askNumber(deps, 'origination', deps.state.settings.originationNumber, OPERATION)).value;
    const shareName = ramShareName(number);
    const all = await waitOnAws(deps, vscode.l10n.t('Reading the RAM invitations of account {0}…', writer.accountId), (signal) => svc.sharing.invitations(caller, primary.accountId, signal));
    const pending = all.filter((i) => i.status === 'PENDING' && i.resourceShareName === shareName);
    if (pending.length === 0) {
      const seen = all.map((i) => `${i.resourceShareName ?? i.resourceShareArn}: ${i.status}`).join('; ');
      const text = vscode.l10n.t('Account {0} ({1}) has no pending RAM invitation to {2} (the share of {3}) from primary account {4} in {5}{6}. Share the number from the primary first (Share the Number through AWS RAM), or it is already accepted.', writer.accountId, profile.name, shareName, number, primary.accountId, region, seen ? ` (${seen})` : '');
      deps.log.info(`${OPERATION}: ${text}`);
      void deps.ui.info(text);
      return { status: 'none' };
    }
    let chosen = pending[0];
    if (pending.length > 1) {
      const picked = await deps.ui.pick(
        pending.map((i) => ({ label: i.resourceShareName ?? i.resourceShareArn ?? '?', description: vscode.l10n.t('from {0}', String(i.senderAccountId)), detail: i.resourceShareInvitationArn, value: i })),
        { title: OPERATION, placeHolder: vscode.l10n.t('Choose the invitation to accept') },
      );
      if (!picked) {
        throw new Cancelled();
      }
      chosen = picked;
    }
    const offered = await waitOnAws(deps, vscode.l10n.t('Reading what the invitation shares…'), (signal) => svc.sharing.pendingResources(caller, chosen.resourceShareInvitationArn ?? '', signal));
    const offer = invitationOffer(offered, primary.accountId, region);
    if (offer.others.length || offer.numbers.length === 0) {
      const share = String(chosen.resourceShareName ?? chosen.resourceShareArn);
      throw new UserError(
        offer.others.length
          ? vscode.l10n.t('Nothing was accepted: the invitation to {0} from account {1} also shares {2}, which is more than the number.', share, primary.accountId, offer.others.join(', '))
          : vscode.l10n.t('Nothing was accepted: the invitation to {0} from account {1} shares no phone number of account {1} in {2}.', share, primary.accountId, region),
        vscode.l10n.t('Ask the primary account to share only the number (Share the Number through AWS RAM), or accept that invitation in the AWS RAM console if you mean to.'),
      );
    }
    const answer = await deps.ui.modal(
      vscode.l10n.t('Accept the invitation to resource share {0} from primary account {1}, as account {2} ({3})?', String(chosen.resourceShareName ?? chosen.resourceShareArn), primary.accountId, writer.accountId, profile.name),
      vscode.l10n.t('It shares {0} and nothing else (the share named for {1}). Account {2} can then send SMS through the primary\'s shared number with its own credentials (SendTextMessage with the number\'s ARN, in {3}). Each such message is billed to account {2} and counts against its spend limit, not the primary\'s.{4}', offer.numbers.join(', '), number, writer.accountId, region, mismatchLine(profile, writer)),
      [ACCEPT_BUTTON],
    );
    if (answer !== ACCEPT_BUTTON) {
      throw new Cancelled();
    }
    const status = await deps.ui.progress(vscode.l10n.t('Accepting the invitation…'), (signal) => svc.sharing.accept(caller, chosen.resourceShareInvitationArn ?? '', signal));
    const text = vscode.l10n.t('Account {0} ({1}) accepted the invitation to {2} from primary account {3}{4}. It can now send through the shared number, billed to itself.', writer.accountId, profile.name, chosen.resourceShareName ?? vscode.l10n.t('the resource share'), primary.accountId, status && status !== 'ACCEPTED' ? vscode.l10n.t(' (RAM says {0})', status) : '');
    deps.log.info(`${OPERATION}: ${text}`);
    void deps.ui.info(text);
    return { status: 'accepted', invitationArn: chosen.resourceShareInvitationArn };
  } catch (e) {
    await reportError(deps, e, OPERATION, profileName);
    return undefined;
  }
}
