/**
 * Renders GLB models in Debian's Chromium (WebGL in software: SwiftShader through ANGLE) with
 * three.js, driven by playwright-core. One browser and one page serve every render; the page
 * is render-page.js, served by render-server.ts.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startRenderServer } from './render-server.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** One render can take seconds in software; a hung one should not hang the bench. */
const RENDER_TIMEOUT_MS = 60_000;

/** Where the camera is and what it looks at, in the model's units (from the original's bounds). */
export interface RenderCamera {
  fov: number;
  position: [number, number, number];
  target: [number, number, number];
  near: number;
  far: number;
  box: { min: [number, number, number]; max: [number, number, number] };
}

export interface Render {
  png: Buffer;
  camera: RenderCamera;
  /** Load + decode + render + read back, inside the page. */
  ms: number;
}

export interface WebGLInfo {
  version: string;
  renderer: string;
  three: string;
}

export interface ModelRenderer {
  browserVersion: string;
  webgl: WebGLInfo;
  size: number;
  /** Renders the model; with `camera` from that camera, otherwise framed from its own bounds. */
  render(glb: Uint8Array, camera?: RenderCamera): Promise<Render>;
  close(): Promise<void>;
}

interface PageWindow {
  rendererReady?: boolean;
  renderModel(input: { url: string; camera?: RenderCamera }): Promise<{
    png: string;
    camera: RenderCamera;
    ms: number;
  }>;
  webglInfo(): WebGLInfo;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startRenderer(options: { size: number }): Promise<ModelRenderer> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} not found: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  const server = await startRenderServer();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: options.size, height: options.size } });
    // Only our own server: anything else (a CDN, a telemetry ping) is refused, not fetched.
    await context.route('**/*', (route) =>
      route.request().url().startsWith(`${server.origin}/`)
        ? route.continue()
        : route.abort('blockedbyclient'),
    );
    const page: Page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    const takeErrors = () => (pageErrors.length ? ` (page: ${pageErrors.splice(0).join(' | ')})` : '');

    await page.goto(`${server.origin}/?size=${options.size}`);
    await page
      .waitForFunction(() => (globalThis as unknown as PageWindow).rendererReady === true, undefined, {
        timeout: RENDER_TIMEOUT_MS,
      })
      .catch((error: Error) => {
        throw new Error(`the render page did not start: ${error.message}${takeErrors()}`);
      });
    const webgl = await page.evaluate(() => (globalThis as unknown as PageWindow).webglInfo());
    const openBrowser = browser;

    return {
      browserVersion: openBrowser.version(),
      webgl,
      size: options.size,
      async render(glb, camera) {
        const url = server.addModel(glb);
        try {
          const result = await withTimeout(
            page.evaluate((input) => (globalThis as unknown as PageWindow).renderModel(input), {
              url,
              ...(camera && { camera }),
            }),
            RENDER_TIMEOUT_MS,
            'render',
          );
          const base64 = result.png.replace(/^data:image\/png;base64,/, '');
          return { png: Buffer.from(base64, 'base64'), camera: result.camera, ms: result.ms };
        } catch (error) {
          throw new Error(`render failed: ${(error as Error).message}${takeErrors()}`);
        } finally {
          server.removeModel(url);
        }
      },
      async close() {
        await openBrowser.close().catch(() => {});
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await server.close();
    throw error;
  }
}
