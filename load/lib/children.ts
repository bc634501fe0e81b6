import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: children run from here so `--import tsx` and workspace packages resolve. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServiceProcess {
  name: string;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

/** Every child still running, so an exit path we did not plan for can still kill them. */
const running = new Set<ChildProcess>();

// 'exit' handlers must be synchronous: SIGKILL is the only thing that still works here.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Keeps the last lines a child printed, to explain why it died or never became ready. */
function captureOutput(child: ChildProcess, name: string): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim()) lines.push(`[${name}] ${line}`);
    }
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

/**
 * Runs a TypeScript entry point in its own Node process (so it gets its own core, apart from
 * the load generator) and resolves once `readyPath` answers 2xx.
 */
export async function startService(options: {
  name: string;
  script: string;
  port: number;
  env: Record<string, string>;
  readyPath: string;
  timeoutMs?: number;
}): Promise<ServiceProcess> {
  const { name, port } = options;
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(REPO_ROOT, options.script)], {
    cwd: REPO_ROOT,
    // Only what Node itself needs: settings a developer exported (S3_BUCKET, DATABASE_URL…)
    // must not leak into the service under test.
    env: { ...pick(process.env, ['PATH', 'HOME', 'TMPDIR']), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const output = captureOutput(child, name);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });

  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = { name, url, stop: () => stopChild(child, exited) };
  try {
    await waitUntilReady(`${url}${options.readyPath}`, exited, options.timeoutMs ?? 30_000);
  } catch (error) {
    await service.stop();
    throw new Error(`${name} did not start: ${(error as Error).message}\n${output()}`);
  }
  // A child that dies mid-run would otherwise show up only as connection errors.
  void exited.then((code) => {
    if (code !== 0 && code !== null) console.error(`${name} exited with code ${code}\n${output()}`);
  });
  return service;
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (env[n] === undefined ? [] : [[n, env[n]]])));
}

async function waitUntilReady(url: string, exited: Promise<number | null>, timeoutMs: number) {
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error('the process exited');
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** SIGTERM lets the API close its pools; SIGKILL if it has not gone after a few seconds. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
