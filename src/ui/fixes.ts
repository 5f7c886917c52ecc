/** What fixes a failed setup check: the command a check node runs when clicked. */
import * as vscode from 'vscode';
import type { FixId } from '../aws/index';

export const DOCS_URL = 'https://docs.aws.amazon.com/sns/latest/dg/channels-sms-originating-identities-cross-account.html';
const SPEND_LIMIT_URL = 'https://docs.aws.amazon.com/sns/latest/dg/channels-sms-awssupport-spend-threshold.html';
const EUM_SPEND_LIMIT_URL = 'https://docs.aws.amazon.com/sms-voice/latest/userguide/awssupport-spend-threshold.html';

/** The command (and its arguments) that fixes a failed check; `subject` is the profile the check is about. */
export function fixCommand(fix: FixId, subject?: string): { title: string; command: string; arguments?: unknown[] } {
  switch (fix) {
    case 'setPrimary':
      return { title: vscode.l10n.t('Set Primary Profile'), command: 'tendlc.setPrimary' };
    case 'addSecondary':
      return { title: vscode.l10n.t('Add Secondary Profile'), command: 'tendlc.addSecondary' };
    case 'setOriginationNumber':
      return { title: vscode.l10n.t('Set the 10DLC Number'), command: 'workbench.action.openSettings', arguments: ['tendlc.originationNumber'] };
    case 'generatePolicies':
      return { title: vscode.l10n.t('Generate Cross-Account Policies'), command: 'tendlc.generatePolicies' };
    case 'createRole':
      return { title: vscode.l10n.t('Create or Update Cross-Account Role'), command: 'tendlc.createRole' };
    case 'verifySandboxNumber':
      return { title: vscode.l10n.t('Verify Sandbox Destination'), command: 'tendlc.verifySandboxNumber' };
    case 'openDocs':
      return { title: vscode.l10n.t('Open the AWS Guide'), command: 'vscode.open', arguments: [vscode.Uri.parse(DOCS_URL)] };
    case 'enableDeliveryLogging':
      return { title: vscode.l10n.t('Enable Delivery-Status Logging'), command: 'tendlc.enableDeliveryLogging' };
    case 'raiseSpendLimit':
      return { title: vscode.l10n.t('How to Raise the Spend Limit'), command: 'vscode.open', arguments: [vscode.Uri.parse(SPEND_LIMIT_URL)] };
    case 'grantSnsNumberAccess':
      return { title: vscode.l10n.t('Grant SNS Use of the Number'), command: 'tendlc.grantSnsNumberAccess' };
    case 'shareNumber':
      return { title: vscode.l10n.t('Share the Number with the Secondaries'), command: 'tendlc.shareNumber' };
    case 'acceptInvitation':
      return { title: vscode.l10n.t('Accept Resource Share Invitation'), command: 'tendlc.acceptInvitation', ...(subject ? { arguments: [subject] } : {}) };
    case 'raiseSecondarySpendLimit':
      return { title: vscode.l10n.t('How to Raise the Spend Limit'), command: 'vscode.open', arguments: [vscode.Uri.parse(EUM_SPEND_LIMIT_URL)] };
  }
}

