/**
 * Reviewing proposed policy documents before anything is written — one implementation for every
 * command that writes a policy (Create or Update Role; the resource-policy flow of End User
 * Messaging resources in resourcePolicyFlow.ts):
 *
 * - `PolicyReview` opens each proposal beside the current document (`vscode.diff`, the right side an
 *   editable scratch file), validates what is on the right side with IAM Access Analyzer (again
 *   whenever it changed), shows the findings as diagnostics, compares it with the current document
 *   through the policy engine, and asks (non-modal, so the user can still edit) until Apply is chosen
 *   with nothing blocking — an unreadable edit, an Access Analyzer ERROR, or a size the service will
 *   refuse. `dispose()` removes diagnostics, closes the editors and deletes the scratch files.
 * - `confirmSecurityWarnings` asks once for Access Analyzer's security warnings; `confirmRisks` asks,
 *   in its own modal and in words, for each removal or widening the comparison found.
 *
 * A command builds its own words (which account, what is added) around these pieces; the pieces
 * decide nothing on their own about what may be written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PolicyKind } from '../aws/index';
import { errorsOf, findingRanges, findingWords, securityWarningsOf, validationSummary, type PolicyValidation } from '../core/analyzerFindings';
import { comparePolicies, readPolicy, type Change, type EngineOptions, type Policy, type Risk } from '../core/policyEngine';
import type { LimitVerdict } from '../core/policyLimits';
import { Cancelled, type Deps } from './common';

export const APPLY_BUTTON = 'Apply';
export const VALIDATE_AGAIN_BUTTON = vscode.l10n.t('Validate Again');
export const CONFIRM_RISK_BUTTON = vscode.l10n.t('Apply This Change');
export const ACCEPT_WARNINGS_BUTTON = vscode.l10n.t('Apply Despite Warnings');

/** Closes every editor (and diff) showing one of `uris`, saving scratch edits first so nothing asks "save changes?". */
export async function closeEditorsOf(uris: readonly vscode.Uri[]): Promise<void> {
  const wanted = new Set(uris.map((u) => u.toString()));
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

/** Opens a document as JSON, in its own tab. */
export async function showJson(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json'), { preview: false });
}

/** Access Analyzer's findings (or "not validated") as diagnostics on a proposed document. */
export function showFindings(deps: Deps, uri: vscode.Uri, text: string, v: PolicyValidation): void {
  if (v.status === 'not-validated') {
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), vscode.l10n.t('Not validated by IAM Access Analyzer: {0}', v.reason), vscode.DiagnosticSeverity.Information);
    d.source = vscode.l10n.t('IAM Access Analyzer');
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
        const d = new vscode.Diagnostic(new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter), f.findingType === 'SECURITY_WARNING' ? vscode.l10n.t('Security warning: {0}', f.findingDetails) : f.findingDetails, severity[f.findingType] ?? vscode.DiagnosticSeverity.Warning);
        d.source = vscode.l10n.t('IAM Access Analyzer');
        d.code = f.learnMoreLink ? { value: f.issueCode, target: vscode.Uri.parse(f.learnMoreLink) } : f.issueCode;
        return d;
      }),
    ),
  );
}

/** A removal or widening to confirm: in which document ("trust policy of role R"), and what that document decides. */
export interface RiskToConfirm {
  readonly doc: string;
  readonly risk: Risk;
  /** One sentence: "The trust policy decides who may send SMS billed to account A." */
  readonly decides: string;
}

/** Each risky change gets its own modal confirmation, in words; declining any cancels the whole write. */
export async function confirmRisks(deps: Deps, operation: string, risks: readonly RiskToConfirm[]): Promise<void> {
  for (const [i, { doc, risk, decides }] of risks.entries()) {
    const headline =
      risk.kind === 'removed' ? vscode.l10n.t('takes away access') : risk.kind === 'widened' ? vscode.l10n.t('widens access') : risk.kind === 'deny-weakened' ? vscode.l10n.t('weakens a Deny') : vscode.l10n.t('changes what a statement means');
    const answer = await deps.ui.modal(
      vscode.l10n.t('Risky change {0} of {1} to the {2}: it {3}.', i + 1, risks.length, doc, headline),
      vscode.l10n.t('{0}\n\n{1} Apply this change only if you meant it; cancelling writes nothing.', risk.text, decides),
      [CONFIRM_RISK_BUTTON],
    );
    if (answer !== CONFIRM_RISK_BUTTON) {
      deps.log.info(`${operation}: the risky change was declined: ${risk.text}`);
      throw new Cancelled();
    }
    deps.log.info(`${operation}: risky change confirmed: ${risk.text}`);
  }
}

/** Access Analyzer's security warnings on the documents for `subject` ("role R") need their own confirmation. */
export async function confirmSecurityWarnings(deps: Deps, subject: string, docs: readonly { name: string; text: string; v: PolicyValidation }[]): Promise<void> {
  const warnings = docs.flatMap((d) => securityWarningsOf(d.v).map((f) => `${d.name}: ${findingWords(d.text, f)}`));
  if (warnings.length === 0) {
    return;
  }
  const answer = await deps.ui.modal(
    vscode.l10n.t('IAM Access Analyzer has {0} on the documents for {1}.', warnings.length === 1 ? vscode.l10n.t('a security warning') : vscode.l10n.t('{0} security warnings', warnings.length), subject),
    vscode.l10n.t('{0}\n\nSecurity warnings report access AWS considers overly permissive.', warnings.join('\n')),
    [ACCEPT_WARNINGS_BUTTON],
  );
  if (answer !== ACCEPT_WARNINGS_BUTTON) {
    throw new Cancelled();
  }
}

/** What a document's change adds, in a few words: its new principals (or, for an identity policy, actions). */
export function addedWords(changes: readonly Change[]): string {
  const added = [...new Set(changes.filter((c) => c.kind === 'added' && c.subject !== 'Version').map((c) => c.subject))];
  const shown = added.length > 4 ? [...added.slice(0, 3), vscode.l10n.t('{0} more', added.length - 3)] : added;
  return added.length ? vscode.l10n.t('adds {0}', shown.join(', ')) : '';
}

/** One document's validation in a sentence for the Apply question. */
export function shortValidation(name: string, v: PolicyValidation): string {
  if (v.status === 'not-validated') {
    return vscode.l10n.t('{0} was not validated by IAM Access Analyzer: {1}', name, v.reason);
  }
  const count = (t: string): number => v.findings.filter((f) => f.findingType === t).length;
  const words: Record<string, (n: number) => string> = {
    ERROR: (n) => (n === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', n)),
    SECURITY_WARNING: (n) => (n === 1 ? vscode.l10n.t('1 security warning') : vscode.l10n.t('{0} security warnings', n)),
    WARNING: (n) => (n === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', n)),
    SUGGESTION: (n) => (n === 1 ? vscode.l10n.t('1 suggestion') : vscode.l10n.t('{0} suggestions', n)),
  };
  const parts = Object.entries(words)
    .map(([t, w]) => (count(t) ? w(count(t)) : ''))
    .filter(Boolean);
  return parts.length ? vscode.l10n.t('IAM Access Analyzer on {0}: {1} (shown in the editor).', name, parts.join(', ')) : vscode.l10n.t('IAM Access Analyzer found nothing in {0}.', name);
}

/** One proposed document of a review. */
export interface Proposal {
  /** Its file name, e.g. `trust-policy.json`; also the tab's name. */
  readonly name: string;
  /** In words, e.g. "trust policy" or "resource policy of the number +12065550100". */
  readonly what: string;
  readonly kind: PolicyKind;
  /** The document as it is now; undefined when there is none yet. */
  readonly current?: Policy;
  /** Order of validation and of the question's words (lower first); default 0. */
  readonly rank?: number;
  /** The service's size limit, checked on every evaluation of what is on the right side. */
  readonly limit?: (text: string) => LimitVerdict | undefined;
}

/** A proposal as it stands when evaluated: its text, read, and compared with the current document. */
export interface Final {
  readonly proposal: Proposal;
  readonly text: string;
  readonly policy: Policy;
  readonly risks: readonly Risk[];
  readonly changes: readonly Change[];
  /** False when what would be written means exactly what is there. */
  readonly changed: boolean;
}

export interface Evaluation {
  readonly finals: readonly Final[];
  /** What blocks Apply: an unreadable edit, an Access Analyzer ERROR, a size the service refuses. */
  readonly problems: readonly string[];
  /** What the question says but does not block (a size over a default quota). */
  readonly warnings: readonly string[];
  /** One sentence per document on its validation. */
  readonly validation: string;
}

export interface ReviewOptions {
  /** Folder of the current documents' virtual URIs (e.g. `ACCOUNT/ROLE`). */
  readonly folder: string;
  /** Starts each diff's title, e.g. the role's name or the number. */
  readonly title: string;
  /** How the engine names things (partition; "the role" for an identity policy). */
  readonly engine: EngineOptions;
  /** Validates documents (one outcome per document, in order). */
  readonly validate: (docs: { kind: PolicyKind; text: string }[]) => Promise<PolicyValidation[]>;
  /** Starts log lines, e.g. "Create or Update Role". */
  readonly operation: string;
}

/** Proposals side by side with the current documents, validated, compared, and asked about; see the module comment. */
export class PolicyReview {
  private scratch?: string;
  private readonly opened: vscode.Uri[] = [];
  private readonly items: { p: Proposal; right: vscode.Uri; validated?: { text: string; v: PolicyValidation } }[] = [];

  constructor(
    private readonly deps: Deps,
    private readonly opts: ReviewOptions,
  ) {}

  /** Opens `proposed` (editable, on the right) beside `currentText` (as it is, on the left; empty when there is none). */
  async show(p: Proposal, currentText0: string | undefined, proposed: string): Promise<void> {
    this.scratch ??= fs.mkdtempSync(path.join(os.tmpdir(), 'tendlc-policy-'));
    const left = this.deps.docs.set(`${this.opts.folder}/current`, p.name, currentText0 ?? '');
    const right = vscode.Uri.file(path.join(this.scratch, p.name));
    fs.writeFileSync(right.fsPath, proposed, { mode: 0o600 });
    this.opened.push(left, right);
    await vscode.commands.executeCommand('vscode.diff', left, right, currentText0 === undefined ? vscode.l10n.t('{0}: {1} — none yet ↔ proposed (edit the right side)', this.opts.title, p.name) : vscode.l10n.t('{0}: {1} — current ↔ proposed (edit the right side)', this.opts.title, p.name), { preview: false });
    this.items.push({ p, right });
    this.items.sort((a, b) => (a.p.rank ?? 0) - (b.p.rank ?? 0));
  }

  get proposals(): readonly Proposal[] {
    return this.items.map((i) => i.p);
  }

  /** What was last validated, per document (for confirmSecurityWarnings). */
  validated(): { name: string; text: string; v: PolicyValidation }[] {
    return this.items.map((i) => ({ name: i.p.name, text: i.validated?.text ?? '', v: i.validated?.v ?? { status: 'validated', findings: [] } }));
  }

  /** Reads the right sides, validates what changed since the last validation, and compares each with its current document. */
  async evaluate(): Promise<Evaluation> {
    const texts = await Promise.all(this.items.map((i) => currentText(i.right)));
    const stale = this.items.map((i, n) => ({ i, text: texts[n] })).filter((x) => x.i.validated?.text !== x.text);
    if (stale.length) {
      const results = await this.opts.validate(stale.map((x) => ({ kind: x.i.p.kind, text: x.text })));
      stale.forEach((x, n) => {
        x.i.validated = { text: x.text, v: results[n] };
        showFindings(this.deps, x.i.right, x.text, results[n]);
        this.deps.log.info(`${this.opts.operation}: ${validationSummary(x.i.p.name, x.text, results[n])}`);
      });
    }
    const problems: string[] = [];
    const warnings: string[] = [];
    const finals: Final[] = [];
    this.items.forEach((i, n) => {
      const text = texts[n];
      const r = readPolicy(text);
      const errors = i.validated ? errorsOf(i.validated.v) : [];
      if (!r.ok) {
        problems.push(vscode.l10n.t('The edited {0} cannot be read: {1}', i.p.name, r.problems.join(' ')));
      } else {
        const cmp = comparePolicies(i.p.current, r.policy, this.opts.engine);
        finals.push({ proposal: i.p, text, policy: r.policy, risks: cmp.risks, changes: cmp.changes, changed: JSON.stringify(r.policy.json) !== JSON.stringify(i.p.current?.json) });
      }
      if (errors.length) {
        problems.push(vscode.l10n.t('IAM Access Analyzer found {0} in {1}, which must be fixed first: {2}', errors.length === 1 ? vscode.l10n.t('an error') : vscode.l10n.t('{0} errors', errors.length), i.p.name, errors.map((f) => findingWords(text, f)).join('; ')));
      }
      const size = i.p.limit?.(text);
      if (size?.problem) {
        problems.push(size.problem);
      }
      if (size?.warning) {
        warnings.push(size.warning);
      }
    });
    const validation = this.items.map((i) => (i.validated ? shortValidation(i.p.name, i.validated.v) : '')).filter(Boolean).join(' ');
    return { finals, problems, warnings, validation };
  }

  /**
   * Asks (non-modal) until the user applies with nothing blocking: while something blocks, the
   * question offers to validate again; on Apply the right sides are read again, since the user may
   * have edited them after the question appeared. Returns what is to be written; throws Cancelled.
   */
  async ask(question: (e: Evaluation) => string): Promise<readonly Final[]> {
    for (;;) {
      const now = await this.evaluate();
      const answer = await this.deps.ui.choose(question(now), now.problems.length ? [VALIDATE_AGAIN_BUTTON, vscode.l10n.t('Cancel')] : [APPLY_BUTTON, vscode.l10n.t('Cancel')]);
      if (answer === VALIDATE_AGAIN_BUTTON) {
        continue;
      }
      if (answer !== APPLY_BUTTON) {
        throw new Cancelled();
      }
      const applied = await this.evaluate();
      if (applied.problems.length === 0) {
        return applied.finals;
      }
      // Edited after the question appeared, and now unreadable or blocked: ask again, saying why.
    }
  }

  /** Removes the diagnostics, closes the editors and deletes the scratch files. */
  async dispose(): Promise<void> {
    for (const u of this.opened.filter((x) => x.scheme === 'file')) {
      this.deps.docs.diagnostics.delete(u);
    }
    await closeEditorsOf(this.opened.filter((u) => u.scheme === 'file'));
    if (this.scratch) {
      fs.rmSync(this.scratch, { recursive: true, force: true });
    }
  }
}
