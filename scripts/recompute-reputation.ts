/**
 * Rebuilds every post's score and every user's reputation from the vote rows and accepted
 * answers. The incremental counters must always agree with it; a non-zero change count
 * means something wrote around the vote repository.
 *
 *   npm run recompute-reputation [-- --force]   (refuses NODE_ENV=production without --force)
 */
import { runMaintenanceCommand } from './maintenance-command.js';

runMaintenanceCommand({
  usage: `Usage: npm run recompute-reputation [-- --force]

Rebuilds post scores and reputations from the votes of the configured database (DATA_DIR, default ./data).
  --force  allow running against a production configuration (NODE_ENV=production)`,
  options: {},
  productionRefusal: 'Refusing to run against a production configuration without --force.',
  async run(_args, { storage: open }) {
    const storage = await open();
    const started = Date.now();
    const result = await storage.votes.recomputeAll();
    console.log(`Recomputed from votes in ${Date.now() - started} ms: ${result.postsChanged} post scores and ${result.usersChanged} reputations changed.`);
    return 0;
  },
});
