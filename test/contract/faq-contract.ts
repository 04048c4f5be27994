import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/db/ports.js';
import { ConflictError } from '../../src/domain/errors.js';
import { compareEntries } from '../../src/domain/faq-rules.js';
import { contentFixture, T0, type ContentFixture } from './content-fixture.js';

/*
 * The FAQ storage contract (FaqRepository in src/db/ports.ts): the tree with its depths,
 * entries, helpful votes and the order visitors see. Every backend must pass it.
 */
export function runFaqContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`FAQ storage contract: ${name}`, () => {
    let f: ContentFixture;
    let storage: Storage;

    beforeEach(async () => {
      storage = await makeStorage();
      f = await contentFixture(storage);
    });
    afterEach(async () => {
      await storage.close();
    });

    const category = (name: string, parentId: string | null, depth: number) =>
      storage.faq.createCategory({ communityId: f.community.id, parentId, name, slug: name.toLowerCase(), depth, now: T0 });

    it('keeps each category\'s depth, and a move shifts the depth of the whole subtree', async () => {
      const a = await category('A', null, 1);
      const b = await category('B', a.id, 2);
      const c = await category('C', b.id, 3);
      const other = await category('Other', null, 1);
      await storage.faq.moveCategory(b.id, other.id, 2, T0);
      await storage.faq.moveCategory(other.id, a.id, 2, T0);
      const byName = new Map((await storage.faq.listCategories(f.community.id)).map((x) => [x.name, x]));
      expect(byName.get('Other')).toMatchObject({ parentId: a.id, depth: 2 });
      expect(byName.get('B')).toMatchObject({ parentId: other.id, depth: 3 });
      expect(byName.get('C')).toMatchObject({ parentId: b.id, depth: 4, id: c.id });
    });

    it('tells which ids are entries of the community, in one call', async () => {
      const mine = await f.faqEntry();
      const archived = await f.faqEntry();
      await storage.faq.setStatus(archived.id, 'archived', { userId: f.dave.id, now: T0 });
      const elsewhere = await f.faqEntry({ community: f.other });
      const found = await storage.faq.entryIdsInCommunity(f.community.id, [elsewhere.id, mine.id, 'bogus', '', '0', '999999999', archived.id, mine.id]);
      // Archived entries can still be linked (as findEntry found them before); other communities' cannot.
      expect([...found].sort()).toEqual([mine.id, archived.id].sort());
      expect(await storage.faq.entryIdsInCommunity(f.other.id, [mine.id, elsewhere.id])).toEqual([elsewhere.id]);
      expect(await storage.faq.entryIdsInCommunity(f.community.id, [])).toEqual([]);
      expect(await storage.faq.entryIdsInCommunity('bogus', [mine.id])).toEqual([]);
    });

    it('refuses a second entry from the same source answer', async () => {
      const q = await f.ask();
      const a = await f.answer(q);
      await f.faqEntry({ sourceQuestionId: q, sourceAnswerId: a });
      await expect(f.faqEntry({ sourceQuestionId: q, sourceAnswerId: a })).rejects.toBeInstanceOf(ConflictError);
    });

    it('counts one helpful vote per voter; a second vote changes it', async () => {
      const e = await f.faqEntry();
      expect(await storage.faq.recordHelpful(e.id, 'v1', true, T0)).toEqual({ yes: 1, no: 0, changed: true });
      expect(await storage.faq.recordHelpful(e.id, 'v1', true, T0)).toEqual({ yes: 1, no: 0, changed: false });
      expect(await storage.faq.recordHelpful(e.id, 'v1', false, T0)).toEqual({ yes: 0, no: 1, changed: true });
      expect(await storage.faq.recordHelpful(e.id, 'v2', true, T0)).toEqual({ yes: 1, no: 1, changed: true });
    });

    it('records who pinned, archived, published and reviewed an entry, with the change itself', async () => {
      const e = await f.faqEntry();
      await storage.faq.setPinned(e.id, true, { userId: f.dave.id, now: T0 + 1 });
      await storage.faq.setStatus(e.id, 'archived', { userId: f.carol.id, now: T0 + 2 });
      await storage.faq.setStatus(e.id, 'published', { userId: f.carol.id, now: T0 + 3 });
      await storage.faq.clearReview(e.id, { userId: f.dave.id, now: T0 + 4 });
      await storage.faq.setPinned(e.id, false);
      const events = await storage.faq.listEntryEvents(e.id);
      expect(events.map((x) => [x.action, x.actorId, x.createdAt, x.entryId])).toEqual([
        ['pin', f.dave.id, T0 + 1, e.id],
        ['archive', f.carol.id, T0 + 2, e.id],
        ['publish', f.carol.id, T0 + 3, e.id],
        ['reviewed', f.dave.id, T0 + 4, e.id],
      ]);
      expect((await storage.faq.findEntry(e.id))!.pinned).toBe(false);
      // A change that fails leaves no history line.
      await expect(storage.faq.setStatus('999999999', 'archived', { userId: f.dave.id, now: T0 })).rejects.toThrow();
      expect(await storage.faq.listEntryEvents('999999999')).toEqual([]);
      expect(await storage.faq.listEntryEvents('bogus')).toEqual([]);
    });

    it('lists the top entries in the order visitors see them: pinned, then most asked, then newest', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await f.faqEntry({ title: `Entry ${i}` })).id);
      await storage.faq.addViews(new Map([[ids[1]!, 40], [ids[2]!, 10], [ids[4]!, 12]]));
      await storage.faq.recordHelpful(ids[2]!, 'v', true, T0); // 10 views + 5 = 15 > 12
      await storage.faq.addSearchClick(ids[3]!);
      await storage.faq.setPinned(ids[6]!, true);
      await storage.faq.setPinned(ids[0]!, true);
      const archived = await f.faqEntry({ title: 'Archived' });
      await storage.faq.addViews(new Map([[archived.id, 999]]));
      await storage.faq.setStatus(archived.id, 'archived');
      await f.faqEntry({ title: 'Elsewhere', community: f.other });

      const top = await storage.faq.topEntries(f.community.id, 5);
      expect(top.total).toBe(7);
      expect(top.entries.map((e) => e.id)).toEqual([ids[6], ids[0], ids[1], ids[2], ids[4]]);
      // The same order as the rule the rest of the FAQ uses.
      const all = (await storage.faq.listEntries(f.community.id, { status: 'published' })).sort(compareEntries);
      expect((await storage.faq.topEntries(f.community.id, 100)).entries.map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect(await storage.faq.topEntries('999999999', 5)).toEqual({ entries: [], total: 0 });
    });

    it('keeps the top-entry order equal to the ranking rule through every write that changes an input', async () => {
      // Four source questions (two entries share one), two entries written from scratch.
      const questions = [await f.ask(), await f.ask(), await f.ask(), await f.ask()];
      const entries: Array<{ id: string; source: string | null }> = [];
      for (const [i, q] of [questions[0], questions[0], questions[1], questions[2], questions[3], null, null].entries()) {
        const source = q ?? null;
        const answer = source === null ? null : await f.answer(source);
        entries.push({ id: (await f.faqEntry({ title: `Ranked ${i}`, sourceQuestionId: source, sourceAnswerId: answer })).id, source });
      }
      // What the ranking reads, tracked by the test itself (the "old definition": views,
      // helpful yes, search clicks, and the source question's duplicates closed into it).
      const want = new Map(entries.map((e) => [e.id, { viewCount: 0, helpfulYes: 0, searchClicks: 0, duplicateCount: 0 }]));
      const closed: Array<{ dup: string; original: string }> = [];
      const votes = new Map<string, boolean>();
      // A fixed pseudo-random sequence of writes (mulberry32), the same on every backend.
      let seed = 7;
      const next = (n: number) => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) % n;
      };
      const check = async (step: string) => {
        const listed = await storage.faq.listEntries(f.community.id, { status: 'published' });
        for (const e of listed) {
          const w = want.get(e.id)!;
          expect({ viewCount: e.viewCount, helpfulYes: e.helpfulYes, searchClicks: e.searchClicks, duplicateCount: e.duplicateCount }, `${step}: entry ${e.id}`).toEqual(w);
        }
        const expected = [...listed].sort(compareEntries).map((e) => e.id);
        expect((await storage.faq.topEntries(f.community.id, 100)).entries.map((e) => e.id), step).toEqual(expected);
        expect((await storage.faq.topEntries(f.community.id, 3)).entries.map((e) => e.id), step).toEqual(expected.slice(0, 3));
      };
      await check('created');
      for (let step = 0; step < 40; step++) {
        const e = entries[next(entries.length)]!;
        const w = want.get(e.id)!;
        const op = next(6);
        if (op === 0) {
          const n = 1 + next(30);
          await storage.faq.addViews(new Map([[e.id, n]]));
          w.viewCount += n;
        } else if (op === 1) {
          const voter = `voter-${next(4)}`;
          const yes = next(2) === 0;
          await storage.faq.recordHelpful(e.id, voter, yes, T0 + step);
          // Recount from the votes the test cast: one per voter, the last one counts.
          votes.set(`${e.id}/${voter}`, yes);
          w.helpfulYes = [...votes].filter(([k, v]) => k.startsWith(`${e.id}/`) && v).length;
        } else if (op === 2) {
          await storage.faq.addSearchClick(e.id);
          w.searchClicks += 1;
        } else if (op === 3 && e.source !== null) {
          const dup = await f.ask();
          await storage.moderation.close({ questionId: dup, actorId: f.dave.id, reason: 'duplicate', duplicateOf: e.source, note: '', now: T0 + step });
          closed.push({ dup, original: e.source });
          for (const x of entries) if (x.source === e.source) want.get(x.id)!.duplicateCount += 1;
        } else if (op === 4 && closed.length > 0) {
          const { dup, original } = closed.splice(next(closed.length), 1)[0]!;
          await storage.moderation.reopen(dup, f.dave.id, 'not the same', T0 + step);
          for (const x of entries) if (x.source === original) want.get(x.id)!.duplicateCount -= 1;
        } else if (op === 5) {
          const entry = await storage.faq.findEntry(e.id);
          await storage.faq.setPinned(e.id, !entry!.pinned);
        }
        await check(`step ${step} (operation ${op})`);
      }
    });
  });
}
