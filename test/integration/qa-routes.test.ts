/*
 * The Q&A routes as a browser (or a hostile client) uses them: asking with preview and
 * validation, the question page and its structured data, answers, votes, acceptance,
 * comments, edits with revisions, the lists and tag pages, the JSON preview, the sitemap
 * and the Atom feed. Each route is tried with the bad inputs the issue lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community, User } from '../../src/domain/types.js';
import { TestClient } from '../helpers/app.js';
import {
  acceptedAnswers,
  answerOrder,
  askInput,
  askQuestion,
  assertWellFormedXml,
  clientFor,
  createCommunity,
  createQaApp,
  idFromUrl,
  jsonLdOf,
  listRows,
  member,
  postAnswer,
  shownScore,
  steppingClock,
  storageUser,
  vote,
  xmlTexts,
} from '../helpers/qa.js';
import { decodeHtml, looksLikeStackTrace, textOfId } from './support.js';

const BASE = 'https://forum.example.test';
const JSON_ACCEPT = { accept: 'application/json' };

/** The message of a field error on a re-rendered form. */
function fieldError(html: string, id: string): string | undefined {
  const m = new RegExp(`<p class="field-error" id="${id}-error">([\\s\\S]*?)</p>`).exec(html);
  return m ? decodeHtml(m[1]!) : undefined;
}

function inputValue(html: string, id: string): string | undefined {
  const m = new RegExp(`<input id="${id}"[^>]*\\bvalue="([^"]*)"`).exec(html);
  return m ? decodeHtml(m[1]!) : undefined;
}

function textareaValue(html: string, id: string): string | undefined {
  const m = new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return m ? decodeHtml(m[1]!) : undefined;
}

function previewHtml(html: string): string {
  const m = /<div class="preview prose" data-preview-target[^>]*>([\s\S]*?)<\/div>\s*<\/section>/.exec(html);
  if (!m) throw new Error('no preview box');
  return m[1]!;
}

/** The main message of an error page. */
function errorMessage(html: string): string {
  const m = /<h1 id="error-heading">[\s\S]*?<\/h1>\s*<p>([\s\S]*?)<\/p>/.exec(html);
  return m ? decodeHtml(m[1]!) : '';
}

function expectNoLeak(res: { text: string }) {
  expect(looksLikeStackTrace(res.text)).toBe(false);
}

describe('Q&A routes', () => {
  let app: FastifyInstance;
  let cams: Community;
  let asker: { user: User; client: TestClient };
  let answerer: { user: User; client: TestClient };
  let voter: { user: User; client: TestClient };
  let moderator: { user: User; client: TestClient };
  let outsider: { user: User; client: TestClient };
  let visitor: TestClient;

  beforeAll(async () => {
    const clock = steppingClock();
    app = await createQaApp({ now: clock.now, config: { baseUrl: BASE } });
    cams = await createCommunity(app.storage, 'cams', { name: 'Camera support' });
    asker = await member(app, cams, 'asker');
    answerer = await member(app, cams, 'answerer');
    voter = await member(app, cams, 'voter');
    moderator = await member(app, cams, 'moddy', 'moderator');
    const other = await createCommunity(app.storage, 'elsewhere');
    outsider = await member(app, other, 'outsider');
    visitor = new TestClient(app);
  });

  afterAll(async () => {
    await app.close();
  });

  const reputation = async (user: User) => (await app.storage.users.findById(user.id))!.reputation;

  /* ------------------------------------------------------------------ asking */

  describe('GET /c/:community/ask', () => {
    it('sends a visitor to the login form and back', async () => {
      const res = await visitor.get('/c/cams/ask');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?next=%2Fc%2Fcams%2Fask');
    });

    it('shows a member the form, with a title carried over from ?title=', async () => {
      const res = await asker.client.get('/c/cams/ask?title=Battery%20drains%20overnight');
      expect(res.status).toBe(200);
      expect(textOfId(res.text, 'ask-heading')).toBe('Ask a question');
      expect(inputValue(res.text, 'title')).toBe('Battery drains overnight');
      expect(res.text).toContain('action="/c/cams/ask"');
      expect(res.text).toContain('name="action" value="preview"');
      expect(res.text).not.toContain('Join this community to ask a question.');
    });

    it('tells a non-member to join first', async () => {
      const res = await outsider.client.get('/c/cams/ask');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Join this community to ask a question.');
      // The Join button submits the ask form itself, so the draft survives joining.
      expect(res.text).toContain('<button type="submit" form="ask-form" name="action" value="join"');
      expect(res.text).toContain('<form id="ask-form" action="/c/cams/ask" method="post"');
    });

    it('answers an unknown community with 404', async () => {
      expect((await asker.client.get('/c/nowhere/ask')).status).toBe(404);
    });
  });

  describe('POST /c/:community/ask', () => {
    it('creates the question and redirects to its canonical page', async () => {
      const before = (await app.storage.communities.findBySlug('cams'))!.questionCount;
      const res = await asker.client.post('/c/cams/ask', {
        title: '  How do I   update the firmware over Wi-Fi? ',
        body: 'The **update** button is grey.\n\n- step one\n- step two',
        tags: 'firmware wifi',
        action: 'post',
      });
      expect(res.status).toBe(303);
      const location = String(res.headers.location);
      expect(location).toMatch(/^\/c\/cams\/q\/\d+\/how-do-i-update-the-firmware-over-wi-fi$/);
      const id = idFromUrl(location);
      const stored = await app.storage.posts.findQuestion(id);
      expect(stored).toMatchObject({ title: 'How do I update the firmware over Wi-Fi?', tags: ['firmware', 'wifi'], authorId: asker.user.id, score: 0, answerCount: 0 });
      expect(stored!.bodyHtml).toContain('<strong>update</strong>');
      expect(stored!.bodyHtml).toContain('<li>step one</li>');
      expect((await app.storage.communities.findBySlug('cams'))!.questionCount).toBe(before + 1);

      const page = await visitor.get(location);
      expect(page.status).toBe(200);
      expect(textOfId(page.text, 'question-title')).toBe('How do I update the firmware over Wi-Fi?');
      expect(page.text).toContain('<strong>update</strong>');
      expect(page.text).toContain('<a class="tag" href="/c/cams/tags/firmware">firmware</a>');
    });

    it('previews the Markdown without saving (action=preview) and keeps the input', async () => {
      const before = await app.storage.posts.countQuestions();
      const input = { title: 'Preview: does the lens cap fit?', body: 'Some *emphasis* and `code` <script>alert(1)</script>', tags: 'lens' };
      const res = await asker.client.post('/c/cams/ask', { ...input, action: 'preview' });
      expect(res.status).toBe(200);
      const preview = previewHtml(res.text);
      expect(preview).toContain('<em>emphasis</em>');
      expect(preview).toContain('<code>code</code>');
      expect(preview).not.toContain('<script');
      expect(inputValue(res.text, 'title')).toBe(input.title);
      expect(textareaValue(res.text, 'body')).toBe(input.body);
      expect(inputValue(res.text, 'tags')).toBe('lens');
      expect(await app.storage.posts.countQuestions()).toBe(before);
    });

    it('still previews an incomplete draft, with its messages (400)', async () => {
      const res = await asker.client.post('/c/cams/ask', { title: 'short', body: '# Heading', tags: '', action: 'preview' });
      expect(res.status).toBe(400);
      expect(previewHtml(res.text)).toContain('<h1>Heading</h1>');
      expect(fieldError(res.text, 'title')).toBe('Use 10 to 150 characters.');
      expect(fieldError(res.text, 'tags')).toBe('Add at least one tag.');
    });

    it('checks for similar questions (action=check) without saving', async () => {
      await askQuestion(asker.client, 'cams', { title: 'Shutter button sticks in cold weather', tags: 'shutter' });
      const before = await app.storage.posts.countQuestions();
      const res = await asker.client.post('/c/cams/ask', { title: 'Shutter button sticks', body: 'It sticks when it is cold outside.', tags: 'shutter', action: 'check' });
      expect(res.status).toBe(200);
      expect(inputValue(res.text, 'title')).toBe('Shutter button sticks');
      expect(res.text).toContain('id="similar-questions"');
      expect(decodeHtml(res.text)).toContain('Shutter button sticks in cold weather');
      expect(await app.storage.posts.countQuestions()).toBe(before);
    });

    it.each([
      ['a title that is too short', { title: 'Too short' }, 'title', 'Use 10 to 150 characters.'],
      ['a title that is too long', { title: 'x'.repeat(151) }, 'title', 'Use 10 to 150 characters.'],
      ['no title', { title: '   ' }, 'title', 'This field is required.'],
      ['no tags', { tags: '  , ' }, 'tags', 'Add at least one tag.'],
      ['six tags', { tags: 'a1 b2 c3 d4 e5 f6' }, 'tags', 'Use at most 5 tags.'],
      ['an invalid tag', { tags: 'ok <b>bad</b>' }, 'tags', 'The tag “<b>bad</b>” is not valid: use letters, digits, + # . _ - (at most 35 characters).'],
      ['a tag starting with a dash', { tags: '-dash' }, 'tags', 'The tag “-dash” is not valid: use letters, digits, + # . _ - (at most 35 characters).'],
      ['a tag that is too long', { tags: 't'.repeat(36) }, 'tags', `The tag “${'t'.repeat(36)}” is not valid: use letters, digits, + # . _ - (at most 35 characters).`],
      ['a body that is too short', { body: 'tiny' }, 'body', 'Use 10 to 150 characters.'.replace('150', '30000')],
    ])('refuses %s with the form, a message and the input kept (400)', async (_label, override, field, message) => {
      const before = await app.storage.posts.countQuestions();
      const input = askInput({ body: 'Body with <angle> & "quotes" kept as typed.', ...override });
      const res = await asker.client.post('/c/cams/ask', { ...input, action: 'post' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('Please correct the highlighted fields.');
      expect(fieldError(res.text, field)).toBe(message);
      expect(res.text).toContain(`aria-describedby="${field}-error"`);
      expect(inputValue(res.text, 'title')).toBe(input.title);
      expect(textareaValue(res.text, 'body')).toBe(input.body);
      expect(inputValue(res.text, 'tags')).toBe(input.tags);
      expect(await app.storage.posts.countQuestions()).toBe(before);
    });

    it('accepts titles of exactly 10 and 150 characters, and 5 tags', async () => {
      await askQuestion(asker.client, 'cams', { title: '0123456789', tags: 'a1 b2 c3 d4 e5' });
      const { id } = await askQuestion(asker.client, 'cams', { title: 'y'.repeat(150) });
      expect((await app.storage.posts.findQuestion(id))!.title).toHaveLength(150);
    });

    it('counts a Chinese title in characters, not bytes, each counting two towards the minimum', async () => {
      const { id, url } = await askQuestion(asker.client, 'cams', { title: '相机开机后屏幕一直黑屏', tags: '屏幕' });
      expect((await app.storage.posts.findQuestion(id))!.title).toBe('相机开机后屏幕一直黑屏');
      expect(url).toBe(`/c/cams/q/${id}/${encodeURIComponent('相机开机后屏幕一直黑屏')}`);
      expect((await visitor.get(url)).status).toBe(200);
      // Seven characters are a complete Chinese question; four are not.
      const short = await asker.client.post('/c/cams/ask', { ...askInput({ title: '屏幕黑屏怎么办' }), action: 'post' });
      expect(short.status).toBe(303);
      const tooShort = await asker.client.post('/c/cams/ask', { ...askInput({ title: '屏幕黑屏' }), action: 'post' });
      expect(tooShort.status).toBe(400);
      expect(fieldError(tooShort.text, 'title')).toBe('Use 10 to 150 characters (Chinese, Japanese or Korean: from 5 characters).');
    });

    it('normalises tags (trimmed, lower-case, Chinese allowed) and creates them on first use', async () => {
      expect(await app.storage.tags.find(cams.id, '电池')).toBeNull();
      const { id } = await askQuestion(asker.client, 'cams', { title: 'Battery drains overnight in standby', tags: '  电池 ，BATTERY、 Standby-Mode ,电池 ' });
      const q = (await app.storage.posts.findQuestion(id))!;
      expect(q.tags).toEqual(['电池', 'battery', 'standby-mode']);
      expect(await app.storage.tags.find(cams.id, '电池')).toMatchObject({ name: '电池', questionCount: 1 });
      expect(await app.storage.tags.find(cams.id, 'battery')).toMatchObject({ name: 'battery', questionCount: 1 });
      // a second question reuses the tags and counts up
      await askQuestion(asker.client, 'cams', { title: 'Which battery lasts the longest?', tags: 'Battery 电池' });
      expect(await app.storage.tags.find(cams.id, 'battery')).toMatchObject({ questionCount: 2 });
      expect(await app.storage.tags.find(cams.id, '电池')).toMatchObject({ questionCount: 2 });
      const tagPage = await visitor.get(`/c/cams/tags/${encodeURIComponent('电池')}`);
      expect(tagPage.status).toBe(200);
      expect(decodeHtml(tagPage.text)).toContain('Questions tagged “电池”');
      expect(listRows(tagPage.text).map((r) => r.title)).toEqual(['Which battery lasts the longest?', 'Battery drains overnight in standby']);
    });

    it('refuses a visitor (401), a non-member (403 with the reason) and an unknown community (404)', async () => {
      const tokenOnly = new TestClient(app);
      const anon = await tokenOnly.post('/c/cams/ask', { ...askInput(), action: 'post' });
      expect(anon.status).toBe(401);
      expect(errorMessage(anon.text)).toBe('You need to log in to do that.');
      const stranger = await outsider.client.post('/c/cams/ask', { ...askInput(), action: 'post' });
      expect(stranger.status).toBe(403);
      expect(errorMessage(stranger.text)).toBe('Join this community first to ask, answer, comment or vote.');
      expect((await asker.client.post('/c/nowhere/ask', { ...askInput(), action: 'post' })).status).toBe(404);
    });

    it('refuses a post without a CSRF token (403) and saves nothing', async () => {
      const before = await app.storage.posts.countQuestions();
      const res = await asker.client.post('/c/cams/ask', { ...askInput(), action: 'post' }, { csrf: false });
      expect(res.status).toBe(403);
      expect(errorMessage(res.text)).toBe('Your form expired or came from another site. Go back, reload the page and try again.');
      const forged = await asker.client.post('/c/cams/ask', { ...askInput(), action: 'post', _csrf: 'forged-token' });
      expect(forged.status).toBe(403);
      expect(await app.storage.posts.countQuestions()).toBe(before);
    });

    it('refuses a JSON object where a string belongs (400), never treating it as a query', async () => {
      const before = await app.storage.posts.countQuestions();
      const token = await asker.client.csrf();
      for (const body of [
        { title: { $ne: 1 }, body: 'A body that is long enough.', tags: 'json', _csrf: token },
        { title: 'A title that is long enough', body: ['one', 'two'], tags: 'json', _csrf: token },
        { title: 'A title that is long enough', body: 'A body that is long enough.', tags: { $gt: '' }, _csrf: token },
        { title: 'A title that is long enough', body: 'A body that is long enough.', tags: 42, _csrf: token },
      ]) {
        const res = await asker.client.agent.post('/c/cams/ask').set('content-type', 'application/json').send(JSON.stringify(body));
        expect(res.status).toBe(400);
        expectNoLeak(res);
      }
      // a repeated form field is an array, too
      const repeated = await asker.client.post('/c/cams/ask', { title: ['A title that is long enough', 'again'], body: 'A body that is long enough.', tags: 'x' });
      expect(repeated.status).toBe(400);
      expect(await app.storage.posts.countQuestions()).toBe(before);
    });

    it('refuses a 1 MB body with 413', async () => {
      const res = await asker.client.post('/c/cams/ask', { ...askInput({ body: 'x'.repeat(1024 * 1024) }), action: 'post' });
      expect(res.status).toBe(413);
      expect(errorMessage(res.text)).toBe('What you sent is too large.');
      expectNoLeak(res);
    });
  });

  /* ------------------------------------------------------------------ reading */

  describe('GET /c/:community/q/:id/:slug', () => {
    let q: { id: string; url: string };
    let a1: string;
    let a2: string;
    let a3: string;

    beforeAll(async () => {
      q = await askQuestion(asker.client, 'cams', { title: 'Flash & <strobe> sync: which "mode"?', body: 'My flash fires too early.', tags: 'flash' });
      a1 = await postAnswer(answerer.client, q.id, 'Use rear-curtain sync in the menu.');
      a2 = await postAnswer(voter.client, q.id, 'Try the high-speed sync mode instead.');
      a3 = await postAnswer(moderator.client, q.id, 'Check the hot-shoe contacts first.');
    });

    it('serves the canonical URL with a canonical link and Open Graph tags', async () => {
      expect(q.url).toBe(`/c/cams/q/${q.id}/flash-strobe-sync-which-mode`);
      const res = await visitor.get(q.url);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<link rel="canonical" href="${BASE}${q.url}">`);
      expect(res.text).toContain('<meta property="og:title" content="Flash &amp; &lt;strobe&gt; sync: which &quot;mode&quot;?">');
      expect(res.text).toContain(`<meta property="og:url" content="${BASE}${q.url}">`);
      expect(res.text).toContain('<meta property="og:description" content="My flash fires too early.">');
      expect(res.text).toContain('<title>Flash &amp; &lt;strobe&gt; sync: which &quot;mode&quot;? · ');
    });

    it.each([
      ['a wrong slug', (id: string) => `/c/cams/q/${id}/wrong-slug`],
      ['no slug', (id: string) => `/c/cams/q/${id}`],
      ['no slug with a trailing slash', (id: string) => `/c/cams/q/${id}/`],
      ['the wrong community', (id: string) => `/c/elsewhere/q/${id}/flash-strobe-sync-which-mode`],
    ])('redirects %s permanently (301) to the canonical URL', async (_label, path) => {
      const res = await visitor.get(path(q.id));
      expect(res.status).toBe(301);
      expect(res.headers.location).toBe(q.url);
    });

    it('keeps the query string when it redirects', async () => {
      const res = await visitor.get(`/c/cams/q/${q.id}/old?utm=x`);
      expect(res.status).toBe(301);
      expect(res.headers.location).toBe(`${q.url}?utm=x`);
    });

    it('redirects a Chinese title to its percent-encoded canonical slug and serves it', async () => {
      const { id, url } = await askQuestion(asker.client, 'cams', { title: '闪光灯为什么不同步？', tags: '闪光灯' });
      expect((await visitor.get(`/c/cams/q/${id}`)).headers.location).toBe(url);
      const page = await visitor.get(url);
      expect(page.status).toBe(200);
      expect(textOfId(page.text, 'question-title')).toBe('闪光灯为什么不同步？');
    });

    it.each(['/c/cams/q/99999999', '/c/cams/q/99999999/slug', '/c/x/q/-1', '/c/cams/q/abc', '/c/cams/q/0', '/c/cams/q/1.5', '/c/cams/q/%24ne', `/c/cams/q/${'9'.repeat(40)}`])(
      'answers %s with 404',
      async (path) => {
        const res = await visitor.get(path);
        expect(res.status).toBe(404);
        expectNoLeak(res);
      },
    );

    it('answers the id of an answer with 404 (it is not a question)', async () => {
      expect((await visitor.get(`/c/cams/q/${a1}`)).status).toBe(404);
    });

    it('carries QAPage JSON-LD with upvoteCount, suggestedAnswer and acceptedAnswer', async () => {
      await vote(voter.client, q.id, '1');
      await vote(asker.client, a2, '1');
      await vote(answerer.client, a2, '1');
      await vote(asker.client, a3, '-1');
      let ld = jsonLdOf((await visitor.get(q.url)).text);
      expect(ld['@context']).toBe('https://schema.org');
      expect(ld['@type']).toBe('QAPage');
      const main = ld.mainEntity as Record<string, unknown>;
      expect(main).toMatchObject({ '@type': 'Question', name: 'Flash & <strobe> sync: which "mode"?', text: 'My flash fires too early.', answerCount: 3, upvoteCount: 1 });
      expect(main.author).toEqual({ '@type': 'Person', name: 'asker' });
      expect(main.acceptedAnswer).toBeUndefined();
      const suggested = main.suggestedAnswer as Array<Record<string, unknown>>;
      expect(suggested.map((a) => [a.url, a.upvoteCount])).toEqual([
        [`${BASE}${q.url}#a${a2}`, 2],
        [`${BASE}${q.url}#a${a1}`, 0],
        [`${BASE}${q.url}#a${a3}`, -1],
      ]);
      expect(suggested[0]).toMatchObject({ '@type': 'Answer', text: 'Try the high-speed sync mode instead.', author: { '@type': 'Person', name: 'voter' } });

      expect((await asker.client.post(`/q/${q.id}/accept`, { answerId: a1 })).status).toBe(303);
      ld = jsonLdOf((await visitor.get(q.url)).text);
      const main2 = ld.mainEntity as Record<string, unknown>;
      expect(main2.acceptedAnswer).toMatchObject({ '@type': 'Answer', url: `${BASE}${q.url}#a${a1}`, upvoteCount: 0, text: 'Use rear-curtain sync in the menu.' });
      expect((main2.suggestedAnswer as Array<{ url: string }>).map((a) => a.url)).toEqual([`${BASE}${q.url}#a${a2}`, `${BASE}${q.url}#a${a3}`]);
    });

    it('never cuts an emoji in half in the page description or the Open Graph description', async () => {
      const body = `${'a'.repeat(159)}😀 then ${'b'.repeat(30)}😀${'c'.repeat(100)}`;
      const { url } = await askQuestion(asker.client, 'cams', { title: 'Emoji where the description is cut', body, tags: 'emoji' });
      const html = (await visitor.get(url)).text;
      const description = decodeHtml(/<meta name="description" content="([^"]*)"/.exec(html)![1]!);
      const og = decodeHtml(/<meta property="og:description" content="([^"]*)"/.exec(html)![1]!);
      for (const text of [description, og]) {
        expect(text).not.toContain('\ufffd');
        expect(body.startsWith(text.replace(/…$/, ''))).toBe(true);
      }
      const prefill = await asker.client.get(`/c/cams/ask?title=${encodeURIComponent(`${'t'.repeat(149)}😀`)}`);
      expect(inputValue(prefill.text, 'title')).not.toContain('\ufffd');
    });

    it('keeps user text from closing the JSON-LD script element', async () => {
      const { url } = await askQuestion(asker.client, 'cams', { title: 'Why does </script><b>x</b> show up?', body: 'Body with </script><script>alert(1)</script> text' });
      const html = (await visitor.get(url)).text;
      const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!;
      expect(block).not.toContain('<');
      expect((JSON.parse(block) as { mainEntity: { name: string } }).mainEntity.name).toBe('Why does </script><b>x</b> show up?');
    });

    it('shows the accepted answer first, then by score, then the oldest', async () => {
      const html = (await visitor.get(q.url)).text;
      expect(answerOrder(html)).toEqual([a1, a2, a3]);
      expect(acceptedAnswers(html)).toEqual([a1]);
      expect(textOfId(html, 'answers-heading')).toBe('3 answers');
    });

    it('does not count a view for a redirect to the canonical URL', async () => {
      // A visit through a slug-less or outdated link is one view, not two.
      await app.services.viewCounter.flush();
      const before = (await app.storage.posts.findQuestion(q.id))!.viewCount;
      const redirect = await visitor.get(`/c/cams/q/${q.id}`);
      expect(redirect.status).toBe(301);
      await visitor.get(String(redirect.headers.location));
      await app.services.viewCounter.flush();
      expect((await app.storage.posts.findQuestion(q.id))!.viewCount).toBe(before + 1);
    });

    it('counts views', async () => {
      await app.services.viewCounter.flush();
      const before = (await app.storage.posts.findQuestion(q.id))!.viewCount;
      await visitor.get(q.url);
      await visitor.get(q.url);
      await app.services.viewCounter.flush();
      expect((await app.storage.posts.findQuestion(q.id))!.viewCount).toBe(before + 2);
    });
  });

  /* ------------------------------------------------------------------ answering */

  describe('POST /q/:id/answers', () => {
    let q: { id: string; url: string };
    beforeAll(async () => {
      q = await askQuestion(asker.client, 'cams', { title: 'Memory card is not recognised', tags: 'storage' });
    });

    it('adds the answer, bumps the answer count and last activity, and goes to the answer', async () => {
      const before = (await app.storage.posts.findQuestion(q.id))!;
      const res = await answerer.client.post(`/q/${q.id}/answers`, { body: 'Format the card **in the camera**, not on a computer.' });
      expect(res.status).toBe(303);
      const m = /^(.*)#a(\d+)$/.exec(String(res.headers.location))!;
      expect(m[1]).toBe(q.url);
      const after = (await app.storage.posts.findQuestion(q.id))!;
      expect(after.answerCount).toBe(before.answerCount + 1);
      expect(after.lastActivityAt).toBeGreaterThan(before.lastActivityAt);
      expect(after.lastActivityUserId).toBe(answerer.user.id);
      const answer = (await app.storage.posts.findPost(m[2]!))!;
      expect(answer).toMatchObject({ type: 'answer', questionId: q.id, authorId: answerer.user.id });
      const page = await visitor.get(q.url);
      expect(page.text).toContain(`id="a${m[2]}"`);
      expect(page.text).toContain('<strong>in the camera</strong>');
      expect(textOfId(page.text, 'answers-heading')).toMatch(/^1 answers?$/);
    });

    it('says "1 answer" in the singular', async () => {
      expect(textOfId((await visitor.get(q.url)).text, 'answers-heading')).toBe('1 answer');
    });

    it('gives the form back with a message and the text kept when the answer is too short (400)', async () => {
      const res = await answerer.client.post(`/q/${q.id}/answers`, { body: 'No <b>.' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('Please correct the highlighted fields.');
      expect(fieldError(res.text, 'answer-body')).toBe('Use 10 to 30000 characters.');
      expect(textareaValue(res.text, 'answer-body')).toBe('No <b>.');
      expect(textOfId(res.text, 'question-title')).toBe('Memory card is not recognised');
    });

    it('refuses a visitor (401), a non-member (403) and a missing CSRF token (403)', async () => {
      const before = (await app.storage.posts.findQuestion(q.id))!.answerCount;
      expect((await new TestClient(app).post(`/q/${q.id}/answers`, { body: 'A long enough answer.' })).status).toBe(401);
      const stranger = await outsider.client.post(`/q/${q.id}/answers`, { body: 'A long enough answer.' });
      expect(stranger.status).toBe(403);
      expect(errorMessage(stranger.text)).toBe('Join this community first to ask, answer, comment or vote.');
      expect((await answerer.client.post(`/q/${q.id}/answers`, { body: 'A long enough answer.' }, { csrf: false })).status).toBe(403);
      expect((await app.storage.posts.findQuestion(q.id))!.answerCount).toBe(before);
    });

    it.each(['/q/abc/answers', '/q/0/answers', '/q/-1/answers', '/q/99999999/answers', '/q/1e3/answers'])('answers %s with 404', async (path) => {
      const res = await answerer.client.post(path, { body: 'A long enough answer.' });
      expect(res.status).toBe(404);
      expectNoLeak(res);
    });

    it('answers an answer id (not a question) with 404', async () => {
      const answerId = await postAnswer(voter.client, q.id);
      expect((await answerer.client.post(`/q/${answerId}/answers`, { body: 'A long enough answer.' })).status).toBe(404);
    });

    it('refuses an object body (400) and a 1 MB body (413)', async () => {
      const token = await answerer.client.csrf();
      const json = await answerer.client.agent.post(`/q/${q.id}/answers`).set('content-type', 'application/json').send(JSON.stringify({ body: { $ne: 1 }, _csrf: token }));
      expect(json.status).toBe(400);
      const big = await answerer.client.post(`/q/${q.id}/answers`, { body: 'y'.repeat(1024 * 1024) });
      expect(big.status).toBe(413);
    });
  });

  /* ------------------------------------------------------------------ voting */

  describe('POST /posts/:id/vote', () => {
    let q: { id: string; url: string };
    let answerId: string;
    beforeAll(async () => {
      q = await askQuestion(asker.client, 'cams', { title: 'Autofocus hunts in low light', tags: 'autofocus' });
      answerId = await postAnswer(answerer.client, q.id, 'Turn on the AF assist lamp in the menu.');
    });

    it('votes with a plain form: 303 back to the post, score and reputation updated', async () => {
      const repBefore = await reputation(answerer.user);
      const res = await vote(voter.client, answerId, '1');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${q.url}#a${answerId}`);
      const page = await voter.client.get(q.url);
      expect(shownScore(page.text, answerId)).toBe(1);
      expect((await app.storage.posts.findPost(answerId))!.score).toBe(1);
      expect(await reputation(answerer.user)).toBe(repBefore + 10);
      // the up button now withdraws
      const box = page.text.slice(page.text.indexOf(`data-post="${answerId}"`));
      expect(box).toMatch(/<input type="hidden" name="value" value="0">\s*<button type="submit" class="vote-button vote-up voted" aria-pressed="true"/);

      const qVote = await vote(voter.client, q.id, '1');
      expect(qVote.headers.location).toBe(q.url);
    });

    it('answers JSON when asked ({score, value})', async () => {
      const repBefore = await reputation(answerer.user);
      const down = await voter.client.post(`/posts/${answerId}/vote`, { value: '-1' }, { headers: JSON_ACCEPT });
      expect(down.status).toBe(200);
      expect(down.headers['content-type']).toMatch(/application\/json/);
      expect(down.body).toMatchObject({ score: -1, value: -1 });
      expect(await reputation(answerer.user)).toBe(repBefore - 10 - 2);
      const withdraw = await voter.client.post(`/posts/${answerId}/vote`, { value: '0' }, { headers: JSON_ACCEPT });
      expect(withdraw.body).toMatchObject({ score: 0, value: 0 });
      expect(await reputation(answerer.user)).toBe(repBefore - 10);
      const again = await voter.client.post(`/posts/${answerId}/vote`, { value: '1' }, { headers: JSON_ACCEPT });
      expect(again.body).toMatchObject({ score: 1, value: 1 });
      // voting the same way twice changes nothing
      const twice = await voter.client.post(`/posts/${answerId}/vote`, { value: '1' }, { headers: JSON_ACCEPT });
      expect(twice.body).toMatchObject({ score: 1, value: 1 });
      expect(await reputation(answerer.user)).toBe(repBefore);
      const post = (await app.storage.posts.findPost(answerId))!;
      expect([post.score, post.upVotes, post.downVotes]).toEqual([1, 1, 0]);
    });

    it('refuses a vote on your own post (403) and changes nothing', async () => {
      const before = (await app.storage.posts.findPost(answerId))!.score;
      const res = await vote(answerer.client, answerId, '1');
      expect(res.status).toBe(403);
      expect(errorMessage(res.text)).toBe('You cannot vote on your own post.');
      const json = await asker.client.post(`/posts/${q.id}/vote`, { value: '1' }, { headers: JSON_ACCEPT });
      expect(json.status).toBe(403);
      expect(json.body).toEqual({ error: 'You cannot vote on your own post.', status: 403 });
      expect((await app.storage.posts.findPost(answerId))!.score).toBe(before);
    });

    it.each([['7'], ['abc'], [''], ['2'], ['-2'], ['1.0'], [' 1'], ['true']])('refuses the vote value %j (400)', async (value) => {
      const before = (await app.storage.posts.findPost(answerId))!.score;
      const res = await vote(moderator.client, answerId, value);
      expect(res.status).toBe(400);
      expectNoLeak(res);
      expect((await app.storage.posts.findPost(answerId))!.score).toBe(before);
    });

    it('refuses a vote value that is an object or an array (400)', async () => {
      const token = await moderator.client.csrf();
      const json = await moderator.client.agent.post(`/posts/${answerId}/vote`).set('content-type', 'application/json').send(JSON.stringify({ value: { $gt: 0 }, _csrf: token }));
      expect(json.status).toBe(400);
      const numeric = await moderator.client.agent.post(`/posts/${answerId}/vote`).set('content-type', 'application/json').send(JSON.stringify({ value: 1, _csrf: token }));
      expect(numeric.status).toBe(400);
      expect((await moderator.client.post(`/posts/${answerId}/vote`, { value: ['1', '1'] })).status).toBe(400);
    });

    it.each(['/posts/0/vote', '/posts/99999999/vote', '/posts/abc/vote', '/posts/-1/vote', '/posts/%7B%7D/vote'])('answers %s with 404', async (path) => {
      const res = await moderator.client.post(path, { value: '1' });
      expect(res.status).toBe(404);
      expectNoLeak(res);
    });

    it('refuses a visitor (401), a non-member (403) and a missing CSRF token (403)', async () => {
      const before = (await app.storage.posts.findPost(answerId))!.score;
      expect((await vote(new TestClient(app), answerId, '1')).status).toBe(401);
      const stranger = await vote(outsider.client, answerId, '1');
      expect(stranger.status).toBe(403);
      expect(errorMessage(stranger.text)).toBe('Join this community first to ask, answer, comment or vote.');
      expect((await moderator.client.post(`/posts/${answerId}/vote`, { value: '1' }, { csrf: false })).status).toBe(403);
      expect((await app.storage.posts.findPost(answerId))!.score).toBe(before);
    });

    it('refuses a 1 MB vote body (413)', async () => {
      expect((await moderator.client.post(`/posts/${answerId}/vote`, { value: '1', pad: 'z'.repeat(1024 * 1024) })).status).toBe(413);
    });
  });

  /* ------------------------------------------------------------------ accepting */

  describe('POST /q/:id/accept', () => {
    let q: { id: string; url: string };
    let first: string;
    let second: string;
    beforeAll(async () => {
      q = await askQuestion(asker.client, 'cams', { title: 'Lens shows a focus error message', tags: 'lens' });
      first = await postAnswer(answerer.client, q.id, 'Clean the lens contacts with a dry cloth.');
      second = await postAnswer(voter.client, q.id, 'Update the lens firmware from the menu.');
      await vote(moderator.client, second, '1');
    });

    it('lets the asker accept: marked, shown first, +15 to the answerer and +2 to the asker', async () => {
      const [askerRep, answererRep] = [await reputation(asker.user), await reputation(answerer.user)];
      expect(answerOrder((await visitor.get(q.url)).text)).toEqual([second, first]);
      const res = await asker.client.post(`/q/${q.id}/accept`, { answerId: first });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${q.url}#a${first}`);
      const html = (await visitor.get(q.url)).text;
      expect(answerOrder(html)).toEqual([first, second]);
      expect(acceptedAnswers(html)).toEqual([first]);
      expect(html).toContain('<p class="accepted-mark" title="Accepted answer">');
      expect((await app.storage.posts.findQuestion(q.id))!.acceptedAnswerId).toBe(first);
      expect(await reputation(answerer.user)).toBe(answererRep + 15);
      expect(await reputation(asker.user)).toBe(askerRep + 2);
      // the community list marks the question as having an accepted answer
      const row = listRows((await visitor.get('/c/cams?sort=newest')).text).find((r) => r.url === q.url)!;
      expect(row.accepted).toBe(true);
      // the asker sees the button to withdraw it
      expect((await asker.client.get(q.url)).text).toContain('Withdraw acceptance');
    });

    it('changes the acceptance to another answer and moves the reputation with it', async () => {
      const [askerRep, firstRep, secondRep] = [await reputation(asker.user), await reputation(answerer.user), await reputation(voter.user)];
      const res = await asker.client.post(`/q/${q.id}/accept`, { answerId: second }, { headers: JSON_ACCEPT });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accepted: true, answerId: second });
      expect(acceptedAnswers((await visitor.get(q.url)).text)).toEqual([second]);
      expect(await reputation(answerer.user)).toBe(firstRep - 15);
      expect(await reputation(voter.user)).toBe(secondRep + 15);
      expect(await reputation(asker.user)).toBe(askerRep);
    });

    it('withdraws the acceptance when the accepted answer is accepted again', async () => {
      const [askerRep, secondRep] = [await reputation(asker.user), await reputation(voter.user)];
      const res = await asker.client.post(`/q/${q.id}/accept`, { answerId: second }, { headers: JSON_ACCEPT });
      expect(res.body).toEqual({ accepted: false, answerId: second });
      const html = (await visitor.get(q.url)).text;
      expect(acceptedAnswers(html)).toEqual([]);
      expect(answerOrder(html)).toEqual([second, first]);
      expect((await app.storage.posts.findQuestion(q.id))!.acceptedAnswerId).toBeNull();
      expect(await reputation(voter.user)).toBe(secondRep - 15);
      expect(await reputation(asker.user)).toBe(askerRep - 2);
    });

    it('lets a moderator accept on someone else\'s question', async () => {
      const res = await moderator.client.post(`/q/${q.id}/accept`, { answerId: first });
      expect(res.status).toBe(303);
      expect((await app.storage.posts.findQuestion(q.id))!.acceptedAnswerId).toBe(first);
      expect((await moderator.client.get(q.url)).text).toContain('action="/q/' + q.id + '/accept"');
    });

    it('refuses anyone else (403) and does not show them the button', async () => {
      const res = await voter.client.post(`/q/${q.id}/accept`, { answerId: second });
      expect(res.status).toBe(403);
      expect(errorMessage(res.text)).toBe('Only the person who asked (or a moderator) can accept an answer.');
      expect((await answerer.client.post(`/q/${q.id}/accept`, { answerId: first })).status).toBe(403);
      expect((await voter.client.get(q.url)).text).not.toContain(`action="/q/${q.id}/accept"`);
      expect((await app.storage.posts.findQuestion(q.id))!.acceptedAnswerId).toBe(first);
    });

    it('refuses a moderator of another community, and lets a site admin accept', async () => {
      const otherMod = await member(app, await createCommunity(app.storage, `othermod${Date.now() % 100000}`), undefined, 'moderator');
      expect((await otherMod.client.post(`/q/${q.id}/accept`, { answerId: second })).status).toBe(403);
      expect((await otherMod.client.get(`/posts/${second}/edit`)).status).toBe(403);
      expect((await otherMod.client.post(`/posts/${second}/edit`, { body: 'Edited by a stranger moderator.', reason: '' })).status).toBe(403);
      const admin = await storageUser(app.storage, undefined, [], { isAdmin: true });
      const adminClient = await clientFor(app, admin);
      expect((await adminClient.post(`/q/${q.id}/accept`, { answerId: second })).status).toBe(303);
      expect((await app.storage.posts.findQuestion(q.id))!.acceptedAnswerId).toBe(second);
      expect((await adminClient.post(`/q/${q.id}/accept`, { answerId: first })).status).toBe(303);
      expect((await app.storage.posts.findQuestion(q.id))!.acceptedAnswerId).toBe(first);
    });

    it('gives no reputation for accepting your own answer', async () => {
      const own = await askQuestion(asker.client, 'cams', { title: 'Answering my own question about straps', tags: 'strap' });
      const mine = await postAnswer(asker.client, own.id, 'I found it: the strap clips on the left side.');
      const before = await reputation(asker.user);
      expect((await asker.client.post(`/q/${own.id}/accept`, { answerId: mine })).status).toBe(303);
      expect((await app.storage.posts.findQuestion(own.id))!.acceptedAnswerId).toBe(mine);
      expect(await reputation(asker.user)).toBe(before);
      expect((await asker.client.post(`/q/${own.id}/accept`, { answerId: mine })).status).toBe(303);
      expect(await reputation(asker.user)).toBe(before);
    });

    it('answers unknown, malformed and foreign ids with 404', async () => {
      const other = await askQuestion(asker.client, 'cams', { title: 'Another question about tripods', tags: 'tripod' });
      const foreign = await postAnswer(answerer.client, other.id, 'An answer to the other question.');
      for (const [path, answerId] of [
        [`/q/${q.id}/accept`, foreign],
        [`/q/${q.id}/accept`, '99999999'],
        [`/q/${q.id}/accept`, 'abc'],
        [`/q/${q.id}/accept`, ''],
        [`/q/${q.id}/accept`, q.id],
        ['/q/abc/accept', first],
        ['/q/99999999/accept', first],
        [`/q/${first}/accept`, first],
      ] as const) {
        const res = await asker.client.post(path, { answerId });
        expect(res.status, `${path} ${answerId}`).toBe(404);
      }
      expect((await app.storage.posts.findQuestion(q.id))!.acceptedAnswerId).toBe(first);
    });

    it('refuses a visitor (401) and a missing CSRF token (403)', async () => {
      expect((await new TestClient(app).post(`/q/${q.id}/accept`, { answerId: second })).status).toBe(401);
      expect((await asker.client.post(`/q/${q.id}/accept`, { answerId: second }, { csrf: false })).status).toBe(403);
    });
  });

  /* ------------------------------------------------------------------ comments */

  describe('POST /posts/:id/comments', () => {
    let q: { id: string; url: string };
    let answerId: string;
    beforeAll(async () => {
      q = await askQuestion(asker.client, 'cams', { title: 'Strap lugs are scratching the body', tags: 'strap' });
      answerId = await postAnswer(answerer.client, q.id, 'Use the rubber lug covers from the box.');
    });

    it('comments on a question and on an answer, with links made safe', async () => {
      const onQuestion = await voter.client.post(`/posts/${q.id}/comments`, { comment: 'Which model? See https://example.com/manual?page=3 <b>bold</b>' });
      expect(onQuestion.status).toBe(303);
      expect(String(onQuestion.headers.location)).toMatch(new RegExp(`^${q.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#comment-\\d+$`));
      const onAnswer = await asker.client.post(`/posts/${answerId}/comments`, { comment: 'Thanks, that worked!' });
      expect(onAnswer.status).toBe(303);
      expect(onAnswer.headers.location).toBe(`${q.url}#a${answerId}`);

      const html = (await visitor.get(q.url)).text;
      expect(html).toContain('<a href="https://example.com/manual?page=3" rel="nofollow ugc noopener">https://example.com/manual?page=3</a>');
      expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
      expect(html).toContain('Thanks, that worked!');
      expect((await app.storage.posts.findPost(q.id))!.commentCount).toBe(1);
      expect((await app.storage.posts.findPost(answerId))!.commentCount).toBe(1);
      const comments = await app.storage.comments.listFor([q.id, answerId]);
      expect(comments.map((c) => [c.postId, c.authorId])).toEqual([
        [q.id, voter.user.id],
        [answerId, asker.user.id],
      ]);
    });

    it('links a URL in a comment without swallowing the quotes or the Chinese text around it', async () => {
      // Quotes and Chinese text written right after a URL are not part of the link.
      const res = await voter.client.post(`/posts/${answerId}/comments`, { comment: '手册见https://example.com/manual，第三页。Or see "https://example.com/faq" here' });
      expect(res.status).toBe(303);
      const comment = (await app.storage.comments.listFor([answerId])).at(-1)!;
      const links = [...comment.bodyHtml.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => [decodeHtml(m[1]!), decodeHtml(m[2]!)]);
      expect(links).toEqual([
        ['https://example.com/manual', 'https://example.com/manual'],
        ['https://example.com/faq', 'https://example.com/faq'],
      ]);
      expect(decodeHtml(comment.bodyHtml.replace(/<[^>]+>/g, ''))).toBe('手册见https://example.com/manual，第三页。Or see "https://example.com/faq" here');
    });

    it.each([
      ['too short', 'x', 'Use 2 to 600 characters.'],
      ['empty', '   ', 'This field is required.'],
      ['too long', 'z'.repeat(601), 'Use 2 to 600 characters.'],
    ])('gives the form back when the comment is %s (400)', async (_label, comment, message) => {
      const res = await voter.client.post(`/posts/${answerId}/comments`, { comment });
      expect(res.status).toBe(400);
      expect(fieldError(res.text, `comment-${answerId}-text`)).toBe(message);
      expect(textareaValue(res.text, `comment-${answerId}-text`)).toBe(comment);
      expect(res.text).toContain('<details class="comment-form" open>');
    });

    it('refuses a visitor (401), a non-member (403), unknown ids (404) and objects (400)', async () => {
      expect((await new TestClient(app).post(`/posts/${q.id}/comments`, { comment: 'hello there' })).status).toBe(401);
      const stranger = await outsider.client.post(`/posts/${q.id}/comments`, { comment: 'hello there' });
      expect(stranger.status).toBe(403);
      expect(errorMessage(stranger.text)).toBe('Join this community first to ask, answer, comment or vote.');
      for (const id of ['0', 'abc', '99999999', '-3']) expect((await voter.client.post(`/posts/${id}/comments`, { comment: 'hello there' })).status).toBe(404);
      const token = await voter.client.csrf();
      const json = await voter.client.agent.post(`/posts/${q.id}/comments`).set('content-type', 'application/json').send(JSON.stringify({ comment: { $ne: null }, _csrf: token }));
      expect(json.status).toBe(400);
      expect((await voter.client.post(`/posts/${q.id}/comments`, { comment: 'hello there' }, { csrf: false })).status).toBe(403);
      expect((await app.storage.posts.findPost(q.id))!.commentCount).toBe(1);
    });
  });

  /* ------------------------------------------------------------------ editing */

  describe('GET/POST /posts/:id/edit and GET /posts/:id/revisions', () => {
    let q: { id: string; url: string };
    let answerId: string;
    beforeAll(async () => {
      q = await askQuestion(asker.client, 'cams', { title: 'Viewfinder is blurry for me', body: 'The viewfinder is blurry even when the photo is sharp.', tags: 'viewfinder optics' });
      answerId = await postAnswer(answerer.client, q.id, 'Turn the diopter wheel next to the eyepiece.');
    });

    it('shows the edit form to the author with the current text', async () => {
      const res = await asker.client.get(`/posts/${q.id}/edit`);
      expect(res.status).toBe(200);
      expect(textOfId(res.text, 'edit-heading')).toBe('Edit question');
      expect(inputValue(res.text, 'title')).toBe('Viewfinder is blurry for me');
      expect(textareaValue(res.text, 'body')).toBe('The viewfinder is blurry even when the photo is sharp.');
      expect(inputValue(res.text, 'tags')).toBe('viewfinder optics');
      const answerForm = await answerer.client.get(`/posts/${answerId}/edit`);
      expect(answerForm.status).toBe(200);
      expect(textOfId(answerForm.text, 'edit-heading')).toBe('Edit answer');
      expect(answerForm.text).not.toContain('id="title"');
    });

    it('sends a visitor to log in, refuses other members (403) and lets a moderator in', async () => {
      const anon = await visitor.get(`/posts/${q.id}/edit`);
      expect(anon.status).toBe(303);
      expect(anon.headers.location).toBe(`/login?next=${encodeURIComponent(`/posts/${q.id}/edit`)}`);
      const other = await voter.client.get(`/posts/${q.id}/edit`);
      expect(other.status).toBe(403);
      expect(errorMessage(other.text)).toBe('You can only edit your own posts.');
      expect((await moderator.client.get(`/posts/${answerId}/edit`)).status).toBe(200);
      for (const id of ['0', 'abc', '99999999']) expect((await asker.client.get(`/posts/${id}/edit`)).status).toBe(404);
    });

    it('saves the author\'s edit as a new revision, retags, and moves the URL to the new slug', async () => {
      const res = await asker.client.post(`/posts/${q.id}/edit`, {
        title: 'Viewfinder is blurry but photos are sharp',
        body: 'The viewfinder is blurry even when the photo is sharp. Glasses off.',
        tags: 'viewfinder diopter',
        reason: 'clarified the title',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/c/cams/q/${q.id}/viewfinder-is-blurry-but-photos-are-sharp`);
      const stored = (await app.storage.posts.findQuestion(q.id))!;
      expect(stored).toMatchObject({ title: 'Viewfinder is blurry but photos are sharp', tags: ['viewfinder', 'diopter'], revisionCount: 2 });
      expect(stored.editedAt).not.toBeNull();
      expect(await app.storage.tags.find(cams.id, 'optics')).toMatchObject({ questionCount: 0 });
      expect(await app.storage.tags.find(cams.id, 'diopter')).toMatchObject({ questionCount: 1 });
      // the old URL now redirects to the new one
      const old = await visitor.get(q.url);
      expect(old.status).toBe(301);
      q = { id: q.id, url: String(res.headers.location) };
      expect(old.headers.location).toBe(q.url);
      const page = await visitor.get(q.url);
      expect(page.text).toContain(`href="/posts/${q.id}/revisions"`);
      const revisions = await app.storage.posts.listRevisions(q.id);
      expect(revisions.map((r) => [r.revision, r.authorId, r.reason])).toEqual([
        [1, asker.user.id, ''],
        [2, asker.user.id, 'clarified the title'],
      ]);
    });

    it('lets a moderator edit anyone\'s answer, recorded under the moderator\'s name', async () => {
      const res = await moderator.client.post(`/posts/${answerId}/edit`, { body: 'Turn the diopter wheel next to the eyepiece until the text is sharp.', reason: 'more precise' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${q.url}#a${answerId}`);
      const revisions = await app.storage.posts.listRevisions(answerId);
      expect(revisions).toHaveLength(2);
      expect(revisions[1]).toMatchObject({ revision: 2, authorId: moderator.user.id, reason: 'more precise' });
      expect((await app.storage.posts.findPost(answerId))!.authorId).toBe(answerer.user.id);
    });

    it('refuses an edit by another member (403) and by a visitor (401)', async () => {
      const res = await voter.client.post(`/posts/${answerId}/edit`, { body: 'Vandalised answer text here.', reason: '' });
      expect(res.status).toBe(403);
      expect((await new TestClient(app).post(`/posts/${answerId}/edit`, { body: 'Vandalised answer text here.' })).status).toBe(401);
      expect((await app.storage.posts.listRevisions(answerId))).toHaveLength(2);
    });

    it('adds a revision for every edit', async () => {
      for (let i = 1; i <= 3; i++) {
        const res = await answerer.client.post(`/posts/${answerId}/edit`, { body: `Turn the diopter wheel, version ${i}.`, reason: `edit ${i}` });
        expect(res.status).toBe(303);
      }
      const revisions = await app.storage.posts.listRevisions(answerId);
      expect(revisions.map((r) => r.revision)).toEqual([1, 2, 3, 4, 5]);
      expect((await app.storage.posts.findPost(answerId))!.revisionCount).toBe(5);
    });

    it.each([
      ['no change', () => ({ title: 'Viewfinder is blurry but photos are sharp', body: 'The viewfinder is blurry even when the photo is sharp. Glasses off.', tags: 'viewfinder diopter', reason: '' }), 'body', 'Nothing was changed.'],
      ['a short title', () => ({ title: 'Blurry', body: 'The viewfinder is blurry.', tags: 'viewfinder', reason: '' }), 'title', 'Use 10 to 150 characters.'],
      ['six tags', () => ({ title: 'Viewfinder is blurry again', body: 'The viewfinder is blurry.', tags: 'a1 b2 c3 d4 e5 f6', reason: '' }), 'tags', 'Use at most 5 tags.'],
      ['a reason too long', () => ({ title: 'Viewfinder is blurry again', body: 'The viewfinder is blurry.', tags: 'viewfinder', reason: 'r'.repeat(301) }), 'reason', 'At most 300 characters.'],
    ])('gives the edit form back for %s (400) with the input kept', async (_label, form, field, message) => {
      const input = form();
      const res = await asker.client.post(`/posts/${q.id}/edit`, input);
      expect(res.status).toBe(400);
      expect(fieldError(res.text, field)).toBe(message);
      expect(inputValue(res.text, 'title')).toBe(input.title);
      expect(inputValue(res.text, 'tags')).toBe(input.tags);
      expect((await app.storage.posts.findQuestion(q.id))!.revisionCount).toBe(2);
    });

    it('previews an edit without saving it', async () => {
      const res = await asker.client.post(`/posts/${q.id}/edit`, { title: 'Viewfinder preview title', body: '## Sub heading', tags: 'viewfinder', reason: '', action: 'preview' });
      expect(res.status).toBe(200);
      expect(previewHtml(res.text)).toContain('<h2>Sub heading</h2>');
      expect((await app.storage.posts.findQuestion(q.id))!.revisionCount).toBe(2);
    });

    it('refuses unknown ids (404), objects (400) and a missing CSRF token (403)', async () => {
      for (const id of ['0', 'abc', '99999999']) expect((await asker.client.post(`/posts/${id}/edit`, { body: 'Some new body text.' })).status).toBe(404);
      const token = await asker.client.csrf();
      const json = await asker.client.agent.post(`/posts/${q.id}/edit`).set('content-type', 'application/json').send(JSON.stringify({ title: 'Fine title here', body: { $set: 'x' }, tags: 'a', _csrf: token }));
      expect(json.status).toBe(400);
      expect((await asker.client.post(`/posts/${q.id}/edit`, { title: 'Viewfinder is blurry, edited', body: 'Changed body text.', tags: 'viewfinder' }, { csrf: false })).status).toBe(403);
    });

    it('shows the history with the changes marked by <ins> and <del>', async () => {
      const res = await visitor.get(`/posts/${q.id}/revisions`);
      expect(res.status).toBe(200);
      expect(textOfId(res.text, 'rev-heading')).toBe('Revision history');
      // newest first
      expect([...res.text.matchAll(/<h2 id="rev-(\d+)"/g)].map((m) => m[1])).toEqual(['2', '1']);
      const newest = res.text.slice(res.text.indexOf('id="rev-2"'), res.text.indexOf('id="rev-1"'));
      expect(newest).toContain('Summary: clarified the title');
      expect(newest).toContain('<ins class="diff-add"> Glasses off.</ins>');
      expect(newest).toMatch(/<ins class="diff-add">[^<]*diopter[^<]*<\/ins>/);
      expect(newest).toMatch(/<del class="diff-del">[^<]*optics[^<]*<\/del>/);
      // the title diff reads as the old title without the insertions and as the new one without the deletions
      const titleDiff = /<p class="diff diff-title">([\s\S]*?)<\/p>/.exec(newest)![1]!;
      expect(titleDiff.startsWith('Viewfinder is blurry <')).toBe(true);
      expect(titleDiff.replace(/<ins class="diff-add">[^<]*<\/ins>/g, '').replace(/<\/?del[^>]*>/g, '')).toBe('Viewfinder is blurry for me');
      expect(titleDiff.replace(/<del class="diff-del">[^<]*<\/del>/g, '').replace(/<\/?ins[^>]*>/g, '')).toBe('Viewfinder is blurry but photos are sharp');
      expect(res.text).toContain('Original post');
      expect(res.text).toContain('<a href="/u/asker">asker</a>');
    });

    it('marks only the changed words of a Chinese edit', async () => {
      const zh = await askQuestion(asker.client, 'cams', { title: '夜景照片总是有很多噪点', body: '我喜欢用这台相机拍风景照片，但是夜里噪点很多。', tags: '夜景' });
      const res = await asker.client.post(`/posts/${zh.id}/edit`, { title: '夜景照片总是有很多噪点', body: '我喜欢用这台相机拍人像照片，但是夜里噪点很多。', tags: '夜景', reason: '改正' });
      expect(res.status).toBe(303);
      const html = (await visitor.get(`/posts/${zh.id}/revisions`)).text;
      const body = /<article class="revision" aria-labelledby="rev-2">[\s\S]*?<pre class="diff diff-body">([\s\S]*?)<\/pre>/.exec(html)![1]!;
      const removed = [...body.matchAll(/<del class="diff-del">([^<]*)<\/del>/g)].map((m) => m[1]);
      const added = [...body.matchAll(/<ins class="diff-add">([^<]*)<\/ins>/g)].map((m) => m[1]);
      expect(removed).toEqual(['风景']);
      expect(added).toEqual(['人像']);
      expect(body.replace(/<del class="diff-del">[^<]*<\/del>|<ins class="diff-add">[^<]*<\/ins>/g, '|')).toBe('我喜欢用这台相机拍||照片，但是夜里噪点很多。');
    });

    it('answers unknown and malformed ids with 404', async () => {
      for (const id of ['0', 'abc', '99999999', '-1']) expect((await visitor.get(`/posts/${id}/revisions`)).status).toBe(404);
    });
  });

  /* ------------------------------------------------------------------ preview */

  describe('POST /preview', () => {
    it('renders Markdown to sanitised HTML as JSON', async () => {
      const res = await asker.client.post('/preview', { body: '**bold** [link](https://example.com) <img src=x onerror=alert(1)> [bad](javascript:alert(1))' }, { headers: JSON_ACCEPT });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const html = (res.body as { html: string }).html;
      expect(html).toContain('<strong>bold</strong>');
      expect(html).toContain('<a href="https://example.com" rel="nofollow ugc noopener">link</a>');
      expect(html).not.toMatch(/onerror|javascript:/i);
    });

    it('refuses a visitor (401), a missing token (403), an object (400), an over-long text (400) and 1 MB (413)', async () => {
      expect((await new TestClient(app).post('/preview', { body: 'hi' }, { headers: JSON_ACCEPT })).status).toBe(401);
      expect((await asker.client.post('/preview', { body: 'hi' }, { csrf: false, headers: JSON_ACCEPT })).status).toBe(403);
      const token = await asker.client.csrf();
      expect((await asker.client.agent.post('/preview').set('content-type', 'application/json').send(JSON.stringify({ body: { a: 1 }, _csrf: token }))).status).toBe(400);
      expect((await asker.client.post('/preview', { body: 'x'.repeat(30_001) }, { headers: JSON_ACCEPT })).status).toBe(400);
      expect((await asker.client.post('/preview', { body: 'x'.repeat(1024 * 1024) }, { headers: JSON_ACCEPT })).status).toBe(413);
    });
  });
});

/* ---------------------------------------------------------------------- lists */

describe('question lists, tag pages, counters', () => {
  let app: FastifyInstance;
  let clock: ReturnType<typeof steppingClock>;
  let c: Community;
  let alice: { user: User; client: TestClient };
  let bob: { user: User; client: TestClient };
  let carol: { user: User; client: TestClient };
  let dave: { user: User; client: TestClient };
  const visitor = () => new TestClient(app);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    clock = steppingClock();
    app = await createQaApp({ now: clock.now });
    c = await createCommunity(app.storage, 'lists');
    alice = await member(app, c, 'alice');
    bob = await member(app, c, 'bob');
    carol = await member(app, c, 'carol');
    dave = await member(app, c, 'dave');
    // Asked in this order, one clock step apart: Q1 oldest ... Q4 newest.
    ids.q1 = (await askQuestion(alice.client, 'lists', { title: 'Question one about lenses', tags: 'lens' })).id;
    ids.q2 = (await askQuestion(bob.client, 'lists', { title: 'Question two about batteries', tags: 'battery lens' })).id;
    ids.q3 = (await askQuestion(alice.client, 'lists', { title: 'Question three about straps', tags: 'strap' })).id;
    ids.q4 = (await askQuestion(carol.client, 'lists', { title: 'Question four about menus', tags: 'menu' })).id;
    // Q2 gets two up votes, Q3 one down vote; Q1 gets an answer (so it becomes the most active).
    await vote(alice.client, ids.q2, '1');
    await vote(carol.client, ids.q2, '1');
    await vote(bob.client, ids.q3, '-1');
    ids.a1 = await postAnswer(bob.client, ids.q1, 'An answer to question one.');
  });

  afterAll(async () => {
    await app.close();
  });

  const titles = async (path: string) => listRows((await visitor().get(path)).text).map((r) => r.title.replace(/^Question (\w+) .*$/, '$1'));

  it('orders the active tab by last activity', async () => {
    expect(await titles('/c/lists')).toEqual(['one', 'four', 'three', 'two']);
    expect(await titles('/c/lists?sort=active')).toEqual(['one', 'four', 'three', 'two']);
  });

  it('orders the newest tab by creation', async () => {
    expect(await titles('/c/lists?sort=newest')).toEqual(['four', 'three', 'two', 'one']);
  });

  it('orders the top tab by score, newest first among equals', async () => {
    expect(await titles('/c/lists?sort=top')).toEqual(['two', 'four', 'one', 'three']);
  });

  it('lists only unanswered questions on the unanswered tab', async () => {
    expect(await titles('/c/lists?sort=unanswered')).toEqual(['four', 'three', 'two']);
  });

  it('falls back to the active tab for an unknown sort and to page 1 for a bad page', async () => {
    expect(await titles('/c/lists?sort=bogus')).toEqual(['one', 'four', 'three', 'two']);
    for (const page of ['abc', '-1', '0', '1e3', '99999999999']) {
      const res = await visitor().get(`/c/lists?page=${page}`);
      expect(res.status).toBe(200);
    }
    expect(await titles('/c/lists?page=abc')).toEqual(['one', 'four', 'three', 'two']);
    // repeated or nested query parameters are ignored, never a 500
    expect((await visitor().get('/c/lists?sort=top&sort=newest&page[x]=1')).status).toBe(200);
  });

  it('marks the current tab', async () => {
    const html = (await visitor().get('/c/lists?sort=top')).text;
    expect(html).toContain('<a href="/c/lists?sort=top" aria-current="page" class="current">Top</a>');
    expect(html).toContain('<a href="/c/lists?sort=newest">Newest</a>');
  });

  it('shows score, answer count, accepted mark, tags, author and last activity in each row', async () => {
    await alice.client.post(`/q/${ids.q1}/accept`, { answerId: ids.a1 });
    const rows = listRows((await visitor().get('/c/lists?sort=newest')).text);
    const byTitle = (t: string) => rows.find((r) => r.title.startsWith(`Question ${t} `))!;
    expect(byTitle('one')).toMatchObject({ score: 0, answers: 1, accepted: true, tags: ['lens'], author: 'alice' });
    expect(byTitle('two')).toMatchObject({ score: 2, answers: 0, accepted: false, tags: ['battery', 'lens'], author: 'bob' });
    expect(byTitle('three')).toMatchObject({ score: -1, answers: 0, accepted: false, tags: ['strap'], author: 'alice' });
    // reputation next to names: bob got 2 question up-votes (+10), an accepted answer (+15); alice a down-vote (-2) and accepted (+2)
    expect(byTitle('two').authorReputation).toBe(25);
    expect(byTitle('one').authorReputation).toBe(0);
    const q1 = (await app.storage.posts.findQuestion(ids.q1))!;
    expect(byTitle('one').activeIso).toBe(new Date(q1.lastActivityAt).toISOString());
    expect(byTitle('one').url).toBe(`/c/lists/q/${ids.q1}/question-one-about-lenses`);
  });

  it('filters by tag, on the tag page and keeps the tabs within the tag', async () => {
    expect(await titles('/c/lists/tags/lens')).toEqual(['one', 'two']);
    expect(await titles('/c/lists/tags/lens?sort=top')).toEqual(['two', 'one']);
    expect(await titles('/c/lists/tags/lens?sort=unanswered')).toEqual(['two']);
    expect(await titles('/c/lists/tags/LENS')).toEqual(['one', 'two']);
    const html = (await visitor().get('/c/lists/tags/lens')).text;
    expect(decodeHtml(html)).toContain('Questions tagged “lens”');
    expect(html).toContain('2 questions with this tag');
    expect(html).toContain('<a href="/c/lists/tags/lens?sort=newest">Newest</a>');
  });

  it('answers an unknown tag or community with 404', async () => {
    expect((await visitor().get('/c/lists/tags/nope')).status).toBe(404);
    expect((await visitor().get('/c/lists/tags/%3Cscript%3E')).status).toBe(404);
    expect((await visitor().get('/c/nope/tags/lens')).status).toBe(404);
    expect((await visitor().get('/c/nope?sort=top')).status).toBe(404);
  });

  it('paginates 20 questions a page with next and previous links', async () => {
    const p = await createCommunity(app.storage, 'paged');
    await app.storage.memberships.upsert(p.id, dave.user.id, 'member');
    const asked: string[] = [];
    for (let i = 1; i <= 45; i++) asked.push((await askQuestion(dave.client, 'paged', { title: `Paged question number ${String(i).padStart(2, '0')}`, tags: i % 2 ? 'odd' : 'even' })).id);
    const page1 = (await visitor().get('/c/paged?sort=newest')).text;
    const page2 = (await visitor().get('/c/paged?sort=newest&page=2')).text;
    const page3 = (await visitor().get('/c/paged?sort=newest&page=3')).text;
    const ids1 = listRows(page1).map((r) => idFromUrl(r.url));
    const ids2 = listRows(page2).map((r) => idFromUrl(r.url));
    const ids3 = listRows(page3).map((r) => idFromUrl(r.url));
    expect(ids1).toEqual(asked.slice(25).reverse());
    expect(ids2).toEqual(asked.slice(5, 25).reverse());
    expect(ids3).toEqual(asked.slice(0, 5).reverse());
    expect(page1).toContain('<a href="/c/paged?sort=newest&amp;page=2" rel="next">');
    expect(page1).not.toContain('rel="prev"');
    expect(page2).toContain('<a href="/c/paged?sort=newest" rel="prev">');
    expect(page2).toContain('<a href="/c/paged?sort=newest&amp;page=3" rel="next">');
    expect(page3).not.toContain('rel="next"');
    expect(listRows((await visitor().get('/c/paged?sort=newest&page=4')).text)).toEqual([]);
    // pages within a tag
    const odd2 = listRows((await visitor().get('/c/paged/tags/odd?sort=newest&page=2')).text).map((r) => idFromUrl(r.url));
    expect(odd2).toEqual(asked.filter((_, i) => i % 2 === 0).reverse().slice(20));
    expect((await app.storage.communities.findBySlug('paged'))!.questionCount).toBe(45);
    expect((await visitor().get('/c/paged')).text).toContain('45 questions');
  });

  it('keeps the counters right after answers, votes and acceptance', async () => {
    const { id } = await askQuestion(alice.client, 'lists', { title: 'Counter check question here', tags: 'counters' });
    const a = await postAnswer(bob.client, id, 'First answer for counting.');
    const b = await postAnswer(carol.client, id, 'Second answer for counting.');
    await vote(bob.client, id, '1');
    await vote(carol.client, id, '1');
    await vote(dave.client, id, '-1');
    await vote(carol.client, id, '0');
    await vote(alice.client, a, '1');
    await vote(dave.client, a, '1');
    await vote(alice.client, b, '-1');
    const q = (await app.storage.posts.findQuestion(id))!;
    expect([q.score, q.upVotes, q.downVotes, q.answerCount]).toEqual([0, 1, 1, 2]);
    const row = listRows((await visitor().get('/c/lists/tags/counters')).text)[0]!;
    expect(row).toMatchObject({ score: 0, answers: 2, accepted: false });
    const page = (await visitor().get(`/c/lists/q/${id}/counter-check-question-here`)).text;
    expect(shownScore(page, id)).toBe(0);
    expect(shownScore(page, a)).toBe(2);
    expect(shownScore(page, b)).toBe(-1);
    expect(answerOrder(page)).toEqual([a, b]);
  });

  it('puts recent activity on the home page', async () => {
    const html = decodeHtml((await visitor().get('/')).text);
    expect(html).toContain('Counter check question here');
  });

  it('names the right person and action in the home page activity after a comment', async () => {
    // A comment is neither asking nor answering: the commenter must not be named as either.
    const unanswered = await askQuestion(alice.client, 'lists', { title: 'Activity attribution without answers', tags: 'activity' });
    await dave.client.post(`/posts/${unanswered.id}/comments`, { comment: 'Which model is this about?' });
    const answered = await askQuestion(alice.client, 'lists', { title: 'Activity attribution with an answer', tags: 'activity' });
    await postAnswer(bob.client, answered.id, 'An answer from bob, long enough.');
    await carol.client.post(`/posts/${answered.id}/comments`, { comment: 'Thanks, this helped me too.' });
    const html = (await visitor().get('/')).text;
    const item = (title: string) => {
      const m = new RegExp(`<span class="activity-kind">([^<]*)</span>\\s*<a href="[^"]*">${title}</a>\\s*<span class="muted small">[\\s\\S]*?· ([^·<]*?) ·`).exec(html);
      return m ? [m[1], m[2]!.trim()] : null;
    };
    const first = item('Activity attribution without answers');
    const second = item('Activity attribution with an answer');
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(first).toEqual(['Commented', 'dave']);
    expect(second).toEqual(['Commented', 'carol']);
  });
});

/* ---------------------------------------------------------------- feeds */

describe('sitemap and Atom feed', () => {
  let app: FastifyInstance;
  let q1: { id: string; url: string };
  let q2: { id: string; url: string };

  beforeAll(async () => {
    app = await createQaApp({ now: steppingClock().now, config: { baseUrl: BASE } });
    const c = await createCommunity(app.storage, 'feeds', { name: 'Feeds & <Friends>' });
    await createCommunity(app.storage, 'empty-one');
    const { client } = await member(app, c, 'feeder');
    q1 = await askQuestion(client, 'feeds', { title: 'Tom & Jerry <script>alert(1)</script> sync?', body: 'Body with **tags** & ampersands.', tags: 'c++ c#' });
    q2 = await askQuestion(client, 'feeds', { title: '中文标题：快门“卡住”了怎么办', tags: '快门' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves a sitemap index whose pages list the communities and the questions', async () => {
    const client = new TestClient(app);
    const res = await client.get('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    assertWellFormedXml(res.text);
    expect(res.text).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    const pages = xmlTexts(res.text, 'loc');
    expect(pages).toContain(`${BASE}/sitemap-pages.xml`);
    expect(pages).toContain(`${BASE}/sitemap-questions-1.xml`);
    const locs: string[] = [];
    for (const page of pages) {
      const sub = await client.get(page.slice(BASE.length));
      expect(sub.status).toBe(200);
      assertWellFormedXml(sub.text);
      expect(sub.text).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
      for (const lastmod of xmlTexts(sub.text, 'lastmod')) expect(lastmod).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      locs.push(...xmlTexts(sub.text, 'loc'));
    }
    expect(locs).toContain(`${BASE}/`);
    expect(locs).toContain(`${BASE}/c/feeds`);
    expect(locs).toContain(`${BASE}/c/empty-one`);
    expect(locs).toContain(`${BASE}${q1.url}`);
    expect(locs).toContain(`${BASE}${q2.url}`);
  });

  it('serves a well-formed Atom feed of the latest questions with titles escaped', async () => {
    const res = await new TestClient(app).get('/c/feeds/feed.atom');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    const xml = res.text;
    assertWellFormedXml(xml);
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; sync?');
    const titles = xmlTexts(xml, 'title');
    expect(titles).toEqual(['Feeds & <Friends>', '中文标题：快门“卡住”了怎么办', 'Tom & Jerry <script>alert(1)</script> sync?']);
    // Entry ids are permanent (a title edit changes the URL, not the id).
    expect(xmlTexts(xml, 'id').some((id) => new RegExp(`^tag:[^,]+,\\d{4}-\\d\\d-\\d\\d:question:${q1.id}$`).test(id))).toBe(true);
    expect(xml).toContain(`<link href="${BASE}${q2.url}"/>`);
    // the HTML content is escaped text, not markup
    expect(xml).toContain('<content type="html">&lt;p&gt;Body with &lt;strong&gt;tags&lt;/strong&gt; &amp;amp; ampersands.&lt;/p&gt;</content>');
    const content = xmlTexts(xml, 'content').find((t) => t.includes('ampersands'))!;
    expect(content).toBe('<p>Body with <strong>tags</strong> &amp; ampersands.</p>');
  });

  it('serves a well-formed, empty feed for a community without questions', async () => {
    const res = await new TestClient(app).get('/c/empty-one/feed.atom');
    expect(res.status).toBe(200);
    assertWellFormedXml(res.text);
    expect(xmlTexts(res.text, 'entry')).toEqual([]);
    expect(xmlTexts(res.text, 'updated')[0]).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('answers an unknown community feed with 404', async () => {
    expect((await new TestClient(app).get('/c/nope/feed.atom')).status).toBe(404);
  });
});

/* -------------------------------------------------------------- home & profile */

describe('reputation is shown on profiles and next to names', () => {
  it('shows the reputation earned by votes and acceptance', async () => {
    const app = await createQaApp();
    try {
      const c = await createCommunity(app.storage, 'rep');
      const asker = await member(app, c, 'rep_asker');
      const helper = await member(app, c, 'rep_helper');
      const fan = await storageUser(app.storage, 'rep_fan', [{ community: c }]);
      const fanClient = await clientFor(app, fan);
      const q = await askQuestion(asker.client, 'rep', { title: 'Reputation display question', tags: 'rep' });
      const a = await postAnswer(helper.client, q.id, 'A helpful answer for reputation.');
      await vote(fanClient, a, '1');
      await vote(fanClient, q.id, '1');
      await asker.client.post(`/q/${q.id}/accept`, { answerId: a });
      const profile = (await new TestClient(app).get('/u/rep_helper')).text;
      expect(profile).toContain('<dd class="rep-big">25</dd>');
      expect((await new TestClient(app).get('/u/rep_asker')).text).toContain('<dd class="rep-big">7</dd>');
      const page = (await new TestClient(app).get(q.url)).text;
      expect(page).toContain('<a href="/u/rep_helper">rep_helper</a> <span class="rep" title="Reputation">25</span>');
      expect((await helper.client.get('/')).text).toMatch(/class="nav-user">rep_helper <span class="rep"[^>]*>25<\/span>/);
    } finally {
      await app.close();
    }
  });
});
