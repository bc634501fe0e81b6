import { createInterface } from 'node:readline';
// Not '@e3d/api': that loads the whole server, seconds of start-up for one INSERT.
import { createOwner } from '@e3d/api/staff-bootstrap';
import { migrate } from '@e3d/db';
import type { Command } from 'commander';
import { config, openDb } from '../context.ts';

export function registerStaffCommands(program: Command) {
  const staff = program.command('staff').description('staff accounts');

  staff
    .command('create-owner')
    .description('create an owner (every permission): the first staff account of a shop')
    .requiredOption('--email <email>', 'sign-in email')
    .option('--name <name>', 'display name', 'Owner')
    .option(
      '--password <password>',
      'at least 10 characters; asked for, or generated and printed once, when left out',
    )
    .action(async (options: { email: string; name: string; password?: string }) => {
      const password = options.password ?? (await askPassword());
      const cfg = config();
      const database = await openDb(cfg, 'e3d-staff');
      try {
        await migrate(database);
        const result = await createOwner(database, { email: options.email, name: options.name, password });
        if (!result.created) throw new Error(`staff member ${result.email} already exists; nothing changed`);
        console.log(`created owner ${result.email}`);
        if (result.generated) {
          console.log(`password: ${result.password}`);
          console.log('(shown once: it is stored only as a hash)');
        }
      } finally {
        await database.close();
      }
    });
}

/**
 * At a terminal, asks for the password without echoing it; empty (or no terminal) means
 * "generate one".
 */
async function askPassword(): Promise<string | undefined> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const prompt = 'password (empty: generate one): ';
  // Echo nothing of what is typed, only the prompt itself.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
    if (s.includes(prompt)) process.stdout.write(prompt);
  };
  try {
    const answer = await new Promise<string>((resolve) => rl.question(prompt, resolve));
    process.stdout.write('\n');
    return answer === '' ? undefined : answer;
  } finally {
    rl.close();
  }
}
