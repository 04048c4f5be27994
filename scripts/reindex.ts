/*
 * Rebuilds the search index from the database (the source of truth) and reports counts.
 * The embedded engine normally never needs it (its index is written by triggers in the
 * same transactions as the posts); use it after writing to the file from outside the app,
 * after restoring a backup, or to compact the index. Safe to run while the server runs.
 *
 * With Meilisearch it builds a fresh index beside the live one, swaps them atomically
 * (searches never see a half-built index) and then has the outbox workers re-apply every
 * change made while it was building.
 *
 *   npm run reindex [-- --force]
 *
 * Refuses when NODE_ENV=production unless --force (it holds the write lock while it runs).
 */
import { runMaintenanceCommand } from './maintenance-command.js';
import { createSearchEngine, reindexWithOutbox } from '../src/search/index.js';

runMaintenanceCommand({
  usage: `Usage: npm run reindex [-- --force]

Rebuilds the search index of the configured database (DATA_DIR, default ./data).
  --force  allow running against a production configuration (NODE_ENV=production)`,
  options: {},
  productionRefusal: 'Refusing to rebuild the search index of a production database (NODE_ENV=production) without --force.',
  async run(_args, { config, storage: open }) {
    const storage = await open();
    const engine = createSearchEngine(config, storage);
    const where = config.storage === 'sqlite' ? config.sqlitePath : config.storage;
    console.log(`Rebuilding the ${engine.name} index of ${where} …`);
    const report = await reindexWithOutbox(engine, storage);
    console.log(`Indexed ${report.questions} questions, ${report.answers} answers and ${report.faq} FAQ entries in ${(report.ms / 1000).toFixed(1)} s.`);
    if (engine.name === 'meili') console.log(`Swapped the new index in; ${report.requeued} changes made meanwhile are queued for the outbox workers.`);
    return 0;
  },
});
