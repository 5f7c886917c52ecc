/**
 * Grant SNS Use of the Number (`tendlc.grantSnsNumberAccess`): numbers bought since 24 September 2024
 * may be used by SNS only when a resource-based policy on them grants it, and the default opt-out list
 * has none. With the primary profile, this verifies the account its credentials write to, reads the
 * number and its opt-out list, and applies SNS's grant to their policies through the one
 * resource-policy flow (resourcePolicyFlow.ts): merged with what is there (only adds), shown side by
 * side, validated, asked about naming the account, and written only if nothing changed meanwhile.
 * Check Setup's failed "SNS may send through the number" (and "… the opt-out list") runs it.
 */
import * as vscode from 'vscode';
import { grantedAutomatically, RESOURCE_POLICY_CUTOFF, snsGrant } from '../core/numberPolicy';
import { validateUsTenDlcNumber } from '../core/validate';
import { reportError, requirePrimary, services, sessionPrompts, UserError, type Deps } from './common';
import { applyResourcePolicies, type ResourcePolicyOutcome, type ResourceToGrant } from './resourcePolicyFlow';
import { verifiedWriter } from './writeTarget';
import { requireRoleMode } from './roleModeOnly';

export const GRANT_SNS_OPERATION = vscode.l10n.t('Grant SNS Use of the Number');

const SET_NUMBER = { label: vscode.l10n.t('Set the 10DLC Number'), command: 'workbench.action.openSettings?tendlc.originationNumber' };

const day = (d: Date): string => d.toISOString().slice(0, 10);

export async function grantSnsNumberAccess(deps: Deps): Promise<ResourcePolicyOutcome['status'] | undefined> {
  try {
    requireRoleMode(deps, vscode.l10n.t('Grant SNS Use of the Number'), vscode.l10n.t('In resourceShare mode SNS does not send: secondaries call End User Messaging\'s SendTextMessage, and Share the Number with the Secondaries writes the number\'s resource policy for them.'));
    const s = deps.state.settings;
    if (!s.originationNumber) {
      throw new UserError(vscode.l10n.t('No 10DLC number is set (tendlc.originationNumber), so there is no number to grant SNS.'), vscode.l10n.t('Set the number, then run this again.'), [SET_NUMBER]);
    }
    const valid = validateUsTenDlcNumber(s.originationNumber);
    if (!valid.ok) {
      throw new UserError(vscode.l10n.t('The 10DLC number setting is not valid: {0}', valid.error), vscode.l10n.t('Fix tendlc.originationNumber.'), [SET_NUMBER]);
    }
    const number = valid.value;
    const primary = await requirePrimary(deps);
    const svc = await services(deps);
    const credentials = svc.clients.credentialsFor(primary.profile, primary.region, sessionPrompts(deps).mfaCode);
    const writer = await verifiedWriter(deps, primary.profile, credentials, primary.region, vscode.l10n.t('The resource policies of {0} and of its opt-out list', number));
    const accountId = writer.accountId;
    const info = await deps.ui.progress(vscode.l10n.t('Reading {0} in {1}…', number, primary.region), (signal) => svc.numbers.readWith(primary.profile, credentials, { accountId, region: primary.region, number }, signal));
    if (!info?.arn) {
      throw new UserError(vscode.l10n.t('{0} is not a phone number of account {1} in {2} (End User Messaging DescribePhoneNumbers).', number, accountId, primary.region), vscode.l10n.t('Check the number (tendlc.originationNumber) and its region (tendlc.region).'), [SET_NUMBER]);
    }
    const resources: ResourceToGrant[] = [
      {
        arn: info.arn,
        label: vscode.l10n.t('the number {0}', number),
        file: 'number-resource-policy.json',
        grants: [snsGrant('phone-number', info.arn, accountId)],
        decides: vscode.l10n.t('who may send SMS from the number {0}, billed to account {1}', number, accountId),
      },
    ];
    const context: string[] = [];
    if (info.createdAt && grantedAutomatically(info.createdAt)) {
      context.push(vscode.l10n.t('{0} was created {1}, before {2}: AWS granted SNS its use automatically, and the grant does no harm.', number, day(info.createdAt), day(RESOURCE_POLICY_CUTOFF)));
    }
    const list = info.optOutList;
    if (list?.ok) {
      resources.push({
        arn: list.value.arn,
        label: vscode.l10n.t('its opt-out list {0}', list.value.name),
        file: 'opt-out-list-resource-policy.json',
        grants: [snsGrant('opt-out-list', list.value.arn, accountId)],
        decides: vscode.l10n.t('who may read and change the opt-out list {0} of account {1}', list.value.name, accountId),
      });
    } else if (list) {
      const x = (await deps.aws.mod()).explainError(list.error, { operation: list.operation, profile: primary.profile.name });
      deps.log.warn(`${GRANT_SNS_OPERATION}: the opt-out list ${info.optOutListName ?? ''} of ${number} could not be read: ${x.message}`);
      context.push(vscode.l10n.t('Its opt-out list {0} could not be read ({1}), so only the number\'s policy is proposed.', info.optOutListName ?? '', x.message));
    }
    const outcome = await applyResourcePolicies(deps, { operation: GRANT_SNS_OPERATION, profile: primary.profile, credentials, region: primary.region, writer, resources, context });
    return outcome.status;
  } catch (e) {
    await reportError(deps, e, GRANT_SNS_OPERATION);
    return undefined;
  }
}
