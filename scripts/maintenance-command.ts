import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AppConfig } from '../src/config.js';
import { createStorageAsync } from '../src/db/index.js';
import type { Storage } from '../src/db/ports.js';
import { scriptConfig } from './script-config.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Every maintenance command takes these two. */
const COMMON_OPTIONS = {
  force: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsOptionsConfig;

type Values<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O & typeof COMMON_OPTIONS; strict: true }>>['values'];

export interface CommandContext {
  config: AppConfig;
  /** The configured storage, opened on first use and closed when the command ends. */
  storage(): Promise<Storage>;
}

export interface MaintenanceCommand<O extends ParseArgsOptionsConfig> {
  usage: string;
  /** The command's own options (--force and --help are added). */
  options: O;
  /** Printed, with exit code 2, when the configuration is a production one and --force is missing. */
  productionRefusal: string;
  /** The work; resolves to the process's exit code. */
  run(args: Values<O>, context: CommandContext): Promise<number>;
}

/**
 * Runs a maintenance script the same way every time: bad arguments print the usage (exit 2),
 * --help prints it (exit 0), a bad environment exits 1, a production configuration without
 * --force is refused (exit 2), and the storage the command opened is closed however it ends.
 * The process exits explicitly: services may hold timers that would keep it alive.
 */
export function runMaintenanceCommand<O extends ParseArgsOptionsConfig>(command: MaintenanceCommand<O>): void {
  execute(command).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

async function execute<O extends ParseArgsOptionsConfig>(command: MaintenanceCommand<O>): Promise<number> {
  let args: Values<O> & { force: boolean; help: boolean };
  try {
    args = parseArgs({ options: { ...command.options, ...COMMON_OPTIONS }, strict: true, allowPositionals: false }).values as Values<O> & { force: boolean; help: boolean };
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${command.usage}`);
    return 2;
  }
  if (args.help) {
    console.log(command.usage);
    return 0;
  }
  const config = scriptConfig(args.force, command.productionRefusal);
  if (typeof config === 'number') return config;
  const opened: { storage?: Promise<Storage> } = {};
  try {
    return await command.run(args, { config, storage: () => (opened.storage ??= createStorageAsync(config)) });
  } finally {
    if (opened.storage) await (await opened.storage).close();
  }
}
