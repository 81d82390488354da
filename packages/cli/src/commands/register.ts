import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { InputError, isMeshgateError, type MeshgateError } from '@meshgate/core';
import { Command, Option } from 'commander';
import { ExitCode, describeError, exitCodeFor } from '../exit-codes';
import { startProgress } from '../output/progress';
import {
  formatRegisterFailures,
  formatRegisterReport,
  type RegisterFormat,
  type RegisterResult,
} from '../output/register-report';
import { loadReferences, registryReferences } from '../references';
import type { RegistryClient, SchemaReference } from '../registry-client';
import { displayPath, isSchemaFile, readTextFile, schemaTypeOf } from '../schema-file';
import type { CommandContext } from './command-context';
import { addRegistryOptions, createRegistryClient, type RegistryOptions } from './registry-options';

interface RegisterOptions extends RegistryOptions {
  subject?: string;
  file?: string;
  dir?: string;
  type?: string;
  normalize?: boolean;
  subjectTemplate: string;
  references?: string;
  format: RegisterFormat;
}

/** One schema file to register. */
interface Item {
  file: string;
  display: string;
  subject: string;
}

const examples = `
Examples:
  $ meshgate schema register --subject orders-value --file schemas/order.json
  $ meshgate schema register --dir schemas                       # subjects <basename>-value
  $ meshgate schema register --dir schemas --subject-template '{name}-key' --normalize

Exit codes: 0 all registered, 1 a schema is incompatible with its subject (409),
2 usage error or any other failure (unreachable registry, invalid schema, …).`;

/** Errors after which registering the remaining files cannot succeed either. */
const fatalCodes = new Set(['UNAVAILABLE', 'UNAUTHENTICATED']);

/** `meshgate schema register`: registers one schema file, or every schema file of a folder. */
export function registerCommand(context: CommandContext): Command {
  const command = new Command('register')
    .description('Register a schema file under a subject, or every .json/.avsc/.proto file of a folder.')
    .option('--file <file>', 'the schema file to register')
    .option('--subject <subject>', 'the subject (default: from --subject-template)')
    .option('--dir <dir>', 'register every .json, .avsc and .proto file in this folder (not recursive)')
    .option(
      '--subject-template <template>',
      'subject for a file; {name} is its basename without extension',
      '{name}-value',
    )
    .addOption(
      new Option('--type <type>', 'schema type (default: from the extension: .json, .avsc, .proto)').choices([
        'json',
        'avro',
        'protobuf',
      ]),
    )
    .option('--normalize', 'ask the registry to normalize the schema before looking it up or registering it')
    .option('--references <file>', 'JSON array of {name, subject, version} the schema references (with --file)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
  addRegistryOptions(command).addHelpText('after', examples);
  command.action(async (options: RegisterOptions) => {
    const items = await listItems(context, options);
    const client = createRegistryClient(options, context.io);
    const references = registryReferences(await loadReferences(context.io.cwd, options.references));
    const single = items.length === 1 && options.dir === undefined ? items[0] : undefined;
    if (single) {
      // One file: a failure is the command's failure, told on stderr like any other.
      const result = await registerOne(context, client, options, single, references);
      context.io.stdout.write(formatRegisterReport(options.format, [result]));
      context.exit(ExitCode.OK);
      return;
    }
    const progress = startProgress(context.io.stderr, items.length);
    const results: RegisterResult[] = [];
    let fatal: MeshgateError | undefined;
    for (const item of items) {
      let result: RegisterResult;
      const base = { file: item.display, subject: item.subject };
      if (fatal) {
        const error = fatal.code === 'UNAVAILABLE' ? 'the registry is unreachable' : 'the credentials were rejected';
        result = { ...base, status: 'skipped', error, exitCode: ExitCode.FAILURE };
      } else {
        try {
          result = await registerOne(context, client, options, item, references);
        } catch (error) {
          result = { ...base, status: 'failed', error: describeError(error), exitCode: exitCodeFor(error) };
          if (isMeshgateError(error) && fatalCodes.has(error.code)) fatal = error;
        }
      }
      results.push(result);
      progress.advance(result);
    }
    progress.stop();
    context.io.stdout.write(formatRegisterReport(options.format, results));
    if (options.format === 'text') context.io.stderr.write(formatRegisterFailures(results));
    context.exit(Math.max(ExitCode.OK, ...results.map((result) => result.exitCode ?? ExitCode.OK)) as ExitCode);
  });
  return command;
}

/** Registers one file; throws what the registry or the file system said. */
async function registerOne(
  context: CommandContext,
  client: RegistryClient,
  options: RegisterOptions,
  item: Item,
  references: SchemaReference[] | undefined,
): Promise<RegisterResult> {
  const schemaType = schemaTypeOf(item.file, options.type);
  const schema = await readTextFile(context.io.cwd, item.file, '--file');
  const payload = { schema, schemaType, references };
  const { id } = await client.register(item.subject, payload, { normalize: options.normalize });
  return { status: 'registered', file: item.display, subject: item.subject, schemaType, id };
}

async function listItems(context: CommandContext, options: RegisterOptions): Promise<Item[]> {
  const { cwd } = context.io;
  if (!options.subjectTemplate.includes('{name}')) {
    throw new InputError(`--subject-template '${options.subjectTemplate}' must contain {name}`);
  }
  const subjectOf = (file: string) =>
    options.subjectTemplate.replaceAll('{name}', path.basename(file, path.extname(file)));
  if ((options.file === undefined) === (options.dir === undefined)) {
    throw new InputError('pass either --file FILE (with --subject) or --dir DIR');
  }
  if (options.file !== undefined) {
    return [
      {
        file: options.file,
        display: displayPath(cwd, options.file),
        subject: options.subject ?? subjectOf(options.file),
      },
    ];
  }
  const dir = options.dir ?? '';
  if (options.subject !== undefined) {
    throw new InputError('--subject names one subject; with --dir use --subject-template (e.g. {name}-value)');
  }
  if (options.references !== undefined) throw new InputError('--references applies to one schema; use it with --file');
  let names: string[];
  try {
    const entries = await readdir(path.resolve(cwd, dir), { withFileTypes: true });
    names = entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InputError(`--dir ${dir}: cannot read the folder (${code}); check the path`, { cause: error });
  }
  const files = names.filter(isSchemaFile).sort();
  if (files.length === 0) throw new InputError(`--dir ${dir} holds no .json, .avsc or .proto files`);
  return files.map((name) => {
    const file = path.join(dir, name);
    return { file, display: displayPath(cwd, file), subject: subjectOf(name) };
  });
}
