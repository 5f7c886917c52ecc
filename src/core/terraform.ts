/**
 * The setup model (`setup.ts`) as Terraform (HCL) for the AWS provider: a primary configuration (the
 * role, its inline policy, the number's resource policies, the optional delivery-status role) and a
 * secondary one (the managed policy that allows `sts:AssumeRole` on the role). Policies are written
 * with `jsonencode()` so Terraform compares them as JSON. Pure.
 */
import { oneLine } from './format';
import { listParamOf, P, splitSymbols, type SetupModel, type SetupParameter } from './setup';

/** A raw HCL expression (a reference, a function call), written as it is. */
export class Expr {
  constructor(readonly text: string) {}
}

export type HclValue = string | number | boolean | Expr | readonly HclValue[] | { readonly [key: string]: HclValue };

/** Resource types and names the generator writes, for tests and the guide. */
export const TF = {
  role: 'cross_account_sms',
  rolePolicy: 'sms_publish',
  deliveryRole: 'delivery_status',
  deliveryPolicy: 'delivery_status_logs',
  secondaryPolicy: 'assume_sms_role',
} as const;

/** A literal inside an HCL quoted string: escapes, and `${` / `%{` doubled so they are not templates. */
function literal(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, '$${')
    .replace(/%\{/g, '%%{');
}

export function hclString(s: string): string {
  return `"${literal(s)}"`;
}

/** What a symbol of the model is in Terraform. */
function reference(sym: string, params: readonly SetupParameter[]): string {
  if (sym === P.accountId) {
    return 'data.aws_caller_identity.current.account_id';
  }
  const p = params.find((x) => x.key === sym);
  if (!p) {
    throw new Error(`\${${sym}} is not a variable of this configuration`);
  }
  return `var.${p.tf}`;
}

/** A string of the model as HCL: a quoted literal, a bare reference, or a template. */
function tfString(s: string, params: readonly SetupParameter[]): Expr {
  const list = listParamOf(s, params);
  if (list) {
    const item = list.itemTemplate ?? '${item}';
    const [prefix, suffix] = item.split('${item}');
    return new Expr(`[for id in var.${list.tf} : "${literal(prefix)}\${id}${literal(suffix)}"]`);
  }
  const parts = splitSymbols(s);
  if (parts.length === 1 && typeof parts[0] !== 'string') {
    return new Expr(reference(parts[0].sym, params));
  }
  return new Expr(`"${parts.map((p) => (typeof p === 'string' ? literal(p) : '${' + reference(p.sym, params) + '}')).join('')}"`);
}

function tfValue(v: unknown, params: readonly SetupParameter[]): HclValue {
  if (typeof v === 'string') {
    return tfString(v, params);
  }
  if (Array.isArray(v)) {
    return v.map((x) => tfValue(x, params));
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tfValue(x, params)]));
  }
  return v as HclValue;
}

const isIdentifier = (k: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k);

function isInline(v: HclValue): boolean {
  if (Array.isArray(v)) {
    return v.every((x) => typeof x !== 'object' || x instanceof Expr);
  }
  return typeof v !== 'object' || (v instanceof Expr && !v.text.includes('\n'));
}

function inline(v: HclValue): string {
  if (v instanceof Expr) {
    return v.text;
  }
  if (typeof v === 'string') {
    return hclString(v);
  }
  if (Array.isArray(v)) {
    return `[${(v as HclValue[]).map(inline).join(', ')}]`;
  }
  if (typeof v === 'object') {
    if (Object.keys(v).length === 0) {
      return '{}';
    }
    throw new Error('an object is not written inline');
  }
  return String(v);
}

/**
 * `key = value` lines for a body (an object or a block), with `=` aligned over each run of one-line
 * attributes the way `terraform fmt` aligns them (checked with `terraform fmt -check` in the tests).
 */
function attributes(entries: readonly [string, HclValue][], indent: number, objectKeys: boolean): string[] {
  const pad = ' '.repeat(indent);
  const key = (k: string): string => (objectKeys && !isIdentifier(k) ? hclString(k) : k);
  const out: string[] = [];
  let run: [string, string][] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map(([k]) => k.length));
    for (const [k, v] of run) {
      out.push(`${pad}${k.padEnd(width)} = ${v}`);
    }
    run = [];
  };
  for (const [k, v] of entries) {
    if (isInline(v) || (typeof v === 'object' && !(v instanceof Expr) && !Array.isArray(v) && Object.keys(v).length === 0)) {
      run.push([key(k), inline(v)]);
      continue;
    }
    // A multi-line value ends the alignment run and is not padded (as terraform fmt writes it).
    flush();
    const lines = multiline(v, indent);
    out.push(`${pad}${key(k)} = ${lines[0]}`, ...lines.slice(1));
  }
  flush();
  return out;
}

/** An object or a list of objects over several lines; the first line is the opening bracket. */
function multiline(v: HclValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    const out = ['['];
    for (const item of v as HclValue[]) {
      if (isInline(item)) {
        out.push(`${pad}  ${inline(item)},`);
      } else {
        const lines = multiline(item, indent + 2);
        out.push(`${pad}  ${lines[0]}`, ...lines.slice(1, -1), `${lines[lines.length - 1]},`);
      }
    }
    out.push(`${pad}]`);
    return out;
  }
  if (v instanceof Expr) {
    return v.text.split('\n');
  }
  const entries = Object.entries(v as Record<string, HclValue>);
  return ['{', ...attributes(entries, indent + 2, true), `${pad}}`];
}

/** `jsonencode({...})` of a policy document, over several lines. */
function jsonencode(doc: unknown, params: readonly SetupParameter[], indent: number): string {
  const lines = multiline(tfValue(doc, params), indent);
  return `jsonencode(${lines.join('\n')})`;
}

interface Block {
  readonly head: string;
  readonly comment?: string;
  readonly body: readonly ([string, HclValue] | Block)[];
}

function renderBlock(b: Block, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  if (b.comment) {
    out.push(...b.comment.split('\n').map((c) => `${pad}# ${c}`));
  }
  if (b.body.length === 0) {
    out.push(`${pad}${b.head} {}`);
    return out;
  }
  out.push(`${pad}${b.head} {`);
  let attrs: [string, HclValue][] = [];
  const flush = (): void => {
    if (attrs.length) {
      out.push(...attributes(attrs, indent + 2, false));
      attrs = [];
    }
  };
  for (const item of b.body) {
    if (Array.isArray(item)) {
      attrs.push(item as [string, HclValue]);
    } else {
      flush();
      out.push(...renderBlock(item as Block, indent + 2));
    }
  }
  flush();
  out.push(`${pad}}`);
  return out;
}

function variable(p: SetupParameter): Block {
  const type = p.type === 'list' ? 'list(string)' : p.type === 'boolean' ? 'bool' : 'string';
  const body: ([string, HclValue] | Block)[] = [
    ['description', p.description],
    ['type', new Expr(type)],
  ];
  if (p.sensitive) {
    body.push(['sensitive', true]);
  } else {
    body.push(['default', p.type === 'list' ? [...(p.value as readonly string[])] : (p.value as string | boolean)]);
  }
  if (p.pattern && p.type !== 'boolean') {
    const condition =
      p.type === 'list' ? `alltrue([for v in var.${p.tf} : can(regex(${hclString(p.pattern)}, v))])` : `can(regex(${hclString(p.pattern)}, var.${p.tf}))`;
    body.push({ head: 'validation', body: [['condition', new Expr(condition)], ['error_message', `${p.tf} must match ${p.pattern}.`]] });
  }
  return { head: `variable "${p.tf}"`, body };
}

function header(m: SetupModel, what: string): string[] {
  const label = (id: string): string => (m.accountNames[id] ? `${id} (${m.accountNames[id]})` : id);
  const trusted = m.primaryParams.find((p) => p.key === P.secondaryAccountIds)?.value as readonly string[];
  return [
    `# Generated by 10DLC Cross-Account Access (tendlc.exportTerraform) from the same model as Generate Policies.`,
    `# Primary account: ${label(m.primaryAccountId)}; number ${m.originationNumber ?? '(not set)'} in ${m.region}.`,
    `# Secondary accounts trusted: ${trusted.map(label).join(', ')}.`,
    `# ${what} See README.md beside this file.`,
  ].map((line) => oneLine(line)).concat('');
}

const PROVIDER_BLOCKS = (region: string): Block[] => [
  {
    head: 'terraform',
    body: [
      ['required_version', '>= 1.5'],
      {
        head: 'required_providers',
        // aws_pinpointsmsvoicev2_resource_policy is in the 6.x line of the AWS provider.
        body: [['aws', { source: 'hashicorp/aws', version: '>= 6.0' }]],
      },
    ],
  },
  { head: 'variable "region"', body: [['description', 'Region of the 10DLC number (IAM is global; the resource policies are regional).'], ['type', new Expr('string')], ['default', region]] },
  { head: 'provider "aws"', body: [['region', new Expr('var.region')]] },
];

function render(blocks: readonly Block[], head: string[]): string {
  const out = [...head];
  blocks.forEach((b, i) => {
    if (i > 0) {
      out.push('');
    }
    out.push(...renderBlock(b, 0));
  });
  return `${out.join('\n')}\n`;
}

/** The primary configuration: apply once, with the primary account's credentials. */
export function primaryTerraform(m: SetupModel): string {
  const params = m.primaryParams;
  const tags = Object.fromEntries(m.role.tags.map((t) => [t.Key, t.Value]));
  const blocks: Block[] = [
    ...PROVIDER_BLOCKS(m.region),
    ...params.map(variable),
    { head: 'data "aws_caller_identity" "current"', body: [] },
    {
      head: `resource "aws_iam_role" "${TF.role}"`,
      body: [
        ['name', tfString(m.role.name, params)],
        ['description', m.role.description],
        ['assume_role_policy', new Expr(jsonencode(m.role.trust, params, 2))],
        ['tags', tags],
      ],
    },
    {
      head: `resource "aws_iam_role_policy" "${TF.rolePolicy}"`,
      body: [
        ['name', m.role.inlinePolicyName],
        ['role', new Expr(`aws_iam_role.${TF.role}.id`)],
        ['policy', new Expr(jsonencode(m.role.permissions, params, 2))],
      ],
    },
    ...m.resourcePolicies.map(
      (r): Block => {
        const arn = params.find((p) => p.key === r.arnParam)?.tf;
        const enable = params.find((p) => p.key === r.enableParam)?.tf;
        return {
          head: `resource "aws_pinpointsmsvoicev2_resource_policy" "${r.tfName}"`,
          comment: `${r.reason}\nThe resource policy replaces the whole policy on the resource.`,
          body: [
            ['count', new Expr(`var.${enable} && var.${arn} != "" ? 1 : 0`)],
            ['resource_arn', new Expr(`var.${arn}`)],
            ['policy', new Expr(jsonencode(r.document, params, 2))],
          ],
        };
      },
    ),
    {
      head: `resource "aws_iam_role" "${TF.deliveryRole}"`,
      body: [
        ['count', new Expr(`var.create_delivery_status_role ? 1 : 0`)],
        ['name', m.deliveryRole.name],
        ['description', m.deliveryRole.description],
        ['assume_role_policy', new Expr(jsonencode(m.deliveryRole.trust, params, 2))],
        ['tags', tags],
      ],
    },
    {
      head: `resource "aws_iam_role_policy" "${TF.deliveryPolicy}"`,
      body: [
        ['count', new Expr(`var.create_delivery_status_role ? 1 : 0`)],
        ['name', m.deliveryRole.inlinePolicyName],
        ['role', new Expr(`aws_iam_role.${TF.deliveryRole}[0].id`)],
        ['policy', new Expr(jsonencode(m.deliveryRole.permissions, params, 2))],
      ],
    },
    { head: 'output "role_arn"', body: [['description', 'The role secondaries assume.'], ['value', new Expr(`aws_iam_role.${TF.role}.arn`)]] },
    {
      head: 'output "delivery_status_role_arn"',
      body: [['description', 'Set it as DeliveryStatusIAMRole with aws sns set-sms-attributes.'], ['value', new Expr(`one(aws_iam_role.${TF.deliveryRole}[*].arn)`)]],
    },
  ];
  return render(blocks, header(m, `Apply once, with the primary account's credentials, in ${m.region}.`));
}

/** The secondary configuration: apply once per secondary account. */
export function secondaryTerraform(m: SetupModel): string {
  const params = m.secondaryParams;
  const blocks: Block[] = [
    ...PROVIDER_BLOCKS(m.region),
    ...params.map(variable),
    {
      head: 'variable "attach_to_roles"',
      body: [['description', 'Roles in this account that send SMS (the policy is attached to each).'], ['type', new Expr('list(string)')], ['default', []]],
    },
    {
      head: `resource "aws_iam_policy" "${TF.secondaryPolicy}"`,
      body: [
        ['name', tfString(m.secondary.policyName, params)],
        ['description', m.secondary.description],
        ['policy', new Expr(jsonencode(m.secondary.document, params, 2))],
      ],
    },
    {
      head: `resource "aws_iam_role_policy_attachment" "senders"`,
      body: [
        ['for_each', new Expr('toset(var.attach_to_roles)')],
        ['role', new Expr('each.value')],
        ['policy_arn', new Expr(`aws_iam_policy.${TF.secondaryPolicy}.arn`)],
      ],
    },
    { head: 'output "policy_arn"', body: [['description', 'Attach it to the principals that send.'], ['value', new Expr(`aws_iam_policy.${TF.secondaryPolicy}.arn`)]] },
    { head: 'output "role_arn"', body: [['description', 'The role to assume.'], ['value', tfString(m.secondary.document.Statement[0].Resource as string, params)]] },
  ];
  return render(blocks, header(m, 'Apply once per secondary account, with that account\'s credentials.'));
}
