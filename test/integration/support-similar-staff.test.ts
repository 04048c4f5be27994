import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHtml } from './support.js';
import { supportWorld, type SupportWorld } from './support-fixture.js';

/** The list items of the ask page's similar-questions box, as text a reader (or screen reader) gets. */
function similarItems(html: string): string[] {
  const start = html.indexOf('class="plain-list similar-list"');
  if (start < 0) throw new Error('no similar-questions box');
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => decodeHtml(m[1]!.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim());
}

/**
 * Issue 12: the staff badge "everywhere", here the ask page's similar questions: a question that
 * already has an answer from the company's staff says so, with screen-reader text, in both
 * languages; the badge is the company's, and questions answered only by customers have none.
 */
describe('support: staff badge in the similar questions of the ask page', () => {
  let w: SupportWorld;

  beforeAll(async () => {
    w = await supportWorld();
    const staffAnswered = await w.ask(w.cathy, 'Lens cap stuck after firmware update');
    const customerAnswered = await w.ask(w.bob, 'Lens cap stuck in cold weather');
    await w.sam.post(`/q/${staffAnswered.id}/answers`, { body: 'Press both side buttons while turning, the update changed the latch timing.' });
    await w.cathy.post(`/q/${customerAnswered.id}/answers`, { body: 'Warm it in your hand for a minute, then it turns.' });
  });
  afterAll(async () => {
    await w.app.close();
  });

  it('marks the question with a staff answer in the no-JS check, not the one answered by a customer', async () => {
    await w.bob.get('/c/lumen/ask');
    const res = await w.bob.post('/c/lumen/ask', { title: 'Lens cap stuck', body: '', tags: '', action: 'check' });
    expect(res.status).toBe(200);
    const items = similarItems(res.text);
    const staffItem = items.find((i) => i.includes('after firmware update'));
    const customerItem = items.find((i) => i.includes('in cold weather'));
    expect(staffItem).toContain('Staff answered · Lumen Support');
    expect(staffItem).toContain('answered by the staff of Lumen Support');
    expect(customerItem).toBeDefined();
    expect(customerItem).not.toContain('Staff answered');
  });

  it('marks it in the fragment the ask page script loads, in Chinese too', async () => {
    const en = await w.bob.get('/search/similar?community=lumen&q=Lens+cap+stuck');
    expect(similarItems(en.text).find((i) => i.includes('after firmware update'))).toContain('Staff answered · Lumen Support');
    const zh = await w.bob.get('/search/similar?community=lumen&q=Lens+cap+stuck', { 'Accept-Language': 'zh-CN' });
    const item = similarItems(zh.text).find((i) => i.includes('after firmware update'));
    expect(item).toContain('工作人员已回答 · Lumen Support');
    expect(item).toContain('Lumen Support 的工作人员已回答');
    expect(similarItems(zh.text).find((i) => i.includes('in cold weather'))).not.toContain('工作人员');
  });
});
