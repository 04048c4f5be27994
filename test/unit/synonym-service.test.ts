import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../src/domain/errors.js';
import type { User } from '../../src/domain/types.js';
import { SynonymService } from '../../src/services/search/synonym-service.js';

/* SynonymService with the real SQLite repository and a recording stand-in for the search runtime. */
describe('SynonymService', () => {
  let storage: SqliteStorage;
  let admin: User;
  let member: User;
  let engineUp: boolean;
  let notified: number;
  let service: SynonymService;

  beforeEach(async () => {
    storage = createSqliteStorage(':memory:');
    admin = await storage.users.create({ username: 'admin', email: 'a@example.test', displayName: 'admin', passwordHash: 'x', isAdmin: true });
    member = await storage.users.create({ username: 'member', email: 'm@example.test', displayName: 'm', passwordHash: 'x' });
    engineUp = true;
    notified = 0;
    service = new SynonymService(storage.synonyms, storage.users, { synonymsChanged: async () => (notified++, engineUp) }, () => 42);
  });
  afterEach(async () => {
    await storage.close();
  });

  const fieldKey = async (p: Promise<unknown>) => {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).fields.terms;
  };

  it('is for site admins only', async () => {
    for (const actor of [member, null]) {
      const expected = actor ? ForbiddenError : UnauthorizedError;
      await expect(service.list(actor)).rejects.toBeInstanceOf(expected);
      await expect(service.create(actor, { terms: 'a1, a2' })).rejects.toBeInstanceOf(expected);
      await expect(service.update(actor, '1', { terms: 'a1, a2' })).rejects.toBeInstanceOf(expected);
      await expect(service.delete(actor, '1')).rejects.toBeInstanceOf(expected);
    }
    expect(await storage.synonyms.list()).toEqual([]);
    expect(notified).toBe(0);
  });

  it('stores the folded terms with the author and tells the search side after every change', async () => {
    const { group, applied } = await service.create(admin, { terms: 'Wi-Fi, WLAN' });
    expect(group).toMatchObject({ terms: ['wi fi', 'wlan'], createdBy: admin.id, createdAt: 42 });
    expect(applied).toBe(true);
    const [listed] = await service.list(admin);
    expect(listed).toMatchObject({ group: { id: group!.id }, author: { username: 'admin' } });
    await service.update(admin, group!.id, { terms: 'wifi, wlan' });
    await service.delete(admin, group!.id);
    expect(notified).toBe(3);
  });

  it('keeps a change when the search engine cannot take it now, and says so', async () => {
    engineUp = false;
    const change = await service.create(admin, { terms: 'wifi, wireless' });
    expect(change.applied).toBe(false);
    expect(await storage.synonyms.list()).toHaveLength(1);
  });

  it('refuses a term of another group, naming it as written, and does not bother the search side', async () => {
    await service.create(admin, { terms: '路由器, router' });
    notified = 0;
    expect(await fieldKey(service.create(admin, { terms: 'gateway, 路由器' }))).toEqual({ key: 'synonyms.terms.taken', params: { term: '路由器', group: '路由器, router' } });
    expect(notified).toBe(0);
  });

  it('turns a term taken by someone else meanwhile (the store refuses it) into the same kind of message', async () => {
    await service.create(admin, { terms: 'wifi, wireless' });
    // A stale read: the check sees no groups, the unique term in the store still refuses.
    const stale = new SynonymService({ ...storage.synonyms, list: async () => [], create: (i) => storage.synonyms.create(i) }, storage.users, { synonymsChanged: async () => true });
    expect(await fieldKey(stale.create(admin, { terms: 'wlan, wireless' }))).toEqual({ key: 'synonyms.terms.takenElsewhere', params: { term: 'wireless' } });
  });

  it('answers an unknown or malformed group with NotFoundError', async () => {
    for (const id of ['99', 'abc', '0']) {
      await expect(service.get(admin, id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.update(admin, id, { terms: 'a1, a2' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.delete(admin, id)).rejects.toBeInstanceOf(NotFoundError);
    }
  });
});
