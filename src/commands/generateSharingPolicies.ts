/**
 * Generate Policies in resourceShare mode: the number's resource policy that shares it with each
 * secondary account (the merge of what is on it today and the share — SNS's grant and every other
 * statement kept), its opt-out list's, each secondary's identity policy, and a guide with the AWS CLI
 * commands for both ways of sharing (resource policy, or AWS RAM with invitations to accept).
 */
import { profileWord, shellQuote } from '../core/format';
import * as vscode from 'vscode';
import type { NumberInfo } from '../aws/index';
import { optOutListArn } from '../core/numberPolicy';
import { mergeGrants } from '../core/policyEngine';
import { policyJson } from '../core/policies';
import { describeSecondaryAccess, ramShareName, secondaryAccess, secondarySendPolicy, shareGrant, shareResourcePolicy, SHARING_SOURCES, type SharedResourceKind } from '../core/sharing';
import { Cancelled, reportError, services, sessionPrompts, waitOnAws, type Deps } from './common';
import { sharePlan, type SharePlan } from './sharePlan';

export interface GeneratedSharingPolicies {
  readonly guide: vscode.Uri;
  readonly numberPolicy: vscode.Uri;
  readonly optOutListPolicy: vscode.Uri;
  /** The identity policy each secondary's sending user or role needs. */
  readonly secondary: vscode.Uri;
}

const NUMBER_FILE = 'number-resource-policy.json';
const OPT_OUT_FILE = 'opt-out-list-resource-policy.json';
const SECONDARY_FILE = 'secondary-send-policy.json';

/** The document to show for one resource: the merge with what is there, or a fresh one; and a note on what is there. */
function proposal(kind: SharedResourceKind, arn: string, current: NumberInfo['policy'] | undefined, plan: SharePlan): { text: string; note: string } {
  const grant = shareGrant(kind, arn, plan.accounts, plan.primary.region);
  const what = kind === 'phone-number' ? vscode.l10n.t('The number') : vscode.l10n.t('The opt-out list');
  if (!current) {
    return { text: policyJson(shareResourcePolicy(kind, arn, plan.accounts, plan.primary.region)), note: vscode.l10n.t('{0}\'s current resource policy was not read: read it (first command below) and merge before you apply, since put-resource-policy replaces the whole document.', what) };
  }
  if (!current.ok) {
    return { text: policyJson(shareResourcePolicy(kind, arn, plan.accounts, plan.primary.region)), note: vscode.l10n.t('{0}\'s current resource policy could not be read ({1} failed): read it before you apply anything.', what, current.operation) };
  }
  const merged = mergeGrants(current.value, [grant], { partition: arn.split(':')[1] || 'aws' });
  if (!merged.ok) {
    return { text: merged.statementText, note: vscode.l10n.t('{0}\'s current resource policy cannot be read completely ({1}); the file holds the statement to add to it by hand.', what, merged.problems.join(' ')) };
  }
  const empty = !current.value || current.value.trim() === '{}';
  if (empty) {
    return { text: merged.text, note: vscode.l10n.t('{0} has no resource policy today: `{1}` can be applied as it is.', what, kind === 'phone-number' ? NUMBER_FILE : OPT_OUT_FILE) };
  }
  if (!merged.changed) {
    return { text: merged.text, note: vscode.l10n.t('{0}\'s resource policy already shares it with {1}: nothing to apply.', what, plan.accounts.join(', ')) };
  }
  return {
    text: merged.text,
    note: vscode.l10n.t('{0} has a resource policy today; the file is that document with the share added for accounts {1} (every statement there, SNS\'s grant included, kept as it is).', what, [...new Set(merged.changes.filter((c) => c.kind === 'added' && /^\d{12}$/.test(c.subject)).map((c) => c.subject))].join(', ')),
  };
}

export async function generateSharingPolicies(deps: Deps): Promise<GeneratedSharingPolicies | undefined> {
  try {
    const plan = await sharePlan(deps);
    const { primary, number } = plan;
    const svc = await services(deps);
    let info: NumberInfo | undefined;
    let why: string | undefined;
    try {
      info = await waitOnAws(deps, vscode.l10n.t('Reading {0} in {1}…', number, primary.region), (signal) =>
        svc.numbers.read(primary.profile, { accountId: primary.accountId, region: primary.region, number }, { interactive: true, mfaCodeProvider: sessionPrompts(deps).mfaCode, signal }),
      );
      why = info ? undefined : vscode.l10n.t('{0} is not a phone number of account {1} in {2}', number, primary.accountId, primary.region);
    } catch (e) {
      if (e instanceof Cancelled) {
        throw e;
      }
      why = (await deps.aws.mod()).explainError(e, { operation: 'DescribePhoneNumbers', profile: primary.profile.name }).message;
      deps.log.warn(`Generate Policies: could not read ${number}: ${why}`);
    }
    const partition = primary.roleArn.split(':')[1] ?? 'aws';
    const numberArn = info?.arn || `arn:${partition}:sms-voice:${primary.region}:${primary.accountId}:phone-number/PHONE_NUMBER_ID`;
    const list = info?.optOutList?.ok ? info.optOutList.value : undefined;
    const listArn = list?.arn ?? optOutListArn(primary.region, primary.accountId, info?.optOutListName ?? 'OPT_OUT_LIST_NAME');
    const folder = `${primary.accountId}/share-${number.replace(/\D/g, '')}`;
    const forNumber = proposal('phone-number', numberArn, info?.policy, plan);
    const forList = proposal('opt-out-list', listArn, list?.policy, plan);
    const numberPolicy = deps.docs.set(folder, NUMBER_FILE, forNumber.text);
    const optOutListPolicy = deps.docs.set(folder, OPT_OUT_FILE, forList.text);
    const secondary = deps.docs.set(folder, SECONDARY_FILE, policyJson(secondarySendPolicy({ numberArn, optOutListArn: listArn, primaryAccountId: primary.accountId, region: primary.region })));
    const today = info?.policy.ok ? plan.accounts.map((a) => `- ${a}: ${describeSecondaryAccess(secondaryAccess(info?.policy.ok ? info.policy.value : undefined, numberArn, a), vscode.l10n.t('account {0}', a))}.`) : [];
    const guide = deps.docs.set(folder, 'README.md', guideText(plan, { numberArn, listArn, placeholder: !info?.arn, why, numberNote: forNumber.note, listNote: forList.note, today }));
    for (const uri of [guide, optOutListPolicy, numberPolicy, secondary]) {
      const doc = await vscode.workspace.openTextDocument(uri);
      if (uri !== guide) {
        await vscode.languages.setTextDocumentLanguage(doc, 'json');
      }
      await vscode.window.showTextDocument(doc, { preview: false });
    }
    deps.log.info(`Generated the sharing policies of ${number} (${numberArn}) for ${plan.accounts.join(', ')}.`);
    return { guide, numberPolicy, optOutListPolicy, secondary };
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Generate Sharing Policies'));
    return undefined;
  }
}

interface GuideFacts {
  readonly numberArn: string;
  readonly listArn: string;
  readonly placeholder: boolean;
  readonly why?: string;
  readonly numberNote: string;
  readonly listNote: string;
  readonly today: readonly string[];
}

function guideText(plan: SharePlan, f: GuideFacts): string {
  const { primary, number } = plan;
  const p = primary.profile.name;
  const r = primary.region;
  const eum = (profile: string, verb: string): string => vscode.l10n.t('aws pinpoint-sms-voice-v2 {0} --profile {1} --region {2}', verb, shellQuote(profile), r);
  const senders = plan.secondaries.filter((s) => s.accountId !== primary.accountId);
  const lines = [
    vscode.l10n.t('# Sharing {0} through AWS End User Messaging', number),
    '',
    vscode.l10n.t('Primary account **{0}** (profile `{1}`) owns the number and pays for it (tendlc.sharingMode = resourceShare). Each secondary — {2} — sends with its **own** credentials by calling `SendTextMessage` with the number\'s ARN, and **pays for its own messages**, which count against its own monthly SMS spend limit. Sharing works in **{3}** only.', primary.accountId, p, plan.accounts.map((a) => `**${a}**`).join(', '), r),
    '',
    !f.placeholder
      ? vscode.l10n.t('Number ARN: `{0}`', f.numberArn)
      : f.why
        ? vscode.l10n.t('Number ARN: `{0}` (a placeholder: the number could not be read: {1})', f.numberArn, f.why)
        : vscode.l10n.t('Number ARN: `{0}` (a placeholder: the number could not be read)', f.numberArn),
    '',
    vscode.l10n.t('## 1. In the primary account: share the number (one of two ways)'),
    '',
    vscode.l10n.t('### A. A resource policy on the number'),
    '',
    vscode.l10n.t('What **10DLC: Share the Number with the Secondaries** applies (after showing the difference and asking). `{0}` lets each secondary account call `sms-voice:SendTextMessage` on the number (and `DescribePhoneNumbers`, so it can find the number and its ARN); `{1}` lets them read the number\'s opt-out list (the pre-flight\'s opt-out check; End User Messaging applies the list to every send anyway).', NUMBER_FILE, OPT_OUT_FILE),
    '',
    `- ${f.numberNote}`,
    `- ${f.listNote}`,
    ...(f.today.length ? ['', vscode.l10n.t('What the number\'s resource policy does for each secondary today:'), '', ...f.today] : []),
    '',
    '```sh',
    `${eum(p, 'get-resource-policy')} --resource-arn ${f.numberArn}`,
    vscode.l10n.t('{0} --resource-arn {1} --policy file://{2}', eum(p, 'put-resource-policy'), f.numberArn, NUMBER_FILE),
    vscode.l10n.t('{0} --resource-arn {1} --policy file://{2}', eum(p, 'put-resource-policy'), f.listArn, OPT_OUT_FILE),
    '```',
    '',
    vscode.l10n.t('`put-resource-policy` replaces the whole document: the files above already hold what is there today plus the share.'),
    '',
    vscode.l10n.t('### B. An AWS RAM resource share'),
    '',
    vscode.l10n.t('What **10DLC: Share the Number through AWS RAM** does (it only adds accounts). An account outside your organization gets an invitation, and can use the number only after accepting it (**Accept Resource Share Invitation** on that secondary):'),
    '',
    '```sh',
    `aws ram create-resource-share --profile ${shellQuote(p)} --region ${r} --name ${ramShareName(number)} --resource-arns ${f.numberArn} --principals ${plan.accounts.join(' ')} --allow-external-principals`,
    ...senders.map((s) => `aws ram get-resource-share-invitations --profile ${profileWord(s.name)} --region ${r}   # ${s.accountId}: then accept-resource-share-invitation --resource-share-invitation-arn ARN`),
    '```',
    '',
    vscode.l10n.t('## 2. In each secondary account: permission to send'),
    '',
    vscode.l10n.t('A call across accounts needs both sides: the share above, and an identity policy in the secondary. Attach `{0}` (SendTextMessage on the number\'s ARN; the optional statements let the pre-flight read the account\'s spend limit, sandbox tier and the shared number, and accept a RAM invitation from {1}) to the users or roles that send:', SECONDARY_FILE, primary.accountId),
    '',
    '```sh',
    ...senders.map((s) => `aws iam put-user-policy --profile ${profileWord(s.name)} --user-name USER --policy-name tendlc-send-shared-sms --policy-document file://${SECONDARY_FILE}   # ${s.accountId}`),
    '```',
    '',
    vscode.l10n.t('## 3. Check it'),
    '',
    vscode.l10n.t('Right-click a secondary profile in the 10DLC view: **Dry Run Send** (free: nothing is sent or billed), then **Send Test SMS**. **Check Setup** tells, per secondary, whether the number is shared with it and visible to it. By hand:'),
    '',
    '```sh',
    ...senders.slice(0, 1).flatMap((s) => {
      const prof = s.name.startsWith('account ') ? 'SECONDARY_PROFILE' : s.name;
      return [
        vscode.l10n.t('{0} --owner SHARED', eum(prof, 'describe-phone-numbers')),
        vscode.l10n.t('{0} --origination-identity {1} --destination-phone-number +1XXXXXXXXXX --message-body "test" --message-type TRANSACTIONAL --dry-run', eum(prof, 'send-text-message'), f.numberArn),
      ];
    }),
    '```',
    '',
    'Sources:',
    '',
    ...SHARING_SOURCES.map((s) => `- [${s.title}](${s.url})`),
  ];
  return `${lines.join('\n')}\n`;
}
