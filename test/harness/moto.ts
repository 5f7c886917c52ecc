/**
 * moto in server mode on 127.0.0.1: one port serves every AWS service (the endpoint for `endpoint_url`).
 */
import * as path from 'path';
import { motoServerBin, requireTools, testResultsDir } from './paths';
import { getFreePort } from './ports';
import { childEnv, describeExit, httpRequest, ManagedProcess, spawnManaged, tailFile, waitFor } from './processes';

export interface MotoOptions {
  /**
   * Extra environment for moto, e.g. `{ INITIAL_NO_AUTH_ACTION_COUNT: '5' }` (permission checks start after that
   * many requests) or `{ MOTO_ENABLE_RECORDING: 'true' }`.
   */
  env?: Record<string, string>;
  /** The log goes to `logDir/moto-PORT.log`; default `<repo>/test-results/logs`. */
  logDir?: string;
  /** Bound on the wait for readiness; default 30 s. */
  readyTimeoutMs?: number;
}

export interface MotoServer {
  /** `http://127.0.0.1:PORT`, for `endpoint_url` and the SDK's `endpoint`. */
  endpoint: string;
  port: number;
  logFile: string;
  process: ManagedProcess;
  stop(): Promise<void>;
  /** `POST /moto-api/reset`: forgets every resource in every account. */
  reset(): Promise<void>;
  /** `POST /moto-api/reset-auth`: permission checks start after `count` more requests (0: at once). */
  resetAuth(count: number): Promise<void>;
  /** `GET /moto-api/data.json`: every tracked model, e.g. `(await data()).sns.SMS` for published SMS. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data(): Promise<any>;
}

const ATTEMPTS = 3;

export async function startMoto(opts: MotoOptions = {}): Promise<MotoServer> {
  requireTools('moto');
  const logDir = opts.logDir ?? path.join(testResultsDir(), 'logs');
  let lastError: unknown;
  // The free port can be taken between choosing and binding it: try again on another one.
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const port = await getFreePort();
    const logFile = path.join(logDir, `moto-${port}.log`);
    const proc = spawnManaged(motoServerBin(), ['-H', '127.0.0.1', '-p', String(port)], {
      name: 'moto',
      env: childEnv({ ...opts.env, PYTHONUNBUFFERED: '1' }),
      logFile,
    });
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => (await httpRequest(`${endpoint}/moto-api/data.json`, { timeoutMs: 2000 })).status === 200, {
        description: `moto on ${endpoint}`,
        timeoutMs: opts.readyTimeoutMs ?? 30_000,
        intervalMs: 100,
        abortIf: () => (proc.exitInfo ? `moto ${describeExit(proc.exitInfo)}` : undefined),
        diagnostics: () => `--- tail of ${logFile}:\n${tailFile(logFile, 30)}`,
      });
    } catch (e) {
      await proc.stop();
      lastError = e;
      if (/address already in use/i.test(tailFile(logFile, 30)) && attempt < ATTEMPTS) continue;
      throw e;
    }
    const post = async (apiPath: string, body?: string): Promise<void> => {
      const res = await httpRequest(`${endpoint}${apiPath}`, { method: 'POST', body });
      if (res.status !== 200) throw new Error(`moto ${apiPath}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
    };
    return {
      endpoint,
      port,
      logFile,
      process: proc,
      stop: () => proc.stop(),
      reset: () => post('/moto-api/reset'),
      resetAuth: (count: number) => post('/moto-api/reset-auth', String(count)),
      data: async () => {
        const res = await httpRequest(`${endpoint}/moto-api/data.json`, { timeoutMs: 10_000 });
        if (res.status !== 200) throw new Error(`moto data.json: HTTP ${res.status}`);
        return JSON.parse(res.body);
      },
    };
  }
  throw lastError;
}
