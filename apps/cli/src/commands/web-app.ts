import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface WebApp {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs one of the Next.js apps (storefront, admin) for the quick start: `next dev` in its folder,
 * pointed at the API. Resolves once Next says it is ready; a line of its errors goes to stderr.
 */
export async function startWebApp(options: {
  name: string;
  folder: string;
  url: string;
  env: Record<string, string>;
  /** A Node script and its arguments, run before Next (e.g. copying the 3D decoders into public/). */
  prepare?: string[];
}): Promise<WebApp | null> {
  const dir = path.join(repoRoot, options.folder);
  const nextBin = path.join(dir, 'node_modules', 'next', 'dist', 'bin', 'next');
  if (!existsSync(nextBin)) {
    console.warn(`${options.name}: ${options.folder} is not installed (pnpm install); skipped`);
    return null;
  }
  if (options.prepare) {
    const prepared = spawnSync(process.execPath, options.prepare, { cwd: dir, stdio: 'pipe' });
    if (prepared.status !== 0) throw new Error(`${options.name}: ${prepared.stderr.toString()}`);
  }
  const url = new URL(options.url);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const child: ChildProcess = spawn(process.execPath, [nextBin, 'dev', '--port', port], {
    cwd: dir,
    env: { ...process.env, ...options.env, NEXT_TELEMETRY_DISABLED: '1', PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => resolve(), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready in|✓ Ready/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      onData(chunk);
      const text = chunk.toString().trim();
      if (/error/i.test(text)) console.error(`${options.name}: ${text.split('\n')[0]}`);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code}):\n${output.slice(-2000)}`));
    });
  });
  return {
    name: options.name,
    url: options.url.replace(/\/$/, ''),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
