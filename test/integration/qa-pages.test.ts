/*
 * Answer pages on long threads: 30 answers a page in the display order (accepted, score,
 * oldest), a pager in both languages, one canonical URL per page, 404 for any page that is
 * not one, and every redirect or link to an answer landing on the page that holds it (after
 * posting, voting, accepting, editing and commenting without JavaScript; from search results
 * and FAQ sources through ?a=<answer id>). Only the page's answers are loaded.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community, User } from '../../src/domain/types.js';
import type { Question } from '../../src/domain/qa-types.js';
import { faqEntryUrl } from '../../src/services/faq/faq-service.js';
import { TestClient } from '../helpers/app.js';
import { acceptedAnswers, answerOrder, askQuestion, createCommunity, createQaApp, jsonLdOf, member, postAnswer, steppingClock, storageUser, vote } from '../helpers/qa.js';
import { decodeHtml, looksLikeStackTrace, textOfId } from './support.js';

const BASE = 'https://forum.example.test';
const PER_PAGE = 30;

type Actor = { user: User; client: TestClient };

/** The answer pager of a page: its label, and each link's text, label, target and state. */
function pagerOf(html: string) {
  const m = /<nav class="[^"]*\banswer-pager\b[^"]*" aria-label="([^"]*)">([\s\S]*?)<\/nav>/.exec(html);
  if (!m) return null;
  const links = [...m[2]!.matchAll(/<a href="([^"]*)"([^>]*)>([\s\S]*?)<\/a>/g)].map((l) => ({
    href: decodeHtml(l[1]!),
    text: decodeHtml(l[3]!).trim(),
    label: decodeHtml(/aria-label="([^"]*)"/.exec(l[2]!)?.[1] ?? ''),
    rel: /rel="([^"]*)"/.exec(l[2]!)?.[1] ?? null,
    current: /aria-current="page"/.test(l[2]!),
  }));
  return { label: decodeHtml(m[1]!), links, gaps: (m[2]!.match(/class="pager-gap"/g) ?? []).length };
}

function canonicalOf(html: string): string | undefined {
  return /<link rel="canonical" href="([^"]*)">/.exec(html)?.[1];
}

/** Path and query of a pager or redirect target, without the fragment. */
const withoutHash = (url: string) => url.replace(/#.*$/, '');

describe('answer pages', () => {
  let app: FastifyInstance;
  let cams: Community;
  let asker: Actor;
  let authors: Actor[];
  let voter: Actor;
  let visitor: TestClient;
  let clock: ReturnType<typeof steppingClock>;

  beforeAll(async () => {
    clock = steppingClock();
    app = await createQaApp({ now: clock.now, config: { baseUrl: BASE } });
    cams = await createCommunity(app.storage, 'cams', { name: 'Camera support' });
    asker = await member(app, cams, 'asker');
    authors = [await member(app, cams, 'ana'), await member(app, cams, 'ben'), await member(app, cams, 'cai')];
    voter = await member(app, cams, 'voter');
    visitor = new TestClient(app);
  });

  afterAll(async () => {
    await app.close();
  });

  /**
   * A question with `count` answers written straight to storage (oldest first, by three
   * authors in turn), then votes that give them a known order: the newest answer +2, the
   * 41st +1, the first -1. With 65 answers the order is a64, a40, a1..a39, a41..a63, a0:
   * pages [a64, a40, a1..a28], [a29..a39, a41..a59], [a60..a63, a0].
   */
  async function longThread(count: number, words = 'thread'): Promise<{ q: { id: string; url: string }; question: Question; a: string[] }> {
    const q = await askQuestion(asker.client, 'cams', { title: `A long ${words} about flash sync and batteries`, body: `Many people answered this ${words}.`, tags: 'flash' });
    const a: string[] = [];
    for (let i = 0; i < count; i++) {
      const body = `Answer number ${i} in the ${words}: check the flash contacts.`;
      const answer = await app.storage.posts.createAnswer({ questionId: q.id, authorId: authors[i % 3]!.user.id, bodyMd: body, bodyHtml: `<p>${body}</p>`, bodyText: body, now: clock.now() });
      a.push(answer.id);
    }
    const voters = [await storageUser(app.storage, undefined, [{ community: cams }]), await storageUser(app.storage, undefined, [{ community: cams }])];
    if (count > 64) {
      await app.storage.votes.castVote(a[64]!, voters[0]!.id, 1, clock.now());
      await app.storage.votes.castVote(a[64]!, voters[1]!.id, 1, clock.now());
    }
    if (count > 40) await app.storage.votes.castVote(a[40]!, voters[0]!.id, 1, clock.now());
    await app.storage.votes.castVote(a[0]!, voters[0]!.id, -1, clock.now());
    return { q, question: (await app.storage.posts.findQuestion(q.id))!, a };
  }

  /** The expected pages of a 65-answer longThread, by answer index. */
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const EXPECTED_PAGES = [
    [64, 40, ...range(1, 28)],
    [...range(29, 39), ...range(41, 59)],
    [60, 61, 62, 63, 0],
  ];

  describe('reading a 65-answer thread', () => {
    let t: Awaited<ReturnType<typeof longThread>>;
    const pageUrl = (n: number) => (n === 1 ? t.q.url : `${t.q.url}?page=${n}`);

    beforeAll(async () => {
      t = await longThread(65);
    });

    it('shows 30, 30 and 5 answers on three pages, in the display order, under the total count', async () => {
      const pages = await Promise.all([1, 2, 3].map((n) => visitor.get(pageUrl(n))));
      for (const res of pages) expect(res.status).toBe(200);
      const orders = pages.map((res) => answerOrder(res.text));
      expect(orders.map((o) => o.length)).toEqual([30, 30, 5]);
      expect(orders).toEqual(EXPECTED_PAGES.map((page) => page.map((i) => t.a[i]!)));
      // The same order as the full list, with nothing repeated or left out.
      expect(orders.flat()).toEqual((await app.storage.posts.listAnswers(t.q.id)).map((x) => x.id));
      for (const [i, res] of pages.entries()) {
        expect(textOfId(res.text, 'answers-heading')).toBe('65 answers');
        expect(res.text).toContain(`Page ${i + 1} of 3`);
      }
    });

    it('keeps the question, its comments and the answer form on every page', async () => {
      const comment = await voter.client.post(`/posts/${t.q.id}/comments`, { comment: 'Which flash model is it?' });
      expect(comment.status).toBe(303);
      for (const n of [1, 2, 3]) {
        const html = (await voter.client.get(pageUrl(n))).text;
        expect(textOfId(html, 'question-title')).toBe('A long thread about flash sync and batteries');
        expect(html).toContain('Many people answered this thread.');
        expect(html).toContain('Which flash model is it?');
        expect(html).toContain(`action="/q/${t.q.id}/answers"`);
      }
    });

    it('gives the asker the accept button on every answer of every page', async () => {
      for (const [i, n] of [1, 2, 3].entries()) {
        const html = (await asker.client.get(pageUrl(n))).text;
        expect(html.match(new RegExp(`action="/q/${t.q.id}/accept"`, 'g'))?.length).toBe(EXPECTED_PAGES[i]!.length);
      }
    });

    it('has a pager with previous, next and page numbers that leads through all pages', async () => {
      const first = pagerOf((await visitor.get(pageUrl(1))).text)!;
      expect(first.label).toBe('Pages of answers');
      expect(first.links.map((l) => [l.text, l.label, l.current])).toEqual([
        ['1', 'Page 1', true],
        ['2', 'Page 2', false],
        ['3', 'Page 3', false],
        ['Next →', 'Next page of answers', false],
      ]);
      expect(first.links.find((l) => l.rel === 'prev')).toBeUndefined();

      // Follow "next" to the end, then "previous" back to the start.
      let url = pageUrl(1);
      const visited: string[] = [];
      for (;;) {
        const res = await visitor.get(url);
        expect(res.status).toBe(200);
        visited.push(answerOrder(res.text)[0]!);
        const next = pagerOf(res.text)!.links.find((l) => l.rel === 'next');
        if (!next) break;
        expect(next.href).toMatch(/#answers-heading$/);
        url = withoutHash(next.href);
      }
      expect(visited).toEqual(EXPECTED_PAGES.map((p) => t.a[p[0]!]));
      expect(url).toBe(pageUrl(3));
      const last = pagerOf((await visitor.get(url)).text)!;
      expect(last.links.find((l) => l.current)!.text).toBe('3');
      const prev = last.links.find((l) => l.rel === 'prev')!;
      expect([prev.text, prev.label]).toEqual(['← Previous', 'Previous page of answers']);
      expect(withoutHash(prev.href)).toBe(pageUrl(2));
      // Page 1 is linked as the question's own URL, never as ?page=1.
      const middle = pagerOf((await visitor.get(pageUrl(2))).text)!;
      expect(middle.links.filter((l) => l.text === '1' || l.rel === 'prev').map((l) => withoutHash(l.href))).toEqual([pageUrl(1), pageUrl(1)]);
      expect(middle.links.map((l) => l.href).join(' ')).not.toContain('page=1');
    });

    it('labels the pager in Chinese', async () => {
      const html = (await visitor.get(pageUrl(2), { 'accept-language': 'zh-CN' })).text;
      const pager = pagerOf(html)!;
      expect(pager.label).toBe('回答分页');
      expect(pager.links.map((l) => [l.text, l.label, l.current])).toEqual([
        ['← 上一页', '上一页回答', false],
        ['1', '第 1 页', false],
        ['2', '第 2 页', true],
        ['3', '第 3 页', false],
        ['下一页 →', '下一页回答', false],
      ]);
      expect(html).toContain('第 2 页，共 3 页');
      expect(textOfId(html, 'answers-heading')).toBe('65 个回答');
    });

    it('gives each later page its own canonical URL and title', async () => {
      const first = (await visitor.get(pageUrl(1))).text;
      const second = (await visitor.get(pageUrl(2))).text;
      expect(canonicalOf(first)).toBe(`${BASE}${t.q.url}`);
      expect(canonicalOf(second)).toBe(`${BASE}${t.q.url}?page=2`);
      expect(second).toContain(`<meta property="og:url" content="${BASE}${t.q.url}?page=2">`);
      expect(second).toContain('<title>A long thread about flash sync and batteries (page 2) · ');
      expect(first).toContain('<title>A long thread about flash sync and batteries · ');
      // Logging in to answer comes back to the page the visitor was reading.
      expect(second).toContain(`href="/login?next=${encodeURIComponent(`${t.q.url}?page=2`)}"`);
    });

    it('redirects ?page=1 permanently to the question URL, keeping other parameters', async () => {
      for (const [path, target] of [
        [`${t.q.url}?page=1`, t.q.url],
        [`${t.q.url}?utm=x&page=1`, `${t.q.url}?utm=x`],
        [`/c/cams/q/${t.q.id}/old-slug?page=1`, t.q.url],
      ] as const) {
        const res = await visitor.get(path);
        expect(res.status, path).toBe(301);
        expect(res.headers.location).toBe(target);
      }
    });

    it('keeps a valid page through the slug redirect', async () => {
      for (const path of [`/c/cams/q/${t.q.id}/old-slug?page=2`, `/c/cams/q/${t.q.id}?page=2`, `/c/elsewhere/q/${t.q.id}/x?page=3`]) {
        const res = await visitor.get(path);
        expect(res.status, path).toBe(301);
        expect(res.headers.location).toBe(`${t.q.url}?page=${path.endsWith('3') ? 3 : 2}`);
      }
    });

    it.each([
      ['a page past the last', '?page=4'],
      ['page 0', '?page=0'],
      ['a negative page', '?page=-1'],
      ['letters', '?page=abc'],
      ['an empty page', '?page='],
      ['a fraction', '?page=1.5'],
      ['an exponent', '?page=2e0'],
      ['a leading zero', '?page=02'],
      ['an absurd number', `?page=${'9'.repeat(30)}`],
      ['a number past any thread', '?page=999999'],
      ['a repeated parameter', '?page=2&page=3'],
      ['a space', '?page=%202'],
    ])('answers %s with 404, never a 500', async (_label, query) => {
      for (const path of [`${t.q.url}${query}`, `/c/cams/q/${t.q.id}/old-slug${query}`]) {
        const res = await visitor.get(path);
        expect(res.status, path).toBe(404);
        expect(looksLikeStackTrace(res.text)).toBe(false);
        expect(res.text).toContain('This question has no such page of answers.');
      }
    });

    it('names the accepted answer on every page in the structured data, and the page\'s answers as suggested', async () => {
      await app.storage.posts.setAcceptedAnswer(t.q.id, t.a[64]!, clock.now());
      // Written behind the app's back (no request, no job): the anonymous page cache is told so.
      app.services.contentGeneration.bump();
      try {
        const main = (n: number) => visitor.get(pageUrl(n)).then((res) => jsonLdOf(res.text).mainEntity as Record<string, unknown>);
        const [one, two] = [await main(1), await main(2)];
        for (const m of [one, two]) {
          expect(m.answerCount).toBe(65);
          expect(m.acceptedAnswer).toMatchObject({ '@type': 'Answer', url: `${BASE}${t.q.url}#a${t.a[64]}`, upvoteCount: 2, author: { name: authors[64 % 3]!.user.username } });
        }
        const suggested = (m: Record<string, unknown>) => (m.suggestedAnswer as Array<{ url: string }>).map((s) => s.url);
        expect(suggested(one)).toEqual(EXPECTED_PAGES[0]!.slice(1).map((i) => `${BASE}${t.q.url}#a${t.a[i]}`));
        expect(suggested(two)).toEqual(EXPECTED_PAGES[1]!.map((i) => `${BASE}${t.q.url}?page=2#a${t.a[i]}`));
        // The accepted answer is on page 1 only, marked there.
        expect(acceptedAnswers((await visitor.get(pageUrl(1))).text)).toEqual([t.a[64]]);
        expect(acceptedAnswers((await visitor.get(pageUrl(2))).text)).toEqual([]);
      } finally {
        await app.storage.posts.setAcceptedAnswer(t.q.id, null, clock.now());
        app.services.contentGeneration.bump();
      }
    });

    it('loads only the page\'s answers, their comments and the viewer\'s votes on them', async () => {
      const { posts, comments, votes } = app.storage;
      const spies = [vi.spyOn(posts, 'listAnswers'), vi.spyOn(comments, 'listFor'), vi.spyOn(votes, 'votesBy')] as const;
      try {
        const res = await voter.client.get(pageUrl(2));
        expect(res.status).toBe(200);
        const pageIds = EXPECTED_PAGES[1]!.map((i) => t.a[i]!);
        expect(spies[0].mock.calls).toEqual([[t.q.id, { offset: PER_PAGE, limit: PER_PAGE }]]);
        // The question has a comment, so comments are read: for the question and this page only.
        expect(spies[1].mock.calls.map((c) => [...c[0]].sort())).toEqual([[t.q.id, ...pageIds].sort()]);
        expect(spies[2].mock.calls.map((c) => [c[0], [...c[1]].sort()])).toEqual([[voter.user.id, [t.q.id, ...pageIds].sort()]]);
      } finally {
        for (const s of spies) s.mockRestore();
      }
    });

    it('counts one view for a visit that pages through the thread, or that starts at a later answer', async () => {
      const views = async () => {
        await app.services.viewCounter.flush();
        return (await app.storage.posts.findQuestion(t.q.id))!.viewCount;
      };
      const before = await views();
      for (const n of [1, 2, 3, 2]) expect((await visitor.get(pageUrl(n))).status).toBe(200);
      expect(await views()).toBe(before + 1);
      // Through an answer's permalink to page 3: the redirect counts the visit, page 3 does not again.
      const link = await visitor.get(`${t.q.url}?a=${t.a[0]}`);
      await visitor.get(withoutHash(String(link.headers.location)));
      expect(await views()).toBe(before + 2);
      // To an answer on page 1: page 1 counts it, the redirect does not.
      const first = await visitor.get(`${t.q.url}?a=${t.a[5]}`);
      await visitor.get(withoutHash(String(first.headers.location)));
      expect(await views()).toBe(before + 3);
    });

    it('shows a short thread on one page, without a pager, and has no page 2', async () => {
      const short = await longThread(3, 'short thread');
      const html = (await visitor.get(short.q.url)).text;
      expect(answerOrder(html)).toHaveLength(3);
      expect(pagerOf(html)).toBeNull();
      expect(html).not.toContain('Page 1 of 1');
      expect((await visitor.get(`${short.q.url}?page=2`)).status).toBe(404);
      expect((await visitor.get(`${short.q.url}?page=1`)).headers.location).toBe(short.q.url);
    });

    it('shows an unanswered question as its page 1, and nothing beyond', async () => {
      const bare = await askQuestion(asker.client, 'cams', { title: 'Nobody answered this one yet', tags: 'flash' });
      expect((await visitor.get(bare.url)).status).toBe(200);
      expect((await visitor.get(`${bare.url}?page=2`)).status).toBe(404);
    });
  });

  describe('links to an answer: ?a=<answer id>', () => {
    let t: Awaited<ReturnType<typeof longThread>>;

    beforeAll(async () => {
      t = await longThread(65, 'linked thread');
    });

    it('redirects (302, not permanent) to the page that holds the answer, at its anchor', async () => {
      for (const [index, page] of [[64, 1], [5, 1], [35, 2], [0, 3], [62, 3]] as const) {
        const res = await visitor.get(`${t.q.url}?a=${t.a[index]}`);
        expect(res.status).toBe(302);
        expect(res.headers.location).toBe(`${t.q.url}${page > 1 ? `?page=${page}` : ''}#a${t.a[index]}`);
        const landed = await visitor.get(withoutHash(String(res.headers.location)));
        expect(answerOrder(landed.text)).toContain(t.a[index]);
      }
    });

    it('goes straight there from a link without the slug or with an old one', async () => {
      for (const path of [`/c/cams/q/${t.q.id}?a=${t.a[0]}`, `/c/other/q/${t.q.id}/old?a=${t.a[0]}`]) {
        const res = await visitor.get(path);
        expect(res.status).toBe(302);
        expect(res.headers.location).toBe(`${t.q.url}?page=3#a${t.a[0]}`);
      }
    });

    it('follows the answer when votes move it to another page', async () => {
      expect((await visitor.get(`${t.q.url}?a=${t.a[50]}`)).headers.location).toBe(`${t.q.url}?page=2#a${t.a[50]}`);
      await app.storage.votes.castVote(t.a[50]!, voter.user.id, 1, clock.now());
      expect((await visitor.get(`${t.q.url}?a=${t.a[50]}`)).headers.location).toBe(`${t.q.url}#a${t.a[50]}`);
      await app.storage.votes.castVote(t.a[50]!, voter.user.id, 0, clock.now());
    });

    it('sends an answer that is not one of this question\'s to the question itself', async () => {
      const other = await longThread(1, 'other thread');
      for (const id of [other.a[0]!, t.q.id, '99999999']) {
        const res = await visitor.get(`${t.q.url}?a=${id}`);
        expect(res.status).toBe(302);
        expect(res.headers.location).toBe(t.q.url);
      }
    });

    it.each(['abc', '0', '-1', '', '1.5', `${'9'.repeat(30)}`])('answers a malformed answer id %j with 404', async (id) => {
      const res = await visitor.get(`${t.q.url}?a=${id}`);
      expect(res.status).toBe(404);
      expect(looksLikeStackTrace(res.text)).toBe(false);
    });

    it('answers a repeated answer id with 404', async () => {
      expect((await visitor.get(`${t.q.url}?a=${t.a[0]}&a=${t.a[1]}`)).status).toBe(404);
    });

    it('is what a search result for an answer links to, and the click lands on the right page', async () => {
      const res = await visitor.get('/search?q=number+62+linked');
      expect(res.status).toBe(200);
      const permalink = `${t.q.url}?a=${t.a[62]}`;
      const clicks = [...res.text.matchAll(/href="(\/search\/click\?[^"]*)"/g)].map((m) => decodeHtml(m[1]!));
      const click = clicks.find((c) => new URLSearchParams(c.slice(c.indexOf('?') + 1)).get('to') === permalink);
      expect(click, clicks.join('\n')).toBeDefined();
      const clicked = await visitor.get(click!);
      expect(clicked.headers.location).toBe(permalink);
      expect((await visitor.get(permalink)).headers.location).toBe(`${t.q.url}?page=3#a${t.a[62]}`);
    });

    it('is what an FAQ entry links to as its source discussion', async () => {
      const top = await app.storage.faq.createCategory({ communityId: cams.id, parentId: null, name: 'Flash', slug: 'flash', depth: 1, now: clock.now() });
      const entry = await app.storage.faq.createEntry({
        communityId: cams.id, categoryId: top.id, title: 'Why does the flash fire early?', slug: 'flash-early', bodyMd: 'Check the contacts.', bodyHtml: '<p>Check the contacts.</p>', bodyText: 'Check the contacts.',
        sourceQuestionId: t.q.id, sourceAnswerId: t.a[33]!, relatedIds: [], createdBy: asker.user.id, now: clock.now(),
      });
      const html = (await visitor.get(faqEntryUrl('cams', entry))).text;
      expect(html).toContain(`href="${t.q.url}?a=${t.a[33]}"`);
      expect((await visitor.get(`${t.q.url}?a=${t.a[33]}`)).headers.location).toBe(`${t.q.url}?page=2#a${t.a[33]}`);
    });
  });

  describe('redirects after changes without JavaScript', () => {
    let t: Awaited<ReturnType<typeof longThread>>;

    beforeAll(async () => {
      t = await longThread(65, 'busy thread');
    });

    it('sends a new answer that lands on page 3 to page 3, where it is shown', async () => {
      const res = await voter.client.post(`/q/${t.q.id}/answers`, { body: 'Clean the hot-shoe contacts with a dry cloth, then try again.' });
      expect(res.status).toBe(303);
      const location = String(res.headers.location);
      const id = /#a(\d+)$/.exec(location)![1]!;
      // Score 0 and newest: after every other answer at 0, before the one voted down.
      expect(location).toBe(`${t.q.url}?page=3#a${id}`);
      const page = await voter.client.get(withoutHash(location));
      expect(answerOrder(page.text)).toEqual([t.a[60], t.a[61], t.a[62], t.a[63], id, t.a[0]]);
      expect(textOfId(page.text, 'answers-heading')).toBe('66 answers');
    });

    it('sends an accept on page 2 to page 1, where the accepted answer now comes first', async () => {
      const target = t.a[45]!;
      expect(answerOrder((await asker.client.get(`${t.q.url}?page=2`)).text)).toContain(target);
      const res = await asker.client.post(`/q/${t.q.id}/accept`, { answerId: target });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${t.q.url}#a${target}`);
      const first = await asker.client.get(t.q.url);
      expect(answerOrder(first.text)[0]).toBe(target);
      expect(acceptedAnswers(first.text)).toEqual([target]);
      expect(answerOrder((await asker.client.get(`${t.q.url}?page=2`)).text)).not.toContain(target);

      // Withdrawing it sends the answer, and the asker, back to its page.
      const back = await asker.client.post(`/q/${t.q.id}/accept`, { answerId: target });
      expect(back.headers.location).toBe(`${t.q.url}?page=2#a${target}`);
      expect(answerOrder((await asker.client.get(`${t.q.url}?page=2`)).text)).toContain(target);
    });

    it('sends a vote to the page that holds the answer after the vote', async () => {
      // a62 is on page 3; one vote up puts it after a64 (2) and a40 (1, older): page 1.
      const up = await vote(voter.client, t.a[62]!, '1');
      expect(up.status).toBe(303);
      expect(up.headers.location).toBe(`${t.q.url}#a${t.a[62]}`);
      // Withdrawn, it goes back to page 3.
      const withdrawn = await vote(voter.client, t.a[62]!, '0');
      expect(withdrawn.headers.location).toBe(`${t.q.url}?page=3#a${t.a[62]}`);
      // A vote on the question goes to the question.
      expect((await vote(voter.client, t.q.id, '1')).headers.location).toBe(t.q.url);
    });

    it('leaves the JSON vote endpoint as it was', async () => {
      const res = await voter.client.post(`/posts/${t.a[61]}/vote`, { value: '1' }, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.body).toEqual({ postId: t.a[61], score: 1, value: 1 });
      expect(res.headers.location).toBeUndefined();
      const undo = await voter.client.post(`/posts/${t.a[61]}/vote`, { value: '0' }, { headers: { accept: 'application/json' } });
      expect(undo.body).toEqual({ postId: t.a[61], score: 0, value: 0 });
    });

    it('sends an edit of an answer on page 3 back to page 3', async () => {
      const author = authors[63 % 3]!;
      const res = await author.client.post(`/posts/${t.a[63]}/edit`, { body: 'Answer number 63, edited: clean the flash contacts first.', reason: 'clearer' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${t.q.url}?page=3#a${t.a[63]}`);
      // Its edit page links back to it through the answer's permalink.
      expect((await author.client.get(`/posts/${t.a[63]}/edit`)).text).toContain(`href="${t.q.url}?a=${t.a[63]}"`);
    });

    it('sends a comment on an answer on page 2 back to page 2, and shows a comment error there', async () => {
      const ok = await voter.client.post(`/posts/${t.a[35]}/comments`, { comment: 'Did that fix it for you?' });
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe(`${t.q.url}?page=2#a${t.a[35]}`);
      expect((await voter.client.get(`${t.q.url}?page=2`)).text).toContain('Did that fix it for you?');

      const bad = await voter.client.post(`/posts/${t.a[35]}/comments`, { comment: 'x' });
      expect(bad.status).toBe(400);
      expect(answerOrder(bad.text)).toContain(t.a[35]);
      expect(bad.text).toContain(`id="comment-${t.a[35]}-text-error"`);
    });

    it('gives the answer form back with its message when an answer is too short', async () => {
      const res = await voter.client.post(`/q/${t.q.id}/answers`, { body: 'short' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="answer-body-error"');
      expect(res.text).toMatch(/<textarea id="answer-body"[^>]*>short<\/textarea>/);
      expect(textOfId(res.text, 'answers-heading')).toMatch(/^\d+ answers$/);
    });

    it('still gives postAnswer (the suites\' helper) an #a anchor to read', async () => {
      const id = await postAnswer(voter.client, t.q.id, 'One more answer for the helper to find.');
      expect(answerOrder((await visitor.get(`${t.q.url}?page=3`)).text)).toContain(id);
    });
  });
});
