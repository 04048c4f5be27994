/*
 * Seeds the demo communities and accounts (src/seed/demo-data.ts) into the configured
 * DATA_DIR, only when the database is empty. The server does the same on first start
 * unless SEED_DEMO=false; this script is for databases created with seeding off.
 *
 *   npm run seed [-- --force]
 *
 * Refuses when NODE_ENV=production unless --force: demo accounts share a known password.
 */
import { runMaintenanceCommand } from './maintenance-command.js';
import { createServices } from '../src/services/index.js';
import { seedIfEmpty } from '../src/seed/demo-content.js';
import { DEMO_PASSWORD, demoUsers } from '../src/seed/demo-data.js';

runMaintenanceCommand({
  usage: `Usage: npm run seed [-- --force]

Fills an empty database (DATA_DIR, default ./data) with demo communities and accounts.
  --force  allow running against a production configuration (NODE_ENV=production)`,
  options: {},
  productionRefusal: 'Refusing to seed demo accounts (shared, published password) into a production database (NODE_ENV=production). Re-run with --force if you mean it.',
  async run(_args, { config, storage: open }) {
    const where = config.storage === 'sqlite' ? config.sqlitePath : config.storage;
    const storage = await open();
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
  },
});
