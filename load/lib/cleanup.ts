/**
 * Undo steps (stop a child, drop a database, remove a folder), run newest first when a
 * section ends, however it ends. A signal runs every open scope before the process exits,
 * so an interrupted bench leaves no databases or processes behind.
 */
export type Defer = (step: () => Promise<void>) => void;

const openScopes = new Set<(() => Promise<void>)[]>();

async function runSteps(steps: (() => Promise<void>)[]): Promise<void> {
  openScopes.delete(steps);
  for (let step = steps.pop(); step; step = steps.pop()) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup: ${(error as Error).message}`);
    }
  }
}

export async function withCleanup<T>(body: (defer: Defer) => Promise<T>): Promise<T> {
  const steps: (() => Promise<void>)[] = [];
  openScopes.add(steps);
  try {
    return await body((step) => steps.push(step));
  } finally {
    await runSteps(steps);
  }
}

export function cleanUpOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      console.error(`\n${signal}: cleaning up`);
      for (const steps of [...openScopes]) await runSteps(steps);
      // The shell's convention: 128 + the signal's number.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
