/**
 * What the cross-account setup needs, in one place: the role (trust policy, inline permissions policy,
 * tag), the secondary side's policy, the resource policies on the number and its opt-out list, and the
 * optional delivery-status logging role — with the names and parameters they depend on.
 *
 * Generate Policies, the CloudFormation export and the Terraform export all read this one model, so a
 * change to a policy changes every format at once. The documents are built once, by the functions of
 * `policies.ts`, `numberPolicy.ts` and `delivery.ts`, with *symbols* where a template has a parameter
 * (`${RoleName}`, `${AWS::AccountId}`); `resolveDocument` puts the current setup's values in for the
 * JSON documents, and the template renderers turn the same symbols into `!Sub` / `!Ref` or
 * `var.role_name`. Pure: no `vscode`, no AWS SDK.
 */
import * as l10n from '@vscode/l10n';
import { oneLine } from './format';
import { DELIVERY_ROLE_NAME, DELIVERY_ROLE_POLICY_NAME, deliveryRoleDocuments } from './delivery';
import { accessSummary, evaluateSnsAccess, grantedAutomatically, SNS_ACTIONS, snsResourcePolicy, type SmsResourceKind } from './numberPolicy';
import {
  INLINE_POLICY_NAME,
  partitionOf,
  permissionsPolicy,
  ROLE_TAG,
  roleArn,
  SECONDARY_POLICY_NAME,
  secondaryAssumePolicy,
  trustPolicy,
  type PolicyDocument,
} from './policies';

/** A parameter of the templates (CloudFormation `Parameters`, Terraform `variable`). */
export interface SetupParameter {
  /** CloudFormation logical name; also the symbol `${Key}` in the documents. */
  readonly key: string;
  /** Terraform variable name. */
  readonly tf: string;
  readonly type: 'string' | 'list' | 'boolean';
  readonly description: string;
  /** The current setup's value. */
  readonly value: string | readonly string[] | boolean;
  /**
   * Never written into a template as a default (CloudFormation `NoEcho`, Terraform `sensitive`): the
   * deployer passes it. The external id is not a secret to AWS, but it is one more thing a caller must
   * know, so it stays out of templates that are committed and reviewed.
   */
  readonly sensitive?: boolean;
  /** A regular expression the value must match (CloudFormation `AllowedPattern`, Terraform `validation`). */
  readonly pattern?: string;
  /** For a list: what each item becomes where the list symbol stands alone in a document. */
  readonly itemTemplate?: string;
}

/** The symbol of a parameter or pseudo parameter, as it stands in the documents. */
export const sym = (key: string): string => '${' + key + '}';

export const P = {
  secondaryAccountIds: 'SecondaryAccountIds',
  roleName: 'RoleName',
  externalId: 'ExternalId',
  phoneNumberArn: 'PhoneNumberArn',
  optOutListArn: 'OptOutListArn',
  grantNumber: 'GrantSnsOnNumber',
  grantOptOutList: 'GrantSnsOnOptOutList',
  deliveryRole: 'CreateDeliveryStatusRole',
  primaryAccountId: 'PrimaryAccountId',
  secondaryPolicyName: 'PolicyName',
  accountId: 'AWS::AccountId',
} as const;

/** What is known of one of the number's resources (from issue 12's DescribePhoneNumbers / GetResourcePolicy). */
export interface ResourceFacts {
  /** Its ARN, when read. */
  readonly arn?: string;
  /** Its resource policy today: the text (`undefined`: none), or why it could not be read. */
  readonly current?: { readonly text?: string } | { readonly unreadable: string };
}

export interface SetupInput {
  readonly primaryAccountId: string;
  /** The number's region (IAM is global; the resource policies and SNS are regional). */
  readonly region: string;
  readonly roleName: string;
  /** The secondary accounts the role trusts (12-digit ids). */
  readonly trusted: readonly string[];
  readonly externalId?: string;
  readonly requireMfa: boolean;
  /** The 10DLC number, when one is set. */
  readonly number?: {
    readonly e164: string;
    readonly createdAt?: Date;
    readonly phone: ResourceFacts;
    readonly optOutList: ResourceFacts;
  };
  /** Account names by id (from AWS Organizations), for comments. */
  readonly accountNames?: Readonly<Record<string, string>>;
}

/** One resource policy the setup may need, with whether the current setup needs it and why. */
export interface ResourcePolicyNeed {
  readonly kind: SmsResourceKind;
  /** CloudFormation logical id / Terraform resource name. */
  readonly logicalId: 'NumberResourcePolicy' | 'OptOutListResourcePolicy';
  readonly tfName: 'number' | 'opt_out_list';
  /** The parameter holding the resource's ARN, and the one that switches the policy on. */
  readonly arnParam: string;
  readonly enableParam: string;
  /** The policy, with `${PhoneNumberArn}` / `${OptOutListArn}` and `${AWS::AccountId}`. */
  readonly document: PolicyDocument;
  /** Whether deploying it is what the setup needs now (the enable parameter's default). */
  readonly needed: boolean;
  /** Why, in one sentence. */
  readonly reason: string;
}

export interface SetupModel {
  readonly primaryAccountId: string;
  readonly region: string;
  readonly partition: string;
  readonly originationNumber?: string;
  readonly accountNames: Readonly<Record<string, string>>;
  readonly primaryParams: readonly SetupParameter[];
  readonly secondaryParams: readonly SetupParameter[];
  readonly role: {
    /** `${RoleName}`. */
    readonly name: string;
    readonly description: string;
    readonly trust: PolicyDocument;
    readonly permissions: PolicyDocument;
    readonly inlinePolicyName: string;
    readonly tags: readonly { readonly Key: string; readonly Value: string }[];
    /** `arn:PARTITION:iam::${AWS::AccountId}:role/${RoleName}`. */
    readonly arn: string;
  };
  readonly resourcePolicies: readonly ResourcePolicyNeed[];
  readonly deliveryRole: {
    readonly name: string;
    readonly description: string;
    readonly trust: PolicyDocument;
    readonly permissions: PolicyDocument;
    readonly inlinePolicyName: string;
    readonly enableParam: string;
  };
  readonly secondary: {
    /** `${PolicyName}`. */
    readonly policyName: string;
    readonly description: string;
    /** `sts:AssumeRole` on `arn:PARTITION:iam::${PrimaryAccountId}:role/${RoleName}`. */
    readonly document: PolicyDocument;
  };
}

const ARN_PATTERN = '^(arn:[a-z0-9-]+:sms-voice:[a-z0-9-]+:\\d{12}:[a-z-]+/\\S+)?$';

/** Whether a resource's policy should be deployed by the templates, and why. */
function need(kind: SmsResourceKind, facts: ResourceFacts | undefined, createdAt: Date | undefined, accountId: string): { needed: boolean; reason: string } {
  const what = kind === 'phone-number' ? 'The number' : 'The opt-out list';
  if (!facts?.arn) {
    return { needed: false, reason: l10n.t('{0}\'s ARN could not be read: set its ARN parameter, and switch the policy on after checking the resource has no policy yet.', what) };
  }
  const c = facts.current;
  if (!c) {
    return { needed: false, reason: l10n.t('{0}\'s current resource policy was not read: switch it on after checking it has none (a deployed ResourcePolicy replaces the whole document).', what) };
  }
  if ('unreadable' in c) {
    return { needed: false, reason: l10n.t('{0}\'s current resource policy could not be read ({1}): switch it on after checking it has none.', what, c.unreadable) };
  }
  const verdict = accessSummary(evaluateSnsAccess(c.text, { resourceArn: facts.arn, accountId }, SNS_ACTIONS[kind]));
  if (verdict === 'grants') {
    return { needed: false, reason: l10n.t('{0}\'s resource policy already grants SNS what it needs.', what) };
  }
  if (verdict !== 'none') {
    return {
      needed: false,
      reason: l10n.t('{0} already has a resource policy that does not grant SNS enough; a deployed ResourcePolicy would replace it whole, so merge the grant by hand (Generate Policies shows how) instead.', what),
    };
  }
  if (kind === 'phone-number' && grantedAutomatically(createdAt)) {
    return { needed: false, reason: l10n.t('The number was created before 24 September 2024: SNS may use it without a policy.') };
  }
  return { needed: true, reason: l10n.t('{0} has no resource policy, and SNS may not use it without one.', what) };
}

/** At most ten items in words (a CloudFormation parameter description holds 4,000 characters). */
function listed(items: readonly string[]): string {
  return items.length <= 10 ? items.join(', ') : `${items.slice(0, 10).join(', ')} and ${items.length - 10} more`;
}

/** The one function every format reads: what the setup needs, from validated inputs. */
export function setupModel(input: SetupInput): SetupModel {
  const partition = partitionOf(input.region);
  // Account names come from AWS Organizations and may hold line breaks: one line each, so no export can be given lines by one.
  const names: Record<string, string> = Object.fromEntries(Object.entries(input.accountNames ?? {}).map(([id, n]) => [id, oneLine(n)]));
  const accountWords = (id: string): string => (names[id] ? `${id} (${names[id]})` : id);
  const trusted = [...new Set(input.trusted)].sort();
  const primaryParams: SetupParameter[] = [
    {
      key: P.secondaryAccountIds,
      tf: 'secondary_account_ids',
      type: 'list',
      description: `Secondary accounts whose principals may assume the role (12-digit ids). Now: ${listed(trusted.map(accountWords))}.`,
      value: trusted,
      pattern: '^\\d{12}$',
      itemTemplate: `arn:${partition}:iam::\${item}:root`,
    },
    { key: P.roleName, tf: 'role_name', type: 'string', description: 'Name of the cross-account role the secondaries assume.', value: input.roleName, pattern: '^[\\w+=,.@-]{1,64}$' },
  ];
  if (input.externalId) {
    primaryParams.push({
      key: P.externalId,
      tf: 'external_id',
      type: 'string',
      description: 'sts:ExternalId the trust policy requires (the setting tendlc.externalId). Pass it when you deploy; it is not stored in this file.',
      value: input.externalId,
      sensitive: true,
      pattern: '^[\\w+=,.@:/-]{2,1224}$',
    });
  }
  const resourcePolicies: ResourcePolicyNeed[] = [];
  if (input.number) {
    const n = input.number;
    const entries: [SmsResourceKind, ResourceFacts, ResourcePolicyNeed['logicalId'], ResourcePolicyNeed['tfName'], string, string, string, string][] = [
      ['phone-number', n.phone, 'NumberResourcePolicy', 'number', P.phoneNumberArn, 'phone_number_arn', P.grantNumber, 'grant_sns_on_number'],
      ['opt-out-list', n.optOutList, 'OptOutListResourcePolicy', 'opt_out_list', P.optOutListArn, 'opt_out_list_arn', P.grantOptOutList, 'grant_sns_on_opt_out_list'],
    ];
    for (const [kind, facts, logicalId, tfName, arnParam, arnTf, enableParam, enableTf] of entries) {
      const { needed, reason } = need(kind, facts, n.createdAt, input.primaryAccountId);
      const what = kind === 'phone-number' ? `the number ${n.e164}` : `the opt-out list of ${n.e164}`;
      primaryParams.push(
        { key: arnParam, tf: arnTf, type: 'string', description: `ARN of ${what} (End User Messaging SMS). Empty: no resource policy is deployed.`, value: facts.arn ?? '', pattern: ARN_PATTERN },
        { key: enableParam, tf: enableTf, type: 'boolean', description: `Deploy the resource policy that lets SNS use ${what}. ${reason}`, value: needed },
      );
      resourcePolicies.push({
        kind,
        logicalId,
        tfName,
        arnParam,
        enableParam,
        document: snsResourcePolicy(kind, sym(arnParam), sym(P.accountId)),
        needed,
        reason,
      });
    }
  }
  primaryParams.push({
    key: P.deliveryRole,
    tf: 'create_delivery_status_role',
    type: 'boolean',
    description: `Also create ${DELIVERY_ROLE_NAME}, the role SNS assumes to write SMS delivery-status logs (then set it with aws sns set-sms-attributes).`,
    value: false,
  });
  const secondaryParams: SetupParameter[] = [
    { key: P.primaryAccountId, tf: 'primary_account_id', type: 'string', description: `The primary account, which owns the number and the role. Now: ${accountWords(input.primaryAccountId)}.`, value: input.primaryAccountId, pattern: '^\\d{12}$' },
    { key: P.roleName, tf: 'role_name', type: 'string', description: 'Name of the cross-account role in the primary account.', value: input.roleName, pattern: '^[\\w+=,.@-]{1,64}$' },
    { key: P.secondaryPolicyName, tf: 'policy_name', type: 'string', description: 'Name of the customer managed policy made in each secondary account.', value: SECONDARY_POLICY_NAME, pattern: '^[\\w+=,.@-]{1,128}$' },
  ];
  const delivery = deliveryRoleDocuments();
  return {
    primaryAccountId: input.primaryAccountId,
    region: input.region,
    partition,
    originationNumber: input.number?.e164,
    accountNames: names,
    primaryParams,
    secondaryParams,
    role: {
      name: sym(P.roleName),
      description: 'Lets the secondary accounts send SMS through the 10DLC number of this account (tendlc-cross-account).',
      trust: trustPolicy({
        principals: [sym(P.secondaryAccountIds)],
        externalId: input.externalId ? sym(P.externalId) : undefined,
        requireMfa: input.requireMfa,
        region: input.region,
      }),
      permissions: permissionsPolicy({ accountId: sym(P.accountId), region: input.region }),
      inlinePolicyName: INLINE_POLICY_NAME,
      tags: [{ ...ROLE_TAG }],
      arn: roleArn(sym(P.accountId), sym(P.roleName), input.region),
    },
    resourcePolicies,
    deliveryRole: {
      name: DELIVERY_ROLE_NAME,
      description: 'SNS assumes this role to write SMS delivery-status records to CloudWatch Logs (tendlc-cross-account).',
      trust: delivery.trust,
      permissions: delivery.permissions,
      inlinePolicyName: DELIVERY_ROLE_POLICY_NAME,
      enableParam: P.deliveryRole,
    },
    secondary: {
      policyName: sym(P.secondaryPolicyName),
      description: 'Lets its holder assume the 10DLC cross-account SMS role in the primary account (tendlc-cross-account).',
      document: secondaryAssumePolicy(roleArn(sym(P.primaryAccountId), sym(P.roleName), input.region)),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Symbols

const SYMBOL = /\$\{([A-Za-z0-9:]+)\}/g;

/** Splits a string into literal text and symbols: `a${B}c` → ['a', {sym:'B'}, 'c']. */
export function splitSymbols(s: string): (string | { sym: string })[] {
  const out: (string | { sym: string })[] = [];
  let last = 0;
  for (const m of s.matchAll(SYMBOL)) {
    if (m.index > last) {
      out.push(s.slice(last, m.index));
    }
    out.push({ sym: m[1] });
    last = m.index + m[0].length;
  }
  if (last < s.length) {
    out.push(s.slice(last));
  }
  return out;
}

/** The list parameter a string stands for when it is that parameter's symbol alone. */
export function listParamOf(s: string, params: readonly SetupParameter[]): SetupParameter | undefined {
  const parts = splitSymbols(s);
  if (parts.length !== 1 || typeof parts[0] === 'string') {
    return undefined;
  }
  const key = parts[0].sym;
  return params.find((p) => p.key === key && p.type === 'list');
}

/**
 * A document with the current setup's values in place of its symbols: what Generate Policies writes.
 * A list parameter standing alone expands like `trustPolicy` does (sorted, de-duplicated, one item as
 * a string).
 */
export function resolveDocument<T>(doc: T, params: readonly SetupParameter[], pseudo: Readonly<Record<string, string>>): T {
  const value = (key: string): string => {
    if (key in pseudo) {
      return pseudo[key];
    }
    const p = params.find((x) => x.key === key);
    if (!p || typeof p.value !== 'string') {
      throw new Error(`no string value for \${${key}}`);
    }
    return p.value;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const list = listParamOf(v, params);
      if (list) {
        const items = [...new Set((list.value as readonly string[]).map((x) => (list.itemTemplate ?? '${item}').replace('${item}', x)))].sort();
        return items.length === 1 ? items[0] : items;
      }
      return splitSymbols(v)
        .map((p) => (typeof p === 'string' ? p : value(p.sym)))
        .join('');
    }
    if (Array.isArray(v)) {
      return v.map(walk);
    }
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(doc) as T;
}

/** The JSON documents of the current setup (Generate Policies). */
export function resolvedDocuments(m: SetupModel): {
  trust: PolicyDocument;
  permissions: PolicyDocument;
  secondary: PolicyDocument;
  resourcePolicies: { kind: SmsResourceKind; document: PolicyDocument }[];
} {
  const primary = { [P.accountId]: m.primaryAccountId };
  return {
    trust: resolveDocument(m.role.trust, m.primaryParams, primary),
    permissions: resolveDocument(m.role.permissions, m.primaryParams, primary),
    secondary: resolveDocument(m.secondary.document, m.secondaryParams, {}),
    resourcePolicies: m.resourcePolicies.map((r) => ({ kind: r.kind, document: resolveDocument(r.document, m.primaryParams, primary) })),
  };
}

/** "111111111111 (sms-prod)" when the account's name is known, else the id. */
export function accountLabel(m: Pick<SetupModel, 'accountNames'>, id: string): string {
  const n = m.accountNames[id];
  return n ? `${id} (${n})` : id;
}
