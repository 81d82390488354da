import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { catalogApplyCommand } from './commands/catalog-apply';
import { checkCommand } from './commands/check';
import type { CommandContext } from './commands/command-context';
import { diffCommand } from './commands/diff';
import { getCommand } from './commands/get';
import { registerCommand } from './commands/register';
import { ExitCode, describeError, exitCodeFor } from './exit-codes';
import type { CliIo } from './io';

const examples = `
Examples:
  $ meshgate schema check --subject orders-value --file schemas/order.json
  $ meshgate schema check --file schemas/order.json --against origin/main --format github
  $ meshgate schema register --dir schemas
  $ meshgate schema get --subject orders-value
  $ meshgate schema diff order.v1.avsc order.v2.avsc
  $ meshgate catalog apply -f catalog.yaml --dry-run

Environment: MESHGATE_REGISTRY_URL, MESHGATE_URL, MESHGATE_TOKEN, MESHGATE_USER.
Exit codes: 0 compatible/success, 1 incompatible (catalog apply --detailed-exit-code: changes), 2 usage error or failure.`;

/** The `meshgate` command tree, writing to `context.io`. */
export function createProgram(context: CommandContext): Command {
  const program = new Command('meshgate')
    .description(
      'Meshgate CLI: check schema compatibility in CI, register, fetch and diff schemas; apply catalog.yaml.',
    )
    .version(packageJson.version, '-V, --version', 'print the version')
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    })
    .addHelpText('after', examples);
  // Subcommands built with `new Command` do not inherit settings, so each gets them here.
  const inherit = (command: Command): Command => command.copyInheritedSettings(program);
  const schema = inherit(new Command('schema'))
    .description('Schema compatibility checks, registration, retrieval and diffs.')
    .enablePositionalOptions();
  for (const build of [checkCommand, registerCommand, getCommand, diffCommand]) {
    schema.addCommand(inherit(build(context)));
  }
  program.addCommand(schema);
  const catalog = inherit(new Command('catalog'))
    .description('Catalog as code: apply a catalog document (catalog.yaml).')
    .enablePositionalOptions();
  catalog.addCommand(inherit(catalogApplyCommand(context)));
  program.addCommand(catalog);
  return program;
}

/**
 * Runs `meshgate` with `argv` (the arguments after the program name) and returns the exit code:
 * 0 compatible/success, 1 incompatible (or, for `catalog apply --detailed-exit-code`, changes),
 * 2 usage error or failure (told on stderr in one line).
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: ExitCode = ExitCode.OK;
  const program = createProgram({ io, exit: (code) => (exitCode = code) });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already written its message; --help and --version exit 0.
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.FAILURE;
    }
    io.stderr.write(`meshgate: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}
