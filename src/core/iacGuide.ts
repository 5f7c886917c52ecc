/**
 * The README.md that opens beside the exported CloudFormation templates and Terraform files: the exact
 * commands, and the traps practitioners hit with StackSets and IAM names. Pure.
 */
import { profileWord, shellQuote } from './format';
import { P, type SetupModel } from './setup';

export interface IacGuideInput {
  readonly primaryProfile: string;
  /** Secondary profiles with their account ids (names of profiles, or "account N" when typed). */
  readonly secondaries: readonly { readonly name: string; readonly accountId: string }[];
}

const label = (m: SetupModel, id: string): string => (m.accountNames[id] ? `${id} (${m.accountNames[id]})` : id);

/** A CloudFormation stack name (letters, digits, hyphens; starts with a letter) from the role name. */
export function stackName(roleName: string): string {
  const s = roleName.replace(/[^A-Za-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return (/^[A-Za-z]/.test(s) ? s : `tendlc-${s}`).replace(/-$/, '').slice(0, 128);
}

function roleNameOf(m: SetupModel): string {
  return m.primaryParams.find((p) => p.key === P.roleName)?.value as string;
}

function resourcePolicyLines(m: SetupModel, format: 'cfn' | 'tf'): string[] {
  if (m.resourcePolicies.length === 0) {
    return ['No 10DLC number is set (`tendlc.originationNumber`), so the templates hold no resource policy for it. Set it and export again: numbers bought since 24 September 2024 need one.', ''];
  }
  const lines = [
    format === 'cfn'
      ? 'The number and its opt-out list get a resource policy (`AWS::SMSVOICE::ResourcePolicy`) that lets SNS use them, where the setup needs it. Each has a switch parameter whose default says what was found:'
      : 'The number and its opt-out list get a resource policy (`aws_pinpointsmsvoicev2_resource_policy`) that lets SNS use them, where the setup needs it. Each has a switch variable whose default says what was found:',
    '',
  ];
  for (const r of m.resourcePolicies) {
    const param = m.primaryParams.find((p) => p.key === r.enableParam);
    lines.push(`- \`${format === 'cfn' ? r.enableParam : param?.tf}\` = \`${r.needed}\`: ${r.reason}`);
  }
  lines.push(
    '',
    '**Trap:** a resource policy is one document per resource; deploying one *replaces* whatever policy is there (PutResourcePolicy). The switch is on by default only where the resource has no policy today. Where it has one, merge the grant into it by hand (Generate Cross-Account Policies shows the statement and the commands) instead of switching it on.',
    '',
  );
  return lines;
}

/** README.md beside the CloudFormation templates. */
export function cloudFormationGuide(m: SetupModel, g: IacGuideInput): string {
  const role = roleNameOf(m);
  const stack = stackName(role);
  const ext = m.primaryParams.some((p) => p.key === P.externalId);
  const secondaryIds = m.secondaryParams.find((p) => p.key === P.primaryAccountId)?.value as string;
  const accounts = (m.primaryParams.find((p) => p.key === P.secondaryAccountIds)?.value as readonly string[]) ?? [];
  const lines = [
    `# CloudFormation for the 10DLC cross-account role \`${role}\``,
    '',
    `Generated from the same model as *Generate Cross-Account Policies*: the policies in these templates are the ones in its JSON documents. Primary account **${label(m, m.primaryAccountId)}** owns ${m.originationNumber ?? 'the number'} in **${m.region}** and is billed for every message. Secondary accounts: ${accounts.map((a) => `**${label(m, a)}**`).join(', ')}.`,
    '',
    '| File | Deploy to | What it holds |',
    '| --- | --- | --- |',
    `| \`primary.yaml\` | the primary account, once, in ${m.region} | the role (trust policy, inline permissions policy \`${m.role.inlinePolicyName}\`, tag \`managed-by\`), the number's resource policies where needed, optionally the delivery-status logging role |`,
    '| `secondary.yaml` | every secondary account (a StackSet) | a customer managed policy allowing `sts:AssumeRole` on the role, optionally attached to roles, users or groups |',
    '',
    '## 1. The primary stack',
    '',
    'Save `primary.yaml`, then, with the primary account\'s credentials:',
    '',
    '```sh',
    `aws cloudformation deploy --profile ${shellQuote(g.primaryProfile)} --region ${m.region} \\`,
    `  --stack-name ${stack} \\`,
    '  --template-file primary.yaml \\',
    '  --capabilities CAPABILITY_NAMED_IAM \\',
    `  --tags managed-by=tendlc-cross-account${ext ? ' \\' : ''}`,
    ...(ext ? ['  --parameter-overrides ExternalId="$TENDLC_EXTERNAL_ID"'] : []),
    `aws cloudformation describe-stacks --profile ${shellQuote(g.primaryProfile)} --region ${m.region} --stack-name ${stack} --query "Stacks[0].Outputs"`,
    '```',
    '',
    `\`CAPABILITY_NAMED_IAM\` is needed because the role has a fixed name (secondaries must know its ARN).${ext ? ' The external id is a `NoEcho` parameter with no default, so it is never in the file: put the value of `tendlc.externalId` in `TENDLC_EXTERNAL_ID` first (later updates keep it unless you pass a new one).' : ''} To add a secondary account later, deploy again with \`--parameter-overrides SecondaryAccountIds=${[...accounts, 'NEW_ACCOUNT_ID'].join(',')}\`.`,
    '',
    'If the role already exists (made by *Create or Update Cross-Account Role* or by hand), CloudFormation cannot create it again: delete it first, or import it into the stack (`aws cloudformation create-change-set --change-set-type IMPORT`).',
    '',
    ...resourcePolicyLines(m, 'cfn'),
    'Delivery-status logging: deploy with `CreateDeliveryStatusRole=true`, then `aws sns set-sms-attributes --attributes DeliveryStatusIAMRole=<DeliveryStatusRoleArn output>,DeliveryStatusSuccessSamplingRate=100` (CloudFormation has no resource for SNS SMS attributes).',
    '',
    '## 2. The secondary accounts: a StackSet',
    '',
    `\`secondary.yaml\` takes the primary account id (default ${secondaryIds}) and the role name as parameters, so one StackSet serves every secondary account.`,
    '',
    '### Across an organization (service-managed permissions)',
    '',
    'From the management account, or a delegated administrator for StackSets (add `--call-as DELEGATED_ADMIN` to each command):',
    '',
    '```sh',
    `aws cloudformation create-stack-set --region ${m.region} \\`,
    '  --stack-set-name tendlc-secondary-assume \\',
    '  --template-body file://secondary.yaml \\',
    '  --capabilities CAPABILITY_NAMED_IAM \\',
    '  --permission-model SERVICE_MANAGED \\',
    '  --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false \\',
    `  --parameters ParameterKey=PrimaryAccountId,ParameterValue=${secondaryIds} ParameterKey=RoleName,ParameterValue=${role} ParameterKey=AttachToRoles,ParameterValue=SENDER_ROLE_NAME`,
    `aws cloudformation create-stack-instances --region ${m.region} \\`,
    '  --stack-set-name tendlc-secondary-assume \\',
    '  --deployment-targets OrganizationalUnitIds=ou-xxxx-xxxxxxxx \\',
    `  --regions ${m.region}`,
    '```',
    '',
    '### To named accounts (self-managed permissions)',
    '',
    'Needs `AWSCloudFormationStackSetAdministrationRole` in the administrator account and `AWSCloudFormationStackSetExecutionRole` in each target account:',
    '',
    '```sh',
    `aws cloudformation create-stack-set --profile ${shellQuote(g.primaryProfile)} --region ${m.region} \\`,
    '  --stack-set-name tendlc-secondary-assume \\',
    '  --template-body file://secondary.yaml \\',
    '  --capabilities CAPABILITY_NAMED_IAM \\',
    '  --permission-model SELF_MANAGED \\',
    `  --parameters ParameterKey=PrimaryAccountId,ParameterValue=${secondaryIds} ParameterKey=RoleName,ParameterValue=${role}`,
    `aws cloudformation create-stack-instances --profile ${shellQuote(g.primaryProfile)} --region ${m.region} \\`,
    '  --stack-set-name tendlc-secondary-assume \\',
    `  --accounts ${accounts.join(' ')} \\`,
    `  --regions ${m.region}`,
    '```',
    '',
    'Or, for one account, a plain stack with its own credentials:',
    '',
    '```sh',
    ...g.secondaries.map(
      (x) =>
        `aws cloudformation deploy --profile ${profileWord(x.name)} --region ${m.region} --stack-name tendlc-secondary-assume --template-file secondary.yaml --capabilities CAPABILITY_NAMED_IAM   # ${label(m, x.accountId)}`,
    ),
    '```',
    '',
    '## Two traps',
    '',
    '1. **Service-managed StackSets never deploy to the organization\'s management account**, even when it sits in a targeted OU, and they deploy nothing to the account they are run from. If the management account (or the primary itself) must send too, deploy `secondary.yaml` there as a plain stack (the `aws cloudformation deploy` line above).',
    `2. **IAM names are global to an account, not per region.** Deploying the same stack in two regions of one account makes the second fail with "already exists". \`primary.yaml\` has a rule (\`NumberRegionOnly\`) that refuses any region but ${m.region}. For \`secondary.yaml\`, give the StackSet **one** region (\`--regions ${m.region}\`); if your StackSet must cover several regions (an organization-wide one with automatic deployment, say), deploy with \`QualifyNameWithRegion=true\`, which names the policy \`tendlc-assume-sms-role-REGION\` so the copies do not collide.`,
    '',
    '## Check it',
    '',
    'In the 10DLC view: **Check Setup**, then right-click a secondary profile → **Send Test SMS**.',
    '',
  ];
  return lines.join('\n');
}

/** README.md beside the Terraform files. */
export function terraformGuide(m: SetupModel, g: IacGuideInput): string {
  const role = roleNameOf(m);
  const ext = m.primaryParams.some((p) => p.key === P.externalId);
  const accounts = (m.primaryParams.find((p) => p.key === P.secondaryAccountIds)?.value as readonly string[]) ?? [];
  const lines = [
    `# Terraform for the 10DLC cross-account role \`${role}\``,
    '',
    `Generated from the same model as *Generate Cross-Account Policies*: the policies here are its JSON documents, written with \`jsonencode()\`. Primary account **${label(m, m.primaryAccountId)}** owns ${m.originationNumber ?? 'the number'} in **${m.region}**. Secondary accounts: ${accounts.map((a) => `**${label(m, a)}**`).join(', ')}.`,
    '',
    'Two root modules, one per side, each saved in a directory of its own (they are applied with different credentials and keep separate state): `primary.tf` in `primary/` (apply once, in the primary account) and `secondary.tf` in `secondary/` (apply once per secondary account). They need the AWS provider 6.x (`aws_pinpointsmsvoicev2_resource_policy`).',
    '',
    '## 1. The primary account',
    '',
    '```sh',
    'cd primary',
    'terraform init',
    ...(ext ? ['export TF_VAR_external_id="$TENDLC_EXTERNAL_ID"   # sensitive: never written into the files or the plan output'] : []),
    `AWS_PROFILE=${shellQuote(g.primaryProfile)} terraform apply`,
    '```',
    '',
    `Variables: \`secondary_account_ids\` (default ${JSON.stringify(accounts)}), \`role_name\`${ext ? ', `external_id` (sensitive, no default)' : ''}, \`create_delivery_status_role\`, and for the number \`phone_number_arn\`, \`opt_out_list_arn\` and their switches. If the role exists already, import it first: \`terraform import aws_iam_role.cross_account_sms ${role}\`.`,
    '',
    ...resourcePolicyLines(m, 'tf'),
    '## 2. Each secondary account',
    '',
    'One workspace (or one state) per account, each applied with that account\'s credentials:',
    '',
    '```sh',
    'cd secondary',
    'terraform init',
    ...g.secondaries.flatMap((x) => [
      `terraform workspace select -or-create ${x.accountId}   # ${label(m, x.accountId)}`,
      `AWS_PROFILE=${profileWord(x.name)} terraform apply -var 'attach_to_roles=["SENDER_ROLE_NAME"]'`,
    ]),
    '```',
    '',
    'IAM names are global to an account: apply `secondary.tf` once per account (not once per region), or give `policy_name` a region suffix.',
    '',
    'For an organization-wide rollout from one place, CloudFormation StackSets (the other export) deploy the secondary side to every account of an OU, including accounts created later.',
    '',
  ];
  return lines.join('\n');
}
