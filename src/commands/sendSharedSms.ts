/**
 * Send Test SMS in resourceShare mode: from a secondary profile, with ITS OWN credentials, through the
 * primary's number shared with it by End User Messaging (SendTextMessage with the number's ARN). The
 * confirmation names the secondary account as the one billed (its spend limit, not the primary's).
 */
import * as vscode from 'vscode';
import type { SharedConfirmDetails } from '../aws/index';
import { eumDeliveryNote, unknownSendId, type SendRecord } from '../core/delivery';
import type { SendOutcome } from '../core/sendGuard';
import { effectiveSpendLimit, messageTypeOf } from '../core/sharing';
import { maskPhoneNumber } from '../core/validate';
import { asProfileNode } from '../ui/profilesView';
import { reportError, requirePrimary, resolveProfileArg, services, sessionPrompts, type Deps, type PrimaryInfo } from './common';
import { askMessage, askNumber, FINDING_MARK, readMaxPrice, SEND_AGAIN_BUTTON, SEND_ANYWAY_BUTTON, SEND_BUTTON, type SentSms } from './sendPrompts';
import { mismatchLine } from './writeTarget';

/** The confirmation's text: what is sent, from where, checked how, and that the SECONDARY pays. */
export function sharedConfirmText(d: SharedConfirmDetails, warnings: readonly string[], recent: { seconds: number; outcome: SendOutcome } | undefined): { message: string; detail: string } {
  const r = d.request;
  const account = d.sender.accountId;
  const limit = d.preflight.spendLimit ? effectiveSpendLimit(d.preflight.spendLimit) : undefined;
  const lines = [
    ...(d.preflight.blocking ? [vscode.l10n.t('A problem below stops this message from being delivered.'), ''] : []),
    vscode.l10n.t('From: {0} (10DLC, shared by primary account {1}, {2})', r.originationNumber, r.primaryAccountId, r.region),
    vscode.l10n.t('Number ARN: {0}{1}', d.originationIdentity, d.identitySource === 'primary' ? vscode.l10n.t(' (read with the primary profile: the secondary could not list its shared numbers)') : ''),
    `To: ${maskPhoneNumber(r.destination)}`,
    `Type: ${r.messageType}${r.maxPrice ? vscode.l10n.t(', max price ${0}', r.maxPrice) : ''}`,
    vscode.l10n.t('Sent as: {0}\'s own credentials ({1}) with End User Messaging SendTextMessage', r.profile.name, d.sender.arn ?? vscode.l10n.t('account {0}', account)),
    '',
    ...d.preflight.findings.map((f) => `${FINDING_MARK[f.status]} ${f.title}: ${f.detail}`),
    ...warnings.map((w) => `⚠ ${w}`),
    '',
    vscode.l10n.t('AWS charges this message to secondary account {0} ({1}), not to the primary {2}, and it counts against account {0}\'s monthly SMS spend limit{3}.{4}', account, r.profile.name, r.primaryAccountId, limit !== undefined ? ` ($${limit})` : '', mismatchLine(r.profile, d.sender)),
    vscode.l10n.t('Delivery status: {0}', eumDeliveryNote(account)),
  ];
  if (recent?.outcome === 'unknown') {
    return {
      message: vscode.l10n.t('A test SMS to {0} {1} s ago may have been sent (its outcome is unknown). Send another, billed to secondary account {2}?', maskPhoneNumber(r.destination), recent.seconds, account),
      detail: lines.join('\n'),
    };
  }
  if (recent !== undefined) {
    return { message: vscode.l10n.t('You sent a test SMS to {0} {1} s ago. Send another, billed to secondary account {2}?', maskPhoneNumber(r.destination), recent.seconds, account), detail: lines.join('\n') };
  }
  return { message: vscode.l10n.t('Send a test SMS billed to secondary account {0} ({1})?', account, r.profile.name), detail: lines.join('\n') };
}

/** The number's ARN as the primary reads it, for when the secondary cannot list its shared numbers. */
export async function primaryNumberArn(deps: Deps, primary: PrimaryInfo, number: string): Promise<string | undefined> {
  try {
    const svc = await services(deps);
    const info = await svc.numbers.read(primary.profile, { accountId: primary.accountId, region: primary.region, number }, { interactive: true, mfaCodeProvider: sessionPrompts(deps).mfaCode });
    return info?.arn || undefined;
  } catch (e) {
    const x = (await deps.aws.mod()).explainError(e, { operation: 'DescribePhoneNumbers', profile: primary.profile.name });
    deps.log.warn(`The number's ARN could not be read with the primary profile either: ${x.message}`);
    return undefined;
  }
}

export async function sendSharedSms(deps: Deps, arg?: unknown): Promise<SentSms | undefined> {
  let profileName = asProfileNode(arg)?.name;
  try {
    const s = deps.state.settings;
    const profile = await resolveProfileArg(deps, arg, vscode.l10n.t('Send Test SMS: choose the secondary profile to send from (with its own credentials)'), 'secondary');
    profileName = profile.name;
    const primary = await requirePrimary(deps);
    const origination = await askNumber(deps, 'origination', s.originationNumber);
    const destination = await askNumber(deps, 'destination', s.testDestinationNumber);
    const maxPrice = readMaxPrice(deps);
    const message = await askMessage(deps, vscode.l10n.t('Send Test SMS (3/3): message'), vscode.l10n.t('10DLC shared-number test from {0}', profile.name));
    const svc = await services(deps);
    const mod = await deps.aws.mod();
    const warnings = [...origination.warnings, ...destination.warnings];
    const request = {
      profile,
      primaryAccountId: primary.accountId,
      region: primary.region,
      originationNumber: origination.value,
      destination: destination.value,
      message,
      messageType: messageTypeOf(s.smsType),
      maxPrice,
    };
    deps.log.info(`Test SMS (resourceShare): ${profile.name} with its own credentials, from ${request.originationNumber} shared by ${primary.accountId} to ${maskPhoneNumber(request.destination)} (${request.messageType}, ${request.region}).`);
    const result = await deps.ui.progress(vscode.l10n.t('Sending a test SMS from {0}…', profile.name), (signal) =>
      mod.runSharedSend({ clients: svc.clients, accounts: svc.accounts, preflight: svc.preflight, logger: deps.log }, request, {
        mfaCode: sessionPrompts(deps).mfaCode,
        numberArn: () => primaryNumberArn(deps, primary, request.originationNumber),
        confirm: async (details) => {
          deps.view.setSharedVisibility(profile.name, details.preflight.findings.find((f) => f.id === 'shared-number'));
          const recent = deps.recentSends.recent(request.destination);
          const text = sharedConfirmText(details, warnings, recent);
          const button = details.preflight.blocking ? SEND_ANYWAY_BUTTON : recent === undefined ? SEND_BUTTON : SEND_AGAIN_BUTTON;
          return (await deps.ui.modal(text.message, text.detail, [button])) === button;
        },
      }, signal),
    );
    if (result.outcome === 'cancelled') {
      return undefined;
    }
    const account = result.sender.accountId;
    if (result.outcome === 'unknown') {
      // As for Publish (issue 11): it may have been sent and billed, so the next send is guarded as after a real one, and the history keeps it.
      deps.recentSends.record(request.destination, result.sentAt, 'unknown');
      const note = vscode.l10n.t('The outcome of the test SMS to {0} is unknown: {1} It may have been sent, and billed to secondary account {2}. Do not send again until you know; End User Messaging\'s events for account {2} (a configuration set\'s event destinations) or the recipient can tell.', maskPhoneNumber(request.destination), result.reason.message, account);
      await deps.history.add({
        at: result.sentAt.toISOString(),
        profile: profile.name,
        maskedDestination: maskPhoneNumber(request.destination),
        messageId: unknownSendId(result.sentAt, Math.random().toString(36).slice(2, 10)),
        region: request.region,
        primaryAccountId: primary.accountId,
        via: 'eum',
        billedAccountId: account,
        status: 'outcome-unknown',
        detail: result.reason.message,
      });
      deps.log.warn(`Test SMS outcome unknown [${result.reason.code}]: ${note}`);
      void deps.ui.warn(note, vscode.l10n.t('Show Log')).then((choice) => {
        if (choice === vscode.l10n.t('Show Log')) {
          deps.log.show();
        }
      });
      return undefined;
    }
    deps.recentSends.record(request.destination, result.sentAt);
    deps.log.info(`Test SMS accepted by End User Messaging: message id ${result.messageId}, to ${maskPhoneNumber(request.destination)}, billed to ${account}.`);
    void deps.ui.info(vscode.l10n.t('Test SMS sent to {0} through the shared number {1}, billed to secondary account {2}. Message ID: {3}', maskPhoneNumber(request.destination), request.originationNumber, account, result.messageId), vscode.l10n.t('Copy Message ID'), vscode.l10n.t('Show Log')).then(async (choice) => {
      if (choice === vscode.l10n.t('Copy Message ID')) {
        await vscode.env.clipboard.writeText(result.messageId);
      } else if (choice === vscode.l10n.t('Show Log')) {
        deps.log.show();
      }
    });
    const record: SendRecord = {
      at: result.sentAt.toISOString(),
      profile: profile.name,
      maskedDestination: maskPhoneNumber(request.destination),
      messageId: result.messageId,
      region: request.region,
      primaryAccountId: primary.accountId,
      via: 'eum',
      billedAccountId: account,
      status: 'unknown',
      detail: eumDeliveryNote(account),
    };
    await deps.history.add(record);
    return { messageId: result.messageId, destination: request.destination, primaryAccountId: primary.accountId, billedAccountId: account, outcome: 'sent' };
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Send Test SMS'), profileName);
    return undefined;
  }
}
