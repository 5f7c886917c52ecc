/**
 * The test harness's choice of editor (TENDLC_EDITOR) and the script that hands the workbench its development
 * options: both decide whether the host and UI tiers really run on the editor they name.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { developmentOptions, injectDevelopmentOptionsScript } from '../harness/hostTests';
import { editors, selectedEditor, testResultsDir } from '../harness/paths';

test('editors.json lists the oldest supported editor first and a newer one after it', () => {
  const list = editors();
  assert.ok(list.length >= 2, 'at least two editors');
  assert.equal(list[0]!.vscode, '1.100.3', 'the oldest is the engines.vscode floor (^1.100.0)');
  const key = (v: string): number[] => v.split('.').map(Number);
  for (let i = 1; i < list.length; i++) {
    const [a, b] = [key(list[i - 1]!.vscode), key(list[i]!.vscode)];
    assert.ok(a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!), `${list[i - 1]!.vscode} before ${list[i]!.vscode}`);
  }
});

test('TENDLC_EDITOR picks an editor by code-server or VS Code version, oldest by default, and refuses others', () => {
  const list = editors();
  const oldest = list[0]!;
  const newest = list[list.length - 1]!;
  assert.deepEqual(selectedEditor(undefined), oldest);
  assert.deepEqual(selectedEditor(''), oldest);
  assert.deepEqual(selectedEditor('oldest'), oldest);
  assert.deepEqual(selectedEditor('newest'), newest);
  assert.deepEqual(selectedEditor(newest.codeServer), newest);
  assert.deepEqual(selectedEditor(newest.vscode), newest);
  assert.throws(() => selectedEditor('1.2.3'), (e: Error) => e.message.includes('1.2.3') && list.every((x) => e.message.includes(x.codeServer)));
  assert.notEqual(testResultsDir(oldest), testResultsDir(newest), 'each editor has its own results folder');
});

/** Runs the injection script against a stand-in for the page's document, as Chromium would before the workbench. */
function pageWith(dataSettings: string): { read: () => Record<string, unknown>; window: Record<string, unknown> } {
  const attributes: Record<string, string> = { 'data-settings': dataSettings };
  const element = {
    getAttribute: (name: string): string | null => attributes[name] ?? null,
    setAttribute: (name: string, value: string): void => void (attributes[name] = value),
  };
  class Document {
    getElementById(id: string): unknown {
      return id === 'vscode-workbench-web-configuration' ? element : null;
    }
  }
  const window: Record<string, unknown> = {};
  const context = vm.createContext({ Document, window, JSON, Object, String });
  vm.runInContext(injectDevelopmentOptionsScript(developmentOptions(4242, '/ext', '/ext/out/test/host/index.js')), context);
  const document = new Document();
  return {
    read: () => {
      const el = (vm.runInContext('Document.prototype.getElementById', context) as (this: unknown, id: string) => typeof element).call(document, 'vscode-workbench-web-configuration');
      return JSON.parse(el.getAttribute('data-settings')!) as Record<string, unknown>;
    },
    window,
  };
}

test('the workbench reads development options that load the extension and its tests from the remote', () => {
  const page = pageWith(JSON.stringify({ remoteAuthority: 'x', developmentOptions: { logLevel: 2 } }));
  const settings = page.read();
  assert.equal(settings['remoteAuthority'], 'x', 'the rest of the configuration is kept');
  assert.deepEqual(settings['developmentOptions'], {
    logLevel: 2,
    extensions: [{ scheme: 'vscode-remote', authority: '127.0.0.1:4242', path: '/ext' }],
    extensionTestsPath: { scheme: 'vscode-remote', authority: '127.0.0.1:4242', path: '/ext/out/test/host/index.js' },
  });
  assert.equal(page.window['__tendlcDevelopmentOptions'], 'applied');
  // A second read (the workbench may look the element up again) does not merge twice or fail.
  assert.deepEqual(page.read(), settings);
});

test('a page whose configuration is not JSON is reported, not silently run without tests', () => {
  const page = pageWith('{not json');
  assert.throws(() => page.read(), SyntaxError, 'the configuration is left as it was');
  assert.match(String(page.window['__tendlcDevelopmentOptions']), /^failed: /);
});
