/**
 * A loopback stand-in for the AWS calls the benchmark makes, which records every request (when it arrived, when it
 * was answered, on which connection) and how many of each action were in flight at once:
 *
 * - STS (GetCallerIdentity, AssumeRole) and SNS (Publish, CheckIfPhoneNumberIsOptedOut, GetSMSAttributes,
 *   GetSMSSandboxAccountStatus) in the AWS Query protocol, the XML shapes the SDK and the AWS CLI parse;
 * - End User Messaging SMS (JSON, `X-Amz-Target: PinpointSMSVoiceV2.*`) through the test harness's stub
 *   (test/harness/eumStub.ts), with the primary's 10DLC world: an ACTIVE number, a COMPLETE campaign and brand, SNS
 *   granted on the number and its opt-out list.
 *
 * Signatures are not checked; the caller is told apart by the access key id in the Authorization header: keys this
 * server issued in AssumeRole act as that role, any other key as a user of the account in `accountOf` (default
 * 222222222222). `latencyMs` (or a `delays` entry) holds every answer that long, as a far region would.
 *
 * Another process (the extension host) steers it over HTTP: `POST /__bench/latency?ms=N`, `POST /__bench/reset`,
 * `GET /__bench/log` (the records since the last reset, as JSON).
 */
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import { answerEum, primaryEumAccount, type EumState } from '../harness/eumStub';

export interface FakeAwsOptions {
  /** Milliseconds to wait before answering, per action (e.g. { GetCallerIdentity: 200 }); overrides latencyMs. */
  readonly delays?: Readonly<Record<string, number>>;
  /** Milliseconds to wait before answering any request (default 0). */
  readonly latencyMs?: number;
  /** Account of a static access key id; default 222222222222. */
  readonly accountOf?: (accessKeyId: string) => string;
  /** The primary account whose End User Messaging world is served, and its number (defaults below). */
  readonly primaryAccount?: string;
  readonly originationNumber?: string;
}

/** One request as the server saw it. Times are `Date.now()` (the same clock in every process of the machine). */
export interface RequestRecord {
  readonly action: string;
  readonly arrivedAt: number;
  answeredAt: number;
  /** Which TCP connection carried it (numbered in the order they were accepted). */
  readonly connection: number;
}

export interface FakeAws {
  readonly endpoint: string;
  /** Requests per action since the last reset, in arrival order. */
  readonly requests: string[];
  readonly records: RequestRecord[];
  /** The most requests of each action that were in flight together since the last reset. */
  readonly maxInFlight: Map<string, number>;
  /** TCP connections accepted since the last reset. */
  connections(): number;
  count(action: string): number;
  setLatency(ms: number): void;
  reset(): void;
  stop(): Promise<void>;
}

export const BENCH_PRIMARY_ACCOUNT = '111111111111';
export const BENCH_NUMBER = '+12065550100';

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function response(ns: string, action: string, result: string): string {
  return `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

function errorBody(ns: string, code: string, message: string): string {
  return `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function credentialOf(req: http.IncomingMessage): { key: string; region: string } {
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '');
  return { key: m ? m[1] : '', region: m ? m[2] : 'us-east-1' };
}

export async function startFakeAws(opts: FakeAwsOptions = {}): Promise<FakeAws> {
  const issued = new Map<string, { account: string; role: string; session: string }>();
  const requests: string[] = [];
  const records: RequestRecord[] = [];
  const maxInFlight = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const accountOf = opts.accountOf ?? (() => '222222222222');
  const primary = opts.primaryAccount ?? BENCH_PRIMARY_ACCOUNT;
  const eum: EumState = { [primary]: primaryEumAccount(primary, opts.originationNumber ?? BENCH_NUMBER) };
  let latencyMs = opts.latencyMs ?? 0;
  let connectionCount = 0;
  let connectionsSinceReset = 0;

  const answerQuery = (action: string, params: URLSearchParams, key: string): { status: number; body: string } => {
    switch (action) {
      case 'GetCallerIdentity': {
        const role = issued.get(key);
        const account = role?.account ?? accountOf(key);
        const arn = role ? `arn:aws:sts::${role.account}:assumed-role/${role.role}/${role.session}` : `arn:aws:iam::${account}:user/bench`;
        return { status: 200, body: response(STS_NS, action, `<Arn>${arn}</Arn><UserId>AIDABENCH${account}</UserId><Account>${account}</Account>`) };
      }
      case 'AssumeRole': {
        const roleArn = params.get('RoleArn') ?? '';
        const m = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
        if (!m) return { status: 400, body: errorBody(STS_NS, 'ValidationError', 'bad RoleArn') };
        const session = params.get('RoleSessionName') ?? 'session';
        const accessKeyId = `ASIA${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`;
        issued.set(accessKeyId, { account: m[1], role: m[2], session });
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        return {
          status: 200,
          body: response(
            STS_NS,
            action,
            `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${randomUUID()}</SecretAccessKey><SessionToken>${randomUUID()}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
              `<AssumedRoleUser><Arn>arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${session}</Arn><AssumedRoleId>AROABENCH:${session}</AssumedRoleId></AssumedRoleUser>`,
          ),
        };
      }
      case 'Publish':
        return { status: 200, body: response(SNS_NS, action, `<MessageId>${randomUUID()}</MessageId>`) };
      case 'CheckIfPhoneNumberIsOptedOut':
        return { status: 200, body: response(SNS_NS, action, '<isOptedOut>false</isOptedOut>') };
      case 'GetSMSAttributes':
        // A raised spend limit; delivery-status logging off (the command then ends at Publish: nothing to follow).
        return { status: 200, body: response(SNS_NS, action, '<attributes><entry><key>MonthlySpendLimit</key><value>100</value></entry><entry><key>DefaultSMSType</key><value>Transactional</value></entry></attributes>') };
      case 'GetSMSSandboxAccountStatus':
        return { status: 200, body: response(SNS_NS, action, '<IsInSandbox>false</IsInSandbox>') };
      default:
        return { status: 400, body: errorBody(STS_NS, 'InvalidAction', `${action} is not served by the benchmark's fake AWS`) };
    }
  };

  const control = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/__bench/latency') {
      latencyMs = Number(url.searchParams.get('ms') ?? 0);
      res.writeHead(204).end();
    } else if (url.pathname === '/__bench/reset') {
      reset();
      res.writeHead(204).end();
    } else if (url.pathname === '/__bench/log') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ records, connections: connectionsSinceReset }));
    } else {
      res.writeHead(404).end();
    }
  };

  const reset = (): void => {
    requests.length = 0;
    records.length = 0;
    maxInFlight.clear();
    connectionsSinceReset = 0;
  };

  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/__bench/')) {
      req.resume();
      req.on('end', () => control(req, res));
      return;
    }
    const connection = (req.socket as unknown as { benchId: number }).benchId;
    const arrivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const target = req.headers['x-amz-target'];
      let action: string;
      let status: number;
      let body: string;
      let contentType = 'text/xml';
      const { key, region } = credentialOf(req);
      if (typeof target === 'string') {
        action = target.split('.').pop() ?? target;
        const caller = { account: issued.get(key)?.account ?? accountOf(key), region };
        ({ status, body } = answerEum(eum, action, text ? (JSON.parse(text) as Record<string, unknown>) : {}, caller));
        contentType = 'application/x-amz-json-1.0';
      } else {
        const params = new URLSearchParams(text);
        action = params.get('Action') ?? `${req.method} ${req.url}`;
        ({ status, body } = answerQuery(action, params, key));
      }
      requests.push(action);
      const record: RequestRecord = { action, arrivedAt, answeredAt: 0, connection };
      records.push(record);
      const now = (inFlight.get(action) ?? 0) + 1;
      inFlight.set(action, now);
      maxInFlight.set(action, Math.max(maxInFlight.get(action) ?? 0, now));
      setTimeout(() => {
        inFlight.set(action, (inFlight.get(action) ?? 1) - 1);
        record.answeredAt = Date.now();
        res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID() }).end(body);
      }, opts.delays?.[action] ?? latencyMs);
    });
  });
  server.on('connection', (socket) => {
    (socket as unknown as { benchId: number }).benchId = ++connectionCount;
    connectionsSinceReset++;
  });
  // Idle kept-alive connections stay open for a minute, as AWS endpoints keep them (Node's default is 5 s).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake AWS: no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    requests,
    records,
    maxInFlight,
    connections: () => connectionsSinceReset,
    count: (action) => requests.filter((a) => a === action).length,
    setLatency: (ms) => (latencyMs = ms),
    reset,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The requests grouped into rounds: a round is every request sent before any answer of the round had come back
 * (requests made in parallel), the next round starts with the first request sent after one did. With an answer
 * delay much larger than the client's own work (200 ms here), the number of rounds is the number of round trips the
 * caller waited for one after the other.
 */
export function rounds(records: readonly Pick<RequestRecord, 'action' | 'arrivedAt' | 'answeredAt'>[]): string[][] {
  const sorted = [...records].sort((a, b) => a.arrivedAt - b.arrivedAt);
  const out: string[][] = [];
  let firstAnswer = Infinity;
  for (const r of sorted) {
    if (out.length === 0 || r.arrivedAt >= firstAnswer) {
      out.push([]);
      firstAnswer = Infinity;
    }
    out[out.length - 1].push(r.action);
    firstAnswer = Math.min(firstAnswer, r.answeredAt || Infinity);
  }
  return out;
}
