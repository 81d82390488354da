import type { Writable } from 'node:stream';

/** Sockets corked in this turn, uncorked together by one scheduled flush. */
const corkedSockets: { transport: Pick<Writable, 'cork' | 'uncork'>; corked: { value: boolean } }[] = [];

function uncorkAll(): void {
  for (const { transport, corked } of corkedSockets.splice(0)) {
    corked.value = false;
    transport.uncork();
  }
}

/**
 * Corks a socket until the current turn's synchronous work and microtasks are done, so every
 * `next` message written to it in this turn (a hub batch reaches a subscriber as a run of
 * pushes) goes out in one writev. ws corks and uncorks around each frame itself; corks nest, so
 * ours holds the flush. One flush per turn uncorks every socket, not one callback per socket.
 */
export function corkForThisTurn(transport: Pick<Writable, 'cork' | 'uncork'>, corked: { value: boolean }): void {
  if (corked.value) return;
  corked.value = true;
  transport.cork();
  if (corkedSockets.push({ transport, corked }) === 1) process.nextTick(uncorkAll);
}
