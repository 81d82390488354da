import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

/** The gateway's structured logger (pino). */
export type Logger = PinoLogger;

/** Creates the gateway logger: JSON lines, or readable lines on a terminal. */
export function createLogger(level: LevelWithSilent, pretty = process.stdout.isTTY): Logger {
  return pino({
    level,
    base: { service: 'meshgate-gateway' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname,service' } } }
      : {}),
  });
}
