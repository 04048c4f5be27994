/*
 * Synonyms end to end on the embedded engine: a site admin adds a group through the admin
 * form, and site search at once finds a question that only uses the other word (in English,
 * in Chinese, and across the two); after the group is deleted it no longer does. No restart
 * and no reindex in between: the engine follows the groups by their version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createCommunity, createQaApp, storageUser } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

const URL = '/admin/search/synonyms';

/** The titles of the hits on a search page, marks removed. */
function hitTitles(html: string): string[] {
  return [...html.matchAll(/<h2 class="hit-title"><a [^>]*>([\s\S]*?)<\/a><\/h2>/g)].map((m) => decodeHtml(m[1]!.replace(/<\/?mark>/g, '')));
}

describe('site search with synonym groups', () => {
  let app: FastifyInstance;
  let admin: TestClient;
  let visitor: TestClient;

  const search = async (q: string) => {
    const res = await visitor.get(`/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return res.text;
  };

  beforeAll(async () => {
    app = await createQaApp();
    const community = await createCommunity(app.storage, 'netgear');
    const asker = await clientFor(app, await storageUser(app.storage, 'netasker', [{ community }]));
    admin = await clientFor(app, await storageUser(app.storage, 'netadmin', [], { isAdmin: true }));
    visitor = await clientFor(app, await storageUser(app.storage, 'netvisitor'));
    await askQuestion(asker, 'netgear', { title: 'Laptop loses the wireless connection every hour', body: 'The wireless signal is strong but the laptop disconnects.', tags: 'laptop' });
    await askQuestion(asker, 'netgear', { title: 'The router reboots every night', body: 'It restarts by itself at two in the morning.', tags: 'reboot' });
    await askQuestion(asker, 'netgear', { title: '光猫指示灯一直闪红色', body: '宽带断了以后光猫的灯一直在闪。', tags: '光猫' });
    await askQuestion(asker, 'netgear', { title: 'The fan squeals when the box starts up', body: 'A high-pitched noise for a minute after power on.', tags: 'noise' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finds nothing for a word no question uses', async () => {
    const page = await search('wifi');
    expect(hitTitles(page)).toEqual([]);
    expect(hitTitles(await search('路由器'))).toEqual([]);
  });

  it('after an admin adds {wifi, wireless}, "wifi" finds the question that only says "wireless", marked', async () => {
    expect((await admin.post(URL, { terms: 'wifi, wireless' })).status).toBe(303);
    const page = await search('wifi');
    expect(hitTitles(page)).toEqual(['Laptop loses the wireless connection every hour']);
    expect(page).toContain('<mark>wireless</mark>');
    // Both ways: the group is symmetric.
    expect(hitTitles(await search('wireless'))).toEqual(['Laptop loses the wireless connection every hour']);
  });

  it('in Chinese: {路由器, router} finds the English question for 路由器, and {光猫, modem} the Chinese one for modem', async () => {
    expect((await admin.post(URL, { terms: '路由器，router' })).status).toBe(303);
    expect(hitTitles(await search('路由器'))).toEqual(['The router reboots every night']);
    expect(hitTitles(await search('我的路由器总是重启'))).toContain('The router reboots every night');
    expect((await admin.post(URL, { terms: '光猫、modem' })).status).toBe(303);
    expect(hitTitles(await search('modem'))).toEqual(['光猫指示灯一直闪红色']);
  });

  it('an edit applies at once: a term taken out no longer matches, a term put in does', async () => {
    const group = (await app.storage.synonyms.list()).find((g) => g.terms.includes('wifi'))!;
    expect((await admin.post(`${URL}/${group.id}`, { terms: 'WLAN, wireless' })).status).toBe(303);
    expect(hitTitles(await search('wifi'))).toEqual([]);
    expect(hitTitles(await search('wlan'))).toEqual(['Laptop loses the wireless connection every hour']);
  });

  it('a synonym counts with its other forms: with {squeak, squeal}, "squeak" finds the question that says "squeals"', async () => {
    expect(hitTitles(await search('squeak'))).toEqual([]);
    expect((await admin.post(URL, { terms: 'squeak, squeal' })).status).toBe(303);
    expect(hitTitles(await search('squeak'))).toEqual(['The fan squeals when the box starts up']);
    expect(hitTitles(await search('squeaking fan'))).toEqual(['The fan squeals when the box starts up']);
  });

  it('after the group is deleted, its words find nothing again', async () => {
    for (const g of await app.storage.synonyms.list()) expect((await admin.post(`${URL}/${g.id}/delete`)).status).toBe(303);
    expect(hitTitles(await search('wlan'))).toEqual([]);
    expect(hitTitles(await search('路由器'))).toEqual([]);
    expect(hitTitles(await search('modem'))).toEqual([]);
    // The questions themselves are still found by their own words.
    expect(hitTitles(await search('wireless'))).toEqual(['Laptop loses the wireless connection every hour']);
  });
});
