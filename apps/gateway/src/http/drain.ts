import type { ServerResponse } from 'node:http';

/**
 * Waits until a streaming response can take more data. Resolves true once it drained, false
 * once the connection closed. A client that lets `stallTimeoutMs` pass without the socket
 * draining has stopped reading: its connection is destroyed (resolving false), so a stalled
 * client holds no socket, buffers or stream on the gateway for longer than that.
 */
export function waitForDrain(response: ServerResponse, stallTimeoutMs: number): Promise<boolean> {
  if (response.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (drained: boolean) => {
      clearTimeout(timer);
      response.off('drain', onDrain);
      response.off('close', onClose);
      resolve(drained);
    };
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    const timer = setTimeout(() => {
      finish(false);
      response.destroy();
    }, stallTimeoutMs);
    response.on('drain', onDrain);
    response.on('close', onClose);
  });
}
