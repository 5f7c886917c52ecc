/**
 * Reading IAM policy documents in the whole grammar IAM accepts, and deciding a request against one.
 * The reader is strict: what it cannot read completely it refuses, saying exactly what and where, so
 * that nothing downstream ever treats a policy it did not understand as empty or as something else.
 * See policyEngine.ts for the merge and the comparison built on it. Pure: no `vscode`, no AWS SDK.
 */
import { duplicateKeys, lossyNumbers, parseJson, positionAt, toValue, type PathStep } from './jsonText';

export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';
export const PRINCIPAL_TYPES: readonly PrincipalType[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

/** The principals of a `Principal` or `NotPrincipal` element. */
export interface PrincipalSet {
  /** `"*"`, or `"*"` among the AWS principals: every principal. */
  readonly everyone: boolean;
  /** Principals by type, exactly as written (`"*"` left out of AWS). */
  readonly AWS: readonly string[];
  readonly Service: readonly string[];
  readonly Federated: readonly string[];
  readonly CanonicalUser: readonly string[];
}

/** One condition: the operator (with any `ForAllValues:` / `ForAnyValue:` prefix and `IfExists` suffix), the key and its values. */
export interface Condition {
  readonly operator: string;
  readonly key: string;
  /** Values as strings (IAM compares JSON numbers and booleans by their text). */
  readonly values: readonly string[];
}

export interface Statement {
  /** Position in the document, from 0. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principal?: PrincipalSet;
  readonly notPrincipal?: PrincipalSet;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  /** Every condition must hold (blocks and keys are ANDed). */
  readonly conditions: readonly Condition[];
  /** The statement exactly as written. */
  readonly json: Readonly<Record<string, unknown>>;
}

export interface Policy {
  /** `2012-10-17`, `2008-10-17`, or undefined when the document has no Version (IAM reads it as 2008-10-17). */
  readonly version?: string;
  readonly statements: readonly Statement[];
  /** The whole document exactly as written (a fresh copy the caller may change). */
  readonly json: Record<string, unknown>;
}

export type PolicyRead =
  | { readonly ok: true; readonly text: string; readonly policy: Policy }
  /** `text`: the document as it is (URL-decoded when IAM returned it encoded), for showing verbatim. */
  | { readonly ok: false; readonly text: string; readonly problems: readonly string[] };

/** Far beyond IAM's own limits (10,240 characters for a role's inline policies); a guard against hostile input. */
export const MAX_POLICY_CHARS = 131_072;

const CONDITION_BASES = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
] as const;

/** The parts of a condition operator, or undefined when IAM has no such operator. */
export function parseOperator(op: string): { prefix?: 'ForAllValues' | 'ForAnyValue'; base: string; ifExists: boolean } | undefined {
  const m = /^(?:(ForAllValues|ForAnyValue):)?([A-Za-z]+?)(IfExists)?$/.exec(op);
  if (!m || !(CONDITION_BASES as readonly string[]).includes(m[2])) {
    return undefined;
  }
  if (m[2] === 'Null' && m[3]) {
    return undefined;
  }
  return { prefix: m[1] as 'ForAllValues' | 'ForAnyValue' | undefined, base: m[2], ifExists: Boolean(m[3]) };
}

/** Operators that hold when the value is NOT among the listed ones (and when the key is missing). */
export function isNegated(base: string): boolean {
  return /Not/.test(base);
}

const STATEMENT_KEYS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const UNIQUE_ID = /^(AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[A-Z0-9]{12,124}$/;
const ACCOUNT_ID = /^\d{12}$/;
const AWS_ARN = /^arn:aws(-[a-z]+)*:(iam|sts)::\d{12}:[\x21-\x7e]+$/;

/** Where the first character outside printable ASCII is, in words, or undefined. */
function nonAscii(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) {
      const cp = s.codePointAt(i) ?? c;
      return `${c === 0x20 ? 'a space' : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`} at position ${i + 1}`;
    }
  }
  return undefined;
}

/** A string in quotes, with anything outside printable ASCII escaped, so a look-alike character shows. */
export function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/**
 * Reads a policy as IAM returns it (URL-encoded JSON, possibly starting with a newline) or as a user
 * typed it (a leading byte-order mark is fine). Refuses, with every reason, what it cannot read
 * completely: not JSON, a repeated key, an unknown element, a wrong type, an unknown condition
 * operator, a principal with characters IAM does not allow.
 */
export function readPolicy(input: string): PolicyRead {
  let text = input;
  if (text.length > MAX_POLICY_CHARS) {
    return { ok: false, text, problems: [`The document is ${text.length.toLocaleString('en-US')} characters long; IAM policies are at most 10,240 characters, so this is not one.`] };
  }
  const stripped = (s: string): string => s.replace(/^[\ufeff\s]+/, '');
  if (!stripped(text).startsWith('{') && /%[0-9A-Fa-f]{2}/.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return { ok: false, text: input, problems: ['The document looks URL-encoded (as IAM returns policies) but is not validly encoded.'] };
    }
  }
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (body.trim() === '') {
    return { ok: false, text, problems: ['The document is empty.'] };
  }
  const offsetShift = text.length - body.length;
  const parsed = parseJson(body);
  if (!parsed.ok) {
    const at = positionAt(text, parsed.offset + offsetShift);
    return { ok: false, text, problems: [`The document is not valid JSON: ${parsed.error} (line ${at.line}, column ${at.column + 1}).`] };
  }
  const problems: string[] = [];
  for (const d of duplicateKeys(parsed.node)) {
    const at = positionAt(text, d.offset + offsetShift);
    problems.push(`${pathWords(d.path)} has the key "${d.key}" twice (line ${at.line}); readers disagree on which one counts, so it is not read.`);
  }
  for (const l of lossyNumbers(parsed.node)) {
    problems.push(`${pathWords(l.path)}: the number ${l.raw} cannot be kept exactly; write it as a string.`);
  }
  if (problems.length) {
    return { ok: false, text, problems };
  }
  const r = readPolicyJson(toValue(parsed.node));
  return r.ok ? { ok: true, text, policy: r.policy } : { ok: false, text, problems: r.problems };
}

function pathWords(path: readonly PathStep[]): string {
  if (path.length === 0) {
    return 'The document';
  }
  if (path[0] === 'Statement' && typeof path[1] === 'number') {
    return `Statement ${path[1] + 1}${path.length > 2 ? `, ${path.slice(2).map((p) => (typeof p === 'number' ? `item ${p + 1}` : `"${p}"`)).join(' → ')},` : ''}`;
  }
  return path.map((p) => (typeof p === 'number' ? `item ${p + 1}` : `"${p}"`)).join(' → ');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Reads a policy that is already a JSON value (as `readPolicy` does after parsing). */
export function readPolicyJson(value: unknown): PolicyRead {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? '';
  if (typeof value === 'string') {
    return readPolicy(value);
  }
  const problems: string[] = [];
  if (!isObject(value)) {
    return { ok: false, text, problems: ['A policy must be a JSON object with "Statement" (and usually "Version").'] };
  }
  for (const k of Object.keys(value)) {
    if (!['Version', 'Id', 'Statement'].includes(k)) {
      problems.push(`The document has an element "${k}" that IAM policies do not have (only Version, Id and Statement).`);
    }
  }
  const version = value['Version'];
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') {
    problems.push(`"Version" is ${JSON.stringify(version)}; IAM knows only "2012-10-17" and "2008-10-17".`);
  }
  if (value['Id'] !== undefined && typeof value['Id'] !== 'string') {
    problems.push('"Id" must be a string.');
  }
  const raw = value['Statement'];
  let list: unknown[] = [];
  if (raw === undefined) {
    problems.push('The document has no "Statement".');
  } else if (Array.isArray(raw)) {
    list = raw;
  } else if (isObject(raw)) {
    list = [raw];
  } else {
    problems.push('"Statement" must be a statement object or a list of them.');
  }
  const statements: Statement[] = [];
  list.forEach((s, index) => {
    const st = readStatement(s, index, problems);
    if (st) {
      statements.push(st);
    }
  });
  if (problems.length) {
    return { ok: false, text, problems };
  }
  return { ok: true, text, policy: { version: version as string | undefined, statements, json: clone(value) } };
}

function readStatement(s: unknown, index: number, problems: string[]): Statement | undefined {
  const sidText = isObject(s) && typeof s['Sid'] === 'string' ? ` ("${s['Sid']}")` : '';
  const where = `Statement ${index + 1}${sidText}`;
  if (!isObject(s)) {
    problems.push(`${where} is not an object.`);
    return undefined;
  }
  const before = problems.length;
  for (const k of Object.keys(s)) {
    if (!STATEMENT_KEYS.includes(k)) {
      problems.push(`${where} has an element "${k}" that IAM statements do not have.`);
    }
  }
  if (s['Sid'] !== undefined && typeof s['Sid'] !== 'string') {
    problems.push(`${where}: "Sid" must be a string.`);
  }
  const effect = s['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    problems.push(`${where}: "Effect" must be "Allow" or "Deny", not ${effect === undefined ? 'missing' : JSON.stringify(effect)}.`);
  }
  const pair = (a: string, b: string, required: boolean): void => {
    if (s[a] !== undefined && s[b] !== undefined) {
      problems.push(`${where} has both "${a}" and "${b}".`);
    } else if (required && s[a] === undefined && s[b] === undefined) {
      problems.push(`${where} needs "${a}" or "${b}".`);
    }
  };
  pair('Principal', 'NotPrincipal', false);
  pair('Action', 'NotAction', true);
  pair('Resource', 'NotResource', false);
  const principal = s['Principal'] !== undefined ? readPrincipals(s['Principal'], `${where}, "Principal"`, problems) : undefined;
  const notPrincipal = s['NotPrincipal'] !== undefined ? readPrincipals(s['NotPrincipal'], `${where}, "NotPrincipal"`, problems) : undefined;
  const action = s['Action'] !== undefined ? readActions(s['Action'], `${where}, "Action"`, problems) : undefined;
  const notAction = s['NotAction'] !== undefined ? readActions(s['NotAction'], `${where}, "NotAction"`, problems) : undefined;
  const resource = s['Resource'] !== undefined ? readStrings(s['Resource'], `${where}, "Resource"`, problems) : undefined;
  const notResource = s['NotResource'] !== undefined ? readStrings(s['NotResource'], `${where}, "NotResource"`, problems) : undefined;
  const conditions = s['Condition'] !== undefined ? readConditions(s['Condition'], `${where}, "Condition"`, problems) : [];
  if (problems.length > before) {
    return undefined;
  }
  return {
    index,
    sid: s['Sid'] as string | undefined,
    effect: effect as 'Allow' | 'Deny',
    principal,
    notPrincipal,
    action,
    notAction,
    resource,
    notResource,
    conditions,
    json: clone(s),
  };
}

function readStrings(v: unknown, where: string, problems: string[]): string[] | undefined {
  if (typeof v === 'string') {
    return [v];
  }
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) {
    return v as string[];
  }
  problems.push(`${where} must be a string or a non-empty list of strings.`);
  return undefined;
}

function readActions(v: unknown, where: string, problems: string[]): string[] | undefined {
  const list = readStrings(v, where, problems);
  for (const a of list ?? []) {
    const bad = nonAscii(a);
    if (bad) {
      problems.push(`${where}: ${quote(a)} has ${bad}; actions are plain ASCII.`);
    } else if (a !== '*' && !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(a)) {
      problems.push(`${where}: ${quote(a)} is not an action (SERVICE:Name, wildcards * and ? allowed).`);
    }
  }
  return list;
}

function readPrincipals(v: unknown, where: string, problems: string[]): PrincipalSet | undefined {
  if (v === '*') {
    return { everyone: true, AWS: [], Service: [], Federated: [], CanonicalUser: [] };
  }
  if (!isObject(v)) {
    problems.push(`${where} must be "*" or a map of AWS / Service / Federated / CanonicalUser principals, not ${JSON.stringify(v)}.`);
    return undefined;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) {
    problems.push(`${where} is an empty map.`);
    return undefined;
  }
  const out: Record<PrincipalType, string[]> = { AWS: [], Service: [], Federated: [], CanonicalUser: [] };
  let everyone = false;
  const before = problems.length;
  for (const k of keys) {
    if (!(PRINCIPAL_TYPES as readonly string[]).includes(k)) {
      problems.push(`${where} has a principal type "${k}"; IAM knows AWS, Service, Federated and CanonicalUser.`);
      continue;
    }
    const list = readStrings(v[k], `${where} → "${k}"`, problems) ?? [];
    for (const p of list) {
      const bad = nonAscii(p);
      if (bad) {
        problems.push(`${where} → "${k}": ${quote(p)} has ${bad}; IAM principals are plain ASCII, so a look-alike character would name someone else.`);
        continue;
      }
      if (k === 'AWS' && p === '*') {
        everyone = true;
        continue;
      }
      if (p.includes('*') || p.includes('?')) {
        problems.push(`${where} → "${k}": ${quote(p)} has a wildcard; IAM allows a wildcard principal only as "*" on its own.`);
        continue;
      }
      if (k === 'AWS' && !ACCOUNT_ID.test(p) && !AWS_ARN.test(p) && !UNIQUE_ID.test(p)) {
        problems.push(`${where} → "AWS": ${quote(p)} is not an account id, an IAM or STS ARN, or a unique id.`);
        continue;
      }
      out[k as PrincipalType].push(p);
    }
  }
  if (problems.length > before) {
    return undefined;
  }
  return { everyone, ...out };
}

function readConditions(v: unknown, where: string, problems: string[]): Condition[] {
  if (!isObject(v)) {
    problems.push(`${where} must be a map of condition operators.`);
    return [];
  }
  const out: Condition[] = [];
  for (const [op, block] of Object.entries(v)) {
    if (!parseOperator(op)) {
      problems.push(`${where} has an operator "${op}" that IAM does not have, so what it requires is not known.`);
      continue;
    }
    if (!isObject(block)) {
      problems.push(`${where} → "${op}" must be a map of condition keys to values.`);
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      if (key === '') {
        problems.push(`${where} → "${op}" has an empty condition key.`);
        continue;
      }
      const items = Array.isArray(raw) ? raw : [raw];
      if (items.length === 0 || !items.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) {
        problems.push(`${where} → "${op}" → "${key}" must be a string, number or boolean, or a non-empty list of them.`);
        continue;
      }
      out.push({ operator: op, key, values: items.map((x) => String(x)) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Principals and patterns

/** The account of an AWS principal (a 12-digit id, or an IAM / STS ARN), or undefined. */
export function accountOf(p: string): string | undefined {
  if (ACCOUNT_ID.test(p)) {
    return p;
  }
  const m = /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(p);
  return m?.[1];
}

/** An account's root: a bare 12-digit id or `arn:PARTITION:iam::ID:root` (both mean every principal of that account). */
export function isAccountRoot(p: string): boolean {
  return ACCOUNT_ID.test(p) || /^arn:[a-z-]+:iam::\d{12}:root$/.test(p);
}

/** The form IAM stores an AWS principal in: a bare account id becomes its root ARN. */
export function normalizeAws(p: string, partition = 'aws'): string {
  return ACCOUNT_ID.test(p) ? `arn:${partition}:iam::${p}:root` : p;
}

/** A partition-free token for comparing AWS principals: `root:ID` for an account, the ARN otherwise. */
export function awsToken(p: string): string {
  return isAccountRoot(p) ? `root:${accountOf(p) ?? p}` : p;
}

/** Whether an AWS principal entry covers a principal: the same one, or the root of its account. */
export function awsCovers(entry: string, principal: string): boolean {
  if (awsToken(entry) === awsToken(principal)) {
    return true;
  }
  return isAccountRoot(entry) && accountOf(entry) !== undefined && accountOf(entry) === accountOf(principal);
}

/** IAM wildcard match: `*` any run of characters, `?` one character. Linear, no backtracking blow-up. */
export function wildcardMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') {
    pi++;
  }
  return pi === p.length;
}

/** Whether an action pattern matches an action (IAM actions are case-insensitive). */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, true);
}

/**
 * Whether every action (or resource) a pattern `inner` can match, `outer` matches too. Exact for a
 * literal `inner`; for a wildcard `inner` it answers yes only when that is certain (outer `*`, the same
 * pattern, or a prefix followed by `*` that covers inner's literal start).
 */
export function patternCovers(outer: string, inner: string, ignoreCase: boolean): boolean {
  const o = ignoreCase ? outer.toLowerCase() : outer;
  const i = ignoreCase ? inner.toLowerCase() : inner;
  if (!/[*?]/.test(i)) {
    return wildcardMatch(o, i);
  }
  if (o === i || o === '*') {
    return true;
  }
  const m = /^([^*?]*)\*$/.exec(o);
  if (m) {
    const lit = /^[^*?]*/.exec(i)?.[0] ?? '';
    return lit.startsWith(m[1]);
  }
  return false;
}

/** Whether two patterns may match a common string (conservative: yes unless their literal starts differ). */
export function patternsOverlap(a: string, b: string, ignoreCase: boolean): boolean {
  const x = ignoreCase ? a.toLowerCase() : a;
  const y = ignoreCase ? b.toLowerCase() : b;
  if (!/[*?]/.test(x)) {
    return wildcardMatch(y, x);
  }
  if (!/[*?]/.test(y)) {
    return wildcardMatch(x, y);
  }
  const px = /^[^*?]*/.exec(x)?.[0] ?? '';
  const py = /^[^*?]*/.exec(y)?.[0] ?? '';
  return px.startsWith(py) || py.startsWith(px);
}

// ---------------------------------------------------------------------------------------------------------------
// Deciding one request

/** A request as IAM sees it when it evaluates one policy. */
export interface Request {
  /** Who asks: a principal of a type, or `self` (the identity an identity policy is attached to). */
  readonly principal: { readonly type: PrincipalType; readonly id: string } | 'self';
  readonly action: string;
  /** The resource; undefined for a role's trust policy (the role itself). */
  readonly resource?: string;
  /** Context keys (lower case) and their values; a missing key is absent from the request. */
  readonly context: Readonly<Record<string, readonly string[]>>;
}

function principalInSet(set: PrincipalSet, p: { type: PrincipalType; id: string }): boolean {
  if (set.everyone) {
    return true;
  }
  if (p.type === 'AWS') {
    return set.AWS.some((e) => awsCovers(e, p.id));
  }
  return set[p.type].includes(p.id);
}

function statementApplies(s: Statement, r: Request): boolean {
  if (r.principal === 'self') {
    if (s.principal || s.notPrincipal) {
      return false;
    }
  } else {
    const who = r.principal;
    if (s.principal ? !principalInSet(s.principal, who) : s.notPrincipal ? principalInSet(s.notPrincipal, who) : true) {
      return false;
    }
    if (!s.principal && !s.notPrincipal) {
      return false;
    }
  }
  if (s.action ? !s.action.some((a) => actionMatches(a, r.action)) : (s.notAction ?? []).some((a) => actionMatches(a, r.action))) {
    return false;
  }
  if (r.resource !== undefined) {
    if (s.resource ? !s.resource.some((x) => wildcardMatch(x, r.resource ?? '')) : (s.notResource ?? []).some((x) => wildcardMatch(x, r.resource ?? ''))) {
      return false;
    }
  }
  return s.conditions.every((c) => conditionHolds(c, r.context));
}

/** IAM's decision for one policy: an explicit Deny wins, then an Allow, else not allowed. */
export function decide(policy: Policy, r: Request): 'allow' | 'deny' | 'none' {
  let allowed = false;
  for (const s of policy.statements) {
    if (statementApplies(s, r)) {
      if (s.effect === 'Deny') {
        return 'deny';
      }
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'none';
}

/** Whether one condition holds for a request context (IAM's rules for missing keys, IfExists and set operators). */
export function conditionHolds(c: Condition, context: Readonly<Record<string, readonly string[]>>): boolean {
  const op = parseOperator(c.operator);
  if (!op) {
    return false;
  }
  // Own keys only: a condition key such as "constructor" or "__proto__" is absent from the request, not Object's.
  const key = c.key.toLowerCase();
  const values = Object.prototype.hasOwnProperty.call(context, key) ? context[key] : undefined;
  if (op.base === 'Null') {
    const absent = values === undefined || values.length === 0;
    return c.values.some((v) => (v.toLowerCase() === 'true' ? absent : !absent));
  }
  const negated = isNegated(op.base);
  if (values === undefined || values.length === 0) {
    if (op.ifExists) {
      return true;
    }
    if (op.prefix === 'ForAllValues') {
      return true;
    }
    if (op.prefix === 'ForAnyValue') {
      return false;
    }
    return negated;
  }
  const one = (v: string): boolean => {
    const hit = c.values.some((p) => matchOne(op.base, p, v));
    return negated ? !hit : hit;
  };
  return op.prefix === 'ForAllValues' ? values.every(one) : values.some(one);
}

function matchOne(base: string, policyValue: string, v: string): boolean {
  switch (base.replace('Not', '')) {
    case 'StringEquals':
      return policyValue === v;
    case 'StringEqualsIgnoreCase':
      return policyValue.toLowerCase() === v.toLowerCase();
    case 'StringLike':
      return wildcardMatch(policyValue, v);
    case 'ArnEquals':
    case 'ArnLike':
      return wildcardMatch(policyValue, v);
    case 'Bool':
      return policyValue.toLowerCase() === v.toLowerCase();
    case 'BinaryEquals':
      return policyValue === v;
    case 'NumericEquals':
      return Number(v) === Number(policyValue);
    case 'NumericLessThan':
      return Number(v) < Number(policyValue);
    case 'NumericLessThanEquals':
      return Number(v) <= Number(policyValue);
    case 'NumericGreaterThan':
      return Number(v) > Number(policyValue);
    case 'NumericGreaterThanEquals':
      return Number(v) >= Number(policyValue);
    case 'DateEquals':
      return dateOf(v) === dateOf(policyValue);
    case 'DateLessThan':
      return dateOf(v) < dateOf(policyValue);
    case 'DateLessThanEquals':
      return dateOf(v) <= dateOf(policyValue);
    case 'DateGreaterThan':
      return dateOf(v) > dateOf(policyValue);
    case 'DateGreaterThanEquals':
      return dateOf(v) >= dateOf(policyValue);
    case 'IpAddress':
      return ipInCidr(v, policyValue);
    default:
      return false;
  }
}

function dateOf(s: string): number {
  return /^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s);
}

function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) {
    return undefined;
  }
  const parts = m.slice(1).map(Number);
  return parts.some((p) => p > 255) ? undefined : ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function ipInCidr(ip: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const a = ipv4(ip);
  const b = ipv4(net);
  if (a === undefined || b === undefined) {
    return ip.toLowerCase() === cidr.toLowerCase();
  }
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!(bits >= 0 && bits <= 32)) {
    return false;
  }
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (a & mask) === (b & mask);
}
