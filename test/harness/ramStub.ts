/**
 * A loopback stand-in for AWS RAM (Resource Access Manager), which moto implements without
 * invitations. Served by the SNS stub's server (snsStub.ts routes a request here when its SigV4
 * credential scope names the service `ram`), in RAM's REST-JSON shapes:
 *
 *   POST /createresourceshare            {name, resourceArns, principals, allowExternalPrincipals, tags, clientToken}
 *                                        → {resourceShare: {resourceShareArn, name, owningAccountId, allowExternalPrincipals, status, featureSet, creationTime, lastUpdatedTime}, clientToken}
 *   POST /associateresourceshare         {resourceShareArn, resourceArns, principals} → {resourceShareAssociations: [...], clientToken}
 *   POST /getresourceshareassociations   {associationType, resourceShareArns, resourceArn, principal, associationStatus, nextToken, maxResults}
 *                                        → {resourceShareAssociations: [{resourceShareArn, resourceShareName, associatedEntity, associationType, status, statusMessage, creationTime, lastUpdatedTime, external}]}
 *   POST /getresourceshareinvitations    {resourceShareInvitationArns, resourceShareArns} → {resourceShareInvitations: [{resourceShareInvitationArn, resourceShareName, resourceShareArn, senderAccountId, receiverAccountId, invitationTimestamp, status}]}
 *   POST /acceptresourceshareinvitation  {resourceShareInvitationArn, clientToken} → {resourceShareInvitation: {...}, clientToken}
 *   POST /getresourceshares              {resourceOwner: SELF | OTHER-ACCOUNTS, resourceShareArns, name} → {resourceShares: [...]}
 *
 * Errors as RAM answers them: HTTP 400 with `x-amzn-errortype` (UnknownResourceException,
 * MalformedArnException, InvalidParameterException, MissingRequiredParameterException,
 * ResourceShareInvitationArnNotFoundException, ResourceShareInvitationAlreadyAcceptedException, …) and
 * `{"message"}`. Sources: AWS RAM API Reference (the operations above, ResourceShareInvitation with
 * status PENDING | ACCEPTED | REJECTED | EXPIRED, ResourceShareAssociation with status ASSOCIATING |
 * ASSOCIATED | FAILED | DISASSOCIATING | DISASSOCIATED).
 *
 * Accounts and organizations: no account here is in an organization with another, so every principal
 * of a share is external: it gets an invitation (PENDING), and its association stays ASSOCIATING until
 * it accepts (then ASSOCIATED). A share can hold only resources its owner owns (`owns` decides).
 */
import { randomUUID } from 'node:crypto';

export interface RamPrincipal {
  id: string;
  status: 'ASSOCIATING' | 'ASSOCIATED' | 'FAILED' | 'DISASSOCIATING' | 'DISASSOCIATED';
  statusMessage?: string;
}

export interface RamShare {
  arn: string;
  name: string;
  owner: string;
  region: string;
  allowExternalPrincipals: boolean;
  resources: string[];
  principals: RamPrincipal[];
  created: number;
}

export interface RamInvitation {
  arn: string;
  shareArn: string;
  shareName: string;
  sender: string;
  receiver: string;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'EXPIRED';
  at: number;
}

export interface RamState {
  shares: RamShare[];
  invitations: RamInvitation[];
  /** Every RAM request seen: operation and the caller's account. */
  requests: { op: string; account: string }[];
}

export function defaultRamState(): RamState {
  return { shares: [], invitations: [], requests: [] };
}

type Answer = { status: number; headers: Record<string, string>; body: string };

function json(status: number, body: unknown, errorType?: string): Answer {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...(errorType ? { 'x-amzn-errortype': errorType } : {}) }, body: JSON.stringify(body) };
}
const refuse = (type: string, message: string): Answer => json(400, { message }, type);
const now = (): number => Math.floor(Date.now() / 1000);

function shareJson(s: RamShare): Record<string, unknown> {
  return { resourceShareArn: s.arn, name: s.name, owningAccountId: s.owner, allowExternalPrincipals: s.allowExternalPrincipals, status: 'ACTIVE', featureSet: 'STANDARD', creationTime: s.created, lastUpdatedTime: s.created };
}

function invitationJson(i: RamInvitation): Record<string, unknown> {
  return { resourceShareInvitationArn: i.arn, resourceShareName: i.shareName, resourceShareArn: i.shareArn, senderAccountId: i.sender, receiverAccountId: i.receiver, invitationTimestamp: i.at, status: i.status };
}

function association(s: RamShare, entity: string, type: 'PRINCIPAL' | 'RESOURCE', status: string, message?: string): Record<string, unknown> {
  return {
    resourceShareArn: s.arn,
    resourceShareName: s.name,
    associatedEntity: entity,
    associationType: type,
    status,
    ...(message ? { statusMessage: message } : {}),
    creationTime: s.created,
    lastUpdatedTime: s.created,
    external: type === 'PRINCIPAL',
  };
}

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/;
const ACCOUNT = /^\d{12}$/;

/** Adds principals to a share: each outside account gets an invitation and an ASSOCIATING association. */
function invite(state: RamState, s: RamShare, principals: readonly string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const p of principals) {
    if (p === s.owner || s.principals.some((x) => x.id === p && x.status !== 'DISASSOCIATED')) {
      continue;
    }
    if (!s.allowExternalPrincipals) {
      s.principals.push({ id: p, status: 'FAILED', statusMessage: 'The account is not in your organization, and the resource share does not allow external principals.' });
      out.push(association(s, p, 'PRINCIPAL', 'FAILED'));
      continue;
    }
    s.principals.push({ id: p, status: 'ASSOCIATING' });
    state.invitations.push({ arn: `arn:aws:ram:${s.region}:${s.owner}:resource-share-invitation/${randomUUID()}`, shareArn: s.arn, shareName: s.name, sender: s.owner, receiver: p, status: 'PENDING', at: now() });
    out.push(association(s, p, 'PRINCIPAL', 'ASSOCIATING'));
  }
  return out;
}

/** Whether an accepted share of `owner`'s lets `account` use `resourceArn`. */
export function ramGrants(state: RamState, account: string, resourceArn: string): boolean {
  return state.shares.some((s) => s.resources.includes(resourceArn) && s.principals.some((p) => p.id === account && p.status === 'ASSOCIATED'));
}

/**
 * Answers one RAM request for the caller's account and region. `owns(account, region, arn)` says
 * whether a resource exists and belongs to that account (End User Messaging's numbers here).
 */
export function answerRam(state: RamState, method: string, url: string, body: string, caller: { account: string; region: string }, owns: (account: string, region: string, arn: string) => boolean): Answer {
  const op = url.split('?')[0].replace(/^\//, '');
  state.requests.push({ op, account: caller.account });
  if (method !== 'POST') {
    return json(404, { message: `The stub answers RAM POST operations only, not ${method} ${url}` }, 'UnknownOperationException');
  }
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body || '{}') as Record<string, unknown>;
  } catch {
    return refuse('InvalidParameterException', 'The request body is not JSON.');
  }
  const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
  const mine = (s: RamShare): boolean => s.owner === caller.account && s.region === caller.region;
  switch (op) {
    case 'createresourceshare': {
      const name = input['name'];
      if (typeof name !== 'string' || name.length < 1 || name.length > 255) {
        return refuse('MissingRequiredParameterException', 'name is required (1 to 255 characters).');
      }
      const resources = strings(input['resourceArns'] ?? []) ?? [];
      const principals = strings(input['principals'] ?? []) ?? [];
      const bad = resources.find((r) => !ARN.test(r));
      if (bad) {
        return refuse('MalformedArnException', `The ARN ${bad} is malformed.`);
      }
      const foreign = resources.find((r) => !owns(caller.account, caller.region, r));
      if (foreign) {
        return refuse('UnknownResourceException', `The resource ${foreign} does not exist in account ${caller.account} in ${caller.region}, or is not yours to share.`);
      }
      const badPrincipal = principals.find((p) => !ACCOUNT.test(p) && !ARN.test(p));
      if (badPrincipal) {
        return refuse('InvalidParameterException', `The principal ${badPrincipal} is not an account id or an ARN.`);
      }
      const s: RamShare = {
        arn: `arn:aws:ram:${caller.region}:${caller.account}:resource-share/${randomUUID()}`,
        name,
        owner: caller.account,
        region: caller.region,
        allowExternalPrincipals: input['allowExternalPrincipals'] !== false,
        resources: [...resources],
        principals: [],
        created: now(),
      };
      state.shares.push(s);
      invite(state, s, principals);
      return json(200, { resourceShare: shareJson(s), clientToken: input['clientToken'] ?? randomUUID() });
    }
    case 'associateresourceshare': {
      const s = state.shares.find((x) => x.arn === input['resourceShareArn'] && mine(x));
      if (!s) {
        return refuse('UnknownResourceException', `The resource share ${String(input['resourceShareArn'])} does not exist in account ${caller.account}.`);
      }
      const resources = strings(input['resourceArns'] ?? []) ?? [];
      const foreign = resources.find((r) => !owns(caller.account, caller.region, r));
      if (foreign) {
        return refuse('UnknownResourceException', `The resource ${foreign} does not exist in account ${caller.account}, or is not yours to share.`);
      }
      const out: Record<string, unknown>[] = [];
      for (const r of resources.filter((x) => !s.resources.includes(x))) {
        s.resources.push(r);
        out.push(association(s, r, 'RESOURCE', 'ASSOCIATED'));
      }
      out.push(...invite(state, s, strings(input['principals'] ?? []) ?? []));
      return json(200, { resourceShareAssociations: out, clientToken: input['clientToken'] ?? randomUUID() });
    }
    case 'getresourceshareassociations': {
      const type = input['associationType'];
      if (type !== 'PRINCIPAL' && type !== 'RESOURCE') {
        return refuse('MissingRequiredParameterException', 'associationType must be PRINCIPAL or RESOURCE.');
      }
      if ((type === 'PRINCIPAL' && input['resourceArn'] !== undefined) || (type === 'RESOURCE' && input['principal'] !== undefined)) {
        return refuse('InvalidParameterException', type === 'PRINCIPAL' ? 'resourceArn is valid only with associationType RESOURCE.' : 'principal is valid only with associationType PRINCIPAL.');
      }
      const arns = strings(input['resourceShareArns']);
      const shares = state.shares.filter((s) => mine(s) && (!arns || arns.includes(s.arn)));
      const out: Record<string, unknown>[] = [];
      for (const s of shares) {
        if (type === 'RESOURCE') {
          for (const r of s.resources.filter((x) => input['resourceArn'] === undefined || x === input['resourceArn'])) {
            out.push(association(s, r, 'RESOURCE', 'ASSOCIATED'));
          }
        } else {
          for (const p of s.principals.filter((x) => input['principal'] === undefined || x.id === input['principal'])) {
            out.push(association(s, p.id, 'PRINCIPAL', p.status, p.statusMessage));
          }
        }
      }
      const status = input['associationStatus'];
      return json(200, { resourceShareAssociations: status === undefined ? out : out.filter((a) => a['status'] === status) });
    }
    case 'getresourceshareinvitations': {
      const arns = strings(input['resourceShareInvitationArns']);
      const shareArns = strings(input['resourceShareArns']);
      if (arns && arns.some((a) => !state.invitations.some((i) => i.arn === a && i.receiver === caller.account))) {
        return refuse('ResourceShareInvitationArnNotFoundException', 'One of the invitation ARNs was not found.');
      }
      const list = state.invitations.filter((i) => i.receiver === caller.account && (!arns || arns.includes(i.arn)) && (!shareArns || shareArns.includes(i.shareArn)) && i.arn.split(':')[3] === caller.region);
      return json(200, { resourceShareInvitations: list.map(invitationJson) });
    }
    case 'acceptresourceshareinvitation': {
      const arn = input['resourceShareInvitationArn'];
      if (typeof arn !== 'string') {
        return refuse('MissingRequiredParameterException', 'resourceShareInvitationArn is required.');
      }
      if (!ARN.test(arn)) {
        return refuse('MalformedArnException', `The ARN ${arn} is malformed.`);
      }
      const inv = state.invitations.find((i) => i.arn === arn && i.receiver === caller.account);
      if (!inv) {
        return refuse('ResourceShareInvitationArnNotFoundException', `The invitation ${arn} was not found for account ${caller.account}.`);
      }
      if (inv.status === 'ACCEPTED') {
        return refuse('ResourceShareInvitationAlreadyAcceptedException', 'The invitation was already accepted.');
      }
      if (inv.status === 'REJECTED') {
        return refuse('ResourceShareInvitationAlreadyRejectedException', 'The invitation was already rejected.');
      }
      if (inv.status === 'EXPIRED') {
        return refuse('ResourceShareInvitationExpiredException', 'The invitation has expired.');
      }
      inv.status = 'ACCEPTED';
      const s = state.shares.find((x) => x.arn === inv.shareArn);
      const p = s?.principals.find((x) => x.id === caller.account);
      if (p) {
        p.status = 'ASSOCIATED';
      }
      return json(200, { resourceShareInvitation: invitationJson(inv), clientToken: input['clientToken'] ?? randomUUID() });
    }
    case 'getresourceshares': {
      const owner = input['resourceOwner'];
      if (owner !== 'SELF' && owner !== 'OTHER-ACCOUNTS') {
        return refuse('MissingRequiredParameterException', 'resourceOwner must be SELF or OTHER-ACCOUNTS.');
      }
      const arns = strings(input['resourceShareArns']);
      const list = state.shares.filter(
        (s) =>
          s.region === caller.region &&
          (owner === 'SELF' ? s.owner === caller.account : s.principals.some((p) => p.id === caller.account && p.status === 'ASSOCIATED')) &&
          (!arns || arns.includes(s.arn)) &&
          (input['name'] === undefined || s.name === input['name']),
      );
      return json(200, { resourceShares: list.map(shareJson) });
    }
    default:
      return json(404, { message: `The stub does not answer RAM ${op}` }, 'UnknownOperationException');
  }
}
