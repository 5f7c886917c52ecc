import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAwsFile } from '../../src/core/awsFileText';

const text = '[profile a]\nregion = us-east-1\n';

test('UTF-8, with or without a byte order mark, with any characters, is read as it is', () => {
  for (const t of [text, `\ufeff${text}`, '[profile 名前]\nregion = ü 🚀 \u202e\n', '', 'a\u0000b\n']) {
    const d = decodeAwsFile(Buffer.from(t, 'utf8'));
    assert.deepEqual(d, { ok: true, text: t });
  }
});

test('UTF-16 and UTF-32 are recognised, with and without a byte order mark, and refused as one problem', () => {
  const le16 = Buffer.from(text, 'utf16le');
  const be16 = Buffer.from(text, 'utf16le').swap16();
  const le32 = Buffer.concat([...text].map((c) => Buffer.from([c.charCodeAt(0), 0, 0, 0])));
  const be32 = Buffer.concat([...text].map((c) => Buffer.from([0, 0, 0, c.charCodeAt(0)])));
  const cases: [Buffer, string][] = [
    [Buffer.concat([Buffer.from([0xff, 0xfe]), le16]), 'UTF-16 LE (with a byte order mark)'],
    [Buffer.concat([Buffer.from([0xfe, 0xff]), be16]), 'UTF-16 BE (with a byte order mark)'],
    [le16, 'UTF-16 LE (without a byte order mark)'],
    [be16, 'UTF-16 BE (without a byte order mark)'],
    [Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), le32]), 'UTF-32 LE (with a byte order mark)'],
    [Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), be32]), 'UTF-32 BE (with a byte order mark)'],
    [le32, 'UTF-32 LE (without a byte order mark)'],
    [be32, 'UTF-32 BE (without a byte order mark)'],
  ];
  for (const [bytes, encoding] of cases) {
    const d = decodeAwsFile(bytes);
    assert.equal(d.ok, false, encoding);
    assert.equal(d.ok ? '' : d.message, `is saved as ${encoding}; the AWS CLI and SDKs read it only as UTF-8, so none of its profiles can be used. Save it as UTF-8 (in VS Code: click the encoding in the status bar, then "Save with Encoding" → UTF-8).`);
  }
});

test('a legacy 8-bit encoding is one problem at its first bad byte (line and column as the parser counts them); the text is read as the SDK reads it', () => {
  // Line 3 has "名" (3 bytes, 1 column) before the bad byte; lines end in \r\n, \r and \n.
  const bytes = Buffer.concat([Buffer.from('[profile a]\r\nregion = x\r名 '), Buffer.from([0xe9]), Buffer.from('\n# ok\n'), Buffer.from([0xfc, 0x0a])]);
  const d = decodeAwsFile(bytes);
  assert.ok(d.ok && d.invalid);
  assert.deepEqual([d.invalid.line, d.invalid.column, [...d.invalid.lines]], [3, 3, [3, 5]]);
  assert.match(d.invalid.message, /^is not valid UTF-8: byte 0xE9 at line 3, column 3 \(and 1 more line\) is not UTF-8; the file may be saved as Windows-1252, Latin-1/);
  assert.equal(d.text, bytes.toString('utf8'));
  // Overlong, surrogate and out-of-range sequences are invalid too; a truncated one at the end as well.
  for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
    const r = decodeAwsFile(Buffer.from([0x61, ...bad]));
    assert.ok(r.ok && r.invalid && r.invalid.column === 2, JSON.stringify(bad));
  }
});
