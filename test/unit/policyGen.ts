/**
 * A seeded generator of IAM trust and resource policies over the whole grammar the engine claims to
 * read, the grants a feature asks for, edits a user might make, and requests to decide. Each case is
 * built from (seed, index) alone, so any case replays on its own (see policyEngine.property.test.ts).
 */
import type { Grant } from '../../src/core/policyEngine';
import type { ModelPrincipal, ModelRequest } from './iamModel';
import { caseSeed, Rng } from './hostileFiles';

export const ACCOUNTS = ['222222222222', '333333333333', '444444444444', '555555555555'];
/** An account no generated policy ever names: only "*" or NotPrincipal can let it in. */
export const STRANGER = '999999999999';
const ROLES = ['Sender', 'Ops'];
const SERVICES = ['lambda.amazonaws.com', 'ec2.amazonaws.com', 'sns.amazonaws.com'];
const FEDERATED = ['cognito-identity.amazonaws.com'];
export const OUR_SID = 'AllowSecondaryAccountsToAssume';
const SIDS = [OUR_SID, OUR_SID, 'Legacy', 'Partners', 'AllowSecondaryAccountsToAssume2', 'DenyOld'];
const ACTIONS = ['sts:AssumeRole', 'sts:assumerole', 'STS:AssumeRole', 'sts:*', 'sts:Assume*', 'sts:AssumeRole*', '*', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:AssumeRoleWithSAML', 's3:GetObject'];
/** Actions of requests (literal). */
export const REQUEST_ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:AssumeRoleWithSAML', 's3:GetObject'];

interface KeySpec {
  readonly key: string;
  readonly values: readonly string[];
  readonly ops: readonly string[];
}

const KEYS: readonly KeySpec[] = [
  { key: 'sts:ExternalId', values: ['ext-1', 'ext-2'], ops: ['StringEquals', 'StringNotEquals', 'StringLike', 'StringEqualsIgnoreCase', 'StringEqualsIfExists', 'StringNotEqualsIfExists', 'ForAnyValue:StringEquals', 'ForAllValues:StringEquals', 'Null'] },
  { key: 'aws:MultiFactorAuthPresent', values: ['true', 'false'], ops: ['Bool', 'BoolIfExists', 'Null'] },
  { key: 'aws:PrincipalOrgID', values: ['o-1', 'o-2'], ops: ['StringEquals', 'StringNotEquals', 'StringLike', 'StringEqualsIfExists'] },
  { key: 'aws:SourceAccount', values: ACCOUNTS.slice(0, 2), ops: ['StringEquals', 'StringNotEquals'] },
];

/** Every principal a request may come from. */
export const REQUEST_PRINCIPALS: readonly ModelPrincipal[] = [
  ...[...ACCOUNTS, STRANGER].flatMap((a) => [
    { type: 'AWS' as const, id: `arn:aws:iam::${a}:root` },
    ...ROLES.map((r) => ({ type: 'AWS' as const, id: `arn:aws:iam::${a}:role/${r}` })),
    { type: 'AWS' as const, id: `arn:aws:iam::${a}:user/alice` },
  ]),
  ...SERVICES.map((s) => ({ type: 'Service' as const, id: s })),
  ...FEDERATED.map((s) => ({ type: 'Federated' as const, id: s })),
];

export class PolicyGen {
  readonly r: Rng;
  constructor(
    readonly seed: number,
    readonly index: number,
  ) {
    this.r = new Rng(caseSeed(seed, index));
  }

  awsEntry(): string {
    const r = this.r;
    const a = r.pick(ACCOUNTS);
    switch (r.int(0, 6)) {
      case 0:
        return a;
      case 1:
      case 2:
        return `arn:aws:iam::${a}:root`;
      case 3:
      case 4:
        return `arn:aws:iam::${a}:role/${r.pick(ROLES)}`;
      case 5:
        return `arn:aws:iam::${a}:user/alice`;
      default:
        // A deleted principal, as IAM shows it: a unique id that matches nobody.
        return `AROA${r.chars(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    }
  }

  strings(make: () => string, max: number): string | string[] {
    const n = this.r.int(1, max);
    const out = Array.from({ length: n }, make);
    return n === 1 && this.r.chance(0.6) ? out[0] : out;
  }

  principal(): unknown {
    const r = this.r;
    const roll = r.int(0, 19);
    if (roll === 0) return '*';
    if (roll === 1) return { AWS: '*' };
    if (roll === 2) return { AWS: ['*'] };
    const out: Record<string, unknown> = {};
    if (roll < 15 || r.chance(0.5)) out['AWS'] = this.strings(() => this.awsEntry(), 3);
    if (roll >= 12 && r.chance(0.7)) out['Service'] = this.strings(() => r.pick(SERVICES), 2);
    if (roll >= 17) out['Federated'] = r.pick(FEDERATED);
    if (Object.keys(out).length === 0) out['AWS'] = this.awsEntry();
    return out;
  }

  condition(): Record<string, Record<string, unknown>> | undefined {
    const r = this.r;
    if (r.chance(0.45)) return undefined;
    const out: Record<string, Record<string, unknown>> = {};
    for (let i = r.int(1, 2); i > 0; i--) {
      const k = r.pick(KEYS);
      const op = r.pick(k.ops);
      let value: unknown;
      if (op === 'Null') {
        value = r.pick(['true', 'false']);
      } else if (op.startsWith('StringLike')) {
        value = r.chance(0.5) ? `${r.pick(k.values).slice(0, -1)}*` : r.pick(k.values);
      } else if (op.includes('IgnoreCase')) {
        value = r.pick(k.values).toUpperCase();
      } else if (op.startsWith('Bool') && r.chance(0.3)) {
        value = r.pick([true, false]); // JSON booleans are allowed too
      } else {
        value = r.chance(0.3) ? [...new Set([r.pick(k.values), r.pick(k.values)])] : r.pick(k.values);
      }
      out[op] = { ...(out[op] ?? {}), [k.key]: value };
    }
    return out;
  }

  statement(): Record<string, unknown> {
    const r = this.r;
    const s: Record<string, unknown> = {};
    if (r.chance(0.7)) s['Sid'] = r.pick(SIDS);
    s['Effect'] = r.chance(0.75) ? 'Allow' : 'Deny';
    if (r.chance(0.08)) s['NotPrincipal'] = { AWS: this.strings(() => this.awsEntry(), 2) };
    else s['Principal'] = this.principal();
    if (r.chance(0.12)) s['NotAction'] = this.strings(() => r.pick(ACTIONS), 2);
    else s['Action'] = this.strings(() => r.pick(ACTIONS), 2);
    const c = this.condition();
    if (c) s['Condition'] = c;
    return s;
  }

  /** A readable policy as a JSON value. */
  policy(): Record<string, unknown> {
    const r = this.r;
    const doc: Record<string, unknown> = {};
    const v = r.int(0, 5);
    if (v < 3) doc['Version'] = '2012-10-17';
    else if (v === 3) doc['Version'] = '2008-10-17';
    if (r.chance(0.1)) doc['Id'] = 'trust';
    const n = r.int(0, 4);
    const statements = Array.from({ length: n }, () => this.statement());
    doc['Statement'] = n === 1 && r.chance(0.4) ? statements[0] : statements;
    if (n === 0 && r.chance(0.5)) doc['Statement'] = [this.statement()];
    return doc;
  }

  /** The text of a document as IAM returns it or a user typed it. */
  text(doc: unknown): string {
    const r = this.r;
    let t = r.pick([JSON.stringify(doc), JSON.stringify(doc, null, 2), JSON.stringify(doc, null, 4), `${JSON.stringify(doc, null, '\t')}\n`]);
    const lead = r.int(0, 6);
    if (lead === 0) t = `\n${t}`;
    if (lead === 1) t = `\ufeff${t}`;
    if (lead === 2) t = `\r\n  ${t}`;
    return r.chance(0.3) ? encodeURIComponent(t) : t;
  }

  /** A text the reader must refuse, and why (for the failure message). */
  unreadable(): { text: string; why: string } {
    const r = this.r;
    const doc = this.policy();
    if (!Array.isArray(doc['Statement'])) doc['Statement'] = [doc['Statement']];
    const sts = doc['Statement'] as Record<string, unknown>[];
    if (sts.length === 0) sts.push(this.statement());
    const s = r.pick(sts);
    const kinds = [
      () => ((s['Bogus'] = 1), 'unknown element'),
      () => ((s['Effect'] = r.pick(['allow', 'ALLOW', 'Permit', 1])), 'bad Effect'),
      () => (delete s['Effect'], 'no Effect'),
      () => ((s['Principal'] = {}), delete s['NotPrincipal'], 'empty Principal'),
      () => ((s['Principal'] = 'arn:aws:iam::222222222222:root'), delete s['NotPrincipal'], 'bare Principal string'),
      () => ((s['Principal'] = { AWS: 'arn:aws:iam::*:root' }), delete s['NotPrincipal'], 'wildcard inside a principal'),
      () => ((s['Principal'] = { AWS: 'arn:aws:iam::２２２222222222:root' }), delete s['NotPrincipal'], 'look-alike digits'),
      () => ((s['Principal'] = { AWS: 'arn:aws:iam::222222222222:root\u200b' }), delete s['NotPrincipal'], 'zero-width space'),
      () => ((s['Principal'] = { Users: ['x'] }), delete s['NotPrincipal'], 'unknown principal type'),
      () => ((s['Action'] = 42), delete s['NotAction'], 'numeric Action'),
      () => ((s['Action'] = []), delete s['NotAction'], 'empty Action list'),
      () => ((s['Action'] = 'sts:AssumeRole'), (s['NotAction'] = 'sts:TagSession'), 'Action and NotAction'),
      () => (delete s['Action'], delete s['NotAction'], 'no Action'),
      () => ((s['Condition'] = { StringEqualz: { 'sts:ExternalId': 'x' } }), 'unknown operator'),
      () => ((s['Condition'] = { StringEquals: { 'sts:ExternalId': null } }), 'null condition value'),
      () => ((s['Condition'] = { StringEquals: 'x' }), 'condition block not a map'),
      () => ((doc['Version'] = '2012-10-18'), 'unknown Version'),
      () => ((doc['Statement'] = 'Allow'), 'Statement is a string'),
      () => ((doc['Extra'] = true), 'unknown top-level element'),
    ];
    const textKinds: (() => { text: string; why: string })[] = [
      () => ({ text: JSON.stringify(doc).replace(/\}$/, ',}'), why: 'trailing comma' }),
      () => ({ text: JSON.stringify(doc).replace(/"Effect":"(Allow|Deny)"/, '"Effect":"Deny","Effect":"$1"'), why: 'duplicate Effect key' }),
      () => ({ text: JSON.stringify(doc).slice(0, -1), why: 'truncated' }),
      () => ({ text: `// trust\n${JSON.stringify(doc)}`, why: 'a comment' }),
      () => ({ text: '', why: 'empty' }),
      () => ({ text: '%7B%22Version%22%3A%ZZ', why: 'bad URL encoding' }),
      () => ({ text: JSON.stringify(doc).replace(/^\{/, '{"Version":"2012-10-17","Version":"2012-10-17",'), why: 'duplicate Version' }),
    ];
    if (r.chance(0.3)) {
      const t = r.pick(textKinds)();
      if (t.why === 'duplicate Effect key' && !/"Effect":"(Allow|Deny)"/.test(JSON.stringify(doc))) {
        return { text: JSON.stringify({ ...doc, Bogus: 1 }), why: 'unknown top-level element' };
      }
      return t;
    }
    const why = r.pick(kinds)();
    return { text: this.text(doc), why };
  }

  grant(): Grant {
    const r = this.r;
    const accounts = r.shuffle([...ACCOUNTS]).slice(0, r.int(1, 3));
    const aws: string[] = accounts.map((a) => (r.chance(0.2) ? `arn:aws:iam::${a}:role/Sender` : r.chance(0.3) ? `arn:aws:iam::${a}:root` : a));
    const roll = r.int(0, 9);
    if (roll === 9) {
      // A resource-policy-like grant: a service principal, restricted to the calling account.
      return { sid: OUR_SID, principals: { Service: ['sns.amazonaws.com'] }, actions: ['sts:AssumeRole'], conditions: { StringEquals: { 'aws:SourceAccount': ACCOUNTS[0] } } };
    }
    const conditions: Grant['conditions'] =
      roll < 5 ? undefined : roll < 8 ? { StringEquals: { 'sts:ExternalId': r.pick(['ext-1', 'ext-2']) } } : { StringEquals: { 'sts:ExternalId': 'ext-1' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    return { sid: OUR_SID, principals: { AWS: aws }, actions: ['sts:AssumeRole'], ...(conditions ? { conditions } : {}) };
  }

  context(): Record<string, string> {
    const r = this.r;
    const out: Record<string, string> = {};
    for (const k of KEYS) {
      if (r.chance(0.55)) out[k.key.toLowerCase()] = r.pick(k.values);
    }
    return out;
  }

  /** Requests to decide: every principal asking for sts:AssumeRole in a few contexts, and some others. */
  requests(extraContexts: readonly Record<string, string>[]): ModelRequest[] {
    const r = this.r;
    const contexts = [{}, ...extraContexts, this.context(), this.context(), this.context(), this.context()];
    const out: ModelRequest[] = [];
    for (const principal of REQUEST_PRINCIPALS) {
      for (const context of contexts) {
        out.push({ principal, action: 'sts:AssumeRole', context });
      }
    }
    for (let i = 0; i < 40; i++) {
      out.push({ principal: r.pick(REQUEST_PRINCIPALS), action: r.pick(REQUEST_ACTIONS), context: r.pick(contexts) });
    }
    return out;
  }

  /**
   * An edit a user might make to a document (as a JSON value; the input is not changed), and whether it
   * keeps the meaning exactly (a rewrite IAM reads the same: forms, order, bare ids).
   */
  edit(doc: Record<string, unknown>): { doc: Record<string, unknown>; what: string; sameMeaning: boolean } {
    const r = this.r;
    const out = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
    const sts: Record<string, unknown>[] = Array.isArray(out['Statement']) ? (out['Statement'] as Record<string, unknown>[]) : out['Statement'] ? [out['Statement'] as Record<string, unknown>] : [];
    out['Statement'] = sts;
    const s = sts.length ? r.pick(sts) : undefined;
    const edits: (() => { what: string; sameMeaning: boolean } | undefined)[] = [
      () => (s ? (sts.splice(sts.indexOf(s), 1), { what: 'drop a statement', sameMeaning: false }) : undefined),
      () => {
        const p = s?.['Principal'] as Record<string, unknown> | undefined;
        if (!s || !p || typeof p !== 'object') return undefined;
        const k = r.pick(Object.keys(p));
        const list = Array.isArray(p[k]) ? (p[k] as string[]) : [p[k] as string];
        if (list.length < 2) return undefined;
        list.splice(r.int(0, list.length - 1), 1);
        p[k] = list;
        return { what: `remove a ${k} principal`, sameMeaning: false };
      },
      () => {
        const p = s?.['Principal'];
        if (!s || !p || typeof p !== 'object') return undefined;
        const map = p as Record<string, unknown>;
        map['AWS'] = [...(Array.isArray(map['AWS']) ? (map['AWS'] as string[]) : map['AWS'] ? [map['AWS'] as string] : []), this.awsEntry()];
        return { what: 'add an AWS principal', sameMeaning: false };
      },
      () => (s ? ((s['Effect'] = s['Effect'] === 'Allow' ? 'Deny' : 'Allow'), { what: 'flip the effect', sameMeaning: false }) : undefined),
      () => (s && s['Condition'] ? (delete s['Condition'], { what: 'remove the conditions', sameMeaning: false }) : undefined),
      () => {
        const c = this.condition();
        return s && c ? ((s['Condition'] = c), { what: 'replace the conditions', sameMeaning: false }) : undefined;
      },
      () => (s ? (delete s['NotPrincipal'], (s['Principal'] = r.pick(['*', { AWS: '*' }, { AWS: ['*'] }])), { what: 'trust everyone', sameMeaning: false }) : undefined),
      () => {
        const p = s?.['Principal'] as Record<string, unknown> | undefined;
        if (!s || !p || typeof p !== 'object' || !p['AWS']) return undefined;
        const list = (Array.isArray(p['AWS']) ? (p['AWS'] as string[]) : [p['AWS'] as string]).map((x) => x.replace(/^arn:aws:iam::(\d{12}):(role|user)\/.*$/, 'arn:aws:iam::$1:root'));
        p['AWS'] = list;
        return { what: 'replace roles with their account root', sameMeaning: false };
      },
      () => (s ? (delete s['NotAction'], (s['Action'] = r.pick(['sts:*', '*', 'sts:AssumeRole', ['sts:AssumeRole', 'sts:TagSession']])), { what: 'change the actions', sameMeaning: false }) : undefined),
      () => (s && s['Action'] ? ((s['NotAction'] = s['Action']), delete s['Action'], { what: 'Action to NotAction', sameMeaning: false }) : undefined),
      () => (sts.push({ Effect: 'Deny', NotPrincipal: { AWS: this.awsEntry() }, Action: 'sts:AssumeRole' }), { what: 'add a Deny with NotPrincipal', sameMeaning: false }),
      () => (sts.push(this.statement()), { what: 'add a statement', sameMeaning: false }),
      () => (sts.push({ Sid: 'New', Effect: 'Allow', Principal: { AWS: this.awsEntry() }, Action: 'sts:AssumeRole', ...(r.chance(0.5) ? { Condition: this.condition() ?? {} } : {}) }), { what: 'add an Allow', sameMeaning: false }),
      // Rewrites that keep the meaning exactly.
      () => (r.shuffle(sts), { what: 'reorder the statements', sameMeaning: true }),
      () => {
        for (const st of sts) {
          const p = st['Principal'];
          if (p && typeof p === 'object') {
            const map = p as Record<string, unknown>;
            for (const k of Object.keys(map)) {
              const list = Array.isArray(map[k]) ? (map[k] as string[]) : [map[k] as string];
              map[k] = k === 'AWS' ? list.map((x) => x.replace(/^(\d{12})$/, 'arn:aws:iam::$1:root')) : list;
            }
          }
          for (const k of ['Action', 'NotAction']) {
            if (typeof st[k] === 'string') st[k] = [st[k]];
          }
        }
        return { what: 'write every value as a list, every account id as its root ARN', sameMeaning: true };
      },
      () => {
        for (const st of sts) {
          if (Array.isArray(st['Action'])) st['Action'] = (st['Action'] as string[]).map((a) => (r.chance(0.5) ? a.toUpperCase() : a)).reverse();
          if (st['Sid'] !== undefined && r.chance(0.5)) st['Sid'] = `${String(st['Sid'])}Renamed`;
        }
        return { what: 'change action case, order and Sids', sameMeaning: true };
      },
    ];
    for (let tries = 0; tries < 10; tries++) {
      const result = r.pick(edits)();
      if (result) {
        if (sts.length === 1 && r.chance(0.3) && !result.sameMeaning) out['Statement'] = sts[0];
        return { doc: out, ...result };
      }
    }
    sts.push(this.statement());
    return { doc: out, what: 'add a statement', sameMeaning: false };
  }
}
