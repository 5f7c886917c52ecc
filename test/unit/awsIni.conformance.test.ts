import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { IniSection, parseAwsFiles, ParsedAwsFiles, SourceFile } from '../../src/core/awsIni';

/**
 * The cross-SDK profile-file suite (test/fixtures/profile-parser-tests.json), one subtest per case.
 * Where the suite expects a parse failure, our reader must not throw: it must report an 'error' problem that
 * contains the expected text, with the file and a line number.
 */

interface SuiteCase {
  name: string;
  input: { configFile?: string; credentialsFile?: string };
  output: {
    profiles?: Record<string, ExpectedSection>;
    'sso-sessions'?: Record<string, ExpectedSection>;
    services?: Record<string, ExpectedSection>;
    unknown?: Record<string, ExpectedSection>;
    errorContaining?: string;
  };
}
type ExpectedSection = Record<string, string | Record<string, string>>;

const repoRoot = path.resolve(__dirname, '../../..');
// A copy kept in the repo (test/fixtures/README.md says where it comes from), so a fresh clone runs it.
const suitePath = path.resolve(repoRoot, 'test/fixtures/profile-parser-tests.json');
const suite = JSON.parse(fs.readFileSync(suitePath, 'utf8')) as { tests: SuiteCase[] };

const CONFIG_PATH = '/home/tester/.aws/config';
const CREDENTIALS_PATH = '/home/tester/.aws/credentials';

/** The suite's shape: sub-properties nested in the same object as plain properties; plain objects only. */
function toPlain(sections: Map<string, IniSection> | undefined): Record<string, ExpectedSection> {
  const out: Record<string, ExpectedSection> = {};
  for (const section of sections?.values() ?? []) {
    const flat: ExpectedSection = {};
    for (const [k, v] of Object.entries(section.properties)) flat[k] = v;
    for (const [k, v] of Object.entries(section.subProperties)) flat[k] = { ...v };
    out[section.name] = flat;
  }
  return out;
}

function parseCase(c: SuiteCase): ParsedAwsFiles {
  const files: { config?: SourceFile; credentials?: SourceFile } = {};
  if (c.input.configFile !== undefined) files.config = { path: CONFIG_PATH, text: c.input.configFile, kind: 'config' };
  if (c.input.credentialsFile !== undefined) {
    files.credentials = { path: CREDENTIALS_PATH, text: c.input.credentialsFile, kind: 'credentials' };
  }
  return parseAwsFiles(files);
}

void test('AWS shared-file conformance suite', async (t) => {
  assert.equal(suite.tests.length, 67, 'the suite has 67 cases');
  let passed = 0;

  for (const c of suite.tests) {
    await t.test(c.name, () => {
      let parsed: ParsedAwsFiles | undefined;
      assert.doesNotThrow(() => {
        parsed = parseCase(c);
      });
      const result = parsed!;
      const expectedError = c.output.errorContaining;

      if (expectedError !== undefined) {
        // Every error case in the suite has exactly one input file; that is where the problem must be.
        const file = c.input.configFile !== undefined ? CONFIG_PATH : CREDENTIALS_PATH;
        const matching = result.problems.filter((p) => p.severity === 'error' && p.message.includes(expectedError));
        assert.ok(matching.length > 0, `expected an error containing "${expectedError}", got ${JSON.stringify(result.problems)}`);
        for (const p of matching) {
          assert.equal(p.file, file);
          assert.ok(Number.isInteger(p.line) && p.line >= 1, `line ${p.line} is a 1-based line number`);
        }
      } else {
        assert.deepEqual(toPlain(result.profiles), c.output.profiles ?? {}, 'profiles');
        assert.deepEqual(toPlain(result.ssoSessions), c.output['sso-sessions'] ?? {}, 'sso-sessions');
        assert.deepEqual(toPlain(result.services), c.output.services ?? {}, 'services');
        assert.deepEqual(toPlain(result.otherSections), c.output.unknown ?? {}, 'unknown sections');
        const errors = result.problems.filter((p) => p.severity === 'error');
        assert.deepEqual(errors, [], 'no error problems for input the suite accepts');
      }
      passed++;
    });
  }

  console.log(`conformance: ${passed}/${suite.tests.length}`);
  assert.equal(passed, suite.tests.length);
});
