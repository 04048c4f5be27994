import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { User } from '../../src/domain/types.js';
import { COMMUNITY_LIST_TTL_MS, CommunityService } from '../../src/services/communities/community-service.js';
import { ContentGeneration } from '../../src/services/content-generation.js';

/* CommunityService with its real repositories on an in-memory database. */
describe('CommunityService', () => {
  let storage: SqliteStorage;
  let service: CommunityService;
  let admin: User;
  let member: User;
  const input = { slug: 'coffee', name: 'Home roasting', kind: 'interest', description: 'Beans & **heat** <script>x</script>', defaultLocale: 'zh-CN' };

  beforeEach(async () => {
    storage = createSqliteStorage(':memory:');
    service = new CommunityService(storage.communities, storage.memberships, storage.users);
    admin = await storage.users.create({ username: 'admin', email: 'a@example.test', displayName: 'admin', passwordHash: 'x', isAdmin: true });
    member = await storage.users.create({ username: '韩梅梅', email: 'm@example.test', displayName: 'm', passwordHash: 'x' });
  });
  afterEach(async () => {
    await storage.close();
  });

  it('only site admins create communities; the Markdown description is rendered once and made safe', async () => {
    await expect(service.create(member, input)).rejects.toBeInstanceOf(ForbiddenError);
    const c = await service.create(admin, input);
    expect(c).toMatchObject({ slug: 'coffee', kind: 'interest', defaultLocale: 'zh-CN', memberCount: 0 });
    expect(c.descriptionHtml).toContain('<strong>heat</strong>');
    expect(c.descriptionHtml).not.toContain('<script');
    const again = await service.create(admin, input).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ValidationError);
    expect((again as ValidationError).fields.slug?.key).toBe('community.slugTaken');
  });

  it('joining twice counts once; leaving updates the count; unknown and malformed slugs are not found', async () => {
    await service.create(admin, input);
    await service.join('coffee', member);
    await service.join('coffee', member);
    expect((await service.getBySlug('coffee')).memberCount).toBe(1);
    expect((await service.context('coffee', member)).membership?.role).toBe('member');
    await service.leave('coffee', member);
    expect((await service.getBySlug('coffee')).memberCount).toBe(0);
    for (const slug of ['nope', '../etc', 'A B', '']) await expect(service.getBySlug(slug)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('appoints moderators and staff by username (Chinese names too), who can then moderate', async () => {
    await service.create(admin, { ...input, kind: 'business' });
    expect((await service.context('coffee', member)).canModerate).toBe(false);
    await expect(service.appoint(member, 'coffee', '韩梅梅', 'moderator')).rejects.toBeInstanceOf(ForbiddenError);
    await service.appoint(admin, 'coffee', ' 韩梅梅 ', 'moderator');
    expect((await service.context('coffee', member)).canModerate).toBe(true);
    expect((await service.staff((await service.getBySlug('coffee')).id)).map((s) => [s.user.username, s.membership.role])).toEqual([['韩梅梅', 'moderator']]);
    for (const [name, role, field] of [['nobody', 'staff', 'username'], ['韩梅梅', 'king', 'role'], ['  ', 'staff', 'username']] as const) {
      const err = await service.appoint(admin, 'coffee', name, role).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(Object.keys((err as ValidationError).fields)).toEqual([field]);
    }
  });

  describe('the community list, reused between changes', () => {
    let generation: ContentGeneration;
    let clock: number;
    let cached: CommunityService;
    let reads: number;

    beforeEach(async () => {
      generation = new ContentGeneration();
      clock = 1_000_000;
      reads = 0;
      const repo = storage.communities;
      const counting = Object.create(repo) as typeof repo;
      counting.list = async () => {
        reads++;
        return repo.list();
      };
      cached = new CommunityService(counting, storage.memberships, storage.users, generation, () => clock);
      await cached.create(admin, input);
    });

    it('reads the list once while nothing changes, and again after a write elsewhere or the TTL', async () => {
      expect((await cached.list()).map((c) => c.slug)).toEqual(['coffee']);
      await cached.list();
      expect(reads).toBe(1);
      // A question asked elsewhere changes the counts: a write request moves the generation.
      storage.db.prepare("UPDATE communities SET question_count = 3 WHERE slug = 'coffee'").run();
      generation.bump();
      expect((await cached.list())[0]!.questionCount).toBe(3);
      expect(reads).toBe(2);
      // Another instance's change shows after the TTL.
      storage.db.prepare("UPDATE communities SET question_count = 4 WHERE slug = 'coffee'").run();
      expect((await cached.list())[0]!.questionCount).toBe(3);
      clock += COMMUNITY_LIST_TTL_MS;
      expect((await cached.list())[0]!.questionCount).toBe(4);
    });

    it('shows a new community, a renamed one and a new member at once', async () => {
      await cached.list();
      await cached.create(admin, { ...input, slug: 'tea', name: 'Tea' });
      expect((await cached.list()).map((c) => c.slug).sort()).toEqual(['coffee', 'tea']);
      await cached.update(admin, 'tea', { name: 'Green tea', kind: 'interest', description: 'x', defaultLocale: 'en' });
      expect((await cached.list()).find((c) => c.slug === 'tea')!.name).toBe('Green tea');
      await cached.join('tea', member);
      expect((await cached.list()).find((c) => c.slug === 'tea')!.memberCount).toBe(1);
      await cached.leave('tea', member);
      expect((await cached.list()).find((c) => c.slug === 'tea')!.memberCount).toBe(0);
    });
  });
});
