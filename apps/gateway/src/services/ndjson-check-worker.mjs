// Entry of the produce path's worker threads (see ndjson-check-pool.ts): loads the TypeScript
// task through tsx's API, so the workers start the same whether the gateway runs under tsx,
// plain node or a test runner.
import { tsImport } from 'tsx/esm/api';

const { runProduceTask } = await tsImport('./produce-ndjson-worker.ts', import.meta.url);

export default runProduceTask;
