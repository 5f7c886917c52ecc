/**
 * Delivery status of test sends: follow a message id to its delivery record (after a send, and
 * later from the tree with "Check Delivery Status"), and turn delivery-status logging on.
 */
import * as vscode from 'vscode';
import type { AssumedSession } from '../aws/index';
import { deliveredSummary, eumDeliveryNote, hasNoMessageId, type DeliveryRecord, type SendRecord } from '../core/delivery';
import { policyJson } from '../core/policies';
import type { AwsProfile } from '../core/profiles';
import { assumeRequestFor, protect } from './assumeRole';
import { Cancelled, reportError, requirePrimary, services, sessionPrompts, UserError, waitOnAws, type Deps } from './common';
import { mismatchLine, verifiedWriter } from './writeTarget';
import { requireRoleMode } from './roleModeOnly';

export const ENABLE_LOGGING_BUTTON = vscode.l10n.t('Enable Delivery Logging');
export const CHECK_AGAIN_BUTTON = vscode.l10n.t('Check Again');
export const CHECK_DELIVERY_BUTTON = vscode.l10n.t('Check Delivery Status');

/**
 * Looks for the delivery record of a send with the given delays between looks, shows the outcome and
 * records it in the history. `delays` empty: one look.
 */
export async function followDelivery(
  deps: Deps,
  record: SendRecord,
  session: AssumedSession,
  via: AwsProfile | undefined,
  delays: readonly number[],
  successSamplingRate?: number,
): Promise<SendRecord['status']> {
  const svc = await services(deps);
  const outcome = await deps.ui.progress(vscode.l10n.t('Waiting for the delivery status of {0}…', record.messageId), (signal, report) =>
    svc.delivery.poll(
      via,
      session.credentials,
      { messageId: record.messageId, region: record.region, accountId: record.primaryAccountId, sentAt: new Date(record.at), successSamplingRate },
      delays,
      { signal, onLook: (n) => report(n > 1 ? vscode.l10n.t('look {0} of {1}', n, delays.length + 1) : vscode.l10n.t('first look')) },
    ),
  );
  switch (outcome.status) {
    case 'delivered': {
      const detail = deliveredSummary(outcome.record);
      await deps.history.update(record.messageId, { status: 'delivered', detail });
      deps.log.info(`Delivery status of ${record.messageId}: DELIVERED (${detail}).`);
      void deps.ui.info(vscode.l10n.t('Delivered to {0}: {1}.', record.maskedDestination, detail));
      return 'delivered';
    }
    case 'failed': {
      const detail = `${outcome.record.providerResponse ?? vscode.l10n.t('no carrier response')}`;
      await deps.history.update(record.messageId, { status: 'failed', detail: `${detail} — ${outcome.hint}` });
      deps.log.warn(`Delivery status of ${record.messageId}: FAILED: ${detail}. ${outcome.hint}`);
      void deps.ui.error(vscode.l10n.t('Not delivered to {0}: {1}. {2}', record.maskedDestination, detail, outcome.hint));
      return 'failed';
    }
    case 'pending': {
      await deps.history.update(record.messageId, { status: 'pending', detail: outcome.detail });
      deps.log.info(`Delivery status of ${record.messageId}: pending. ${outcome.detail}`);
      void deps.ui.info(vscode.l10n.t('Delivery of {0} to {1}: pending. {2}', record.messageId, record.maskedDestination, outcome.detail), CHECK_AGAIN_BUTTON).then(async (choice) => {
        if (choice === CHECK_AGAIN_BUTTON) {
          await vscode.commands.executeCommand('tendlc.checkDelivery', record.messageId);
        }
      });
      return 'pending';
    }
    case 'unknown': {
      await deps.history.update(record.messageId, { status: 'unknown', detail: outcome.detail });
      deps.log.warn(`Delivery status of ${record.messageId}: unknown. ${outcome.detail}`);
      void deps.ui.warn(vscode.l10n.t('Delivery status of {0} is unknown: {1}', record.messageId, outcome.detail));
      return 'unknown';
    }
  }
}

/**
 * What became of a send whose outcome is unknown (no message id): the primary's delivery logs since the send, for a
 * message to the same destination. Found: it was sent, and the history gets SNS's message id and the delivery
 * status. Not found: still unknown, said so with why that proves nothing.
 */
async function checkUnknownSend(deps: Deps, record: SendRecord, session: AssumedSession, via: AwsProfile): Promise<SendRecord['status']> {
  const svc = await services(deps);
  const knownIds = new Set(deps.history.all().map((r) => r.messageId));
  // Cancel ends the command and leaves the send's record as it was.
  const outcome = await waitOnAws(deps, vscode.l10n.t('Looking for a delivery record of the send to {0}…', record.maskedDestination), (signal) =>
    svc.delivery.lookForUnknownSend(via, session.credentials, record, knownIds, signal),
  );
  if (outcome.status !== 'found') {
    const detail = vscode.l10n.t('Outcome still unknown. {0}', outcome.detail);
    await deps.history.update(record.messageId, { status: 'outcome-unknown', detail });
    deps.log.warn(`Send of ${record.at} to ${record.maskedDestination}: ${detail}`);
    void deps.ui.warn(vscode.l10n.t('The test SMS to {0} at {1}: {2}', record.maskedDestination, new Date(record.at).toLocaleTimeString(), detail));
    return 'outcome-unknown';
  }
  const describe = (r: DeliveryRecord): string => vscode.l10n.t('message id {0} ({1})', r.messageId, r.status === 'SUCCESS' ? vscode.l10n.t('delivered: {0}', deliveredSummary(r)) : vscode.l10n.t('not delivered: {0}', r.providerResponse ?? vscode.l10n.t('no carrier response')));
  if (outcome.records.length === 1) {
    const found = outcome.records[0];
    const status: SendRecord['status'] = found.status === 'SUCCESS' ? 'delivered' : 'failed';
    const detail = vscode.l10n.t('Most likely sent: SNS accepted a message to {0} then, {1}.', record.maskedDestination, describe(found));
    await deps.history.update(record.messageId, { status, detail, messageId: found.messageId });
    deps.log.info(`Send of ${record.at} to ${record.maskedDestination}: ${detail}`);
    void deps.ui.info(vscode.l10n.t('The test SMS to {0} whose outcome was unknown was most likely sent and billed to account {1}: SNS accepted a message to that number at {2}, {3}.', record.maskedDestination, record.primaryAccountId, new Date(found.timestamp ?? record.at).toLocaleTimeString(), describe(found)));
    return status;
  }
  const detail = vscode.l10n.t('{0} messages to {1} were accepted around then: {2}.', outcome.records.length, record.maskedDestination, outcome.records.map(describe).join('; '));
  await deps.history.update(record.messageId, { status: 'outcome-unknown', detail });
  deps.log.info(`Send of ${record.at} to ${record.maskedDestination}: ${detail}`);
  void deps.ui.warn(vscode.l10n.t('The test SMS to {0} whose outcome was unknown was most likely sent: {1}', record.maskedDestination, detail));
  return 'outcome-unknown';
}

/** Check Delivery Status: one look for a send's record (tree node, message id, or a pick from history). */
export async function checkDelivery(deps: Deps, arg?: unknown): Promise<SendRecord['status'] | undefined> {
  try {
    const messageId =
      typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && 'messageId' in arg ? String((arg as { messageId: unknown }).messageId) : undefined;
    let record = messageId ? deps.history.find(messageId) : undefined;
    if (!record) {
      const all = deps.history.all();
      if (all.length === 0) {
        throw new UserError(vscode.l10n.t('No test SMS has been sent from this editor yet.'), vscode.l10n.t('Send one with "10DLC: Send Test SMS".'));
      }
      record = await deps.ui.pick(
        all.map((r) => ({ label: `${r.maskedDestination} · ${r.status}`, description: `${new Date(r.at).toLocaleString()} · ${r.profile}`, detail: r.messageId, value: r })),
        { title: vscode.l10n.t('Check Delivery Status'), placeHolder: vscode.l10n.t('Choose a test send') },
      );
      if (!record) {
        throw new Cancelled();
      }
    }
    if (record.via === 'eum') {
      // SendTextMessage (resourceShare mode): its delivery events are not in SNS's logs, and this send named no configuration set.
      const account = record.billedAccountId ?? record.primaryAccountId;
      const note = hasNoMessageId(record)
        ? vscode.l10n.t('The test SMS of {0} to {1} has no message id: whether it was sent is unknown ({2}). {3}', record.at, record.maskedDestination, record.detail ?? vscode.l10n.t('its answer was lost'), eumDeliveryNote(account))
        : vscode.l10n.t('Delivery status of {0} is unknown: {1}', record.messageId, eumDeliveryNote(account));
      deps.log.info(note);
      void deps.ui.warn(note);
      return 'unknown';
    }
    const profile = deps.state.profile(record.profile);
    if (!profile) {
      throw new UserError(vscode.l10n.t('Profile "{0}" that sent {1} is no longer in your AWS files.', record.profile, record.messageId), vscode.l10n.t('The delivery record can still be found in the primary account\'s CloudWatch Logs.'));
    }
    const primary = await requirePrimary(deps);
    const svc = await services(deps);
    const request = assumeRequestFor(deps, profile, primary);
    const session =
      svc.sessions.cached(request) ??
      (await deps.ui.progress(vscode.l10n.t('Assuming {0}\'s role with {1}…', primary.profile.name, profile.name), (signal) => svc.sessions.assume(request, sessionPrompts(deps), signal)));
    protect(deps, session);
    if (hasNoMessageId(record)) {
      return await checkUnknownSend(deps, record, session, profile);
    }
    return await followDelivery(deps, record, session, profile, []);
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Check Delivery Status'));
    return undefined;
  }
}

/**
 * Enable Delivery Logging: with the primary profile, creates (or reuses) the role SNS needs to write
 * to CloudWatch Logs, and sets DeliveryStatusIAMRole with a 100% success sampling rate — after
 * showing exactly what will be created.
 */
export async function enableDeliveryLogging(deps: Deps): Promise<boolean> {
  try {
    requireRoleMode(deps, vscode.l10n.t('Enable Delivery-Status Logging'), vscode.l10n.t('SNS\'s delivery-status logs record SNS Publish only; in resourceShare mode each secondary\'s End User Messaging events go to the event destinations of a configuration set in its own account.'));
    const primary = await requirePrimary(deps);
    const svc = await services(deps);
    const mod = await deps.aws.mod();
    // The account the role lands in is the one the credentials act in, whatever the profile declares.
    const credentials = svc.clients.credentialsFor(primary.profile, primary.region, sessionPrompts(deps).mfaCode);
    const writer = await verifiedWriter(deps, primary.profile, credentials, primary.region, vscode.l10n.t('The IAM role {0}', mod.DELIVERY_ROLE_NAME));
    const accountId = writer.accountId;
    const docs = mod.deliveryRoleDocuments();
    const folder = `${accountId}/${mod.DELIVERY_ROLE_NAME}`;
    const trustUri = deps.docs.set(folder, 'delivery-role-trust-policy.json', policyJson(docs.trust));
    const permUri = deps.docs.set(folder, 'delivery-role-permissions-policy.json', policyJson(docs.permissions));
    for (const uri of [permUri, trustUri]) {
      await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json'), { preview: false });
    }
    const answer = await deps.ui.modal(
      vscode.l10n.t('Turn on SMS delivery-status logging in primary account {0}{1}?', accountId, svc.orgNames.nameOf(accountId) ? ` (${svc.orgNames.nameOf(accountId)})` : ''),
      vscode.l10n.t('This creates (or reuses) the IAM role {0}, which SNS assumes to write delivery records to CloudWatch Logs (documents open in the editor), and sets the SNS SMS attributes DeliveryStatusIAMRole and DeliveryStatusSuccessSamplingRate = 100 in {1}. CloudWatch Logs storage is billed to that account.{2}', mod.DELIVERY_ROLE_NAME, primary.region, mismatchLine(primary.profile, writer)),
      [ENABLE_LOGGING_BUTTON],
    );
    if (answer !== ENABLE_LOGGING_BUTTON) {
      throw new Cancelled();
    }
    const out = await deps.ui.progress(vscode.l10n.t('Turning on delivery-status logging…'), (signal) => svc.delivery.enableLogging(primary.profile, credentials, accountId, primary.region, signal));
    deps.log.info(`Delivery-status logging on in ${accountId} (${primary.region}) with role ${out.roleArn}${out.created ? ' (created)' : ' (reused)'}, success sampling 100%.`);
    void deps.ui.info(vscode.l10n.t('Delivery-status logging is on in primary account {0}. The next test SMS will report whether it arrived.', accountId));
    return true;
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Enable Delivery Logging'));
    return false;
  }
}
