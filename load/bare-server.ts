/**
 * The ceiling for the API benchmark: Fastify answering one route with fixed bytes (the API's
 * own product-detail body), no validation, no hooks, no cache, no database. The API can only
 * be slower; the bench reports how much.
 *
 * Env: BARE_BODY_FILE (the bytes to serve), PORT, HOST.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const bodyFile = process.env.BARE_BODY_FILE;
if (!bodyFile) throw new Error('BARE_BODY_FILE must name the file whose bytes GET /bare returns');
const body = readFileSync(bodyFile);

const app = Fastify({ logger: false });
app.get('/bare', (_request, reply) => {
  reply.type('application/json; charset=utf-8').send(body);
});

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
