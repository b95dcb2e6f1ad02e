import type { ServerResponse } from 'node:http';

/**
 * A body that fails midway must not end like a complete response: closing the socket without the
 * final chunk tells the client (and its retry logic) that the reply was cut off. The socket is ended
 * rather than destroyed at once, so the chunks already written still reach the client first.
 */
export function dropConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket || socket.destroyed) {
    res.destroy();
    return;
  }
  // A client that stopped reading would keep an ended socket open forever.
  const timer = setTimeout(() => socket.destroy(), 10_000);
  timer.unref();
  socket.end(() => {
    clearTimeout(timer);
    socket.destroy();
  });
}
