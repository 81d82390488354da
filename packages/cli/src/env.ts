import { InputError } from '@meshgate/core';

/** The registry URL used when neither --registry nor MESHGATE_REGISTRY_URL is set. */
export const defaultRegistryUrl = 'http://127.0.0.1:4000/registry';

/** The gateway URL used when neither --url, MESHGATE_URL nor MESHGATE_REGISTRY_URL is set. */
export const defaultGatewayUrl = 'http://127.0.0.1:4000';

/** The CLI's environment, read and validated in this one place. */
export interface CliEnv {
  /** MESHGATE_REGISTRY_URL, else {@link defaultRegistryUrl}. */
  registryUrl: string;
  /**
   * The gateway's base URL for catalog commands: MESHGATE_URL, else MESHGATE_REGISTRY_URL
   * without its `/registry` suffix, else {@link defaultGatewayUrl}.
   */
  gatewayUrl: string;
  /** MESHGATE_TOKEN: sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** MESHGATE_USER (`key:secret`): sent as HTTP Basic credentials. */
  user?: string;
}

/** Reads MESHGATE_* variables; throws an InputError naming the variable when one is malformed. */
export function readCliEnv(env: Readonly<Record<string, string | undefined>>): CliEnv {
  const registryUrl = nonEmpty(env.MESHGATE_REGISTRY_URL);
  if (registryUrl !== undefined) checkRegistryUrl(registryUrl, 'MESHGATE_REGISTRY_URL');
  const gatewayUrl = nonEmpty(env.MESHGATE_URL);
  if (gatewayUrl !== undefined) checkRegistryUrl(gatewayUrl, 'MESHGATE_URL');
  const user = nonEmpty(env.MESHGATE_USER);
  if (user !== undefined) checkUser(user, 'MESHGATE_USER');
  return {
    registryUrl: registryUrl ?? defaultRegistryUrl,
    gatewayUrl: gatewayUrl ?? registryUrl?.replace(/\/registry\/*$/, '') ?? defaultGatewayUrl,
    token: nonEmpty(env.MESHGATE_TOKEN),
    user,
  };
}

/** Throws unless `value` is an http(s) URL; `source` names the flag or variable to fix (registry or gateway URL). */
export function checkRegistryUrl(value: string, source: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${source} '${value}' is not a URL; use e.g. ${defaultRegistryUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${source} '${value}' must be an http:// or https:// URL`);
  }
}

/** Throws unless `value` has the `key:secret` shape of Basic credentials. */
export function checkUser(value: string, source: string): void {
  if (!value.includes(':')) throw new InputError(`${source} must be 'key:secret'`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
