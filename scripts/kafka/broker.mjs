#!/usr/bin/env node
// Command line for broker-lib.mjs: a real single-node Kafka broker for tests.
//
//   node scripts/kafka/broker.mjs fetch
//   node scripts/kafka/broker.mjs start [--port N] [--dir D] [--timeout SECONDS]
//   node scripts/kafka/broker.mjs stop --dir D [--keep]
//   node scripts/kafka/broker.mjs restart --dir D [--port N] [--timeout SECONDS]
//   node scripts/kafka/broker.mjs tool <Class> [args...]
//
// `start` and `restart` print one JSON line on stdout:
//   {"brokers":"127.0.0.1:PORT","pid":N,"dir":"..."}
// Everything else (progress, errors) goes to stderr.

import { parseArgs } from 'node:util';
import { fetchKafka, runKafkaTool, startBroker, stopBroker } from './broker-lib.mjs';

const USAGE = `usage:
  broker.mjs fetch
  broker.mjs start [--port N] [--dir D] [--timeout SECONDS]
  broker.mjs stop --dir D [--keep]
  broker.mjs restart --dir D [--port N] [--timeout SECONDS]
  broker.mjs tool <Class> [args...]   e.g. tool TopicCommand --bootstrap-server 127.0.0.1:9092 --list`;

const OPTIONS = {
  port: { type: 'string' },
  dir: { type: 'string' },
  timeout: { type: 'string' },
  keep: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function printBroker(b) {
  process.stderr.write(`[kafka] ready in ${(b.readyMs / 1000).toFixed(1)} s\n`);
  process.stdout.write(JSON.stringify({ brokers: b.brokers, pid: b.pid, dir: b.dir }) + '\n');
}

async function main(argv) {
  const [command, ...rest] = argv;

  // Tool arguments belong to the Kafka tool, not to us: pass them untouched.
  if (command === 'tool') {
    if (!rest[0]) fail(USAGE);
    process.exitCode = await runKafkaTool(rest[0], rest.slice(1));
    return;
  }

  const { values, positionals } = parseArgs({
    args: rest,
    options: OPTIONS,
    allowPositionals: false,
  });
  if (values.help || !command || positionals.length) fail(USAGE);

  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    fail(`invalid --port: ${values.port}`);
  }
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout) * 1000;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) {
    fail(`invalid --timeout: ${values.timeout}`);
  }

  switch (command) {
    case 'fetch': {
      const { version, libs } = await fetchKafka();
      process.stderr.write(`[kafka] Apache Kafka ${version} jars in ${libs}\n`);
      break;
    }
    case 'start':
      printBroker(await startBroker({ port, dir: values.dir, timeoutMs }));
      break;
    case 'stop':
      if (!values.dir) fail('stop needs --dir');
      await stopBroker({ dir: values.dir, keep: values.keep });
      break;
    case 'restart':
      // Same dir (already formatted: not formatted again) and, unless --port
      // says otherwise, the same port as before.
      if (!values.dir) fail('restart needs --dir');
      await stopBroker({ dir: values.dir, keep: true });
      printBroker(await startBroker({ port, dir: values.dir, timeoutMs }));
      break;
    default:
      fail(USAGE);
  }
}

// Errors from broker-lib.mjs carry everything useful (log tail, mvn output) in
// their message; a stack trace would only bury it.
main(process.argv.slice(2)).catch((err) => fail(`[kafka] ${err?.message ?? String(err)}`));
