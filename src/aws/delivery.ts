/**
 * Did the test SMS arrive? Finds SNS's delivery record of a message id in the primary account's
 * CloudWatch Logs, polling with backoff for a bounded time; and turns delivery-status logging on.
 */
import * as l10n from '@vscode/l10n';
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { SetSMSAttributesCommand } from '@aws-sdk/client-sns';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { candidatesFor, DELIVERY_ROLE_NAME, DELIVERY_ROLE_POLICY_NAME, deliveryLogGroups, deliveryRoleDocuments, failureHint, messageIdFilter, parseDeliveryRecord, type DeliveryRecord, type SendRecord } from '../core/delivery';
import { policyJson } from '../core/policies';
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory } from './clients';
import { explainError } from './errors';

export type DeliveryOutcome =
  | { readonly status: 'delivered'; readonly record: DeliveryRecord }
  | { readonly status: 'failed'; readonly record: DeliveryRecord; readonly hint: string }
  | { readonly status: 'pending'; readonly detail: string }
  | { readonly status: 'unknown'; readonly detail: string };

export interface DeliveryQuery {
  readonly messageId: string;
  readonly region: string;
  readonly accountId: string;
  /** When the message was sent; the search starts a minute before. */
  readonly sentAt: Date;
  /** Success sampling rate of delivery logging (percent), when known. */
  readonly successSamplingRate?: number;
}

export { DELIVERY_ROLE_NAME, DELIVERY_ROLE_POLICY_NAME, deliveryRoleDocuments } from '../core/delivery';

/** What the delivery logs say about a send whose outcome is unknown. */
export type UnknownSendOutcome =
  /** Records of messages to a destination with the same last four digits since the send: it was most likely sent. */
  | { readonly status: 'found'; readonly records: readonly DeliveryRecord[] }
  /** No such record (yet): not proof it was not sent (logging may be off or sampled, carriers report late). */
  | { readonly status: 'none'; readonly detail: string }
  | { readonly status: 'unknown'; readonly detail: string };

function isMissingGroup(e: unknown): boolean {
  return (e as { name?: string }).name === 'ResourceNotFoundException';
}

export class DeliveryTracker {
  constructor(private readonly clients: ClientFactory) {}

  /**
   * One look at both log groups, the two searched at once: the record when it is there ('none' when not yet); a
   * failure record wins over a success record of the same message.
   */
  async lookOnce(logs: CloudWatchLogsClient, q: DeliveryQuery, signal?: AbortSignal): Promise<DeliveryRecord | 'none'> {
    const groups = deliveryLogGroups(q.region, q.accountId);
    const search = async (group: string): Promise<DeliveryRecord | 'none'> => {
      let token: string | undefined;
      let pages = 0;
      try {
        do {
          const out = await logs.send(
            new FilterLogEventsCommand({ logGroupName: group, filterPattern: messageIdFilter(q.messageId), startTime: q.sentAt.getTime() - 60_000, nextToken: token }),
            { abortSignal: signal },
          );
          for (const ev of out.events ?? []) {
            // The filter pattern is a hint to the server; the message id is checked here on each event.
            const rec = parseDeliveryRecord(ev.message ?? '', q.messageId);
            if (rec) {
              return rec;
            }
          }
          token = out.nextToken;
          pages++;
        } while (token && pages < 20);
      } catch (e) {
        if (!isMissingGroup(e)) {
          throw e;
        }
        // A group that does not exist yet means "no record yet".
      }
      return 'none';
    };
    const [failure, success] = await Promise.all([search(groups.failure), search(groups.success)]);
    return failure !== 'none' ? failure : success;
  }

  /**
   * Looks in the primary's delivery-status logs for what became of a send whose outcome is unknown (no message id):
   * records since a minute before it to a destination with the same last four digits, other than messages the
   * history knows. Never throws.
   */
  async lookForUnknownSend(
    via: AwsProfile | undefined,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    send: Pick<SendRecord, 'at' | 'maskedDestination' | 'region' | 'primaryAccountId'>,
    knownIds: ReadonlySet<string>,
    signal?: AbortSignal,
  ): Promise<UnknownSendOutcome> {
    const logs = this.clients.logs(via, credentials, { profile: 'delivery status', account: send.primaryAccountId, region: send.region }, this.clients.checkTimeouts);
    const groups = deliveryLogGroups(send.region, send.primaryAccountId);
    const records: DeliveryRecord[] = [];
    // Both groups at once.
    const search = async (group: string): Promise<DeliveryRecord[]> => {
      const found: DeliveryRecord[] = [];
      let token: string | undefined;
      let pages = 0;
      try {
        do {
          const out = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: new Date(send.at).getTime() - 60_000, nextToken: token }), { abortSignal: signal });
          for (const ev of out.events ?? []) {
            const rec = parseDeliveryRecord(ev.message ?? '', undefined);
            if (rec) {
              found.push(rec);
            }
          }
          token = out.nextToken;
          pages++;
        } while (token && pages < 20);
      } catch (e) {
        if (!isMissingGroup(e)) {
          throw e;
        }
      }
      return found;
    };
    try {
      for (const found of await Promise.all([search(groups.success), search(groups.failure)])) {
        records.push(...found);
      }
    } catch (e) {
      const x = explainError(e, { operation: 'FilterLogEvents' });
      return { status: 'unknown', detail: x.category === 'access-denied' ? l10n.t('The role may not read the delivery logs (logs:FilterLogEvents); add the optional statement of the generated permissions policy.') : x.message };
    } finally {
      logs.destroy();
    }
    const found = candidatesFor(send, records, knownIds);
    return found.length
      ? { status: 'found', records: found }
      : {
          status: 'none',
          detail: l10n.t('No delivery record of a message to {0} since the send. That does not prove it was not sent: delivery-status logging may be off or sampled, and carriers can report for up to 72 hours.', send.maskedDestination),
        };
  }

  /**
   * Polls until a record appears or the delays run out. `delays` are the waits before each look
   * after the first; `sleep` is injectable so tests need not wait.
   */
  async poll(
    via: AwsProfile | undefined,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    q: DeliveryQuery,
    delays: readonly number[],
    opts: { signal?: AbortSignal; onLook?: (attempt: number) => void; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {},
  ): Promise<DeliveryOutcome> {
    const sleep = opts.sleep ?? abortableSleep;
    const logs = this.clients.logs(via, credentials, { profile: 'delivery status', account: q.accountId, region: q.region }, this.clients.checkTimeouts);
    try {
      for (let attempt = 0; attempt <= delays.length; attempt++) {
        if (attempt > 0) {
          await sleep(delays[attempt - 1], opts.signal);
        }
        opts.onLook?.(attempt + 1);
        const found = await this.lookOnce(logs, q, opts.signal);
        if (found !== 'none') {
          return found.status === 'SUCCESS' ? { status: 'delivered', record: found } : { status: 'failed', record: found, hint: failureHint(found.providerResponse) };
        }
      }
      const sampling = q.successSamplingRate !== undefined && q.successSamplingRate < 100;
      return {
        status: 'pending',
        detail: sampling ? l10n.t('No delivery record yet: carriers can report for up to 72 hours. Success records are sampled at {0}%, so a missing success record may mean it arrived.', String(q.successSamplingRate)) : l10n.t('No delivery record yet: carriers can report for up to 72 hours.'),
      };
    } catch (e) {
      const x = explainError(e, { operation: 'FilterLogEvents' });
      if (x.category === 'cancelled') {
        return { status: 'pending', detail: l10n.t('Stopped looking; use "Check Delivery Status" on the send in the 10DLC view to look again.') };
      }
      return { status: 'unknown', detail: x.category === 'access-denied' ? l10n.t('The role may not read the delivery logs (logs:FilterLogEvents); add the optional statement of the generated permissions policy.') : x.message };
    } finally {
      logs.destroy();
    }
  }

  /** Creates (or reuses) the role SNS writes logs with, then turns delivery-status logging on at 100%. */
  async enableLogging(primary: AwsProfile, credentials: AwsCredentialIdentityProvider, accountId: string, region: string, signal?: AbortSignal): Promise<{ roleArn: string; created: boolean }> {
    const ctx = { profile: primary.name, account: accountId, region };
    const iam = this.clients.iam(primary, credentials, ctx);
    const sns = this.clients.sns(primary, credentials, ctx);
    try {
      let roleArn: string | undefined;
      let created = false;
      try {
        roleArn = (await iam.send(new GetRoleCommand({ RoleName: DELIVERY_ROLE_NAME }), { abortSignal: signal })).Role?.Arn;
      } catch (e) {
        if ((e as { name?: string }).name !== 'NoSuchEntityException' && (e as { name?: string }).name !== 'NoSuchEntity') {
          throw e;
        }
      }
      const docs = deliveryRoleDocuments();
      if (!roleArn) {
        roleArn = (
          await iam.send(
            new CreateRoleCommand({
              RoleName: DELIVERY_ROLE_NAME,
              AssumeRolePolicyDocument: policyJson(docs.trust),
              Description: 'Lets SNS write SMS delivery-status logs (10DLC Cross-Account Access)',
              Tags: [{ Key: 'managed-by', Value: 'tendlc-cross-account' }],
            }),
            { abortSignal: signal },
          )
        ).Role?.Arn;
        created = true;
      }
      await iam.send(new PutRolePolicyCommand({ RoleName: DELIVERY_ROLE_NAME, PolicyName: DELIVERY_ROLE_POLICY_NAME, PolicyDocument: policyJson(docs.permissions) }), { abortSignal: signal });
      if (!roleArn) {
        throw new Error('IAM returned no role ARN');
      }
      await sns.send(new SetSMSAttributesCommand({ attributes: { DeliveryStatusIAMRole: roleArn, DeliveryStatusSuccessSamplingRate: '100' } }), { abortSignal: signal });
      return { roleArn, created };
    } finally {
      iam.destroy();
      sns.destroy();
    }
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
