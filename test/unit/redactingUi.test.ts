/**
 * The notification exit: every text the extension shows passes through the redactor, except the values it is
 * told to keep (the shared 10DLC number in the confirmation) and what the user types.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redactor } from '../../src/core/redact';
import type { InputOptions, PickItem, Ui } from '../../src/ui/prompts';
import { redactingUi, redactKeeping } from '../../src/ui/redactingUi';

/** A Ui that records what it was asked to show. */
function recorder(): { ui: Ui; shown: string[] } {
  const shown: string[] = [];
  const ui: Ui = {
    pick: async <T>(items: readonly PickItem<T>[], o: { title: string; placeHolder: string }) => {
      shown.push(o.title, ...items.map((i) => `${i.label} ${i.description ?? ''}`));
      return items[0]?.value;
    },
    input: async (o: InputOptions) => {
      shown.push(o.title, o.prompt);
      return o.value;
    },
    modal: async (m, d) => (shown.push(m, d), undefined),
    choose: async (m) => (shown.push(m), undefined),
    info: async (m) => (shown.push(m), undefined),
    warn: async (m) => (shown.push(m), undefined),
    error: async (m) => (shown.push(m), undefined),
    progress: async (title, task) => {
      shown.push(title);
      return task(new AbortController().signal, (m) => shown.push(m));
    },
  };
  return { ui, shown };
}

test('every kind of notification is redacted; the kept number stays; typed values are the user\'s', async () => {
  const external = `ext-${Math.random().toString(36).slice(2, 12)}`;
  const pw = Math.random().toString(36).slice(2, 14);
  const r = new Redactor();
  r.addSecret(external);
  const { ui, shown } = recorder();
  const u = redactingUi(ui, (t) => r.redact(t), () => ['+12065550100']);
  await u.error(`AssumeRole failed: Value '${external}' at 'externalId' failed to satisfy constraint`);
  await u.warn(`could not reach http://admin:${pw}@127.0.0.1:4566`);
  await u.info('Test SMS sent to +12065550123 through +12065550100.');
  await u.modal('Send a test SMS?', 'From: +12065550100\nTo: 2065550123', ['Send SMS']);
  await u.progress(`Looking up via http://x:${pw}@h…`, async (_s, report) => report(`step with ${external}`));
  const typed = await u.input({ title: 'destination', prompt: 'Did you mean 2065550123?', value: '+12065550123' });
  const all = shown.join('\n');
  assert.ok(!all.includes(external), 'the external id');
  assert.ok(!all.includes(pw), 'the URL password');
  assert.ok(!all.includes('+12065550123') && !all.includes('2065550123?'), 'the destination');
  assert.match(all, /through \+12065550100\./);
  assert.match(all, /From: \+12065550100/);
  assert.equal(typed, '+12065550123', 'what the user typed comes back unchanged');
});

test('the shared number is kept in every form a message writes it; other numbers are masked', async () => {
  const { usNumberForms } = await import('../../src/core/redact');
  const { ui, shown } = recorder();
  const u = redactingUi(ui, (t) => new Redactor().redact(t), () => usNumberForms('+12065550100'));
  await u.modal('Send?', '⚠ (206) 555-0100 is in 555-0100 to 555-0199, which is reserved for fiction.\nTo: (206) 555-0123', ['Send SMS']);
  assert.match(shown.join('\n'), /⚠ \(206\) 555-0100 is in/);
  assert.match(shown.join('\n'), /To: \(\*\*\*\) \*\*\*-0123/);
});

test('redactKeeping redacts around kept values, never inside or across them', () => {
  const r = new Redactor();
  r.addSecret('sekret-value');
  const redact = (t: string): string => r.redact(t);
  assert.equal(redactKeeping('sekret-value and +12065550100 and +12065550123', redact, ['+12065550100']), '[REDACTED] and +12065550100 and +*******0123');
  assert.equal(redactKeeping('{"sts:ExternalId": "my-external-id"} sekret-value', redact, ['my-external-id']), '{"sts:ExternalId": "my-external-id"} [REDACTED]');
  assert.equal(redactKeeping('nothing kept', redact, ['']), 'nothing kept');
});
