/*
 * Nothing a user writes may run script in another user's browser. Every payload in
 * test/fixtures/xss-payloads.ts is posted through the real routes in every place a user
 * can write (question title, body and tags, answer, comment, edit, preview), and both the
 * stored HTML and every page that shows it are checked: no script element, no event
 * handler attribute, no javascript:/data:/vbscript: URL, no iframe/object/embed/style/
 * base/meta/form from user content, and every link rel="nofollow ugc noopener".
 * test/e2e/xss.test.ts posts a sample in a real browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { renderMarkdown, renderPlainWithLinks } from '../../src/markdown/render.js';
import type { Community } from '../../src/domain/types.js';
import { TestClient } from '../helpers/app.js';
import {
  assertWellFormedXml,
  createCommunity,
  createQaApp,
  elementsOf,
  jsonLdIsInert,
  member,
  steppingClock,
  unsafeContentProblems,
  unsafePageProblems,
} from '../helpers/qa.js';
import { XSS_PAYLOADS } from '../fixtures/xss-payloads.js';

function fitTitle(s: string): string {
  const oneLine = s.replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine);
  return chars.length > 150 ? chars.slice(0, 150).join('').trim() : oneLine.padEnd(10, '.');
}

function fitBody(s: string): string {
  return s.trim().length >= 10 ? s : `${s}\n\npadding text`;
}

describe('XSS payload list', () => {
  it('has at least 60 distinct payloads with unique names', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(XSS_PAYLOADS.map((p) => p.name)).size).toBe(XSS_PAYLOADS.length);
    expect(new Set(XSS_PAYLOADS.map((p) => p.payload)).size).toBe(XSS_PAYLOADS.length);
  });

  // The checks below must be able to fail: they flag the raw payloads themselves.
  it('the safety checks flag unsanitised markup', () => {
    expect(unsafeContentProblems('<script>alert(1)</script>')).not.toEqual([]);
    expect(unsafeContentProblems('<img src=x onerror=alert(1)>')).not.toEqual([]);
    expect(unsafeContentProblems('<a href="JaVaScRiPt:alert(1)" rel="nofollow ugc noopener">x</a>')).not.toEqual([]);
    expect(unsafeContentProblems('<a href="java&#x09;script:alert(1)" rel="nofollow ugc noopener">x</a>')).not.toEqual([]);
    expect(unsafeContentProblems('<img src="data:image/svg+xml;base64,AAAA">')).not.toEqual([]);
    expect(unsafeContentProblems('<a href="https://ok.example/">no rel</a>')).not.toEqual([]);
    expect(unsafeContentProblems('<iframe srcdoc="x"></iframe>')).not.toEqual([]);
    expect(unsafeContentProblems('<base href="/">')).not.toEqual([]);
    expect(unsafeContentProblems('<p style="color:red">x</p>')).not.toEqual([]);
    expect(unsafePageProblems('<html><head><script>alert(1)</script></head></html>')).not.toEqual([]);
    expect(unsafePageProblems('<p><a href="vbscript:x">x</a></p>')).not.toEqual([]);
    expect(unsafePageProblems('<meta http-equiv="refresh" content="0;url=javascript:x">')).not.toEqual([]);
    expect(unsafeContentProblems('<p><a href="https://ok.example/" rel="nofollow ugc noopener">ok</a> <img src="https://ok.example/a.png" alt="a" loading="lazy"></p>')).toEqual([]);
    const flagged = XSS_PAYLOADS.filter((p) => unsafeContentProblems(p.payload).length > 0 || /<script|javascript:|\bon\w+=/i.test(p.payload));
    expect(flagged.length).toBeGreaterThanOrEqual(60);
  });
});

describe('the Markdown pipeline on its own', () => {
  it.each(XSS_PAYLOADS.map((p) => [p.name, p.payload]))('renders %s safely', (_name, payload) => {
    const { html, text } = renderMarkdown(payload);
    expect(unsafeContentProblems(html)).toEqual([]);
    expect(typeof text).toBe('string');
    expect(unsafeContentProblems(renderPlainWithLinks(payload))).toEqual([]);
  });

  it('keeps harmless formatting and adds rel to every link', () => {
    const { html } = renderMarkdown('## Title\n\n**bold** [a](https://ok.example/a) <https://ok.example/b> www.ok.example/c ![i](https://ok.example/i.png)\n\n| a |\n|---|\n| b |');
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<table>');
    const links = elementsOf(html).filter((e) => e.name === 'a');
    // three links, and the image shown as a fourth link to it (no <img> from another host)
    expect(links).toHaveLength(4);
    for (const a of links) expect(a.attribs.rel).toBe('nofollow ugc noopener');
    expect(elementsOf(html).find((e) => e.name === 'img')).toBeUndefined();
    expect(links.find((a) => a.attribs.class === 'external-image')?.attribs.href).toBe('https://ok.example/i.png');
  });
});

describe('XSS payloads through the real routes', () => {
  let app: FastifyInstance;
  let community: Community;
  let author: TestClient;
  let answerer: TestClient;
  let reader: TestClient;
  const pagesToRecheck = new Set<string>();
  let linksChecked = 0;

  beforeAll(async () => {
    app = await createQaApp({ now: steppingClock().now });
    community = await createCommunity(app.storage, 'xss', { name: 'XSS lab' });
    author = (await member(app, community, 'xss_author')).client;
    answerer = (await member(app, community, 'xss_answerer')).client;
    reader = (await member(app, community, 'xss_reader')).client;
  });

  afterAll(async () => {
    await app.close();
  });

  function expectSafePage(html: string, where: string) {
    expect(unsafePageProblems(html), where).toEqual([]);
    expect(jsonLdIsInert(html), `${where}: JSON-LD`).toBe(true);
  }

  function expectSafeContent(html: string, where: string) {
    expect(unsafeContentProblems(html), where).toEqual([]);
    linksChecked += elementsOf(html).filter((e) => e.name === 'a' && e.attribs.href !== undefined).length;
  }

  it.each(XSS_PAYLOADS.map((p, i) => [p.name, p.payload, i] as const))('%s', async (_name, payload, i) => {
    const title = fitTitle(`XSS ${i} ${payload}`);
    const body = fitBody(payload);

    // Preview, without JS (the ask form) and with JS (the JSON endpoint).
    const preview = await author.post('/c/xss/ask', { title, body, tags: 'xss', action: 'preview' });
    expect([200, 400]).toContain(preview.status);
    expectSafePage(preview.text, 'ask preview');
    const json = await author.post('/preview', { body }, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(200);
    expectSafeContent((json.body as { html: string }).html, 'JSON preview');

    // The question: title and body.
    const asked = await author.post('/c/xss/ask', { title, body, tags: 'xss', action: 'post' });
    expect(asked.status, asked.text.slice(0, 500)).toBe(303);
    const url = String(asked.headers.location);
    const id = /\/q\/(\d+)\//.exec(url)![1]!;
    const question = (await app.storage.posts.findQuestion(id))!;
    expect(question.title).toBe(title);
    expectSafeContent(question.bodyHtml, 'stored question body');
    pagesToRecheck.add(url);

    // An answer and a comment on each post.
    const answered = await answerer.post(`/q/${id}/answers`, { body });
    expect(answered.status).toBe(303);
    const answerId = /#a(\d+)$/.exec(String(answered.headers.location))![1]!;
    expectSafeContent((await app.storage.posts.findPost(answerId))!.bodyHtml, 'stored answer body');
    const comment = Array.from(payload).slice(0, 600).join('');
    const commentText = comment.trim().length >= 2 ? comment : `${comment} ok`;
    for (const postId of [id, answerId]) {
      const res = await reader.post(`/posts/${postId}/comments`, { comment: commentText });
      expect(res.status).toBe(303);
    }
    for (const c of await app.storage.comments.listFor([id, answerId])) expectSafeContent(c.bodyHtml, 'stored comment');

    // A comment that is too long comes back in the form, with the text kept.
    const tooLong = await reader.post(`/posts/${id}/comments`, { comment: `${payload} ${'x'.repeat(600)}` });
    expect(tooLong.status).toBe(400);
    expectSafePage(tooLong.text, 'comment form with errors');

    // The payload as tags: refused (or normalised into harmless tags); either way the page is safe.
    const tagged = await author.post('/c/xss/ask', { title: fitTitle(`Tags ${i} test question`), body: 'A harmless body text.', tags: payload, action: 'post' });
    expect([303, 400]).toContain(tagged.status);
    if (tagged.status === 400) expectSafePage(tagged.text, 'ask form with bad tags');
    else {
      const tq = (await app.storage.posts.findQuestion(/\/q\/(\d+)\//.exec(String(tagged.headers.location))![1]!))!;
      for (const t of tq.tags) {
        expect(t).toMatch(/^[\p{L}\p{N}][\p{L}\p{N}+#._-]*$/u);
        const tagPage = await reader.get(`/c/xss/tags/${encodeURIComponent(t)}`);
        expectSafePage(tagPage.text, `tag page ${t}`);
      }
    }

    // An edit that puts the payload in the title and body.
    const edited = await author.post(`/posts/${id}/edit`, { title: fitTitle(`Edited ${i} ${payload}`), body: `${body}\n\nedited`, tags: 'xss edited', reason: payload.slice(0, 300) });
    expect(edited.status).toBe(303);
    const after = (await app.storage.posts.findQuestion(id))!;
    expectSafeContent(after.bodyHtml, 'stored body after edit');
    const answerEdit = await answerer.post(`/posts/${answerId}/edit`, { body: `edited: ${body}`, reason: 'xss' });
    expect(answerEdit.status).toBe(303);
    expectSafeContent((await app.storage.posts.findPost(answerId))!.bodyHtml, 'stored answer after edit');

    // Every page that shows the payload.
    const page = await reader.get(String(edited.headers.location));
    expect(page.status).toBe(200);
    expectSafePage(page.text, 'question page');
    // The title is escaped wherever it appears (JSON-LD escapes '<' as \u003c).
    if (after.title.includes('<')) expect(page.text).not.toContain(after.title);
    expectSafePage((await reader.get(`/posts/${id}/revisions`)).text, 'question revisions');
    expectSafePage((await reader.get(`/posts/${answerId}/revisions`)).text, 'answer revisions');
    expectSafePage((await author.get(`/posts/${id}/edit`)).text, 'question edit form');
    expectSafePage((await answerer.get(`/posts/${answerId}/edit`)).text, 'answer edit form');
    const badEdit = await author.post(`/posts/${id}/edit`, { title: 'short', body: payload, tags: payload, reason: '' });
    expect(badEdit.status).toBe(400);
    expectSafePage(badEdit.text, 'edit form with errors');
    const badAnswer = await answerer.post(`/q/${id}/answers`, { body: `${payload} ${'y'.repeat(30_000)}` });
    expect(badAnswer.status).toBe(400);
    expectSafePage(badAnswer.text, 'answer form with errors');
  });

  it('lists every payload title safely on the community, tag, profile and home pages', async () => {
    expect(pagesToRecheck.size).toBe(XSS_PAYLOADS.length);
    for (const sort of ['active', 'newest', 'top', 'unanswered']) {
      for (let page = 1; page <= Math.ceil((XSS_PAYLOADS.length * 2) / 20); page++) {
        const res = await reader.get(`/c/xss?sort=${sort}&page=${page}`);
        expect(res.status).toBe(200);
        expectSafePage(res.text, `community ${sort} page ${page}`);
      }
    }
    expectSafePage((await reader.get('/c/xss/tags/xss')).text, 'tag page');
    expectSafePage((await reader.get('/c/xss/tags/edited?sort=newest&page=2')).text, 'tag page 2');
    expectSafePage((await reader.get('/u/xss_author')).text, 'profile');
    expectSafePage((await reader.get('/u/xss_reader')).text, 'profile');
    expectSafePage((await new TestClient(app).get('/')).text, 'home page');
  });

  it('keeps the feed and the sitemap well-formed with every payload title', async () => {
    const feed = await reader.get('/c/xss/feed.atom');
    assertWellFormedXml(feed.text);
    expect(feed.text).not.toMatch(/<script|<img|<svg|<iframe/i);
    const sitemap = await reader.get('/sitemap.xml');
    assertWellFormedXml(sitemap.text);
    for (const page of ['/sitemap-pages.xml', '/sitemap-questions-1.xml']) {
      const sub = await reader.get(page);
      expect(sub.status).toBe(200);
      assertWellFormedXml(sub.text);
      expect(sub.text).not.toMatch(/<script|<img|<svg|<iframe/i);
    }
  });

  it('actually checked links (so the rel check was not vacuous)', () => {
    expect(linksChecked).toBeGreaterThan(20);
  });
});
