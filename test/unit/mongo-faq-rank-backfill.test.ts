import { describe, expect, it } from 'vitest';
import { backfillFaqRank } from '../../src/db/mongo/backfill-faq-rank.js';
import { compareEntries } from '../../src/domain/faq-rules.js';
import { contentFixture, T0 } from '../contract/content-fixture.js';
import { memoryStorage } from './mongo-memory-storage.js';

describe('MongoDB FAQ ranking backfill (entries from before the stored ask frequency)', () => {
  it('gives old entries their source duplicates and ask frequency, so the FAQ home ranks them by the rule', async () => {
    const { storage, h, collections } = memoryStorage();
    const f = await contentFixture(storage);
    const popular = await f.ask();
    for (let i = 0; i < 3; i++) await storage.moderation.close({ questionId: await f.ask(), actorId: f.dave.id, reason: 'duplicate', duplicateOf: popular, note: '', now: T0 + i });
    const fromPopular = await f.faqEntry({ title: 'From the popular question', sourceQuestionId: popular, sourceAnswerId: await f.answer(popular) });
    const viewed = await f.faqEntry({ title: 'Viewed a lot' });
    const clicked = await f.faqEntry({ title: 'Clicked in search' });
    await storage.faq.addViews(new Map([[viewed.id, 50], [fromPopular.id, 5]]));
    for (let i = 0; i < 20; i++) await storage.faq.addSearchClick(clicked.id);

    // As the entries were stored before the ranking fields existed.
    const entries = collections.get('FaqEntry')!;
    for (const doc of entries.docs) {
      delete doc.askFrequency;
      delete doc.sourceDuplicates;
    }
    expect(await backfillFaqRank(h.models.faqEntries, h.models.posts)).toBe(3);
    const byTitle = new Map(entries.docs.map((d) => [d.title, d]));
    expect(byTitle.get('From the popular question')).toMatchObject({ sourceDuplicates: 3, askFrequency: 5 + 20 * 3 });
    expect(byTitle.get('Viewed a lot')).toMatchObject({ sourceDuplicates: 0, askFrequency: 50 });
    expect(byTitle.get('Clicked in search')).toMatchObject({ sourceDuplicates: 0, askFrequency: 3 * 20 });

    const top = await storage.faq.topEntries(f.community.id, 10);
    expect(top.entries.map((e) => e.title)).toEqual(['From the popular question', 'Clicked in search', 'Viewed a lot']);
    const rule = (await storage.faq.listEntries(f.community.id, { status: 'published' })).sort(compareEntries);
    expect(top.entries.map((e) => e.id)).toEqual(rule.map((e) => e.id));
    // A second start changes nothing.
    expect(await backfillFaqRank(h.models.faqEntries, h.models.posts)).toBe(0);
    await storage.close();
  });
});
