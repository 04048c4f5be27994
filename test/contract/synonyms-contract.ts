import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/db/ports.js';
import { ConflictError, NotFoundError } from '../../src/domain/errors.js';
import type { User } from '../../src/domain/types.js';

/*
 * The search synonym storage contract (SynonymRepository in src/db/ports.ts): groups with
 * their terms in order, a term in one group at most (refused by the store, naming the term,
 * with nothing changed), and a version that moves with every change and only then. Every
 * backend must pass it. makeStorage returns a fresh, empty store.
 */

const T0 = 1_700_000_000_000;
const MALFORMED = ['', '0', '-1', 'abc', '1.5', '{"$gt":""}', 'x'.repeat(300)];

export function runSynonymsContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`search synonyms contract: ${name}`, () => {
    let storage: Storage;
    let admin: User;

    beforeEach(async () => {
      storage = await makeStorage();
      admin = await storage.users.create({ username: 'syn-admin', email: 'syn-admin@example.test', displayName: 'Admin', passwordHash: 'x', isAdmin: true });
    });
    afterEach(async () => {
      await storage.close();
    });

    const create = (terms: string[], now = T0) => storage.synonyms.create({ terms, createdBy: admin.id, now });
    const refusal = async (write: Promise<unknown>) => {
      const err = await write.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConflictError);
      return err as ConflictError;
    };

    it('starts empty, with a version that reading does not change', async () => {
      expect(await storage.synonyms.list()).toEqual([]);
      const v = await storage.synonyms.version();
      expect(typeof v).toBe('string');
      await storage.synonyms.list();
      expect(await storage.synonyms.version()).toBe(v);
    });

    it('creates a group with its terms in the order given, Chinese and phrases included', async () => {
      const g = await create(['wifi', 'wi fi', 'wlan', '无线 网']);
      expect(g).toEqual({ id: expect.stringMatching(/^[1-9]\d*$/), terms: ['wifi', 'wi fi', 'wlan', '无线 网'], createdBy: admin.id, createdAt: T0, updatedAt: T0 });
      expect(await storage.synonyms.findById(g.id)).toEqual(g);
      expect(await storage.synonyms.list()).toEqual([g]);
    });

    it('lists the newest group first', async () => {
      const a = await create(['a1', 'a2'], T0);
      const b = await create(['b1', 'b2'], T0 + 1);
      const c = await create(['c1', 'c2'], T0 + 2);
      expect((await storage.synonyms.list()).map((g) => g.id)).toEqual([c.id, b.id, a.id]);
    });

    it('refuses a term another group holds, names it, and changes nothing', async () => {
      const wifi = await create(['wifi', 'wireless']);
      const v = await storage.synonyms.version();
      const err = await refusal(create(['wlan', 'wireless', 'wi fi']));
      expect(err.messageKey).toBe('synonyms.terms.taken');
      expect(err.params.term).toBe('wireless');
      expect(await storage.synonyms.list()).toEqual([wifi]);
      expect(await storage.synonyms.version()).toBe(v);
      // The terms that were not taken were not kept either.
      expect((await create(['wlan', 'wi fi'])).terms).toEqual(['wlan', 'wi fi']);
    });

    it('updates the terms, keeping the id and author, and may keep some of its own terms', async () => {
      const g = await create(['router', '路由器']);
      const updated = await storage.synonyms.update(g.id, ['路由器', 'router', 'gateway'], T0 + 50);
      expect(updated).toEqual({ ...g, terms: ['路由器', 'router', 'gateway'], updatedAt: T0 + 50 });
      expect(await storage.synonyms.findById(g.id)).toEqual(updated);
    });

    it('refuses an update with another group\'s term and leaves the group as it was', async () => {
      await create(['wifi', 'wireless']);
      const g = await create(['router', '路由器']);
      const v = await storage.synonyms.version();
      const err = await refusal(storage.synonyms.update(g.id, ['router', 'wifi'], T0 + 9));
      expect(err.params.term).toBe('wifi');
      expect(await storage.synonyms.findById(g.id)).toEqual(g);
      expect(await storage.synonyms.version()).toBe(v);
    });

    it('frees the terms an update drops and a delete removes', async () => {
      const g = await create(['wifi', 'wireless', 'wlan']);
      await storage.synonyms.update(g.id, ['wifi', 'wireless'], T0 + 1);
      expect((await create(['wlan', 'wi fi'])).terms).toEqual(['wlan', 'wi fi']);
      expect(await storage.synonyms.delete(g.id)).toBe(true);
      expect(await storage.synonyms.findById(g.id)).toBeNull();
      expect((await create(['wifi', 'wireless'])).terms).toEqual(['wifi', 'wireless']);
    });

    it('moves the version with every change, and only then', async () => {
      const seen = [await storage.synonyms.version()];
      const expectNew = async () => {
        const v = await storage.synonyms.version();
        expect(seen).not.toContain(v);
        seen.push(v);
      };
      const g = await create(['mesh', '组 网']);
      await expectNew();
      await storage.synonyms.update(g.id, ['mesh', '组 网', 'mesh wifi'], T0 + 1);
      await expectNew();
      expect(await storage.synonyms.delete(g.id)).toBe(true);
      await expectNew();
      expect(await storage.synonyms.delete(g.id)).toBe(false);
      expect(await storage.synonyms.version()).toBe(seen.at(-1));
    });

    it('treats unknown and malformed ids as missing', async () => {
      const g = await create(['decaf', 'decaffeinated']);
      const unknown = String(Number(g.id) + 1000);
      for (const id of [unknown, ...MALFORMED]) {
        expect(await storage.synonyms.findById(id)).toBeNull();
        await expect(storage.synonyms.update(id, ['x1', 'x2'], T0)).rejects.toBeInstanceOf(NotFoundError);
        expect(await storage.synonyms.delete(id)).toBe(false);
      }
      expect(await storage.synonyms.list()).toEqual([g]);
    });
  });
}
