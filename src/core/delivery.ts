/**
 * SNS SMS delivery-status records: where SNS writes them, how to read one, and what a carrier's
 * answer means. Pure: no `vscode`, no AWS SDK.
 */
import type { PolicyDocument } from './policies';

/** The role SNS assumes to write SMS delivery records, and its inline policy's name. */
export const DELIVERY_ROLE_NAME = 'tendlc-sns-delivery-status';
export const DELIVERY_ROLE_POLICY_NAME = 'tendlc-sns-delivery-logs';

/** The role SNS assumes to write delivery records: trusted by SNS, may write CloudWatch Logs. */
export function deliveryRoleDocuments(): { trust: PolicyDocument; permissions: PolicyDocument } {
  return {
    trust: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'SnsWritesDeliveryStatus', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    permissions: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'WriteSmsDeliveryStatusLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'],
          Resource: '*',
        },
      ],
    },
  };
}

/** The CloudWatch Logs groups SNS writes SMS delivery records to, in the sending account and region. */
export function deliveryLogGroups(region: string, accountId: string): { success: string; failure: string } {
  const base = `sns/${region}/${accountId}/DirectPublishToPhoneNumber`;
  return { success: base, failure: `${base}/Failure` };
}

/** The filter pattern that finds one message's record. */
export function messageIdFilter(messageId: string): string {
  return `{ $.notification.messageId = "${messageId.replace(/["\\]/g, '')}" }`;
}

export interface DeliveryRecord {
  readonly messageId: string;
  readonly status: 'SUCCESS' | 'FAILURE' | string;
  readonly providerResponse?: string;
  readonly carrier?: string;
  readonly priceInUSD?: number;
  readonly dwellTimeMs?: number;
  readonly dwellTimeMsUntilDeviceAck?: number;
  readonly parts?: number;
  readonly timestamp?: string;
  /** The destination as SNS logged it (AWS may mask part of it; the last four digits are kept). */
  readonly destination?: string;
}

/** Reads a delivery record from a log event's message; undefined when it is not one for `messageId` (any message id when undefined). */
export function parseDeliveryRecord(message: string, messageId: string | undefined): DeliveryRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(message);
  } catch {
    return undefined;
  }
  const o = v as {
    notification?: { messageId?: string; timestamp?: string };
    delivery?: { providerResponse?: string; phoneCarrier?: string; priceInUSD?: number; dwellTimeMs?: number; dwellTimeMsUntilDeviceAck?: number; numberOfMessageParts?: number; destination?: string };
    status?: string;
  };
  const id = o?.notification?.messageId;
  if (typeof id !== 'string' || (messageId !== undefined && id !== messageId) || typeof o.status !== 'string') {
    return undefined;
  }
  return {
    messageId: id,
    destination: typeof o.delivery?.destination === 'string' ? o.delivery.destination : undefined,
    status: o.status,
    providerResponse: o.delivery?.providerResponse,
    carrier: o.delivery?.phoneCarrier,
    priceInUSD: o.delivery?.priceInUSD,
    dwellTimeMs: o.delivery?.dwellTimeMs,
    dwellTimeMsUntilDeviceAck: o.delivery?.dwellTimeMsUntilDeviceAck,
    parts: o.delivery?.numberOfMessageParts,
    timestamp: o.notification?.timestamp,
  };
}

const HINTS: readonly [RegExp, string][] = [
  [/opted out/i, 'The recipient opted out. They can reply START to opt back in, or the primary can opt the number in (only after the recipient asks).'],
  [/max(imum)? price/i, 'The message would cost more than tendlc.maxPrice; raise or clear that setting.'],
  [/spend|limit/i, "The primary account's monthly SMS spend limit is reached; raise it in the SNS console or with a support case."],
  [/blocked.*(carrier|message)|carrier.*blocked|filtered|spam/i, 'The carrier filtered the message: check that the 10DLC campaign is registered and the text matches the campaign use case.'],
  [/unreachable|unavailable|switched off|not reachable/i, 'The phone was off or out of coverage; carriers retry for a while. Try again later.'],
  [/invalid|unknown (phone|number|subscriber)|not (a )?valid/i, 'The destination is not a valid mobile number for this carrier.'],
  [/landline|not sms.?capable|cannot receive/i, 'The destination cannot receive SMS (for example a landline).'],
  [/ttl|expired/i, 'The carrier could not deliver before the message expired.'],
];

/** A hint for a carrier's failure answer, or a general one. */
export function failureHint(providerResponse: string | undefined): string {
  for (const [re, hint] of HINTS) {
    if (providerResponse && re.test(providerResponse)) {
      return hint;
    }
  }
  return 'See the carrier response; AWS lists the known ones under "Amazon SNS SMS delivery status" in the SNS guide.';
}

/** One line for a delivered record: carrier, price, dwell time. */
export function deliveredSummary(r: DeliveryRecord): string {
  const parts = [
    r.carrier ? `carrier ${r.carrier}` : undefined,
    r.priceInUSD !== undefined ? `price $${r.priceInUSD}` : undefined,
    r.dwellTimeMs !== undefined ? `dwell ${r.dwellTimeMs} ms` : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no details in the record';
}

/** Delays between polls: quick at first, then slower, up to `totalMs` in all. */
export function pollSchedule(totalMs: number, firstMs = 5_000, factor = 1.5, maxMs = 30_000): number[] {
  const out: number[] = [];
  let sum = 0;
  let next = firstMs;
  while (sum + next <= totalMs) {
    out.push(next);
    sum += next;
    next = Math.min(maxMs, Math.round(next * factor));
  }
  if (sum < totalMs && totalMs - sum >= 1_000) {
    out.push(totalMs - sum);
  }
  return out;
}

/**
 * A test send, as the tree remembers it. Destination masked; nothing secret. `outcome-unknown`: the Publish reached
 * the endpoint and its answer was lost (or was a 5xx, or not from AWS), so there is no message id: `messageId` is
 * then a local id (see {@link unknownSendId}) until a delivery record shows what happened.
 */
export interface SendRecord {
  readonly at: string;
  readonly profile: string;
  readonly maskedDestination: string;
  readonly messageId: string;
  readonly region: string;
  readonly primaryAccountId: string;
  /** How it was sent: SNS Publish through the role (the default), or End User Messaging SendTextMessage (resourceShare mode). */
  readonly via?: 'sns' | 'eum';
  /** The account billed, when not the primary (resourceShare mode: the sending secondary). */
  readonly billedAccountId?: string;
  status: 'sent' | 'delivered' | 'failed' | 'pending' | 'unknown' | 'outcome-unknown';
  detail?: string;
}

const UNKNOWN_PREFIX = 'outcome-unknown-';

/** The local id of a send whose outcome is unknown (SNS gave no message id). */
export function unknownSendId(at: Date, nonce: string): string {
  return `${UNKNOWN_PREFIX}${at.getTime()}-${nonce}`;
}

/** True for a send whose outcome is unknown (its `messageId` is a local id, not SNS's). */
export function hasNoMessageId(r: Pick<SendRecord, 'messageId'>): boolean {
  return r.messageId.startsWith(UNKNOWN_PREFIX);
}

/** The last four digits of a destination (masked or not), or undefined. */
export function lastFour(destination: string): string | undefined {
  const digits = destination.replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : undefined;
}

/** How far SNS's acceptance time of a message may be from when the send of unknown outcome was written. */
export const UNKNOWN_SEND_WINDOW_MS = 2 * 60_000;

/**
 * The delivery records that may be those of a send whose outcome is unknown: to a destination with the same last
 * four digits, accepted by SNS (the record's notification timestamp) within two minutes of the send, and not a
 * message the history already knows.
 */
export function candidatesFor(send: Pick<SendRecord, 'at' | 'maskedDestination'>, records: readonly DeliveryRecord[], knownIds: ReadonlySet<string>): DeliveryRecord[] {
  const four = lastFour(send.maskedDestination);
  const at = new Date(send.at).getTime();
  return records.filter((r) => {
    const accepted = r.timestamp ? Date.parse(r.timestamp.includes('T') ? r.timestamp : `${r.timestamp.replace(' ', 'T')}Z`) : NaN;
    return (
      !knownIds.has(r.messageId) &&
      four !== undefined &&
      r.destination !== undefined &&
      lastFour(r.destination) === four &&
      (Number.isNaN(accepted) || Math.abs(accepted - at) <= UNKNOWN_SEND_WINDOW_MS)
    );
  });
}

/** Keeps the newest `max` records, newest first. */
export function addToHistory(history: readonly SendRecord[], record: SendRecord, max = 20): SendRecord[] {
  return [record, ...history.filter((h) => h.messageId !== record.messageId)].slice(0, max);
}

/**
 * Why a SendTextMessage's delivery status is not followed here: End User Messaging reports delivery
 * events through a configuration set's event destinations (CloudWatch Logs, Firehose, SNS) in the
 * sending account — not to SNS's delivery-status logs — and a send that names no configuration set
 * (as this extension's do) has none to read.
 */
export function eumDeliveryNote(accountId: string): string {
  return `End User Messaging reports delivery through a configuration set's event destinations in account ${accountId}, not through SNS's delivery-status logs; this test named no configuration set, so its delivery is not followed here.`;
}
