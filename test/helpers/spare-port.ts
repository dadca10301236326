/** Ports on loopback for tests: one nothing listens on, one already taken. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';

/** A port on 127.0.0.1 that was free a moment ago (the OS hands out a fresh one each time). */
export async function sparePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A listener holding a port on 127.0.0.1, so a second listener there fails with EADDRINUSE. */
export async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, server };
}
