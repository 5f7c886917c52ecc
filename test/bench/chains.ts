/**
 * Point 6 (issue 11, item 6): long `source_profile` chains. A file of N role profiles, each the source of the one
 * before (p0 → p1 → … → keys), classified by buildProfileSet: every profile's chain resolved, as the tree needs it.
 * Before the linear resolver an 8,000-hop chain took minutes on the extension host's thread. Also the same chain
 * closed into a cycle (every profile then has a problem), and the whole load from disk. And point 7: a file at the
 * size limit (10 MB of the loading benchmark's mix), to show what the limit costs.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAwsFiles } from '../../src/core/awsIni';
import { MAX_AWS_FILE_BYTES, ProfileLoader } from '../../src/core/profileLoader';
import { buildProfileSet, type BuildStats } from '../../src/core/profiles';
import { generateAwsFiles, writeAwsFiles } from './fixtures';
import { median, timed } from './stats';

export interface ChainRow {
  readonly hops: number;
  readonly end: 'keys' | 'cycle';
  readonly bytes: number;
  readonly rounds: number;
  /** Medians, ms: parse only; classify (buildProfileSet) only; ProfileLoader.load from disk (read, parse, classify). */
  readonly parseMs: number;
  readonly classifyMs: number;
  readonly loadMs: number;
  /** Chain steps counted by buildProfileSet (links built or followed). */
  readonly chainSteps: number;
}

export interface LimitRow {
  readonly bytes: number;
  readonly profiles: number;
  readonly rounds: number;
  /** ProfileLoader.load of the file, median, ms. */
  readonly loadMs: number;
}

export interface ChainsResult {
  readonly rows: ChainRow[];
  readonly limit: LimitRow;
}

export function chainConfig(hops: number, end: 'keys' | 'cycle'): { config: string; credentials: string } {
  const cfg: string[] = [];
  for (let i = 0; i < hops; i++) {
    const next = i + 1 < hops || end === 'keys' ? i + 1 : 0;
    cfg.push(`[profile p${i}]`, `role_arn = arn:aws:iam::${String(100000000000 + i)}:role/Hop${i}`, `source_profile = p${next}`, 'region = us-east-1', '');
  }
  const credentials = end === 'keys' ? `[p${hops}]\naws_access_key_id = bench-key\naws_secret_access_key = bench-secret\n` : '';
  return { config: cfg.join('\n'), credentials };
}

function roundsFor(hops: number): number {
  return hops >= 8000 ? 21 : hops >= 4000 ? 31 : 51;
}

export async function benchChains(sizes: readonly number[], tmp: string): Promise<ChainsResult> {
  const rows: ChainRow[] = [];
  for (const end of ['keys', 'cycle'] as const) {
    for (const hops of sizes) {
      const files = chainConfig(hops, end);
      const { configPath, credentialsPath } = writeAwsFiles(path.join(tmp, `chain-${end}-${hops}`), files);
      const input = {
        config: { path: configPath, text: files.config, kind: 'config' as const },
        credentials: { path: credentialsPath, text: files.credentials, kind: 'credentials' as const },
      };
      const rounds = roundsFor(hops);
      const parse: number[] = [];
      const classify: number[] = [];
      let chainSteps = 0;
      for (let i = 0; i < rounds + 2; i++) {
        const t0 = performance.now();
        const parsed = parseAwsFiles(input);
        const t1 = performance.now();
        const stats: BuildStats = { chainSteps: 0 };
        const set = buildProfileSet(parsed, stats);
        const t2 = performance.now();
        const first = set.byName.get('p0');
        if (end === 'keys' ? first?.credentials?.hopCount !== hops : first?.problems.length !== 1) throw new Error(`the ${hops}-hop chain (${end}) was not resolved`);
        chainSteps = stats.chainSteps;
        if (i < 2) continue; // warm-up
        parse.push(t1 - t0);
        classify.push(t2 - t1);
      }
      const env = { AWS_CONFIG_FILE: configPath, AWS_SHARED_CREDENTIALS_FILE: credentialsPath, HOME: tmp };
      const loadMs = await timed(async () => new ProfileLoader(env, tmp).load(), rounds);
      rows.push({ hops, end, bytes: files.config.length + files.credentials.length, rounds, parseMs: median(parse), classifyMs: median(classify), loadMs, chainSteps });
    }
  }
  // A file at the size limit: as many profiles of the loading benchmark's mix as fit in it.
  const perProfile = generateAwsFiles(1000).config.length / 1000 + generateAwsFiles(1000).credentials.length / 1000;
  let n = Math.floor(MAX_AWS_FILE_BYTES / perProfile);
  let fixture = generateAwsFiles(n);
  while (fixture.config.length + fixture.credentials.length > MAX_AWS_FILE_BYTES) fixture = generateAwsFiles((n = Math.floor(n * 0.98)));
  const { configPath, credentialsPath } = writeAwsFiles(path.join(tmp, 'limit'), fixture);
  const env = { AWS_CONFIG_FILE: configPath, AWS_SHARED_CREDENTIALS_FILE: credentialsPath, HOME: tmp };
  const loadMs = await timed(async () => {
    const loaded = await new ProfileLoader(env, tmp).load();
    if (loaded.profiles.length !== n || loaded.problems.length > 0) throw new Error(`the file at the limit loaded ${loaded.profiles.length} of ${n} profiles, ${loaded.problems.length} problems`);
  }, 7, 1);
  return { rows, limit: { bytes: fixture.config.length + fixture.credentials.length, profiles: n, rounds: 7, loadMs } };
}
