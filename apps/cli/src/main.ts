import { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Each top-level command and the module that registers it, loaded only when asked for: the
 * modules bring their dependencies (the API, the worker, the asset pipeline), and loading all
 * of them would make every command — a deploy task's `db migrate` too — start like `dev`.
 */
const serve = async (): Promise<Register> => (await import('./commands/serve.ts')).registerServeCommands;
const COMMANDS: Record<string, () => Promise<Register>> = {
  db: async () => (await import('./commands/db.ts')).registerDbCommands,
  models: async () => (await import('./commands/models.ts')).registerModelCommands,
  import: async () => (await import('./commands/import.ts')).registerImportCommand,
  api: serve,
  dev: serve,
  staff: async () => (await import('./commands/staff.ts')).registerStaffCommands,
};

/** `pnpm e3d <command>`: one entry point for operators, deploy tasks and the quick start. */
const program = new Command('e3d')
  .description('ecommerce-3d: run the platform and operate its data')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

// Help, a mistyped command or an option first: register everything, so commander can list it all.
const named = COMMANDS[process.argv[2] ?? ''];
for (const load of new Set(named ? [named] : Object.values(COMMANDS))) (await load())(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`e3d: ${(error as Error).message}`);
  process.exitCode = 1;
}
