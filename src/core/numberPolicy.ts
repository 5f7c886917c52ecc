/**
 * The resource-based policy SNS needs on a 10DLC number and on its opt-out list, and whether a
 * policy grants it. Pure: no `vscode`, no AWS SDK.
 *
 * Since 24 September 2024 SNS sends SMS through AWS End User Messaging SMS, and a new origination
 * identity (phone number, sender id, pool) may be used by SNS only when a resource-based policy on it
 * grants SNS that use, even inside the same account; identities created before that date were
 * granted it automatically. The default opt-out list has no resource policy, so SNS cannot use it
 * for opt-outs until one is set. Sources:
 * - SNS Developer Guide, "Getting started with Amazon SNS SMS access management"
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-sms-access-management.html): the service principal
 *   `sns.amazonaws.com`, the opt-out list without a default policy;
 * - SNS Developer Guide, "Request a phone number" (channels-sms-awssupport-long-code): "You must use a
 *   Resource policy to share the phone number with … Amazon SNS even if you are using the same AWS
 *   account";
 * - AWS Messaging blog, "A Guide to the New Resource Policies for SMS Origination Identities": identities
 *   created before September 24, 2024 were granted automatically; after that date they need a policy;
 * - the AWS managed policy AmazonSNSFullAccess (statement SMSAccessViaSNS): the End User Messaging
 *   actions SNS performs for SMS, of which `SendTextMessage` acts on the number and
 *   `DescribeOptedOutNumbers` / `DeleteOptedOutNumber` act on an opt-out list (SNS's
 *   CheckIfPhoneNumberIsOptedOut, ListPhoneNumbersOptedOut and OptInPhoneNumber);
 * - End User Messaging API reference, GetResourcePolicy / PutResourcePolicy (a resource with no policy
 *   answers `"Policy": "{}"`), and CloudFormation `AWS::SMSVOICE::ResourcePolicy`.
 * The grant is scoped with `aws:SourceAccount` (the account SNS acts for), the confused-deputy guard
 * AWS recommends for service principals.
 */
import * as l10n from '@vscode/l10n';
import { shellQuote } from './format';
import { grantStatement, type Grant } from './policyEngine';
import { partitionOf, type PolicyDocument, type PolicyStatement } from './policies';

export const SNS_SERVICE_PRINCIPAL = 'sns.amazonaws.com';

/** Origination identities created before this instant were granted to SNS automatically. */
export const RESOURCE_POLICY_CUTOFF = new Date('2024-09-24T00:00:00Z');

export type SmsResourceKind = 'phone-number' | 'opt-out-list';

/** What SNS must be allowed to do on each kind of resource. */
export const SNS_ACTIONS: Readonly<Record<SmsResourceKind, readonly string[]>> = {
  'phone-number': ['sms-voice:SendTextMessage'],
  'opt-out-list': ['sms-voice:DescribeOptedOutNumbers', 'sms-voice:DeleteOptedOutNumber'],
};

/** The Sid of the statement this extension proposes (and a later merge recognises) per kind. */
export const SNS_GRANT_SID: Readonly<Record<SmsResourceKind, string>> = {
  'phone-number': 'AllowSnsToSendThroughThisNumber',
  'opt-out-list': 'AllowSnsToUseThisOptOutList',
};

/** True when the number was created before the cut-off, so SNS may use it without a policy. */
export function grantedAutomatically(createdAt: Date | undefined): boolean {
  return createdAt !== undefined && !Number.isNaN(createdAt.getTime()) && createdAt.getTime() < RESOURCE_POLICY_CUTOFF.getTime();
}

/** `arn:PARTITION:sms-voice:REGION:ACCOUNT:opt-out-list/NAME`, for when DescribeOptOutLists could not be read. */
export function optOutListArn(region: string, accountId: string, name: string): string {
  return `arn:${partitionOf(region)}:sms-voice:${region}:${accountId}:opt-out-list/${name}`;
}

/**
 * What SNS needs on a resource of the primary account, as a grant of the policy engine: the SNS
 * service principal, the actions of `SNS_ACTIONS[kind]`, only that resource, only when SNS acts for
 * `accountId` (`aws:SourceAccount`). The one source of the grant: Generate Policies writes it as a
 * fresh document (`snsResourcePolicy`), and Grant SNS Use of the Number merges it into what is there
 * (`mergeGrants`), so both say the same thing.
 */
export function snsGrant(kind: SmsResourceKind, resourceArn: string, accountId: string): Grant {
  return {
    sid: SNS_GRANT_SID[kind],
    principals: { Service: [SNS_SERVICE_PRINCIPAL] },
    actions: [...SNS_ACTIONS[kind]],
    resources: [resourceArn],
    conditions: { StringEquals: { 'aws:SourceAccount': accountId } },
  };
}

/** The grant as the statement it adds to a resource that has no policy yet. */
export function snsGrantStatement(kind: SmsResourceKind, resourceArn: string, accountId: string): PolicyStatement {
  return grantStatement(snsGrant(kind, resourceArn, accountId), partitionOfArn(resourceArn)) as unknown as PolicyStatement;
}

/** A whole resource policy holding only the SNS grant (for a resource that has none yet). */
export function snsResourcePolicy(kind: SmsResourceKind, resourceArn: string, accountId: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [snsGrantStatement(kind, resourceArn, accountId)] };
}

/** The partition an ARN names (`arn:PARTITION:…`), `aws` when it names none. */
export function partitionOfArn(arn: string): string {
  return /^arn:([a-z-]+):/.exec(arn)?.[1] ?? 'aws';
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

/** What SNS's request carries, as far as it is known here. */
export interface SnsRequest {
  readonly resourceArn: string;
  /** The account SNS acts for (the primary): the value of `aws:SourceAccount`. */
  readonly accountId: string;
}

/** A statement as read from the document, labelled for messages. */
export interface StatementSummary {
  /** `Sid X` or `statement N`. */
  readonly label: string;
  readonly effect: string;
  /** Who it is about, in words. */
  readonly principals: string;
  readonly actions: string;
}

export type ActionVerdict =
  /** An Allow applies and no Deny can. */
  | { readonly action: string; readonly verdict: 'allowed'; readonly by: string }
  /** A Deny applies for certain. */
  | { readonly action: string; readonly verdict: 'denied'; readonly by: string }
  /** Allowed only if conditions hold that cannot be judged here. */
  | { readonly action: string; readonly verdict: 'conditional'; readonly by: string; readonly keys: readonly string[] }
  /** Allowed, but a Deny applies under conditions that cannot be judged here. */
  | { readonly action: string; readonly verdict: 'maybe-denied'; readonly by: string; readonly keys: readonly string[] }
  /** No statement allows it. */
  | { readonly action: string; readonly verdict: 'not-granted' };

export type SnsAccess =
  /** No resource policy at all (absent, empty, or `{}` as GetResourcePolicy answers then). */
  | { readonly kind: 'none' }
  /** The text is not a policy this can judge; why. */
  | { readonly kind: 'unreadable'; readonly error: string }
  | {
      readonly kind: 'evaluated';
      /** One verdict per action asked about, in that order. */
      readonly actions: readonly ActionVerdict[];
      /** Statements that are not about SNS: a grant adds to them and keeps them. */
      readonly others: readonly StatementSummary[];
      /** Every statement, for messages. */
      readonly statements: number;
    };

/** The verdict in one word: grants (all allowed), insufficient (something missing or denied), uncertain. */
export function accessSummary(a: SnsAccess): 'grants' | 'none' | 'insufficient' | 'uncertain' | 'unreadable' {
  if (a.kind !== 'evaluated') {
    return a.kind;
  }
  if (a.actions.every((v) => v.verdict === 'allowed')) {
    return 'grants';
  }
  if (a.actions.some((v) => v.verdict === 'denied' || v.verdict === 'not-granted')) {
    return 'insufficient';
  }
  return 'uncertain';
}

type Tri = 'true' | 'false' | 'unknown';

interface Normalised {
  readonly label: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principal?: unknown;
  readonly notPrincipal?: unknown;
  readonly action?: string[];
  readonly notAction?: string[];
  readonly resource?: string[];
  readonly notResource?: string[];
  readonly condition?: Record<string, Record<string, unknown>>;
}

function strings(v: unknown): string[] | undefined | null {
  if (v === undefined) {
    return undefined;
  }
  if (typeof v === 'string') {
    return [v];
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
    return v as string[];
  }
  return null; // present but not a string or list of strings
}

/** Reads a resource policy's statements; what it cannot read completely makes the whole document unreadable. */
function normalise(text: string): { ok: true; statements: Normalised[] } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: l10n.t('it is not valid JSON ({0})', (e as Error).message) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: l10n.t('it is not a JSON object') };
  }
  const raw = (value as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : undefined;
  if (!list) {
    return { ok: false, error: l10n.t('it has no "Statement"') };
  }
  const out: Normalised[] = [];
  for (const [i, s] of list.entries()) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) {
      return { ok: false, error: l10n.t('statement {0} is not an object', i + 1) };
    }
    const st = s as Record<string, unknown>;
    const label = typeof st['Sid'] === 'string' && st['Sid'] !== '' ? `Sid ${st['Sid']}` : `statement ${i + 1}`;
    if (st['Effect'] !== 'Allow' && st['Effect'] !== 'Deny') {
      return { ok: false, error: l10n.t('{0} has no "Effect" of Allow or Deny', label) };
    }
    const fields = { action: strings(st['Action']), notAction: strings(st['NotAction']), resource: strings(st['Resource']), notResource: strings(st['NotResource']) };
    for (const [k, v] of Object.entries(fields)) {
      if (v === null) {
        return { ok: false, error: l10n.t('{0} has a "{1}{2}" that is not a string or a list of strings', label, k[0].toUpperCase(), k.slice(1)) };
      }
    }
    if (!fields.action && !fields.notAction) {
      return { ok: false, error: l10n.t('{0} has no "Action" or "NotAction"', label) };
    }
    const condition = st['Condition'];
    if (condition !== undefined && (typeof condition !== 'object' || condition === null || Array.isArray(condition) || Object.values(condition).some((b) => typeof b !== 'object' || b === null || Array.isArray(b)))) {
      return { ok: false, error: l10n.t('{0} has a "Condition" that is not an object of operator blocks', label) };
    }
    out.push({
      label,
      effect: st['Effect'],
      principal: st['Principal'],
      notPrincipal: st['NotPrincipal'],
      action: fields.action ?? undefined,
      notAction: fields.notAction ?? undefined,
      resource: fields.resource ?? undefined,
      notResource: fields.notResource ?? undefined,
      condition: condition as Record<string, Record<string, unknown>> | undefined,
    });
  }
  return { ok: true, statements: out };
}

/** IAM's wildcard match: `*` any run, `?` one character. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'is' : 's');
  return re.test(value);
}

/** Does a Principal value name SNS (or everyone)? */
function namesSns(p: unknown): boolean {
  if (p === '*') {
    return true;
  }
  if (typeof p !== 'object' || p === null) {
    return false;
  }
  const o = p as Record<string, unknown>;
  const aws = strings(o['AWS']) ?? [];
  const service = strings(o['Service']) ?? [];
  return (aws ?? []).includes('*') || (service ?? []).some((s) => s === '*' || /^sns(\.[a-z0-9-]+)?\.amazonaws\.com$/i.test(s));
}

function appliesToSns(s: Normalised): boolean {
  if (s.principal !== undefined) {
    return namesSns(s.principal);
  }
  if (s.notPrincipal !== undefined) {
    return !namesSns(s.notPrincipal);
  }
  return false;
}

function actionApplies(s: Normalised, action: string): boolean {
  if (s.action) {
    return s.action.some((a) => wildcard(a, action, true));
  }
  return !(s.notAction ?? []).some((a) => wildcard(a, action, true));
}

function resourceApplies(s: Normalised, arn: string): boolean {
  if (s.resource) {
    return s.resource.some((r) => wildcard(r, arn, false));
  }
  if (s.notResource) {
    return !s.notResource.some((r) => wildcard(r, arn, false));
  }
  return true; // a resource policy without Resource applies to the resource it is attached to
}

/** The value of a condition key in SNS's request, when it is known here. */
function contextValue(key: string, req: SnsRequest): string | undefined {
  switch (key.toLowerCase()) {
    case 'aws:sourceaccount':
    case 'aws:sourceowner':
      return req.accountId;
    default:
      return undefined;
  }
}

function evalOperator(operator: string, key: string, wanted: unknown, req: SnsRequest): Tri {
  const values = strings(wanted) ?? (typeof wanted === 'boolean' || typeof wanted === 'number' ? [String(wanted)] : null);
  if (!values) {
    return 'unknown';
  }
  let op = operator.replace(/^(ForAnyValue|ForAllValues):/i, '');
  const ifExists = /IfExists$/i.test(op);
  op = op.replace(/IfExists$/i, '');
  const actual = contextValue(key, req);
  if (op.toLowerCase() === 'null') {
    if (actual === undefined) {
      return 'unknown';
    }
    return values.some((v) => v.toLowerCase() === 'true') ? 'false' : 'true';
  }
  if (actual === undefined) {
    return 'unknown';
  }
  void ifExists; // the key is present in SNS's request, so IfExists changes nothing
  const any = (f: (v: string) => boolean): boolean => values.some(f);
  switch (op.toLowerCase()) {
    case 'stringequals':
    case 'arnequals':
      return any((v) => v === actual) ? 'true' : 'false';
    case 'stringnotequals':
    case 'arnnotequals':
      return any((v) => v === actual) ? 'false' : 'true';
    case 'stringequalsignorecase':
      return any((v) => v.toLowerCase() === actual.toLowerCase()) ? 'true' : 'false';
    case 'stringnotequalsignorecase':
      return any((v) => v.toLowerCase() === actual.toLowerCase()) ? 'false' : 'true';
    case 'stringlike':
    case 'arnlike':
      return any((v) => wildcard(v, actual, false)) ? 'true' : 'false';
    case 'stringnotlike':
    case 'arnnotlike':
      return any((v) => wildcard(v, actual, false)) ? 'false' : 'true';
    default:
      return 'unknown';
  }
}

/** All blocks must hold: false wins, then unknown. Returns the keys that could not be judged. */
function evalCondition(condition: Normalised['condition'], req: SnsRequest): { result: Tri; unknownKeys: string[] } {
  if (!condition) {
    return { result: 'true', unknownKeys: [] };
  }
  let result: Tri = 'true';
  const unknownKeys: string[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    for (const [key, wanted] of Object.entries(block)) {
      const r = evalOperator(operator, key, wanted, req);
      if (r === 'false') {
        result = 'false';
      } else if (r === 'unknown') {
        unknownKeys.push(`${operator} ${key}`);
        if (result === 'true') {
          result = 'unknown';
        }
      }
    }
  }
  return { result, unknownKeys: result === 'false' ? [] : unknownKeys };
}

function describePrincipal(s: Normalised): string {
  const p = s.principal ?? s.notPrincipal;
  const prefix = s.principal === undefined && s.notPrincipal !== undefined ? 'everyone but ' : '';
  if (p === '*') {
    return `${prefix}everyone`;
  }
  if (typeof p === 'object' && p !== null) {
    return prefix + Object.entries(p as Record<string, unknown>).flatMap(([, v]) => strings(v) ?? []).join(', ');
  }
  return `${prefix}${String(p ?? 'no principal')}`;
}

/**
 * Whether a resource policy lets SNS perform `actions` on `req.resourceArn` for `req.accountId`.
 * Evaluated as IAM does for one principal: an explicit Deny that applies wins; otherwise an Allow
 * that applies grants. A statement applies when its Principal names SNS (`sns.amazonaws.com`, or
 * `*`), its Action / NotAction covers the action (wildcards, any case), its Resource / NotResource
 * covers the ARN, and its Condition holds. The only condition keys known here are
 * `aws:SourceAccount` / `aws:SourceOwner` (the primary); any other key (e.g. `aws:SourceArn`) cannot
 * be judged, so an Allow that depends on one is "conditional" and a Deny that depends on one may
 * apply ("maybe-denied"): never reported as a plain grant.
 */
export function evaluateSnsAccess(policyText: string | undefined, req: SnsRequest, actions: readonly string[]): SnsAccess {
  const text = policyText?.trim() ?? '';
  if (text === '' || text === '{}') {
    return { kind: 'none' };
  }
  const read = normalise(text);
  if (!read.ok) {
    return { kind: 'unreadable', error: read.error };
  }
  const statements = read.statements;
  const verdicts: ActionVerdict[] = actions.map((action) => {
    const applying = statements.filter((s) => appliesToSns(s) && actionApplies(s, action) && resourceApplies(s, req.resourceArn));
    const judged = applying.map((s) => ({ s, ...evalCondition(s.condition, req) }));
    const deny = judged.find((j) => j.s.effect === 'Deny' && j.result === 'true');
    if (deny) {
      return { action, verdict: 'denied', by: deny.s.label };
    }
    const maybeDeny = judged.find((j) => j.s.effect === 'Deny' && j.result === 'unknown');
    const allow = judged.find((j) => j.s.effect === 'Allow' && j.result === 'true');
    if (allow) {
      return maybeDeny ? { action, verdict: 'maybe-denied', by: maybeDeny.s.label, keys: maybeDeny.unknownKeys } : { action, verdict: 'allowed', by: allow.s.label };
    }
    const conditional = judged.find((j) => j.s.effect === 'Allow' && j.result === 'unknown');
    if (conditional) {
      return { action, verdict: 'conditional', by: conditional.s.label, keys: [...conditional.unknownKeys, ...(maybeDeny?.unknownKeys ?? [])] };
    }
    return { action, verdict: 'not-granted' };
  });
  const others = statements
    .filter((s) => !appliesToSns(s))
    .map((s) => ({ label: s.label, effect: s.effect, principals: describePrincipal(s), actions: (s.action ?? (s.notAction ?? []).map((a) => `not ${a}`)).join(', ') }));
  return { kind: 'evaluated', actions: verdicts, others, statements: statements.length };
}

/** One sentence on what the policy does for SNS, naming the actions allowed and what is missing. */
export function describeSnsAccess(a: SnsAccess): string {
  switch (a.kind) {
    case 'none':
      return 'it has no resource policy';
    case 'unreadable':
      return `its resource policy cannot be read: ${a.error}`;
    case 'evaluated': {
      const by = (v: ActionVerdict['verdict']) => a.actions.filter((x) => x.verdict === v);
      const parts: string[] = [];
      const allowed = by('allowed');
      if (allowed.length) {
        parts.push(`grants SNS ${allowed.map((x) => x.action).join(', ')}`);
      }
      for (const x of a.actions) {
        if (x.verdict === 'denied') {
          parts.push(`denies SNS ${x.action} (${x.by})`);
        } else if (x.verdict === 'not-granted') {
          parts.push(`does not grant SNS ${x.action}`);
        } else if (x.verdict === 'conditional') {
          parts.push(`grants SNS ${x.action} only under conditions this cannot check (${x.by}: ${x.keys.join(', ')})`);
        } else if (x.verdict === 'maybe-denied') {
          parts.push(`may deny SNS ${x.action} (${x.by}: ${x.keys.join(', ')})`);
        }
      }
      return `its resource policy ${parts.join('; ')}`;
    }
  }
}

/** The other statements, in words, for "kept" notes. */
export function describeOthers(others: readonly StatementSummary[]): string {
  return others.map((o) => `${o.label}: ${o.effect} ${o.principals} ${o.actions}`).join('; ');
}

// ---------------------------------------------------------------------------------------------------
// The guide Generate Policies writes

/** Where the facts above come from, for the generated guide. */
export const RESOURCE_POLICY_SOURCES: readonly { readonly title: string; readonly url: string }[] = [
  { title: l10n.t('SNS Developer Guide: Getting started with Amazon SNS SMS access management'), url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-sms-access-management.html' },
  { title: l10n.t('SNS Developer Guide: Request a phone number in AWS End User Messaging SMS'), url: 'https://docs.aws.amazon.com/sns/latest/dg/channels-sms-awssupport-long-code.html' },
  { title: l10n.t('AWS Messaging blog: A Guide to the New Resource Policies for SMS Origination Identities'), url: 'https://aws.amazon.com/blogs/messaging-and-targeting/a-guide-to-the-new-resource-policies-for-sms-origination-identities-in-aws/' },
  { title: l10n.t('End User Messaging API: PutResourcePolicy'), url: 'https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_PutResourcePolicy.html' },
  { title: l10n.t('End User Messaging API: GetResourcePolicy'), url: 'https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_GetResourcePolicy.html' },
  { title: l10n.t('End User Messaging API: DescribePhoneNumbers'), url: 'https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_DescribePhoneNumbers.html' },
  { title: l10n.t('End User Messaging API: DescribeOptOutLists'), url: 'https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_DescribeOptOutLists.html' },
  { title: l10n.t('CloudFormation: AWS::SMSVOICE::ResourcePolicy'), url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-smsvoice-resourcepolicy.html' },
  { title: l10n.t('AWS managed policy AmazonSNSFullAccess (the End User Messaging actions SNS performs)'), url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSNSFullAccess.html' },
];

/** One resource of the guide: its ARN (read, or a placeholder) and what is on it today. */
export interface GuideResource {
  readonly kind: SmsResourceKind;
  readonly arn: string;
  /** True when the ARN is a placeholder the user must fill in. */
  readonly placeholder: boolean;
  readonly file: string;
  /** What GetResourcePolicy found: the text, or why it could not be read. */
  readonly current?: { readonly text?: string } | { readonly unreadable: string };
}

export interface ResourcePolicyGuideInput {
  readonly primaryProfile: string;
  readonly accountId: string;
  readonly region: string;
  readonly originationNumber: string;
  readonly createdAt?: Date;
  readonly resources: readonly GuideResource[];
}

/** What to do for one resource, given what is on it now. */
function currentNote(r: GuideResource, accountId: string): string {
  const what = r.kind === 'phone-number' ? 'The number' : 'The opt-out list';
  const c = r.current;
  if (!c) {
    return `${what}'s current resource policy was not read.`;
  }
  if ('unreadable' in c) {
    return `${what}'s current resource policy could not be read (${c.unreadable}); read it with the first command before you apply anything.`;
  }
  const access = evaluateSnsAccess(c.text, { resourceArn: r.arn, accountId }, SNS_ACTIONS[r.kind]);
  switch (accessSummary(access)) {
    case 'none':
      return `${what} has no resource policy today: \`${r.file}\` can be applied as it is.`;
    case 'grants':
      return `${what}'s resource policy already ${describeSnsAccess(access).replace(/^its resource policy /, '')}: nothing to apply.`;
    default: {
      const n = access.kind === 'evaluated' ? access.statements : 0;
      return `${what} has a resource policy with ${n} statement${n === 1 ? '' : 's'} (${describeSnsAccess(access).replace(/^its resource policy /, '')}). \`put-resource-policy\` replaces the whole document: add the statement of \`${r.file}\` to the current one (from \`get-resource-policy\`) and apply that, so nothing there is lost.`;
    }
  }
}

/** The guide's section on the resource policies, as Markdown lines. */
export function resourcePolicyGuide(g: ResourcePolicyGuideInput): string[] {
  const cli = (verb: string, arn: string, extra = ''): string => `aws pinpoint-sms-voice-v2 ${verb} --profile ${shellQuote(g.primaryProfile)} --region ${g.region} --resource-arn ${arn}${extra}`;
  const lines: string[] = [
    '## 3. In the primary account: let SNS use the number',
    '',
    `Since 24 September 2024, SNS sends SMS through AWS End User Messaging SMS, and may use a phone number created after that date only when a resource-based policy on the number grants it — even inside one account. Without it the send fails as if the number did not exist. Numbers created before that date were granted automatically. The default opt-out list has no resource policy, so SNS cannot check or change opt-outs (CheckIfPhoneNumberIsOptedOut, OptInPhoneNumber) until one is set.`,
    '',
  ];
  if (g.createdAt && grantedAutomatically(g.createdAt)) {
    lines.push(`${g.originationNumber} was created ${g.createdAt.toISOString().slice(0, 10)}, before that date: SNS may use it without a policy; adding the grant does no harm.`, '');
  }
  lines.push(
    `Each policy grants the SNS service principal (\`${SNS_SERVICE_PRINCIPAL}\`) only what it needs on that one resource, and only when it acts for account ${g.accountId} (\`aws:SourceAccount\`):`,
    '',
  );
  for (const r of g.resources) {
    lines.push(`- \`${r.file}\` — ${r.kind === 'phone-number' ? `the number ${g.originationNumber}` : 'its opt-out list'}: ${SNS_ACTIONS[r.kind].map((a) => `\`${a}\``).join(', ')}`);
  }
  lines.push('');
  if (g.resources.some((r) => r.placeholder)) {
    lines.push(
      'The ARNs could not be read here; find them and put them into the files and commands below:',
      '',
      '```sh',
      `aws pinpoint-sms-voice-v2 describe-phone-numbers --profile ${shellQuote(g.primaryProfile)} --region ${g.region} --query "PhoneNumbers[?PhoneNumber=='${g.originationNumber}'].[PhoneNumberArn,OptOutListName]"`,
      `aws pinpoint-sms-voice-v2 describe-opt-out-lists --profile ${shellQuote(g.primaryProfile)} --region ${g.region} --query "OptOutLists[].[OptOutListName,OptOutListArn]"`,
      '```',
      '',
    );
  }
  for (const r of g.resources) {
    lines.push(
      `### ${r.kind === 'phone-number' ? 'The number' : 'The opt-out list'}`,
      '',
      currentNote(r, g.accountId),
      '',
      '```sh',
      cli('get-resource-policy', r.arn),
      `${cli('put-resource-policy', r.arn, ' \\')}`,
      `  --policy file://${r.file}`,
      '```',
      '',
    );
  }
  lines.push('Sources:', '', ...RESOURCE_POLICY_SOURCES.map((s) => `- [${s.title}](${s.url})`));
  return lines;
}
