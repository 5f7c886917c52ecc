/** Capacity, registrations, brands shared across accounts and the region note: the pure words. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brandKey, describeHoldings, describeLimits, describeRegistration, regionNote, sharedBrands, sharedCapWarning, type AccountTenDlc } from '../../src/core/tenDlc';

test('messaging limits in words: rates per second and advisory daily caps by carrier', () => {
  assert.equal(describeLimits({ rateLimits: { SMS: 20 }, dailyCaps: { 'T-MOBILE': 2000 } }), 'SMS 20 messages/s; advisory daily caps: T-MOBILE 2,000 messages');
  assert.equal(describeLimits({ rateLimits: { SMS: 75, MMS: 5 } }), 'SMS 75 messages/s, MMS 5/s');
  assert.equal(describeLimits({ dailyCaps: { 'T-MOBILE': 200000 } }), 'advisory daily caps: T-MOBILE 200,000 messages');
  assert.equal(describeLimits({}), undefined);
  assert.equal(describeLimits(undefined), undefined);
});

test('a registration with its type, status and brand', () => {
  assert.equal(
    describeRegistration({ registrationId: 'registration-1', type: 'US_TEN_DLC_CAMPAIGN_REGISTRATION', status: 'COMPLETE', brand: { registrationId: 'registration-2', status: 'COMPLETE', name: 'Example Corp' } }),
    'registration-1 (10DLC campaign): COMPLETE; brand Example Corp (registration-2, COMPLETE)',
  );
  assert.equal(describeRegistration({ registrationId: 'registration-1' }), 'registration-1: status unknown');
});

test('brand keys: the tax id with its country wins; else the company name without case, punctuation or legal suffix', () => {
  assert.equal(brandKey({ companyName: 'Example Corp', taxId: '12-3456789', taxIdIssuingCountry: 'us' }), 'tax:US:123456789');
  assert.equal(brandKey({ companyName: 'Other Name', taxId: '123456789', taxIdIssuingCountry: 'US' }), 'tax:US:123456789');
  assert.equal(brandKey({ companyName: 'Example Corp.' }), brandKey({ companyName: 'EXAMPLE, corp' }));
  assert.equal(brandKey({ companyName: 'Example, Inc.' }), 'name:example');
  assert.equal(brandKey({}), undefined);
});

const account = (accountId: string, profiles: string[], brands: AccountTenDlc['brands']): AccountTenDlc => ({ accountId, profiles, numbers: [], brands });

test('a brand registered in two accounts shares the T-Mobile cap, naming the accounts; one account, deleted brands and unknown keys do not', () => {
  const brand = (id: string, key: string | undefined, status = 'COMPLETE') => ({ registrationId: id, status, name: 'Example Corp', key });
  const shared = sharedBrands([
    account('111111111111', ['primary'], [brand('r1', 'tax:US:1')]),
    account('222222222222', ['secondary-a'], [brand('r2', 'tax:US:1')]),
    account('333333333333', ['secondary-b'], [brand('r3', 'tax:US:2')]),
    account('444444444444', ['secondary-c'], [brand('r4', 'tax:US:1', 'DELETED'), brand('r5', undefined)]),
  ]);
  assert.equal(shared.length, 1);
  assert.deepEqual(shared[0].accounts.map((a) => a.accountId), ['111111111111', '222222222222']);
  assert.equal(sharedCapWarning(shared[0]), 'Brand Example Corp is registered in primary (111111111111) and secondary-a (222222222222): the daily number of messages to T-Mobile customers is shared across these accounts.');
  // Two brand registrations in one account are not "several accounts".
  assert.deepEqual(sharedBrands([account('111111111111', ['primary', 'default'], [brand('r1', 'tax:US:1'), brand('r6', 'tax:US:1')])]), []);
});

test('holdings in a sentence', () => {
  assert.equal(describeHoldings(account('222222222222', ['secondary-a'], []), 'us-east-1'), 'Owns no 10DLC number and no brand registration in us-east-1.');
  assert.equal(
    describeHoldings({ accountId: '1', profiles: [], numbers: [{ phoneNumber: '+12065550100', status: 'ACTIVE' }, { phoneNumber: '+12065550101', status: 'PENDING' }], brands: [{ registrationId: 'r1', status: 'COMPLETE', name: 'Example Corp' }] }, 'us-west-2'),
    'Owns 2 10DLC numbers (+12065550100, +12065550101 PENDING) and brand registration Example Corp (COMPLETE) in us-west-2.',
  );
});

test('the region note only when the sender is set to another region', () => {
  assert.equal(regionNote('secondary-a', 'us-east-1', 'us-east-1'), undefined);
  assert.equal(regionNote('secondary-a', undefined, 'us-east-1'), undefined);
  assert.equal(
    regionNote('secondary-a', 'us-west-2', 'us-east-1'),
    "Profile secondary-a is set to us-west-2, but the message is sent from the number's region, us-east-1 (the primary's SNS there). Using 10DLC in us-west-2 would mean registering the brand and campaign there again.",
  );
});

test("the primary's tooltip lines: number, capacity, registration", async () => {
  const { numberSummaryLines } = await import('../../src/core/tenDlc');
  assert.deepEqual(
    numberSummaryLines({
      phoneNumber: '+12065550100',
      status: 'ACTIVE',
      numberType: 'TEN_DLC',
      createdAt: new Date('2025-06-01T12:00:00Z'),
      limits: { rateLimits: { SMS: 20 }, dailyCaps: { 'T-MOBILE': 2000 } },
      registration: { registrationId: 'registration-1', type: 'US_TEN_DLC_CAMPAIGN_REGISTRATION', status: 'COMPLETE', brand: { registrationId: 'registration-2', name: 'Example Corp', status: 'COMPLETE' } },
      readAt: new Date(),
    }),
    [
      'Number: +12065550100 (ACTIVE, TEN_DLC, created 2025-06-01)',
      'Capacity: SMS 20 messages/s; advisory daily caps: T-MOBILE 2,000 messages',
      'Registration: registration-1 (10DLC campaign): COMPLETE; brand Example Corp (registration-2, COMPLETE)',
    ],
  );
  assert.match(numberSummaryLines({ phoneNumber: '+1', registration: 'the role may not call DescribeRegistrations', readAt: new Date() })[2], /^Registration: unknown \(the role may not/);
});
