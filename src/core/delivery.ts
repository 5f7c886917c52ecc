/**
 * SNS SMS delivery-status records: where SNS writes them, how to read one, and what a carrier's
 * answer means. Pure: no `vscode`, no AWS SDK.
 */

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
}

/** Reads a delivery record from a log event's message; undefined when it is not one for `messageId`. */
export function parseDeliveryRecord(message: string, messageId: string): DeliveryRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(message);
  } catch {
    return undefined;
  }
  const o = v as {
    notification?: { messageId?: string; timestamp?: string };
    delivery?: { providerResponse?: string; phoneCarrier?: string; priceInUSD?: number; dwellTimeMs?: number; dwellTimeMsUntilDeviceAck?: number; numberOfMessageParts?: number };
    status?: string;
  };
  if (o?.notification?.messageId !== messageId || typeof o.status !== 'string') {
    return undefined;
  }
  return {
    messageId,
    status: o.status,
    providerResponse: o.delivery?.providerResponse,
    carrier: o.delivery?.phoneCarrier,
    priceInUSD: o.delivery?.priceInUSD,
    dwellTimeMs: o.delivery?.dwellTimeMs,
    dwellTimeMsUntilDeviceAck: o.delivery?.dwellTimeMsUntilDeviceAck,
    parts: o.delivery?.numberOfMessageParts,
    timestamp: o.notification.timestamp,
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

/** A test send, as the tree remembers it. Destination masked; nothing secret. */
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
  status: 'sent' | 'delivered' | 'failed' | 'pending' | 'unknown';
  detail?: string;
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
