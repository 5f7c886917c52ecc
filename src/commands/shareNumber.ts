/**
 * Share the Number with the Secondaries (resourceShare mode's *Create or Update*): with the primary
 * profile, adds to the number's resource policy a grant that lets each secondary account send through
 * it (SendTextMessage, and DescribePhoneNumbers so it can find it), and to its opt-out list one that
 * lets them read it — through the one resource-policy flow (resourcePolicyFlow.ts): only adds, keeps
 * every statement there (SNS's grant included), shows the difference, validates, asks naming the
 * verified account, asks again for every removal or widening, re-reads before it writes.
 */
import * as vscode from 'vscode';
import type { ResourceToGrant } from './resourcePolicyFlow';
import { applyResourcePolicies, type ResourcePolicyOutcome } from './resourcePolicyFlow';
import { shareGrant } from '../core/sharing';
import { reportError, services, sessionPrompts, UserError, waitOnAws, type Deps } from './common';
import { sharePlan } from './sharePlan';
import { verifiedWriter } from './writeTarget';

export const SHARE_OPERATION = vscode.l10n.t('Share the Number');

export async function shareNumber(deps: Deps): Promise<ResourcePolicyOutcome | undefined> {
  try {
    const plan = await sharePlan(deps);
    const { primary, number } = plan;
    const svc = await services(deps);
    const credentials = svc.clients.credentialsFor(primary.profile, primary.region, sessionPrompts(deps).mfaCode);
    const writer = await verifiedWriter(deps, primary.profile, credentials, primary.region, vscode.l10n.t('The resource policy of {0}', number));
    const accounts = plan.accounts.filter((a) => a !== writer.accountId);
    if (accounts.length === 0) {
      throw new UserError(vscode.l10n.t('Every secondary is in account {0}, which owns the number: there is nobody to share it with.', writer.accountId), vscode.l10n.t('Add profiles of other accounts as secondaries.'));
    }
    const info = await waitOnAws(deps, vscode.l10n.t('Reading {0} in {1}…', number, primary.region), (signal) =>
      svc.numbers.readWith(primary.profile, credentials, { accountId: writer.accountId, region: primary.region, number }, signal),
    );
    if (!info?.arn) {
      throw new UserError(vscode.l10n.t('{0} is not a phone number of account {1} in {2}, so it cannot be shared from there.', number, writer.accountId, primary.region), vscode.l10n.t('Check the number and tendlc.region: only the owner can share a number, in its own Region.'), [
        { label: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings?tendlc.originationNumber' },
      ]);
    }
    const who = accounts.join(', ');
    const resources: ResourceToGrant[] = [
      {
        arn: info.arn,
        label: vscode.l10n.t('the number {0}', number),
        file: 'number-resource-policy.json',
        grants: [shareGrant('phone-number', info.arn, accounts, primary.region)],
        decides: vscode.l10n.t('who may send SMS from the number {0}; with this share, accounts {1} send with their own credentials, billed to them', number, who),
      },
    ];
    const list = info.optOutList?.ok ? info.optOutList.value : undefined;
    if (list) {
      resources.push({
        arn: list.arn,
        label: vscode.l10n.t('its opt-out list {0}', list.name),
        file: 'opt-out-list-resource-policy.json',
        grants: [shareGrant('opt-out-list', list.arn, accounts, primary.region)],
        decides: vscode.l10n.t('who may read or change the opt-out list {0} of the number {1}', list.name, number),
      });
    } else if (info.optOutListName) {
      deps.log.warn(`${SHARE_OPERATION}: the opt-out list ${info.optOutListName} could not be read; only the number is shared (a secondary's pre-flight will report its opt-out check as unknown).`);
    }
    const outcome = await applyResourcePolicies(deps, {
      operation: SHARE_OPERATION,
      profile: primary.profile,
      credentials,
      region: primary.region,
      writer,
      resources,
      context: [
        vscode.l10n.t('Accounts {0} will call SendTextMessage with the number\'s ARN and their own credentials: each message is billed to the account that sends it, not to {1}.', who, writer.accountId),
        vscode.l10n.t('Sharing works in {0} only.', primary.region),
      ],
    });
    if (outcome.status === 'updated') {
      deps.log.info(`${SHARE_OPERATION}: ${number} is shared with ${who} through its resource policy.`);
    }
    return outcome;
  } catch (e) {
    await reportError(deps, e, SHARE_OPERATION);
    return undefined;
  }
}
