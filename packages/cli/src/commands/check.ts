import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, isMeshgateError } from '@meshgate/core';
import { Command, Option } from 'commander';
import { checkOffline, levelsHelp, parseLevel, type SchemaSource, type VersionedIncompatibility } from '../compat';
import { incompatibilitiesFromMessages } from '../confluent-messages';
import { ExitCode } from '../exit-codes';
import { readAtRef } from '../git';
import { formatVerdict, verdictFormats, type VerdictFormat } from '../output/verdict-formats';
import { loadReferences, registryReferences, resolveReferences, type References } from '../references';
import type { CompatibilityAnswer, VersionSelector } from '../registry-client';
import { displayPath, readTextFile, schemaTypeOf } from '../schema-file';
import { locateAll, type Baseline, type Verdict } from '../verdict';
import type { CommandContext } from './command-context';
import { addRegistryOptions, createRegistryClient, parseVersion, type RegistryOptions } from './registry-options';

interface CheckOptions extends RegistryOptions {
  subject?: string;
  file: string;
  type?: string;
  version?: string;
  against?: string;
  level?: string;
  lenient?: boolean;
  references?: string;
  format: VerdictFormat;
}

/** The candidate schema of a check, read from its file. */
interface Candidate {
  absolute: string;
  display: string;
  source: SchemaSource;
  references: References;
}

const examples = `
Examples:
  # against the registry (the subject's configured level decides)
  $ meshgate schema check --subject orders-value --file schemas/order.json

  # offline, against the same file on the base branch, as a pull-request check
  $ meshgate schema check --file schemas/order.json --against origin/main --format github

  # offline, against another file, under FULL_TRANSITIVE
  $ meshgate schema check --file order.avsc --against order.v1.avsc --level FULL_TRANSITIVE

Exit codes: 0 compatible, 1 incompatible, 2 usage error or failure (unreachable registry, invalid schema, …).`;

/** `meshgate schema check`: is a schema compatible with what is registered (or an older file / git revision)? */
export function checkCommand(context: CommandContext): Command {
  const command = new Command('check')
    .description(
      'Check that a schema file can replace the registered versions of a subject (online), or an older file or git revision of it (offline, with --against).',
    )
    .requiredOption('--file <file>', 'the schema file to check')
    .option('--subject <subject>', 'the subject to check against (required online)')
    .addOption(
      new Option('--type <type>', 'schema type (default: from the extension: .json, .avsc, .proto)').choices([
        'json',
        'avro',
        'protobuf',
      ]),
    )
    .option('--version <version>', 'online: check against this version only (latest or N) instead of per the level')
    .option(
      '--against <file|git-ref>',
      'check offline against a file, or the same file at a git ref (origin/main, HEAD~1)',
    )
    .option('--level <level>', `offline: the compatibility level (${levelsHelp}; default: BACKWARD)`)
    .option('--lenient', 'offline, JSON Schema: allow adding optional properties to open content models')
    .option('--references <file>', 'JSON array of {name, subject, version, file} the schema references')
    .addOption(new Option('--format <format>', 'output format').choices(verdictFormats).default('text'));
  addRegistryOptions(command).addHelpText('after', examples);
  command.action(async (options: CheckOptions) => {
    const verdict =
      options.against === undefined
        ? await checkOnline(context, command, options)
        : await checkAgainst(context, command, options, options.against);
    context.io.stdout.write(formatVerdict(options.format, verdict));
    context.exit(verdict.compatible ? ExitCode.OK : ExitCode.INCOMPATIBLE);
  });
  return command;
}

async function readCandidate(context: CommandContext, options: CheckOptions): Promise<Candidate> {
  const { cwd } = context.io;
  const schemaType = schemaTypeOf(options.file, options.type);
  const text = await readTextFile(cwd, options.file, '--file');
  const display = displayPath(cwd, options.file);
  const references = await loadReferences(cwd, options.references);
  return {
    absolute: path.resolve(cwd, options.file),
    display,
    references,
    source: { label: display, schemaType, text, references: [] },
  };
}

function rejectFlag(command: Command, flag: string, key: string, reason: string): void {
  if (command.getOptionValueSource(key) === 'cli') throw new InputError(`${flag} ${reason}`);
}

async function checkOnline(context: CommandContext, command: Command, options: CheckOptions): Promise<Verdict> {
  if (options.subject === undefined) {
    throw new InputError(
      '--subject is required to check against the registry; or pass --against FILE|GIT-REF to check offline',
    );
  }
  const offlineOnly = "applies to offline checks (--against); the registry uses the subject's configured level";
  rejectFlag(command, '--level', 'level', offlineOnly);
  rejectFlag(command, '--lenient', 'lenient', offlineOnly);
  const version = options.version === undefined ? undefined : parseVersion(options.version);
  const client = createRegistryClient(options, context.io);
  const candidate = await readCandidate(context, options);
  const subject = options.subject;
  const configured = client.getCompatibilityLevel(subject).then(
    (config) => config.compatibilityLevel,
    () => null,
  );
  const baseline: Baseline = { kind: 'registry', registry: client.baseUrl, version: version ?? 'all' };
  const payload = {
    schema: candidate.source.text,
    schemaType: candidate.source.schemaType,
    references: registryReferences(candidate.references),
  };
  let answer: CompatibilityAnswer;
  try {
    answer = await client.checkCompatibility(subject, payload, version);
  } catch (error) {
    if (noVersions(error, version)) {
      return verdictOf(
        candidate,
        subject,
        await configured,
        baseline,
        [],
        `${subject} has no versions yet; nothing to break`,
      );
    }
    throw error;
  }
  const fromMessages = incompatibilitiesFromMessages(answer.messages ?? []);
  let issues = answer.incompatibilities?.length ? answer.incompatibilities : fromMessages.incompatibilities;
  if (!answer.is_compatible && issues.length === 0) {
    issues = [
      {
        path: '',
        rule: 'INCOMPATIBLE',
        message: 'The registry reports the schema incompatible without saying why.',
        fix: 'Run the check offline with --against to see the reasons.',
        direction: 'BACKWARD',
      },
    ];
  }
  const level = (await configured) ?? fromMessages.level ?? null;
  return verdictOf(candidate, subject, level, baseline, answer.is_compatible ? [] : issues);
}

/** A subject that does not exist has nothing to break, unless the user asked for a numbered version of it. */
function noVersions(error: unknown, version: VersionSelector | undefined): boolean {
  return isMeshgateError(error) && error.code === 'SUBJECT_NOT_FOUND' && typeof version !== 'number';
}

async function checkAgainst(
  context: CommandContext,
  command: Command,
  options: CheckOptions,
  against: string,
): Promise<Verdict> {
  const onlineOnly = 'applies to registry checks; drop it, or drop --against';
  rejectFlag(command, '--version', 'version', onlineOnly);
  rejectFlag(command, '--registry', 'registry', onlineOnly);
  const level = await parseLevel(options.level ?? 'BACKWARD');
  const candidate = await readCandidate(context, options);
  const { cwd } = context.io;
  const readWorkingTree = (file: string) => readTextFile(cwd, file, '--references');
  candidate.source.references = await resolveReferences(candidate.references, readWorkingTree);
  const subject = options.subject ?? null;

  let previous: SchemaSource;
  let baseline: Baseline;
  const againstFile = path.resolve(cwd, against);
  if (await isFile(againstFile)) {
    baseline = { kind: 'file', file: displayPath(cwd, against) };
    previous = {
      label: baseline.file,
      schemaType: schemaTypeOf(against, options.type),
      text: await readTextFile(cwd, against, '--against'),
      references: candidate.source.references,
    };
  } else {
    baseline = { kind: 'git', ref: against, file: candidate.display };
    const text = await readAtRef(candidate.absolute, against);
    if (text === undefined) {
      const note = `${candidate.display} does not exist at ${against}; nothing to break`;
      return verdictOf(candidate, subject, level, baseline, [], note);
    }
    const readAtBaseline = async (file: string) => (await readAtRef(file, against)) ?? readWorkingTree(file);
    previous = {
      label: `${against}:${candidate.display}`,
      schemaType: candidate.source.schemaType,
      text,
      references: await resolveReferences(candidate.references, readAtBaseline),
    };
  }
  const issues = await checkOffline({
    level,
    candidate: candidate.source,
    previous,
    lenient: options.lenient ?? false,
  });
  return verdictOf(candidate, subject, level, baseline, issues);
}

function verdictOf(
  candidate: Candidate,
  subject: string | null,
  level: string | null,
  against: Baseline,
  issues: readonly VersionedIncompatibility[],
  note?: string,
): Verdict {
  return {
    compatible: issues.length === 0,
    subject,
    level,
    file: candidate.display,
    schemaType: candidate.source.schemaType,
    against,
    incompatibilities: locateAll(issues, candidate.source.schemaType, candidate.source.text),
    note,
  };
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
