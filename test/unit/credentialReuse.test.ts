/**
 * The credentials provider of a profile (primable): resolved credentials are reused until shortly before they
 * expire, and a provider nothing uses any more can be collected at once. Before issue 13's follow-up it armed a
 * timer until then (up to an hour), which kept each provider, its profile and (through the profile's values, slices
 * of it) the whole text of the AWS file it was parsed from: point 5 of the bench grew ~1.8 MB per refresh of a
 * 10,000-profile config that had changed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { primable } from '../../src/aws/credentials';

function fullGc(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
}

/** Made-up test credentials (built at run time), expiring `inMs` from now. */
function creds(inMs: number): AwsCredentialIdentity {
  return { accessKeyId: `ASIA${'T'.repeat(16)}`, secretAccessKey: 's'.repeat(40), sessionToken: 't'.repeat(40), expiration: new Date(Date.now() + inMs) };
}

test('credentials expiring in an hour are reused; within the last minute they are resolved again', async () => {
  let calls = 0;
  const hour = primable(async () => (calls++, creds(3_600_000)), undefined, () => undefined);
  const a = await hour();
  const b = await hour();
  assert.equal(calls, 1);
  assert.equal(a, b);

  let soonCalls = 0;
  const soon = primable(async () => (soonCalls++, creds(30_000)), undefined, () => undefined);
  await soon();
  await soon();
  assert.equal(soonCalls, 2, 'credentials 30 s from expiry (inside the 60 s margin) are not reused');

  let staticCalls = 0;
  const noExpiry = primable(async () => (staticCalls++, { accessKeyId: 'AKIDTEST', secretAccessKey: 'x'.repeat(40) }), undefined, () => undefined);
  await noExpiry();
  await noExpiry.prime(undefined);
  assert.equal(staticCalls, 1, 'credentials without expiration are kept');
});

test('a provider whose credentials expire in an hour is collectable once unused (no timer keeps it)', async () => {
  const refs: WeakRef<object>[] = [];
  // Stands in for the profile (and the file text) the resolver closes over.
  const make = async (): Promise<void> => {
    const profile = { name: 'role-1', text: 'x'.repeat(1024) };
    refs.push(new WeakRef(profile));
    const provider = primable(async () => (profile.text.length > 0 ? creds(3_600_000) : creds(0)), undefined, () => undefined);
    await provider();
  };
  for (let i = 0; i < 5; i++) {
    await make();
  }
  // WeakRef targets are kept until the current job ends: let it end, then collect.
  await new Promise((r) => setImmediate(r));
  fullGc();
  await new Promise((r) => setImmediate(r));
  fullGc();
  const alive = refs.filter((r) => r.deref() !== undefined).length;
  assert.equal(alive, 0, `${alive} of ${refs.length} unused providers are still reachable`);
});
