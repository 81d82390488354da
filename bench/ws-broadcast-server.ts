// Baseline for the fanout benchmark: a minimal `ws` broadcast server, run as its own process (as
// the gateway is). `POST /publish` with an NDJSON body sends each line, as is, to every connected
// WebSocket client. Prints its port on stdout once listening; stops on SIGTERM.
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const clients = new Set<WebSocket>();
const server = http.createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/publish') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let published = 0;
    for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
      if (line === '') continue;
      for (const client of clients) client.send(line);
      published++;
    }
    response.writeHead(202, { 'content-type': 'application/json' }).end(`{"published":${published}}`);
  });
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (socket) => {
  clients.add(socket);
  socket.on('close', () => clients.delete(socket));
  socket.on('error', () => clients.delete(socket));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  for (const client of clients) client.terminate();
  wss.close();
  server.close(() => process.exit(0));
});
