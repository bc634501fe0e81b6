import { Command } from 'commander';
import { registerDbCommands } from './commands/db.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerModelCommands } from './commands/models.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerStaffCommands } from './commands/staff.ts';

/** `pnpm e3d <command>`: one entry point for operators, deploy tasks and the quick start. */
const program = new Command('e3d')
  .description('ecommerce-3d: run the platform and operate its data')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

registerDbCommands(program);
registerModelCommands(program);
registerImportCommand(program);
registerServeCommands(program);
registerStaffCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`e3d: ${(error as Error).message}`);
  process.exitCode = 1;
}
