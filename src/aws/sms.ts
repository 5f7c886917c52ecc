/**
 * Sends a test SMS through the shared 10DLC number with an assumed-role session, and the one
 * read-only check done before it (is the destination opted out?).
 */
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, type MessageAttributeValue } from '@aws-sdk/client-sns';
import type { AwsProfile } from '../core/profiles';
import type { ClientFactory } from './clients';
import { explainError } from './errors';
import type { AssumedSession } from './sessions';

export type SmsType = 'Transactional' | 'Promotional';

export interface SmsRequest {
  readonly destination: string;
  readonly message: string;
  readonly originationNumber: string;
  readonly smsType: SmsType;
  /** USD, as a decimal string; omitted when empty. */
  readonly maxPrice?: string;
  /** The number's region (where the 10DLC number lives). */
  readonly region: string;
}

/** The MessageAttributes SNS reads for an SMS. Exported so tests check the exact shape. */
export function smsAttributes(r: Pick<SmsRequest, 'originationNumber' | 'smsType' | 'maxPrice'>): Record<string, MessageAttributeValue> {
  const attrs: Record<string, MessageAttributeValue> = {
    'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: r.originationNumber },
    'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: r.smsType },
  };
  if (r.maxPrice) {
    attrs['AWS.SNS.SMS.MaxPrice'] = { DataType: 'Number', StringValue: r.maxPrice };
  }
  return attrs;
}

export type OptOutState = { readonly status: 'opted-out' | 'not-opted-out' } | { readonly status: 'unknown'; readonly reason: string };

export class SmsService {
  constructor(private readonly clients: ClientFactory) {}

  /**
   * Publishes the SMS; returns SNS's message id. Errors are thrown as the SDK raised them, marked with how far the
   * request got (`requestOutcome` in ./errors tells whether it may have been sent). Never retried: one attempt.
   */
  async publish(session: AssumedSession, via: AwsProfile | undefined, r: SmsRequest, signal?: AbortSignal): Promise<string> {
    const sns = this.clients.sns(via, session.credentials, { profile: `${session.profile} → role`, account: session.accountId, region: r.region }, this.clients.sendTimeouts);
    try {
      const out = await sns.send(
        new PublishCommand({ PhoneNumber: r.destination, Message: r.message, MessageAttributes: smsAttributes(r) }),
        { abortSignal: signal },
      );
      if (!out.MessageId) {
        // An answer of success without its message id: the message may well be on its way.
        throw Object.assign(new Error('SNS answered Publish without a message id.'), { $tendlcRequest: 'sent', $tendlcOperation: 'Publish' });
      }
      return out.MessageId;
    } finally {
      sns.destroy();
    }
  }

  /** Is the destination opted out in the primary account? Never throws: unknown says why. */
  async optOutState(session: AssumedSession, via: AwsProfile | undefined, destination: string, region: string, signal?: AbortSignal): Promise<OptOutState> {
    const sns = this.clients.sns(via, session.credentials, { profile: `${session.profile} → role`, account: session.accountId, region }, this.clients.checkTimeouts);
    try {
      const out = await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: destination }), { abortSignal: signal });
      return { status: out.isOptedOut ? 'opted-out' : 'not-opted-out' };
    } catch (e) {
      const x = explainError(e, { operation: 'CheckIfPhoneNumberIsOptedOut', endpoint: this.clients.endpointFor(via, 'sns') });
      return { status: 'unknown', reason: x.message };
    } finally {
      sns.destroy();
    }
  }
}
