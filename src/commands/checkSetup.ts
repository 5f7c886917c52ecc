/**
 * Check Setup: runs every readiness check, shows each result under its profile in the tree (with
 * the fix as the node's command) and opens a Markdown report.
 */
import * as vscode from 'vscode';
import type { CheckResult, SetupReport } from '../aws/index';
import { fixCommand } from '../ui/fixes';
import { maskPhoneNumber, validatePhoneNumber } from '../core/validate';
import { effectiveRegion } from '../ui/settings';
import { redactKeeping } from '../ui/redactingUi';
import { usNumberForms } from '../core/redact';
import { askValid, reportError, requirePrimary, services, sessionPrompts, waitOnAws, type Deps } from './common';

// Words, not emoji: they read the same in every font and to screen readers.
const ICON: Record<CheckResult['status'], string> = { pass: 'PASS', warn: 'WARN', fail: '**FAIL**', unknown: 'UNKNOWN' };

export function reportMarkdown(report: SetupReport, when: Date): string {
  const counts = (['pass', 'warn', 'fail', 'unknown'] as const).map((st) => `${report.results.filter((r) => r.status === st).length} ${st === 'pass' ? 'passed' : st === 'warn' ? 'warnings' : st === 'fail' ? 'failed' : 'unknown'}`);
  const lines = [
    vscode.l10n.t('# 10DLC setup check'),
    '',
    vscode.l10n.t('{0} · {1} · {2} ms', when.toISOString(), counts.join(' · '), report.durationMs),
    report.roleArn ? `\nRole: \`${report.roleArn}\`` : '',
  ];
  const subjects = [...new Set(report.results.map((r) => r.subject))];
  for (const subject of subjects) {
    lines.push('', `## ${subject || 'Setup'}`, '', '| Status | Check | Result | Fix |', '| --- | --- | --- | --- |');
    for (const r of report.results.filter((x) => x.subject === subject)) {
      const fix = r.fix ? fixCommand(r.fix).title : '';
      lines.push(`| ${ICON[r.status]} | ${r.title} | ${r.detail.replace(/\|/g, '\\|')} | ${fix} |`);
    }
  }
  lines.push('', vscode.l10n.t('Each failed check in the 10DLC view runs its fix when clicked.'));
  return `${lines.join('\n')}\n`;
}

export async function checkSetup(deps: Deps): Promise<SetupReport | undefined> {
  try {
    await deps.state.ensureLoaded();
    const s = deps.state.settings;
    const grouped = deps.state.grouped();
    const svc = await services(deps);
    // Cancel ends the command: no report of half-run checks, no tree items saying "cancelled".
    const report = await waitOnAws(deps, vscode.l10n.t('Checking the 10DLC setup…'), (signal) =>
      svc.checker.run(
        {
          mode: s.sharingMode,
          primary: grouped?.primary,
          secondaries: grouped?.secondary ?? [],
          roleName: s.roleName,
          externalId: s.externalId,
          requireMfa: s.requireMfa,
          originationNumber: s.originationNumber,
          destination: s.testDestinationNumber,
          region: effectiveRegion(s, grouped?.primary),
        },
        sessionPrompts(deps),
        signal,
      ),
    );
    // The tree keeps the details for as long as it shows them: redacted first, like every other exit.
    deps.view.setChecks(report.results.map((r) => ({ ...r, detail: redactKeeping(r.detail, (t) => deps.log.redact(t), usNumberForms(s.originationNumber ?? '')) })));
    if (report.number) {
      deps.view.setNumber(svc.numbers.summary(report.number));
    }
    void deps.view.revealFailedChecks();
    for (const r of report.results) {
      const line = r.subject ? vscode.l10n.t('Check {0} / {1}: {2} — {3}', r.subject, r.title, r.status.toUpperCase(), r.detail) : vscode.l10n.t('Check setup / {0}: {1} — {2}', r.title, r.status.toUpperCase(), r.detail);
      if (r.status === 'fail') {
        deps.log.warn(line);
      } else {
        deps.log.info(line);
      }
    }
    const uri = deps.docs.set('report', 'setup-check.md', reportMarkdown(report, new Date()));
    await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'markdown'), { preview: false });
    const failed = report.results.filter((r) => r.status === 'fail');
    const unknown = report.results.filter((r) => r.status === 'unknown').length;
    const passed = report.results.filter((r) => r.status === 'pass').length;
    const summary = vscode.l10n.t('Setup check: {0} passed, {1} failed, {2} warnings, {3} unknown.', passed, failed.length, report.results.length - passed - failed.length - unknown, unknown);
    deps.log.info(`${summary} (${report.durationMs} ms)`);
    const firstFixed = failed.find((r) => r.fix);
    if (failed.length && firstFixed?.fix) {
      const fix = fixCommand(firstFixed.fix, firstFixed.subject || undefined);
      void deps.ui.warn(vscode.l10n.t('{0} First problem: {1}{2}', summary, failed[0].subject ? `${failed[0].subject}: ` : '', failed[0].detail), fix.title).then(async (choice) => {
        if (choice === fix.title) {
          await vscode.commands.executeCommand(fix.command, ...(fix.arguments ?? []));
        }
      });
    } else {
      void deps.ui.info(summary);
    }
    return report;
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Check Setup'));
    return undefined;
  }
}

/** Adds the test destination to the primary's SMS sandbox and verifies it with the one-time password. */
export async function verifySandboxNumber(deps: Deps): Promise<boolean> {
  try {
    const primary = await requirePrimary(deps);
    const s = deps.state.settings;
    const number = await askValid(
      deps,
      { title: vscode.l10n.t('Verify a sandbox destination (1/2)'), prompt: vscode.l10n.t('The number to add to the primary account\'s SMS sandbox. AWS texts it a one-time password.'), value: s.testDestinationNumber, placeHolder: '+12065550123' },
      validatePhoneNumber,
      vscode.l10n.t('Enter the number in E.164 format, e.g. +12065550123.'),
    );
    const svc = await services(deps);
    const target = { profile: primary.profile, credentials: svc.clients.credentialsFor(primary.profile, primary.region, sessionPrompts(deps).mfaCode), accountId: primary.accountId, region: primary.region };
    await deps.ui.progress(vscode.l10n.t('Adding {0} to the SMS sandbox…', maskPhoneNumber(number.value)), (signal) => svc.sandbox.addNumber(target, number.value, signal));
    deps.log.info(`Added ${maskPhoneNumber(number.value)} to the SMS sandbox of ${primary.accountId}; AWS sent it a one-time password.`);
    const otp = await askValid(
      deps,
      { title: vscode.l10n.t('Verify a sandbox destination (2/2)'), prompt: vscode.l10n.t('Enter the one-time password AWS sent to {0}.', maskPhoneNumber(number.value)), placeHolder: '123456' },
      (v) => (/^\d{4,8}$/.test(v.trim()) ? { ok: true, value: v.trim(), warnings: [] } : { ok: false, error: vscode.l10n.t('The one-time password is 4 to 8 digits.') }),
      vscode.l10n.t('Enter the digits from the SMS.'),
    );
    await deps.ui.progress(vscode.l10n.t('Verifying…'), (signal) => svc.sandbox.verifyNumber(target, number.value, otp.value, signal));
    deps.log.info(`Verified ${maskPhoneNumber(number.value)} in the SMS sandbox of ${primary.accountId}.`);
    void deps.ui.info(vscode.l10n.t('{0} is now a verified sandbox destination of primary account {1}.', maskPhoneNumber(number.value), primary.accountId));
    return true;
  } catch (e) {
    await reportError(deps, e, vscode.l10n.t('Verify Sandbox Destination'));
    return false;
  }
}
