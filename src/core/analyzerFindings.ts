/**
 * IAM Access Analyzer's findings on a proposed policy document, read without the SDK: where each one
 * points in the text the user sees (from its location path, mapped onto that text), how it reads in
 * a dialog, and what it means for Apply (an ERROR blocks it; a SECURITY_WARNING needs its own
 * confirmation). Pure: no `vscode`, no AWS SDK.
 */
import { locateInText, positionAt, type AnalyzerPathElement } from './jsonText';

export type FindingType = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

export interface FindingPosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface FindingLocation {
  readonly path: readonly AnalyzerPathElement[];
  readonly span?: { readonly start: FindingPosition; readonly end: FindingPosition };
}

/** A finding as ValidatePolicy returns it. */
export interface PolicyFinding {
  readonly findingType: string;
  readonly issueCode: string;
  readonly findingDetails: string;
  readonly learnMoreLink?: string;
  readonly locations: readonly FindingLocation[];
}

/** The outcome of validating one document: findings, or why it was not validated (never a silent pass). */
export type PolicyValidation =
  | { readonly status: 'validated'; readonly findings: readonly PolicyFinding[] }
  | { readonly status: 'not-validated'; readonly reason: string };

/** A range in editor terms: lines and characters from 0. */
export interface TextRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

/**
 * Where a finding points in `text` (the document exactly as it was validated): each location's path
 * resolved in the text; where the path does not resolve fully, the span Access Analyzer gave (when it
 * lies within the text), else as far as the path went; a finding without locations points at the start.
 */
export function findingRanges(text: string, f: PolicyFinding): TextRange[] {
  const toRange = (start: number, end: number): TextRange => {
    const a = positionAt(text, start);
    const b = positionAt(text, Math.max(start, end));
    return { startLine: a.line - 1, startCharacter: a.column, endLine: b.line - 1, endCharacter: b.column };
  };
  if (f.locations.length === 0) {
    return [toRange(0, 0)];
  }
  return f.locations.map((loc) => {
    const found = locateInText(text, loc.path);
    if (found?.complete) {
      return toRange(found.start, found.end);
    }
    const span = loc.span;
    if (span && span.start.offset >= 0 && span.end.offset <= text.length && span.start.offset <= span.end.offset) {
      return toRange(span.start.offset, span.end.offset);
    }
    return found ? toRange(found.start, found.end) : toRange(0, 0);
  });
}

const TYPE_WORDS: Record<string, string> = { ERROR: 'error', SECURITY_WARNING: 'security warning', WARNING: 'warning', SUGGESTION: 'suggestion' };

/** One finding in words, with the line it points at: `error MISSING_ACTION at line 7: …`. */
export function findingWords(text: string, f: PolicyFinding): string {
  const where = findingRanges(text, f)[0];
  return `${TYPE_WORDS[f.findingType] ?? f.findingType.toLowerCase()} ${f.issueCode}${where ? ` at line ${where.startLine + 1}` : ''}: ${f.findingDetails.trim()}`;
}

export function errorsOf(v: PolicyValidation): readonly PolicyFinding[] {
  return v.status === 'validated' ? v.findings.filter((f) => f.findingType === 'ERROR') : [];
}

export function securityWarningsOf(v: PolicyValidation): readonly PolicyFinding[] {
  return v.status === 'validated' ? v.findings.filter((f) => f.findingType === 'SECURITY_WARNING') : [];
}

/** A short account of one document's validation for the Apply dialog. */
export function validationSummary(name: string, text: string, v: PolicyValidation): string {
  if (v.status === 'not-validated') {
    return `${name}: not validated by IAM Access Analyzer — ${v.reason}`;
  }
  if (v.findings.length === 0) {
    return `${name}: IAM Access Analyzer found nothing.`;
  }
  return `${name}: IAM Access Analyzer found ${v.findings.length}: ${v.findings.map((f) => findingWords(text, f)).join('; ')}`;
}
