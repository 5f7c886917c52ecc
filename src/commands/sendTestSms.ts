/**
 * Send Test SMS: from a secondary profile, through the primary's role, from the shared 10DLC number.
 * Validates first, confirms in a modal that names the billed primary account, then publishes.
 */
import * as vscode from 'vscode';
import type { ConfirmDetails, SmsRequest } from '../aws/index';
import { timeLeft } from '../core/format';
import { maskPhoneNumber } from '../core/validate';
import { asProfileNode } from '../ui/profilesView';
import { unknownSendId, type SendRecord } from '../core/delivery';
import type { SendOutcome } from '../core/sendGuard';
import { CHECK_DELIVERY_BUTTON, ENABLE_LOGGING_BUTTON, followDelivery } from './delivery';
import { assumeRequestFor, protect } from './assumeRole';
import { reportError, requirePrimary, resolveProfileArg, services, sessionPrompts, type Deps } from './common';
import { askMessage, askNumber, FINDING_MARK, readMaxPrice, SEND_AGAIN_BUTTON, SEND_ANYWAY_BUTTON, SEND_BUTTON, type SentSms } from './sendPrompts';
import { sendSharedSms } from './sendSharedSms';

export { SEND_AGAIN_BUTTON, SEND_ANYWAY_BUTTON, SEND_BUTTON } from './sendPrompts';


function confirmText(d: ConfirmDetails, fromProfile: string, warnings: readonly string[], recent: { seconds: number; outcome: SendOutcome } | undefined, accountName?: string): { message: string; detail: string } {
  const r = d.request;
  // The account's name from AWS Organizations, when one of the profiles may list the accounts.
  const billed = accountName ? `${d.session.accountId} (${accountName})` : d.session.accountId;
  const o = d.optOut;
  const optOut =
    o.status === 'unknown' ? vscode.l10n.t('unknown ({0})', o.reason) : o.status === 'opted-out' ? vscode.l10n.t('OPTED OUT: this number asked not to receive SMS; the message will not be delivered.') : vscode.l10n.t('not opted out');
  // With a pre-flight, its findings (problems first) replace the single opt-out line.
  const checks = d.preflight ? d.preflight.findings.map((f) => `${FINDING_MARK[f.status]} ${f.title}: ${f.detail}`) : [vscode.l10n.t('Opt-out status: {0}', optOut)];
  const lines = [
    ...(d.preflight?.blocking ? [vscode.l10n.t('A problem below stops this message from being delivered.'), ''] : []),
    `From: ${r.originationNumber} (10DLC, ${r.region})`,
    `To: ${maskPhoneNumber(r.destination)}`,
    `Type: ${r.smsType}${r.maxPrice ? vscode.l10n.t(', max price ${0}', r.maxPrice) : ''}`,
    vscode.l10n.t('Sent as: {0} → role {1} ({2})', fromProfile, d.session.assumedRoleArn.split('/')[1] ?? '', timeLeft(d.session.expiration)),
    '',
    ...checks,
    ...warnings.map((w) => `⚠ ${w}`),
    '',
    vscode.l10n.t('AWS charges this message to account {0}, and it counts against that account\'s SMS spend limit.', billed),
  ];
  if (recent?.outcome === 'unknown') {
    return {
      message: vscode.l10n.t('A test SMS to {0} {1} s ago may have been sent (its outcome is unknown). Send another, billed to primary account {2}?', maskPhoneNumber(r.destination), recent.seconds, billed),
      detail: lines.join('\n'),
    };
  }
  if (recent !== undefined) {
    return {
      message: vscode.l10n.t('You sent a test SMS to {0} {1} s ago. Send another, billed to primary account {2}?', maskPhoneNumber(r.destination), recent.seconds, billed),
      detail: lines.join('\n'),
    };
  }
  return { message: vscode.l10n.t('Send a test SMS billed to primary account {0}?', billed), detail: lines.join('\n') };
}

export async function sendTestSms(deps: Deps, arg?: unknown): Promise<SentSms | undefined> {
  // resourceShare mode: the secondary's own credentials and End User Messaging, billed to the secondary.
  if (deps.state.settings.sharingMode === 'resourceShare') {
    return sendSharedSms(deps, arg);
  }
  let profileName: string | undefined = asProfileNode(arg)?.name;
  let roleArn: string | undefined;
  try {
    const s = deps.state.settings;
    const profile = await resolveProfileArg(deps, arg, vscode.l10n.t('Send Test SMS: choose the secondary profile to send from'), 'secondary');
    profileName = profile.name;
    const primary = await requirePrimary(deps);
    const request = assumeRequestFor(deps, profile, primary);
    roleArn = request.roleArn;
    const origination = await askNumber(deps, 'origination', s.originationNumber);
    const destination = await askNumber(deps, 'destination', s.testDestinationNumber);
    const maxPrice = readMaxPrice(deps);
    const message = await askMessage(deps, vscode.l10n.t('Send Test SMS (3/3): message'), vscode.l10n.t('10DLC cross-account test from {0}', profile.name));
    const sms: SmsRequest = { destination: destination.value, message, originationNumber: origination.value, smsType: s.smsType, maxPrice, region: primary.region };
    const svc = await services(deps);
    const mod = await deps.aws.mod();
    const warnings = [...origination.warnings, ...destination.warnings];
    deps.log.info(`Test SMS: ${profile.name} → ${primary.roleArn}, from ${sms.originationNumber} to ${maskPhoneNumber(sms.destination)} (${sms.smsType}, ${sms.region}).`);
    const result = await deps.ui.progress(vscode.l10n.t('Sending a test SMS from {0}…', profile.name), (signal) =>
      mod.runTestSend(
        { sessions: svc.sessions, sms: svc.sms, preflight: svc.preflight, logger: deps.log },
        request,
        sms,
        profile,
        {
          ...sessionPrompts(deps),
          confirm: async (details) => {
            protect(deps, details.session);
            if (details.preflight?.number) {
              deps.view.setNumber(svc.numbers.summary(details.preflight.number));
            }
            const recent = deps.recentSends.recent(sms.destination);
            const text = confirmText(details, profile.name, warnings, recent, svc.orgNames.nameOf(details.session.accountId));
            // A blocking finding needs the explicit "Send Anyway"; a repeat needs "Send Again".
            const button = details.preflight?.blocking ? SEND_ANYWAY_BUTTON : recent === undefined ? SEND_BUTTON : SEND_AGAIN_BUTTON;
            return (await deps.ui.modal(text.message, text.detail, [button])) === button;
          },
        },
        signal,
      ),
    );
    if (result.outcome === 'cancelled') {
      return undefined;
    }
    if (result.outcome === 'unknown') {
      // The request reached the endpoint: it may have been sent and billed. Guard the next send as after a real one.
      deps.recentSends.record(sms.destination, result.sentAt, 'unknown');
      const record: SendRecord = {
        at: result.sentAt.toISOString(),
        profile: profile.name,
        maskedDestination: maskPhoneNumber(sms.destination),
        messageId: unknownSendId(result.sentAt, Math.random().toString(36).slice(2, 10)),
        region: sms.region,
        primaryAccountId: result.session.accountId,
        status: 'outcome-unknown',
        detail: result.reason.message,
      };
      await deps.history.add(record);
      const text =
        vscode.l10n.t('The test SMS to {0} may have been sent and billed to account {1}: {2} Its outcome is unknown; check its delivery status before you send it again.', record.maskedDestination, result.session.accountId, result.reason.message);
      deps.log.warn(`Test SMS outcome unknown [${result.reason.code}]: ${text}`);
      void deps.ui.warn(text, CHECK_DELIVERY_BUTTON, vscode.l10n.t('Show Log')).then(async (choice) => {
        if (choice === CHECK_DELIVERY_BUTTON) {
          await vscode.commands.executeCommand('tendlc.checkDelivery', record.messageId);
        } else if (choice === vscode.l10n.t('Show Log')) {
          deps.log.show();
        }
      });
      return { messageId: record.messageId, destination: sms.destination, primaryAccountId: result.session.accountId, billedAccountId: result.session.accountId, outcome: 'unknown' };
    }
    deps.recentSends.record(sms.destination, result.sentAt);
    deps.log.info(`Test SMS accepted by SNS: message id ${result.messageId}, to ${maskPhoneNumber(sms.destination)}, billed to ${result.session.accountId}.`);
    void deps.ui.info(vscode.l10n.t('Test SMS sent to {0} through {1}. Message ID: {2}', maskPhoneNumber(sms.destination), sms.originationNumber, result.messageId), vscode.l10n.t('Copy Message ID'), vscode.l10n.t('Show Log')).then(async (choice) => {
      if (choice === vscode.l10n.t('Copy Message ID')) {
        await vscode.env.clipboard.writeText(result.messageId);
      } else if (choice === vscode.l10n.t('Show Log')) {
        deps.log.show();
      }
    });
    const record: SendRecord = {
      at: result.sentAt.toISOString(),
      profile: profile.name,
      maskedDestination: maskPhoneNumber(sms.destination),
      messageId: result.messageId,
      region: sms.region,
      primaryAccountId: result.session.accountId,
      status: 'sent',
    };
    await deps.history.add(record);
    const logging = result.preflight?.logging;
    if (logging?.enabled === false) {
      const note = vscode.l10n.t('Delivery status unknown: delivery-status logging is not enabled in the primary account {0}.', result.session.accountId);
      await deps.history.update(record.messageId, { status: 'unknown', detail: note });
      deps.log.info(note);
      void deps.ui.warn(note, ENABLE_LOGGING_BUTTON).then(async (choice) => {
        if (choice === ENABLE_LOGGING_BUTTON) {
          await vscode.commands.executeCommand('tendlc.enableDeliveryLogging');
        }
      });
    } else {
      await followDelivery(deps, record, result.session, profile, deps.pollDelays, logging?.successSamplingRate);
    }
    return { messageId: result.messageId, destination: sms.destination, primaryAccountId: result.session.accountId, billedAccountId: result.session.accountId, outcome: 'sent' };
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Send Test SMS'), profileName, roleArn);
    return undefined;
  }
}
