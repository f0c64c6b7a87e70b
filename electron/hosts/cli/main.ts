#!/usr/bin/env node
/**
 * The `meridian` command: the workstation's operations for scripts and
 * scheduled jobs. Exit codes: 0 success; 1 rejected input or a rule
 * violation (one line per problem on stderr, with its code); 2 wrong usage.
 */
import { Command, CommanderError } from 'commander';
import { isMeridianError } from '../../../shared/errors';
import { registerAllocationCommands } from './commands/allocation';
import { registerCapitalCallCommands } from './commands/capital-call';
import { registerCreditCommands } from './commands/credit';
import { registerDataCommands } from './commands/data';
import { registerExportCommands } from './commands/export';
import { registerSyncCommands } from './commands/sync';
import type { GlobalOptions } from './context';
import { problemLine } from './output';
import { UsageError } from './usage';

export function buildProgram(): Command {
  const program = new Command('meridian')
    .description('Meridian workstation: imports, exports, metrics, allocations and capital calls on the local profile')
    .option('--db <file>', 'profile database file (or MERIDIAN_DB)')
    .option('--profile <name>', 'profile under MERIDIAN_HOME (default: "default")')
    .showHelpAfterError()
    .exitOverride();
  const globals = () => program.opts<GlobalOptions>();
  registerDataCommands(program, globals);
  registerExportCommands(program, globals);
  registerAllocationCommands(program, globals);
  registerCapitalCallCommands(program, globals);
  registerSyncCommands(program, globals);
  registerCreditCommands(program, globals); // after data: adds `import financials`
  program.commands.forEach(function override(c: Command) {
    c.exitOverride();
    c.commands.forEach(override);
  });
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2; // commander already printed the message
    }
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    if (isMeridianError(e)) {
      for (const p of e.problems) console.error(problemLine(p));
      return 1;
    }
    console.error(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isEntry) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
