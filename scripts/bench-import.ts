/*
 * Import throughput: imports a Stack Exchange dump into a fresh throw-away SQLite database
 * (embedded search index written by its triggers, as in production use) and prints the
 * time per file and posts per second.
 *
 *   npm run bench -- --import [--dir DIR]      (default: the shared quantumcomputing dump)
 *   npx tsx scripts/bench-import.ts [--dir DIR] [--json FILE]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSqliteStorage } from '../src/db/sqlite/index.js';
import { refuseProduction } from './bench-lib/cli.js';
import { StackExchangeImporter } from '../src/services/import/stackexchange-importer.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** ../shared from the repository, or two levels up from a worktree. */
export function defaultDumpDir(): string | null {
  for (const shared of [path.resolve(ROOT, '../shared'), path.resolve(ROOT, '../../shared')]) {
    const dir = path.join(shared, 'datasets/quantumcomputing.stackexchange');
    if (fs.existsSync(path.join(dir, 'Posts.xml'))) return dir;
  }
  return null;
}

export async function benchImport(options: { dir?: string; json?: string; force?: boolean }): Promise<number> {
  refuseProduction(options.force ?? false, 'run the import benchmark');
  const dir = options.dir ? path.resolve(options.dir) : defaultDumpDir();
  if (!dir || !fs.existsSync(path.join(dir, 'Posts.xml'))) {
    console.error('No dump directory: pass --dir DIR (a directory with Posts.xml).');
    return 2;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const storage = createSqliteStorage(path.join(tmp, 'forum.sqlite'));
  try {
    const community = await storage.communities.create({ slug: 'bench-import', name: 'Import benchmark', kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
    const importer = new StackExchangeImporter({ users: storage.users, memberships: storage.memberships, imports: storage.imports, moderation: storage.moderation });
    const summary = await importer.run({ dir, communityId: community.id, communitySlug: community.slug, siteUrl: 'https://example.stackexchange.com', licence: 'CC BY-SA 3.0' });
    const posts = summary.files.find((f) => f.file === 'Posts.xml')!;
    const seconds = summary.elapsedMs / 1000;
    console.log(`Import benchmark: ${dir}`);
    console.log('file            rows   imported   seconds');
    for (const f of summary.files) {
      if (!f.present) continue;
      console.log(`${f.file.padEnd(14)} ${String(f.rows).padStart(6)} ${String(f.imported).padStart(10)} ${(f.elapsedMs / 1000).toFixed(2).padStart(9)}`);
    }
    console.log(`total: ${seconds.toFixed(2)} s; ${posts.imported} posts -> ${(posts.imported / seconds).toFixed(0)} posts/s over the whole import, ${(posts.imported / (posts.elapsedMs / 1000)).toFixed(0)} posts/s in Posts.xml alone`);
    if (options.json) {
      fs.writeFileSync(
        options.json,
        JSON.stringify({ dir, seconds, posts: posts.imported, postsPerSecond: posts.imported / seconds, files: summary.files.map((f) => ({ ...f, refused: Object.fromEntries(f.refused) })) }, null, 2),
      );
    }
    return 0;
  } finally {
    await storage.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, json: { type: 'string' }, force: { type: 'boolean', default: false } }, strict: true });
  benchImport(values).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
