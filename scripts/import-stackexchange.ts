/*
 * Imports a Stack Exchange data dump into a community of the configured database.
 *
 *   npm run import:stackexchange -- --dir DIR --community SLUG
 *        [--create --kind interest|business --name NAME] [--site-url URL] [--licence TEXT] [--force]
 *
 * Re-running skips what is already imported; an interrupted run resumes. Refuses
 * NODE_ENV=production unless --force. See the README ("Importing a community").
 */
import fs from 'node:fs';
import path from 'node:path';
import { runMaintenanceCommand } from './maintenance-command.js';
import { checkCommunity } from '../src/domain/community-rules.js';
import { ValidationError } from '../src/domain/errors.js';
import { renderMarkdown } from '../src/markdown/render.js';
import { formatSummary, lineProgress, terminalProgress } from '../src/services/import/progress.js';
import { siteUrlFromDir, StackExchangeImporter } from '../src/services/import/stackexchange-importer.js';
import { DumpFormatError } from '../src/services/import/xml-rows.js';
import { createSearchEngine } from '../src/search/index.js';

const USAGE = `Usage: npm run import:stackexchange -- --dir DIR --community SLUG [options]

  --dir DIR          the dump directory (Posts.xml required; Users, Votes, Comments, Tags, PostLinks optional)
  --community SLUG   the community to import into
  --create           create the community first (with --kind and --name)
  --kind KIND        interest or business (default interest)
  --name NAME        the new community's name (default: the slug)
  --site-url URL     the original site, for attribution links (default: from the directory name,
                     e.g. quantumcomputing.stackexchange -> https://quantumcomputing.stackexchange.com)
  --licence TEXT     licence named in the attribution (default "CC BY-SA 3.0")
  --force            allow NODE_ENV=production`;

runMaintenanceCommand({
  usage: USAGE,
  options: {
    dir: { type: 'string' },
    community: { type: 'string' },
    create: { type: 'boolean', default: false },
    kind: { type: 'string', default: 'interest' },
    name: { type: 'string' },
    'site-url': { type: 'string' },
    licence: { type: 'string', default: 'CC BY-SA 3.0' },
  },
  productionRefusal: 'Refusing to import into a production database (NODE_ENV=production) without --force.',
  async run(args, { config, storage: open }) {
    if (!args.dir || !args.community) {
      console.error(USAGE);
      return 2;
    }
    const dir = path.resolve(args.dir);
    if (!fs.existsSync(path.join(dir, 'Posts.xml'))) {
      console.error(`${dir} has no Posts.xml: not a Stack Exchange dump directory.`);
      return 2;
    }
    const siteUrl = args['site-url'] ?? siteUrlFromDir(dir);
    if (!siteUrl || !/^https?:\/\/[^/\s]+/.test(siteUrl)) {
      console.error('Cannot tell the original site from the directory name: pass --site-url https://… (used in attribution links).');
      return 2;
    }
    try {
      const storage = await open();
      let community = await storage.communities.findBySlug(args.community);
      if (!community && args.create) {
        let checked;
        try {
          checked = checkCommunity({ slug: args.community, name: args.name ?? args.community, kind: args.kind ?? 'interest', description: '', defaultLocale: 'en' }, { checkSlug: true });
        } catch (err) {
          if (err instanceof ValidationError) {
            console.error(`Cannot create the community: ${Object.entries(err.fields).map(([f, e]) => `${f} (${e.key})`).join(', ')}`);
            return 2;
          }
          throw err;
        }
        community = await storage.communities.create({ ...checked, descriptionHtml: renderMarkdown(checked.descriptionMd).html });
        console.log(`Created the ${checked.kind} community "${checked.name}" (/c/${checked.slug}).`);
      }
      if (!community) {
        console.error(`No community "${args.community}". Pass --create (with --kind and --name) to create it.`);
        return 2;
      }
      const importer = new StackExchangeImporter({
        users: storage.users,
        memberships: storage.memberships,
        imports: storage.imports,
        moderation: storage.moderation,
        progress: process.stderr.isTTY ? terminalProgress() : lineProgress(),
      });
      const summary = await importer.run({ dir, communityId: community.id, communitySlug: community.slug, siteUrl, licence: args.licence ?? 'CC BY-SA 3.0' });
      console.log(formatSummary(summary));
      // An import writes thousands of transactions, each a new segment of the embedded index:
      // merged here in one go, as nobody waits (a running server only merges in small steps).
      const engine = createSearchEngine(config, storage);
      if (engine.compactIndex) {
        const merged = await engine.compactIndex({ budgetMs: 0, whole: true });
        console.log(`Search index merged: ${merged.segmentsBefore} segments -> ${merged.segmentsAfter} in ${(merged.workMs / 1000).toFixed(1)} s.`);
      }
      if (config.search === 'meili') console.log('Search: the changes are in the search outbox; a running server sends them to Meilisearch.');
      return 0;
    } catch (err) {
      if (err instanceof DumpFormatError) {
        console.error(`\nMalformed XML in ${err.file} at line ${err.line}, column ${err.column}: ${err.detail}`);
        console.error('Nothing from the unfinished batch was stored; fix the file and run the same command again to resume.');
        return 1;
      }
      throw err;
    }
  },
});
