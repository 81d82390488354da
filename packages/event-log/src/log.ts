/** Severity of a log line an adapter reports. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * Receives an adapter's log lines (e.g. kafkajs's), so they reach the application's logger
 * instead of the console. Adapters stay silent without one.
 */
export type LogCallback = (level: LogLevel, message: string, extra?: Record<string, unknown>) => void;
