import { describe, expect, it } from 'vitest';
import { backfillUsernameSkeletons } from '../../src/db/mongo/backfill-username-skeletons.js';
import { usernameSkeleton } from '../../src/domain/username-skeleton.js';
import { memoryStorage } from './mongo-memory-storage.js';

describe('MongoDB username skeleton backfill (users from before skeletons existed)', () => {
  it('gives old users their skeleton, the older of two lookalikes the plain one, and a new lookalike is then refused', async () => {
    const { storage, h, collections } = memoryStorage();
    const users = collections.get('User')!;
    const old = (id: number, username: string) => ({ _id: id, username, usernameKey: username.toLowerCase(), email: `${id}@example.com`, emailKey: `${id}@example.com`, displayName: username, passwordHash: 'x', isAdmin: false, reputation: 1, createdAt: id });
    users.docs.push(old(1, 'alice'), old(2, 'аlice'), old(3, 'bob'));
    expect(await backfillUsernameSkeletons(h.models.users)).toBe(3);
    const skeletonOf = (id: number) => users.docs.find((d) => d._id === id)!.usernameSkeleton;
    expect(skeletonOf(1)).toBe(usernameSkeleton('alice'));
    expect(skeletonOf(2)).toBe(`${usernameSkeleton('alice')}#2`);
    expect(skeletonOf(3)).toBe(usernameSkeleton('bob'));
    // A second start changes nothing.
    expect(await backfillUsernameSkeletons(h.models.users)).toBe(0);
    // The lookalike check of registration now sees the old account.
    expect((await storage.users.findByUsernameSkeleton('ａｌｉｃｅ'))?.id).toBe('1');
    await storage.close();
  });
});
