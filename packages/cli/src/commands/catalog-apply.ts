import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, isMeshgateError } from '@meshgate/core';
import { Command, Option } from 'commander';
import { CatalogClient } from '../catalog-client';
import { checkRegistryUrl, checkUser, readCliEnv } from '../env';
import { ExitCode } from '../exit-codes';
import { formatApplyReport } from '../output/apply-report';
import type { CommandContext } from './command-context';

interface ApplyOptions {
  file: string;
  dryRun: boolean;
  prune: boolean;
  detailedExitCode: boolean;
  format: 'text' | 'json';
  url?: string;
  token?: string;
  user?: string;
  timeout: string;
}

const examples = `
Examples:
  $ meshgate catalog apply -f catalog.yaml --dry-run      # what would change
  $ meshgate catalog apply -f catalog.yaml                # apply it (all or nothing)
  $ meshgate catalog apply -f catalog.yaml --prune        # also delete what the file does not list
  $ meshgate catalog apply -f catalog.yaml --dry-run --detailed-exit-code   # CI drift check

Exit codes: 0 success; 1 with --detailed-exit-code when there are changes (applied or pending);
2 invalid document, refused entry, usage error or unreachable gateway.`;

/** One document problem per line: file:line: pointer: message. */
function describeDocumentErrors(file: string, details: unknown): string[] {
  const errors = (details as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((issue: { path?: string; message?: string; line?: number; column?: number }) => {
    const where =
      issue.line !== undefined ? `${file}:${issue.line}${issue.column !== undefined ? `:${issue.column}` : ''}` : file;
    return `  ${where}: ${issue.path ?? '/'}: ${issue.message ?? 'invalid'}`;
  });
}

/** `meshgate catalog apply`: catalog as code. */
export function catalogApplyCommand(context: CommandContext): Command {
  const command = new Command('apply')
    .description(
      'Apply a catalog document (catalog.yaml): domains, services, event types and their schemas, all or nothing.',
    )
    .requiredOption('-f, --file <path>', 'the catalog document, YAML or JSON (.json)')
    .option('--dry-run', 'show what would change; change nothing', false)
    .option('--prune', 'delete services, event types and empty domains the file does not list', false)
    .option('--detailed-exit-code', 'exit 1 when there are changes (applied, or pending with --dry-run)', false)
    .addOption(
      new Option('--format <format>', "text: the plan; json: the gateway's answer")
        .choices(['text', 'json'])
        .default('text'),
    )
    .option(
      '--url <url>',
      "the gateway's base URL (default: $MESHGATE_URL, else $MESHGATE_REGISTRY_URL without /registry, else http://127.0.0.1:4000)",
    )
    .option('--token <token>', 'send Authorization: Bearer <token> (default: $MESHGATE_TOKEN)')
    .option('--user <key:secret>', 'send HTTP Basic credentials (default: $MESHGATE_USER)')
    .option('--timeout <seconds>', 'give up after this many seconds', '60')
    .addHelpText('after', examples);
  command.action(async (options: ApplyOptions) => {
    const env = readCliEnv(context.io.env);
    if (options.url !== undefined) checkRegistryUrl(options.url, '--url');
    if (options.user !== undefined) checkUser(options.user, '--user');
    const timeout = Number(options.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0) {
      throw new InputError(`--timeout '${options.timeout}' must be a positive number of seconds`);
    }
    const file = path.resolve(context.io.cwd, options.file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new InputError(
        `cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    const flags = options.token !== undefined || options.user !== undefined;
    const client = new CatalogClient({
      baseUrl: options.url ?? env.gatewayUrl,
      token: flags ? options.token : env.token,
      user: flags ? options.user : env.user,
      timeoutMs: timeout * 1000,
    });
    let result;
    try {
      result = await client.apply(text, { json: file.endsWith('.json'), dryRun: options.dryRun, prune: options.prune });
    } catch (error) {
      if (isMeshgateError(error)) {
        const lines = describeDocumentErrors(options.file, error.details);
        if (lines.length > 0) context.io.stderr.write(`${lines.join('\n')}\n`);
      }
      throw error;
    }
    context.io.stdout.write(
      options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatApplyReport(result),
    );
    const changed = result.changes.some((change) => change.action !== 'unchanged');
    context.exit(options.detailedExitCode && changed ? ExitCode.CHANGES : ExitCode.OK);
  });
  return command;
}
