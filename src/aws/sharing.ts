/**
 * End User Messaging sharing (resourceShare mode), with the AWS SDK: what a secondary sees of the
 * shared number with its own credentials (DescribePhoneNumbers Owner = SHARED, its spend limit, its
 * sandbox tier, the shared opt-out list), SendTextMessage (for real, or DryRun), and the AWS RAM side
 * of sharing (the primary's resource share of the number, a secondary's invitation to it).
 * See src/core/sharing.ts for the facts and sources.
 */
import {
  DescribeAccountAttributesCommand,
  DescribeOptedOutNumbersCommand,
  DescribePhoneNumbersCommand,
  DescribeSpendLimitsCommand,
  SendTextMessageCommand,
  type PinpointSMSVoiceV2Client,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import {
  AcceptResourceShareInvitationCommand,
  AssociateResourceShareCommand,
  CreateResourceShareCommand,
  GetResourceShareAssociationsCommand,
  GetResourceShareInvitationsCommand,
  ListPendingInvitationResourcesCommand,
  type ListPendingInvitationResourcesCommandOutput,
  type GetResourceShareAssociationsCommandOutput,
  type GetResourceShareInvitationsCommandOutput,
  type RAMClient,
  type ResourceShareInvitation,
} from '@aws-sdk/client-ram';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import * as l10n from '@vscode/l10n';
import type { AwsProfile } from '../core/profiles';
import type { SpendLimitInfo } from '../core/sharing';
import type { ClientFactory } from './clients';
import { requestOutcome, TenDlcError } from './errors';

type Eum = PinpointSMSVoiceV2Client;
const MAX_PAGES = 50;

/** The shared number as the consuming account sees it. */
export interface SharedNumber {
  readonly phoneNumber: string;
  readonly arn: string;
  readonly status?: string;
  readonly numberType?: string;
  readonly optOutListName?: string;
}

/**
 * The number among those shared with the caller's account (`DescribePhoneNumbers` with `Owner =
 * SHARED`; the API refuses `PhoneNumberIds` together with `Owner`, so the list is paged through).
 * Undefined when the number is not shared with the account (or not in this Region).
 */
export async function findSharedNumber(eum: Eum, number: string, signal?: AbortSignal): Promise<SharedNumber | undefined> {
  let token: string | undefined;
  let pages = 0;
  do {
    const out = await eum.send(new DescribePhoneNumbersCommand({ Owner: 'SHARED', NextToken: token, MaxResults: 20 }), { abortSignal: signal });
    const hit = out.PhoneNumbers?.find((p) => p.PhoneNumber === number || p.PhoneNumberArn === number);
    if (hit?.PhoneNumberArn) {
      return { phoneNumber: hit.PhoneNumber ?? number, arn: hit.PhoneNumberArn, status: hit.Status, numberType: hit.NumberType, optOutListName: hit.OptOutListName };
    }
    token = out.NextToken;
    pages++;
  } while (token && pages < MAX_PAGES);
  return undefined;
}

/** The account's monthly text-message spend limit (DescribeSpendLimits), or undefined when none is reported. */
export async function readTextSpendLimit(eum: Eum, signal?: AbortSignal): Promise<SpendLimitInfo | undefined> {
  const out = await eum.send(new DescribeSpendLimitsCommand({}), { abortSignal: signal });
  const l = out.SpendLimits?.find((x) => x.Name === 'TEXT_MESSAGE_MONTHLY_SPEND_LIMIT');
  return l ? { enforcedLimit: l.EnforcedLimit, maxLimit: l.MaxLimit, overridden: l.Overridden } : undefined;
}

/** The account's End User Messaging tier: `SANDBOXED` or `PRODUCTION` (DescribeAccountAttributes ACCOUNT_TIER). */
export async function readAccountTier(eum: Eum, signal?: AbortSignal): Promise<string | undefined> {
  const out = await eum.send(new DescribeAccountAttributesCommand({}), { abortSignal: signal });
  return out.AccountAttributes?.find((a) => a.Name === 'ACCOUNT_TIER')?.Value;
}

/** Whether `destination` is on the opt-out list (name or ARN; a shared list needs its ARN). */
export async function isOptedOut(eum: Eum, optOutList: string, destination: string, signal?: AbortSignal): Promise<boolean> {
  const out = await eum.send(new DescribeOptedOutNumbersCommand({ OptOutListName: optOutList, OptedOutNumbers: [destination] }), { abortSignal: signal });
  return (out.OptedOutNumbers ?? []).some((n) => n.OptedOutNumber === destination);
}

export interface TextMessage {
  /** The number's ARN (a shared number must be named by its full ARN), or, in its own account, the number. */
  readonly originationIdentity: string;
  readonly destination: string;
  readonly body: string;
  readonly messageType: 'TRANSACTIONAL' | 'PROMOTIONAL';
  /** USD per message, as a decimal string; omitted when empty. */
  readonly maxPrice?: string;
}

/** The request exactly as sent (exported so tests check the wire shape, DryRun included). */
export function sendTextInput(m: TextMessage, dryRun: boolean) {
  return {
    DestinationPhoneNumber: m.destination,
    OriginationIdentity: m.originationIdentity,
    MessageBody: m.body,
    MessageType: m.messageType,
    ...(m.maxPrice ? { MaxPrice: m.maxPrice } : {}),
    ...(dryRun ? { DryRun: true } : {}),
  };
}

/**
 * SendTextMessage with the client it is given (one attempt: the caller builds it with the send
 * timeouts). Returns the message id End User Messaging answered (a dry run answers one too, for a
 * message that was not sent). Errors are thrown as the SDK raised them.
 */
export async function sendText(eum: Eum, m: TextMessage, dryRun: boolean, signal?: AbortSignal): Promise<string | undefined> {
  const out = await eum.send(new SendTextMessageCommand(sendTextInput(m, dryRun)), { abortSignal: signal });
  return out.MessageId;
}

/**
 * Whether a failed SendTextMessage may still have sent the message: issue 11's rule for Publish
 * (`requestOutcome`), the same for both sends — `not-sent` when AWS refused it with one of its own
 * 4xx errors or nothing was written to the connection; `unknown` when the request was written and its
 * answer was lost (a timeout, a reset, a cancel), or the answer was a 5xx or not an AWS answer.
 */
export const sendOutcome = requestOutcome;

// ---------------------------------------------------------------------------------------------------
// AWS RAM

export type PrincipalShareStatus = 'ASSOCIATING' | 'ASSOCIATED' | 'FAILED' | 'DISASSOCIATING' | 'DISASSOCIATED' | string;

export interface NumberShareState {
  /** Resource shares (of the caller, the owner) that hold the number. */
  readonly shares: readonly { readonly arn: string; readonly name?: string }[];
  /** Each principal (account id) those shares are associated with, and the association's status. */
  readonly principals: ReadonlyMap<string, { readonly status: PrincipalShareStatus; readonly share: string; readonly message?: string }>;
}

const RANK: Record<string, number> = { ASSOCIATED: 0, ASSOCIATING: 1, FAILED: 2, DISASSOCIATING: 3, DISASSOCIATED: 4 };

/**
 * The primary's RAM shares of the number and the state of each principal on them:
 * GetResourceShareAssociations by RESOURCE (which shares hold the number), then by PRINCIPAL.
 */
export async function readNumberShares(ram: RAMClient, numberArn: string, signal?: AbortSignal): Promise<NumberShareState> {
  const shares = new Map<string, string | undefined>();
  let token: string | undefined;
  let pages = 0;
  do {
    const out: GetResourceShareAssociationsCommandOutput = await ram.send(new GetResourceShareAssociationsCommand({ associationType: 'RESOURCE', resourceArn: numberArn, nextToken: token }), {
      abortSignal: signal,
    });
    for (const a of out.resourceShareAssociations ?? []) {
      if (a.resourceShareArn && a.status !== 'DISASSOCIATED' && a.status !== 'DISASSOCIATING') {
        shares.set(a.resourceShareArn, a.resourceShareName);
      }
    }
    token = out.nextToken;
    pages++;
  } while (token && pages < MAX_PAGES);
  const principals = new Map<string, { status: string; share: string; message?: string }>();
  if (shares.size) {
    token = undefined;
    pages = 0;
    do {
      const out: GetResourceShareAssociationsCommandOutput = await ram.send(new GetResourceShareAssociationsCommand({ associationType: 'PRINCIPAL', resourceShareArns: [...shares.keys()], nextToken: token }), {
        abortSignal: signal,
      });
      for (const a of out.resourceShareAssociations ?? []) {
        if (!a.associatedEntity || !a.status || !a.resourceShareArn) {
          continue;
        }
        const before = principals.get(a.associatedEntity);
        if (!before || (RANK[a.status] ?? 9) < (RANK[before.status] ?? 9)) {
          principals.set(a.associatedEntity, { status: a.status, share: a.resourceShareArn, message: a.statusMessage });
        }
      }
      token = out.nextToken;
      pages++;
    } while (token && pages < MAX_PAGES);
  }
  return { shares: [...shares].map(([arn, name]) => ({ arn, name })), principals };
}

/** Every resource a share of the caller's holds (GetResourceShareAssociations by RESOURCE, that share only). */
export async function shareResources(ram: RAMClient, shareArn: string, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page: GetResourceShareAssociationsCommandOutput = await ram.send(new GetResourceShareAssociationsCommand({ associationType: 'RESOURCE', resourceShareArns: [shareArn], nextToken: token }), {
      abortSignal: signal,
    });
    for (const a of page.resourceShareAssociations ?? []) {
      if (a.associatedEntity && a.status !== 'DISASSOCIATED') {
        out.push(a.associatedEntity);
      }
    }
    token = page.nextToken;
    pages++;
  } while (token && pages < MAX_PAGES);
  return out;
}

/**
 * Creates a resource share holding the number for `accounts` (outside an organization each gets an
 * invitation), or, when `existing` is given, adds the accounts to it. Never removes anything.
 */
export async function shareNumber(
  ram: RAMClient,
  input: { readonly numberArn: string; readonly name: string; readonly accounts: readonly string[]; readonly existing?: string },
  signal?: AbortSignal,
): Promise<{ readonly shareArn: string; readonly created: boolean }> {
  if (input.existing) {
    // A share named like ours may hold more than the number (made by hand, or changed since): adding accounts to it
    // would give them every resource in it. Read what it holds at write time and refuse anything but the number.
    const others = (await shareResources(ram, input.existing, signal)).filter((r) => r !== input.numberArn);
    if (others.length) {
      throw new TenDlcError(
        'unknown',
        l10n.t('Nothing was shared: the resource share {0} also holds {1}, and adding accounts {2} to it would share that with them too.', input.existing, others.join(', '), input.accounts.join(', ')),
        l10n.t('Remove the other resources from that share in the AWS RAM console, or rename it so that a new share holding only the number is created.'),
      );
    }
    await ram.send(new AssociateResourceShareCommand({ resourceShareArn: input.existing, principals: [...input.accounts] }), { abortSignal: signal });
    return { shareArn: input.existing, created: false };
  }
  const out = await ram.send(
    new CreateResourceShareCommand({ name: input.name, resourceArns: [input.numberArn], principals: [...input.accounts], allowExternalPrincipals: true, tags: [{ key: 'managed-by', value: 'tendlc-cross-account' }] }),
    { abortSignal: signal },
  );
  const arn = out.resourceShare?.resourceShareArn;
  if (!arn) {
    throw new Error('RAM answered CreateResourceShare without the resource share\'s ARN.');
  }
  return { shareArn: arn, created: true };
}

/** Invitations the caller's account received from `senderAccountId` (every status). */
export async function invitationsFrom(ram: RAMClient, senderAccountId: string, signal?: AbortSignal): Promise<ResourceShareInvitation[]> {
  const out: ResourceShareInvitation[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page: GetResourceShareInvitationsCommandOutput = await ram.send(new GetResourceShareInvitationsCommand({ nextToken: token }), { abortSignal: signal });
    out.push(...(page.resourceShareInvitations ?? []).filter((i) => i.senderAccountId === senderAccountId));
    token = page.nextToken;
    pages++;
  } while (token && pages < MAX_PAGES);
  return out;
}

/** The ARNs of the resources in the share a PENDING invitation offers (ListPendingInvitationResources). */
export async function pendingResources(ram: RAMClient, invitationArn: string, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page: ListPendingInvitationResourcesCommandOutput = await ram.send(new ListPendingInvitationResourcesCommand({ resourceShareInvitationArn: invitationArn, nextToken: token }), { abortSignal: signal });
    out.push(...(page.resources ?? []).flatMap((r) => (r.arn ? [r.arn] : [])));
    token = page.nextToken;
    pages++;
  } while (token && pages < MAX_PAGES);
  return out;
}

/** Accepts one invitation; returns its status afterwards. */
export async function acceptInvitation(ram: RAMClient, invitationArn: string, signal?: AbortSignal): Promise<string | undefined> {
  const out = await ram.send(new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: invitationArn }), { abortSignal: signal });
  return out.resourceShareInvitation?.status;
}

/** Who makes a call: a profile with its credentials, in the number's region. */
export interface Caller {
  readonly profile: AwsProfile;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly accountId?: string;
  readonly region: string;
}

/** The RAM side of sharing, for the commands: each call with the caller's own credentials. */
export class SharingService {
  constructor(private readonly clients: ClientFactory) {}

  private ram<T>(c: Caller, timeouts: 'check' | 'write', f: (ram: RAMClient) => Promise<T>): Promise<T> {
    const ram = this.clients.ram(c.profile, c.credentials, { profile: c.profile.name, account: c.accountId, region: c.region }, timeouts === 'check' ? this.clients.checkTimeouts : undefined);
    return f(ram).finally(() => ram.destroy());
  }

  /** The primary's RAM shares of the number, and each principal's state on them. */
  numberShares(primary: Caller, numberArn: string, signal?: AbortSignal): Promise<NumberShareState> {
    return this.ram(primary, 'check', (ram) => readNumberShares(ram, numberArn, signal));
  }

  /** Every resource one of the primary's shares holds. */
  resourcesOf(primary: Caller, shareArn: string, signal?: AbortSignal): Promise<string[]> {
    return this.ram(primary, 'check', (ram) => shareResources(ram, shareArn, signal));
  }

  /** Creates the share, or adds accounts to an existing one (never removes). */
  share(primary: Caller, input: Parameters<typeof shareNumber>[1], signal?: AbortSignal): Promise<{ shareArn: string; created: boolean }> {
    return this.ram(primary, 'write', (ram) => shareNumber(ram, input, signal));
  }

  /** Invitations the secondary's account received from the primary's. */
  invitations(secondary: Caller, primaryAccountId: string, signal?: AbortSignal): Promise<ResourceShareInvitation[]> {
    return this.ram(secondary, 'check', (ram) => invitationsFrom(ram, primaryAccountId, signal));
  }

  /** The resources a pending invitation of the secondary's offers. */
  pendingResources(secondary: Caller, invitationArn: string, signal?: AbortSignal): Promise<string[]> {
    return this.ram(secondary, 'check', (ram) => pendingResources(ram, invitationArn, signal));
  }

  accept(secondary: Caller, invitationArn: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.ram(secondary, 'write', (ram) => acceptInvitation(ram, invitationArn, signal));
  }
}
