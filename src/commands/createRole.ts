/**
 * Create or Update Cross-Account Role, with the primary profile.
 *
 * First it learns which account the primary's credentials really write to (GetCallerIdentity with
 * them) and names that account everywhere; a profile that declares another account waits for the
 * user. A missing role is created after a confirmation. An existing one gets a proposal from the
 * policy engine, which only adds: the current and proposed documents side by side (the right side
 * editable), validated by IAM Access Analyzer, with every finding on the document. A current document
 * the engine cannot read completely is shown as it is, with the statement to add by hand, and nothing
 * is written. On Apply, what will be written is compared with what is there by the same engine, and
 * every removal or widening — the merge's own or the user's edit — gets its own confirmation, in words.
 * Running it again changes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RoleTarget } from '../aws/index';
import { errorsOf, findingRanges, findingWords, securityWarningsOf, validationSummary, type PolicyValidation } from '../core/analyzerFindings';
import { comparePolicies, documentText, readPolicy, type Change, type MergeResult, type Policy, type Risk } from '../core/policyEngine';
import { mergePermissions, mergeTrust } from '../core/policyMerge';
import { permissionsPolicy, policyJson, roleArn, trustPolicy } from '../core/policies';
import { Cancelled, reportError, services, sessionPrompts, trustPlan, UserError, type Deps } from './common';
import { mismatchLine, verifiedWriter } from './writeTarget';

export type CreateRoleOutcome = 'created' | 'updated' | 'unchanged' | 'refused' | 'blocked';

export const CREATE_BUTTON = 'Create Role';
export const APPLY_BUTTON = 'Apply';
export const VALIDATE_AGAIN_BUTTON = 'Validate Again';
export const CONFIRM_RISK_BUTTON = 'Apply This Change';
export const ACCEPT_WARNINGS_BUTTON = 'Apply Despite Warnings';

const TRUST_NAME = 'trust-policy.json';
const PERMISSIONS_NAME = 'permissions-policy.json';
const INLINE_POLICY = 'tendlc-sms-publish';

async function closeEditorsOf(uris: readonly vscode.Uri[]): Promise<void> {
  const wanted = new Set(uris.map((u) => u.toString()));
  // Save edits to the scratch files first, so closing never asks "save changes?" (they are deleted next).
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && wanted.has(doc.uri.toString())) {
      await doc.save();
    }
  }
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
    const input = t.input;
    if (input instanceof vscode.TabInputTextDiff) {
      return wanted.has(input.modified.toString()) || wanted.has(input.original.toString());
    }
    return input instanceof vscode.TabInputText && wanted.has(input.uri.toString());
  });
  if (tabs.length) {
    await vscode.window.tabGroups.close(tabs, true);
  }
}

/** The text of a document as the user sees it (unsaved edits included). */
async function currentText(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

async function showJson(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json'), { preview: false });
}

/** Access Analyzer's findings (or "not validated") as diagnostics on a proposed document. */
function showFindings(deps: Deps, uri: vscode.Uri, text: string, v: PolicyValidation): void {
  if (v.status === 'not-validated') {
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), `Not validated by IAM Access Analyzer: ${v.reason}`, vscode.DiagnosticSeverity.Information);
    d.source = 'IAM Access Analyzer';
    deps.docs.setDiagnostics(uri, [d]);
    return;
  }
  const severity: Record<string, vscode.DiagnosticSeverity> = {
    ERROR: vscode.DiagnosticSeverity.Error,
    SECURITY_WARNING: vscode.DiagnosticSeverity.Warning,
    WARNING: vscode.DiagnosticSeverity.Warning,
    SUGGESTION: vscode.DiagnosticSeverity.Information,
  };
  deps.docs.setDiagnostics(
    uri,
    v.findings.flatMap((f) =>
      findingRanges(text, f).map((r) => {
        const d = new vscode.Diagnostic(new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter), `${f.findingType === 'SECURITY_WARNING' ? 'Security warning: ' : ''}${f.findingDetails}`, severity[f.findingType] ?? vscode.DiagnosticSeverity.Warning);
        d.source = 'IAM Access Analyzer';
        d.code = f.learnMoreLink ? { value: f.issueCode, target: vscode.Uri.parse(f.learnMoreLink) } : f.issueCode;
        return d;
      }),
    ),
  );
}

/** Each risky change gets its own modal confirmation, in words; declining any cancels the whole update. */
async function confirmRisks(deps: Deps, roleName: string, accountId: string, risks: readonly { doc: string; risk: Risk }[]): Promise<void> {
  for (const [i, { doc, risk }] of risks.entries()) {
    const headline =
      risk.kind === 'removed' ? 'takes away access' : risk.kind === 'widened' ? 'widens access' : risk.kind === 'deny-weakened' ? 'weakens a Deny' : 'changes what a statement means';
    const answer = await deps.ui.modal(
      `Risky change ${i + 1} of ${risks.length} to the ${doc} of role ${roleName}: it ${headline}.`,
      `${risk.text}\n\nThe ${doc} decides who may send SMS billed to account ${accountId}. Apply this change only if you meant it; cancelling writes nothing.`,
      [CONFIRM_RISK_BUTTON],
    );
    if (answer !== CONFIRM_RISK_BUTTON) {
      deps.log.info(`Create or Update Role: the risky change was declined: ${risk.text}`);
      throw new Cancelled();
    }
    deps.log.info(`Create or Update Role: risky change confirmed: ${risk.text}`);
  }
}

/** Access Analyzer's security warnings need their own confirmation. */
async function confirmSecurityWarnings(deps: Deps, roleName: string, docs: readonly { name: string; text: string; v: PolicyValidation }[]): Promise<void> {
  const warnings = docs.flatMap((d) => securityWarningsOf(d.v).map((f) => `${d.name}: ${findingWords(d.text, f)}`));
  if (warnings.length === 0) {
    return;
  }
  const answer = await deps.ui.modal(
    `IAM Access Analyzer has ${warnings.length === 1 ? 'a security warning' : `${warnings.length} security warnings`} on the documents for role ${roleName}.`,
    `${warnings.join('\n')}\n\nSecurity warnings report access AWS considers overly permissive.`,
    [ACCEPT_WARNINGS_BUTTON],
  );
  if (answer !== ACCEPT_WARNINGS_BUTTON) {
    throw new Cancelled();
  }
}

/** What a document's change adds, in a few words: the principals of a trust policy, the actions of a permissions policy. */
function addedWords(changes: readonly Change[]): string {
  const added = [...new Set(changes.filter((c) => c.kind === 'added' && c.subject !== 'Version').map((c) => c.subject))];
  const shown = added.length > 4 ? [...added.slice(0, 3), `${added.length - 3} more`] : added;
  return added.length ? `adds ${shown.join(', ')}` : '';
}

/** What each proposal adds, per document. */
function addedPerDocument(finals: readonly { p: { name: string; kind: string }; changes: readonly Change[] }[]): string {
  return finals
    .map((f) => ({ f, words: addedWords(f.changes) }))
    .filter((x) => x.words)
    .map((x) => `the ${x.f.p.kind === 'trust' ? 'trust policy' : 'permissions'} ${x.words}`)
    .join('; ');
}

export async function createRole(deps: Deps): Promise<CreateRoleOutcome | undefined> {
  let scratch: string | undefined;
  const opened: vscode.Uri[] = [];
  try {
    const s = deps.state.settings;
    const plan = await trustPlan(deps);
    const { primary } = plan;
    const svc = await services(deps);
    const credentials = svc.clients.credentialsFor(primary.profile, primary.region, sessionPrompts(deps).mfaCode);
    const writer = await verifiedWriter(deps, primary.profile, credentials, primary.region, `Role ${s.roleName}`);
    const accountId = writer.accountId;
    const arn = roleArn(accountId, s.roleName, primary.region);
    const trusted = plan.trusted.filter((a) => a !== accountId);
    if (trusted.length === 0) {
      throw new UserError(`Every secondary is in account ${accountId}, where the role would be, so there is nothing to trust.`, 'Add profiles of other accounts as secondaries.');
    }
    const target: RoleTarget = { profile: primary.profile, credentials, accountId, region: primary.region, roleName: s.roleName };
    const state = await deps.ui.progress(`Reading role ${s.roleName} in ${accountId}…`, (signal) => svc.roles.read(target, signal));
    const wanted = { principals: trusted, externalId: plan.externalId, requireMfa: s.requireMfa, region: primary.region };
    const folder = `${accountId}/${s.roleName}`;
    const mismatch = mismatchLine(primary.profile, writer);
    const validate = (docs: { kind: 'trust' | 'identity'; text: string }[]): Promise<PolicyValidation[]> =>
      deps.ui.progress('Validating with IAM Access Analyzer…', (signal) => svc.validator.validate(primary.profile, credentials, { account: accountId, region: primary.region }, docs, signal));

    if (!state.exists) {
      const trustText = policyJson(trustPolicy(wanted));
      const permText = policyJson(permissionsPolicy({ accountId, region: primary.region }));
      const trustUri = deps.docs.set(folder, TRUST_NAME, trustText);
      const permUri = deps.docs.set(folder, PERMISSIONS_NAME, permText);
      await showJson(permUri);
      await showJson(trustUri);
      const [vt, vp] = await validate([{ kind: 'trust', text: trustText }, { kind: 'identity', text: permText }]);
      showFindings(deps, trustUri, trustText, vt);
      showFindings(deps, permUri, permText, vp);
      const docs = [{ name: TRUST_NAME, text: trustText, v: vt }, { name: PERMISSIONS_NAME, text: permText, v: vp }];
      const summaries = docs.map((d) => validationSummary(d.name, d.text, d.v));
      summaries.forEach((m) => deps.log.info(`Create Role: ${m}`));
      const errors = docs.flatMap((d) => errorsOf(d.v).map((f) => `${d.name}: ${findingWords(d.text, f)}`));
      if (errors.length) {
        deps.log.error(`Create Role: blocked by IAM Access Analyzer: ${errors.join(' | ')}`);
        void deps.ui.error(`Role ${s.roleName} was not created: IAM Access Analyzer found ${errors.length === 1 ? 'an error' : `${errors.length} errors`} in the documents (${errors.join('; ')}).`);
        return 'blocked';
      }
      const answer = await deps.ui.modal(
        `Create role ${s.roleName} in primary account ${accountId}?`,
        `It will trust ${trusted.join(', ')}${plan.externalId ? ' (with the external id)' : ''}${s.requireMfa ? ' (with MFA)' : ''}, may call sns:Publish, and is tagged managed-by=tendlc-cross-account. The documents are open in the editor.${mismatch}\n\n${summaries.join('\n')}`,
        [CREATE_BUTTON],
      );
      if (answer !== CREATE_BUTTON) {
        throw new Cancelled();
      }
      await confirmSecurityWarnings(deps, s.roleName, docs);
      const created = await deps.ui.progress(`Creating role ${s.roleName}…`, (signal) => svc.roles.create(target, trustText, permText, signal));
      deps.log.info(`Created role ${created ?? arn} in ${accountId}, trusting ${trusted.join(', ')}.`);
      void deps.ui.info(`Created role ${s.roleName} in primary account ${accountId}, trusting ${trusted.join(', ')}.`);
      return 'created';
    }

    // An existing role: proposals from the engine, which only adds.
    const trustMerge = mergeTrust(state.trust ?? '', wanted);
    const permMerge = mergePermissions(state.permissions, { accountId, region: primary.region });
    const refused = [
      { name: TRUST_NAME, what: 'trust policy', merge: trustMerge },
      { name: PERMISSIONS_NAME, what: `inline policy ${INLINE_POLICY}`, merge: permMerge },
    ].filter((x): x is typeof x & { merge: Extract<MergeResult, { ok: false }> } => !x.merge.ok);
    if (refused.length) {
      for (const r of refused) {
        const cur = deps.docs.set(`${folder}/current`, r.name, r.merge.current);
        const add = deps.docs.set(folder, `statement-to-add-to-${r.name}`, r.merge.statementText);
        await showJson(cur);
        await showJson(add);
        deps.log.error(`Create or Update Role: the ${r.what} of ${arn} cannot be read completely: ${r.merge.problems.join(' ')}`);
      }
      const first = refused[0];
      void deps.ui.error(
        `Nothing was changed: the ${first.what} of role ${s.roleName} cannot be read completely (${first.merge.problems.join(' ')}). Its current text and the statement to add are open in the editor; add the statement yourself, or fix the document in IAM, then run this again.`,
      );
      return 'refused';
    }
    if (!trustMerge.ok || !permMerge.ok) {
      throw new Error('unreachable: refused merges are handled above');
    }
    const notes = [...trustMerge.notes, ...permMerge.notes];
    notes.forEach((n) => deps.log.warn(`Create or Update Role: ${n}`));
    if (!trustMerge.changed && !permMerge.changed && state.tagged) {
      deps.log.info(`Role ${arn} is up to date; nothing changed.`);
      void deps.ui.info(
        notes.length
          ? `Role ${s.roleName} needs nothing added; nothing changed. ${notes.join(' ')}`
          : `Role ${s.roleName} is up to date: it trusts every secondary and allows sns:Publish. Nothing changed.`,
      );
      return 'unchanged';
    }

    // Editable proposals in a private scratch folder, compared with the current documents.
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-role-'));
    const currentTrust = readPolicy(state.trust ?? '');
    const currentPerm = state.permissions === undefined ? undefined : readPolicy(state.permissions);
    interface Proposal {
      readonly name: string;
      readonly what: string;
      readonly kind: 'trust' | 'identity';
      readonly current?: Policy;
      readonly right: vscode.Uri;
      validated?: { text: string; v: PolicyValidation };
    }
    const proposals: Proposal[] = [];
    const show = async (name: string, what: string, kind: 'trust' | 'identity', currentText0: string | undefined, current: Policy | undefined, proposed: string): Promise<void> => {
      const left = deps.docs.set(`${folder}/current`, name, currentText0 ?? '');
      const right = vscode.Uri.file(path.join(scratch ?? '', name));
      fs.writeFileSync(right.fsPath, proposed, { mode: 0o600 });
      opened.push(left, right);
      await vscode.commands.executeCommand('vscode.diff', left, right, `${s.roleName}: ${name} — ${currentText0 === undefined ? 'none yet' : 'current'} ↔ proposed (edit the right side)`, { preview: false });
      proposals.push({ name, what, kind, current, right });
    };
    // The trust policy last, so it is the diff in front: it decides who may send billed to the primary.
    // The current side: the document as IAM holds it, laid out like the proposal so the diff shows only what changes.
    const laidOut = (r: ReturnType<typeof readPolicy> | undefined): string | undefined => (r === undefined ? undefined : r.ok ? documentText(r.policy.json) : r.text);
    if (permMerge.changed) {
      await show(PERMISSIONS_NAME, `inline policy ${INLINE_POLICY}`, 'identity', laidOut(currentPerm), currentPerm?.ok ? currentPerm.policy : undefined, permMerge.text);
    }
    if (trustMerge.changed) {
      await show(TRUST_NAME, 'trust policy', 'trust', laidOut(currentTrust), currentTrust.ok ? currentTrust.policy : undefined, trustMerge.text);
    }
    proposals.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'trust' ? -1 : 1));
    const what = [trustMerge.changed && 'its trust policy', permMerge.changed && `its inline policy ${INLINE_POLICY}`, !state.tagged && 'its tag'].filter(Boolean).join(', ');

    // Validate what is on the right side and ask. On Apply, read it again: the user may have edited it
    // meanwhile, and what is written must be what was validated and compared.
    type Final = { p: Proposal; text: string; policy: Policy; risks: readonly Risk[]; changes: readonly Change[] };
    const evaluate = async (): Promise<{ finals: Final[]; problems: string[] }> => {
      const texts = await Promise.all(proposals.map((p) => currentText(p.right)));
      const stale = proposals.map((p, i) => ({ p, text: texts[i] })).filter((x) => x.p.validated?.text !== x.text);
      if (stale.length) {
        const results = await validate(stale.map((x) => ({ kind: x.p.kind, text: x.text })));
        stale.forEach((x, i) => {
          x.p.validated = { text: x.text, v: results[i] };
          showFindings(deps, x.p.right, x.text, results[i]);
          deps.log.info(`Create or Update Role: ${validationSummary(x.p.name, x.text, results[i])}`);
        });
      }
      const problems: string[] = [];
      const finals: Final[] = [];
      proposals.forEach((p, i) => {
        const r = readPolicy(texts[i]);
        const errors = p.validated ? errorsOf(p.validated.v) : [];
        if (!r.ok) {
          problems.push(`The edited ${p.name} cannot be read: ${r.problems.join(' ')}`);
        } else {
          const cmp = comparePolicies(p.current, r.policy, { self: 'the role' });
          finals.push({ p, text: texts[i], policy: r.policy, risks: cmp.risks, changes: cmp.changes });
        }
        if (errors.length) {
          problems.push(`IAM Access Analyzer found ${errors.length === 1 ? 'an error' : `${errors.length} errors`} in ${p.name}, which must be fixed first: ${errors.map((f) => findingWords(texts[i], f)).join('; ')}`);
        }
      });
      return { finals, problems };
    };
    let finals: Final[];
    for (;;) {
      const now = await evaluate();
      finals = now.finals;
      const riskCount = finals.reduce((n, f) => n + f.risks.length, 0);
      const summary = [
        addedPerDocument(finals),
        riskCount ? (riskCount === 1 ? '1 change removes or widens access and will need your confirmation' : `${riskCount} changes remove or widen access and will each need your confirmation`) : '',
      ]
        .filter(Boolean)
        .join('; ');
      const validation = proposals.map((p) => (p.validated ? shortValidation(p.name, p.validated.v) : '')).join(' ');
      const answer = await deps.ui.choose(
        now.problems.length
          ? `Role ${s.roleName} in account ${accountId}: not ready to apply. ${now.problems.join(' ')} Fix the right side of the diff, then validate again.`
          : `Role ${s.roleName} in primary account ${accountId} exists; this would update ${what}${summary ? ` (${summary})` : ''}.${notes.length ? ` ${notes.join(' ')}` : ''} ${validation}${mismatch} Review the diff (you may edit the right side), then apply.`,
        now.problems.length ? [VALIDATE_AGAIN_BUTTON, 'Cancel'] : [APPLY_BUTTON, 'Cancel'],
      );
      if (answer === VALIDATE_AGAIN_BUTTON) {
        continue;
      }
      if (answer !== APPLY_BUTTON) {
        throw new Cancelled();
      }
      const applied = await evaluate();
      if (applied.problems.length === 0) {
        finals = applied.finals;
        break;
      }
      // Edited after the question appeared, and now unreadable or with errors: ask again, saying why.
    }

    await confirmSecurityWarnings(deps, s.roleName, proposals.map((p) => ({ name: p.name, text: p.validated?.text ?? '', v: p.validated?.v ?? { status: 'validated', findings: [] } })));
    await confirmRisks(deps, s.roleName, accountId, finals.flatMap((f) => f.risks.map((risk) => ({ doc: f.p.what, risk }))));
    const changedFinal = (f: (typeof finals)[number]): boolean => JSON.stringify(f.policy.json) !== JSON.stringify(f.p.current?.json);
    const trustFinal = finals.find((f) => f.p.kind === 'trust' && changedFinal(f));
    const permFinal = finals.find((f) => f.p.kind === 'identity' && changedFinal(f));
    if (!trustFinal && !permFinal && state.tagged) {
      void deps.ui.info(`Nothing to change in role ${s.roleName}: the documents you applied mean what is there.`);
      return 'unchanged';
    }
    // IAM has no conditional update: read the role again, so a change made meanwhile (in the console, by a
    // colleague) is never overwritten by a proposal built on the old documents.
    await deps.ui.progress(`Updating role ${s.roleName}…`, async (signal) => {
      const again = await svc.roles.read(target, signal);
      const moved = [trustFinal && again.trust !== state.trust && 'trust policy', permFinal && again.permissions !== state.permissions && `inline policy ${INLINE_POLICY}`].filter(Boolean);
      if (!again.exists || moved.length) {
        throw new UserError(
          `Nothing was written: the ${moved.join(' and ') || 'role'} of role ${s.roleName} changed in IAM while you were reviewing the proposal.`,
          'Run Create or Update Role again to see the documents as they are now.',
        );
      }
      await svc.roles.update(target, { trust: trustFinal?.text, permissions: permFinal?.text, tag: !state.tagged }, signal);
    });
    const confirmed = finals.flatMap((f) => f.risks);
    const parts = [
      trustFinal ? `trust policy updated${addedWords(trustFinal.changes) ? ` (${addedWords(trustFinal.changes)})` : ''}` : '',
      confirmed.length ? `${confirmed.length} risky ${confirmed.length === 1 ? 'change' : 'changes'} you confirmed (${confirmed.map((r) => r.text).join(' ')})` : '',
      permFinal ? `inline policy ${INLINE_POLICY} updated` : '',
      state.tagged ? '' : 'tagged managed-by=tendlc-cross-account',
    ].filter(Boolean);
    deps.log.info(`Updated role ${arn}: ${parts.join('; ')}.`);
    void deps.ui.info(`Updated role ${s.roleName} in account ${accountId}: ${parts.join('; ')}.`);
    return 'updated';
  } catch (e) {
    await reportError(deps, e, 'Create or Update Cross-Account Role');
    return undefined;
  } finally {
    for (const u of opened.filter((x) => x.scheme === 'file')) {
      deps.docs.diagnostics.delete(u);
    }
    await closeEditorsOf(opened.filter((u) => u.scheme === 'file'));
    if (scratch) {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}

function shortValidation(name: string, v: PolicyValidation): string {
  if (v.status === 'not-validated') {
    return `${name} was not validated by IAM Access Analyzer: ${v.reason}`;
  }
  const count = (t: string): number => v.findings.filter((f) => f.findingType === t).length;
  const parts = [['ERROR', 'error'], ['SECURITY_WARNING', 'security warning'], ['WARNING', 'warning'], ['SUGGESTION', 'suggestion']]
    .map(([t, w]) => (count(t) ? `${count(t)} ${w}${count(t) > 1 ? 's' : ''}` : ''))
    .filter(Boolean);
  return parts.length ? `IAM Access Analyzer on ${name}: ${parts.join(', ')} (shown in the editor).` : `IAM Access Analyzer found nothing in ${name}.`;
}
