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

export const DRY_RUN_REPORT_BUTTON = 'Show Report';
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
    `# Dry run: ${r.outcome === 'passed' ? 'passed' : 'refused by AWS'}`,
    '',
    `${when.toISOString()} · ${input.mode} mode · ${r.durationMs} ms`,
    '',
    `**Nothing was sent and nothing was billed**: SendTextMessage ran with \`DryRun = true\`, which AWS checks and validates without sending, and does not charge for.`,
    '',
    '| | |',
    '| --- | --- |',
    `| From | ${input.number} (\`${r.originationIdentity}\`) |`,
    `| To | ${maskPhoneNumber(input.destination)} |`,
    `| Type | ${input.messageType} |`,
    `| Checked as | ${r.caller} (profile ${input.profile}) |`,
    `| A real send would be billed to | account ${r.billedAccountId} |`,
    '',
    r.outcome === 'passed'
      ? `End User Messaging accepted the request${r.messageId ? ` (dry-run message id ${r.messageId})` : ''}: the credentials may call SendTextMessage on the number, the number may be used by this caller, and the destination and message are valid.`
      : `End User Messaging refused the request: ${r.error?.message ?? 'no reason given'}${r.awsMessage ? ` AWS said: "${r.awsMessage}".` : ''} ${r.error?.hint ?? ''}`,
    '',
    `## Pre-flight (${passed.length} of ${findings.length} passed)`,
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
    const profile = await resolveProfileArg(deps, arg, 'Dry Run Send: choose the secondary profile to check', 'secondary');
    profileName = profile.name;
    const primary = await requirePrimary(deps);
    const origination = await askNumber(deps, 'origination', s.originationNumber, 'Dry Run Send');
    const destination = await askNumber(deps, 'destination', s.testDestinationNumber, 'Dry Run Send');
    const maxPrice = readMaxPrice(deps);
    const message = await askMessage(deps, 'Dry Run Send (3/3): message', `10DLC dry run from ${profile.name}`);
    const svc = await services(deps);
    const mod = await deps.aws.mod();
    const request = { originationNumber: origination.value, destination: destination.value, message, messageType: messageTypeOf(s.smsType), maxPrice, region: primary.region };
    const runDeps = { clients: svc.clients, accounts: svc.accounts, preflight: svc.preflight, sessions: svc.sessions, logger: deps.log };
    deps.log.info(`Dry Run Send (${s.sharingMode} mode): ${profile.name}, from ${request.originationNumber} to ${maskPhoneNumber(request.destination)} (${request.messageType}, ${request.region}); DryRun = true, nothing is sent or billed.`);
    let result: DryRunResult;
    if (s.sharingMode === 'role') {
      const assume = assumeRequestFor(deps, profile, primary);
      roleArn = assume.roleArn;
      const out = await waitOnAws(deps, `Dry run from ${profile.name} through role ${s.roleName}…`, (signal) => mod.runRoleDryRun(runDeps, assume, request, sessionPrompts(deps), signal));
      protect(deps, out.session);
      result = out;
    } else {
      result = await waitOnAws(deps, `Dry run from ${profile.name} with its own credentials…`, (signal) =>
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
    const checks = `${findings.filter((f) => f.status === 'pass').length} of ${findings.length} pre-flight checks passed${problems ? `, ${problems} with problems (see the report)` : ''}`;
    let text: string;
    if (result.outcome === 'passed') {
      text = `Dry run passed: AWS checked and validated a ${request.messageType} message from ${request.originationNumber} to ${maskPhoneNumber(request.destination)} as ${result.caller}. It was not sent and not billed (a real send would be billed to account ${result.billedAccountId}). ${checks}.`;
      deps.log.info(text);
    } else {
      const hint =
        result.error?.category !== 'access-denied'
          ? result.error?.hint ?? ''
          : s.sharingMode === 'role'
            ? `The role needs sms-voice:SendTextMessage on the number (the optional statement ${DRY_RUN_SID} of the generated permissions policy), and no Deny in the number's resource policy.`
            : `The number's resource policy (or an accepted RAM share) must allow account ${result.billedAccountId}, and that account's own policy must allow sms-voice:SendTextMessage on ${result.originationIdentity} (Generate Policies has both).`;
      text = `Dry run refused by AWS: ${result.error?.message ?? ''}${result.awsMessage ? ` (${result.awsMessage})` : ''} ${hint} Nothing was sent or billed. ${checks}.`;
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
    await reportError(deps, e, 'Dry Run Send', profileName, roleArn);
    return undefined;
  }
}
