/**
 * Dry Run Send: End User Messaging's SendTextMessage with DryRun = true, which checks and validates
 * the message without sending it and is not charged — so it needs no billing confirmation. In role
 * mode it goes through the assumed role in the primary (which needs sms-voice:SendTextMessage on the
 * number: the optional statement of the generated permissions policy); in resourceShare mode with the
 * secondary's own credentials and the shared number's ARN. The result says it was not sent and not
 * billed, and what passed: the same pre-flight as a send, and AWS's own check of the request.
 */
import * as vscode from 'vscode';
import type { CheckResult, DryRunResult } from '../aws/index';
import { DRY_RUN_SID } from '../core/policies';
import { messageTypeOf } from '../core/sharing';
import { maskPhoneNumber } from '../core/validate';
import { asProfileNode } from '../ui/profilesView';
import { assumeRequestFor, protect } from './assumeRole';
import { reportError, requirePrimary, resolveProfileArg, services, sessionPrompts, waitOnAws, type Deps } from './common';
import { askMessage, askNumber, readMaxPrice } from './sendPrompts';
import { primaryNumberArn } from './sendSharedSms';

export const DRY_RUN_REPORT_BUTTON = vscode.l10n.t('Show Report');
const WORD: Record<CheckResult['status'], string> = { pass: 'PASS', warn: 'WARN', fail: '**FAIL**', unknown: 'UNKNOWN' };

export interface DryRunOutcome {
  readonly result: DryRunResult;
  readonly report: vscode.Uri;
}

/** The report of a dry run, as Markdown: the verdict, that nothing was sent or billed, and every check. */
export function dryRunMarkdown(r: DryRunResult, input: { profile: string; number: string; destination: string; messageType: string; mode: string }, when: Date): string {
  const findings = r.preflight.result.findings;
  const passed = findings.filter((f) => f.status === 'pass');
  const lines = [
    r.outcome === 'passed' ? vscode.l10n.t('# Dry run: passed') : vscode.l10n.t('# Dry run: refused by AWS'),
    '',
    vscode.l10n.t('{0} · {1} mode · {2} ms', when.toISOString(), input.mode, r.durationMs),
    '',
    vscode.l10n.t('**Nothing was sent and nothing was billed**: SendTextMessage ran with `DryRun = true`, which AWS checks and validates without sending, and does not charge for.'),
    '',
    '| | |',
    '| --- | --- |',
    vscode.l10n.t('| From | {0} (`{1}`) |', input.number, r.originationIdentity),
    vscode.l10n.t('| To | {0} |', maskPhoneNumber(input.destination)),
    vscode.l10n.t('| Type | {0} |', input.messageType),
    vscode.l10n.t('| Checked as | {0} (profile {1}) |', r.caller, input.profile),
    vscode.l10n.t('| A real send would be billed to | account {0} |', r.billedAccountId),
    '',
    r.outcome === 'passed'
      ? vscode.l10n.t('End User Messaging accepted the request{0}: the credentials may call SendTextMessage on the number, the number may be used by this caller, and the destination and message are valid.', r.messageId ? vscode.l10n.t(' (dry-run message id {0})', r.messageId) : '')
      : vscode.l10n.t('End User Messaging refused the request: {0}{1} {2}', r.error?.message ?? vscode.l10n.t('no reason given'), r.awsMessage ? vscode.l10n.t(' AWS said: "{0}".', r.awsMessage) : '', r.error?.hint ?? ''),
    '',
    vscode.l10n.t('## Pre-flight ({0} of {1} passed)', passed.length, findings.length),
    '',
    '| Status | Check | Result |',
    '| --- | --- | --- |',
    ...findings.map((f) => `| ${WORD[f.status]} | ${f.title} | ${f.detail.replace(/\|/g, '\\|')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function dryRunSms(deps: Deps, arg?: unknown): Promise<DryRunOutcome | undefined> {
  let profileName = asProfileNode(arg)?.name;
  let roleArn: string | undefined;
  try {
    const s = deps.state.settings;
    const profile = await resolveProfileArg(deps, arg, vscode.l10n.t('Dry Run Send: choose the secondary profile to check'), 'secondary');
    profileName = profile.name;
    const primary = await requirePrimary(deps);
    const origination = await askNumber(deps, 'origination', s.originationNumber, vscode.l10n.t('Dry Run Send'));
    const destination = await askNumber(deps, 'destination', s.testDestinationNumber, vscode.l10n.t('Dry Run Send'));
    const maxPrice = readMaxPrice(deps);
    const message = await askMessage(deps, vscode.l10n.t('Dry Run Send (3/3): message'), vscode.l10n.t('10DLC dry run from {0}', profile.name));
    const svc = await services(deps);
    const mod = await deps.aws.mod();
    const request = { originationNumber: origination.value, destination: destination.value, message, messageType: messageTypeOf(s.smsType), maxPrice, region: primary.region };
    const runDeps = { clients: svc.clients, accounts: svc.accounts, preflight: svc.preflight, sessions: svc.sessions, logger: deps.log };
    deps.log.info(`Dry Run Send (${s.sharingMode} mode): ${profile.name}, from ${request.originationNumber} to ${maskPhoneNumber(request.destination)} (${request.messageType}, ${request.region}); DryRun = true, nothing is sent or billed.`);
    let result: DryRunResult;
    if (s.sharingMode === 'role') {
      const assume = assumeRequestFor(deps, profile, primary);
      roleArn = assume.roleArn;
      const out = await waitOnAws(deps, vscode.l10n.t('Dry run from {0} through role {1}…', profile.name, s.roleName), (signal) => mod.runRoleDryRun(runDeps, assume, request, sessionPrompts(deps), signal));
      protect(deps, out.session);
      result = out;
    } else {
      result = await waitOnAws(deps, vscode.l10n.t('Dry run from {0} with its own credentials…', profile.name), (signal) =>
        mod.runSharedDryRun(runDeps, { ...request, profile, primaryAccountId: primary.accountId }, { mfaCode: sessionPrompts(deps).mfaCode, numberArn: () => primaryNumberArn(deps, primary, request.originationNumber) }, signal),
      );
      if (result.preflight.mode === 'resourceShare') {
        deps.view.setSharedVisibility(profile.name, result.preflight.result.findings.find((f) => f.id === 'shared-number'));
      }
    }
    for (const f of result.preflight.result.findings) {
      deps.log.info(`Dry run pre-flight ${f.title}: ${f.status} — ${f.detail}`);
    }
    const report = deps.docs.set('dry-run', 'dry-run.md', dryRunMarkdown(result, { profile: profile.name, number: request.originationNumber, destination: request.destination, messageType: request.messageType, mode: s.sharingMode }, new Date()));
    const findings = result.preflight.result.findings;
    const problems = findings.filter((f) => f.status === 'fail' || f.status === 'warn').length;
    const checks = vscode.l10n.t('{0} of {1} pre-flight checks passed{2}', findings.filter((f) => f.status === 'pass').length, findings.length, problems ? vscode.l10n.t(', {0} with problems (see the report)', problems) : '');
    let text: string;
    if (result.outcome === 'passed') {
      text = vscode.l10n.t('Dry run passed: AWS checked and validated a {0} message from {1} to {2} as {3}. It was not sent and not billed (a real send would be billed to account {4}). {5}.', request.messageType, request.originationNumber, maskPhoneNumber(request.destination), result.caller, result.billedAccountId, checks);
      deps.log.info(text);
    } else {
      const hint =
        result.error?.category !== 'access-denied'
          ? result.error?.hint ?? ''
          : s.sharingMode === 'role'
            ? vscode.l10n.t('The role needs sms-voice:SendTextMessage on the number (the optional statement {0} of the generated permissions policy), and no Deny in the number\'s resource policy.', DRY_RUN_SID)
            : vscode.l10n.t('The number\'s resource policy (or an accepted RAM share) must allow account {0}, and that account\'s own policy must allow sms-voice:SendTextMessage on {1} (Generate Policies has both).', result.billedAccountId, result.originationIdentity);
      text = vscode.l10n.t('Dry run refused by AWS: {0}{1} {2} Nothing was sent or billed. {3}.', result.error?.message ?? '', result.awsMessage ? ` (${result.awsMessage})` : '', hint, checks);
      deps.log.warn(text);
    }
    const notify = result.outcome === 'passed' ? deps.ui.info(text, DRY_RUN_REPORT_BUTTON) : deps.ui.warn(text, DRY_RUN_REPORT_BUTTON);
    void notify.then(async (choice) => {
      if (choice === DRY_RUN_REPORT_BUTTON) {
        await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(report), 'markdown'), { preview: false });
      }
    });
    return { result, report };
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Dry Run Send'), profileName, roleArn);
    return undefined;
  }
}
