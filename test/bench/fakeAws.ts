/**
 * A loopback stand-in for the STS and SNS calls the benchmark makes (AWS Query protocol, the XML shapes the SDK
 * parses), which counts every request and how many of each action were in flight at once. Signatures are not
 * checked; the caller is told apart by the access key id in the Authorization header: keys this server issued in
 * AssumeRole act as that role, any other key as a user of the account in `accountOf` (default 222222222222).
 */
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';

export interface FakeAwsOptions {
  /** Milliseconds to wait before answering, per action (e.g. { GetCallerIdentity: 200 }). */
  readonly delays?: Readonly<Record<string, number>>;
  /** Account of a static access key id; default 222222222222. */
  readonly accountOf?: (accessKeyId: string) => string;
}

export interface FakeAws {
  readonly endpoint: string;
  /** Requests per action since the last reset, in arrival order. */
  readonly requests: string[];
  /** The most requests of each action that were in flight together since the last reset. */
  readonly maxInFlight: Map<string, number>;
  count(action: string): number;
  reset(): void;
  stop(): Promise<void>;
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function response(ns: string, action: string, result: string): string {
  return `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

function errorBody(ns: string, code: string, message: string): string {
  return `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function accessKeyOf(req: http.IncomingMessage): string {
  const m = /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '');
  return m ? m[1] : '';
}

export async function startFakeAws(opts: FakeAwsOptions = {}): Promise<FakeAws> {
  const issued = new Map<string, { account: string; role: string; session: string }>();
  const requests: string[] = [];
  const maxInFlight = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const accountOf = opts.accountOf ?? (() => '222222222222');

  const answer = (action: string, params: URLSearchParams, key: string): { status: number; body: string } => {
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
      default:
        return { status: 400, body: errorBody(STS_NS, 'InvalidAction', `${action} is not served by the benchmark's fake AWS`) };
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const action = params.get('Action') ?? `${req.method} ${req.url}`;
      requests.push(action);
      const now = (inFlight.get(action) ?? 0) + 1;
      inFlight.set(action, now);
      maxInFlight.set(action, Math.max(maxInFlight.get(action) ?? 0, now));
      const { status, body } = answer(action, params, accessKeyOf(req));
      setTimeout(() => {
        inFlight.set(action, (inFlight.get(action) ?? 1) - 1);
        res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }).end(body);
      }, opts.delays?.[action] ?? 0);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake AWS: no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    requests,
    maxInFlight,
    count: (action) => requests.filter((a) => a === action).length,
    reset: () => {
      requests.length = 0;
      maxInFlight.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
