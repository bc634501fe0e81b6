/**
 * A tiny HTTP server on 127.0.0.1 for the render page: the page itself, three.js (and its
 * Draco / Basis / Meshopt decoders) straight from node_modules, and the models being compared,
 * from memory. Nothing is fetched from outside this machine.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** node_modules/three (resolved from this file, so it is the root devDependency). */
export const THREE_ROOT = path.dirname(path.dirname(createRequire(import.meta.url).resolve('three')));
const PAGE_SCRIPT = fileURLToPath(new URL('./render-page.js', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.html': 'text/html; charset=utf-8',
  '.glb': 'model/gltf-binary',
};

const IMPORT_MAP = {
  imports: {
    three: '/three/build/three.module.js',
    'three/addons/': '/three/examples/jsm/',
  },
};

const PAGE = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>model bench</title>
<style>html, body { margin: 0; background: #000; } canvas { display: block; }</style>
<script type="importmap">${JSON.stringify(IMPORT_MAP)}</script>
<script type="module" src="/render-page.js"></script>
</head>
<body></body>
</html>`;

export interface RenderServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Makes `bytes` available at the returned path until `removeModel`. */
  addModel(bytes: Uint8Array): string;
  removeModel(modelPath: string): void;
  close(): Promise<void>;
}

export async function startRenderServer(): Promise<RenderServer> {
  const models = new Map<string, Uint8Array>();
  let nextId = 1;

  const server: Server = createServer((request, response) => {
    const send = (status: number, body: string | Uint8Array, type = 'text/plain; charset=utf-8') => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const pathname = decodeURIComponent(url.pathname);
    if (request.method !== 'GET') return send(405, 'method not allowed');
    if (pathname === '/') return send(200, PAGE, CONTENT_TYPES['.html']);
    if (pathname === '/favicon.ico') return send(204, '');
    const model = models.get(pathname);
    if (model) return send(200, model, CONTENT_TYPES['.glb']);

    let file: string | undefined;
    if (pathname === '/render-page.js') file = PAGE_SCRIPT;
    else if (pathname.startsWith('/three/')) {
      const resolved = path.resolve(THREE_ROOT, `.${pathname.slice('/three'.length)}`);
      // Only files inside three's package: no `..` out of it.
      if (resolved.startsWith(`${THREE_ROOT}${path.sep}`)) file = resolved;
    }
    if (!file) return send(404, `not found: ${pathname}`);
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    readFile(file).then(
      (body) => send(200, body, type),
      () => send(404, `not found: ${pathname}`),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    addModel(bytes) {
      const modelPath = `/model/${nextId++}.glb`;
      models.set(modelPath, bytes);
      return modelPath;
    },
    removeModel(modelPath) {
      models.delete(modelPath);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
