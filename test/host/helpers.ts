/** Helpers shared by the extension-host suites: the harness's environment, bounded waits, moto and the stub. */
import type { AnalyzerState } from '../harness/accessAnalyzerStub';
import type { EumAccount } from '../harness/eumStub';
import type { StubState } from '../harness/snsStub';

export function env(name: string): string {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run these tests through the harness (npm run test:host)`);
  }
  return v;
}

/** Polls a condition until it holds or the time runs out (no fixed sleeps). */
export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) {
        return v;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function motoData(): Promise<{ sns?: { SMS?: unknown } }> {
  const res = await fetch(`${env('TENDLC_MOTO_ENDPOINT')}/moto-api/data.json`);
  return (await res.json()) as { sns?: { SMS?: unknown } };
}

/** moto keeps published SMS per account and region; flatten whatever shape it uses to a list. */
export function smsRecords(data: { sns?: { SMS?: unknown } }): { phone_number: string; message: string; message_id?: string }[] {
  const out: { phone_number: string; message: string; message_id?: string }[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o['phone_number'] === 'string' && typeof o['message'] === 'string') {
        out.push(o as { phone_number: string; message: string; message_id?: string });
      } else {
        Object.values(o).forEach(visit);
      }
    }
  };
  visit(data.sns?.SMS);
  return out;
}


/** Reads (and with `state`, changes) the SNS stub's state; the harness passes its address. */
export async function stub(state?: Partial<StubState>): Promise<{ state: StubState; actions: string[] }> {
  const res = await fetch(`${env('TENDLC_SNS_STUB')}/__stub/state`, state ? { method: 'POST', body: JSON.stringify(state) } : {});
  return (await res.json()) as { state: StubState; actions: string[] };
}

/**
 * Reads one account's End User Messaging state in the stub and, with `patch`, replaces those fields
 * of it (the account's other fields and the other accounts stay).
 */
export async function eum(account: string, patch?: Partial<EumAccount>): Promise<EumAccount> {
  const out = await stub(patch ? ({ eum: { [account]: patch } } as unknown as Partial<StubState>) : undefined);
  return out.state.eum[account] ?? { region: 'us-east-1', numbers: [], registrations: [], optOutLists: [], policies: {} };
}

/**
 * Secrets the extension-host suites plant in hostile inputs (endpoint passwords, credential_process output, the
 * external id, numbers without +), for the run-wide scan in zzsecrets.test.ts. `inTrustPolicy`: the value is allowed
 * in a generated trust policy (the external id it requires) and nowhere else.
 */
export const planted: { readonly kind: string; readonly value: string; readonly inTrustPolicy?: boolean }[] = [];

/** Reads (and with `state`, changes) the IAM Access Analyzer stub's state: its mode, the findings it reports, the requests it saw. */
export async function analyzer(state?: Partial<AnalyzerState>): Promise<AnalyzerState> {
  const res = await fetch(`${env('TENDLC_SNS_STUB')}/__stub/access-analyzer`, state ? { method: 'POST', body: JSON.stringify(state) } : {});
  return (await res.json()) as AnalyzerState;
}
