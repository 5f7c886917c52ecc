/**
 * Point 2: our load-merge-classify (ProfileLoader.load + groupProfiles: read both files, parse with our
 * reader, merge, classify every profile, walk role chains, group) against the SDK's own
 * `loadSharedConfigFiles` alone (read both files and parse), on the same files, interleaved.
 *
 * "cold" uses a new ProfileLoader each time (nothing cached, like the first load); the SDK side passes
 * `ignoreCache: true` (else it would reuse the text it read the first time: it caches reads, not parses).
 * "refresh" is the same ProfileLoader loading again with the files unchanged (a Refresh, a watcher event).
 */
import * as path from 'node:path';
import { ProfileLoader } from '../../src/core/profileLoader';
import { groupProfiles } from '../../src/core/profiles';
import { generateAwsFiles, writeAwsFiles } from './fixtures';
import { sdkLoader } from './sdkLoader';
import { paired, timed } from './stats';

export interface LoadingRow {
  readonly profiles: number;
  readonly configBytes: number;
  /** Medians, ms. */
  readonly ours: number;
  readonly sdk: number;
  /** Median of per-round ours/sdk, and its quartiles. */
  readonly ratio: number;
  readonly ratioQ1: number;
  readonly ratioQ3: number;
  readonly rounds: number;
  /** Our repeated load with unchanged files, ms. */
  readonly refresh: number;
  /** ours per profile, µs. */
  readonly usPerProfile: number;
  readonly sdkUsPerProfile: number;
}

export interface LoadingResult {
  readonly sdkFrom: string;
  readonly rows: LoadingRow[];
}

function roundsFor(n: number): number {
  return n >= 10_000 ? 41 : n >= 1000 ? 81 : 201;
}

export async function benchLoading(sizes: readonly number[], tmp: string): Promise<LoadingResult> {
  const sdk = sdkLoader();
  const rows: LoadingRow[] = [];
  for (const n of sizes) {
    const fixture = generateAwsFiles(n);
    const { configPath, credentialsPath } = writeAwsFiles(path.join(tmp, `load-${n}`), fixture);
    const env = { AWS_CONFIG_FILE: configPath, AWS_SHARED_CREDENTIALS_FILE: credentialsPath, HOME: tmp };
    const settings = { primaryProfile: 'base-0', secondaryProfiles: [] as string[] };
    const ours = async (): Promise<void> => {
      const loaded = await new ProfileLoader(env, tmp).load();
      if (loaded.profiles.length !== n) throw new Error(`expected ${n} profiles, loaded ${loaded.profiles.length}`);
      groupProfiles(loaded, settings);
    };
    const theirs = async (): Promise<void> => {
      const f = await sdk.module.loadSharedConfigFiles({ configFilepath: configPath, filepath: credentialsPath, ignoreCache: true });
      if (Object.keys(f.configFile).length === 0) throw new Error('the SDK read nothing');
    };
    // Warm-up rounds let both sides' code be optimised before timing, whatever size runs first.
    const r = await paired(ours, theirs, roundsFor(n), Math.ceil(roundsFor(n) / 3));
    const warm = new ProfileLoader(env, tmp);
    await warm.load();
    const refresh = await timed(async () => groupProfiles(await warm.load(), settings), roundsFor(n));
    rows.push({
      profiles: n,
      configBytes: fixture.config.length + fixture.credentials.length,
      ours: r.a,
      sdk: r.b,
      ratio: r.ratio,
      ratioQ1: r.ratioQ1,
      ratioQ3: r.ratioQ3,
      rounds: r.rounds,
      refresh,
      usPerProfile: (r.a * 1000) / n,
      sdkUsPerProfile: (r.b * 1000) / n,
    });
  }
  return { sdkFrom: sdk.from, rows };
}
