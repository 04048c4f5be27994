/*
 * Seeds the demo communities and accounts (src/seed/demo-data.ts) into the configured
 * DATA_DIR, only when the database is empty. The server does the same on first start
 * unless SEED_DEMO=false; this script is for databases created with seeding off.
 *
 *   npm run seed [-- --force]
 *
 * Refuses when NODE_ENV=production unless --force: demo accounts share a known password.
 */
import { parseArgs } from 'node:util';
import { scriptConfig } from './script-config.js';
import { createStorageAsync } from '../src/db/index.js';
import type { Storage } from '../src/db/ports.js';
import { createServices } from '../src/services/index.js';
import { seedIfEmpty } from '../src/seed/demo-content.js';
import { DEMO_PASSWORD, demoUsers } from '../src/seed/demo-data.js';

const USAGE = `Usage: npm run seed [-- --force]

Fills an empty database (DATA_DIR, default ./data) with demo communities and accounts.
  --force  allow running against a production configuration (NODE_ENV=production)`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } }, strict: true }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }

  const config = scriptConfig(args.force, 'Refusing to seed demo accounts (shared, published password) into a production database (NODE_ENV=production). Re-run with --force if you mean it.');
  if (typeof config === 'number') return config;

  const where = config.storage === 'sqlite' ? config.sqlitePath : config.storage;
  let storage: Storage | null = null;
  try {
    storage = await createStorageAsync(config);
    const services = createServices(storage, config);
    const seeded = await seedIfEmpty(storage, services, config);
    // The demo posts' notifications are made by the event worker they kicked: let it finish
    // before the storage closes (what it leaves would wait for the server's worker).
    await services.background.events.stop();
    if (seeded) {
      console.log(`Seeded demo content into ${where}.`);
      console.log(`Demo accounts (password "${DEMO_PASSWORD}"; change it before exposing this site): ${demoUsers.map((u) => u.username).join(', ')}`);
    } else {
      console.log(`${where} already has content (or was seeded before); nothing changed.`);
    }
    return 0;
  } finally {
    await storage?.close();
  }
}

main().then(
  // Exit explicitly: services may hold timers that would otherwise keep the process alive.
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
