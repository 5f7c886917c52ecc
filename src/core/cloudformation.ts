/**
 * The setup model (`setup.ts`) as CloudFormation YAML: a primary stack (the role, the number's resource
 * policies where the setup needs them, the optional delivery-status role) and a secondary stack for a
 * StackSet (the managed policy that allows `sts:AssumeRole` on the role). Pure.
 */
import { listParamOf, P, splitSymbols, type SetupModel, type SetupParameter } from './setup';
import { Tag, toYaml, type YamlValue } from './yaml';

/** CloudFormation logical ids, for tests and the guide. */
export const CFN = {
  role: 'CrossAccountSmsRole',
  deliveryRole: 'DeliveryStatusRole',
  secondaryPolicy: 'AssumeSmsRolePolicy',
  regionRule: 'NumberRegionOnly',
} as const;

const PSEUDO = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::StackName', 'AWS::URLSuffix']);

/** A string of the model as CloudFormation: plain, `!Ref X` when it is one parameter, else `!Sub`. */
function cfnString(s: string, params: readonly SetupParameter[]): YamlValue {
  const list = listParamOf(s, params);
  if (list) {
    // Each item of a CommaDelimitedList through a template, e.g. account ids to their :root ARNs:
    // join with the template's suffix and prefix between, wrap, split again. (Fn::Join's delimiter must
    // be a literal, so the template holds no symbol but `${item}`.)
    const [prefix, suffix] = (list.itemTemplate ?? '${item}').split('${item}');
    if (prefix.includes('${') || suffix.includes('${')) {
      throw new Error(`the item template of ${list.key} may hold no symbol but \${item}`);
    }
    return new Tag('!Split', [',', new Tag('!Sub', [`${prefix}\${Items}${suffix}`, { Items: new Tag('!Join', [`${suffix},${prefix}`, new Tag('!Ref', list.key)]) }])]);
  }
  const parts = splitSymbols(s);
  if (parts.every((p) => typeof p === 'string')) {
    return s;
  }
  for (const p of parts) {
    if (typeof p !== 'string' && !PSEUDO.has(p.sym) && !params.some((x) => x.key === p.sym)) {
      throw new Error(`\${${p.sym}} is not a parameter of this template`);
    }
  }
  if (parts.length === 1 && typeof parts[0] !== 'string') {
    return new Tag('!Ref', parts[0].sym);
  }
  // In Fn::Sub a literal "${" is written "${!".
  return new Tag('!Sub', parts.map((p) => (typeof p === 'string' ? p.replace(/\$\{/g, '${!') : '${' + p.sym + '}')).join(''));
}

/** A policy document (or any JSON) of the model, its strings as CloudFormation. */
function cfnValue(v: unknown, params: readonly SetupParameter[]): YamlValue {
  if (typeof v === 'string') {
    return cfnString(v, params);
  }
  if (Array.isArray(v)) {
    return v.map((x) => cfnValue(x, params));
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cfnValue(x, params)]));
  }
  return v as YamlValue;
}

function parameters(params: readonly SetupParameter[]): Record<string, YamlValue> {
  const out: Record<string, YamlValue> = {};
  for (const p of params) {
    const spec: Record<string, YamlValue> = { Type: p.type === 'list' ? 'CommaDelimitedList' : 'String', Description: p.description };
    if (p.sensitive) {
      spec['NoEcho'] = true;
      spec['MinLength'] = 2;
    } else if (p.type === 'list') {
      spec['Default'] = (p.value as readonly string[]).join(',');
    } else if (p.type === 'boolean') {
      spec['AllowedValues'] = ['true', 'false'];
      spec['Default'] = p.value ? 'true' : 'false';
    } else {
      spec['Default'] = p.value as string;
    }
    if (p.pattern && p.type === 'string') {
      spec['AllowedPattern'] = p.pattern;
      spec['ConstraintDescription'] = `must match ${p.pattern}`;
    }
    out[p.key] = spec;
  }
  return out;
}

const isTrue = (param: string): Tag => new Tag('!Equals', [new Tag('!Ref', param), 'true']);
const notEmpty = (param: string): Tag => new Tag('!Not', [new Tag('!Equals', [new Tag('!Ref', param), ''])]);

function describeSetup(m: SetupModel): string[] {
  const label = (id: string): string => (m.accountNames[id] ? `${id} (${m.accountNames[id]})` : id);
  const trusted = m.primaryParams.find((p) => p.key === P.secondaryAccountIds)?.value as readonly string[];
  return [
    `Primary account: ${label(m.primaryAccountId)}; number ${m.originationNumber ?? '(not set)'} in ${m.region}.`,
    `Secondary accounts trusted: ${trusted.map(label).join(', ')}.`,
  ];
}

/** The primary stack: deploy once, in the number's region, in the primary account. */
export function primaryTemplate(m: SetupModel): string {
  const params = m.primaryParams;
  const conditions: Record<string, YamlValue> = {};
  const resources: Record<string, YamlValue> = {
    [CFN.role]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: cfnString(m.role.name, params),
        Description: m.role.description,
        AssumeRolePolicyDocument: cfnValue(m.role.trust, params),
        Policies: [{ PolicyName: m.role.inlinePolicyName, PolicyDocument: cfnValue(m.role.permissions, params) }],
        Tags: m.role.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
      },
    },
  };
  for (const r of m.resourcePolicies) {
    const cond = `Has${r.logicalId}`;
    conditions[cond] = new Tag('!And', [isTrue(r.enableParam), notEmpty(r.arnParam)]);
    resources[r.logicalId] = {
      '#': `${r.reason} A ResourcePolicy replaces the whole policy on the resource.`,
      Type: 'AWS::SMSVOICE::ResourcePolicy',
      Condition: cond,
      Properties: { ResourceArn: new Tag('!Ref', r.arnParam), PolicyDocument: cfnValue(r.document, params) },
    };
  }
  conditions['CreateDeliveryRole'] = isTrue(m.deliveryRole.enableParam);
  resources[CFN.deliveryRole] = {
    Type: 'AWS::IAM::Role',
    Condition: 'CreateDeliveryRole',
    Properties: {
      RoleName: m.deliveryRole.name,
      Description: m.deliveryRole.description,
      AssumeRolePolicyDocument: cfnValue(m.deliveryRole.trust, params),
      Policies: [{ PolicyName: m.deliveryRole.inlinePolicyName, PolicyDocument: cfnValue(m.deliveryRole.permissions, params) }],
      Tags: m.role.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    },
  };
  const doc: Record<string, YamlValue> = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `10DLC cross-account SMS: the role secondaries assume in the primary account to send through ${m.originationNumber ?? 'the 10DLC number'} (tendlc-cross-account).`,
    Parameters: parameters(params),
    Rules: {
      [CFN.regionRule]: {
        Assertions: [
          {
            Assert: new Tag('!Equals', [new Tag('!Ref', 'AWS::Region'), m.region]),
            AssertDescription: `Deploy this stack once, in ${m.region} (the number's region): IAM role names are global to the account, so a second copy in another region would collide.`,
          },
        ],
      },
    },
    Conditions: conditions,
    Resources: resources,
    Outputs: {
      RoleArn: { Description: 'The role secondaries assume (AssumeRole, then SNS Publish with AWS.MM.SMS.OriginationNumber).', Value: new Tag('!GetAtt', `${CFN.role}.Arn`) },
      DeliveryStatusRoleArn: {
        Condition: 'CreateDeliveryRole',
        Description: 'Set it as DeliveryStatusIAMRole with aws sns set-sms-attributes.',
        Value: new Tag('!GetAtt', `${CFN.deliveryRole}.Arn`),
      },
    },
  };
  return toYaml(doc, [
    'Generated by 10DLC Cross-Account Access (tendlc.exportCloudFormation) from the same model as Generate Policies.',
    ...describeSetup(m),
    `Deploy once, in ${m.region}, with the primary account's credentials; see README.md beside this file.`,
  ]);
}

/** The secondary stack: one customer managed policy per account, for a StackSet over the secondaries. */
export function secondaryTemplate(m: SetupModel): string {
  const params = m.secondaryParams;
  const attach = ['Roles', 'Users', 'Groups'] as const;
  const extraParams: Record<string, YamlValue> = {
    QualifyNameWithRegion: {
      Type: 'String',
      AllowedValues: ['true', 'false'],
      Default: 'false',
      Description: 'Managed policy names are global to an account: deploy this stack in one region, or set true to add the region to the name when a StackSet must cover several.',
    },
  };
  const conditions: Record<string, YamlValue> = { QualifyName: isTrue('QualifyNameWithRegion') };
  const props: Record<string, YamlValue> = {
    ManagedPolicyName: new Tag('!If', ['QualifyName', new Tag('!Sub', '${PolicyName}-${AWS::Region}'), new Tag('!Ref', P.secondaryPolicyName)]),
    Description: m.secondary.description,
    PolicyDocument: cfnValue(m.secondary.document, params),
  };
  for (const a of attach) {
    const key = `AttachTo${a}`;
    extraParams[key] = {
      Type: 'CommaDelimitedList',
      Default: '',
      Description: `${a} in each secondary account that send SMS (names, comma-separated; empty: attach the policy yourself).`,
    };
    conditions[`Has${a}`] = new Tag('!Not', [new Tag('!Equals', [new Tag('!Join', ['', new Tag('!Ref', key)]), ''])]);
    props[a] = new Tag('!If', [`Has${a}`, new Tag('!Ref', key), new Tag('!Ref', 'AWS::NoValue')]);
  }
  const doc: Record<string, YamlValue> = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Lets principals of a secondary account assume the 10DLC cross-account SMS role in the primary account (tendlc-cross-account). Ready for a StackSet.',
    Parameters: { ...parameters(params), ...extraParams },
    Conditions: conditions,
    Resources: {
      [CFN.secondaryPolicy]: { Type: 'AWS::IAM::ManagedPolicy', Properties: props },
    },
    Outputs: {
      PolicyArn: { Description: 'Attach it to the principals that send.', Value: new Tag('!Ref', CFN.secondaryPolicy) },
      RoleArn: { Description: 'The role to assume.', Value: cfnString(m.secondary.document.Statement[0].Resource as string, params) },
    },
  };
  return toYaml(doc, [
    'Generated by 10DLC Cross-Account Access (tendlc.exportCloudFormation) from the same model as Generate Policies.',
    ...describeSetup(m),
    'Deploy to each secondary account as a StackSet (one region), or as a stack; see README.md beside this file.',
  ]);
}
