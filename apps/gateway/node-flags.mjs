// Node flags the gateway runs with: `npm start`, the gateway's own `start` script (package.json,
// which spells them out) and the benchmarks use these. Start apps/gateway/src/main.ts another way
// and pass them yourself (`node <flags> --import tsx …` or NODE_OPTIONS).
//
// --max-semi-space-size=64 (MB; V8's default is 16): a young generation large enough for what a
// produce call holds. The records of a produce call live through the event log's round trip,
// and under load the gateway's calls follow each other so closely that with 16 MB semi-spaces a
// scavenge ran on about every call, copying them and promoting most to the old generation
// (~1.3 MB promoted per scavenge in the produce benchmark, against ~0.15 MB for a bare kafkajs
// producer). The young generation only grows this far while much survives; RSS may grow by up
// to ~100 MB under load.
export const gatewayNodeFlags = ['--max-semi-space-size=64'];
