import fs from 'node:fs';
import path from 'node:path';
import type { ImportBatchResult, ImportComment, ImportLink, ImportPost, ImportRepository, MembershipRepository, ModerationRepository, UserRepository } from '../../db/ports.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { normaliseTags, TAGS_MAX } from '../../domain/qa-rules.js';
import { slugify } from '../../domain/slug.js';
import { renderMarkdown, renderPlainWithLinks } from '../../markdown/render.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import { deriveUsername, suffixedUsername } from './usernames.js';
import { xmlRowBatches, type XmlRow } from './xml-rows.js';

/*
 * Imports a Stack Exchange data dump (Posts, Users, Votes, Comments, Tags, PostLinks .xml)
 * into one community, through the storage ports only, so it works on either backend.
 *
 * Order: Votes.xml is read first (counts per post only: dump votes carry no voter), then
 * users, posts, comments and links. Every batch of posts is one atomic repository call that
 * stores the posts with their votes, reputation and source ids, so a re-run skips what is
 * stored and an interrupted run resumes where it stopped.
 *
 * A duplicate link (LinkTypeId 3) whose both ends are imported questions closes the duplicate
 * into its original through the moderation port, as the system (audited `via: "import"`), so
 * the question page shows the duplicate banner and the original's duplicate count feeds the
 * FAQ candidate evidence. A question already closed is skipped, so a re-run closes nothing twice.
 */

export const DUMP_FILES = ['Votes.xml', 'Users.xml', 'Posts.xml', 'Comments.xml', 'PostLinks.xml', 'Tags.xml'] as const;
export type DumpFile = (typeof DUMP_FILES)[number];

export interface FileSummary {
  file: DumpFile;
  /** False when the file is not in the dump directory. */
  present: boolean;
  rows: number;
  imported: number;
  skipped: number;
  /** Reason -> how many rows were not imported for it. */
  refused: Map<string, number>;
  /** Time spent on this file (reading, converting and storing). */
  elapsedMs: number;
}

/** What the dump's duplicate links did to the imported questions. */
export interface DuplicateSummary {
  /** Questions closed as a duplicate of their original by this run. */
  closed: number;
  /**
   * Links whose duplicate was closed already: by an earlier run, by a moderator, or by another
   * link of the same question (a question is closed into one original; SE allows several).
   */
  alreadyClosed: number;
  /** Reason -> links with both ends imported that could not close their question. */
  refused: Map<string, number>;
}

export interface ImportSummary {
  files: FileSummary[];
  duplicates: DuplicateSummary;
  /** Synthetic vote rows written (one per dump up- or down-vote, adjusted to the dump's Score). */
  votesCreated: number;
  elapsedMs: number;
}

export interface ImportProgress {
  start(file: DumpFile, totalBytes: number): void;
  update(bytesRead: number, rows: number): void;
  finish(): void;
  /** A one-off notice (a missing file). */
  note(text: string): void;
}

export const silentProgress: ImportProgress = { start() {}, update() {}, finish() {}, note() {} };

export interface ImportOptions {
  dir: string;
  communityId: string;
  communitySlug: string;
  /** The site the dump came from, for attribution links: https://quantumcomputing.stackexchange.com */
  siteUrl: string;
  licence: string;
  batchSize?: number;
}

export interface ImporterDeps {
  users: UserRepository;
  memberships: MembershipRepository;
  imports: ImportRepository;
  /** Closes duplicates (the moderation port: its close is atomic with the audit row and the count). */
  moderation: ModerationRepository;
  progress?: ImportProgress;
}

const IMPORT_EMAIL_DOMAIN = 'import.invalid';

/**
 * The password hash of an imported account: not a hash at all, so no password ever verifies
 * against it (argon2 refuses to parse it) and the account cannot log in until it is claimed.
 * Not empty, because the MongoDB user model requires a value.
 */
export const UNCLAIMED_PASSWORD_HASH = '!unclaimed-import';

/** Dump dates are UTC without a zone: "2018-03-12T17:00:45.567". */
export function parseDumpDate(raw: string | undefined): number | null {
  if (!raw) return null;
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw}Z`);
  return Number.isNaN(t) ? null : t;
}

/** "<a><b>" (classic dumps) or "|a|b|" (newer dumps). */
export function parseDumpTags(raw: string | undefined): string[] {
  if (!raw) return [];
  const names = raw.includes('<') ? [...raw.matchAll(/<([^>]+)>/g)].map((m) => m[1]!) : raw.split('|');
  return normaliseTags(names.join(' ')).slice(0, TAGS_MAX);
}

/** "quantumcomputing.stackexchange" (the usual dump directory name) -> its site URL. */
export function siteUrlFromDir(dir: string): string | null {
  const base = path.basename(path.resolve(dir)).replace(/\.7z$/, '');
  if (/^[a-z0-9.-]+\.(stackexchange|stackoverflow|superuser|serverfault|askubuntu|mathoverflow)$/.test(base)) return `https://${base}.com`;
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|net|org)$/.test(base)) return `https://${base}`;
  return null;
}

function newFileSummary(file: DumpFile): FileSummary {
  return { file, present: true, rows: 0, imported: 0, skipped: 0, refused: new Map(), elapsedMs: 0 };
}

function refuse(summary: Pick<FileSummary, 'refused'>, reason: string, n = 1): void {
  summary.refused.set(reason, (summary.refused.get(reason) ?? 0) + n);
}

function addResult(summary: FileSummary, result: ImportBatchResult): void {
  summary.imported += result.imported;
  summary.skipped += result.skipped;
  for (const r of result.refused) refuse(summary, r.reason);
}

interface VoteCounts {
  up: number;
  down: number;
}

export class StackExchangeImporter {
  private readonly progress: ImportProgress;
  /** Dump user id -> local account id, and the dump's display names (for attribution). */
  private readonly userIds = new Map<string, string>();
  private readonly displayNames = new Map<string, string>();
  private readonly voterIds: string[] = [];
  private placeholderId: string | null = null;
  private readonly timings = new Map<DumpFile, number>();
  private readonly duplicates: DuplicateSummary = { closed: 0, alreadyClosed: 0, refused: new Map() };

  constructor(private readonly deps: ImporterDeps) {
    this.progress = deps.progress ?? silentProgress;
  }

  async run(options: ImportOptions): Promise<ImportSummary> {
    const started = Date.now();
    const batchSize = options.batchSize ?? 200;
    const file = (name: DumpFile) => path.join(options.dir, name);
    if (!fs.existsSync(file('Posts.xml'))) throw new Error(`${file('Posts.xml')} not found: a dump directory must contain Posts.xml`);
    const summaries = new Map<DumpFile, FileSummary>(DUMP_FILES.map((f) => [f, newFileSummary(f)]));
    const get = (f: DumpFile) => summaries.get(f)!;
    const present = (f: DumpFile) => {
      if (fs.existsSync(file(f))) return true;
      get(f).present = false;
      this.progress.note(`${f} not found in ${options.dir}: skipped`);
      return false;
    };
    const ctx = { ...options, batchSize };

    const votes = present('Votes.xml') ? await this.readVotes(file('Votes.xml'), ctx, get('Votes.xml')) : new Map<string, VoteCounts>();
    if (present('Users.xml')) await this.importUsers(file('Users.xml'), ctx, get('Users.xml'));
    const postIds = await this.importPosts(file('Posts.xml'), ctx, get('Posts.xml'), votes);
    const votesCreated = this.settleVotes(votes, postIds, get('Votes.xml'));
    if (present('Comments.xml')) await this.importComments(file('Comments.xml'), ctx, get('Comments.xml'));
    if (present('PostLinks.xml')) await this.importLinks(file('PostLinks.xml'), ctx, get('PostLinks.xml'));
    if (present('Tags.xml')) await this.readTags(file('Tags.xml'), ctx, get('Tags.xml'), postIds.tagsUsed, postIds.tagsSeen);
    for (const [f, ms] of this.timings) get(f).elapsedMs = ms;
    return { files: DUMP_FILES.map(get), duplicates: this.duplicates, votesCreated, elapsedMs: Date.now() - started };
  }

  /** Streams one file with progress, handing each batch of rows to `handle`. */
  private async eachBatch(filePath: string, fileName: DumpFile, batchSize: number, handle: (rows: XmlRow[]) => Promise<void>): Promise<void> {
    const started = Date.now();
    this.progress.start(fileName, fs.statSync(filePath).size);
    let rows = 0;
    let bytes = 0;
    try {
      for await (const batch of xmlRowBatches(filePath, { batchSize, onBytes: (b) => (bytes = b) })) {
        await handle(batch);
        rows += batch.length;
        this.progress.update(bytes, rows);
      }
    } finally {
      this.progress.finish();
      this.timings.set(fileName, (this.timings.get(fileName) ?? 0) + Date.now() - started);
    }
  }

  private async readVotes(filePath: string, ctx: Required<Pick<ImportOptions, 'batchSize'>>, summary: FileSummary): Promise<Map<string, VoteCounts>> {
    const counts = new Map<string, VoteCounts>();
    await this.eachBatch(filePath, 'Votes.xml', ctx.batchSize * 10, async (rows) => {
      for (const { attrs } of rows) {
        summary.rows++;
        const type = attrs.VoteTypeId;
        if (type === '1') {
          refuse(summary, 'accept votes: acceptance comes from the question\'s AcceptedAnswerId');
          continue;
        }
        if (type !== '2' && type !== '3') {
          refuse(summary, `vote type ${type ?? '?'} is not modelled (only up and down votes are)`);
          continue;
        }
        const postId = attrs.PostId;
        if (!postId) {
          refuse(summary, 'no PostId');
          continue;
        }
        const c = counts.get(postId) ?? { up: 0, down: 0 };
        if (type === '2') c.up++;
        else c.down++;
        counts.set(postId, c);
      }
    });
    return counts;
  }

  /** Votes are stored with their posts; here they are only counted for the summary. */
  private settleVotes(votes: Map<string, VoteCounts>, posts: { imported: Set<string>; skipped: Set<string>; created: number }, summary: FileSummary): number {
    for (const [postId, c] of votes) {
      const n = c.up + c.down;
      if (posts.imported.has(postId)) summary.imported += n;
      else if (posts.skipped.has(postId)) summary.skipped += n;
      else refuse(summary, 'its post is not imported', n);
    }
    return posts.created;
  }

  private importEmail(slug: string, key: string): string {
    return `se-${slug}-${key}@${IMPORT_EMAIL_DOMAIN}`.toLowerCase();
  }

  /**
   * Creates an account through the user port (so every rule the port enforces on usernames
   * applies), trying "name", "name_2", ... while the name is taken. An account whose email
   * already exists was created by an interrupted run: it is reused.
   */
  private async createAccount(email: string, base: string, displayName: string, createdAt: number): Promise<{ id: string; created: boolean }> {
    const existing = await this.deps.users.findByEmail(email);
    if (existing) return { id: existing.id, created: false };
    for (let n = 1; n < 1000; n++) {
      const username = n === 1 ? base : suffixedUsername(base, n);
      if (await this.deps.users.findByUsername(username)) continue;
      try {
        // No password: the account cannot log in until someone claims it.
        const user = await this.deps.users.create({ username, email, displayName, passwordHash: UNCLAIMED_PASSWORD_HASH, createdAt });
        return { id: user.id, created: true };
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        if (err.messageKey === 'validation.emailTaken') {
          const again = await this.deps.users.findByEmail(email);
          if (again) return { id: again.id, created: false };
          throw err;
        }
        // Any other conflict is the username (taken, or confusable with a taken one): next suffix.
      }
    }
    throw new Error(`no free username for "${displayName}"`);
  }

  private async importUsers(filePath: string, ctx: ImportOptions & { batchSize: number }, summary: FileSummary): Promise<void> {
    await this.eachBatch(filePath, 'Users.xml', ctx.batchSize, async (rows) => {
      const known = await this.deps.imports.findImported(ctx.communityId, 'user', rows.map((r) => r.attrs.Id ?? ''));
      for (const { attrs } of rows) {
        summary.rows++;
        const sourceId = attrs.Id;
        if (!sourceId) {
          refuse(summary, 'no Id');
          continue;
        }
        const displayName = (attrs.DisplayName ?? '').trim() || `user${sourceId}`;
        this.displayNames.set(sourceId, displayName);
        const mapped = known.get(sourceId);
        if (mapped) {
          this.userIds.set(sourceId, mapped);
          summary.skipped++;
          continue;
        }
        const createdAt = parseDumpDate(attrs.CreationDate) ?? Date.now();
        const account = await this.createAccount(this.importEmail(ctx.communitySlug, sourceId), deriveUsername(displayName, sourceId), displayName, createdAt);
        await this.deps.memberships.upsert(ctx.communityId, account.id, 'member');
        await this.deps.imports.recordUser(ctx.communityId, sourceId, account.id);
        this.userIds.set(sourceId, account.id);
        summary.imported++;
      }
    });
  }

  /** The account that holds posts and comments whose dump author was deleted. */
  private async placeholder(ctx: ImportOptions): Promise<string> {
    if (this.placeholderId) return this.placeholderId;
    const account = await this.createAccount(this.importEmail(ctx.communitySlug, 'deleted'), 'deleted_user', 'Deleted user', Date.now());
    this.placeholderId = account.id;
    return account.id;
  }

  /** Accounts that carry the synthetic votes; shared by every import (they only hold votes). */
  private async voters(n: number): Promise<string[]> {
    while (this.voterIds.length < n) {
      const i = this.voterIds.length + 1;
      const account = await this.createAccount(`voter-${i}@${IMPORT_EMAIL_DOMAIN}`, `imported_voter_${i}`, 'Imported vote', 0);
      this.voterIds.push(account.id);
    }
    return this.voterIds.slice(0, n);
  }

  private async authorOf(ctx: ImportOptions, userSourceId: string | undefined): Promise<string> {
    const id = userSourceId === undefined ? undefined : this.userIds.get(userSourceId);
    return id ?? this.placeholder(ctx);
  }

  private async importPosts(
    filePath: string,
    ctx: ImportOptions & { batchSize: number },
    summary: FileSummary,
    votes: Map<string, VoteCounts>,
  ): Promise<{ imported: Set<string>; skipped: Set<string>; created: number; tagsUsed: Set<string>; tagsSeen: Set<string> }> {
    const imported = new Set<string>();
    const skipped = new Set<string>();
    /** Tags of questions imported now, and of questions an earlier run imported. */
    const tagsUsed = new Set<string>();
    const tagsSeen = new Set<string>();
    /** Question source id -> its accepted answer's source id (questions precede their answers). */
    const acceptedOf = new Map<string, string>();
    let created = 0;
    await this.eachBatch(filePath, 'Posts.xml', ctx.batchSize, async (rows) => {
      const known = await this.deps.imports.findImported(ctx.communityId, 'post', rows.map((r) => r.attrs.Id ?? ''));
      const batch: ImportPost[] = [];
      const votesOf = new Map<string, number>();
      for (const { attrs } of rows) {
        summary.rows++;
        const sourceId = attrs.Id;
        const type = attrs.PostTypeId === '1' ? 'question' : attrs.PostTypeId === '2' ? 'answer' : null;
        if (!sourceId || type === null) {
          refuse(summary, sourceId ? `post type ${attrs.PostTypeId ?? '?'} is not a question or answer (tag wikis and others are not modelled)` : 'no Id');
          continue;
        }
        if (type === 'question' && attrs.AcceptedAnswerId) acceptedOf.set(sourceId, attrs.AcceptedAnswerId);
        if (known.has(sourceId)) {
          for (const t of parseDumpTags(attrs.Tags)) tagsSeen.add(t);
          skipped.add(sourceId);
          summary.skipped++;
          continue;
        }
        // The dump's Score is the truth; its vote rows give the up/down split when they agree.
        const score = Number.parseInt(attrs.Score ?? '0', 10) || 0;
        const counted = votes.get(sourceId) ?? { up: 0, down: 0 };
        let up = counted.up;
        let down = counted.down;
        const gap = score - (up - down);
        if (gap > 0) up += gap;
        else down -= gap;
        const createdAt = parseDumpDate(attrs.CreationDate) ?? Date.now();
        const bodyMd = htmlToMarkdown(attrs.Body ?? '');
        const rendered = renderMarkdown(bodyMd);
        const ownerId = attrs.OwnerUserId;
        const site = ctx.siteUrl.replace(/\/+$/, '');
        const post: ImportPost = {
          sourceId,
          type,
          authorId: await this.authorOf(ctx, ownerId),
          bodyMd,
          bodyHtml: rendered.html,
          bodyText: rendered.text,
          createdAt,
          viewCount: Number.parseInt(attrs.ViewCount ?? '0', 10) || 0,
          upVoterIds: [],
          downVoterIds: [],
          votedAt: createdAt,
          attribution: {
            sourceUrl: `${site}/${type === 'question' ? 'q' : 'a'}/${sourceId}`,
            authorName: (ownerId && this.displayNames.get(ownerId)) || attrs.OwnerDisplayName || 'deleted user',
            authorUrl: ownerId ? `${site}/users/${ownerId}` : null,
            licence: ctx.licence,
          },
        };
        if (type === 'question') {
          const title = (attrs.Title ?? '').trim() || `#${sourceId}`;
          post.title = title;
          post.slug = slugify(title);
          post.tags = parseDumpTags(attrs.Tags);
          for (const t of post.tags) tagsUsed.add(t);
        } else {
          post.questionSourceId = attrs.ParentId;
          post.accepted = attrs.ParentId !== undefined && acceptedOf.get(attrs.ParentId) === sourceId;
        }
        votesOf.set(sourceId, up);
        post.downVoterIds = new Array<string>(down).fill('');
        batch.push(post);
      }
      // Distinct voters per post: the pool is as large as the most voted post needs.
      const need = Math.max(0, ...batch.map((p) => votesOf.get(p.sourceId)! + p.downVoterIds.length));
      const pool = await this.voters(need);
      for (const p of batch) {
        const up = votesOf.get(p.sourceId)!;
        p.upVoterIds = pool.slice(0, up);
        p.downVoterIds = pool.slice(up, up + p.downVoterIds.length);
      }
      if (batch.length === 0) return;
      const result = await this.deps.imports.importPosts(ctx.communityId, batch);
      addResult(summary, result);
      const refusedIds = new Set(result.refused.map((r) => r.sourceId));
      for (const p of batch) {
        if (refusedIds.has(p.sourceId)) continue;
        imported.add(p.sourceId);
        created += p.upVoterIds.length + p.downVoterIds.length;
      }
    });
    return { imported, skipped, created, tagsUsed, tagsSeen };
  }

  private async importComments(filePath: string, ctx: ImportOptions & { batchSize: number }, summary: FileSummary): Promise<void> {
    await this.eachBatch(filePath, 'Comments.xml', ctx.batchSize, async (rows) => {
      const batch: ImportComment[] = [];
      for (const { attrs } of rows) {
        summary.rows++;
        const body = (attrs.Text ?? '').trim();
        if (!attrs.Id || !attrs.PostId || body === '') {
          refuse(summary, 'no Id, PostId or Text');
          continue;
        }
        batch.push({
          sourceId: attrs.Id,
          postSourceId: attrs.PostId,
          authorId: await this.authorOf(ctx, attrs.UserId),
          body,
          bodyHtml: renderPlainWithLinks(body),
          createdAt: parseDumpDate(attrs.CreationDate) ?? Date.now(),
        });
      }
      if (batch.length > 0) addResult(summary, await this.deps.imports.importComments(ctx.communityId, batch));
    });
  }

  private async importLinks(filePath: string, ctx: ImportOptions & { batchSize: number }, summary: FileSummary): Promise<void> {
    await this.eachBatch(filePath, 'PostLinks.xml', ctx.batchSize, async (rows) => {
      const batch: ImportLink[] = [];
      for (const { attrs } of rows) {
        summary.rows++;
        const kind = attrs.LinkTypeId === '3' ? 'duplicate' : attrs.LinkTypeId === '1' ? 'related' : null;
        if (!attrs.Id || !attrs.PostId || !attrs.RelatedPostId || kind === null) {
          refuse(summary, kind === null ? `link type ${attrs.LinkTypeId ?? '?'} is not modelled` : 'no Id, PostId or RelatedPostId');
          continue;
        }
        batch.push({ sourceId: attrs.Id, postSourceId: attrs.PostId, targetSourceId: attrs.RelatedPostId, kind, createdAt: parseDumpDate(attrs.CreationDate) ?? Date.now() });
      }
      if (batch.length === 0) return;
      const result = await this.deps.imports.importLinks(ctx.communityId, batch);
      addResult(summary, result);
      // Links recorded now or by an earlier run (one without this step still gets its closes).
      const refusedIds = new Set(result.refused.map((r) => r.sourceId));
      await this.closeDuplicates(ctx.communityId, batch.filter((l) => l.kind === 'duplicate' && !refusedIds.has(l.sourceId)));
    });
  }

  /**
   * Closes each link's question as a duplicate of the link's target, in dump order. Closed at
   * the link's date (when the original site closed it), with no note: the banner's link to the
   * original says it all, and the audit row records the import.
   */
  private async closeDuplicates(communityId: string, links: ImportLink[]): Promise<void> {
    if (links.length === 0) return;
    const local = await this.deps.imports.findImported(communityId, 'post', [...new Set(links.flatMap((l) => [l.postSourceId, l.targetSourceId]))]);
    const duplicateIds = links.map((l) => local.get(l.postSourceId)).filter((id): id is string => id !== undefined);
    const states = await this.deps.moderation.states(duplicateIds);
    const closedNow = new Set<string>();
    for (const link of links) {
      const questionId = local.get(link.postSourceId);
      const originalId = local.get(link.targetSourceId);
      if (questionId === undefined || originalId === undefined) continue; // importLinks refused it already
      if (closedNow.has(questionId) || states.get(questionId)?.closedAt != null) {
        this.duplicates.alreadyClosed++;
        continue;
      }
      try {
        await this.deps.moderation.close({ questionId, actorId: null, via: 'import', reason: 'duplicate', duplicateOf: originalId, note: '', now: link.createdAt });
        closedNow.add(questionId);
        this.duplicates.closed++;
      } catch (err) {
        if (err instanceof ConflictError && err.messageKey === 'mod.alreadyClosed') this.duplicates.alreadyClosed++;
        else if (err instanceof ConflictError && err.messageKey === 'mod.duplicateOfItself') refuse(this.duplicates, 'a question cannot be a duplicate of itself');
        else if (err instanceof NotFoundError) refuse(this.duplicates, 'an end is not a live question (an answer, or deleted)');
        else throw err;
      }
    }
  }

  /**
   * Tags are created with the questions that use them; Tags.xml only says which were created
   * now, which earlier, and which no imported question uses.
   */
  private async readTags(filePath: string, ctx: ImportOptions & { batchSize: number }, summary: FileSummary, used: Set<string>, seen: Set<string>): Promise<void> {
    await this.eachBatch(filePath, 'Tags.xml', ctx.batchSize, async (rows) => {
      for (const { attrs } of rows) {
        summary.rows++;
        const [name] = parseDumpTags(`<${attrs.TagName ?? ''}>`);
        if (name && used.has(name)) summary.imported++;
        else if (name && seen.has(name)) summary.skipped++;
        else refuse(summary, 'no imported question uses it');
      }
    });
  }
}
