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

export const ENABLE_LOGGING_BUTTON = 'Enable Delivery Logging';
export const CHECK_AGAIN_BUTTON = 'Check Again';
export const CHECK_DELIVERY_BUTTON = 'Check Delivery Status';

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
  const outcome = await deps.ui.progress(`Waiting for the delivery status of ${record.messageId}…`, (signal, report) =>
    svc.delivery.poll(
      via,
      session.credentials,
      { messageId: record.messageId, region: record.region, accountId: record.primaryAccountId, sentAt: new Date(record.at), successSamplingRate },
      delays,
      { signal, onLook: (n) => report(n > 1 ? `look ${n} of ${delays.length + 1}` : 'first look') },
    ),
  );
  switch (outcome.status) {
    case 'delivered': {
      const detail = deliveredSummary(outcome.record);
      await deps.history.update(record.messageId, { status: 'delivered', detail });
      deps.log.info(`Delivery status of ${record.messageId}: DELIVERED (${detail}).`);
      void deps.ui.info(`Delivered to ${record.maskedDestination}: ${detail}.`);
      return 'delivered';
    }
    case 'failed': {
      const detail = `${outcome.record.providerResponse ?? 'no carrier response'}`;
      await deps.history.update(record.messageId, { status: 'failed', detail: `${detail} — ${outcome.hint}` });
      deps.log.warn(`Delivery status of ${record.messageId}: FAILED: ${detail}. ${outcome.hint}`);
      void deps.ui.error(`Not delivered to ${record.maskedDestination}: ${detail}. ${outcome.hint}`);
      return 'failed';
    }
    case 'pending': {
      await deps.history.update(record.messageId, { status: 'pending', detail: outcome.detail });
      deps.log.info(`Delivery status of ${record.messageId}: pending. ${outcome.detail}`);
      void deps.ui.info(`Delivery of ${record.messageId} to ${record.maskedDestination}: pending. ${outcome.detail}`, CHECK_AGAIN_BUTTON).then(async (choice) => {
        if (choice === CHECK_AGAIN_BUTTON) {
          await vscode.commands.executeCommand('tendlc.checkDelivery', record.messageId);
        }
      });
      return 'pending';
    }
    case 'unknown': {
      await deps.history.update(record.messageId, { status: 'unknown', detail: outcome.detail });
      deps.log.warn(`Delivery status of ${record.messageId}: unknown. ${outcome.detail}`);
      void deps.ui.warn(`Delivery status of ${record.messageId} is unknown: ${outcome.detail}`);
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
  const outcome = await waitOnAws(deps, `Looking for a delivery record of the send to ${record.maskedDestination}…`, (signal) =>
    svc.delivery.lookForUnknownSend(via, session.credentials, record, knownIds, signal),
  );
  if (outcome.status !== 'found') {
    const detail = `Outcome still unknown. ${outcome.detail}`;
    await deps.history.update(record.messageId, { status: 'outcome-unknown', detail });
    deps.log.warn(`Send of ${record.at} to ${record.maskedDestination}: ${detail}`);
    void deps.ui.warn(`The test SMS to ${record.maskedDestination} at ${new Date(record.at).toLocaleTimeString()}: ${detail}`);
    return 'outcome-unknown';
  }
  const describe = (r: DeliveryRecord): string => `message id ${r.messageId} (${r.status === 'SUCCESS' ? `delivered: ${deliveredSummary(r)}` : `not delivered: ${r.providerResponse ?? 'no carrier response'}`})`;
  if (outcome.records.length === 1) {
    const found = outcome.records[0];
    const status: SendRecord['status'] = found.status === 'SUCCESS' ? 'delivered' : 'failed';
    const detail = `Most likely sent: SNS accepted a message to ${record.maskedDestination} then, ${describe(found)}.`;
    await deps.history.update(record.messageId, { status, detail, messageId: found.messageId });
    deps.log.info(`Send of ${record.at} to ${record.maskedDestination}: ${detail}`);
    void deps.ui.info(`The test SMS to ${record.maskedDestination} whose outcome was unknown was most likely sent and billed to account ${record.primaryAccountId}: SNS accepted a message to that number at ${new Date(found.timestamp ?? record.at).toLocaleTimeString()}, ${describe(found)}.`);
    return status;
  }
  const detail = `${outcome.records.length} messages to ${record.maskedDestination} were accepted around then: ${outcome.records.map(describe).join('; ')}.`;
  await deps.history.update(record.messageId, { status: 'outcome-unknown', detail });
  deps.log.info(`Send of ${record.at} to ${record.maskedDestination}: ${detail}`);
  void deps.ui.warn(`The test SMS to ${record.maskedDestination} whose outcome was unknown was most likely sent: ${detail}`);
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
        throw new UserError('No test SMS has been sent from this editor yet.', 'Send one with "10DLC: Send Test SMS".');
      }
      record = await deps.ui.pick(
        all.map((r) => ({ label: `${r.maskedDestination} · ${r.status}`, description: `${new Date(r.at).toLocaleString()} · ${r.profile}`, detail: r.messageId, value: r })),
        { title: 'Check Delivery Status', placeHolder: 'Choose a test send' },
      );
      if (!record) {
        throw new Cancelled();
      }
    }
    if (record.via === 'eum') {
      // SendTextMessage (resourceShare mode): its delivery events are not in SNS's logs, and this send named no configuration set.
      const account = record.billedAccountId ?? record.primaryAccountId;
      const note = hasNoMessageId(record)
        ? `The test SMS of ${record.at} to ${record.maskedDestination} has no message id: whether it was sent is unknown (${record.detail ?? 'its answer was lost'}). ${eumDeliveryNote(account)}`
        : `Delivery status of ${record.messageId} is unknown: ${eumDeliveryNote(account)}`;
      deps.log.info(note);
      void deps.ui.warn(note);
      return 'unknown';
    }
    const profile = deps.state.profile(record.profile);
    if (!profile) {
      throw new UserError(`Profile "${record.profile}" that sent ${record.messageId} is no longer in your AWS files.`, 'The delivery record can still be found in the primary account\'s CloudWatch Logs.');
    }
    const primary = await requirePrimary(deps);
    const svc = await services(deps);
    const request = assumeRequestFor(deps, profile, primary);
    const session =
      svc.sessions.cached(request) ??
      (await deps.ui.progress(`Assuming ${primary.profile.name}'s role with ${profile.name}…`, (signal) => svc.sessions.assume(request, sessionPrompts(deps), signal)));
    protect(deps, session);
    if (hasNoMessageId(record)) {
      return await checkUnknownSend(deps, record, session, profile);
    }
    return await followDelivery(deps, record, session, profile, []);
  } catch (e) {
    await reportError(deps, e, 'Check Delivery Status');
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
    requireRoleMode(deps, 'Enable Delivery-Status Logging', "SNS's delivery-status logs record SNS Publish only; in resourceShare mode each secondary's End User Messaging events go to the event destinations of a configuration set in its own account.");
    const primary = await requirePrimary(deps);
    const svc = await services(deps);
    const mod = await deps.aws.mod();
    // The account the role lands in is the one the credentials act in, whatever the profile declares.
    const credentials = svc.clients.credentialsFor(primary.profile, primary.region, sessionPrompts(deps).mfaCode);
    const writer = await verifiedWriter(deps, primary.profile, credentials, primary.region, `The IAM role ${mod.DELIVERY_ROLE_NAME}`);
    const accountId = writer.accountId;
    const docs = mod.deliveryRoleDocuments();
    const folder = `${accountId}/${mod.DELIVERY_ROLE_NAME}`;
    const trustUri = deps.docs.set(folder, 'delivery-role-trust-policy.json', policyJson(docs.trust));
    const permUri = deps.docs.set(folder, 'delivery-role-permissions-policy.json', policyJson(docs.permissions));
    for (const uri of [permUri, trustUri]) {
      await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json'), { preview: false });
    }
    const answer = await deps.ui.modal(
      `Turn on SMS delivery-status logging in primary account ${accountId}${svc.orgNames.nameOf(accountId) ? ` (${svc.orgNames.nameOf(accountId)})` : ''}?`,
      `This creates (or reuses) the IAM role ${mod.DELIVERY_ROLE_NAME}, which SNS assumes to write delivery records to CloudWatch Logs (documents open in the editor), and sets the SNS SMS attributes DeliveryStatusIAMRole and DeliveryStatusSuccessSamplingRate = 100 in ${primary.region}. CloudWatch Logs storage is billed to that account.${mismatchLine(primary.profile, writer)}`,
      [ENABLE_LOGGING_BUTTON],
    );
    if (answer !== ENABLE_LOGGING_BUTTON) {
      throw new Cancelled();
    }
    const out = await deps.ui.progress('Turning on delivery-status logging…', (signal) => svc.delivery.enableLogging(primary.profile, credentials, accountId, primary.region, signal));
    deps.log.info(`Delivery-status logging on in ${accountId} (${primary.region}) with role ${out.roleArn}${out.created ? ' (created)' : ' (reused)'}, success sampling 100%.`);
    void deps.ui.info(`Delivery-status logging is on in primary account ${accountId}. The next test SMS will report whether it arrived.`);
    return true;
  } catch (e) {
    await reportError(deps, e, 'Enable Delivery Logging');
    return false;
  }
}
