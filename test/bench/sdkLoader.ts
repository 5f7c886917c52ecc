/**
 * The AWS SDK's own shared-file loader, found the way the SDK finds it: `@smithy/shared-ini-file-loader`
 * resolved from `@aws-sdk/credential-provider-ini` (older SDKs), else `@smithy/core/config`, where SDK
 * 3.1169's credential-provider-ini imports `loadSharedConfigFiles` from.
 */
import { createRequire } from 'node:module';

export interface SdkSharedFiles {
  loadSharedConfigFiles(init?: { filepath?: string; configFilepath?: string; ignoreCache?: boolean }): Promise<{
    configFile: Record<string, Record<string, string>>;
    credentialsFile: Record<string, Record<string, string>>;
  }>;
}

export interface SdkLoader {
  readonly module: SdkSharedFiles;
  /** Which module it came from and its version, for the report. */
  readonly from: string;
}

export function sdkLoader(): SdkLoader {
  const req = createRequire(require.resolve('@aws-sdk/credential-provider-ini'));
  const tried: string[] = [];
  for (const [id, pkg] of [
    ['@smithy/shared-ini-file-loader', '@smithy/shared-ini-file-loader/package.json'],
    ['@smithy/core/config', '@smithy/core/package.json'],
  ] as const) {
    try {
      const module = req(id) as SdkSharedFiles;
      if (typeof module.loadSharedConfigFiles !== 'function') continue;
      let version = '?';
      try {
        version = (req(pkg) as { version: string }).version;
      } catch {
        // the package's exports may hide package.json
      }
      return { module, from: `${id} (${pkg.split('/package.json')[0]} ${version})` };
    } catch (e) {
      tried.push(`${id}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`the SDK's loadSharedConfigFiles was not found:\n  ${tried.join('\n  ')}`);
}
