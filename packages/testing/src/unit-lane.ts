import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterEach } from 'vitest';

/**
 * Setup of the unit lane (`*.unit.test.ts`, `pnpm test:unit`): those files must not reach a
 * database, Redis or a child process, so the lane stays fast on any machine. Connecting to the
 * Postgres or Redis port fails like a refused connection, spawning a process throws, and the
 * test that tried fails even when a library swallowed the error; the embedded database is
 * fenced off by the lane's alias (no-embedded-database.ts). A file that needs any of them
 * belongs in the full suite: name it `*.test.ts`.
 */
const FORBIDDEN_PORTS = new Map([
  [5432, 'Postgres'],
  [6379, 'Redis'],
]);
const CHILD_PROCESS_FUNCTIONS = [
  'spawn',
  'spawnSync',
  'exec',
  'execSync',
  'execFile',
  'execFileSync',
  'fork',
];

// The lane's files share a process per worker (isolate: false) and this file runs before each:
// the guards go in once, and the violations list is the process's.
const LANE = Symbol.for('e3d.unit-lane');
const processState = globalThis as { [LANE]?: string[] };
const firstRun = processState[LANE] === undefined;
processState[LANE] ??= [];
const violations = processState[LANE];

export function refuse(what: string): Error {
  const message = `the unit lane has no ${what}: name this file *.test.ts (full suite), not *.unit.test.ts`;
  violations.push(message);
  return new Error(message);
}

function portOf(args: unknown[]): number | undefined {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]; // net.connect passes [options, cb]
  if (typeof first === 'number') return first;
  if (typeof first === 'string' && /^\d+$/.test(first)) return Number(first);
  if (first && typeof first === 'object' && 'port' in first) return Number((first as { port: unknown }).port);
  return undefined;
}

if (firstRun) {
  const connect = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const port = portOf(args);
    const service = port === undefined ? undefined : FORBIDDEN_PORTS.get(port);
    if (!service) return connect.apply(this, args);
    // Like a refused connection, so drivers reject at once instead of waiting on a pool.
    const error = refuse(`${service} (port ${port})`);
    process.nextTick(() => this.destroy(error));
    return this;
  } as typeof net.Socket.prototype.connect;

  for (const name of CHILD_PROCESS_FUNCTIONS) {
    (childProcess as unknown as Record<string, unknown>)[name] = () => {
      throw refuse(`child processes (child_process.${name})`);
    };
  }
  // `import { spawn } from 'node:child_process'` sees the replacements too.
  syncBuiltinESMExports();
}

afterEach(() => {
  const seen = violations.splice(0);
  if (seen.length > 0) throw new Error(seen[0]);
});
