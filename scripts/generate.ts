/*
 * Benchmark data generator: a realistic, repeatable forum database.
 *
 *   npm run generate -- --out DIR [--users N --communities N --questions N --answers N
 *                                  --votes N --faq-per-community N --seed S --now ISO-DATE --overwrite]
 *
 * Creates DIR/forum.sqlite through createSqliteStorage (so migrations and any search
 * triggers are installed exactly as the server would) and fills it with the bulk loader.
 * See docs/bench.md for the shape of the data and the rare words placed for search tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { refuseProduction, positiveInt } from './bench-lib/cli.js';
import { DEFAULT_PARAMS, databaseFile, defaultNow, generateDataset, printSummary, type GenerateParams } from './bench-lib/dataset.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    users: { type: 'string' },
    communities: { type: 'string' },
    questions: { type: 'string' },
    answers: { type: 'string' },
    votes: { type: 'string' },
    'faq-per-community': { type: 'string' },
    seed: { type: 'string' },
    now: { type: 'string' },
    overwrite: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (values.help || !values.out) {
  console.log(`Usage: npm run generate -- --out DIR [options]

  --users N              default ${DEFAULT_PARAMS.users}
  --communities N        default ${DEFAULT_PARAMS.communities}
  --questions N          default ${DEFAULT_PARAMS.questions}
  --answers N            default ${DEFAULT_PARAMS.answers}
  --votes N              default ${DEFAULT_PARAMS.votes}
  --faq-per-community N  default ${DEFAULT_PARAMS.faqPerCommunity} (only when the FAQ tables exist)
  --seed S               default "${DEFAULT_PARAMS.seed}"; same seed and date give the same data
  --now ISO-DATE         reference date (default: today 00:00 UTC); content spans the two years before
  --overwrite            replace an existing DIR/forum.sqlite
  --force                allow running with NODE_ENV=production`);
  process.exit(values.help ? 0 : 2);
}

refuseProduction(values.force, 'generate benchmark data');

let now = defaultNow();
if (values.now !== undefined) {
  now = Date.parse(values.now);
  if (Number.isNaN(now)) {
    console.error(`--now must be a date such as 2025-01-31 (got "${values.now}")`);
    process.exit(2);
  }
}

const params: GenerateParams = {
  users: positiveInt('users', values.users, DEFAULT_PARAMS.users, 2),
  communities: positiveInt('communities', values.communities, DEFAULT_PARAMS.communities, 1),
  questions: positiveInt('questions', values.questions, DEFAULT_PARAMS.questions, 1),
  answers: positiveInt('answers', values.answers, DEFAULT_PARAMS.answers),
  votes: positiveInt('votes', values.votes, DEFAULT_PARAMS.votes),
  faqPerCommunity: positiveInt('faq-per-community', values['faq-per-community'], DEFAULT_PARAMS.faqPerCommunity),
  seed: values.seed ?? DEFAULT_PARAMS.seed,
  now,
};

const dir = path.resolve(values.out);
const file = databaseFile(dir);
if (fs.existsSync(file)) {
  if (!values.overwrite) {
    console.error(`${file} already exists. Pass --overwrite to replace it, or choose another --out.`);
    process.exit(2);
  }
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

try {
  const summary = await generateDataset(dir, params);
  printSummary(summary);
  const failed = summary.checks.some((c) => c.bad > 0) || summary.markdownMismatches > 0;
  process.exit(failed ? 1 : 0);
} catch (err) {
  console.error(err);
  process.exit(1);
}
