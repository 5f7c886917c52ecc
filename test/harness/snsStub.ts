/**
 * A loopback stand-in for the SNS calls moto does not implement (ListOriginationNumbers and the SMS
 * sandbox calls), answering with the documented AWS Query-protocol response shapes, and for End User
 * Messaging SMS (eumStub.ts: per account, JSON protocol) and AWS RAM (ramStub.ts: REST-JSON, routed by
 * the SigV4 credential scope's service `ram`). Every other
 * request is passed through to moto unchanged (Host header included, so SigV4 still verifies).
 * Tests in another process steer it over HTTP: POST /__stub/state with a partial StubState (its
 * `eum` merges per account; a field set to null is removed).
 */
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import { answerEum, callerOf, emptyAccount, ownsResource, primaryEumAccount, type EumAccount, type EumState } from './eumStub';
import { answerRam, defaultRamState, type RamState } from './ramStub';
import { answerAccessAnalyzer, defaultAnalyzerState, signedService, type AnalyzerState } from './accessAnalyzerStub';
import { getFreePort } from './ports';
import { ACCOUNTS } from './seed';

export interface StubNumber {
  PhoneNumber: string;
  Status: string;
  Iso2CountryCode: string;
  RouteType: string;
  NumberCapabilities: string[];
}

export interface StubState {
  originationNumbers: StubNumber[];
  /** End User Messaging SMS, per account (the caller's access key decides which): see eumStub.ts. */
  eum: EumState;
  inSandbox: boolean;
  sandboxNumbers: { PhoneNumber: string; Status: 'Pending' | 'Verified' }[];
  /** The one-time password VerifySMSSandboxPhoneNumber accepts. */
  otp: string;
  /** AWS RAM (ramStub.ts): resource shares and invitations; an accepted share lets its principals use the resource. */
  ram: RamState;
  /**
   * End User Messaging operations the stub performs and then never answers (the connection stays open until the
   * client gives up): AWS acted on the request and the answer was lost, as on a dropped connection or a stalled
   * endpoint. Empty or absent: every call is answered.
   */
  eumHangAfterApplying?: string[];
}

export interface SnsStub {
  endpoint: string;
  /** Actions seen, in order (both answered and passed through). */
  actions: string[];
  state: StubState;
  /** IAM Access Analyzer (accessAnalyzerStub.ts), routed here by the SigV4 scope's service name. */
  analyzer: AnalyzerState;
  stop(): Promise<void>;
}

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

function ok(action: string, result: string): string {
  return `<${action}Response xmlns="${NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

function error(code: string, message: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

export function defaultStubState(originationNumber: string, primaryAccount: string = ACCOUNTS.primary): StubState {
  return {
    originationNumbers: [{ PhoneNumber: originationNumber, Status: 'ACTIVE', Iso2CountryCode: 'US', RouteType: 'Transactional', NumberCapabilities: ['SMS', 'VOICE'] }],
    eum: { [primaryAccount]: primaryEumAccount(primaryAccount, originationNumber) },
    inSandbox: false,
    sandboxNumbers: [],
    otp: '246810',
    ram: defaultRamState(),
  };
}

/** Answers one of the stubbed actions, or returns undefined to pass the request through. */
function answer(state: StubState, params: URLSearchParams): { status: number; body: string } | undefined {
  const action = params.get('Action') ?? '';
  switch (action) {
    case 'ListOriginationNumbers': {
      const members = state.originationNumbers
        .map(
          (n) =>
            `<member><PhoneNumber>${xmlEscape(n.PhoneNumber)}</PhoneNumber><Status>${n.Status}</Status><Iso2CountryCode>${n.Iso2CountryCode}</Iso2CountryCode><RouteType>${n.RouteType}</RouteType><NumberCapabilities>${n.NumberCapabilities.map((c) => `<member>${c}</member>`).join('')}</NumberCapabilities><CreatedAt>2025-06-01T12:00:00Z</CreatedAt></member>`,
        )
        .join('');
      return { status: 200, body: ok(action, `<PhoneNumbers>${members}</PhoneNumbers>`) };
    }
    case 'GetSMSSandboxAccountStatus':
      return { status: 200, body: ok(action, `<IsInSandbox>${state.inSandbox}</IsInSandbox>`) };
    case 'ListSMSSandboxPhoneNumbers': {
      const members = state.sandboxNumbers.map((n) => `<member><PhoneNumber>${xmlEscape(n.PhoneNumber)}</PhoneNumber><Status>${n.Status}</Status></member>`).join('');
      return { status: 200, body: ok(action, `<PhoneNumbers>${members}</PhoneNumbers>`) };
    }
    case 'CreateSMSSandboxPhoneNumber': {
      const phone = params.get('PhoneNumber') ?? '';
      if (!state.sandboxNumbers.some((n) => n.PhoneNumber === phone)) {
        state.sandboxNumbers.push({ PhoneNumber: phone, Status: 'Pending' });
      }
      return { status: 200, body: ok(action, '') };
    }
    case 'VerifySMSSandboxPhoneNumber': {
      const phone = params.get('PhoneNumber') ?? '';
      const entry = state.sandboxNumbers.find((n) => n.PhoneNumber === phone);
      if (!entry) {
        return { status: 404, body: error('ResourceNotFound', 'The phone number is not in the SMS sandbox.') };
      }
      if (params.get('OneTimePassword') !== state.otp) {
        return { status: 400, body: error('VerificationException', 'Invalid one-time password.') };
      }
      entry.Status = 'Verified';
      return { status: 200, body: ok(action, '') };
    }
    default:
      return undefined;
  }
}

export async function startSnsStub(upstream: string, initial: StubState): Promise<SnsStub> {
  const port = await getFreePort();
  const target = new URL(upstream);
  const stub: SnsStub = { endpoint: `http://127.0.0.1:${port}`, actions: [], state: initial, analyzer: defaultAnalyzerState(), stop: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url === '/__stub/state') {
        if (req.method === 'POST') {
          const { eum, ...rest } = JSON.parse(body.toString('utf8') || '{}') as Partial<Omit<StubState, 'eum'>> & { eum?: Record<string, Partial<EumAccount>> };
          Object.assign(stub.state, rest);
          // End User Messaging state merges per account: a test changes one account's fields, the rest stays.
          for (const [account, patch] of Object.entries(eum ?? {})) {
            const next: Record<string, unknown> = { ...(stub.state.eum[account] ?? emptyAccount()), ...patch };
            // A field patched to null is removed (JSON has no undefined).
            for (const [k, v] of Object.entries(patch)) {
              if (v === null) {
                delete next[k];
              }
            }
            stub.state.eum[account] = next as unknown as EumAccount;
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ state: stub.state, actions: stub.actions }));
        return;
      }
      if (req.url === '/__stub/access-analyzer') {
        if (req.method === 'POST') {
          Object.assign(stub.analyzer, JSON.parse(body.toString('utf8') || '{}') as Partial<AnalyzerState>);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stub.analyzer));
        return;
      }
      if (signedService(req.headers.authorization) === 'ram') {
        const caller = callerOf(req.headers.authorization);
        const out = answerRam(stub.state.ram, req.method ?? '', req.url ?? '', body.toString('utf8'), caller, (account, region, arn) => ownsResource(stub.state.eum, account, region, arn));
        stub.actions.push(`RAM ${(req.url ?? '').replace(/^\//, '').split('?')[0]}`);
        res.writeHead(out.status, out.headers).end(out.body);
        return;
      }
      const analyzed = signedService(req.headers.authorization) === 'access-analyzer' ? answerAccessAnalyzer(stub.analyzer, req.method ?? '', req.url ?? '', body.toString('utf8')) : 'pass';
      if (analyzed !== 'pass') {
        stub.actions.push('ValidatePolicy');
        res.writeHead(analyzed.status, analyzed.headers).end(analyzed.body);
        return;
      }
      const amzTarget = req.headers['x-amz-target'];
      if (typeof amzTarget === 'string' && amzTarget.startsWith('PinpointSMSVoiceV2.')) {
        stub.actions.push(amzTarget.split('.').pop() ?? amzTarget);
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        } catch {
          // an empty or odd body is answered like an empty request
        }
        const op = amzTarget.split('.').pop() ?? '';
        const out = answerEum(stub.state.eum, op, parsed, callerOf(req.headers.authorization), stub.state.ram);
        if (stub.state.eumHangAfterApplying?.includes(op)) {
          return; // applied; the answer never comes
        }
        res.writeHead(out.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() }).end(out.body);
        return;
      }
      const params = new URLSearchParams(body.toString('utf8'));
      stub.actions.push(params.get('Action') ?? `${req.method} ${req.url}`);
      const answered = answer(stub.state, params);
      if (answered) {
        res.writeHead(answered.status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }).end(answered.body);
        return;
      }
      const proxied = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      proxied.on('error', (e) => res.writeHead(502).end(error('BadGateway', e.message)));
      proxied.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  stub.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
