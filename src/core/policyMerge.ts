/**
 * Reading, comparing and merging IAM policy documents that already exist in AWS, so that updating a
 * role never silently drops a principal it trusts today. Pure: no `vscode`, no AWS SDK.
 */
import { trustPolicy, type PolicyDocument, type PolicyStatement, type TrustPolicyInput } from './policies';

/** The Sid of the statement this extension owns in a trust policy. */
export const TRUST_SID = 'AllowSecondaryAccountsToAssume';

export type ParsedPolicy = { ok: true; doc: PolicyDocument } | { ok: false; error: string };

/** Parses a policy as IAM returns it (URL-encoded JSON) or as a user typed it. */
export function parsePolicy(text: string): ParsedPolicy {
  let raw = text.trim();
  if (raw.startsWith('%7B') || raw.startsWith('%7b')) {
    try {
      raw = decodeURIComponent(raw);
    } catch {
      return { ok: false, error: 'The policy is URL-encoded but not validly.' };
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return { ok: false, error: `The policy is not valid JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'A policy must be a JSON object with "Version" and "Statement".' };
  }
  const v = value as { Version?: unknown; Statement?: unknown };
  if (v.Version !== '2012-10-17' && v.Version !== '2008-10-17') {
    return { ok: false, error: 'The policy needs "Version": "2012-10-17".' };
  }
  const statements = Array.isArray(v.Statement) ? v.Statement : v.Statement && typeof v.Statement === 'object' ? [v.Statement] : undefined;
  if (!statements || statements.length === 0) {
    return { ok: false, error: 'The policy needs at least one statement in "Statement".' };
  }
  for (const [i, s] of statements.entries()) {
    const st = s as Partial<PolicyStatement>;
    if (typeof s !== 'object' || s === null || (st.Effect !== 'Allow' && st.Effect !== 'Deny') || st.Action === undefined) {
      return { ok: false, error: `Statement ${i + 1} needs "Effect" ("Allow" or "Deny") and "Action".` };
    }
  }
  return { ok: true, doc: { ...(value as PolicyDocument), Statement: statements as PolicyStatement[] } };
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function matchesAction(actions: string[], wanted: string): boolean {
  const [svc] = wanted.split(':');
  return actions.some((a) => {
    const x = a.toLowerCase();
    return x === '*' || x === wanted.toLowerCase() || x === `${svc}:*`;
  });
}

/** AWS principals of every Allow statement that grants sts:AssumeRole. */
export function trustedPrincipals(doc: PolicyDocument): string[] {
  const out = new Set<string>();
  for (const s of doc.Statement) {
    if (s.Effect !== 'Allow' || !matchesAction(list(s.Action), 'sts:AssumeRole')) {
      continue;
    }
    const p = s.Principal;
    if (p && 'AWS' in p) {
      list(p.AWS).forEach((a) => out.add(a));
    }
  }
  return [...out].sort();
}

/** Whether a trust policy lets principals of `accountId` assume the role (root, or any ARN in that account). */
export function trustsAccount(doc: PolicyDocument, accountId: string): boolean {
  return trustedPrincipals(doc).some((p) => p === '*' || p === accountId || new RegExp(`^arn:[a-z-]+:(iam|sts)::${accountId}:`).test(p));
}

/** Whether a permissions policy allows an action on every resource, with no Deny for it. */
export function allowsAction(doc: PolicyDocument, action: string): boolean {
  const denied = doc.Statement.some((s) => s.Effect === 'Deny' && matchesAction(list(s.Action), action) && !s.Condition);
  const allowed = doc.Statement.some((s) => s.Effect === 'Allow' && matchesAction(list(s.Action), action) && list(s.Resource).includes('*'));
  return allowed && !denied;
}

/**
 * The trust policy to propose for an existing role: every statement kept, our statement (by Sid)
 * updated to trust the union of what it trusted and the secondaries, with the conditions the settings
 * ask for. When the role has no such statement, ours is added for the secondaries not yet trusted.
 */
export function mergeTrust(current: PolicyDocument | undefined, wanted: TrustPolicyInput): PolicyDocument {
  const fresh = trustPolicy(wanted);
  if (!current) {
    return fresh;
  }
  const ours = fresh.Statement[0];
  const wantedArns = list((ours.Principal as { AWS: string | string[] }).AWS);
  const statements = current.Statement.map((s) => ({ ...s }));
  const index = statements.findIndex((s) => s.Sid === TRUST_SID);
  if (index >= 0) {
    const existing = statements[index];
    const existingArns = existing.Principal && 'AWS' in existing.Principal ? list(existing.Principal.AWS) : [];
    // Principals another statement already trusts stay there; ours only gains the ones nobody trusts yet.
    const others = trustedPrincipals({ ...current, Statement: statements.filter((_, i) => i !== index) });
    const union = [...new Set([...existingArns, ...wantedArns.filter((a) => !others.includes(a))])].sort();
    statements[index] = { ...ours, Principal: { AWS: union.length === 1 ? union[0] : union } };
  } else {
    const already = trustedPrincipals(current);
    const missing = wantedArns.filter((a) => !already.includes(a));
    if (missing.length > 0) {
      statements.push({ ...ours, Principal: { AWS: missing.length === 1 ? missing[0] : missing } });
    }
  }
  return { ...current, Statement: statements };
}

/** What a trust change does to who may assume the role. */
export function principalChanges(before: PolicyDocument | undefined, after: PolicyDocument): { added: string[]; removed: string[]; kept: string[] } {
  const b = before ? trustedPrincipals(before) : [];
  const a = trustedPrincipals(after);
  return { added: a.filter((x) => !b.includes(x)), removed: b.filter((x) => !a.includes(x)), kept: a.filter((x) => b.includes(x)) };
}

/** A form for comparison: keys sorted, single values as one-element lists, lists sorted. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.every((i) => typeof i === 'string') ? [...(items as string[])].sort() : items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      out[k] = typeof v === 'string' && ['Action', 'NotAction', 'Resource', 'NotResource', 'AWS', 'Service'].includes(k) ? [v] : canonical(v);
    }
    return out;
  }
  return value;
}

/** True when two policies mean the same (order of lists and single-vs-list forms aside). */
export function samePolicy(a: PolicyDocument | undefined, b: PolicyDocument | undefined): boolean {
  if (!a || !b) {
    return a === b;
  }
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
