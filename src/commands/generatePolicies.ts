/**
 * Generate Cross-Account Policies: the role's trust and permissions policies (for the primary) and
 * the assume policy (for each secondary), opened in editors with a short guide of where each goes.
 */
import * as vscode from 'vscode';
import { permissionsPolicy, policyJson, secondaryAssumePolicy, trustPolicy } from '../core/policies';
import { reportError, trustPlan, type Deps } from './common';

export interface GeneratedPolicies {
  readonly trust: vscode.Uri;
  readonly permissions: vscode.Uri;
  readonly secondary: vscode.Uri;
  readonly guide: vscode.Uri;
}

export async function generatePolicies(deps: Deps): Promise<GeneratedPolicies | undefined> {
  try {
    const s = deps.state.settings;
    const { primary, externalId, secondaries, trusted } = await trustPlan(deps);
    const folder = `${primary.accountId}/${s.roleName}`;
    const trust = deps.docs.set(folder, 'trust-policy.json', policyJson(trustPolicy({ principals: trusted, externalId, requireMfa: s.requireMfa, region: primary.region })));
    const permissions = deps.docs.set(folder, 'permissions-policy.json', policyJson(permissionsPolicy({ accountId: primary.accountId, region: primary.region })));
    const secondary = deps.docs.set(folder, 'secondary-assume-policy.json', policyJson(secondaryAssumePolicy(primary.roleArn)));
    const guide = deps.docs.set(folder, 'README.md', guideText({ primaryProfile: primary.profile.name, primaryAccountId: primary.accountId, roleName: s.roleName, roleArn: primary.roleArn, secondaries, trusted, externalId, requireMfa: s.requireMfa }));
    for (const uri of [guide, secondary, permissions, trust]) {
      const doc = await vscode.workspace.openTextDocument(uri);
      if (uri !== guide) {
        await vscode.languages.setTextDocumentLanguage(doc, 'json');
      }
      await vscode.window.showTextDocument(doc, { preview: false });
    }
    deps.log.info(`Generated policies for role ${primary.roleArn} trusting ${trusted.join(', ')}${externalId ? ' with an external id' : ''}${s.requireMfa ? ' and MFA' : ''}.`);
    return { trust, permissions, secondary, guide };
  } catch (e) {
    await reportError(deps, e, 'Generate Cross-Account Policies');
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
}

function guideText(g: GuideInput): string {
  const lines = [
    `# 10DLC cross-account role \`${g.roleName}\``,
    '',
    `Primary account **${g.primaryAccountId}** (profile \`${g.primaryProfile}\`) owns the 10DLC number and is billed for every message.`,
    `Secondary accounts trusted: ${g.trusted.map((a) => `**${a}**`).join(', ')}.`,
    '',
    '## 1. In the primary account: the role',
    '',
    '`trust-policy.json` says who may assume the role; `permissions-policy.json` says what the role may do.',
    'Save both next to each other, then:',
    '',
    '```sh',
    `aws iam create-role --profile ${g.primaryProfile} --role-name ${g.roleName} \\`,
    '  --assume-role-policy-document file://trust-policy.json \\',
    '  --tags Key=managed-by,Value=tendlc-cross-account',
    `aws iam put-role-policy --profile ${g.primaryProfile} --role-name ${g.roleName} \\`,
    '  --policy-name tendlc-sms-publish --policy-document file://permissions-policy.json',
    '```',
    '',
    `If the role exists already, update its trust policy with \`aws iam update-assume-role-policy --role-name ${g.roleName} --policy-document file://trust-policy.json\` after comparing it with the current one (\`aws iam get-role\`): principals it trusts today that are not listed here would lose access.`,
    '',
    '## 2. In each secondary account: permission to assume it',
    '',
    `Attach \`secondary-assume-policy.json\` (it allows \`sts:AssumeRole\` on \`${g.roleArn}\`) to the users or roles that will send:`,
    '',
    '```sh',
    ...g.secondaries.map((s) => `aws iam put-user-policy --profile ${s.name.startsWith('account ') ? 'SECONDARY_PROFILE' : s.name} --user-name USER --policy-name tendlc-assume-sms-role --policy-document file://secondary-assume-policy.json   # ${s.accountId}`),
    '```',
    '',
    '## 3. Check it',
    '',
    'Right-click a secondary profile in the 10DLC view: **Assume Role**, then **Send Test SMS**.',
  ];
  if (g.externalId) {
    lines.push('', `The trust policy requires the external id from the setting \`tendlc.externalId\`; senders must pass it on AssumeRole.`);
  }
  if (g.requireMfa) {
    lines.push('', 'The trust policy requires MFA: senders are asked for a code when they assume the role.');
  }
  return `${lines.join('\n')}\n`;
}
