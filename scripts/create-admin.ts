/*
 * Creates a site admin account, or promotes an existing account.
 *
 *   npm run create-admin -- --username NAME --email E --password P
 *   npm run create-admin                      (asks for what is missing)
 *   npm run create-admin -- --username NAME --promote   (existing account becomes admin)
 *
 * Uses the configured storage (DATA_DIR etc., same environment as the server). Refuses
 * when NODE_ENV=production unless --force, like every script that writes data.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { runMaintenanceCommand } from './maintenance-command.js';
import { createServices } from '../src/services/index.js';
import { ValidationError } from '../src/domain/errors.js';
import { normaliseUsername } from '../src/domain/account-rules.js';
import { translate } from '../src/i18n/index.js';

const USAGE = `Usage: npm run create-admin -- [--username NAME] [--email EMAIL] [--password PASSWORD] [--promote] [--force]

  --username  account name (asked for when missing)
  --email     e-mail address for a new account (asked for when missing)
  --password  password for a new account (asked for, without echo, when missing;
              prefer the prompt: a password on the command line lands in shell history)
  --promote   if the account already exists, make it a site admin
  --force     allow running against a production configuration (NODE_ENV=production)`;

class Prompter {
  private readonly muted = { on: false };
  private readonly rl: readline.Interface;
  // Reading through the async iterator buffers lines, so piped input is never lost
  // between two questions (rl.question drops lines that arrive while none is pending).
  private readonly lines: AsyncIterator<string>;

  constructor() {
    const muted = this.muted;
    // Echo goes through this stream so that typed password characters can be swallowed.
    const output = new Writable({
      write(chunk, _encoding, callback) {
        if (!muted.on) process.stdout.write(chunk);
        callback();
      },
    });
    this.rl = readline.createInterface({ input: process.stdin, output, terminal: Boolean(process.stdin.isTTY) });
    this.lines = this.rl[Symbol.asyncIterator]();
  }

  async ask(question: string): Promise<string> {
    process.stdout.write(question);
    const next = await this.lines.next();
    if (next.done) throw new Error('input ended before every value was given');
    return next.value;
  }

  async askHidden(question: string): Promise<string> {
    if (!process.stdin.isTTY) return this.ask(question);
    process.stdout.write(question);
    this.muted.on = true;
    try {
      return await this.ask('');
    } finally {
      this.muted.on = false;
      process.stdout.write('\n');
    }
  }

  close(): void {
    this.rl.close();
  }
}

function describeValidation(err: ValidationError): string {
  return Object.entries(err.fields)
    .map(([field, e]) => `  - ${field}: ${translate('en', e.key, { field, ...(e.params ?? {}) })}`)
    .join('\n');
}

runMaintenanceCommand({
  usage: USAGE,
  options: {
    username: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    promote: { type: 'boolean', default: false },
  },
  productionRefusal: 'Refusing to change a production database (NODE_ENV=production). Re-run with --force if you mean it.',
  async run(args, { config, storage: open }) {
    const prompter = args.username && args.email && args.password ? null : new Prompter();
    try {
      const username = normaliseUsername(args.username ?? (await prompter!.ask('Username: ')));
      if (username === '') {
        console.error('A username is required.');
        return 2;
      }

      const storage = await open();
      const services = createServices(storage, config);
      const where = config.storage === 'sqlite' ? config.sqlitePath : config.storage;

      const existing = await storage.users.findByUsername(username);
      if (existing) {
        if (existing.isAdmin) {
          console.log(`"${existing.username}" is already a site admin (${where}). Nothing changed.`);
          return 0;
        }
        if (!args.promote) {
          console.error(`The account "${existing.username}" already exists. Re-run with --promote to make it a site admin.`);
          return 1;
        }
        await storage.users.setAdmin(existing.id, true);
        console.log(`Promoted "${existing.username}" to site admin (${where}).`);
        return 0;
      }

      const email = args.email ?? (await prompter!.ask('E-mail: '));
      let password = args.password;
      if (password === undefined) {
        password = await prompter!.askHidden('Password: ');
        if (process.stdin.isTTY) {
          const again = await prompter!.askHidden('Password again: ');
          if (again !== password) {
            console.error('The passwords do not match. Nothing was created.');
            return 1;
          }
        }
      }

      try {
        // An operator may deliberately pick a reserved name such as "admin" for the admin account.
        const user = await services.auth.register({ username, email, password }, { isAdmin: true, allowReserved: true });
        console.log(`Created site admin "${user.username}" <${user.email}> (${where}). Log in at ${config.baseUrl}/login`);
        return 0;
      } catch (err) {
        if (err instanceof ValidationError) {
          console.error(`Could not create the account:\n${describeValidation(err)}`);
          return 1;
        }
        throw err;
      }
    } finally {
      prompter?.close();
    }
  },
});
