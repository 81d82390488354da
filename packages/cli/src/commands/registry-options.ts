import { InputError } from '@meshgate/core';
import type { Command } from 'commander';
import { checkRegistryUrl, checkUser, defaultRegistryUrl, readCliEnv } from '../env';
import type { CliIo } from '../io';
import { RegistryClient, type VersionSelector } from '../registry-client';

/** The options every command that talks to the registry takes. */
export interface RegistryOptions {
  registry?: string;
  token?: string;
  user?: string;
  timeout: string;
}

/** Adds --registry, --token, --user and --timeout to a command. */
export function addRegistryOptions(command: Command): Command {
  return command
    .option('--registry <url>', `registry base URL (default: $MESHGATE_REGISTRY_URL or ${defaultRegistryUrl})`)
    .option('--token <token>', 'send Authorization: Bearer <token> (default: $MESHGATE_TOKEN)')
    .option('--user <key:secret>', 'send HTTP Basic credentials (default: $MESHGATE_USER)')
    .option('--timeout <seconds>', 'give up on a request after this many seconds', '10');
}

/** A registry client from the options, falling back to the environment. */
export function createRegistryClient(options: RegistryOptions, io: CliIo): RegistryClient {
  const env = readCliEnv(io.env);
  if (options.registry !== undefined) checkRegistryUrl(options.registry, '--registry');
  if (options.user !== undefined) checkUser(options.user, '--user');
  const timeout = Number(options.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new InputError(`--timeout '${options.timeout}' must be a positive number of seconds`);
  }
  // Credentials given as flags replace the environment's, so --user is not overridden by MESHGATE_TOKEN.
  const flags = options.token !== undefined || options.user !== undefined;
  return new RegistryClient({
    baseUrl: options.registry ?? env.registryUrl,
    token: flags ? options.token : env.token,
    user: flags ? options.user : env.user,
    timeoutMs: timeout * 1000,
  });
}

/** Parses `--version`: `latest` or a positive integer. */
export function parseVersion(value: string): VersionSelector {
  if (value === 'latest') return 'latest';
  if (/^[1-9]\d*$/.test(value)) return Number(value);
  throw new InputError(`--version '${value}' must be 'latest' or a positive integer`);
}
