/*
 * Writing as a newcomer (issue 16): tag suggestions from the community's own tags (with
 * counts) on the ask form, joining from the ask form without losing the draft, a clear
 * confirmation after joining, and a welcome page that offers the communities to join.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community } from '../../src/domain/types.js';
import { askQuestion, clientFor, createCommunity, createQaApp, member, storageUser } from '../helpers/qa.js';
import { TestClient } from '../helpers/app.js';
import { decodeHtml } from './support.js';

describe('writing and joining', () => {
  let app: FastifyInstance;
  let community: Community;
  let questionUrl = '';

  beforeAll(async () => {
    app = await createQaApp();
    community = await createCommunity(app.storage, 'writers', { name: 'Writers club' });
    await createCommunity(app.storage, 'readers', { name: 'Readers club' });
    const { client } = await member(app, community, 'wr_member');
    questionUrl = (await askQuestion(client, 'writers', { tags: 'battery firmware' })).url;
    await askQuestion(client, 'writers', { tags: 'battery 电池' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('offers the community tags with their counts on the ask form, most used first', async () => {
    const { client } = await member(app, community, 'wr_tagger');
    const html = decodeHtml((await client.get('/c/writers/ask', { 'accept-language': 'en' })).text);
    expect(html).toMatch(/<input id="tags" name="tags" value="" [^>]*list="tag-suggestions"/);
    const options = [...html.matchAll(/<option value="([^"]+)" label="([^"]+)" data-tag="[^"]+"><\/option>/g)].map((m) => [m[1], m[2]]);
    expect(options[0]).toEqual(['battery', 'battery (2 questions)']);
    expect(options).toContainEqual(['firmware', 'firmware (1 question)']);
    expect(options).toContainEqual(['电池', '电池 (1 question)']);
    expect(html).toContain('<script src="/static/js/tags.js" defer></script>');
    const zh = decodeHtml((await client.get('/c/writers/ask', { 'accept-language': 'zh-CN' })).text);
    expect(zh).toContain('label="battery（2 个问题）"');
    // The script is served (same origin, allowed by the CSP).
    expect((await client.get('/static/js/tags.js')).status).toBe(200);
  });

  it('joins from the ask form and gives the draft back, then posts it', async () => {
    const user = await storageUser(app.storage, 'wr_newcomer');
    const client = await clientFor(app, user);
    const page = (await client.get('/c/writers/ask', { 'accept-language': 'en' })).text;
    expect(page).toContain('<button type="submit" form="ask-form" name="action" value="join"');
    const draft = { title: 'My camera will not turn on after a firmware update', body: 'It was working **yesterday**; now nothing at all.', tags: 'firmware power' };
    const res = await client.post('/c/writers/ask', { ...draft, action: 'join' }, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(200);
    const html = decodeHtml(res.text);
    expect(html).toContain('You joined Writers club. Your draft is still here');
    expect(html).toContain(`value="${draft.title}"`);
    expect(html).toContain(`>${draft.body}</textarea>`);
    expect(html).toContain(`value="${draft.tags}"`);
    expect(html).not.toContain('value="join"');
    expect(await app.storage.memberships.find(community.id, user.id)).not.toBeNull();
    const posted = await client.post('/c/writers/ask', { ...draft, action: 'post' });
    expect(posted.status).toBe(303);
  });

  it('confirms a join on the community page, and returns to the thread when joining from it', async () => {
    const client = await clientFor(app, await storageUser(app.storage, 'wr_joiner'));
    const thread = (await client.get(questionUrl)).text;
    expect(thread).toContain(`<input type="hidden" name="next" value="${questionUrl}#your-answer">`);
    const fromThread = await client.post('/c/writers/join', { next: `${questionUrl}#your-answer` });
    expect(fromThread.status).toBe(303);
    expect(fromThread.headers.location).toBe(`${questionUrl}#your-answer`);

    const other = await clientFor(app, await storageUser(app.storage, 'wr_joiner2'));
    const res = await other.post('/c/readers/join', {});
    expect(res.headers.location).toBe('/c/readers?joined=1');
    const page = decodeHtml((await other.get('/c/readers?joined=1', { 'accept-language': 'en' })).text);
    expect(page).toContain('<div class="alert alert-success" role="status" id="joined-notice">Welcome to Readers club! You are now a member');
    // Off-site "next" values fall back to the community page.
    const third = await clientFor(app, await storageUser(app.storage, 'wr_joiner3'));
    expect((await third.post('/c/readers/join', { next: '//evil.example/x' })).headers.location).toBe('/c/readers?joined=1');
    // A visitor who is not a member sees no notice from the query alone.
    expect((await new TestClient(app).get('/c/readers?joined=1')).text).not.toContain('joined-notice');
  });

  it('links a new member to the communities to join on the welcome page', async () => {
    const client = new TestClient(app);
    await client.register('wr_fresh');
    const html = decodeHtml((await client.get('/u/wr_fresh?welcome=1', { 'accept-language': 'en' })).text);
    expect(html).toContain('aria-label="Communities to join"');
    expect(html).toContain('<form action="/c/writers/join" method="post"');
    expect(html).toContain('<a href="/c/readers">Readers club</a>');
    const join = await client.post('/c/readers/join', {});
    expect(join.headers.location).toBe('/c/readers?joined=1');
    const after = decodeHtml((await client.get('/u/wr_fresh?welcome=1')).text);
    expect(after).not.toContain('<form action="/c/readers/join"');
    expect(after).toContain('<form action="/c/writers/join"');
  });
});
