export { run, createProgram } from './main';
export type { CliIo } from './io';
export { ExitCode } from './exit-codes';
export { RegistryClient, type RegistryClientOptions } from './registry-client';
