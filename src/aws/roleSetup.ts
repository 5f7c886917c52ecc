/**
 * Reads and writes the cross-account role in the primary account: its trust policy, the inline
 * permissions policy this extension manages, and the tag that marks the role as ours. Decisions
 * (what to propose, whether to apply) belong to the caller; this module only talks to IAM.
 */
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { INLINE_POLICY_NAME, ROLE_TAG } from '../core/policies';
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory } from './clients';

export { INLINE_POLICY_NAME, ROLE_TAG } from '../core/policies';

/**
 * A role as IAM holds it. Policy documents are kept as the text IAM returned (URL-encoded JSON):
 * reading them is the policy engine's job, and a document it cannot read must still be shown as it is.
 */
export interface RoleState {
  readonly exists: boolean;
  readonly arn?: string;
  /** The trust policy's text as IAM returned it. */
  readonly trust?: string;
  /** Our inline permissions policy's text, when the role has it. */
  readonly permissions?: string;
  /** Every inline policy of the role, by name (ours included), as IAM returned it. */
  readonly inlinePolicies: Readonly<Record<string, string>>;
  readonly attachedPolicyArns: readonly string[];
  readonly tagged: boolean;
}

export interface RoleTarget {
  readonly profile: AwsProfile;
  readonly credentials: AwsCredentialIdentityProvider;
  readonly accountId: string;
  readonly region: string;
  readonly roleName: string;
}

function isNoSuchEntity(e: unknown): boolean {
  const n = (e as { name?: string; Code?: string }).name ?? (e as { Code?: string }).Code;
  return n === 'NoSuchEntity' || n === 'NoSuchEntityException';
}

/** A document to send to IAM: the text as validated and shown, without a byte-order mark. */
function outgoing(text: string): string {
  return text.replace(/^\ufeff/, '');
}

export class RoleManager {
  constructor(private readonly clients: ClientFactory) {}

  private iam(t: RoleTarget): IAMClient {
    return this.clients.iam(t.profile, t.credentials, { profile: t.profile.name, account: t.accountId, region: t.region });
  }

  /** The role as it is now (exists: false when IAM says NoSuchEntity). */
  async read(t: RoleTarget, signal?: AbortSignal): Promise<RoleState> {
    const iam = this.iam(t);
    try {
      let role;
      try {
        role = (await iam.send(new GetRoleCommand({ RoleName: t.roleName }), { abortSignal: signal })).Role;
      } catch (e) {
        if (isNoSuchEntity(e)) {
          return { exists: false, inlinePolicies: {}, attachedPolicyArns: [], tagged: false };
        }
        throw e;
      }
      const names = (await iam.send(new ListRolePoliciesCommand({ RoleName: t.roleName }), { abortSignal: signal })).PolicyNames ?? [];
      const inline: Record<string, string> = {};
      await Promise.all(
        names.map(async (n) => {
          const out = await iam.send(new GetRolePolicyCommand({ RoleName: t.roleName, PolicyName: n }), { abortSignal: signal });
          if (out.PolicyDocument !== undefined) {
            inline[n] = out.PolicyDocument;
          }
        }),
      );
      const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: t.roleName }), { abortSignal: signal })).AttachedPolicies ?? [];
      return {
        exists: true,
        arn: role?.Arn,
        trust: role?.AssumeRolePolicyDocument,
        permissions: inline[INLINE_POLICY_NAME],
        inlinePolicies: inline,
        attachedPolicyArns: attached.map((a) => a.PolicyArn ?? '').filter(Boolean),
        tagged: (role?.Tags ?? []).some((tag) => tag.Key === ROLE_TAG.Key && tag.Value === ROLE_TAG.Value),
      };
    } finally {
      iam.destroy();
    }
  }

  /** Creates the role with its trust policy, tag and inline permissions policy (documents as texts, sent as they are). */
  async create(t: RoleTarget, trust: string, permissions: string, signal?: AbortSignal): Promise<string | undefined> {
    const iam = this.iam(t);
    try {
      const out = await iam.send(
        new CreateRoleCommand({
          RoleName: t.roleName,
          AssumeRolePolicyDocument: outgoing(trust),
          Description: 'Lets secondary accounts send SMS through the shared 10DLC number (10DLC Cross-Account Access)',
          Tags: [{ ...ROLE_TAG }],
          MaxSessionDuration: 3600,
        }),
        { abortSignal: signal },
      );
      await iam.send(new PutRolePolicyCommand({ RoleName: t.roleName, PolicyName: INLINE_POLICY_NAME, PolicyDocument: outgoing(permissions) }), { abortSignal: signal });
      return out.Role?.Arn;
    } finally {
      iam.destroy();
    }
  }

  /** Applies what changed: the trust policy, our inline policy, the tag (documents as texts, sent as they are). */
  async update(t: RoleTarget, change: { trust?: string; permissions?: string; tag: boolean }, signal?: AbortSignal): Promise<void> {
    const iam = this.iam(t);
    try {
      if (change.trust) {
        await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: t.roleName, PolicyDocument: outgoing(change.trust) }), { abortSignal: signal });
      }
      if (change.permissions) {
        await iam.send(new PutRolePolicyCommand({ RoleName: t.roleName, PolicyName: INLINE_POLICY_NAME, PolicyDocument: outgoing(change.permissions) }), { abortSignal: signal });
      }
      if (change.tag) {
        await iam.send(new TagRoleCommand({ RoleName: t.roleName, Tags: [{ ...ROLE_TAG }] }), { abortSignal: signal });
      }
    } finally {
      iam.destroy();
    }
  }
}
