// Fetch, start and stop a real single-node Apache Kafka (KRaft) broker for
// tests. Only node: builtins; needs `java` (17+) and, for the first fetch,
// `mvn`. The jars come from Maven Central through ./pom.xml and are cached
// outside the clone (see kafkaHome()).
//
// Layout of a broker directory (`dir`):
//   server.properties  written on every start
//   data/              log.dirs (KRaft metadata log + topic partitions)
//   kafka.log          broker stdout/stderr, appended across restarts
//   kafka.pid          pid of the running broker
//   broker.json        ports and cluster id, reused when restarting
//   format.log         output of the storage format step

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const POM = path.join(HERE, 'pom.xml');
const BROKER_LOG4J = path.join(HERE, 'log4j2.properties');
const TOOLS_LOG4J = path.join(HERE, 'log4j2-tools.properties');

const HOST = '127.0.0.1';
const READY_LINE = 'Kafka Server started';
const DEFAULT_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

// Light on a 2-core machine shared with the tests: a small heap, the serial
// collector (no parallel GC threads) and C1 only (less JIT work at start-up,
// plenty fast for test traffic).
const BROKER_JVM_OPTS = [
  '-Xms256m',
  '-Xmx512m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
];
const TOOL_JVM_OPTS = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

const log = (msg) => process.stderr.write(`[kafka] ${msg}\n`);

/** Kafka version: MESHGATE_KAFKA_VERSION, else the default in pom.xml. */
export function kafkaVersion() {
  if (process.env.MESHGATE_KAFKA_VERSION) {
    return process.env.MESHGATE_KAFKA_VERSION;
  }
  const match = fs.readFileSync(POM, 'utf8').match(/<kafka\.version>([^<]+)<\/kafka\.version>/);
  if (!match) throw new Error(`no <kafka.version> in ${POM}`);
  return match[1].trim();
}

/** Cache folder holding libs/: MESHGATE_KAFKA_HOME or ~/.cache/meshgate/kafka-<version>. */
export function kafkaHome() {
  return process.env.MESHGATE_KAFKA_HOME || path.join(os.homedir(), '.cache', 'meshgate', `kafka-${kafkaVersion()}`);
}

function javaBin() {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Run a command to completion, capturing its output. */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...opts,
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => reject(new Error(`cannot run ${cmd}: ${err.message}`)));
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

/**
 * Make sure the broker jars are in <kafkaHome>/libs, fetching them from Maven
 * Central on the first call. Safe to run concurrently: Maven writes into a
 * private temporary folder that is renamed into place at the end.
 */
export async function fetchKafka() {
  const version = kafkaVersion();
  const home = kafkaHome();
  const libs = path.join(home, 'libs');
  const marker = path.join(libs, `kafka_2.13-${version}.jar`);
  if (fs.existsSync(marker)) return { version, home, libs };

  await fsp.mkdir(home, { recursive: true });
  const tmp = await fsp.mkdtemp(path.join(home, 'libs.tmp-'));
  const started = Date.now();
  log(`fetching Apache Kafka ${version} from Maven Central into ${libs}`);
  try {
    const { code, output } = await run('mvn', [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      POM,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-Dkafka.version=${version}`,
      `-DoutputDirectory=${tmp}`,
    ]);
    if (code !== 0 || !fs.existsSync(path.join(tmp, path.basename(marker)))) {
      throw new Error(`mvn could not fetch Kafka ${version} (exit ${code}):\n${output}`);
    }
    // A libs/ without our marker jar holds another Kafka version (a
    // MESHGATE_KAFKA_HOME reused across versions): replace it.
    if (fs.existsSync(libs) && !fs.existsSync(marker)) {
      await fsp.rm(libs, { recursive: true, force: true });
    }
    try {
      await fsp.rename(tmp, libs);
    } catch (err) {
      // Another process won the race: its libs/ is as good as ours.
      if (!fs.existsSync(marker)) throw err;
    }
  } finally {
    await fsp.rm(tmp, { recursive: true, force: true });
  }
  log(`fetched in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { version, home, libs };
}

function classpath(libs) {
  // The JVM expands a trailing `*` itself; no shell is involved here.
  return path.join(libs, '*');
}

/** A free TCP port on 127.0.0.1 (the usual bind-to-0 trick; racy but fine for tests). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function isPortFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Is `pid` alive and the broker of `dir`? A zombie (exited, not yet reaped by
 * a parent that is still running) counts as dead. Where /proc is missing,
 * trust the pid file.
 */
function isBrokerAlive(pid, dir) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // Guards against a recycled pid belonging to some other process.
    return cmdline.includes('kafka.Kafka') && cmdline.includes(path.join(dir, 'server.properties'));
  } catch (err) {
    return err.code !== 'ENOENT' || !fs.existsSync('/proc');
  }
}

function readPid(dir) {
  try {
    return Number(fs.readFileSync(path.join(dir, 'kafka.pid'), 'utf8').trim());
  } catch {
    return 0;
  }
}

/** Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. */
function randomClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    // Kafka avoids ids starting with "-": they read as a CLI flag.
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties({ dir, port, controllerPort, config }) {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    // A static single-voter quorum: unlike a dynamic one (--standalone) it does
    // not pin the controller endpoint into the formatted storage, so a restart
    // can move the controller to another port if the old one is taken.
    'controller.quorum.voters': `1@${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': path.join(dir, 'data'),

    // Single node: every internal topic must have replication factor 1.
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    // One partition per internal topic instead of 50: the first consumer group
    // or transaction then starts in well under a second.
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.num.partitions': '1',
    'share.coordinator.state.topic.num.partitions': '1',

    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
    'num.partitions': '1',
    'default.replication.factor': '1',

    // Fewer threads and buffers than a production broker: 2 shared cores and
    // a 512 MiB heap (the log cleaner's default 128 MiB dedupe buffer alone
    // would take a quarter of it).
    'num.network.threads': '2',
    'num.io.threads': '4',
    'background.threads': '4',
    'num.recovery.threads.per.data.dir': '1',
    'log.cleaner.dedupe.buffer.size': String(16 * 1024 * 1024),

    ...config,
  };
  return (
    '# Written by scripts/kafka/broker-lib.mjs on every start.\n' +
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') +
    '\n'
  );
}

async function formatStorage({ libs, dir, clusterId }) {
  const { code, output } = await run(javaBin(), [
    ...TOOL_JVM_OPTS,
    `-Dlog4j2.configurationFile=${TOOLS_LOG4J}`,
    '-cp',
    classpath(libs),
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    clusterId,
    '--config',
    path.join(dir, 'server.properties'),
  ]);
  await fsp.writeFile(path.join(dir, 'format.log'), output);
  if (code !== 0) {
    throw new Error(`formatting Kafka storage failed (exit ${code}):\n${output}`);
  }
}

/**
 * One ApiVersions (v2) round trip: resolves true when the broker answers with
 * error code 0, i.e. its request handlers are serving, not just its socket.
 */
function probeApiVersions(port, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const clientId = Buffer.from('meshgate-probe');
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
    body.writeInt16BE(18, 0); // api_key: ApiVersions
    body.writeInt16BE(2, 2); // api_version
    body.writeInt32BE(0x4d47, 4); // correlation_id
    body.writeInt16BE(clientId.length, 8);
    clientId.copy(body, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);

    let received = Buffer.alloc(0);
    const socket = net.connect({ host: HOST, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
    socket.on('connect', () => socket.write(Buffer.concat([size, body])));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      // Response: int32 size, int32 correlation_id, int16 error_code, ...
      if (received.length < 10) return;
      done(received.readInt32BE(4) === 0x4d47 && received.readInt16BE(8) === 0);
    });
  });
}

function readFrom(file, offset) {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= offset) return '';
      const buf = Buffer.alloc(size - offset);
      fs.readSync(fd, buf, 0, buf.length, offset);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

function tail(file, lines = 50) {
  const text = readFrom(file, 0);
  return text
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start a broker in `dir` (default: a new temporary folder) listening on
 * 127.0.0.1:`port` (default: the port it had before in this dir, else a free
 * one). An already formatted dir is reused as is, which is how a test
 * restarts a broker: `await b.stop({ keep: true })`, then
 * `startBroker({ dir: b.dir, port: b.port })`.
 *
 * The broker runs detached: it outlives the calling process until stopped.
 * `config` adds or overrides server.properties entries.
 */
export async function startBroker({ port, dir, timeoutMs = DEFAULT_TIMEOUT_MS, config = {} } = {}) {
  const { libs } = await fetchKafka();
  if (dir) {
    return launch({ libs, port, dir: path.resolve(dir), timeoutMs, config });
  }
  // A temporary dir of our own is removed again if the start fails.
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'meshgate-kafka-'));
  try {
    return await launch({ libs, port, dir, timeoutMs, config });
  } catch (err) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function launch({ libs, port, dir, timeoutMs, config }) {
  await fsp.mkdir(path.join(dir, 'data'), { recursive: true });

  const stateFile = path.join(dir, 'broker.json');
  const state = readJson(stateFile) ?? {};
  const oldPid = readPid(dir);
  if (isBrokerAlive(oldPid, dir)) {
    throw new Error(`a broker (pid ${oldPid}) is already running in ${dir}`);
  }

  port = Number(port ?? state.port ?? (await freePort()));
  if (!(await isPortFree(port))) {
    throw new Error(`port ${port} on ${HOST} is already in use`);
  }
  let controllerPort = state.controllerPort;
  if (!controllerPort || controllerPort === port || !(await isPortFree(controllerPort))) {
    do controllerPort = await freePort();
    while (controllerPort === port);
  }

  const propsFile = path.join(dir, 'server.properties');
  await fsp.writeFile(propsFile, serverProperties({ dir, port, controllerPort, config }));

  const formatted = fs.existsSync(path.join(dir, 'data', 'meta.properties'));
  const clusterId = formatted ? state.clusterId : randomClusterId();
  if (!formatted) await formatStorage({ libs, dir, clusterId });

  const logFile = path.join(dir, 'kafka.log');
  const logOffset = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const out = fs.openSync(logFile, 'a');
  const started = Date.now();
  const child = spawn(
    javaBin(),
    [
      ...BROKER_JVM_OPTS,
      ...(process.env.MESHGATE_KAFKA_JVM_OPTS?.split(/\s+/).filter(Boolean) ?? []),
      `-Dlog4j2.configurationFile=${BROKER_LOG4J}`,
      '-cp',
      classpath(libs),
      'kafka.Kafka',
      propsFile,
    ],
    // Own process group, no pipes to us: survives the CLI that started it.
    { detached: true, stdio: ['ignore', out, out], cwd: dir },
  );
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.on('error', (err) => (exited = { error: err.message }));
  const pid = child.pid;
  await fsp.writeFile(path.join(dir, 'kafka.pid'), `${pid ?? ''}\n`);
  await fsp.writeFile(
    stateFile,
    JSON.stringify({ port, controllerPort, clusterId, version: kafkaVersion() }, null, 2) + '\n',
  );

  // Ready = the broker logged that it started AND answers a Kafka request.
  const deadline = started + timeoutMs;
  let sawReadyLine = false;
  let failure = null;
  for (;;) {
    if (exited) {
      failure = `the broker exited during start-up (${JSON.stringify(exited)})`;
      break;
    }
    sawReadyLine ||= readFrom(logFile, logOffset).includes(READY_LINE);
    if (sawReadyLine && (await probeApiVersions(port))) break;
    if (Date.now() > deadline) {
      failure = `the broker was not ready within ${timeoutMs} ms`;
      break;
    }
    await sleep(100);
  }

  if (failure) {
    if (!exited && pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await fsp.rm(path.join(dir, 'kafka.pid'), { force: true });
    const logTail = tail(logFile, 50);
    const err = new Error(`${failure}. Last lines of the broker log:\n${logTail}`);
    err.logTail = logTail;
    throw err;
  }

  child.unref();
  const readyMs = Date.now() - started;
  return {
    brokers: `${HOST}:${port}`,
    port,
    controllerPort,
    pid,
    dir,
    readyMs,
    stop: (opts = {}) => stopBroker({ dir, ...opts }),
  };
}

/**
 * Stop the broker of `dir`: SIGTERM (a clean, controlled shutdown), SIGKILL
 * after `timeoutMs`. Then delete `dir` unless `keep`.
 */
export async function stopBroker({ dir, keep = false, timeoutMs = STOP_TIMEOUT_MS } = {}) {
  if (!dir) throw new Error('stopBroker: dir is required');
  dir = path.resolve(dir);
  const pid = readPid(dir);
  if (isBrokerAlive(pid, dir)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (isBrokerAlive(pid, dir) && Date.now() < deadline) await sleep(100);
    if (isBrokerAlive(pid, dir)) {
      log(`broker pid ${pid} ignored SIGTERM for ${timeoutMs} ms; killing it`);
      process.kill(pid, 'SIGKILL');
      const killDeadline = Date.now() + 5000;
      while (isBrokerAlive(pid, dir) && Date.now() < killDeadline) await sleep(50);
    }
  }
  await fsp.rm(path.join(dir, 'kafka.pid'), { force: true });
  if (!keep) await fsp.rm(dir, { recursive: true, force: true });
}

/**
 * Run one of Kafka's command-line tools from the cached jars, e.g.
 * runKafkaTool("TopicCommand", ["--bootstrap-server", b, "--list"]).
 * A bare class name is taken from org.apache.kafka.tools. Resolves to the
 * exit code; output goes to this process's stdout/stderr.
 */
export async function runKafkaTool(mainClass, args = []) {
  const { libs } = await fetchKafka();
  const main = mainClass.includes('.') ? mainClass : `org.apache.kafka.tools.${mainClass}`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      javaBin(),
      [...TOOL_JVM_OPTS, `-Dlog4j2.configurationFile=${TOOLS_LOG4J}`, '-cp', classpath(libs), main, ...args],
      { stdio: 'inherit' },
    );
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
