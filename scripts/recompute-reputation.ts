/**
 * Rebuilds every post's score and every user's reputation from the vote rows and accepted
 * answers. The incremental counters must always agree with it; a non-zero change count
 * means something wrote around the vote repository.
 *
 *   npm run recompute-reputation [-- --force]   (refuses NODE_ENV=production without --force)
 */
import { loadConfig } from '../src/config.js';
import { createStorageAsync } from '../src/db/index.js';

const force = process.argv.includes('--force');
const config = loadConfig();
if (config.env === 'production' && !force) {
  console.error('Refusing to run against a production configuration without --force.');
  process.exit(2);
}
const storage = await createStorageAsync(config);
try {
  const started = Date.now();
  const result = await storage.votes.recomputeAll();
  console.log(`Recomputed from votes in ${Date.now() - started} ms: ${result.postsChanged} post scores and ${result.usersChanged} reputations changed.`);
} finally {
  await storage.close();
}
