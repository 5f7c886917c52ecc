/**
 * Accept Resource Share Invitation (resourceShare mode, RAM): with a secondary profile's own
 * credentials, finds the pending invitations its account received from the primary account
 * (GetResourceShareInvitations) and, after a confirmation that names both accounts and who pays,
 * accepts one (AcceptResourceShareInvitation).
 */
import { invitationOffer, ramShareName } from '../core/sharing';
import { asProfileNode } from '../ui/profilesView';
import { Cancelled, reportError, requirePrimary, resolveProfileArg, services, sessionPrompts, UserError, waitOnAws, type Deps } from './common';
import { askNumber } from './sendPrompts';
import { mismatchLine, verifiedWriter } from './writeTarget';

export const ACCEPT_BUTTON = 'Accept Invitation';
const OPERATION = 'Accept Resource Share Invitation';

export interface AcceptOutcome {
  readonly status: 'accepted' | 'none';
  readonly invitationArn?: string;
}

export async function acceptInvitation(deps: Deps, arg?: unknown): Promise<AcceptOutcome | undefined> {
  let profileName = asProfileNode(arg)?.name;
  try {
    const profile = await resolveProfileArg(deps, arg, `${OPERATION}: choose the secondary profile that was invited`, 'secondary');
    profileName = profile.name;
    const primary = await requirePrimary(deps);
    const svc = await services(deps);
    const region = primary.region;
    const credentials = svc.clients.credentialsFor(profile, profile.region ?? region, sessionPrompts(deps).mfaCode);
    const writer = await verifiedWriter(deps, profile, credentials, profile.region ?? region, 'The acceptance of the invitation');
    const caller = { profile, credentials, accountId: writer.accountId, region };
    // Only the invitation to the number's own share (the name Share the Number through AWS RAM gives it): the primary
    // may share other things with this account, and accepting those is not what this command offers.
    const number = (await askNumber(deps, 'origination', deps.state.settings.originationNumber, OPERATION)).value;
    const shareName = ramShareName(number);
    const all = await waitOnAws(deps, `Reading the RAM invitations of account ${writer.accountId}…`, (signal) => svc.sharing.invitations(caller, primary.accountId, signal));
    const pending = all.filter((i) => i.status === 'PENDING' && i.resourceShareName === shareName);
    if (pending.length === 0) {
      const seen = all.map((i) => `${i.resourceShareName ?? i.resourceShareArn}: ${i.status}`).join('; ');
      const text = `Account ${writer.accountId} (${profile.name}) has no pending RAM invitation to ${shareName} (the share of ${number}) from primary account ${primary.accountId} in ${region}${seen ? ` (${seen})` : ''}. Share the number from the primary first (Share the Number through AWS RAM), or it is already accepted.`;
      deps.log.info(`${OPERATION}: ${text}`);
      void deps.ui.info(text);
      return { status: 'none' };
    }
    let chosen = pending[0];
    if (pending.length > 1) {
      const picked = await deps.ui.pick(
        pending.map((i) => ({ label: i.resourceShareName ?? i.resourceShareArn ?? '?', description: `from ${i.senderAccountId}`, detail: i.resourceShareInvitationArn, value: i })),
        { title: OPERATION, placeHolder: 'Choose the invitation to accept' },
      );
      if (!picked) {
        throw new Cancelled();
      }
      chosen = picked;
    }
    const offered = await waitOnAws(deps, 'Reading what the invitation shares…', (signal) => svc.sharing.pendingResources(caller, chosen.resourceShareInvitationArn ?? '', signal));
    const offer = invitationOffer(offered, primary.accountId, region);
    if (offer.others.length || offer.numbers.length === 0) {
      throw new UserError(
        `Nothing was accepted: the invitation to ${chosen.resourceShareName ?? chosen.resourceShareArn} from account ${primary.accountId} ${offer.others.length ? `also shares ${offer.others.join(', ')}` : `shares no phone number of account ${primary.accountId} in ${region}`}, which is more than (or not) the number.`,
        'Ask the primary account to share only the number (Share the Number through AWS RAM), or accept that invitation in the AWS RAM console if you mean to.',
      );
    }
    const answer = await deps.ui.modal(
      `Accept the invitation to resource share ${chosen.resourceShareName ?? chosen.resourceShareArn} from primary account ${primary.accountId}, as account ${writer.accountId} (${profile.name})?`,
      `It shares ${offer.numbers.join(', ')} and nothing else (the share named for ${number}). Account ${writer.accountId} can then send SMS through the primary's shared number with its own credentials (SendTextMessage with the number's ARN, in ${region}). Each such message is billed to account ${writer.accountId} and counts against its spend limit, not the primary's.${mismatchLine(profile, writer)}`,
      [ACCEPT_BUTTON],
    );
    if (answer !== ACCEPT_BUTTON) {
      throw new Cancelled();
    }
    const status = await deps.ui.progress('Accepting the invitation…', (signal) => svc.sharing.accept(caller, chosen.resourceShareInvitationArn ?? '', signal));
    const text = `Account ${writer.accountId} (${profile.name}) accepted the invitation to ${chosen.resourceShareName ?? 'the resource share'} from primary account ${primary.accountId}${status && status !== 'ACCEPTED' ? ` (RAM says ${status})` : ''}. It can now send through the shared number, billed to itself.`;
    deps.log.info(`${OPERATION}: ${text}`);
    void deps.ui.info(text);
    return { status: 'accepted', invitationArn: chosen.resourceShareInvitationArn };
  } catch (e) {
    await reportError(deps, e, OPERATION, profileName);
    return undefined;
  }
}
