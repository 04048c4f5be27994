import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community } from '../../src/domain/types.js';
import { TestClient } from '../helpers/app.js';
import { askQuestion, assertWellFormedXml, createCommunity, createQaApp, member, steppingClock, xmlTexts } from '../helpers/qa.js';

const BASE = 'https://forum.example.test';

interface FeedEntry {
  id: string;
  title: string;
  link: string;
}

/** The entries of an Atom feed as a feed reader keys them: by <id>. */
function entries(xml: string): FeedEntry[] {
  return xmlTexts(xml, 'entry').map((e) => ({
    id: xmlTexts(e, 'id')[0]!,
    title: xmlTexts(e, 'title')[0]!,
    link: /<link href="([^"]+)"\/>/.exec(e)![1]!.replace(/&amp;/g, '&'),
  }));
}

describe('Atom feed entry ids', () => {
  let app: FastifyInstance;
  let community: Community;
  let asker: TestClient;

  beforeAll(async () => {
    app = await createQaApp({ now: steppingClock().now, config: { baseUrl: BASE } });
    community = await createCommunity(app.storage, 'kettles', { name: 'Kettles' });
    asker = (await member(app, community, 'kettle_fan')).client;
  });

  afterAll(async () => {
    await app.close();
  });

  async function feed(): Promise<FeedEntry[]> {
    const res = await new TestClient(app).get('/c/kettles/feed.atom');
    expect(res.status).toBe(200);
    assertWellFormedXml(res.text);
    return entries(res.text);
  }

  it('keeps an entry id when the title (and so the URL) is edited', async () => {
    const q = await askQuestion(asker, 'kettles', { title: 'Why does my kettle whistle so loudly?', tags: 'noise' });
    const before = (await feed()).find((e) => e.title === 'Why does my kettle whistle so loudly?')!;
    expect(before.link).toBe(`${BASE}${q.url}`);

    const edit = await asker.post(`/posts/${q.id}/edit`, { title: '电水壶烧水时为什么会发出尖叫声？', body: 'It whistles loudly every single morning.', tags: 'noise', reason: 'clearer title' });
    expect(edit.status).toBe(303);
    const newUrl = String(edit.headers.location);
    expect(newUrl).not.toBe(q.url);

    const after = await feed();
    const edited = after.find((e) => e.title === '电水壶烧水时为什么会发出尖叫声？')!;
    expect(edited.link).toBe(`${BASE}${newUrl}`);
    expect(edited.id).toBe(before.id);
    // the reader sees one entry for the question, not the old one and a new one
    expect(after.filter((e) => e.id === before.id)).toHaveLength(1);
    expect(after.map((e) => e.title)).not.toContain('Why does my kettle whistle so loudly?');
  });

  it('uses a tag: URI of the site, the day asked and the question id, unique per question', async () => {
    const q = await askQuestion(asker, 'kettles', { title: 'Descaling a kettle with citric acid', tags: 'descaling' });
    const stored = (await app.storage.posts.findQuestion(q.id))!;
    const day = new Date(stored.createdAt).toISOString().slice(0, 10);
    const all = await feed();
    const entry = all.find((e) => e.title === 'Descaling a kettle with citric acid')!;
    expect(entry.id).toBe(`tag:forum.example.test,${day}:question:${q.id}`);
    // a valid tag URI (RFC 4151): no slug, nothing that an edit could change
    expect(entry.id).toMatch(/^tag:[a-z0-9.-]+,\d{4}-\d\d-\d\d:question:\d+$/);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  });
});
