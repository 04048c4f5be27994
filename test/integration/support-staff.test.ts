import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHtml } from './support.js';
import { supportWorld, type SupportWorld } from './support-fixture.js';

/** Issue 12, "staff, visible": badges on staff posts and the official-answer marker, in both languages. */
describe('support: staff are visible', () => {
  let w: SupportWorld;
  let q: { id: string; url: string };

  beforeAll(async () => {
    w = await supportWorld();
    q = await w.ask(w.cathy, 'Camera does not start after firmware 2.1');
    await w.bob.post(`/q/${q.id}/answers`, { body: 'Try holding the power button for ten seconds.' });
    const staffAnswer = await w.sam.post(`/q/${q.id}/answers`, { body: 'Please reinstall firmware 2.1.1, which fixes this.' });
    const samAnswerId = /#a(\d+)/.exec(staffAnswer.headers.location as string)![1]!;
    await w.sue.post(`/posts/${q.id}/comments`, { comment: 'We are looking into this.' });
    await w.cathy.post(`/q/${q.id}/accept`, { answerId: samAnswerId });
  });
  afterAll(async () => {
    await w.app.close();
  });

  const answerOf = (html: string, author: string) => {
    const blocks = html.split('<article class="answer').slice(1);
    return decodeHtml(blocks.find((b) => b.includes(`Answer by ${author}`)) ?? '');
  };

  it('marks staff answers and comments with the company name, and only those', async () => {
    const html = (await w.cathy.get(q.url)).text;
    expect(answerOf(html, 'sam')).toContain('Staff · Lumen Support');
    expect(answerOf(html, 'sam')).toContain('Staff of Lumen Support');
    expect(answerOf(html, 'bob')).not.toContain('Staff');
    const comments = decodeHtml(/<ul class="comment-list">([\s\S]*?)<\/ul>/.exec(html)![1]!);
    expect(comments).toContain('sue');
    expect(comments).toContain('Staff · Lumen Support');
  });

  it('shows the accepted staff answer as the official answer, with screen-reader text', async () => {
    const html = (await w.cathy.get(q.url)).text;
    const sam = answerOf(html, 'sam');
    expect(sam.startsWith(' accepted official')).toBe(true);
    expect(sam).toContain('Official answer');
    expect(sam).toContain('an answer from the staff of Lumen Support, accepted as the solution');
    expect(answerOf(html, 'bob')).not.toContain('Official answer');
  });

  it('a community answer that is accepted is not official', async () => {
    const q2 = await w.ask(w.cathy, 'Which memory card is fastest for video?');
    const res = await w.bob.post(`/q/${q2.id}/answers`, { body: 'A V90 card works best for 8K video.' });
    await w.cathy.post(`/q/${q2.id}/accept`, { answerId: /#a(\d+)/.exec(res.headers.location as string)![1]! });
    const html = (await w.cathy.get(q2.url)).text;
    expect(answerOf(html, 'bob')).toContain('✓');
    expect(html).not.toContain('Official answer');
  });

  it('speaks Chinese to a Chinese reader', async () => {
    const html = decodeHtml((await w.cathy.get(q.url, { 'Accept-Language': 'zh-CN' })).text);
    expect(html).toContain('官方 · Lumen Support');
    expect(html).toContain('官方回答');
  });

  it('shows no badge for staff of an interest community', async () => {
    const hq = await w.ask(w.cathy, 'Best settings for night sky photos?', { community: 'hobby' });
    await w.sam.post(`/q/${hq.id}/answers`, { body: 'Use a long exposure and a tripod.' });
    const html = (await w.cathy.get(hq.url)).text;
    expect(html).not.toContain('staff-badge');
  });

  it('marks the staff member’s posts on the profile', async () => {
    const html = decodeHtml((await w.cathy.get('/u/sam')).text);
    const activity = /<ul class="plain-list activity">([\s\S]*?)<\/ul>/.exec(html)![1]!;
    const rows = activity.split('<li>').slice(1);
    expect(rows.find((r) => r.includes('Camera does not start'))).toContain('Staff · Lumen Support');
    expect(rows.find((r) => r.includes('night sky'))).not.toContain('Staff ·');
  });

  it('marks a staff answer in search results, and not a customer answer', async () => {
    const hit = async (q: string) => {
      const html = decodeHtml((await w.cathy.get(`/search?q=${encodeURIComponent(q)}&community=lumen&kind=answer`)).text);
      return /<li class="search-hit search-hit-answer">([\s\S]*?)<\/li>/.exec(html)?.[1] ?? '';
    };
    const staffHit = await hit('reinstall firmware');
    expect(staffHit).toContain('Matched in an answer by sam');
    expect(staffHit).toContain('Staff · Lumen Support');
    expect(staffHit).toContain('Staff of Lumen Support');
    const customerHit = await hit('holding the power button');
    expect(customerHit).toContain('Matched in an answer by bob');
    expect(customerHit).not.toContain('staff-badge');
  });

  it('marks a staff answer in search results when the staff member’s display name is not their username', async () => {
    // Imported members keep their display name ("Sam Lee") beside a derived username; the
    // badge goes by the author's id, not by the name the hit shows.
    const sam = (await w.app.storage.users.findByUsername('sam'))!;
    const storage = w.app.storage as unknown as { db: { prepare(sql: string): { run(...a: unknown[]): unknown } } };
    storage.db.prepare('UPDATE users SET display_name = ? WHERE id = ?').run('Sam Lee', Number(sam.id));
    const asked = await w.ask(w.cathy, 'Lens cap keeps falling off the zoom lens');
    await w.sam.post(`/q/${asked.id}/answers`, { body: 'A replacement lens cap with a tighter clip ships free on request.' });
    const html = decodeHtml((await w.cathy.get(`/search?q=${encodeURIComponent('tighter clip')}&community=lumen&kind=answer`)).text);
    const hit = /<li class="search-hit search-hit-answer">([\s\S]*?)<\/li>/.exec(html)?.[1] ?? '';
    expect(hit).toContain('Matched in an answer by Sam Lee');
    expect(hit).toContain('Staff · Lumen Support');
  });

  it('marks an FAQ entry whose source is a staff answer, and not one from a customer', async () => {
    const mona = (await w.app.storage.users.findByUsername('mona'))!;
    const html = (await w.cathy.get(q.url)).text;
    const answerIds = [...html.matchAll(/<article class="answer[^"]*" id="a(\d+)"/g)].map((m) => m[1]!);
    const authors = await Promise.all(answerIds.map(async (id) => [id, (await w.app.storage.posts.findPost(id))!.authorId] as const));
    const samId = (await w.app.storage.users.findByUsername('sam'))!.id;
    const staffAnswer = authors.find(([, a]) => a === samId)![0];
    const customerAnswer = authors.find(([, a]) => a !== samId)![0];
    const cat = await w.app.services.faq.createCategory('lumen', mona, { name: 'Firmware', parentId: '' });
    const community = (await w.app.storage.communities.findBySlug('lumen'))!;
    // Written through the storage port: promotion would need the answer to reach the vote threshold first.
    const entryFrom = async (answerId: string, title: string) => ({
      entry: await w.app.storage.faq.createEntry({ communityId: community.id, categoryId: cat.id, title, slug: 'entry', bodyMd: title, bodyHtml: `<p>${title}</p>`, bodyText: title, sourceQuestionId: q.id, sourceAnswerId: answerId, relatedIds: [], createdBy: mona.id, now: Date.now() }),
    });
    const fromStaff = await entryFrom(staffAnswer, 'Camera does not start after an update');
    const fromCustomer = await entryFrom(customerAnswer, 'Camera does not power on');
    const source = (page: string) => /<div class="faq-source">([\s\S]*?)<\/div>/.exec(decodeHtml(page))![1]!;
    const followed = (await w.cathy.get(`/c/lumen/faq/e/${fromStaff.entry.id}/entry`)).text;
    expect(source(followed)).toContain('Staff · Lumen Support');
    expect(source(followed)).toContain('Staff of Lumen Support');
    expect(source((await w.cathy.get(`/c/lumen/faq/e/${fromCustomer.entry.id}/entry`)).text)).not.toContain('staff-badge');
  });
});
