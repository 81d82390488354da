import { Command, Option } from 'commander';
import { checkOffline, levelsHelp, parseLevel, type CompatibilityLevel } from '../compat';
import { ExitCode } from '../exit-codes';
import { formatVerdict, verdictFormats, type VerdictFormat } from '../output/verdict-formats';
import { loadReferences, resolveReferences } from '../references';
import { displayPath, readTextFile, schemaTypeOf } from '../schema-file';
import { locateAll, type Verdict } from '../verdict';
import type { CommandContext } from './command-context';

interface DiffOptions {
  type?: string;
  level: string;
  lenient?: boolean;
  references?: string;
  format: VerdictFormat;
}

const examples = `
Examples:
  $ meshgate schema diff schemas/order.v1.json schemas/order.v2.json
  $ meshgate schema diff old.avsc new.avsc --level BACKWARD --format json

Both directions are always checked and reported; --level decides the verdict.
Exit codes: 0 compatible, 1 incompatible, 2 usage error or failure (invalid schema, unreadable file, …).`;

/** The directions a level requires. */
function directionsOf(level: CompatibilityLevel): Array<'BACKWARD' | 'FORWARD'> {
  if (level === 'NONE') return [];
  if (level.startsWith('BACKWARD')) return ['BACKWARD'];
  if (level.startsWith('FORWARD')) return ['FORWARD'];
  return ['BACKWARD', 'FORWARD'];
}

/** `meshgate schema diff OLD NEW`: offline, can NEW replace OLD, in both directions? */
export function diffCommand(context: CommandContext): Command {
  return new Command('diff')
    .description('Compare two schema files offline: can <new> replace <old>? Checks both directions.')
    .argument('<old>', 'the schema in use')
    .argument('<new>', 'the schema that would replace it')
    .addOption(
      new Option('--type <type>', 'schema type (default: from the extensions: .json, .avsc, .proto)').choices([
        'json',
        'avro',
        'protobuf',
      ]),
    )
    .option('--level <level>', `the level that decides the verdict (${levelsHelp})`, 'FULL')
    .option('--lenient', 'JSON Schema: allow adding optional properties to open content models')
    .option('--references <file>', 'JSON array of {name, subject, version, file} both schemas reference')
    .addOption(new Option('--format <format>', 'output format').choices(verdictFormats).default('text'))
    .addHelpText('after', examples)
    .action(async (oldFile: string, newFile: string, options: DiffOptions) => {
      const { cwd } = context.io;
      const level = await parseLevel(options.level);
      const references = await loadReferences(cwd, options.references);
      const resolved = await resolveReferences(references, (file) => readTextFile(cwd, file, '--references'));
      const read = async (file: string, role: string) => ({
        label: displayPath(cwd, file),
        schemaType: schemaTypeOf(file, options.type),
        text: await readTextFile(cwd, file, role),
        references: resolved,
      });
      const previous = await read(oldFile, '<old>');
      const candidate = await read(newFile, '<new>');
      // FULL gives both directions; the level then picks which of them decide.
      const issues = await checkOffline({ level: 'FULL', candidate, previous, lenient: options.lenient ?? false });
      const deciding = directionsOf(level);
      const decisive = issues.filter((issue) => deciding.includes(issue.direction));
      const verdict: Verdict = {
        compatible: decisive.length === 0,
        subject: null,
        level,
        file: candidate.label,
        schemaType: candidate.schemaType,
        against: { kind: 'file', file: previous.label },
        directions: {
          BACKWARD: !issues.some((issue) => issue.direction === 'BACKWARD'),
          FORWARD: !issues.some((issue) => issue.direction === 'FORWARD'),
        },
        incompatibilities: locateAll(decisive, candidate.schemaType, candidate.text),
      };
      context.io.stdout.write(formatVerdict(options.format, verdict));
      context.exit(verdict.compatible ? ExitCode.OK : ExitCode.INCOMPATIBLE);
    });
}
