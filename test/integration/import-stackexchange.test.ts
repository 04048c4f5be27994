/*
 * Importing the shared Stack Exchange dump (../shared/datasets/quantumcomputing.stackexchange)
 * into a real (in-memory) SQLite database through the importer service and the storage
 * ports, then reading it back the way the forum does: exact counts, every score and accepted
 * answer as in the dump, reputation that the recompute agrees with, safe bodies, the
 * attribution line, search and FAQ candidates; a re-run that adds nothing; a malformed
 * file that stops with its name and line, leaves whole posts only, and resumes when fixed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community, User } from '../../src/domain/types.js';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { StackExchangeImporter, type ImportSummary } from '../../src/services/import/stackexchange-importer.js';
import { DumpFormatError } from '../../src/services/import/xml-rows.js';
import { candidateEvidence } from '../../src/domain/faq-rules.js';
import { TestClient } from '../helpers/app.js';
import { createCommunity, createQaApp } from '../helpers/qa.js';
import { decodeHtml, loggedInAs } from './support.js';

/** ../shared from the repository (two levels up from a worktree under /work/wt). */
const ROOT = path.resolve(import.meta.dirname, '../..');
const DATASET = [path.resolve(ROOT, '../shared'), path.resolve(ROOT, '../../shared')]
  .map((shared) => path.join(shared, 'datasets/quantumcomputing.stackexchange'))
  .find((dir) => fs.existsSync(path.join(dir, 'Posts.xml')))!;
const SITE = 'https://quantumcomputing.stackexchange.com';

/** The dump read independently of the importer: one <row/> per line, attributes by regex. */
function dumpRows(file: string): Array<Record<string, string>> {
  return fs
    .readFileSync(path.join(DATASET, file), 'utf8')
    .split('\n')
    .filter((l) => l.trimStart().startsWith('<row '))
    .map((l) => Object.fromEntries([...l.matchAll(/ (\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!])));
}

const posts = dumpRows('Posts.xml');
const questions = posts.filter((p) => p.PostTypeId === '1');
const answers = posts.filter((p) => p.PostTypeId === '2');

/**
 * The dump's duplicate links whose both ends are imported questions, in dump order, and the
 * original each duplicate question is closed into: its first link's (a question closes into
 * one original here; Stack Exchange allowed several).
 */
const questionIds = new Set(questions.map((q) => q.Id!));
const duplicateLinks = dumpRows('PostLinks.xml').filter((l) => l.LinkTypeId === '3' && questionIds.has(l.PostId!) && questionIds.has(l.RelatedPostId!));
const closedInto = new Map<string, Record<string, string>>();
for (const l of duplicateLinks) if (!closedInto.has(l.PostId!)) closedInto.set(l.PostId!, l);
/** Original's source id -> how many questions are closed into it. */
const duplicatesOf = new Map<string, number>();
for (const l of closedInto.values()) duplicatesOf.set(l.RelatedPostId!, (duplicatesOf.get(l.RelatedPostId!) ?? 0) + 1);

function importer(app: FastifyInstance) {
  return new StackExchangeImporter({ users: app.storage.users, memberships: app.storage.memberships, imports: app.storage.imports, moderation: app.storage.moderation });
}

function run(app: FastifyInstance, community: Community, dir = DATASET): Promise<ImportSummary> {
  return importer(app).run({ dir, communityId: community.id, communitySlug: community.slug, siteUrl: SITE, licence: 'CC BY-SA 3.0' });
}

const fileOf = (s: ImportSummary, name: string) => s.files.find((f) => f.file === name)!;

function sqlCount(app: FastifyInstance, sql: string, ...params: unknown[]): number {
  return ((app.storage as SqliteStorage).db.prepare(sql).get(...params) as { n: number }).n;
}

describe('importing the quantumcomputing.stackexchange dump', () => {
  let app: FastifyInstance;
  let quantum: Community;
  let first: ImportSummary;
  let postIds: Map<string, string>;

  beforeAll(async () => {
    app = await createQaApp();
    quantum = await createCommunity(app.storage, 'quantum', { name: 'Quantum Computing' });
    first = await run(app, quantum);
    postIds = await app.storage.imports.findImported(quantum.id, 'post', posts.map((p) => p.Id!));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('imports every question, answer, comment and user of the dump, and says what it left out', async () => {
    expect(questions).toHaveLength(612);
    expect(answers).toHaveLength(1060);
    expect(fileOf(first, 'Posts.xml')).toMatchObject({ rows: 1986, imported: 1672, skipped: 0 });
    // Tag wiki excerpts and bodies (types 4 and 5) are not questions or answers.
    expect([...fileOf(first, 'Posts.xml').refused.values()].reduce((a, b) => a + b, 0)).toBe(314);
    expect(fileOf(first, 'Users.xml')).toMatchObject({ rows: 3461, imported: 3461 });
    expect(fileOf(first, 'Comments.xml')).toMatchObject({ rows: 3413, imported: 3413 });
    expect(sqlCount(app, "SELECT COUNT(*) AS n FROM posts WHERE community_id = ? AND type = 'question'", Number(quantum.id))).toBe(612);
    expect(sqlCount(app, "SELECT COUNT(*) AS n FROM posts WHERE community_id = ? AND type = 'answer'", Number(quantum.id))).toBe(1060);
    expect(sqlCount(app, 'SELECT COUNT(*) AS n FROM comments')).toBe(3413);
    expect((await app.storage.communities.findBySlug('quantum'))!.questionCount).toBe(612);
    // Duplicate links: 14 in the dump, 11 with both ends present, from 10 questions (question
    // 1428 names two originals).
    expect(sqlCount(app, "SELECT COUNT(*) AS n FROM imported_post_links WHERE kind = 'duplicate'")).toBe(11);
    expect(duplicateLinks).toHaveLength(11);
    expect(closedInto.size).toBe(10);
    expect(first.duplicates).toEqual({ closed: 10, alreadyClosed: 1, refused: new Map() });
  });

  it('closes each duplicate question into its original, as the system, with the banner linking the original', async () => {
    const local = (sourceId: string) => postIds.get(sourceId)!;
    const states = await app.storage.moderation.states([...closedInto.keys()].map(local));
    for (const [dup, link] of closedInto) {
      const state = states.get(local(dup));
      expect(state, `question ${dup}`).toMatchObject({ closeReason: 'duplicate', duplicateOf: local(link.RelatedPostId!), closedBy: null, closedAt: Date.parse(`${link.CreationDate}Z`) });
    }
    // Only those: no other imported question is closed.
    const allStates = await app.storage.moderation.states(questions.map((q) => local(q.Id!)));
    expect([...allStates.values()].filter((s) => s.closedAt !== null)).toHaveLength(10);

    // The audit log says the system closed them during the import.
    const audit = await app.storage.moderation.listAudit({ communityId: quantum.id, action: 'question.close', limit: 100 });
    expect(audit).toHaveLength(10);
    for (const row of audit) {
      expect(row.actorId).toBeNull();
      expect(JSON.parse(row.after!)).toMatchObject({ reason: 'duplicate', via: 'import' });
    }

    // The duplicate's page shows the banner and links the original; the original shows none.
    const dup = (await app.storage.posts.findPost(local('1280')))! as { id: string; slug: string };
    const original = (await app.storage.posts.findPost(local('1262')))! as { id: string; slug: string; title: string };
    const page = await new TestClient(app).get(`/c/quantum/q/${dup.id}/${dup.slug}`);
    expect(page.status).toBe(200);
    const banner = /<div class="mod-banner mod-banner-closed"[^>]*id="closed-banner">([\s\S]*?)<\/div>/.exec(page.text)?.[1] ?? '';
    expect(banner).toContain('This question already has an answer here:');
    expect(banner).toContain(`<a href="/c/quantum/q/${original.id}/${encodeURIComponent(original.slug)}" class="mod-original">`);
    expect(decodeHtml(banner)).toContain(original.title);
    const originalPage = await new TestClient(app).get(`/c/quantum/q/${original.id}/${original.slug}`);
    expect(originalPage.status).toBe(200);
    expect(originalPage.text).not.toContain('id="closed-banner"');
  });

  it("counts the duplicates on each original, where the FAQ candidate evidence reads them", async () => {
    const answeredOriginals = [...duplicatesOf.keys()].filter((q) => answers.some((a) => a.ParentId === q));
    expect(answeredOriginals.length).toBeGreaterThan(5);
    for (const q of answeredOriginals) {
      const answer = answers.find((a) => a.ParentId === q)!;
      const row = (await app.storage.faq.candidateRow(postIds.get(answer.Id!)!))!;
      expect(row.duplicateCount, `original ${q}`).toBe(duplicatesOf.get(q));
      // One duplicate adds 8 * log2(2) = 8 to the answer's evidence.
      expect(candidateEvidence(row) - candidateEvidence({ ...row, duplicateCount: 0 })).toBeCloseTo(8 * Math.log2(1 + duplicatesOf.get(q)!));
    }
    // The second original named by question 1428 (1255) gets nothing: 1428 closed into 1269.
    const of1255 = answers.find((a) => a.ParentId === '1255');
    if (of1255) expect((await app.storage.faq.candidateRow(postIds.get(of1255.Id!)!))!.duplicateCount).toBe(0);
    expect(duplicatesOf.has('1255')).toBe(false);
  });

  it('gives every post the score it has in the dump, and every question its accepted answer', async () => {
    let accepted = 0;
    for (const p of [...questions, ...answers]) {
      const post = await app.storage.posts.findPost(postIds.get(p.Id!)!);
      expect(post?.score, `post ${p.Id}`).toBe(Number(p.Score));
      if (p.PostTypeId === '1') {
        const q = post as { acceptedAnswerId: string | null };
        expect(q.acceptedAnswerId, `question ${p.Id}`).toBe(p.AcceptedAnswerId ? postIds.get(p.AcceptedAnswerId)! : null);
        if (p.AcceptedAnswerId) accepted++;
      }
    }
    expect(accepted).toBe(389);
  });

  it('keeps authors and dates, and reputation agrees with a recompute from the votes', async () => {
    const q1 = posts.find((p) => p.Id === '1')!;
    const question = await app.storage.posts.findPost(postIds.get('1')!);
    expect(question!.createdAt).toBe(Date.parse(`${q1.CreationDate}Z`));
    const author = await app.storage.users.findById(question!.authorId);
    const dumpAuthor = dumpRows('Users.xml').find((u) => u.Id === q1.OwnerUserId)!;
    expect(author!.displayName).toBe(decodeHtml(dumpAuthor.DisplayName!));
    expect(author!.reputation).toBeGreaterThan(0);
    expect(await app.storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
  });

  it('derives ASCII or CJK usernames from display names, and the accounts cannot log in', async () => {
    expect((await app.storage.users.findByUsername('Bjorn_Kjos-Hanssen'))?.displayName).toBe('Bjørn Kjos-Hanssen');
    expect((await app.storage.users.findByUsername('이호준'))?.displayName).toBe('이호준');
    const client = new TestClient(app);
    // No password works: not even an empty one (the account has no hash to match).
    for (const password of ['', 'anything-at-all']) {
      const res = await client.login('Bjorn_Kjos-Hanssen', password);
      expect([400, 401]).toContain(res.status);
      expect(loggedInAs((await client.get('/')).text)).toBeNull();
    }
  });

  it('renders bodies through the Markdown pipeline with nothing executable', async () => {
    const sample = [...postIds.values()].filter((_, i) => i % 25 === 0);
    for (const id of sample) {
      const post = (await app.storage.posts.findPost(id))!;
      expect(post.bodyHtml).not.toMatch(/<script|<iframe|\son\w+=|javascript:/i);
      expect(post.bodyMd).not.toMatch(/<p>|&lt;p&gt;/);
    }
    // Question 1 links to Wikipedia; the link survives with the forum's rel.
    const q1 = (await app.storage.posts.findPost(postIds.get('1')!))!;
    expect(q1.bodyHtml).toContain('<a href="https://en.wikipedia.org/wiki/Turing_machine" rel="nofollow ugc noopener">Turing machine</a>');
  });

  it('shows the attribution line linking the original post and its author on the question page', async () => {
    const question = (await app.storage.posts.findPost(postIds.get('1')!))! as { id: string; slug: string };
    const res = await new TestClient(app).get(`/c/quantum/q/${question.id}/${question.slug}`);
    expect(res.status).toBe(200);
    const lines = [...res.text.matchAll(/<p class="post-attribution[^"]*"[^>]*>([\s\S]*?)<\/p>/g)].map((m) => m[1]!);
    // The question and each of its answers on the page.
    expect(lines.length).toBe(1 + answers.filter((a) => a.ParentId === '1').length);
    expect(lines[0]).toContain(`href="${SITE}/q/1"`);
    expect(lines[0]).toContain(`href="${SITE}/users/${posts.find((p) => p.Id === '1')!.OwnerUserId}"`);
    expect(lines[0]).toContain('href="https://creativecommons.org/licenses/by-sa/3.0/"');
    expect(res.text).toContain(`href="${SITE}/a/18"`);
  });

  it('is searchable at once and fills the FAQ candidate queue by the community rule', async () => {
    const res = await new TestClient(app).get('/search?q=quantum+turing+machine&community=quantum');
    expect(res.status).toBe(200);
    const title = decodeHtml(questions.find((q) => q.Id === '1')!.Title!);
    expect(decodeHtml(res.text.replace(/<[^>]+>/g, ''))).toContain(title);

    const admin: User = await app.storage.users.create({ username: 'import_admin', email: 'import-admin@example.test', displayName: 'Admin', passwordHash: '' });
    await app.storage.users.setAdmin(admin.id, true);
    const queue = await app.services.faq.candidates('quantum', { ...admin, isAdmin: true });
    const accepted = new Set(questions.map((q) => q.AcceptedAnswerId).filter(Boolean));
    const expected = answers.filter((a) => Number(a.Score) >= 5 || (accepted.has(a.Id!) && Number(a.Score) >= 2));
    expect(expected.length).toBeGreaterThan(100);
    expect(queue.total).toBe(expected.length);
  });

  it('imports nothing new when run again', async () => {
    const before = sqlCount(app, 'SELECT COUNT(*) AS n FROM posts') + sqlCount(app, 'SELECT COUNT(*) AS n FROM users') + sqlCount(app, 'SELECT COUNT(*) AS n FROM votes');
    const audits = (await app.storage.moderation.listAudit({ communityId: quantum.id, limit: 500 })).length;
    const again = await run(app, quantum);
    for (const f of again.files) expect(f.imported, f.file).toBe(0);
    // Every duplicate link finds its question closed already: nothing closes twice.
    expect(again.duplicates).toEqual({ closed: 0, alreadyClosed: 11, refused: new Map() });
    expect((await app.storage.moderation.listAudit({ communityId: quantum.id, limit: 500 })).length).toBe(audits);
    for (const [original, n] of duplicatesOf) {
      const answer = answers.find((a) => a.ParentId === original);
      if (answer) expect((await app.storage.faq.candidateRow(postIds.get(answer.Id!)!))!.duplicateCount).toBe(n);
    }
    expect(fileOf(again, 'Tags.xml').skipped).toBe(fileOf(first, 'Tags.xml').imported);
    expect(fileOf(again, 'Posts.xml').skipped).toBe(1672);
    expect(fileOf(again, 'Users.xml').skipped).toBe(3461);
    expect(fileOf(again, 'Comments.xml').skipped).toBe(3413);
    const after = sqlCount(app, 'SELECT COUNT(*) AS n FROM posts') + sqlCount(app, 'SELECT COUNT(*) AS n FROM users') + sqlCount(app, 'SELECT COUNT(*) AS n FROM votes');
    expect(after).toBe(before);
  }, 30_000);
});

describe('a malformed dump', () => {
  let app: FastifyInstance;
  let dir: string;
  let community: Community;
  /** The first 600 rows of Posts.xml: enough for several batches, cheap to import twice. */
  let subset: string[];

  beforeAll(async () => {
    app = await createQaApp();
    community = await createCommunity(app.storage, 'broken');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'se-dump-'));
    for (const f of fs.readdirSync(DATASET)) fs.copyFileSync(path.join(DATASET, f), path.join(dir, f));
    const lines = fs.readFileSync(path.join(DATASET, 'Posts.xml'), 'utf8').split('\n');
    subset = [...lines.slice(0, 602), '</posts>'];
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops at the broken line with the file name, keeps whole posts only, and resumes once fixed', async () => {
    const BAD = 402;
    const broken = [...subset];
    broken[BAD - 1] = '  <row Id="999999" PostTypeId="1" <oops/>';
    fs.writeFileSync(path.join(dir, 'Posts.xml'), broken.join('\n'));

    const err = await run(app, community, dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DumpFormatError);
    expect((err as DumpFormatError).file).toBe('Posts.xml');
    expect((err as DumpFormatError).line).toBe(BAD);
    expect((err as Error).message).toMatch(/^Posts\.xml:402:\d+: /);

    // What was stored is whole: every post has its revision, source id, attribution and votes.
    const cId = Number(community.id);
    const stored = sqlCount(app, 'SELECT COUNT(*) AS n FROM posts WHERE community_id = ?', cId);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(400);
    expect(sqlCount(app, "SELECT COUNT(*) AS n FROM import_sources WHERE community_id = ? AND kind = 'post'", cId)).toBe(stored);
    expect(sqlCount(app, 'SELECT COUNT(*) AS n FROM posts p JOIN post_attributions a ON a.post_id = p.id WHERE p.community_id = ?', cId)).toBe(stored);
    expect(sqlCount(app, 'SELECT COUNT(*) AS n FROM posts p WHERE community_id = ? AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.post_id = p.id)', cId)).toBe(0);
    expect(await app.storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });

    fs.writeFileSync(path.join(dir, 'Posts.xml'), subset.join('\n'));
    const resumed = await run(app, community, dir);
    const expected = subset.filter((l) => / PostTypeId="[12]"/.test(l)).length;
    expect(fileOf(resumed, 'Posts.xml').skipped).toBe(stored);
    expect(fileOf(resumed, 'Posts.xml').imported).toBe(expected - stored);
    expect(sqlCount(app, 'SELECT COUNT(*) AS n FROM posts WHERE community_id = ?', cId)).toBe(expected);
    expect(await app.storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
  }, 180_000);

  it('names the file and line of a truncated file', async () => {
    const text = fs.readFileSync(path.join(DATASET, 'Comments.xml'), 'utf8');
    const cut = text.slice(0, Math.floor(text.length / 2));
    fs.writeFileSync(path.join(dir, 'Comments.xml'), cut);
    const err = await run(app, community, dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DumpFormatError);
    expect((err as DumpFormatError).file).toBe('Comments.xml');
    expect((err as DumpFormatError).line).toBe(cut.split('\n').length);
  }, 180_000);
});

/** XML-escapes text for an attribute value, as the dump does with HTML bodies. */
const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe('a crafted dump', () => {
  let app: FastifyInstance;
  let dir: string;

  beforeAll(async () => {
    app = await createQaApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'se-evil-'));
    const evilName = '<img src=x onerror=alert(1)>';
    fs.writeFileSync(
      path.join(dir, 'Users.xml'),
      `\ufeff<?xml version="1.0" encoding="utf-8"?>\n<users>\n  <row Id="5" DisplayName="${attr(evilName)}" CreationDate="2020-01-01T00:00:00.000" />\n</users>\n`,
    );
    const question = [
      '<p>Look <script>alert("body")</script> here</p>',
      '<p><img src="x" onerror="alert(2)"> and <a href="javascript:alert(3)">a link</a></p>',
      '<p><a href="https://example.com/" onclick="alert(4)">fine link</a></p>',
      '<iframe src="https://evil.example/"></iframe><style>body{display:none}</style>',
    ].join('');
    const answer = '<p>Answer with <svg onload="alert(5)"></svg> <object data="x"></object> <b onmouseover="alert(6)">bold</b></p>';
    fs.writeFileSync(
      path.join(dir, 'Posts.xml'),
      [
        '\ufeff<?xml version="1.0" encoding="utf-8"?>',
        '<posts>',
        `  <row Id="1" PostTypeId="1" AcceptedAnswerId="2" CreationDate="2020-01-02T00:00:00.000" Score="3" ViewCount="10" Body="${attr(question)}" OwnerUserId="5" Title="${attr('<script>alert(7)</script> title')}" Tags="&lt;xss&gt;&lt;safety&gt;" />`,
        `  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2020-01-03T00:00:00.000" Score="-1" Body="${attr(answer)}" OwnerUserId="5" />`,
        '</posts>',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'Comments.xml'),
      `<?xml version="1.0" encoding="utf-8"?>\n<comments>\n  <row Id="9" PostId="1" Text="${attr('see javascript:alert(8) and <script>alert(9)</script>')}" CreationDate="2020-01-04T00:00:00.000" UserId="5" />\n</comments>\n`,
    );
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cannot inject script anywhere on the question page, and skips the missing files with a note', async () => {
    const community = await createCommunity(app.storage, 'evil');
    const notes: string[] = [];
    const summary = await new StackExchangeImporter({
      users: app.storage.users,
      memberships: app.storage.memberships,
      imports: app.storage.imports,
      moderation: app.storage.moderation,
      progress: { start() {}, update() {}, finish() {}, note: (t) => notes.push(t) },
    }).run({ dir, communityId: community.id, communitySlug: 'evil', siteUrl: SITE, licence: 'CC BY-SA 4.0' });
    expect(fileOf(summary, 'Posts.xml').imported).toBe(2);
    expect(fileOf(summary, 'Votes.xml').present).toBe(false);
    expect(notes.some((n) => n.includes('Votes.xml'))).toBe(true);

    const id = (await app.storage.imports.findImported(community.id, 'post', ['1'])).get('1')!;
    const q = (await app.storage.posts.findPost(id))! as { slug: string; score: number };
    expect(q.score).toBe(3);
    const res = await new TestClient(app).get(`/c/evil/q/${id}/${q.slug}`);
    expect(res.status).toBe(200);
    // The page's own scripts are external files; the only inline one is JSON-LD data, in which
    // the imported text cannot close the element. No handlers, no javascript: URLs.
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    for (const m of scripts) {
      if (m[2]!.trim() === '') continue;
      expect(m[1]).toContain('application/ld+json');
      expect(m[2]).not.toMatch(/</);
    }
    const handlers = [...res.text.matchAll(/<[a-z][^>]*\son(error|click|load|mouseover)\s*=[^>]*>/gi)].map((m) => m[0]);
    expect(handlers).toEqual([]);
    expect(res.text).not.toMatch(/href="javascript:/i);
    expect(res.text).not.toMatch(/<(iframe|object|svg|style)\b[^>]*>[^<]*(evil|alert|display)/i);
    // The text itself survives, escaped: the title, the link text and the author's name.
    const text = decodeHtml(res.text);
    expect(text).toContain('<script>alert(7)</script> title');
    expect(res.text).toContain('<a href="https://example.com/" rel="nofollow ugc noopener">fine link</a>');
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.text).toContain('href="https://creativecommons.org/licenses/by-sa/4.0/"');
  });

  it('leaves every imported post in the search outbox when search runs in Meilisearch', async () => {
    const storage = createSqliteStorage(':memory:', { searchIndex: 'outbox' });
    try {
      const community = await createCommunity(storage, 'evil-meili');
      await new StackExchangeImporter({ users: storage.users, memberships: storage.memberships, imports: storage.imports, moderation: storage.moderation }).run({
        dir,
        communityId: community.id,
        communitySlug: community.slug,
        siteUrl: SITE,
        licence: 'CC BY-SA 3.0',
      });
      const ids = await storage.imports.findImported(community.id, 'post', ['1', '2']);
      const claimed = await storage.outbox.claim('test', 100, Date.now(), 60_000);
      expect(claimed.map((e) => e.docId).sort()).toEqual([`answer-${ids.get('2')}`, `question-${ids.get('1')}`].sort());
    } finally {
      await storage.close();
    }
  });
});
