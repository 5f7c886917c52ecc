/**
 * Generate Cross-Account Policies: the role's trust and permissions policies (for the primary) and
 * the assume policy (for each secondary), opened in editors with a short guide of where each goes.
 */
import { profileWord, shellQuote } from '../core/format';
import * as vscode from 'vscode';
import { resourcePolicyGuide } from '../core/numberPolicy';
import { policyJson } from '../core/policies';
import { accountLabel, P, resolveDocument, resolvedDocuments } from '../core/setup';
import { reportError, type Deps } from './common';
import { generateSharingPolicies, type GeneratedSharingPolicies } from './generateSharingPolicies';
import { readSetupPlan } from './setupPlan';

export interface GeneratedPolicies {
  readonly trust: vscode.Uri;
  readonly permissions: vscode.Uri;
  readonly secondary: vscode.Uri;
  readonly guide: vscode.Uri;
  /** The number's and its opt-out list's resource policies (when a number is set). */
  readonly numberPolicy?: vscode.Uri;
  readonly optOutListPolicy?: vscode.Uri;
}

export async function generatePolicies(deps: Deps): Promise<GeneratedPolicies | GeneratedSharingPolicies | undefined> {
  // resourceShare mode: no role; the number's resource policy that shares it, and each secondary's policy.
  if (deps.state.settings.sharingMode === 'resourceShare') {
    return generateSharingPolicies(deps);
  }
  try {
    const s = deps.state.settings;
    const { plan, model, number, resources, numberInfo, numberWhy } = await readSetupPlan(deps, vscode.l10n.t('Generate Policies'));
    const { primary, externalId, secondaries, trusted } = plan;
    // One model for every format (core/setup.ts): the JSON documents are its documents with the
    // current setup's values in place of the template parameters.
    const docs = resolvedDocuments(model);
    const folder = `${primary.accountId}/${s.roleName}`;
    const trust = deps.docs.set(folder, 'trust-policy.json', policyJson(docs.trust));
    const permissions = deps.docs.set(folder, 'permissions-policy.json', policyJson(docs.permissions));
    const secondary = deps.docs.set(folder, 'secondary-assume-policy.json', policyJson(docs.secondary));
    // The number's resource policies (numbers bought since 24 September 2024 need them).
    let numberSection: string[] = [];
    let resourceUris: vscode.Uri[] = [];
    if (number) {
      resourceUris = resources.map((r) => {
        const need = model.resourcePolicies.find((x) => x.kind === r.kind);
        if (!need) {
          throw new Error(vscode.l10n.t('the setup model has no {0} policy', r.kind));
        }
        // A placeholder ARN (the number could not be read) stands where the template has a parameter.
        return deps.docs.set(folder, r.file, policyJson(resolveDocument(need.document, model.primaryParams, { [P.accountId]: primary.accountId, [need.arnParam]: r.arn })));
      });
      numberSection = resourcePolicyGuide({ primaryProfile: primary.profile.name, accountId: primary.accountId, region: primary.region, originationNumber: number, createdAt: numberInfo?.createdAt, resources });
      if (numberWhy) {
        numberSection.splice(2, 0, vscode.l10n.t('(The number could not be read: {0}.)', numberWhy), '');
      }
    } else {
      numberSection = [vscode.l10n.t('## 3. In the primary account: let SNS use the number'), '', vscode.l10n.t('Set `tendlc.originationNumber` to the 10DLC number and run this command again: numbers bought since 24 September 2024 need a resource policy that lets SNS send through them.')];
    }
    const guide = deps.docs.set(
      folder,
      'README.md',
      guideText({ primaryProfile: primary.profile.name, primaryAccountId: accountLabel(model, primary.accountId), roleName: s.roleName, roleArn: primary.roleArn, secondaries: secondaries.map((x) => ({ name: x.name, accountId: accountLabel(model, x.accountId) })), trusted: trusted.map((a) => accountLabel(model, a)), externalId, requireMfa: s.requireMfa, numberSection }),
    );
    const [numberPolicy, optOutListPolicy] = resourceUris;
    for (const uri of [guide, optOutListPolicy, numberPolicy, secondary, permissions, trust].filter((u): u is vscode.Uri => u !== undefined)) {
      const doc = await vscode.workspace.openTextDocument(uri);
      if (uri !== guide) {
        await vscode.languages.setTextDocumentLanguage(doc, 'json');
      }
      await vscode.window.showTextDocument(doc, { preview: false });
    }
    deps.log.info(`Generated policies for role ${primary.roleArn} trusting ${trusted.join(', ')}${externalId ? ' with an external id' : ''}${s.requireMfa ? ' and MFA' : ''}.`);
    return { trust, permissions, secondary, guide, numberPolicy, optOutListPolicy };
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Generate Cross-Account Policies'));
    return undefined;
  }
}

interface GuideInput {
  primaryProfile: string;
  primaryAccountId: string;
  roleName: string;
  roleArn: string;
  secondaries: readonly { name: string; accountId: string }[];
  trusted: readonly string[];
  externalId?: string;
  requireMfa: boolean;
  /** The section on the number's resource policies. */
  numberSection: readonly string[];
}

function guideText(g: GuideInput): string {
  const lines = [
    vscode.l10n.t('# 10DLC cross-account role `{0}`', g.roleName),
    '',
    vscode.l10n.t('Primary account **{0}** (profile `{1}`) owns the 10DLC number and is billed for every message.', g.primaryAccountId, g.primaryProfile),
    vscode.l10n.t('Secondary accounts trusted: {0}.', g.trusted.map((a) => `**${a}**`).join(', ')),
    '',
    vscode.l10n.t('## 1. In the primary account: the role'),
    '',
    vscode.l10n.t('`trust-policy.json` says who may assume the role; `permissions-policy.json` says what the role may do.'),
    vscode.l10n.t('Save both next to each other, then:'),
    '',
    '```sh',
    `aws iam create-role --profile ${shellQuote(g.primaryProfile)} --role-name ${g.roleName} \\`,
    '  --assume-role-policy-document file://trust-policy.json \\',
    '  --tags Key=managed-by,Value=tendlc-cross-account',
    `aws iam put-role-policy --profile ${shellQuote(g.primaryProfile)} --role-name ${g.roleName} \\`,
    '  --policy-name tendlc-sms-publish --policy-document file://permissions-policy.json',
    '```',
    '',
    vscode.l10n.t('If the role exists already, update its trust policy with `aws iam update-assume-role-policy --role-name {0} --policy-document file://trust-policy.json` after comparing it with the current one (`aws iam get-role`): principals it trusts today that are not listed here would lose access.', g.roleName),
    '',
    vscode.l10n.t('## 2. In each secondary account: permission to assume it'),
    '',
    vscode.l10n.t('Attach `secondary-assume-policy.json` (it allows `sts:AssumeRole` on `{0}`) to the users or roles that will send:', g.roleArn),
    '',
    '```sh',
    ...g.secondaries.map((s) => `aws iam put-user-policy --profile ${profileWord(s.name)} --user-name USER --policy-name tendlc-assume-sms-role --policy-document file://secondary-assume-policy.json   # ${s.accountId}`),
    '```',
    '',
    ...g.numberSection,
    '',
    vscode.l10n.t('## 4. Check it'),
    '',
    vscode.l10n.t('Right-click a secondary profile in the 10DLC view: **Assume Role**, then **Send Test SMS**. **Check Setup** also tells whether SNS may use the number (section 3).'),
  ];
  if (g.externalId) {
    lines.push('', vscode.l10n.t('The trust policy requires the external id from the setting `tendlc.externalId`; senders must pass it on AssumeRole.'));
  }
  if (g.requireMfa) {
    lines.push('', vscode.l10n.t('The trust policy requires MFA: senders are asked for a code when they assume the role.'));
  }
  return `${lines.join('\n')}\n`;
}
