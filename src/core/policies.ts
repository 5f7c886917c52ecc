/**
 * The IAM policy documents of the cross-account setup, built from validated inputs.
 * Pure: no `vscode`, no AWS SDK.
 */

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal?: { AWS: string | string[] } | { Service: string };
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** The tag that marks the cross-account role as made by this extension (Create Role, the IaC exports). */
export const ROLE_TAG = { Key: 'managed-by', Value: 'tendlc-cross-account' } as const;
/** Name of the role's inline permissions policy. */
export const INLINE_POLICY_NAME = 'tendlc-sms-publish';
/** Name the guide and the IaC exports give the secondary side's policy. */
export const SECONDARY_POLICY_NAME = 'tendlc-assume-sms-role';

/** The AWS partition of a region: 10DLC is US-only, but GovCloud accounts exist. */
export function partitionOf(region: string | undefined): string {
  if (region?.startsWith('us-gov-')) {
    return 'aws-us-gov';
  }
  if (region?.startsWith('cn-')) {
    return 'aws-cn';
  }
  return 'aws';
}

/** `arn:PARTITION:iam::ACCOUNT:role/NAME` (path included when given). */
export function roleArn(accountId: string, roleName: string, region?: string, path = '/'): string {
  const p = path === '/' || path === '' ? '' : path.replace(/^\/?/, '').replace(/\/?$/, '/');
  return `arn:${partitionOf(region)}:iam::${accountId}:role/${p}${roleName}`;
}

/** A principal for a trust policy: a 12-digit account id becomes its `:root` ARN; an ARN stays. */
export function principalArn(accountOrArn: string, region?: string): string {
  return /^\d{12}$/.test(accountOrArn) ? `arn:${partitionOf(region)}:iam::${accountOrArn}:root` : accountOrArn;
}

export interface TrustPolicyInput {
  /** Secondary account ids (12 digits) or principal ARNs that may assume the role. */
  readonly principals: readonly string[];
  readonly externalId?: string;
  readonly requireMfa: boolean;
  readonly region?: string;
}

/**
 * The role's trust policy: each secondary principal may call `sts:AssumeRole`, with an
 * `sts:ExternalId` match and `aws:MultiFactorAuthPresent` when those are asked for. `Bool` (never
 * `BoolIfExists`) so that a request without MFA context is refused, not let through.
 */
export function trustPolicy(input: TrustPolicyInput): PolicyDocument {
  const principals = [...new Set(input.principals.map((p) => principalArn(p, input.region)))].sort();
  const condition: Record<string, Record<string, string>> = {};
  if (input.externalId) {
    condition['StringEquals'] = { 'sts:ExternalId': input.externalId };
  }
  if (input.requireMfa) {
    condition['Bool'] = { 'aws:MultiFactorAuthPresent': 'true' };
  }
  const statement: PolicyStatement = {
    Sid: 'AllowSecondaryAccountsToAssume',
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: 'sts:AssumeRole',
  };
  if (Object.keys(condition).length > 0) {
    statement.Condition = condition;
  }
  return { Version: '2012-10-17', Statement: [statement] };
}

/** End User Messaging SMS actions SNS performs on the caller's behalf when it sends an SMS. */
export const SMS_VOICE_ACTIONS_VIA_SNS = [
  'sms-voice:DescribeAccountAttributes',
  'sms-voice:DescribeOptedOutNumbers',
  'sms-voice:DescribePhoneNumbers',
  'sms-voice:DescribeSpendLimits',
  'sms-voice:SendTextMessage',
] as const;

/** Sid of the optional statement: read-only calls for the send pre-flight and delivery status. */
export const OPTIONAL_SID = 'OptionalPreflightAndDeliveryStatusReads';

/**
 * Sid of the optional statement that lets the role call End User Messaging's SendTextMessage itself,
 * for *Dry Run Send* (SendTextMessage with DryRun = true). No IAM condition key limits it to dry runs
 * that we found, so it also lets the role send for real through End User Messaging (billed to the
 * primary, like Publish); leave it out when you do not want dry runs.
 */
export const DRY_RUN_SID = 'OptionalDryRunSendTextMessage';

export interface PermissionsInput {
  /** The primary account (scopes the delivery-log permission to its log groups). */
  readonly accountId?: string;
  readonly region?: string;
  /** Add the optional read-only statement (default true). */
  readonly includeOptional?: boolean;
}

/**
 * The role's permissions: `sns:Publish` (there is no ARN for a phone number, so `Resource` is `*`),
 * the End User Messaging actions SNS calls for an SMS, allowed only when SNS is the caller, and —
 * optional, labelled by their Sids — the read-only calls the extension's pre-flight and delivery-status
 * lookups make, and SendTextMessage for *Dry Run Send* (`DRY_RUN_SID`). Removing the optional
 * statements only makes those checks report "unknown" and the dry run be refused.
 */
export function permissionsPolicy(input: PermissionsInput = {}): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: 'PublishSmsThroughSharedNumber',
      Effect: 'Allow',
      Action: ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut'],
      Resource: '*',
    },
    {
      Sid: 'EndUserMessagingViaSnsOnly',
      Effect: 'Allow',
      Action: [...SMS_VOICE_ACTIONS_VIA_SNS],
      Resource: '*',
      Condition: { StringEquals: { 'aws:CalledViaLast': 'sns.amazonaws.com' } },
    },
  ];
  if (input.includeOptional ?? true) {
    const account = input.accountId ?? '*';
    statements.push(
      {
        Sid: OPTIONAL_SID,
        Effect: 'Allow',
        Action: [
          'sms-voice:DescribeOptOutLists',
          'sms-voice:DescribePhoneNumbers',
          'sms-voice:DescribeRegistrationFieldValues',
          'sms-voice:DescribeRegistrations',
          'sms-voice:DescribeRegistrationVersions',
          'sms-voice:GetResourcePolicy',
          'sms-voice:ListRegistrationAssociations',
          'sns:GetSMSAttributes',
          'sns:GetSMSSandboxAccountStatus',
          'sns:ListSMSSandboxPhoneNumbers',
        ],
        Resource: '*',
      },
      {
        // Only SNS's SMS delivery-status log groups of the primary account.
        Sid: `${OPTIONAL_SID}Logs`,
        Effect: 'Allow',
        Action: 'logs:FilterLogEvents',
        Resource: `arn:${partitionOf(input.region)}:logs:*:${account}:log-group:sns/*/${account}/DirectPublishToPhoneNumber*`,
      },
      {
        // Dry Run Send through the role: SendTextMessage on the primary's phone numbers in the number's region.
        Sid: DRY_RUN_SID,
        Effect: 'Allow',
        Action: 'sms-voice:SendTextMessage',
        Resource: `arn:${partitionOf(input.region)}:sms-voice:${input.region ?? '*'}:${account}:phone-number/*`,
      },
    );
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** What each secondary principal needs: `sts:AssumeRole` on the primary's role, nothing wider. */
export function secondaryAssumePolicy(targetRoleArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AssumeSharedSmsRoleInPrimary',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: targetRoleArn,
      },
    ],
  };
}

/** Pretty JSON as IAM and the AWS CLI accept it. */
export function policyJson(doc: PolicyDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
