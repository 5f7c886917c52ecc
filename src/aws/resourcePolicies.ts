/**
 * Resource-based policies of AWS End User Messaging SMS resources (pinpoint-sms-voice-v2: phone
 * numbers, pools, sender ids, opt-out lists): GetResourcePolicy and PutResourcePolicy, nothing else.
 * What to write, and whether, is the caller's decision (commands/resourcePolicyFlow.ts); this module
 * only talks to the service. A resource without a policy answers `"Policy": "{}"` (or no Policy):
 * both read as "none" here, and the text is otherwise kept exactly as returned, so that a document
 * the policy engine cannot read is still shown as it is, and a re-read can tell whether it changed.
 *
 * PutResourcePolicy replaces the whole document and has no conditional form: the caller reads again
 * just before writing (see the flow) and writes nothing when the document changed meanwhile.
 */
import { GetResourcePolicyCommand, PutResourcePolicyCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory } from './clients';

/** Whose resources, with which credentials, where. */
export interface EumTarget {
  readonly profile: AwsProfile;
  readonly credentials: AwsCredentialIdentityProvider;
  /** The account the credentials act in (verified with GetCallerIdentity by the caller before a write). */
  readonly accountId: string;
  readonly region: string;
}

/** A resource's policy as End User Messaging returned it. */
export interface ResourcePolicyText {
  readonly arn: string;
  /** The document's text; undefined when the resource has none. */
  readonly text?: string;
  /** Exactly what the service answered (`"{}"` included), to compare two reads. */
  readonly raw?: string;
}

/** True for what GetResourcePolicy answers about a resource without a policy. */
export function isNoPolicy(text: string | undefined): boolean {
  const t = text?.trim() ?? '';
  return t === '' || t === '{}';
}

export class ResourcePolicies {
  constructor(private readonly clients: ClientFactory) {}

  /** The current policy of each resource, in order. Throws when one cannot be read: a write must not be planned on a guess. */
  async read(target: EumTarget, arns: readonly string[], signal?: AbortSignal): Promise<ResourcePolicyText[]> {
    const eum = this.clients.smsVoice(target.profile, target.credentials, { profile: target.profile.name, account: target.accountId, region: target.region }, this.clients.checkTimeouts);
    try {
      return await Promise.all(
        arns.map(async (arn) => {
          const out = await eum.send(new GetResourcePolicyCommand({ ResourceArn: arn }), { abortSignal: signal });
          return { arn, raw: out.Policy, text: isNoPolicy(out.Policy) ? undefined : out.Policy };
        }),
      );
    } finally {
      eum.destroy();
    }
  }

  /** Replaces the policy of one resource with `policy` (the text exactly as validated and shown, without a byte-order mark). */
  async write(target: EumTarget, arn: string, policy: string, signal?: AbortSignal): Promise<void> {
    const eum = this.clients.smsVoice(target.profile, target.credentials, { profile: target.profile.name, account: target.accountId, region: target.region });
    try {
      await eum.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy.replace(/^\ufeff/, '') }), { abortSignal: signal });
    } finally {
      eum.destroy();
    }
  }
}
