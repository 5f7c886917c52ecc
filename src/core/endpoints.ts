/**
 * Which endpoint a client for one service should use, with the precedence the AWS SDKs document for
 * configured endpoints: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the profile's
 * `services` section, then the profile's `endpoint_url`. The SDK for JavaScript ignores a profile's
 * `endpoint_url` unless that profile is AWS_PROFILE, so the extension resolves it here and passes it
 * to each client explicitly. Pure: the environment comes in as an argument.
 */
import type { AwsProfile } from './profiles';

export type ServiceId = 'sts' | 'sns' | 'iam' | 'sms-voice' | 'logs' | 'access-analyzer' | 'organizations' | 'ram';

/**
 * How each service is named in AWS_ENDPOINT_URL_<NAME> and in a `services` section: the SDK service
 * id, upper-cased with underscores for the variable and lower-cased for the section.
 */
const SERVICE_KEYS: Record<ServiceId, { env: string; section: string }> = {
  sts: { env: 'STS', section: 'sts' },
  sns: { env: 'SNS', section: 'sns' },
  iam: { env: 'IAM', section: 'iam' },
  'sms-voice': { env: 'PINPOINT_SMS_VOICE_V2', section: 'pinpoint_sms_voice_v2' },
  logs: { env: 'CLOUDWATCH_LOGS', section: 'cloudwatch_logs' },
  'access-analyzer': { env: 'ACCESSANALYZER', section: 'accessanalyzer' },
  organizations: { env: 'ORGANIZATIONS', section: 'organizations' },
  ram: { env: 'RAM', section: 'ram' },
};

export function configuredEndpoint(
  profile: Pick<AwsProfile, 'endpointUrl' | 'serviceEndpoints' | 'ignoreConfiguredEndpointUrls'> | undefined,
  service: ServiceId,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const ignore = (env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] ?? '').toLowerCase() === 'true';
  if (ignore || profile?.ignoreConfiguredEndpointUrls) {
    return undefined;
  }
  return (
    nonEmpty(env[`AWS_ENDPOINT_URL_${SERVICE_KEYS[service].env}`]) ??
    nonEmpty(env['AWS_ENDPOINT_URL']) ??
    nonEmpty(profile?.serviceEndpoints[SERVICE_KEYS[service].section]) ??
    nonEmpty(profile?.endpointUrl)
  );
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() !== '' ? v.trim() : undefined;
}

/** Where a value the AWS tools would use came from. */
export type SettingSource = 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'AWS_USE_FIPS_ENDPOINT' | 'AWS_USE_DUALSTACK_ENDPOINT' | 'use_fips_endpoint' | 'use_dualstack_endpoint' | 'region';

/**
 * Where a region came from: an environment variable, the profile's `region`, the extension's `tendlc.region`
 * setting (the number's region only), or the default.
 */
export type RegionSource = Extract<SettingSource, 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'region'> | 'tendlc.region' | 'default';

/** A region as the AWS CLI resolves it, and where it came from. */
export interface RegionChoice {
  /** undefined: neither the environment nor the profile names one. */
  readonly region?: string;
  readonly source?: RegionSource;
  /** The profile's own `region`, when the environment overrides it with another. */
  readonly overridden?: string;
}

/**
 * The region a call with this profile goes to, in the order the AWS SDKs and the AWS CLI document: the environment
 * before the shared config file (`AWS_REGION`, then — the AWS CLI's own variable — `AWS_DEFAULT_REGION`), then the
 * profile's `region`. Only the profile's own key counts: a source_profile's region is not inherited (as in the CLI).
 */
export function profileRegion(profile: Pick<AwsProfile, 'region'> | undefined, env: Readonly<Record<string, string | undefined>>): RegionChoice {
  const own = nonEmpty(profile?.region);
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
    const v = nonEmpty(env[name]);
    if (v) {
      return { region: v, source: name, ...(own && own !== v ? { overridden: own } : {}) };
    }
  }
  return own ? { region: own, source: 'region' } : {};
}

/** One of the two endpoint variants (FIPS, dual-stack): on or off, where that came from, or why it cannot be used. */
export interface VariantFlag {
  readonly on: boolean;
  readonly source?: SettingSource;
  /** A value that is neither true nor false: the AWS SDK for JavaScript refuses to build a client with it. */
  readonly invalid?: string;
}

export interface EndpointVariant {
  readonly fips: VariantFlag;
  readonly dualStack: VariantFlag;
}

/**
 * Whether calls with this profile use FIPS and dual-stack endpoints. As the SDKs document (and the SDK for
 * JavaScript reads them): the environment variable, when set, before the profile's setting; off when neither says.
 * Values are `true` or `false` (any case, as the AWS CLI reads them); anything else is invalid, never taken as false.
 */
export function endpointVariant(
  profile: Pick<AwsProfile, 'useFipsEndpoint' | 'useDualstackEndpoint'> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): EndpointVariant {
  return {
    fips: flag(env, 'AWS_USE_FIPS_ENDPOINT', profile?.useFipsEndpoint, 'use_fips_endpoint'),
    dualStack: flag(env, 'AWS_USE_DUALSTACK_ENDPOINT', profile?.useDualstackEndpoint, 'use_dualstack_endpoint'),
  };
}

function flag(
  env: Readonly<Record<string, string | undefined>>,
  envName: 'AWS_USE_FIPS_ENDPOINT' | 'AWS_USE_DUALSTACK_ENDPOINT',
  profileValue: string | undefined,
  key: 'use_fips_endpoint' | 'use_dualstack_endpoint',
): VariantFlag {
  const fromEnv = nonEmpty(env[envName]);
  const [raw, source] = fromEnv !== undefined ? [fromEnv, envName] : [nonEmpty(profileValue), key];
  if (raw === undefined) {
    return { on: false };
  }
  const v = raw.toLowerCase();
  if (v === 'true' || v === 'false') {
    return { on: v === 'true', source };
  }
  const where = source === envName ? `the environment variable ${envName}` : `${key} in the profile`;
  return { on: false, source, invalid: `${where} is "${raw}", which is neither true nor false` };
}

/**
 * Why calls to a service with this profile cannot go out, as the AWS SDKs decide it before sending: an invalid
 * FIPS or dual-stack value, or FIPS or dual-stack together with a configured endpoint (endpoint_url, a `services`
 * section, AWS_ENDPOINT_URL*). The SDKs' endpoint rules refuse that combination ("Invalid Configuration: FIPS and
 * custom endpoint are not supported") rather than pick one: a configured endpoint is used as it is, so it cannot
 * also be made FIPS or dual-stack. undefined: nothing stops them.
 */
export function endpointRefusal(
  profile: (Pick<AwsProfile, 'name' | 'useFipsEndpoint' | 'useDualstackEndpoint'> & Parameters<typeof configuredEndpoint>[0]) | undefined,
  service: ServiceId,
  env: Readonly<Record<string, string | undefined>>,
  endpoint: string | undefined = configuredEndpoint(profile, service, env),
): string | undefined {
  const v = endpointVariant(profile, env);
  const who = profile ? `profile "${profile.name}"` : 'these calls';
  const bad = [v.fips, v.dualStack].find((f) => f.invalid);
  if (bad?.invalid) {
    return `Calls with ${who} cannot be made: ${bad.invalid}. Set it to true or false (the AWS SDKs accept nothing else).`;
  }
  const on = [v.fips.on ? `FIPS (${v.fips.source})` : '', v.dualStack.on ? `dual-stack (${v.dualStack.source})` : ''].filter(Boolean);
  if (endpoint && on.length) {
    return (
      `Calls with ${who} cannot be made: they ask for ${on.join(' and ')} endpoints and also set a custom endpoint for ${SERVICE_KEYS[service].section}, ` +
      'which the AWS SDKs refuse ("FIPS and custom endpoint are not supported"). Remove one of them: to use a FIPS VPC endpoint, put its URL in endpoint_url and drop the FIPS setting.'
    );
  }
  return undefined;
}

/** A region and where it came from, in words for a tooltip: "eu-west-1 (AWS_REGION; the profile says us-east-1)". */
export function regionWords(choice: RegionChoice): string {
  if (!choice.region) {
    return 'none set';
  }
  const from =
    choice.source === 'region' ? "the profile's region" : choice.source === 'tendlc.region' ? 'the setting tendlc.region' : choice.source === 'default' ? 'the default: no setting, environment variable or profile names one' : choice.source;
  return `${choice.region} (${from}${choice.overridden ? `; the profile says ${choice.overridden}` : ''})`;
}

/**
 * What a profile's FIPS and dual-stack settings do to its calls, in words for a tooltip: one line per variant that is
 * on or invalid, and the refusal when a configured endpoint meets them. Empty when both are off and valid.
 */
export function variantWords(
  profile: (Pick<AwsProfile, 'name' | 'useFipsEndpoint' | 'useDualstackEndpoint'> & Parameters<typeof configuredEndpoint>[0]) | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const v = endpointVariant(profile, env);
  const lines: string[] = [];
  const on = [v.fips.on ? `FIPS (${v.fips.source})` : '', v.dualStack.on ? `dual-stack (${v.dualStack.source})` : ''].filter(Boolean);
  if (on.length) {
    lines.push(`Endpoints: ${on.join(', ')}`);
  }
  const bad = [v.fips, v.dualStack].find((f) => f.invalid);
  if (bad?.invalid) {
    lines.push(`Calls with this profile fail: ${bad.invalid} (the AWS SDKs accept only true or false).`);
  } else if (on.length) {
    const custom = (Object.keys(SERVICE_KEYS) as ServiceId[]).filter((s) => configuredEndpoint(profile, s, env) !== undefined);
    if (custom.length) {
      lines.push(
        `Calls to ${custom.length === Object.keys(SERVICE_KEYS).length ? 'every service' : custom.map((s) => SERVICE_KEYS[s].section).join(', ')} fail: ` +
          `a custom endpoint with ${on.join(' and ')} is refused by the AWS SDKs; remove one of them.`,
      );
    }
  }
  return lines;
}
