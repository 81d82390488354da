import { InputError } from '@meshgate/core';
import { Command, Option } from 'commander';
import { ExitCode } from '../exit-codes';
import type { CommandContext } from './command-context';
import { addRegistryOptions, createRegistryClient, parseVersion, type RegistryOptions } from './registry-options';

interface GetOptions extends RegistryOptions {
  subject?: string;
  version?: string;
  id?: string;
  format: 'text' | 'json';
}

const examples = `
Examples:
  $ meshgate schema get --subject orders-value                 # the latest version
  $ meshgate schema get --subject orders-value --version 2 > order.v2.json
  $ meshgate schema get --id 7 --format json                   # the whole response

Exit codes: 0 found, 2 not found, usage error or any other failure.`;

/** `meshgate schema get`: prints a registered schema. */
export function getCommand(context: CommandContext): Command {
  const command = new Command('get')
    .description('Print a registered schema: a version of a subject, or a schema by its global id.')
    .option('--subject <subject>', 'the subject')
    .option('--version <version>', 'the version of the subject: latest or N', 'latest')
    .option('--id <id>', "the schema's global id (instead of --subject)")
    .addOption(
      new Option('--format <format>', 'text: the schema itself; json: the whole response')
        .choices(['text', 'json'])
        .default('text'),
    );
  addRegistryOptions(command).addHelpText('after', examples);
  command.action(async (options: GetOptions) => {
    if ((options.subject === undefined) === (options.id === undefined)) {
      throw new InputError('pass either --subject SUBJECT [--version latest|N] or --id N');
    }
    if (options.id !== undefined && command.getOptionValueSource('version') === 'cli') {
      throw new InputError('--version applies to --subject; a schema id names one schema already');
    }
    const client = createRegistryClient(options, context.io);
    let response: { schema: string };
    if (options.id !== undefined) {
      if (!/^[1-9]\d*$/.test(options.id)) throw new InputError(`--id '${options.id}' must be a positive integer`);
      response = await client.getSchemaById(Number(options.id));
    } else {
      response = await client.getVersion(options.subject ?? '', parseVersion(options.version ?? 'latest'));
    }
    const text = options.format === 'json' ? JSON.stringify(response, null, 2) : response.schema;
    context.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    context.exit(ExitCode.OK);
  });
  return command;
}
