import type { FastifyInstance } from 'fastify';

/**
 * Lets keep-alive clients go while the app closes. close() stops accepting and Node closes the
 * sockets idle at that moment, but a request already in flight would be answered as keep-alive:
 * its socket would then sit idle for keepAliveTimeout, holding close() (and the process) up to
 * the shutdown deadline. So, once closing, every response says `Connection: close` and Node
 * ends its socket as soon as it is sent. Requests arriving on a kept-alive socket meanwhile get
 * Fastify's own 503 with `Connection: close` (`return503OnClosing`).
 */
export function registerDrain(app: FastifyInstance) {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    // HTTP/2 has no Connection header; its sessions are closed by Fastify itself.
    if (closing && request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
  });
}
