import { createServer } from 'node:net';

/**
 * Ports the OS says are free right now on 127.0.0.1. All are held open together, so no two are
 * the same; another process could still take one before the caller binds it, which tests and
 * benches can live with.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            resolve(typeof address === 'object' && address ? address.port : 0);
          });
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** One free port on 127.0.0.1 (see freePorts). */
export async function freePort(): Promise<number> {
  const [port = 0] = await freePorts(1);
  return port;
}
