/**
 * A loopback HTTP server that speaks just enough of the AWS Query protocol (STS and SNS) for the AWS
 * layer's fault tests, and misbehaves on demand: each action's reply is scripted per test, and the
 * server counts what it was asked, how many requests were in flight at once, and which connections
 * the client gave up on. Listens on 127.0.0.1, on a free port chosen by the OS.
 *
 * Identities: every access key the server knows maps to an account and an ARN. Static keys are
 * registered by the test (`addUser`); AssumeRole issues new session keys for the role's account.
 * Keys are generated at run time; none is written in the source.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server saw it. */
export interface SeenRequest {
  readonly action: string;
  readonly params: URLSearchParams;
  /** The access key id from the SigV4 Authorization header ('' when unsigned). */
  readonly accessKeyId: string;
  /** 1-based count of this action so far, this request included. */
  readonly n: number;
  /** It came on a connection that had carried an earlier request (kept alive). */
  readonly reused: boolean;
}

/** What the server does with a request. */
export type Reply =
  /** 200 with this XML body. */
  | { readonly kind: 'xml'; readonly body: string; readonly status?: number }
  /** An answer of a JSON-protocol service (CloudWatch Logs), whose action comes from the X-Amz-Target header. */
  | { readonly kind: 'json'; readonly body: unknown; readonly status?: number }
  /** An AWS Query error document. */
  | { readonly kind: 'error'; readonly status: number; readonly code: string; readonly message: string; readonly type?: 'Sender' | 'Receiver' }
  /** An HTML page: moto's 500 for an action it does not implement, a proxy's 502 Bad Gateway. */
  | { readonly kind: 'html'; readonly status: number }
  /** The normal answer's status and headers, then no body byte ever (the socket stays open). */
  | { readonly kind: 'stall-after-headers' }
  /** The normal answer's headers, then one body byte every `everyMs`, then spaces, forever (chunked: no end in sight). */
  | { readonly kind: 'trickle'; readonly everyMs: number }
  /** The normal answer's headers and half its body (Content-Length says all of it), then the connection is reset. */
  | { readonly kind: 'reset-mid-body' }
  /** Accept the request and never answer it (the socket stays open until the client gives up). */
  | { readonly kind: 'hang' }
  /** Answer only when the promise settles (`undefined`: the normal answer), for counting requests in flight. */
  | { readonly kind: 'hold'; readonly until: Promise<Reply | undefined> }
  /** Drop the connection without an answer. */
  | { readonly kind: 'reset' };

/** A scripted answer for one action; `undefined` falls back to the normal answer. */
export type Script = (req: SeenRequest) => Reply | undefined;

export interface StaticKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface Identity {
  readonly account: string;
  readonly arn: string;
}

export interface FaultServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** Requests per action since the last reset. */
  count(action: string): number;
  /** Every request since the last reset, in arrival order. */
  readonly seen: readonly SeenRequest[];
  /** Requests being handled now (received, not yet answered or abandoned). */
  readonly inFlight: number;
  /** The highest `inFlight` since the last reset. */
  readonly maxInFlight: number;
  /** Requests whose connection the client closed before an answer (aborts, timeouts). */
  readonly abandoned: number;
  /** TCP connections accepted since the last reset. */
  readonly connections: number;
  /** Scripts one action (replacing any earlier script for it). */
  on(action: string, script: Script): void;
  /** Registers static keys (generated now, unless given) as a user of an account; returns the keys. */
  addUser(account: string, userName: string, keys?: StaticKeys): StaticKeys;
  /**
   * Sets the server's clock `ms` ahead of the real one (negative: behind), as an endpoint sees a client whose clock is
   * off: every answer's Date header tells the server's time, and a request signed more than `windowMs` away from it
   * (X-Amz-Date) is refused as AWS's Query services refuse it, 403 SignatureDoesNotMatch "Signature expired: … is now
   * earlier than … (… - 5 min.)" (or "Signature not yet current: … is still later than …").
   */
  setClockSkew(ms: number, windowMs?: number): void;
  /** Requests refused for their signing time since the last reset. */
  readonly skewRefusals: number;
  /** Forgets scripts and counters (identities stay; so does the clock skew). */
  reset(): void;
  /** Resolves when `predicate` holds after some request event; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An access key id shaped like AWS's (prefix + 16 characters), generated now. */
export function generateAccessKeyId(prefix: 'AKIA' | 'ASIA'): string {
  const bytes = randomBytes(16);
  let id = prefix;
  for (const b of bytes) {
    id += KEY_CHARS[b % KEY_CHARS.length];
  }
  return id;
}

export function generateSecret(): string {
  return randomBytes(30).toString('base64');
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function envelope(action: string, ns: string, result: string): string {
  return (
    `<${action}Response xmlns="${ns}">` +
    `<${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>` +
    `</${action}Response>`
  );
}

/** The normal answer of GetCallerIdentity for an identity. */
export function callerIdentityXml(who: Identity): string {
  return envelope(
    'GetCallerIdentity',
    STS_NS,
    `<Arn>${escapeXml(who.arn)}</Arn><UserId>AIDTEST${randomBytes(6).toString('hex').toUpperCase()}</UserId><Account>${who.account}</Account>`,
  );
}

/**
 * An AssumeRole answer with fresh (unknown to the server) credentials whose AssumedRoleUser is `arn`, or none at all
 * when `arn` is undefined: what an endpoint answering for another account would say.
 */
export function assumeRoleXml(arn: string | undefined): string {
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  return envelope(
    'AssumeRole',
    STS_NS,
    `<Credentials><AccessKeyId>${generateAccessKeyId('ASIA')}</AccessKeyId><SecretAccessKey>${escapeXml(generateSecret())}</SecretAccessKey>` +
      `<SessionToken>${escapeXml(randomBytes(48).toString('base64'))}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
      (arn === undefined ? '' : `<AssumedRoleUser><AssumedRoleId>AROATEST:s</AssumedRoleId><Arn>${escapeXml(arn)}</Arn></AssumedRoleUser>`),
  );
}

export function errorXml(code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender'): string {
  return (
    `<ErrorResponse><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

/** The XML a normal answer carries (an error document for an error). */
function bodyOf(reply: Reply): string {
  return reply.kind === 'xml' ? reply.body : reply.kind === 'error' ? errorXml(reply.code, reply.message, reply.type) : '<x/>';
}

const HTML_500 =
  '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n' +
  '<p>The server encountered an internal error and was unable to complete your request.</p>\n';
/** What nginx in front of an endpoint answers when the upstream is gone. */
const HTML_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** `20251130T120000Z`, as SigV4's X-Amz-Date and AWS's error texts write a time. */
export function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/** A JSON request's top-level fields as parameters (strings as they are, the rest as JSON). */
function jsonParams(text: string): URLSearchParams {
  const out = new URLSearchParams();
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      out.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
  } catch {
    // not JSON: no parameters
  }
  return out;
}

function accessKeyOf(req: IncomingMessage): string {
  const auth = req.headers['authorization'] ?? '';
  const m = /Credential=([^/,\s]+)\//.exec(auth);
  return m ? m[1] : '';
}

export async function startFaultServer(): Promise<FaultServer> {
  const identities = new Map<string, Identity>();
  const scripts = new Map<string, Script>();
  const counts = new Map<string, number>();
  let seen: SeenRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let abandoned = 0;
  let connections = 0;
  let skewMs = 0;
  let skewWindowMs = 5 * 60_000;
  let skewRefusals = 0;
  const serverNow = (): Date => new Date(Date.now() + skewMs);
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  const changed = (): void => {
    for (const w of [...waiters]) {
      w();
    }
  };

  const normal = (r: SeenRequest): Reply => {
    const who = identities.get(r.accessKeyId);
    if (!who) {
      return { kind: 'error', status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' };
    }
    switch (r.action) {
      case 'GetCallerIdentity':
        return { kind: 'xml', body: callerIdentityXml(who) };
      case 'AssumeRole': {
        const roleArn = r.params.get('RoleArn') ?? '';
        const m = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
        if (!m) {
          return { kind: 'error', status: 400, code: 'ValidationError', message: `${roleArn} is invalid` };
        }
        const [, account, roleName] = m;
        const sessionName = r.params.get('RoleSessionName') ?? 'session';
        const keyId = generateAccessKeyId('ASIA');
        const secret = generateSecret();
        const token = randomBytes(48).toString('base64');
        const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
        identities.set(keyId, { account, arn });
        const seconds = Number(r.params.get('DurationSeconds') ?? '3600');
        const expiration = new Date(Date.now() + seconds * 1000).toISOString();
        return {
          kind: 'xml',
          body: envelope(
            'AssumeRole',
            STS_NS,
            `<Credentials><AccessKeyId>${keyId}</AccessKeyId><SecretAccessKey>${escapeXml(secret)}</SecretAccessKey>` +
              `<SessionToken>${escapeXml(token)}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
              `<AssumedRoleUser><AssumedRoleId>AROATEST:${escapeXml(sessionName)}</AssumedRoleId><Arn>${escapeXml(arn)}</Arn></AssumedRoleUser>`,
          ),
        };
      }
      case 'Publish':
        return { kind: 'xml', body: envelope('Publish', SNS_NS, `<MessageId>${randomUUID()}</MessageId>`) };
      case 'CheckIfPhoneNumberIsOptedOut':
        return { kind: 'xml', body: envelope('CheckIfPhoneNumberIsOptedOut', SNS_NS, '<isOptedOut>false</isOptedOut>') };
      default:
        return { kind: 'html', status: 500 };
    }
  };

  const send = async (res: ServerResponse, reply: Reply, r: SeenRequest): Promise<void> => {
    res.setHeader('date', serverNow().toUTCString());
    switch (reply.kind) {
      case 'xml':
        res.writeHead(reply.status ?? 200, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
        res.end(reply.body);
        return;
      case 'json':
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
        res.end(JSON.stringify(reply.body));
        return;
      case 'error':
        res.writeHead(reply.status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
        res.end(errorXml(reply.code, reply.message, reply.type));
        return;
      case 'html':
        res.writeHead(reply.status, { 'content-type': 'text/html; charset=utf-8' });
        res.end(reply.status === 502 ? HTML_502 : HTML_500);
        return;
      case 'stall-after-headers': {
        const body = bodyOf(normal(r));
        res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': randomUUID() });
        res.flushHeaders();
        return new Promise<void>(() => undefined);
      }
      case 'trickle': {
        const body = Buffer.from(bodyOf(normal(r)));
        res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
        res.flushHeaders();
        let i = 0;
        const timer = setInterval(() => {
          res.write(i < body.length ? body.subarray(i, i + 1) : ' ');
          i++;
        }, reply.everyMs);
        res.on('close', () => clearInterval(timer));
        return new Promise<void>(() => undefined);
      }
      case 'reset-mid-body': {
        const body = Buffer.from(bodyOf(normal(r)));
        res.writeHead(200, { 'content-type': 'text/xml', 'content-length': body.length, 'x-amzn-requestid': randomUUID() });
        res.write(body.subarray(0, body.length >> 1), () => res.socket?.resetAndDestroy());
        return;
      }
      case 'hang':
        return new Promise<void>(() => undefined);
      case 'hold': {
        const next = await reply.until;
        return send(res, next ?? normal(r), r);
      }
      case 'reset':
        res.socket?.destroy();
        return;
    }
  };

  /** AWS's answer to a request signed too far from the server's time, or undefined. */
  const skewRefusal = (req: IncomingMessage): Reply | undefined => {
    const signed = parseAmzDate(String(req.headers['x-amz-date'] ?? ''));
    if (signed === undefined) {
      return undefined;
    }
    const now = serverNow().getTime();
    const window = `${Math.round(skewWindowMs / 60_000)} min.`;
    if (signed < now - skewWindowMs) {
      skewRefusals++;
      const message = `Signature expired: ${amzDate(new Date(signed))} is now earlier than ${amzDate(new Date(now - skewWindowMs))} (${amzDate(new Date(now))} - ${window})`;
      return { kind: 'error', status: 403, code: 'SignatureDoesNotMatch', message };
    }
    if (signed > now + skewWindowMs) {
      skewRefusals++;
      const message = `Signature not yet current: ${amzDate(new Date(signed))} is still later than ${amzDate(new Date(now + skewWindowMs))} (${amzDate(new Date(now))} + ${window})`;
      return { kind: 'error', status: 403, code: 'SignatureDoesNotMatch', message };
    }
    return undefined;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // Query protocol (STS, SNS): Action in the form body; JSON protocol (Logs): X-Amz-Target: Service.Action;
      // REST-JSON (AWS RAM): the operation is the path (POST /getresourceshareinvitations), named here by that path.
      const target = String(req.headers['x-amz-target'] ?? '');
      const rest = !target && (req.url ?? '/').split('?')[0] !== '/';
      const params = target || rest ? jsonParams(text) : new URLSearchParams(text);
      const action = rest ? (req.url ?? '').split('?')[0].replace(/^\/+/, '') : (params.get('Action') ?? target.split('.').pop() ?? '');
      const n = (counts.get(action) ?? 0) + 1;
      counts.set(action, n);
      const socket = req.socket as Socket & { tendlcServed?: number };
      socket.tendlcServed = (socket.tendlcServed ?? 0) + 1;
      const seenReq: SeenRequest = { action, params, accessKeyId: accessKeyOf(req), n, reused: socket.tendlcServed > 1 };
      seen.push(seenReq);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let done = false;
      const finish = (abandonedByClient: boolean): void => {
        if (!done) {
          done = true;
          inFlight--;
          if (abandonedByClient) {
            abandoned++;
          }
          changed();
        }
      };
      res.on('finish', () => finish(false));
      res.on('close', () => finish(!res.writableFinished));
      const reply = skewRefusal(req) ?? scripts.get(action)?.(seenReq) ?? normal(seenReq);
      // After the script ran, so a waiter sees whatever the script recorded.
      changed();
      void send(res, reply, seenReq).catch(() => res.destroy());
    });
  });
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    count: (action) => counts.get(action) ?? 0,
    get seen() {
      return seen;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get connections() {
      return connections;
    },
    get abandoned() {
      return abandoned;
    },
    on: (action, script) => {
      scripts.set(action, script);
    },
    setClockSkew: (ms, windowMs = 5 * 60_000) => {
      skewMs = ms;
      skewWindowMs = windowMs;
    },
    get skewRefusals() {
      return skewRefusals;
    },
    addUser: (account, userName, keys) => {
      const k = keys ?? { accessKeyId: generateAccessKeyId('AKIA'), secretAccessKey: generateSecret() };
      identities.set(k.accessKeyId, { account, arn: `arn:aws:iam::${account}:user/${userName}` });
      return k;
    },
    reset: () => {
      scripts.clear();
      counts.clear();
      seen = [];
      maxInFlight = inFlight;
      abandoned = 0;
      connections = 0;
      skewRefusals = 0;
    },
    waitFor: (predicate, what, timeoutMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate()) {
          resolve();
          return;
        }
        const check = (): void => {
          if (predicate()) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fault server: timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        waiters.add(check);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago): connections are refused. */
export async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
