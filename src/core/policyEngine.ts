/**
 * The policy engine: ONE merge over the IAM policy grammar, for every document that decides who may
 * do what — a role's trust policy, a role's permissions, a resource policy on a phone number — and
 * one comparison that says, in words, what a change from one document to another does.
 *
 * ## API
 *
 * - `readPolicy(text)` (from policyGrammar.ts, re-exported) reads a document as IAM returns it
 *   (URL-encoded, a leading newline or byte-order mark is fine) in the whole grammar: `Version`
 *   2012-10-17 / 2008-10-17 / absent; `Statement` as an object or a list; `Sid` missing or repeated;
 *   `Effect`; `Principal` / `NotPrincipal` as `"*"` or a map of AWS / Service / Federated /
 *   CanonicalUser (each a string or a list; a bare 12-digit account id is that account's root; a unique
 *   id such as `AROA…` of a deleted principal is kept as it is); `Action` / `NotAction` (IAM wildcards,
 *   case-insensitive); `Resource` / `NotResource`; any `Condition` (every operator, `IfExists`,
 *   `ForAllValues:` / `ForAnyValue:`, values as a string, number, boolean or list). Whatever it cannot
 *   read completely — unknown elements, wrong types, repeated keys, unknown operators, non-JSON — it
 *   refuses with every reason. It never reads an unreadable document as an empty one.
 *
 * - `mergeGrants(current, grants, options)` proposes the smallest change to `current` (the document's
 *   text, or undefined when there is none yet) that makes every `Grant` hold. A grant is what a feature
 *   needs: `{ sid, principals?: { AWS?, Service?, Federated?, CanonicalUser? }, actions, resources?,
 *   conditions? }` (no principals: an identity policy; no resources: a role's trust policy; actions and
 *   resources are literal, without wildcards). It only adds:
 *   - every existing statement keeps its meaning exactly (nothing is removed, reordered in meaning, or
 *     rewritten; a single statement object becomes a one-element list only when one is added; when
 *     something is added to a document without `Version` 2012-10-17 and without policy variables, the
 *     version is set, since IAM refuses to store an update without it and nothing reads differently);
 *   - a principal is "already allowed" when an existing Allow covers it, every action and resource of
 *     the grant, with conditions that the grant's own conditions imply (then, whenever the grant would
 *     allow a request, that statement already does);
 *   - a principal that an unconditional Deny refuses is not added (the grant would not take effect, and
 *     would silently start to when someone removes the Deny); a conditional Deny is named in a note;
 *   - missing principals go into the statement with the grant's Sid when that statement means exactly
 *     the grant (Allow, same actions, resources, conditions and principal types); otherwise a new
 *     statement with an unused Sid (`Sid`, `Sid2`, `Sid3`…) is added and the existing one left alone;
 *   - merging the result again changes nothing.
 *   It returns either `{ ok: true, document, text, changed, changes, risks, notes }` — the proposed
 *   document (and its text), what it adds or found already there in words (`changes`), every removal or
 *   widening in words (`risks`, from `comparePolicies(current, proposed)`: a merge can widen, e.g. when a
 *   principal is trusted today only under a condition the grant does not have), and `notes` (e.g. a
 *   Deny that keeps a principal out) — or `{ ok: false, current, problems, statement, statementText }`
 *   when `current` cannot be read: the document as it is, what could not be read, and the statement(s)
 *   to add by hand.
 *
 * - `comparePolicies(before, after, options)` says what changing `before` into `after` does:
 *   `changes` (principals or actions added, statements kept) and `risks` — each removal or widening as
 *   its own sentence: a principal no longer allowed, a condition removed or added, a Deny turned into an
 *   Allow or dropped, `"*"` or an account root replacing a narrower principal, a new grant for a
 *   principal allowed today only under a condition. A comparison with no risks guarantees: every
 *   request `before` allowed, `after` allows; every request `before` denied, `after` denies; and a
 *   request only `after` allows comes from a principal `before` allowed in no form. The command that
 *   applies a document (the merge's proposal or the user's edit of it) compares it with the current one
 *   this way and asks for each risk separately.
 *
 * - `grantStatement(grant, partition)` is the statement a grant adds to a fresh document.
 *
 * Pure: no `vscode`, no AWS SDK.
 */
import {
  accountOf,
  awsCovers,
  awsToken,
  isAccountRoot,
  isNegated,
  normalizeAws,
  parseOperator,
  patternCovers,
  patternsOverlap,
  PRINCIPAL_TYPES,
  quote,
  readPolicy,
  readPolicyJson,
  wildcardMatch,
  type Condition,
  type Policy,
  type PrincipalSet,
  type PrincipalType,
  type Statement,
} from './policyGrammar';

export { readPolicy, readPolicyJson, decide, PRINCIPAL_TYPES } from './policyGrammar';
export type { Condition, Policy, PolicyRead, PrincipalSet, PrincipalType, Request, Statement } from './policyGrammar';

/** What a feature needs a policy to allow. */
export interface Grant {
  readonly sid: string;
  /** Who (trust and resource policies); undefined for an identity policy (the identity it is attached to). */
  readonly principals?: { readonly [T in PrincipalType]?: readonly string[] };
  /** Literal actions, e.g. `sts:AssumeRole`. */
  readonly actions: readonly string[];
  /** Literal resources; undefined for a role's trust policy (it has no Resource). */
  readonly resources?: readonly string[];
  /** As written in a policy: `{ StringEquals: { 'sts:ExternalId': 'x' } }`. */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface EngineOptions {
  /** Partition for account ids given as 12 digits (default `aws`). */
  readonly partition?: string;
  /** How to name the identity of an identity policy in words (default "the role"). */
  readonly self?: string;
}

/** Something a change adds, or finds already there — in words. */
export interface Change {
  readonly kind: 'added' | 'already' | 'denied';
  /** The principal it is about (an account id for an account's root); for an identity policy, the action. */
  readonly subject: string;
  readonly text: string;
}

/** A removal or widening — each needs the user's own confirmation. */
export interface Risk {
  readonly kind: 'removed' | 'widened' | 'deny-weakened' | 'changed';
  readonly text: string;
}

export type MergeResult =
  | {
      readonly ok: true;
      readonly document: Record<string, unknown>;
      readonly text: string;
      /** False when the proposal means exactly the current document (and there was one). */
      readonly changed: boolean;
      readonly changes: readonly Change[];
      readonly risks: readonly Risk[];
      readonly notes: readonly string[];
    }
  | {
      readonly ok: false;
      /** The current document as it is. */
      readonly current: string;
      readonly problems: readonly string[];
      /** What to add by hand: one statement, or a list when there are several grants. */
      readonly statement: Record<string, unknown> | Record<string, unknown>[];
      readonly statementText: string;
    };

/** Pretty JSON as IAM and the AWS CLI accept it, ending in a newline. */
export function documentText(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

type Entry = { readonly type: PrincipalType; readonly id: string } | 'self';

function grantEntries(g: Grant, partition: string): Entry[] {
  if (!g.principals) {
    return ['self'];
  }
  const out: Entry[] = [];
  for (const t of PRINCIPAL_TYPES) {
    for (const p of g.principals[t] ?? []) {
      const id = t === 'AWS' ? normalizeAws(p, partition) : p;
      if (!out.some((e) => e !== 'self' && e.type === t && e.id === id)) {
        out.push({ type: t, id });
      }
    }
  }
  return out;
}

function grantConditions(g: Grant): Condition[] {
  const out: Condition[] = [];
  for (const [operator, block] of Object.entries(g.conditions ?? {})) {
    for (const [key, v] of Object.entries(block)) {
      out.push({ operator, key, values: typeof v === 'string' ? [v] : [...v] });
    }
  }
  return out;
}

const one = <T>(xs: readonly T[]): T | T[] => (xs.length === 1 ? xs[0] : [...xs]);

/** The statement a grant adds when nothing of it is there yet. */
export function grantStatement(g: Grant, partition = 'aws', entries?: readonly Entry[]): Record<string, unknown> {
  const st: Record<string, unknown> = { Sid: g.sid, Effect: 'Allow' };
  const who = (entries ?? grantEntries(g, partition)).filter((e): e is Exclude<Entry, 'self'> => e !== 'self');
  if (g.principals) {
    const principal: Record<string, unknown> = {};
    for (const t of PRINCIPAL_TYPES) {
      const ids = who.filter((e) => e.type === t).map((e) => e.id);
      if (ids.length) {
        principal[t] = one(ids);
      }
    }
    st['Principal'] = principal;
  }
  st['Action'] = one(g.actions);
  if (g.resources) {
    st['Resource'] = one(g.resources);
  }
  if (g.conditions && Object.keys(g.conditions).length) {
    st['Condition'] = JSON.parse(JSON.stringify(g.conditions)) as unknown;
  }
  return st;
}

// ---------------------------------------------------------------------------------------------------------------
// Coverage: whether an existing statement already does what a grant needs

function setCoversEntry(set: PrincipalSet | undefined, notSet: PrincipalSet | undefined, e: Entry): boolean {
  if (e === 'self') {
    return !set && !notSet;
  }
  if (set) {
    if (set.everyone) {
      return true;
    }
    return e.type === 'AWS' ? set.AWS.some((x) => awsCovers(x, e.id)) : set[e.type].includes(e.id);
  }
  if (notSet) {
    // Everyone except the listed: covers e entirely only if nothing listed could be e or inside it.
    if (notSet.everyone) {
      return false;
    }
    return e.type === 'AWS' ? !notSet.AWS.some((x) => awsCovers(x, e.id) || awsCovers(e.id, x)) : !notSet[e.type].includes(e.id);
  }
  return false;
}

/** Whether a statement's principals may match some principal inside `e` (e itself, or one of its account). */
function setOverlapsEntry(s: Statement, e: Entry): boolean {
  if (e === 'self') {
    return !s.principal && !s.notPrincipal;
  }
  if (s.principal) {
    if (s.principal.everyone) {
      return true;
    }
    return e.type === 'AWS' ? s.principal.AWS.some((x) => awsCovers(x, e.id) || awsCovers(e.id, x)) : s.principal[e.type].includes(e.id);
  }
  if (s.notPrincipal) {
    return !setCoversEntry(s.notPrincipal, undefined, e);
  }
  return false;
}

function actionsCover(s: Statement, actions: readonly string[]): boolean {
  return actions.every((a) => (s.action ? s.action.some((p) => patternCovers(p, a, true)) : !(s.notAction ?? []).some((p) => patternsOverlap(p, a, true))));
}

function actionsOverlap(s: Statement, actions: readonly string[]): boolean {
  return actions.some((a) => (s.action ? s.action.some((p) => patternsOverlap(p, a, true)) : !(s.notAction ?? []).some((p) => patternCovers(p, a, true))));
}

function resourcesCover(s: Statement, resources: readonly string[] | undefined): boolean {
  if (resources === undefined) {
    // A trust policy: the statement must not narrow to some resource.
    return s.resource === undefined ? s.notResource === undefined : s.resource.includes('*');
  }
  return resources.every((r) => (s.resource ? s.resource.some((p) => patternCovers(p, r, false)) : s.notResource ? !s.notResource.some((p) => patternsOverlap(p, r, false)) : false));
}

function resourcesOverlap(s: Statement, resources: readonly string[] | undefined): boolean {
  if (resources === undefined || (!s.resource && !s.notResource)) {
    return true;
  }
  return resources.some((r) => (s.resource ? s.resource.some((p) => patternsOverlap(p, r, false)) : !(s.notResource ?? []).some((p) => patternCovers(p, r, false))));
}

const sameKey = (a: Condition, b: Condition): boolean => a.key.toLowerCase() === b.key.toLowerCase();

/**
 * Whether the conditions `given` imply condition `needed`: whenever every one of `given` holds, so does
 * `needed`. Decided per key, and only where it is certain: the same operator (or the `IfExists` form
 * of it) with values that make `needed` no stricter.
 */
function implies(given: readonly Condition[], needed: Condition): boolean {
  const n = parseOperator(needed.operator);
  if (!n) {
    return false;
  }
  return given.some((g) => {
    if (!sameKey(g, needed)) {
      return false;
    }
    const o = parseOperator(g.operator);
    if (!o) {
      return false;
    }
    // The key equals one of a few strings (StringEquals, no set prefix, not IfExists): each of them must
    // satisfy the needed condition, whatever its string operator (StringLike patterns, NotEquals, IgnoreCase).
    if (o.base === 'StringEquals' && !o.prefix && !o.ifExists && !n.prefix && /^String/.test(n.base)) {
      const ok = (v: string): boolean => {
        const hit = needed.values.some((p) => (/Like/.test(n.base) ? wildcardMatch(p, v) : /IgnoreCase/.test(n.base) ? p.toLowerCase() === v.toLowerCase() : p === v));
        return isNegated(n.base) ? !hit : hit;
      };
      if (g.values.every(ok)) {
        return true;
      }
    }
    if (o.prefix !== n.prefix || o.base !== n.base) {
      return false;
    }
    if (o.ifExists && !n.ifExists) {
      return false; // the given one also holds when the key is missing; the needed one may not
    }
    const gv = new Set(g.values.map((v) => (/IgnoreCase/.test(o.base) ? v.toLowerCase() : v)));
    const nv = new Set(needed.values.map((v) => (/IgnoreCase/.test(o.base) ? v.toLowerCase() : v)));
    const subset = (a: Set<string>, b: Set<string>): boolean => [...a].every((x) => b.has(x));
    if (n.prefix === undefined && /^(String(Equals|EqualsIgnoreCase|Like)|Arn(Equals|Like)|Bool|BinaryEquals|IpAddress|NumericEquals|DateEquals)$/.test(o.base)) {
      return subset(gv, nv); // the value is one of given's, so one of needed's
    }
    if (n.prefix === undefined && isNegated(o.base) && o.base !== 'Null') {
      return subset(nv, gv); // the value is none of given's, so none of needed's
    }
    return subset(gv, nv) && subset(nv, gv);
  });
}

function conditionsImplied(given: readonly Condition[], needed: readonly Condition[]): boolean {
  return needed.every((c) => implies(given, c));
}

// ---------------------------------------------------------------------------------------------------------------
// Words

function sidWords(s: Statement): string {
  return s.sid ? `statement ${quote(s.sid)}` : `statement ${s.index + 1} (no Sid)`;
}

function entryWords(e: Entry, opts: EngineOptions): string {
  if (e === 'self') {
    return opts.self ?? 'the role';
  }
  switch (e.type) {
    case 'AWS':
      if (isAccountRoot(e.id)) {
        return `account ${accountOf(e.id)}`;
      }
      return /^A[A-Z]{3}[A-Z0-9]+$/.test(e.id) ? `a deleted principal (unique id ${e.id})` : e.id;
    case 'Service':
      return `the service ${e.id}`;
    case 'Federated':
      return `the identity provider ${e.id}`;
    case 'CanonicalUser':
      return `the canonical user ${e.id}`;
  }
}

function setWords(set: PrincipalSet, opts: EngineOptions): string[] {
  const out: string[] = set.everyone ? ['every principal ("*")'] : [];
  for (const t of PRINCIPAL_TYPES) {
    for (const id of set[t]) {
      out.push(entryWords({ type: t, id }, opts));
    }
  }
  return out;
}

function whoWords(s: Statement, opts: EngineOptions): string {
  if (s.principal) {
    return list(setWords(s.principal, opts));
  }
  if (s.notPrincipal) {
    return `every principal except ${list(setWords(s.notPrincipal, opts))}`;
  }
  return opts.self ?? 'the role';
}

function list(items: readonly string[]): string {
  if (items.length <= 1) {
    return items[0] ?? 'nobody';
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function actionWords(s: Statement): string {
  return s.action ? s.action.join(', ') : `every action except ${(s.notAction ?? []).join(', ')}`;
}

function resourceWords(s: Statement): string {
  if (s.resource) {
    return s.resource.length === 1 && s.resource[0] === '*' ? '' : ` on ${s.resource.join(', ')}`;
  }
  return s.notResource ? ` on every resource except ${s.notResource.join(', ')}` : '';
}

export function conditionWords(c: Condition): string {
  return `${c.operator} ${c.key} ${c.values.length === 1 ? quote(c.values[0]) : `one of ${c.values.map(quote).join(', ')}`}`;
}

function conditionsWords(cs: readonly Condition[]): string {
  return cs.length === 0 ? 'without conditions' : `only when ${cs.map(conditionWords).join(' and ')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Canonical forms: what a statement means, independent of how it is written

function canonSet(set: PrincipalSet | undefined): unknown {
  if (!set) {
    return null;
  }
  return {
    everyone: set.everyone,
    AWS: [...new Set(set.AWS.map(awsToken))].sort(),
    Service: [...new Set(set.Service)].sort(),
    Federated: [...new Set(set.Federated)].sort(),
    CanonicalUser: [...new Set(set.CanonicalUser)].sort(),
  };
}

const canonList = (xs: readonly string[] | undefined, lower: boolean): string[] | null => (xs ? [...new Set(xs.map((x) => (lower ? x.toLowerCase() : x)))].sort() : null);

function canonConditions(cs: readonly Condition[]): string[] {
  return [...new Set(cs.map((c) => JSON.stringify([c.operator, c.key.toLowerCase(), [...new Set(c.values)].sort()])))].sort();
}

/** Everything a statement means except its principals and actions (what a "grown" statement keeps). */
function restKey(s: Statement): string {
  return JSON.stringify([s.effect, canonSet(s.notPrincipal), canonList(s.notAction, true), canonList(s.resource, false), canonList(s.notResource, false), canonConditions(s.conditions), s.principal ? 'P' : 'noP', s.action ? 'A' : 'noA']);
}

function meaningKey(s: Statement): string {
  return JSON.stringify([restKey(s), canonSet(s.principal), canonList(s.action, true)]);
}

function entriesOf(set: PrincipalSet | undefined): Entry[] {
  if (!set) {
    return ['self'];
  }
  const out: Entry[] = [];
  for (const t of PRINCIPAL_TYPES) {
    for (const id of set[t]) {
      if (!out.some((e) => e !== 'self' && e.type === t && (t === 'AWS' ? awsToken(e.id) === awsToken(id) : e.id === id))) {
        out.push({ type: t, id });
      }
    }
  }
  return out;
}

/** Whether a Principal element (undefined: no Principal, the identity itself) names everything `e` names. */
function coversEntry(set: PrincipalSet | undefined, e: Entry): boolean {
  return e === 'self' ? set === undefined : set !== undefined && setCoversEntry(set, undefined, e);
}

function principalsCovered(inner: PrincipalSet | undefined, outer: PrincipalSet | undefined): boolean {
  if (inner?.everyone) {
    return Boolean(outer?.everyone);
  }
  return entriesOf(inner).every((e) => coversEntry(outer, e));
}

function actionsCovered(inner: readonly string[], outer: readonly string[]): boolean {
  return inner.every((x) => outer.some((y) => patternCovers(y, x, true)));
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison

export interface Comparison {
  readonly changes: readonly Change[];
  readonly risks: readonly Risk[];
}

/**
 * What changing `before` into `after` does (see the module comment). `before` undefined: there was no
 * document, so everything in `after` is added (the only risks then are `"*"` and the like).
 */
export function comparePolicies(before: Policy | undefined, after: Policy, opts: EngineOptions = {}): Comparison {
  const changes: Change[] = [];
  const risks: Risk[] = [];
  const old = before?.statements ?? [];
  const now = after.statements;

  // 1. Statements that mean exactly the same on both sides (however they are written).
  const byKey = new Map<string, number[]>();
  old.forEach((s, i) => byKey.set(meaningKey(s), [...(byKey.get(meaningKey(s)) ?? []), i]));
  const oldLeft = new Set(old.map((_, i) => i));
  const nowLeft: number[] = [];
  now.forEach((s, i) => {
    const hit = byKey.get(meaningKey(s));
    if (hit && hit.length) {
      oldLeft.delete(hit.shift() as number);
    } else {
      nowLeft.push(i);
    }
  });

  // 2. Allow statements that only grew (more principals or actions, all else the same).
  const added: { st: Statement; entries: Entry[]; actions: readonly string[] | undefined }[] = [];
  const paired = new Set<number>();
  // "Grew": everything the old statement allowed, the new one still allows (its principals and actions
  // cover the old ones), and all else is the same. What it allows beyond that is sorted in step 5.
  const grows = (b: Statement, a: Statement): boolean =>
    b.effect === 'Allow' &&
    a.effect === 'Allow' &&
    restKey(a) === restKey(b) &&
    principalsCovered(b.principal, a.principal) &&
    actionsCovered(b.action ?? [], a.action ?? []);
  const pick = (b: Statement, ok: (a: Statement) => boolean): number | undefined => {
    const candidates = nowLeft.filter((i) => !paired.has(i) && ok(now[i]));
    return (
      candidates.find((i) => now[i].sid !== undefined && now[i].sid === b.sid) ??
      candidates.find((i) => now[i].index === b.index) ??
      candidates[0]
    );
  };
  for (const bi of [...oldLeft]) {
    const b = old[bi];
    const ai = pick(b, (a) => grows(b, a));
    if (ai !== undefined) {
      const a = now[ai];
      paired.add(ai);
      oldLeft.delete(bi);
      const newEntries = entriesOf(a.principal).filter((e) => !coversEntry(b.principal, e));
      const newActions = (a.action ?? []).filter((x) => !(b.action ?? []).some((y) => patternCovers(y, x, true)));
      if (newEntries.length || a.principal?.everyone !== b.principal?.everyone) {
        added.push({ st: a, entries: newEntries, actions: undefined });
      }
      if (newActions.length) {
        added.push({ st: a, entries: entriesOf(b.principal), actions: newActions });
      }
      if (a.principal?.everyone && !b.principal?.everyone) {
        risks.push({ kind: 'widened', text: `${cap(sidWords(a))} would allow every principal ("*") to call ${actionWords(a)}${resourceWords(a)}, ${conditionsWords(a.conditions)}.` });
      }
    }
  }

  // 3. Statements changed in place (same Sid, or same position): each difference in words.
  for (const bi of [...oldLeft]) {
    const b = old[bi];
    const ai = pick(b, (a) => (b.sid !== undefined ? a.sid === b.sid : a.sid === undefined && a.index === b.index));
    if (ai === undefined) {
      continue;
    }
    paired.add(ai);
    oldLeft.delete(bi);
    const a = now[ai];
    const before = risks.length;
    describeChange(b, a, opts, risks, added);
    if (risks.length === before && !added.some((x) => x.st === a)) {
      risks.push({ kind: 'changed', text: `${cap(sidWords(b))} would change: ${statementWords(b, opts)} would become: ${statementWords(a, opts)}.` });
    }
  }

  // 4. Statements gone, and statements new.
  for (const bi of oldLeft) {
    const b = old[bi];
    risks.push({
      kind: b.effect === 'Allow' ? 'removed' : 'deny-weakened',
      text:
        b.effect === 'Allow'
          ? `${cap(sidWords(b))} would be removed: ${whoWords(b, opts)} would no longer be allowed to call ${actionWords(b)}${resourceWords(b)} through it (it allows that ${conditionsWords(b.conditions)}).`
          : `${cap(sidWords(b))} (a Deny) would be removed: ${whoWords(b, opts)} would no longer be denied ${actionWords(b)}${resourceWords(b)} by it.`,
    });
  }
  for (const ai of nowLeft.filter((i) => !paired.has(i))) {
    const a = now[ai];
    if (a.effect === 'Deny') {
      risks.push({ kind: 'removed', text: `A new Deny, ${sidWords(a)}, would deny ${whoWords(a, opts)} ${actionWords(a)}${resourceWords(a)} ${conditionsWords(a.conditions).replace('without conditions', 'always')}.` });
      continue;
    }
    added.push({ st: a, entries: entriesOf(a.principal), actions: undefined });
    if (a.principal?.everyone) {
      risks.push({ kind: 'widened', text: `${cap(sidWords(a))} would allow every principal ("*") to call ${actionWords(a)}${resourceWords(a)}, ${conditionsWords(a.conditions)}.` });
    }
  }

  // 5. Each added principal (or action): already allowed, a plain addition, or a widening.
  for (const x of added) {
    classify(x.st, x.entries, x.actions, old, opts, changes, risks);
  }
  if (before && before.version !== after.version) {
    const from = before.version ?? 'none (read as 2008-10-17)';
    const to = after.version ?? 'none (read as 2008-10-17)';
    if (JSON.stringify(after.json).includes('${')) {
      risks.push({ kind: 'changed', text: `"Version" would change from ${from} to ${to}: policy variables such as \${aws:username} would be read differently.` });
    } else {
      changes.push({ kind: 'added', subject: 'Version', text: `"Version" would change from ${from} to ${to} (the document has no policy variables, so its meaning stays).` });
    }
  }
  return { changes, risks };
}

/** Capitalises a sentence's first word, but never an ARN or a name. */
function cap(s: string): string {
  return /^(account|statement|the|every|a|an)\b/.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

function statementWords(s: Statement, opts: EngineOptions): string {
  return `${s.effect} ${whoWords(s, opts)} ${actionWords(s)}${resourceWords(s)} ${conditionsWords(s.conditions)}`;
}

/** The differences between two forms of one statement, each a risk (or an addition to classify). */
function describeChange(b: Statement, a: Statement, opts: EngineOptions, risks: Risk[], added: { st: Statement; entries: Entry[]; actions: readonly string[] | undefined }[]): void {
  const name = cap(sidWords(b));
  if (b.effect !== a.effect) {
    risks.push(
      b.effect === 'Deny'
        ? { kind: 'deny-weakened', text: `${name} would turn from a Deny into an Allow: ${whoWords(b, opts)} would no longer be denied ${actionWords(b)}${resourceWords(b)}, and ${whoWords(a, opts)} would be allowed it ${conditionsWords(a.conditions)}.` }
        : { kind: 'removed', text: `${name} would turn from an Allow into a Deny: ${whoWords(a, opts)} would be denied ${actionWords(a)}${resourceWords(a)}.` },
    );
    return;
  }
  const allow = b.effect === 'Allow';
  const oldEntries = entriesOf(b.principal);
  const newEntries = entriesOf(a.principal);
  if (b.principal?.everyone && !a.principal?.everyone) {
    risks.push(allow ? { kind: 'removed', text: `${name} would no longer allow every principal ("*").` } : { kind: 'deny-weakened', text: `${name} would no longer deny every principal ("*").` });
  }
  if (!b.principal?.everyone && a.principal?.everyone) {
    risks.push(allow ? { kind: 'widened', text: `${name} would allow every principal ("*") to call ${actionWords(a)}, ${conditionsWords(a.conditions)}.` } : { kind: 'removed', text: `${name} would deny every principal ("*") ${actionWords(a)}.` });
  }
  for (const e of oldEntries.filter((e) => !coversEntry(a.principal, e))) {
    if (e === 'self') {
      continue;
    }
    risks.push(
      allow
        ? { kind: 'removed', text: `${cap(entryWords(e, opts))} would no longer be allowed to call ${actionWords(b)} by ${sidWords(b)}.` }
        : { kind: 'deny-weakened', text: `${cap(entryWords(e, opts))} would no longer be denied ${actionWords(b)} by ${sidWords(b)}.` },
    );
  }
  const gained = newEntries.filter((e) => !coversEntry(b.principal, e));
  if (gained.length) {
    if (allow) {
      added.push({ st: a, entries: gained, actions: undefined });
    } else {
      risks.push({ kind: 'removed', text: `${cap(list(gained.map((e) => entryWords(e, opts))))} would now be denied ${actionWords(a)} by ${sidWords(a)}.` });
    }
  }
  if (JSON.stringify(canonSet(b.notPrincipal)) !== JSON.stringify(canonSet(a.notPrincipal))) {
    risks.push({ kind: 'changed', text: `${name}: who it applies to would change from ${whoWords(b, opts)} to ${whoWords(a, opts)}.` });
  }
  const oc = canonConditions(b.conditions);
  const nc = canonConditions(a.conditions);
  for (const c of b.conditions.filter((c) => !nc.includes(canonConditions([c])[0]))) {
    risks.push(
      allow
        ? { kind: 'widened', text: `${name} would no longer require ${conditionWords(c)}: ${whoWords(a, opts)} could call ${actionWords(a)} without it.` }
        : { kind: 'removed', text: `${name} would deny ${whoWords(a, opts)} even when ${conditionWords(c)} does not hold.` },
    );
  }
  for (const c of a.conditions.filter((c) => !oc.includes(canonConditions([c])[0]))) {
    risks.push(
      allow
        ? { kind: 'removed', text: `${name} would allow ${whoWords(a, opts)} only when ${conditionWords(c)}.` }
        : { kind: 'deny-weakened', text: `${name} would deny ${whoWords(a, opts)} only when ${conditionWords(c)}.` },
    );
  }
  const lost = (b.action ?? []).filter((x) => !(a.action ?? []).some((y) => patternCovers(y, x, true)));
  const won = (a.action ?? []).filter((x) => !(b.action ?? []).some((y) => patternCovers(y, x, true)));
  if (b.action && a.action) {
    if (lost.length) {
      risks.push(allow ? { kind: 'removed', text: `${name} would no longer allow ${lost.join(', ')}.` } : { kind: 'deny-weakened', text: `${name} would no longer deny ${lost.join(', ')}.` });
    }
    if (won.length) {
      if (allow) {
        added.push({ st: a, entries: entriesOf(a.principal), actions: won });
      } else {
        risks.push({ kind: 'removed', text: `${name} would also deny ${won.join(', ')}.` });
      }
    }
  } else if (JSON.stringify(canonList(b.action, true)) !== JSON.stringify(canonList(a.action, true)) || JSON.stringify(canonList(b.notAction, true)) !== JSON.stringify(canonList(a.notAction, true))) {
    risks.push({ kind: 'changed', text: `${name}: its actions would change from ${actionWords(b)} to ${actionWords(a)}.` });
  }
  if (JSON.stringify([canonList(b.resource, false), canonList(b.notResource, false)]) !== JSON.stringify([canonList(a.resource, false), canonList(a.notResource, false)])) {
    risks.push({ kind: 'changed', text: `${name}: its resources would change from${resourceWords(b) || ' every resource'} to${resourceWords(a) || ' every resource'}.` });
  }
}

/** Sorts what a statement adds into: already allowed, a plain addition, or a widening. */
function classify(st: Statement, entries: readonly Entry[], actions: readonly string[] | undefined, old: readonly Statement[], opts: EngineOptions, changes: Change[], risks: Risk[]): void {
  const acts = actions ?? st.action;
  if (actions && st.principal?.everyone) {
    risks.push({ kind: 'widened', text: `${cap(sidWords(st))} would also allow every principal ("*") to call ${actions.join(', ')}${resourceWords(st)}, ${conditionsWords(st.conditions)}.` });
  }
  if (st.notPrincipal || st.notAction || st.notResource) {
    risks.push({ kind: 'widened', text: `${cap(sidWords(st))} would allow ${whoWords(st, opts)} to call ${actionWords(st)}${resourceWords(st)} ${conditionsWords(st.conditions)}.` });
    return;
  }
  for (const e of entries) {
    for (const a of acts ?? []) {
      const covering = old.find((b) => b.effect === 'Allow' && setCoversEntry(b.principal, b.notPrincipal, e) && actionsCover(b, [a]) && (st.resource ?? ['*']).every((r) => resourcesCover(b, st.resource ? [r] : undefined)) && conditionsImplied(st.conditions, b.conditions));
      if (covering) {
        changes.push({ kind: 'already', subject: e === 'self' ? a : subjectOf(e), text: `${cap(entryWords(e, opts))} is already allowed to call ${a} by ${sidWords(covering)}.` });
        continue;
      }
      const related = old.filter((b) => b.effect === 'Allow' && setOverlapsEntry(b, e) && actionsOverlap(b, [a]) && resourcesOverlap(b, st.resource));
      if (related.length === 0) {
        changes.push({ kind: 'added', subject: e === 'self' ? a : subjectOf(e), text: `${cap(entryWords(e, opts))} would be allowed to call ${a}${resourceWords(st)} ${conditionsWords(st.conditions)} (${sidWords(st)}).` });
        continue;
      }
      const narrower = e !== 'self' && e.type === 'AWS' && isAccountRoot(e.id) && related.every((b) => b.principal && !b.principal.everyone && !setCoversEntry(b.principal, undefined, e));
      if (narrower) {
        const names = related.flatMap((b) => (b.principal?.AWS ?? []).filter((x) => accountOf(x) === accountOf(e.id)));
        risks.push({
          kind: 'widened',
          text: `${cap(entryWords(e, opts))} (every principal in it) would be allowed to call ${a} ${conditionsWords(st.conditions)} (${sidWords(st)}); today only ${list([...new Set(names)])} of that account ${names.length === 1 ? 'is' : 'are'} (${related.map(sidWords).join(', ')}).`,
        });
        continue;
      }
      if (/[*?]/.test(a)) {
        risks.push({ kind: 'widened', text: `${cap(sidWords(st))} would allow ${entryWords(e, opts)} to call every action matching ${quote(a)}${resourceWords(st)} ${conditionsWords(st.conditions)}; today it may call only ${related.map((b) => `${actionWords(b)} (${sidWords(b)})`).join(' and ')}.` });
        continue;
      }
      risks.push({
        kind: 'widened',
        text: `${cap(entryWords(e, opts))} is allowed to call ${a} today ${related.map((b) => `${b.conditions.length ? conditionsWords(b.conditions) : 'only within narrower limits'} (${sidWords(b)})`).join(' or ')}; ${sidWords(st)} would allow it ${conditionsWords(st.conditions)}, so today's ${related.some((b) => b.conditions.length) ? 'condition' : 'limits'} would no longer decide.`,
      });
    }
  }
}

function subjectOf(e: Entry): string {
  return e === 'self' ? 'self' : e.type === 'AWS' && isAccountRoot(e.id) ? (accountOf(e.id) ?? e.id) : e.id;
}

// ---------------------------------------------------------------------------------------------------------------
// Merge

function conditionsEqual(a: readonly Condition[], b: readonly Condition[]): boolean {
  return JSON.stringify(canonConditions(a)) === JSON.stringify(canonConditions(b));
}

/** Whether a statement means exactly the grant apart from which principals it names (so it may gain more). */
function isOurs(s: Statement, g: Grant): boolean {
  if (s.sid === undefined || !(s.sid === g.sid || new RegExp(`^${g.sid.replace(/[^A-Za-z0-9]/g, '\\$&')}\\d+$`).test(s.sid))) {
    return false;
  }
  if (s.effect !== 'Allow' || s.notPrincipal || s.notAction || s.notResource || !s.action) {
    return false;
  }
  if (JSON.stringify(canonList(s.action, true)) !== JSON.stringify(canonList(g.actions, true))) {
    return false;
  }
  if (JSON.stringify(canonList(s.resource, false)) !== JSON.stringify(canonList(g.resources, false))) {
    return false;
  }
  if (!conditionsEqual(s.conditions, grantConditions(g))) {
    return false;
  }
  if (!g.principals) {
    return !s.principal;
  }
  if (!s.principal || s.principal.everyone) {
    return false;
  }
  const types = (set: { [T in PrincipalType]?: readonly string[] }) => PRINCIPAL_TYPES.filter((t) => (set[t] ?? []).length > 0).join(',');
  return types(s.principal) === types(g.principals);
}

function uniqueSid(statements: readonly Statement[], sid: string): string {
  const used = new Set(statements.map((s) => s.sid));
  if (!used.has(sid)) {
    return sid;
  }
  for (let n = 2; ; n++) {
    if (!used.has(`${sid}${n}`)) {
      return `${sid}${n}`;
    }
  }
}

/** Denies that keep (part of) an entry out of what a grant allows: `full` refuses all of it, always. */
function denials(policy: Policy, e: Entry, g: Grant): { full?: Statement; partial: Statement[] } {
  const partial: Statement[] = [];
  for (const s of policy.statements) {
    if (s.effect !== 'Deny' || !setOverlapsEntry(s, e) || !actionsOverlap(s, g.actions) || !resourcesOverlap(s, g.resources)) {
      continue;
    }
    if (s.conditions.length === 0 && setCoversEntry(s.principal, s.notPrincipal, e) && actionsCover(s, g.actions) && (g.resources ? resourcesCover(s, g.resources) : true)) {
      return { full: s, partial: [] };
    }
    partial.push(s);
  }
  return { partial };
}

/**
 * Proposes the smallest change to `current` that makes every grant hold; see the module comment.
 * `current` undefined: there is no document yet, and a fresh one is proposed.
 */
export function mergeGrants(current: string | undefined, grants: readonly Grant[], opts: EngineOptions = {}): MergeResult {
  const partition = opts.partition ?? 'aws';
  const read = current === undefined ? undefined : readPolicy(current);
  if (read && !read.ok) {
    const statements = grants.map((g) => grantStatement(g, partition));
    const statement = statements.length === 1 ? statements[0] : statements;
    return { ok: false, current: read.text, problems: read.problems, statement, statementText: documentText(statement) };
  }
  // A copy: `read.policy.json` stays the document as it is, for the comparison at the end.
  const doc = (read?.ok ? JSON.parse(JSON.stringify(read.policy.json)) : { Version: '2012-10-17', Statement: [] }) as Record<string, unknown>;
  const changes: Change[] = [];
  const notes: string[] = [];
  for (const g of grants) {
    const now = readPolicyJson(doc);
    if (!now.ok) {
      throw new Error(`the merge produced a document it cannot read: ${now.problems.join(' ')}`);
    }
    const policy = now.policy;
    const missing: Entry[] = [];
    for (const e of grantEntries(g, partition)) {
      const denied = denials(policy, e, g);
      if (denied.full) {
        const text = `${cap(entryWords(e, opts))} is denied ${g.actions.join(', ')} by ${sidWords(denied.full)} (a Deny without conditions), so it is not added: the grant would not take effect for it. Remove that Deny yourself if it should be allowed.`;
        notes.push(text);
        changes.push({ kind: 'denied', subject: subjectOf(e), text });
        continue;
      }
      for (const d of denied.partial) {
        notes.push(`${cap(sidWords(d))} (a Deny) still refuses ${d.principal || d.notPrincipal ? whoWords(d, opts) : entryWords(e, opts)} ${actionWords(d)} ${conditionsWords(d.conditions).replace('without conditions', 'always')}; the grant for ${entryWords(e, opts)} does not take effect there.`);
      }
      const covering = policy.statements.find(
        (s) => s.effect === 'Allow' && setCoversEntry(s.principal, s.notPrincipal, e) && actionsCover(s, g.actions) && resourcesCover(s, g.resources) && conditionsImplied(grantConditions(g), s.conditions),
      );
      if (covering) {
        changes.push({ kind: 'already', subject: subjectOf(e), text: `${cap(entryWords(e, opts))} is already allowed to call ${g.actions.join(', ')} by ${sidWords(covering)}${covering.conditions.length ? ` (${conditionsWords(covering.conditions)}, which the grant's own conditions include)` : ''}.` });
        continue;
      }
      missing.push(e);
    }
    if (missing.length === 0) {
      continue;
    }
    const list0 = doc['Statement'];
    const statements: unknown[] = Array.isArray(list0) ? list0 : list0 === undefined ? [] : [list0];
    doc['Statement'] = statements;
    const target = policy.statements.find((s) => isOurs(s, g));
    let sid: string;
    if (target) {
      sid = target.sid ?? g.sid;
      const json = statements[target.index] as Record<string, unknown>;
      const principal = json['Principal'] as Record<string, unknown>;
      for (const e of missing) {
        if (e === 'self') {
          continue;
        }
        const had = principal[e.type];
        principal[e.type] = [...(Array.isArray(had) ? (had as string[]) : typeof had === 'string' ? [had] : []), e.id];
      }
    } else {
      sid = uniqueSid(policy.statements, g.sid);
      statements.push(grantStatement({ ...g, sid }, partition, missing));
    }
    const taken = policy.statements.some((s) => s.sid === g.sid) && !target;
    for (const e of missing) {
      changes.push({
        kind: 'added',
        subject: e === 'self' ? g.actions.join(', ') : subjectOf(e),
        text: `${cap(entryWords(e, opts))} would be allowed to call ${g.actions.join(', ')}${g.resources ? ` on ${g.resources.join(', ')}` : ''} ${conditionsWords(grantConditions(g))} (statement ${quote(sid)}${taken ? `, new: the existing ${quote(g.sid)} means something else and is left as it is` : ''}).`,
      });
    }
  }
  // IAM refuses to store an updated document without Version 2012-10-17 ("Policy document must be version
  // 2012-10-17 or greater"). Without policy variables (${...}) the two versions read the same, so when the
  // merge writes anyway, it sets the version; with variables it leaves the document as it is.
  const adds = changes.some((c) => c.kind === 'added');
  let out = doc;
  if (adds && doc['Version'] !== '2012-10-17' && !JSON.stringify(doc).includes('${')) {
    const { Version: old, ...rest } = doc;
    out = { Version: '2012-10-17', ...rest };
    changes.push({ kind: 'added', subject: 'Version', text: `"Version": "2012-10-17" is set (it was ${old === undefined ? 'missing' : JSON.stringify(old)}): IAM stores an update only with it, and the document has no policy variables, so no statement reads differently.` });
  }
  const proposed = readPolicyJson(out);
  if (!proposed.ok) {
    throw new Error(`the merge produced a document it cannot read: ${proposed.problems.join(' ')}`);
  }
  const cmp = comparePolicies(read?.ok ? read.policy : undefined, proposed.policy, opts);
  const changed = !read?.ok || JSON.stringify(read.policy.json) !== JSON.stringify(out);
  return { ok: true, document: out, text: documentText(out), changed, changes, risks: cmp.risks, notes: [...new Set(notes)] };
}
