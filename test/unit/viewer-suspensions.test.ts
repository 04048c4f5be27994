import { describe, expect, it } from 'vitest';
import type { Suspension } from '../../src/domain/moderation-types.js';
import type { User } from '../../src/domain/types.js';
import { ViewerSuspensions } from '../../src/services/moderation/viewer-suspensions.js';

function fakeRepo() {
  const rows: Suspension[] = [];
  let reads = 0;
  return {
    rows,
    reads: () => reads,
    repo: {
      async activeSuspensions(userId: string): Promise<Suspension[]> {
        reads++;
        return rows.filter((s) => s.userId === userId);
      },
    },
  };
}

const user = (id: string) => ({ id, username: `u${id}` }) as User;
const suspension = (userId: string) => ({ id: 's1', userId, communityId: null, reason: 'spam', endsAt: null }) as unknown as Suspension;

describe('ViewerSuspensions', () => {
  it('reads a request user\'s suspensions once, and again for the next request\'s user object', async () => {
    const f = fakeRepo();
    const memo = new ViewerSuspensions(f.repo);
    const first = user('1');
    await Promise.all([memo.of(first), memo.of(first), memo.of(first)]);
    expect(f.reads()).toBe(1);
    // The next request reads the user afresh: a new object, a new read.
    await memo.of(user('1'));
    expect(f.reads()).toBe(2);
  });

  it('forgets after a suspension is written, so the same request sees it', async () => {
    const f = fakeRepo();
    const memo = new ViewerSuspensions(f.repo);
    const u = user('7');
    expect(await memo.of(u)).toEqual([]);
    f.rows.push(suspension('7'));
    memo.forget();
    expect((await memo.of(u)).map((s) => s.reason)).toEqual(['spam']);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const memo = new ViewerSuspensions({
      async activeSuspensions() {
        if (fail) throw new Error('db busy');
        return [];
      },
    });
    const u = user('3');
    await expect(memo.of(u)).rejects.toThrow('db busy');
    fail = false;
    await new Promise((r) => setImmediate(r));
    expect(await memo.of(u)).toEqual([]);
  });
});
