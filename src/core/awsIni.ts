/**
 * Reader for the AWS shared `config` and `credentials` files.
 *
 * Follows the cross-SDK file-format specification (the suite in `test/fixtures/profile-parser-tests.json`), with one deliberate
 * difference: where the specification says "fail", this reader reports an error problem with the file and line,
 * drops only the offending line (or the section under a malformed header), and keeps every other valid section.
 * It never throws and runs in time linear in the input size.
 *
 * Pure TypeScript: no `vscode`, no AWS SDK, no file system access (callers pass the text in).
 */
import * as l10n from '@vscode/l10n';

/** Which of the two shared files a text comes from; the two have slightly different section syntax. */
export type AwsFileKind = 'config' | 'credentials';

/** The text of one shared file and where it came from (used in problems and locations). */
export interface SourceFile {
  path: string;
  text: string;
  kind: AwsFileKind;
}

/** Something wrong in a file: `error` for what the specification calls a parse failure, `warning` for ignored input. */
export interface IniProblem {
  file: string;
  /** 1-based line number. */
  line: number;
  /** 1-based column (UTF-16 code units, as editors count), where the problem is more precise than a whole line. */
  column?: number;
  severity: 'error' | 'warning';
  message: string;
}

/** A place in a file (1-based line). */
export interface Location {
  file: string;
  line: number;
}

/** One named section after merging: a profile, an sso-session, a services section, or a section of another type. */
export interface IniSection {
  /** Profile name / sso-session name / services name (without any `profile ` style prefix). */
  name: string;
  /** Top-level properties, keys exactly as written (case kept, trimmed). A key is never in both maps. */
  properties: Record<string, string>;
  /** Properties that have sub-properties, e.g. `s3 =` followed by `  max_concurrent_requests = 10`. */
  subProperties: Record<string, Record<string, string>>;
  /** Every header that contributed to this section, in file order (config file first). */
  locations: Location[];
}

/** The merged view of the config and credentials files. */
export interface ParsedAwsFiles {
  /** Profiles from both files; for a property set in both, the credentials file wins. */
  profiles: Map<string, IniSection>;
  /** `[sso-session NAME]` sections of the config file. */
  ssoSessions: Map<string, IniSection>;
  /** `[services NAME]` sections of the config file. */
  services: Map<string, IniSection>;
  /**
   * Sections of a type this reader does not know (`[foobar NAME]`), which the specification keeps for forward
   * compatibility. Keyed by `"TYPE NAME"`; `IniSection.name` is `NAME`. Always set by the parser.
   */
  otherSections?: Map<string, IniSection>;
  /** Problems in file order (config file first), each with file and line. */
  problems: IniProblem[];
}

/** At most this many problems are reported per file; the rest are summarised in one last warning. */
export const MAX_PROBLEMS_PER_FILE = 100;

const FORMAT_HELP = (): string => l10n.t('See https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html for the file format.');
const UNEXPECTED = (): string => l10n.t('Encountered unexpected token');

/** Sections the AWS CLI itself uses in the config file that are not profiles; not worth a warning. */
const CLI_SECTIONS = new Set(['plugins', 'preview']);
const SECTION_TYPES = ['profile', 'sso-session', 'services'];

/**
 * Parses and merges the two shared files the way the AWS SDKs do: config-file profiles need the `profile ` prefix
 * (except `[default]`), `[profile default]` beats `[default]` in the config file, credentials-file sections are bare
 * profile names, duplicate sections merge (later property wins), and the credentials file wins over the config file.
 *
 * The grammar used for each text is decided by its slot (`config` or `credentials`), whatever its `kind` says.
 * Never throws.
 */
export function parseAwsFiles(files: { config?: SourceFile; credentials?: SourceFile }): ParsedAwsFiles {
  const parts: ParsedAwsFiles[] = [];
  if (files.config) parts.push(parseAwsFile({ ...files.config, kind: 'config' }));
  if (files.credentials) parts.push(parseAwsFile({ ...files.credentials, kind: 'credentials' }));

  const merged: ParsedAwsFiles = {
    profiles: new Map(),
    ssoSessions: new Map(),
    services: new Map(),
    otherSections: new Map(),
    problems: [],
  };
  for (const part of parts) {
    mergeMap(merged.profiles, part.profiles);
    mergeMap(merged.ssoSessions, part.ssoSessions);
    mergeMap(merged.services, part.services);
    mergeMap(merged.otherSections!, part.otherSections ?? new Map<string, IniSection>());
    for (const problem of part.problems) merged.problems.push(problem);
  }
  return merged;
}

/**
 * Parses one shared file on its own, with the grammar of `file.kind`. Duplicate sections within the file are merged
 * and, in a config file, `[default]` is dropped when `[profile default]` exists. Never throws.
 */
export function parseAwsFile(file: SourceFile): ParsedAwsFiles {
  return new FileParser(file).run();
}

// ---------------------------------------------------------------------------------------------------------------

type SectionType = 'profile' | 'sso-session' | 'services' | 'other';

interface Accumulator {
  type: SectionType;
  /** Key in the output map: the name, or `"TYPE NAME"` for type `other` (also the `otherSections` key). */
  key: string;
  /** `[default]` without the `profile ` prefix in a config file: dropped if `[profile default]` exists. */
  bareDefault: boolean;
  section: IniSection;
  /**
   * Line where each top-level key was last set, to warn about a key set twice in one file. A plain object, not a
   * Map: sections with the same keys share its shape, which made parsing 10,000 profiles measurably cheaper.
   */
  keyLines: Record<string, number>;
  /** Whether `section.subProperties` has ever had a key (so a plain property needs no delete there). */
  hasSub: boolean;
}

/** What an indented line would continue. */
interface LastProperty {
  /** Where its value lives; `null` when the property is ignored (invalid name or section) or the line was bad. */
  target: { acc: Accumulator; key: string } | null;
  /** Line of the property, for messages. */
  line: number;
  emptyValue: boolean;
  /** The line itself was an error: swallow its indented lines instead of reporting each one again. */
  broken: boolean;
}

/** The marker of a bad line: its indented lines are swallowed, not reported again. */
function brokenAt(line: number): LastProperty {
  return { target: null, line, emptyValue: false, broken: true };
}

type HeaderResult =
  | { kind: 'section'; type: SectionType; name: string; bareDefault: boolean; typeWord: string; warning?: string }
  /** `message` empty: ignored without a problem. */
  | { kind: 'ignored'; severity: 'error' | 'warning'; message: string };

class FileParser {
  // Sections by type and name (one map per kind of key, so no composite key string is built and hashed per header),
  // and in the order they were first seen, which is the order of the output.
  private readonly profileSections = new Map<string, Accumulator>();
  private bareDefault: Accumulator | undefined;
  private readonly ssoSections = new Map<string, Accumulator>();
  private readonly servicesSections = new Map<string, Accumulator>();
  private readonly otherSections = new Map<string, Accumulator>();
  private readonly order: Accumulator[] = [];
  private readonly problems: IniProblem[] = [];
  private droppedProblems = 0;
  /** `undefined` before the first header; `null` under an ignored or malformed header. */
  private current: Accumulator | null | undefined;
  private last: LastProperty | undefined;

  constructor(private readonly file: SourceFile) {}

  run(): ParsedAwsFiles {
    let text = this.file.text ?? '';
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

    // Lines end at \r\n, \n or a lone \r, like most editors count them, so line numbers match what users see.
    // indexOf finds the ends (a native scan, several times faster than a charCodeAt loop on big files).
    const n = text.length;
    let lineNo = 0;
    let start = 0;
    let nextLf = text.indexOf('\n');
    let nextCr = text.indexOf('\r');
    for (;;) {
      if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf('\n', start);
      if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf('\r', start);
      const end = nextLf === -1 ? (nextCr === -1 ? n : nextCr) : nextCr === -1 || nextLf < nextCr ? nextLf : nextCr;
      lineNo++;
      this.line(text.slice(start, end), lineNo);
      if (end >= n) break;
      start = end + 1;
      if (text.charCodeAt(end) === 13 && start < n && text.charCodeAt(start) === 10) start++;
    }
    return this.finish();
  }

  private line(raw: string, lineNo: number): void {
    const t = raw.trim();
    if (t === '') return;
    const first = t.charCodeAt(0);
    if (first === 0x23 /* # */ || first === 0x3b /* ; */) return;
    const indented = isWs(raw.charCodeAt(0));

    if (first === 0x5b /* [ */) {
      const header = splitHeader(t);
      // An indented well-formed header is still a header (as in the reference SDKs); an indented malformed one is
      // treated as the indented text it might be, below.
      if (!indented || header.ok) {
        this.header(header, t, lineNo);
        return;
      }
    }
    if (indented) this.indentedLine(t, lineNo);
    else this.propertyLine(raw, lineNo);
  }

  private header(split: SplitHeader, t: string, lineNo: number): void {
    this.last = undefined;
    if (!split.ok) {
      this.current = null;
      this.report(lineNo, 'error', l10n.t('{0}: {1} The lines under it are ignored until the next valid section header. {2}', UNEXPECTED(), split.message, FORMAT_HELP()), split.column);
      return;
    }
    const result = this.file.kind === 'config' ? classifyConfigHeader(split.inner) : classifyCredentialsHeader(split.inner);
    if (result.kind === 'ignored') {
      this.current = null;
      if (result.message) this.report(lineNo, result.severity, result.message);
      return;
    }
    const map = this.mapOf(result);
    const key = result.type === 'other' ? `${result.typeWord} ${result.name}` : result.name;
    let acc = map ? map.get(key) : this.bareDefault;
    const location: Location = { file: this.file.path, line: lineNo };
    if (!acc) {
      acc = {
        type: result.type,
        key,
        bareDefault: result.bareDefault,
        // `[location]`, not `[]` and a push: a pushed-to empty array reserves 17 slots, for 10,000 sections 1.5 MB.
        section: { name: result.name, properties: {}, subProperties: {}, locations: [location] },
        keyLines: {},
        hasSub: false,
      };
      if (map) map.set(key, acc);
      else this.bareDefault = acc;
      this.order.push(acc);
    } else {
      acc.section.locations.push(location);
    }
    this.current = acc;
    if (result.warning) this.report(lineNo, 'warning', result.warning);
    if ((result.type === 'profile' || result.type === 'sso-session') && !isPlainHeader(t, this.file.kind, result.type, result.name)) {
      const sdkProblem = jsSdkHeaderMismatch(t, this.file.kind, result.type, result.name);
      if (sdkProblem) this.report(lineNo, 'warning', sdkProblem);
    }
  }

  /** The map of sections of this header's type and kind; undefined for the bare `[default]` of a config file. */
  private mapOf(h: { type: SectionType; bareDefault: boolean }): Map<string, Accumulator> | undefined {
    switch (h.type) {
      case 'profile':
        return h.bareDefault ? undefined : this.profileSections;
      case 'sso-session':
        return this.ssoSections;
      case 'services':
        return this.servicesSections;
      default:
        return this.otherSections;
    }
  }

  private propertyLine(raw: string, lineNo: number): void {
    const eq = raw.indexOf('=');
    if (this.current === undefined) {
      this.last = brokenAt(lineNo);
      const what = eq >= 0 ? `the property "${excerptLine(raw.slice(0, eq).trim())}" is` : `the line "${excerptLine(raw.trim())}" is`;
      this.report(lineNo, 'error', l10n.t('{0}: {1} outside any [section] header. Put it under a [profile NAME] header (or [default]), or remove it.', UNEXPECTED(), what));
      return;
    }
    if (eq < 0) {
      this.last = brokenAt(lineNo);
      this.report(lineNo, 'error', l10n.t('{0}: "{1}" is not a "name = value" property (there is no "="). Write it as name = value, or start the line with "#" to make it a comment.', UNEXPECTED(), excerptLine(raw.trim())));
      return;
    }
    const key = raw.slice(0, eq).trim();
    if (key === '') {
      this.last = brokenAt(lineNo);
      this.report(lineNo, 'error', l10n.t('{0}: this property has no name before "=". Write it as name = value, or remove the line.', UNEXPECTED()));
      return;
    }
    const value = stripInlineComment(raw.slice(eq + 1)).trim();
    const acc = this.current;
    let target: LastProperty['target'] = null;
    if (!acc) {
      // Under an ignored header: already reported there.
    } else if (hasWs(key)) {
      this.report(lineNo, 'warning', l10n.t('Property "{0}" is ignored: property names cannot contain whitespace.', excerptLine(key)));
    } else {
      const previous = ownValue(acc.keyLines, key);
      if (previous !== undefined) {
        this.report(lineNo, 'warning', l10n.t('"{0}" is set again in {1} (it was set on line {2}); this later value wins.', excerpt(key), describe(acc), previous));
      }
      setOwn(acc.keyLines, key, lineNo);
      if (acc.hasSub) deleteOwn(acc.section.subProperties, key);
      setOwn(acc.section.properties, key, value);
      target = { acc, key };
    }
    this.last = { target, line: lineNo, emptyValue: value === '', broken: false };
  }

  private indentedLine(t: string, lineNo: number): void {
    const last = this.last;
    if (!last) {
      this.last = { target: null, line: lineNo, emptyValue: false, broken: true };
      const where = this.current !== undefined ? 'there is no property above it in this section to continue' : 'it is outside any [section] header';
      this.report(lineNo, 'error', l10n.t('{0}: the indented line "{1}" looks like a continuation of a property value, but {2}. Remove the leading whitespace to make it a "name = value" line, or put it under the property it continues.', UNEXPECTED(), excerptLine(t), where));
      return;
    }
    if (last.broken) return;

    if (!last.emptyValue) {
      // Continuation: comments are part of the value here, by the specification.
      if (last.target) {
        const { acc, key } = last.target;
        const current = ownValue(acc.section.properties, key) ?? '';
        setOwn(acc.section.properties, key, current + '\n' + t);
      }
      return;
    }

    // The property above has an empty value, so indented lines are its sub-properties.
    const eq = t.indexOf('=');
    const subKey = eq < 0 ? '' : t.slice(0, eq).trim();
    if (subKey === '') {
      const parent = last.target ? `"${excerpt(last.target.key)} =" (line ${last.line})` : `the property on line ${last.line}`;
      const problem = eq < 0 ? 'has no "="' : 'has no name before "="';
      this.report(lineNo, 'error', l10n.t('{0}: {1} has an empty value, so the indented lines under it must be sub-properties written "name = value", but "{2}" {3}. Fix the sub-property, or give the property a value on its own line.', UNEXPECTED(), parent, excerptLine(t), problem));
      return;
    }
    if (!last.target) return;
    if (hasWs(subKey)) {
      this.report(lineNo, 'warning', l10n.t('Sub-property "{0}" is ignored: names cannot contain whitespace.', excerptLine(subKey)));
      return;
    }
    // Comments are part of a sub-property's value, by the specification.
    last.target.acc.hasSub = true;
    setSubProperty(last.target.acc.section, last.target.key, subKey, t.slice(eq + 1).trim());
  }

  private report(line: number, severity: IniProblem['severity'], message: string, column?: number): void {
    if (this.problems.length >= MAX_PROBLEMS_PER_FILE) {
      this.droppedProblems++;
      return;
    }
    this.problems.push(column === undefined ? { file: this.file.path, line, severity, message } : { file: this.file.path, line, column, severity, message });
  }

  private finish(): ParsedAwsFiles {
    const out: ParsedAwsFiles = {
      profiles: new Map(),
      ssoSessions: new Map(),
      services: new Map(),
      otherSections: new Map(),
      problems: this.problems,
    };
    const prefixedDefault = this.profileSections.get('default');
    for (const acc of this.order) {
      if (acc.bareDefault && prefixedDefault) {
        // The specification: when both exist in the config file, [profile default] is used and [default] ignored.
        const at = prefixedDefault.section.locations[0]?.line;
        for (const loc of acc.section.locations) {
          this.report(loc.line, 'warning', l10n.t('[default] is ignored because this file also has [profile default] (line {0}), which takes precedence. Move these properties into [profile default].', at));
        }
        continue;
      }
      const target = acc.type === 'profile' ? out.profiles : acc.type === 'sso-session' ? out.ssoSessions : acc.type === 'services' ? out.services : out.otherSections!;
      // One accumulator per output key (the bare [default] is dropped above when both exist).
      target.set(acc.key, acc.section);
    }
    // Precedence warnings were added after the line-by-line pass; keep problems in line order.
    this.problems.sort((a, b) => a.line - b.line);
    if (this.droppedProblems > 0) {
      const lastLine = this.problems[this.problems.length - 1]?.line ?? 1;
      this.problems.push({
        file: this.file.path,
        line: lastLine,
        severity: 'warning',
        message: l10n.t('{0} more problem(s) in this file are not listed. Fix the ones above and reload.', this.droppedProblems),
      });
    }
    return out;
  }
}

function describe(acc: Accumulator): string {
  switch (acc.type) {
    case 'profile':
      return `profile "${excerpt(acc.section.name)}"`;
    case 'sso-session':
      return `sso-session "${excerpt(acc.section.name)}"`;
    case 'services':
      return `services section "${excerpt(acc.section.name)}"`;
    default:
      return `section [${excerpt(acc.key)}]`;
  }
}

type SplitHeader = { ok: true; inner: string } | { ok: false; message: string; column: number };

/**
 * Splits a trimmed line starting with `[` into the text between the brackets, or says why it is no header. A
 * malformed header is not quoted, only located (its 1-based column; a malformed header is never indented, since an
 * indented one is read as the text it may be): it may be a key pasted in the wrong place (`[default] wJalr...`,
 * `[AKIA...`), and problems are shown in the view, its tooltips and the log.
 */
function splitHeader(t: string): SplitHeader {
  // A comment may follow the header directly (`[profile foo]; note`), so cut at the first comment character.
  const cut = firstCommentChar(t);
  const body = cut < 0 ? t : t.slice(0, cut).trimEnd();
  if (body.length >= 2 && body.charCodeAt(body.length - 1) === 0x5d /* ] */) {
    return { ok: true, inner: body.slice(1, -1) };
  }
  const close = t.indexOf(']');
  if (close < 0) {
    return {
      ok: false,
      column: 1,
      message: l10n.t('this section header has no closing "]". Add "]" at its end (its text is not shown here: it may hold a key).'),
    };
  }
  if (cut >= 0 && cut < close) {
    return {
      ok: false,
      column: cut + 1,
      message: l10n.t('this section header has "{0}" at column {1}, which starts a comment, so its "]" is never reached. Remove "#" and ";" from section names.', t[cut], cut + 1),
    };
  }
  let at = close + 1;
  while (at < t.length && isWs(t.charCodeAt(at))) at++;
  return {
    ok: false,
    column: at + 1,
    message: l10n.t('this section header has text after its "]", from column {0}. Remove it, or make it a comment with "#" or ";" (the text is not shown here: it may hold a key).', at + 1),
  };
}

function classifyConfigHeader(inner: string): HeaderResult {
  const s = inner.trim();
  if (s === '') return ignored('warning', 'Empty section header "[]" is ignored. Give it a name, e.g. [profile NAME], or remove it.');
  const [word, rest] = splitFirstWord(s);
  if (rest === '') {
    if (word === 'default') return { kind: 'section', type: 'profile', name: 'default', bareDefault: true, typeWord: '' };
    if (SECTION_TYPES.includes(word)) {
      return ignored('warning', `Section [${word}] is ignored: it needs a name, e.g. [${word} NAME].`);
    }
    if (CLI_SECTIONS.has(word)) return ignored('warning', '');
    const tail = word.startsWith('profile') ? word.slice(word[7] === '.' || word[7] === ':' || word[7] === '-' || word[7] === '_' ? 8 : 7) : '';
    if (tail !== '') {
      return ignored('warning', `Section [${excerptLine(word)}] is ignored: in the config file a profile section is written [profile NAME], with whitespace after "profile". Did you mean [profile ${excerptLine(tail)}]?`);
    }
    return ignored('warning', `Section [${excerptLine(word)}] is ignored: in the config file a profile section is written [profile ${excerptLine(word)}] (only [default] may leave out "profile "). Rename the header to [profile ${excerptLine(word)}].`);
  }
  if (hasWs(rest)) {
    const name = stripQuotes(rest);
    return ignored('warning', `Section [${excerptLine(s)}] is ignored: the name "${excerptLine(name)}" contains whitespace, which names cannot have. Rename it, e.g. [${excerptLine(word)} ${excerptLine(replaceWs(name))}].`);
  }
  // Quotes around a name are not part of it for the AWS CLI (shlex) and the JS SDK; the specification is silent.
  switch (word) {
    case 'profile':
      return { kind: 'section', type: 'profile', name: stripQuotes(rest), bareDefault: false, typeWord: word };
    case 'sso-session':
      return { kind: 'section', type: 'sso-session', name: stripQuotes(rest), bareDefault: false, typeWord: word };
    case 'services':
      return { kind: 'section', type: 'services', name: stripQuotes(rest), bareDefault: false, typeWord: word };
    case 'default':
      return ignored('warning', `Section [${excerptLine(s)}] is ignored: write [default] or [profile ${excerptLine(rest)}].`);
    default: {
      const near = nearSectionType(word);
      if (near) {
        // Unknown section types are valid (kept for forward compatibility), but a near miss is most likely a typo
        // that silently hides a profile.
        return {
          kind: 'section',
          type: 'other',
          name: rest,
          bareDefault: false,
          typeWord: word,
          warning: `Section type "${excerptLine(word)}" is not one the AWS tools know, so [${excerptLine(s)}] is not a ${near}. Did you mean [${near} ${excerptLine(rest)}]?`,
        };
      }
      return { kind: 'section', type: 'other', name: rest, bareDefault: false, typeWord: word };
    }
  }
}

function classifyCredentialsHeader(inner: string): HeaderResult {
  const s = inner.trim();
  if (s === '') return ignored('warning', 'Empty section header "[]" is ignored. Give it a profile name, e.g. [NAME], or remove it.');
  const [word, rest] = splitFirstWord(s);
  if (word === 'sso-session') {
    return ignored('error', `${UNEXPECTED()}: [${excerptLine(s)}] is an sso-session section, which belongs in the config file, not the credentials file. Move it to the config file. Its lines are ignored here.`);
  }
  if (rest !== '') {
    if (word === 'profile' && !hasWs(rest)) {
      return ignored('warning', `Section [${excerptLine(s)}] is ignored: in the credentials file a profile section has no "profile " prefix. Write [${excerptLine(rest)}].`);
    }
    if (word === 'services') {
      return ignored('warning', `Section [${excerptLine(s)}] is ignored: services sections belong in the config file. Move it there.`);
    }
    return ignored('warning', `Section [${excerptLine(s)}] is ignored: the profile name contains whitespace, which names cannot have. Rename it, e.g. [${excerptLine(replaceWs(s))}].`);
  }
  return { kind: 'section', type: 'profile', name: s, bareDefault: false, typeWord: '' };
}

function ignored(severity: 'error' | 'warning', message: string): HeaderResult {
  return { kind: 'ignored', severity, message };
}

// ---------------------------------------------------------------------------------------------------------------
// The AWS SDK for JavaScript, which resolves credentials for a profile name, has its own, stricter header reading
// (`parseIni` in @smithy's shared-ini-file-loader). A profile that is valid by the specification but that the SDK
// reads under another name (or not at all) would be listed and then fail with "Profile ... not found", so say so.

const SDK_SECTION_TYPES = ['profile', 'sso-session', 'services'];

/**
 * True when header line `t` is written exactly `[NAME]` (credentials), `[default]`, or `[TYPE NAME]` (config) with a
 * name of the SDK's characters: then the JS SDK reads it as this section, and the full check below can be skipped.
 */
function isPlainHeader(t: string, kind: AwsFileKind, type: string, name: string): boolean {
  if (t.charCodeAt(0) !== 0x5b /* [ */ || t.charCodeAt(t.length - 1) !== 0x5d /* ] */) return false;
  if (kind === 'credentials') return t.length === name.length + 2 && t.startsWith(name, 1) && !hasWs(name);
  if (t === '[default]') return type === 'profile' && name === 'default';
  return (
    t.length === type.length + name.length + 3 &&
    t.startsWith(type, 1) &&
    t.charCodeAt(type.length + 1) === 0x20 &&
    t.startsWith(name, type.length + 2) &&
    name !== '' &&
    isJsSdkName(name)
  );
}

/** A warning when the JS SDK would not read header line `t` as section `type` `name`; otherwise undefined. */
function jsSdkHeaderMismatch(t: string, kind: AwsFileKind, type: 'profile' | 'sso-session', name: string): string | undefined {
  const seen = jsSdkHeaderView(t, kind);
  if (seen && seen.type === type && seen.name === name) return undefined;
  const sdk = 'The AWS SDK for JavaScript (which loads credentials for this extension)';
  const what = `${type} "${excerpt(name)}"`;
  if (!seen && firstCommentChar(t) >= 0 && jsSdkHeaderView(t.slice(0, firstCommentChar(t)), kind)) {
    return `${sdk} does not see a header on this line, because the comment starts right after "]" and it needs whitespace before "#" or ";". It will not find ${what}, and it adds the lines below to the section above. Put a space before the comment.`;
  }
  if (kind === 'config' && !isJsSdkName(name)) {
    return `${sdk} accepts only letters, digits and - _ @ + . % : / in config-file names, so it will not find ${what}. Rename it.`;
  }
  const canonical = kind === 'credentials' ? `[${name}]` : type === 'profile' && name === 'default' ? '[default]' : `[${type} ${name}]`;
  const how = seen ? `reads this header as ${seen.type} "${excerpt(seen.name)}"` : 'ignores this header';
  return `${sdk} ${how}, so it will not find ${what}. Write the header exactly as ${excerpt(canonical)}, with no other spaces inside the brackets.`;
}

/** What the JS SDK makes of a header line: the section type and name it files the properties under, or null. */
function jsSdkHeaderView(t: string, kind: AwsFileKind): { type: string; name: string } | null {
  // It cuts a comment only at the line start or after whitespace, so `[profile foo];note` is no header to it.
  let cut = t.length;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c === 0x23 || c === 0x3b) && (i === 0 || isWs(t.charCodeAt(i - 1)))) {
      cut = i;
      break;
    }
  }
  const line = t.slice(0, cut).trim();
  if (line.length < 2 || line[0] !== '[' || line[line.length - 1] !== ']') return null;
  const inner = line.slice(1, -1); // not trimmed: `[ foo ]` is the section " foo " to it
  const prefixed = matchJsSdkPrefixed(inner);
  if (prefixed) {
    if (!SDK_SECTION_TYPES.includes(prefixed.prefix)) return null;
    // The credentials file is not split by type: "profile foo" there becomes a profile named "profile.foo".
    return kind === 'credentials' ? { type: 'profile', name: `${prefixed.prefix}.${prefixed.name}` } : { type: prefixed.prefix, name: prefixed.name };
  }
  if (kind === 'credentials') return { type: 'profile', name: inner };
  if (inner === 'default') return { type: 'profile', name: 'default' };
  const dot = inner.indexOf('.');
  if (dot > 0 && SDK_SECTION_TYPES.includes(inner.slice(0, dot))) return { type: inner.slice(0, dot), name: inner.slice(dot + 1) };
  return null;
}

/** The SDK's `^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$`, by hand. */
function matchJsSdkPrefixed(s: string): { prefix: string; name: string } | null {
  let i = 0;
  while (i < s.length && isWordOrDash(s.charCodeAt(i))) i++;
  if (i === 0 || i >= s.length || !isWs(s.charCodeAt(i))) return null;
  const prefix = s.slice(0, i);
  let start = i + 1;
  let end = s.length;
  const q = s[start];
  if (q === '"' || q === "'") {
    if (end - start < 3 || s[end - 1] !== q) return null;
    start++;
    end--;
  }
  const name = s.slice(start, end);
  return name !== '' && isJsSdkName(name) ? { prefix, name } : null;
}

function stripQuotes(name: string): string {
  const q = name[0];
  return name.length >= 3 && (q === '"' || q === "'") && name[name.length - 1] === q ? name.slice(1, -1) : name;
}

function isJsSdkName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!isWordOrDash(c) && '@+.%:/'.indexOf(name[i]) < 0) return false;
  }
  return true;
}

function isWordOrDash(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

// ---------------------------------------------------------------------------------------------------------------
// Merging. A key lives either in `properties` or in `subProperties`; setting it in one removes it from the other.

function setProperty(section: IniSection, key: string, value: string): void {
  deleteOwn(section.subProperties, key);
  setOwn(section.properties, key, value);
}

function setSubProperty(section: IniSection, parent: string, key: string, value: string): void {
  let map = ownValue(section.subProperties, parent);
  if (!map) {
    // The parent was written `parent =`: from its first sub-property on, it is a map, not an empty string.
    deleteOwn(section.properties, parent);
    map = {};
    setOwn(section.subProperties, parent, map);
  }
  setOwn(map, key, value);
}

/** Merges `src` into the section at `key`; sections of per-file results are fresh, so they are reused, not copied. */
function mergeSection(target: Map<string, IniSection>, key: string, src: IniSection): void {
  const dst = target.get(key);
  if (!dst) {
    target.set(key, src);
    return;
  }
  for (const k of Object.keys(src.properties)) setProperty(dst, k, src.properties[k]);
  for (const k of Object.keys(src.subProperties)) {
    deleteOwn(dst.properties, k);
    setOwn(dst.subProperties, k, { ...src.subProperties[k] });
  }
  for (const loc of src.locations) dst.locations.push(loc); // no spread: it overflows the stack on huge arrays
}

function mergeMap(target: Map<string, IniSection>, src: Map<string, IniSection>): void {
  for (const [key, section] of src) mergeSection(target, key, section);
}

// Names come from the file, so "__proto__" or "constructor" are possible keys: always define own properties and read
// own properties only, so such names behave like any other and never touch a prototype.
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  // Plain assignment would call the inherited __proto__ setter; every other key assigns an own property.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

function ownValue<T>(obj: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function deleteOwn(obj: Record<string, unknown>, key: string): void {
  if (Object.prototype.hasOwnProperty.call(obj, key)) delete obj[key];
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers: plain loops, linear in the input, no regular expressions that could backtrack.

/** The same characters `String.prototype.trim` removes, so "indented" and "trimmed" agree. */
function isWs(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

function hasWs(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isWs(s.charCodeAt(i))) return true;
  return false;
}

function replaceWs(s: string): string {
  let out = '';
  let inWs = false;
  for (let i = 0; i < s.length && out.length < 80; i++) {
    if (isWs(s.charCodeAt(i))) {
      if (!inWs) out += '-';
      inWs = true;
    } else {
      out += s[i];
      inWs = false;
    }
  }
  return out;
}

/** `[word, rest]` of a trimmed, non-empty string, split at the first whitespace; `rest` is trimmed. */
function splitFirstWord(s: string): [string, string] {
  for (let i = 0; i < s.length; i++) {
    if (isWs(s.charCodeAt(i))) return [s.slice(0, i), s.slice(i).trim()];
  }
  return [s, ''];
}

function firstCommentChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x23 || c === 0x3b) return i;
  }
  return -1;
}

/** Cuts a property value at the first `#` or `;` that follows whitespace; adjacent ones are part of the value. */
function stripInlineComment(value: string): string {
  for (let i = 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c === 0x23 || c === 0x3b) && isWs(value.charCodeAt(i - 1))) return value.slice(0, i);
  }
  return value;
}

/** Quotes at most 60 characters of user text in a message. */
function excerpt(s: string): string {
  return s.length <= 60 ? s : `${s.slice(0, 57)}...`;
}

/**
 * Quotes a line that could not be read (or a "name" that holds whitespace, or the text of an ignored section header), hiding
 * what may be a secret: such a line is
 * often a key written wrongly (`aws_secret_access_key: wJalr...`, `aws_session_token IQoJ...==` whose padding is taken
 * for the "="), or a long value wrapped onto a line of its own, and problem messages are shown in the view and the log. A run of 16 or more characters that are not all lower-case letters, `_`, `-` or `.`
 * (so property names stay readable) becomes `***`; runs end at whitespace and at `:` `=` `"` `'` `,`.
 */
function excerptLine(s: string): string {
  let out = '';
  for (let i = 0; i < s.length && out.length <= 60; ) {
    let j = i;
    let plain = true;
    while (j < s.length && !isTokenEnd(s.charCodeAt(j))) {
      const c = s.charCodeAt(j);
      if (!((c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46)) plain = false;
      j++;
    }
    if (j === i) {
      out += s[i];
      i++;
      continue;
    }
    out += j - i >= 16 && !plain ? '***' : s.slice(i, Math.min(j, i + 64));
    i = j;
  }
  return excerpt(out);
}

function isTokenEnd(c: number): boolean {
  return isWs(c) || c === 0x3a /* : */ || c === 0x3d /* = */ || c === 0x22 /* " */ || c === 0x27 /* ' */ || c === 0x2c /* , */;
}

/** The known section type within edit distance 2 of `word`, if `word` is not itself one. */
function nearSectionType(word: string): string | undefined {
  if (word.length > 20) return undefined;
  const lower = word.toLowerCase();
  for (const known of SECTION_TYPES) {
    if (word !== known && editDistance(lower, known) <= 2) return known;
  }
  return undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
