/**
 * From the bytes of an AWS config or credentials file to its text. The AWS CLI and SDKs read these files as UTF-8
 * only; a file saved as UTF-16 or UTF-32 (Windows Notepad's "Unicode", PowerShell 5's `>` and `Out-File`) reads
 * as NUL-filled garbage there, and one in a legacy 8-bit encoding (Windows-1252, Latin-1) reads with its accented
 * letters replaced. Either is recognised here and reported once, as "save it as UTF-8", instead of as a problem on
 * every line. Pure: no file system, no `vscode`.
 */
import * as l10n from '@vscode/l10n';
import { isUtf8 } from 'node:buffer';

export type DecodedFile =
  /** Usable text. `invalid`: the file is not valid UTF-8; its bad bytes read as U+FFFD, on `lines` (1-based). */
  | { readonly ok: true; readonly text: string; readonly invalid?: { readonly line: number; readonly column: number; readonly lines: ReadonlySet<number>; readonly message: string } }
  /** Nothing in it can be read as the AWS tools read it (UTF-16, UTF-32). Messages follow the file's name: "is ...". */
  | { readonly ok: false; readonly message: string };

const SAVE_AS_UTF8 = (): string => l10n.t('Save it as UTF-8 (in VS Code: click the encoding in the status bar, then "Save with Encoding" → UTF-8).');

/** How many leading bytes the encoding of a file without a byte order mark is guessed from. */
const SNIFF_BYTES = 4096;

export function decodeAwsFile(bytes: Uint8Array): DecodedFile {
  const wide = wideEncoding(bytes);
  if (wide) {
    return {
      ok: false,
      message: l10n.t('is saved as {0}; the AWS CLI and SDKs read it only as UTF-8, so none of its profiles can be used. {1}', wide, SAVE_AS_UTF8()),
    };
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('utf8');
  if (isUtf8(buf)) {
    return { ok: true, text };
  }
  const bad = invalidUtf8(bytes);
  const byte = bytes[bad.first].toString(16).toUpperCase().padStart(2, '0');
  return {
    ok: true,
    text,
    invalid: {
      line: bad.line,
      column: bad.column,
      lines: bad.lines,
      message:
        bad.lines.size > 2
          ? l10n.t('is not valid UTF-8: byte 0x{0} at line {1}, column {2} (and {3} more lines) is not UTF-8; the file may be saved as Windows-1252, Latin-1 or another legacy encoding. The AWS tools read such bytes as "�", so names and values with them will not match. {4}', byte, bad.line, bad.column, bad.lines.size - 1, SAVE_AS_UTF8())
          : bad.lines.size > 1
            ? l10n.t('is not valid UTF-8: byte 0x{0} at line {1}, column {2} (and 1 more line) is not UTF-8; the file may be saved as Windows-1252, Latin-1 or another legacy encoding. The AWS tools read such bytes as "�", so names and values with them will not match. {3}', byte, bad.line, bad.column, SAVE_AS_UTF8())
            : l10n.t('is not valid UTF-8: byte 0x{0} at line {1}, column {2} is not UTF-8; the file may be saved as Windows-1252, Latin-1 or another legacy encoding. The AWS tools read such bytes as "�", so names and values with them will not match. {3}', byte, bad.line, bad.column, SAVE_AS_UTF8()),
    },
  };
}

/** "UTF-16 LE (with a byte order mark)" and the like, or undefined for anything that may be UTF-8. */
function wideEncoding(b: Uint8Array): string | undefined {
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'UTF-32 LE (with a byte order mark)';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32 BE (with a byte order mark)';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'UTF-16 LE (with a byte order mark)';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'UTF-16 BE (with a byte order mark)';
  // Without a mark: text of these files is mostly ASCII, whose characters are a byte and one to three NULs, at fixed
  // places. UTF-8 text has no NUL at all (a stray one is not a pattern), so a file without one is done at once.
  const n = Math.min(b.length, SNIFF_BYTES) & ~3;
  if (n < 4) return undefined;
  const nul = b.indexOf(0);
  if (nul < 0 || nul >= n) return undefined;
  const zeros = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) if (b[i] === 0) zeros[i & 3]++;
  const quads = n / 4;
  const mostly = (z: number): boolean => z >= quads * 0.6;
  const rarely = (z: number): boolean => z <= quads * 0.05;
  if (mostly(zeros[1]) && mostly(zeros[2]) && mostly(zeros[3]) && rarely(zeros[0])) return 'UTF-32 LE (without a byte order mark)';
  if (mostly(zeros[0]) && mostly(zeros[1]) && mostly(zeros[2]) && rarely(zeros[3])) return 'UTF-32 BE (without a byte order mark)';
  if (mostly(zeros[1]) && mostly(zeros[3]) && rarely(zeros[0]) && rarely(zeros[2])) return 'UTF-16 LE (without a byte order mark)';
  if (mostly(zeros[0]) && mostly(zeros[2]) && rarely(zeros[1]) && rarely(zeros[3])) return 'UTF-16 BE (without a byte order mark)';
  return undefined;
}

/**
 * Where the bytes that are not UTF-8 are: the first one's line and column (in characters as decoded, 1-based; lines
 * end at \r\n, \n or a lone \r, as the parser counts them), and every line that has one. Only called for invalid
 * files: a plain scan, linear in the size.
 */
function invalidUtf8(b: Uint8Array): { first: number; line: number; column: number; lines: Set<number> } {
  const lines = new Set<number>();
  let first = -1;
  let firstLine = 1;
  let firstColumn = 1;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c === 0x0a || c === 0x0d) {
      i += c === 0x0d && b[i + 1] === 0x0a ? 2 : 1;
      line++;
      lineStart = i;
      continue;
    }
    const len = utf8SequenceLength(b, i);
    if (len === 0) {
      if (first < 0) {
        first = i;
        firstLine = line;
        firstColumn = Buffer.from(b.buffer, b.byteOffset + lineStart, i - lineStart).toString('utf8').length + 1;
      }
      lines.add(line);
      i++;
    } else {
      i += len;
    }
  }
  return { first: Math.max(first, 0), line: firstLine, column: firstColumn, lines };
}

/** The length of the well-formed UTF-8 sequence at `i` (1-4), or 0 when the byte there starts none. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
