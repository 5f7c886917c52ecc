/**
 * The HTTP layer under every AWS SDK client the factory makes: the SDK's own Node handler, with
 *
 * - a deadline per attempt that covers connecting, the request, the headers *and* the body. The SDK's
 *   `requestTimeout` stops counting once the headers arrive (node-http-handler 4.x clears it then), so an endpoint
 *   that sends headers and stalls, or trickles a byte at a time, would hold a call for the socket's idle timeout
 *   (300 s for STS and SNS) or for ever. Here the body is read to its end inside the attempt (AWS answers of these
 *   services are small; the size is capped), and a fired deadline ends the attempt with a retryable `TimeoutError`;
 * - cancellation: the caller's `abortSignal` (and a call's total deadline) end the attempt in any phase;
 * - a record of whether the request was written: a custom `http.Agent` sees each `ClientRequest` and its `finish`
 *   event (everything handed to the operating system). A failure before that provably sent nothing; after it, the
 *   server may have acted on the request (what a Publish needs to know: see `requestState` in errors.ts);
 * - connections kept alive in a pool the client factory shares between its clients (one TLS handshake per endpoint,
 *   not one per call), with two guards: a kept-alive connection the server had closed (the request written into a
 *   socket whose other end was already gone, then a reset before any answer) is retried once on a new connection,
 *   within the same deadline — for calls that may be repeated; and a call that must never be repeated (Publish)
 *   always gets a connection of its own, never a kept-alive one, so that race cannot make its outcome unknown.
 *   Idle connections are closed after IDLE_SOCKET_MS (or sooner when the server's Keep-Alive header asks).
 */
import { Agent as HttpAgent, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';

type HandlerRequest = Parameters<NodeHttpHandler['handle']>[0];
type HandlerOptions = NonNullable<Parameters<NodeHttpHandler['handle']>[1]>;
type HandlerResult = Awaited<ReturnType<NodeHttpHandler['handle']>>;

/** How far a request got: nothing was written, it was written (the server may act on it), or we cannot tell. */
export type RequestState = 'not-sent' | 'sent' | 'unknown';

/** What the handler records on an error it throws. */
export interface HttpErrorMarks {
  $tendlcRequest?: RequestState;
  /** The phase the attempt was in: connecting, writing, waiting for headers, reading the body. */
  $tendlcPhase?: 'connect' | 'write' | 'headers' | 'body';
}

/** The reason an attempt's own deadline aborts it with. */
class AttemptDeadline extends Error {
  constructor(readonly ms: number) {
    super(`no complete answer within ${seconds(ms)}`);
    this.name = 'AttemptDeadline';
  }
}

/** The reason a call's total deadline aborts it with (set by the client factory). */
export class TotalDeadline extends Error {
  constructor(readonly ms: number) {
    super(`the call did not finish within ${seconds(ms)}`);
    this.name = 'TotalDeadline';
  }
}

/** `0.5 s`, `20 s`. */
export function seconds(ms: number): string {
  return `${ms < 10_000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000)} s`;
}

/**
 * The error a call ends with when `signal` fired: an attempt deadline is a `TimeoutError` (which the SDK retries,
 * as it retries its own request timeouts), a total deadline is `DeadlineExceeded` (not retried: the time is up),
 * anything else is the caller's cancel, an `AbortError`.
 */
export function abortErrorFor(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof AttemptDeadline) {
    return Object.assign(new Error(`The endpoint sent no complete answer in time (${reason.message}).`), { name: 'TimeoutError' });
  }
  if (reason instanceof TotalDeadline) {
    return Object.assign(new Error(`The endpoint sent no complete answer in time (${reason.message}).`), { name: 'DeadlineExceeded' });
  }
  return Object.assign(new Error('Request aborted'), { name: 'AbortError' });
}

/** What the tracking agents know of the attempt whose request carries a given headers object. */
interface Attempt {
  written: boolean;
  socket: boolean;
  /** The connection had carried an earlier request (kept alive). */
  reused: boolean;
  /** Node's request of this attempt, once the agent was handed it. */
  req?: ClientRequest;
}

/**
 * The SDK hands Node `http.request` the very `headers` object of its HttpRequest, and Node hands the same options
 * to the agent's `addRequest`: that is how an agent finds the attempt a ClientRequest belongs to.
 */
const attempts = new WeakMap<object, Attempt>();

function track(req: ClientRequest, options: unknown): void {
  // A request that ends without a complete answer (destroyed, aborted, reset) never leaves its connection to carry
  // another: the server may still be working on it, and a request queued behind it there would wait for nothing.
  req.once('close', () => {
    const res = (req as ClientRequest & { res?: { complete?: boolean } | null }).res;
    const socket = req.socket;
    if ((!res || !res.complete) && socket && !socket.destroyed) {
      socket.destroy();
    }
  });
  const headers = (options as { headers?: unknown } | undefined)?.headers;
  const attempt = typeof headers === 'object' && headers !== null ? attempts.get(headers) : undefined;
  if (attempt) {
    attempt.req = req;
    req.once('socket', () => {
      attempt.socket = true;
      attempt.reused = req.reusedSocket;
    });
    req.once('finish', () => (attempt.written = true));
  }
}

type AddRequest = (this: unknown, req: ClientRequest, options: unknown) => void;

class TrackingHttpAgent extends HttpAgent {
  addRequest(req: ClientRequest, options: unknown): void {
    track(req, options);
    (HttpAgent.prototype as unknown as { addRequest: AddRequest }).addRequest.call(this, req, options);
  }
}

class TrackingHttpsAgent extends HttpsAgent {
  addRequest(req: ClientRequest, options: unknown): void {
    track(req, options);
    (HttpsAgent.prototype as unknown as { addRequest: AddRequest }).addRequest.call(this, req, options);
  }
}

/**
 * Idle kept-alive connections are closed after this long (Node closes them sooner when the server's `Keep-Alive:
 * timeout=N` header says it will close first). Short enough that a connection is rarely kept past a server's or a
 * middlebox's idle limit; long enough for the calls of one command and a pre-flight followed by a send.
 */
export const IDLE_SOCKET_MS = 15_000;

/** Kept-alive connections shared by the handlers of many clients: one pool per client factory. */
export class ConnectionPool {
  readonly http: HttpAgent = new TrackingHttpAgent({ keepAlive: true, maxSockets: 50, timeout: IDLE_SOCKET_MS });
  readonly https: HttpsAgent = new TrackingHttpsAgent({ keepAlive: true, maxSockets: 50, timeout: IDLE_SOCKET_MS });

  /** Closes the idle connections (a kept-alive one was found closed by its server: the others may be too). */
  dropIdle(): void {
    for (const agent of [this.http, this.https]) {
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const s of sockets ?? []) {
          s.destroy();
        }
      }
    }
  }

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

export interface BoundedHandlerOptions {
  /** TCP (and TLS) connect timeout, ms. */
  readonly connectMs: number;
  /** Deadline of one attempt, from its start to the last byte of the answer, ms. */
  readonly attemptMs: number;
  /** Every attempt also ends when this fires (e.g. the caller's cancel, for SDK-internal clients). */
  readonly signal?: AbortSignal;
  /** Kept-alive connections shared with other handlers (not closed when this handler is destroyed). */
  readonly pool?: ConnectionPool;
  /**
   * Every request on a connection of its own, closed after the answer: for a call that is never repeated (Publish).
   * On a kept-alive connection the server may close it just as the request is written, and then nothing can tell
   * whether the server read it; on a new connection a failure before the request was written provably sent nothing.
   */
  readonly fresh?: boolean;
}

/** More than any answer of the services used here; a larger body is refused rather than buffered. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The SDK's Node handler with a whole-attempt deadline, cancellation in every phase and written-or-not tracking. */
export class BoundedHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly inner: NodeHttpHandler;

  constructor(private readonly opts: BoundedHandlerOptions) {
    const own = !opts.pool || opts.fresh;
    this.inner = new NodeHttpHandler({
      connectionTimeout: opts.connectMs,
      // The SDK's own timer ends at the headers; it stays as a second bound on the wait for them.
      requestTimeout: opts.attemptMs,
      throwOnRequestTimeout: true,
      httpAgent: own ? new TrackingHttpAgent({ keepAlive: !opts.fresh, maxSockets: 50 }) : opts.pool?.http,
      httpsAgent: own ? new TrackingHttpsAgent({ keepAlive: !opts.fresh, maxSockets: 50 }) : opts.pool?.https,
    });
  }

  async handle(request: HandlerRequest, options: HandlerOptions = {}): Promise<HandlerResult> {
    const deadline = new AbortController();
    const sources = [deadline.signal, options.abortSignal as AbortSignal | undefined, this.opts.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = sources.length === 1 ? deadline.signal : AbortSignal.any(sources);
    if (signal.aborted) {
      throw mark(abortErrorFor(signal), 'not-sent', 'connect');
    }
    const timer = setTimeout(() => deadline.abort(new AttemptDeadline(this.opts.attemptMs)), this.opts.attemptMs);
    try {
      for (let tries = 1; ; tries++) {
        const attempt: Attempt = { written: false, socket: false, reused: false };
        let phase: HttpErrorMarks['$tendlcPhase'] = 'connect';
        attempts.set(request.headers, attempt);
        try {
          const { response } = await this.inner.handle(request, { ...options, abortSignal: signal });
          phase = 'body';
          response.body = await readBody(response.body as Readable | Uint8Array | undefined, signal);
          return { response };
        } catch (e) {
          if (phase !== 'body') {
            phase = attempt.written ? 'headers' : attempt.socket ? 'write' : 'connect';
          }
          // A kept-alive connection the server had closed: nothing of an answer came, the connection was reset.
          // Once more on a new connection (the idle ones are dropped), within this attempt's deadline.
          if (tries === 1 && attempt.reused && phase !== 'body' && !signal.aborted && closedByPeer(e) && !this.opts.fresh) {
            this.opts.pool?.dropIdle();
            continue;
          }
          const state: RequestState = phase === 'body' || attempt.written ? 'sent' : 'not-sent';
          if (signal.aborted) {
            abandon(attempt);
          }
          throw mark(signal.aborted ? abortErrorFor(signal) : e, state, phase);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    // Shared connections belong to the pool: only a handler's own agents are closed with it.
    if (!this.opts.pool || this.opts.fresh) {
      this.inner.destroy();
    }
  }
}

/**
 * An attempt given up (cancelled or past its deadline) never leaves its connection open or back in the pool: the
 * server sees it closed at once (a hung call ends there), and an answer that comes late can never be read as the
 * answer of the next request on a kept-alive connection. The SDK's handler destroys the request on abort; this makes
 * it so in every phase, whichever of them saw the abort first.
 */
function abandon(attempt: Attempt): void {
  const req = attempt.req;
  if (!req) {
    return;
  }
  const socket = req.socket;
  if (!req.destroyed) {
    req.destroy();
  }
  if (socket && !socket.destroyed) {
    socket.destroy();
  }
}

/** The connection was closed or reset by the other end (Node's "socket hang up" is ECONNRESET too). */
function closedByPeer(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

function mark(e: unknown, state: RequestState, phase: HttpErrorMarks['$tendlcPhase']): unknown {
  if (typeof e === 'object' && e !== null && !('$tendlcRequest' in e)) {
    Object.assign(e, { $tendlcRequest: state, $tendlcPhase: phase } satisfies HttpErrorMarks);
  }
  return e;
}

/** Reads an answer's body to its end, or rejects when the signal fires, the connection ends early or it is too big. */
function readBody(body: Readable | Uint8Array | undefined, signal: AbortSignal): Promise<Uint8Array> {
  if (body === undefined || body instanceof Uint8Array) {
    return Promise.resolve(body ?? new Uint8Array());
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error?: unknown): void => {
      if (done) {
        return;
      }
      done = true;
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) {
        resolve(Buffer.concat(chunks, size));
      } else {
        body.destroy();
        reject(error);
      }
    };
    const onAbort = (): void => finish(abortErrorFor(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        finish(new Error(`The endpoint's answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB; no AWS answer of these services is.`));
      } else {
        chunks.push(chunk);
      }
    });
    body.once('end', () => finish());
    body.once('error', (e) => finish(Object.assign(e, { code: (e as { code?: string }).code ?? 'ECONNRESET' })));
    body.once('close', () => finish(Object.assign(new Error('The connection closed before the answer was complete.'), { code: 'ECONNRESET' })));
  });
}
