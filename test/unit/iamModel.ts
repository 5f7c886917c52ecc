/**
 * An independent model of IAM's decision for one request against one policy document, written from
 * the IAM documentation ("Policy evaluation logic", "Condition operators", "Principal") and NOT from
 * the engine under test: it reads the raw JSON itself (no reader, no normalisation shared with
 * src/core). The property tests check the engine's promises against it.
 *
 * Scope: what the generator in policyGen.ts produces — principals of type AWS / Service / Federated,
 * single-valued condition keys, the string, Bool and Null operators with IfExists and the set prefixes.
 */

export interface ModelPrincipal {
  readonly type: 'AWS' | 'Service' | 'Federated';
  /** An ARN (`arn:aws:iam::ACCOUNT:root`, `…:role/NAME`, `…:user/NAME`) or a service / provider name. */
  readonly id: string;
}

export interface ModelRequest {
  readonly principal: ModelPrincipal;
  readonly action: string;
  /** Condition keys in lower case; a key not here is absent from the request. */
  readonly context: Readonly<Record<string, string>>;
}

export type ModelDecision = 'Allow' | 'Deny' | 'NotAllowed';

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function glob(pattern: string, flags = ''): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

/** The account of an ARN (`arn:partition:service::ACCOUNT:…`), or of a bare 12-digit id. */
function accountIn(s: string): string | undefined {
  if (/^\d{12}$/.test(s)) {
    return s;
  }
  const parts = s.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

/** Does one entry of a Principal element name this principal? An account (root or bare id) names every principal in it. */
function entryNames(type: string, entry: string, p: ModelPrincipal): boolean {
  if (entry === '*' && type === 'AWS') {
    return true;
  }
  if (type !== p.type) {
    return false;
  }
  if (type !== 'AWS') {
    return entry === p.id;
  }
  const wholeAccount = /^\d{12}$/.test(entry) || /^arn:[^:]+:iam::\d{12}:root$/.test(entry);
  if (wholeAccount) {
    return accountIn(entry) === accountIn(p.id);
  }
  return entry === p.id;
}

function principalElementNames(element: unknown, p: ModelPrincipal): boolean {
  if (element === '*') {
    return true;
  }
  if (typeof element !== 'object' || element === null) {
    return false;
  }
  return Object.entries(element as Record<string, unknown>).some(([type, entries]) => asList(entries).some((e) => entryNames(type, String(e), p)));
}

function conditionHolds(op: string, key: string, policyValues: unknown[], context: Readonly<Record<string, string>>): boolean {
  const m = /^(ForAllValues:|ForAnyValue:)?(.*?)(IfExists)?$/.exec(op);
  if (!m) {
    throw new Error(`model: cannot read operator ${op}`);
  }
  const [, prefix, base, ifExists] = m;
  const values = policyValues.map((v) => String(v));
  const actual = context[key.toLowerCase()];
  if (base === 'Null') {
    return values.some((v) => (v === 'true' ? actual === undefined : actual !== undefined));
  }
  const negative = base.includes('Not');
  if (actual === undefined) {
    if (ifExists) return true;
    if (prefix === 'ForAllValues:') return true; // every one of no values matches
    if (prefix === 'ForAnyValue:') return false;
    return negative;
  }
  let hit: boolean;
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      hit = values.includes(actual);
      break;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      hit = values.some((v) => v.toLowerCase() === actual.toLowerCase());
      break;
    case 'StringLike':
    case 'StringNotLike':
      hit = values.some((v) => glob(v).test(actual));
      break;
    case 'Bool':
      hit = values.some((v) => v.toLowerCase() === actual.toLowerCase());
      break;
    default:
      throw new Error(`model: operator ${base} is outside the model`);
  }
  return negative ? !hit : hit;
}

function statementApplies(s: Record<string, unknown>, r: ModelRequest): boolean {
  if ('Principal' in s) {
    if (!principalElementNames(s['Principal'], r.principal)) return false;
  } else if ('NotPrincipal' in s) {
    if (principalElementNames(s['NotPrincipal'], r.principal)) return false;
  } else {
    return false; // a trust policy statement without a principal names nobody
  }
  if ('Action' in s) {
    if (!asList(s['Action']).some((a) => glob(String(a), 'i').test(r.action))) return false;
  } else if (asList(s['NotAction']).some((a) => glob(String(a), 'i').test(r.action))) {
    return false;
  }
  const cond = (s['Condition'] ?? {}) as Record<string, Record<string, unknown>>;
  for (const [op, block] of Object.entries(cond)) {
    for (const [key, v] of Object.entries(block)) {
      if (!conditionHolds(op, key, asList(v), r.context)) return false;
    }
  }
  return true;
}

/** IAM's answer for one policy: any matching Deny wins; otherwise any matching Allow; otherwise not allowed. */
export function iamDecision(policy: unknown, r: ModelRequest): ModelDecision {
  const doc = policy as { Statement?: unknown };
  const statements = asList(doc.Statement) as Record<string, unknown>[];
  let allowed = false;
  for (const s of statements) {
    if (statementApplies(s, r)) {
      if (s['Effect'] === 'Deny') return 'Deny';
      if (s['Effect'] === 'Allow') allowed = true;
    }
  }
  return allowed ? 'Allow' : 'NotAllowed';
}

/** The account a principal belongs to (undefined for services and providers). */
export function accountOfPrincipal(p: ModelPrincipal): string | undefined {
  return p.type === 'AWS' ? accountIn(p.id) : undefined;
}
