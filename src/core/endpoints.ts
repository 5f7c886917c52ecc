/**
 * Which endpoint a client for one service should use, with the precedence the AWS SDKs document for
 * configured endpoints: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the profile's
 * `services` section, then the profile's `endpoint_url`. The SDK for JavaScript ignores a profile's
 * `endpoint_url` unless that profile is AWS_PROFILE, so the extension resolves it here and passes it
 * to each client explicitly. Pure: the environment comes in as an argument.
 */
import type { AwsProfile } from './profiles';

export type ServiceId = 'sts' | 'sns' | 'iam';

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
    nonEmpty(env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`]) ??
    nonEmpty(env['AWS_ENDPOINT_URL']) ??
    nonEmpty(profile?.serviceEndpoints[service]) ??
    nonEmpty(profile?.endpointUrl)
  );
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() !== '' ? v.trim() : undefined;
}
