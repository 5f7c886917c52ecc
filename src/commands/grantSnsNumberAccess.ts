/**
 * Grant SNS Use of the Number (`tendlc.grantSnsNumberAccess`): numbers bought since 24 September 2024
 * may be used by SNS only when a resource-based policy on them grants it, and the default opt-out list
 * has none. With the primary profile, this verifies the account its credentials write to, reads the
 * number and its opt-out list, and applies SNS's grant to their policies through the one
 * resource-policy flow (resourcePolicyFlow.ts): merged with what is there (only adds), shown side by
 * side, validated, asked about naming the account, and written only if nothing changed meanwhile.
 * Check Setup's failed "SNS may send through the number" (and "… the opt-out list") runs it.
 */
import { grantedAutomatically, RESOURCE_POLICY_CUTOFF, snsGrant } from '../core/numberPolicy';
import { validateUsTenDlcNumber } from '../core/validate';
import { reportError, requirePrimary, services, sessionPrompts, UserError, type Deps } from './common';
import { applyResourcePolicies, type ResourcePolicyOutcome, type ResourceToGrant } from './resourcePolicyFlow';
import { verifiedWriter } from './writeTarget';
import { requireRoleMode } from './roleModeOnly';

export const GRANT_SNS_OPERATION = 'Grant SNS Use of the Number';

const SET_NUMBER = { label: 'Set the 10DLC Number', command: 'workbench.action.openSettings?tendlc.originationNumber' };

const day = (d: Date): string => d.toISOString().slice(0, 10);

export async function grantSnsNumberAccess(deps: Deps): Promise<ResourcePolicyOutcome['status'] | undefined> {
  try {
    requireRoleMode(deps, 'Grant SNS Use of the Number', "In resourceShare mode SNS does not send: secondaries call End User Messaging's SendTextMessage, and Share the Number with the Secondaries writes the number's resource policy for them.");
    const s = deps.state.settings;
    if (!s.originationNumber) {
      throw new UserError('No 10DLC number is set (tendlc.originationNumber), so there is no number to grant SNS.', 'Set the number, then run this again.', [SET_NUMBER]);
    }
    const valid = validateUsTenDlcNumber(s.originationNumber);
    if (!valid.ok) {
      throw new UserError(`The 10DLC number setting is not valid: ${valid.error}`, 'Fix tendlc.originationNumber.', [SET_NUMBER]);
    }
    const number = valid.value;
    const primary = await requirePrimary(deps);
    const svc = await services(deps);
    const credentials = svc.clients.credentialsFor(primary.profile, primary.region, sessionPrompts(deps).mfaCode);
    const writer = await verifiedWriter(deps, primary.profile, credentials, primary.region, `The resource policies of ${number} and of its opt-out list`);
    const accountId = writer.accountId;
    const info = await deps.ui.progress(`Reading ${number} in ${primary.region}…`, (signal) => svc.numbers.readWith(primary.profile, credentials, { accountId, region: primary.region, number }, signal));
    if (!info?.arn) {
      throw new UserError(`${number} is not a phone number of account ${accountId} in ${primary.region} (End User Messaging DescribePhoneNumbers).`, 'Check the number (tendlc.originationNumber) and its region (tendlc.region).', [SET_NUMBER]);
    }
    const resources: ResourceToGrant[] = [
      {
        arn: info.arn,
        label: `the number ${number}`,
        file: 'number-resource-policy.json',
        grants: [snsGrant('phone-number', info.arn, accountId)],
        decides: `who may send SMS from the number ${number}, billed to account ${accountId}`,
      },
    ];
    const context: string[] = [];
    if (info.createdAt && grantedAutomatically(info.createdAt)) {
      context.push(`${number} was created ${day(info.createdAt)}, before ${day(RESOURCE_POLICY_CUTOFF)}: AWS granted SNS its use automatically, and the grant does no harm.`);
    }
    const list = info.optOutList;
    if (list?.ok) {
      resources.push({
        arn: list.value.arn,
        label: `its opt-out list ${list.value.name}`,
        file: 'opt-out-list-resource-policy.json',
        grants: [snsGrant('opt-out-list', list.value.arn, accountId)],
        decides: `who may read and change the opt-out list ${list.value.name} of account ${accountId}`,
      });
    } else if (list) {
      const x = (await deps.aws.mod()).explainError(list.error, { operation: list.operation, profile: primary.profile.name });
      deps.log.warn(`${GRANT_SNS_OPERATION}: the opt-out list ${info.optOutListName ?? ''} of ${number} could not be read: ${x.message}`);
      context.push(`Its opt-out list ${info.optOutListName ?? ''} could not be read (${x.message}), so only the number's policy is proposed.`);
    }
    const outcome = await applyResourcePolicies(deps, { operation: GRANT_SNS_OPERATION, profile: primary.profile, credentials, region: primary.region, writer, resources, context });
    return outcome.status;
  } catch (e) {
    await reportError(deps, e, GRANT_SNS_OPERATION);
    return undefined;
  }
}
