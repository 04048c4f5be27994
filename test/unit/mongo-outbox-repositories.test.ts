import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { offline, type Call, type Offline } from './mongo-harness.js';
import { MemoryCollection } from './mongo-memory.js';

/*
 * The outbox worker's repository and the job leases, offline. Where the point is the query
 * sent, the harness records it; where the point is what a sequence of conditional writes
 * leaves behind (stale versions, expired leases, racing claims), the outbox is backed by an
 * in-memory collection that evaluates the recorded filters and updates.
 */

let h: Offline;
beforeEach(() => {
  h = offline();
});
afterEach(() => {
  h.restore();
  vi.restoreAllMocks();
});

const NOW = 1_700_000_000_000;
const LEASE = 30_000;
const entry = (id: string, extra: Record<string, unknown> = {}) => ({
  _id: id, version: 1, status: 'pending', attempts: 0, changedAt: NOW - 100, nextAttemptAt: NOW - 100, leaseOwner: null, leaseUntil: 0, doneAt: null, lastError: null, ...extra,
});
const sentTo = (model: string) => h.sent().filter((c) => c.model === model);

describe('enqueue (inside a content change)', () => {
  it('upserts one entry per document on the wall clock and leaves an existing lease alone', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    const outbox = new MemoryCollection([entry('answer-11', { version: 3, status: 'done', doneAt: NOW - 50, leaseOwner: 'w#0123456789abcdef', leaseUntil: NOW + 10 })]).install(h, 'SearchOutbox');
    h.when('Post', 'findOne', { _id: 10, type: 'question', communityId: 1, authorId: 1, deletedAt: null });
    await h.storage.posts.createAnswer({ questionId: '10', authorId: '3', bodyMd: 'm', bodyHtml: 'h', bodyText: 'x', now: 5 });
    const bulk = sentTo('SearchOutbox')[0]!;
    expect(bulk.ops![0]).toEqual({
      updateOne: {
        filter: { _id: 'answer-1' },
        update: {
          $set: { status: 'pending', changedAt: NOW, nextAttemptAt: NOW, attempts: 0, lastError: null, doneAt: null },
          $inc: { version: 1 },
          $setOnInsert: { leaseOwner: null, leaseUntil: 0 },
        },
        upsert: true,
      },
    });
    expect(outbox.byId('question-10')).toMatchObject({ version: 1, status: 'pending', leaseOwner: null, leaseUntil: 0, changedAt: NOW });
    // a change to an entry a worker holds: pending again, newer version, the lease kept
    h.when('Post', 'findOne', { _id: 11, type: 'answer', communityId: 1, authorId: 5, questionId: 10, deletedAt: null, score: 0, upVotes: 0, downVotes: 0 });
    h.when('Post', 'findOneAndUpdate', { _id: 11, score: 1, upVotes: 1, downVotes: 0 });
    await h.storage.votes.castVote('11', '4', 1, 5);
    expect(outbox.byId('answer-11')).toMatchObject({ status: 'pending', version: 4, doneAt: null, leaseOwner: 'w#0123456789abcdef', leaseUntil: NOW + 10 });
  });

  it('casts every bulk update against the schema, so a misspelt outbox field fails offline', async () => {
    await expect(h.models.searchOutbox.bulkWrite([{ updateOne: { filter: { _id: 'question-1' }, update: { $set: { stauts: 'pending' } } } }] as never)).rejects.toThrow(/stauts/);
  });
});

describe('claim', () => {
  it('reads due candidates, leases them to a fresh token and returns only what that token holds', async () => {
    h.when('SearchOutbox', 'find', (call: Call) =>
      call.filter!.leaseOwner
        ? [{ _id: 'question-2', version: 4, attempts: 1, changedAt: 7, nextAttemptAt: 8 }] // question-1 was taken by another worker meanwhile
        : [{ _id: 'question-1' }, { _id: 'question-2' }],
    );
    h.when('SearchOutbox', 'updateMany', { matchedCount: 1, modifiedCount: 1 });
    const claimed = await h.storage.outbox.claim('web-1', 10, NOW, LEASE);
    expect(claimed).toEqual([{ docId: 'question-2', version: 4, attempts: 1, changedAt: 7 }]);
    const [candidates, lease, readBack] = h.sent();
    expect(candidates).toMatchObject({ op: 'find', filter: { status: 'pending', nextAttemptAt: { $lte: NOW }, leaseUntil: { $lt: NOW } }, options: { sort: { nextAttemptAt: 1, _id: 1 }, limit: 10 }, tx: null });
    const token = (lease!.update as { $set: { leaseOwner: string } }).$set.leaseOwner;
    expect(token).toMatch(/^web-1#[0-9a-f]{16}$/);
    expect(lease).toMatchObject({
      op: 'updateMany',
      filter: { _id: { $in: ['question-1', 'question-2'] }, status: 'pending', nextAttemptAt: { $lte: NOW }, leaseUntil: { $lt: NOW } },
      update: { $set: { leaseOwner: token, leaseUntil: NOW + LEASE } },
    });
    expect(readBack).toMatchObject({ op: 'find', filter: { _id: { $in: ['question-1', 'question-2'] }, leaseOwner: token } });
  });

  it('sends nothing more when nothing is due, and nothing at all for limit 0', async () => {
    expect(await h.storage.outbox.claim('w', 10, NOW, LEASE)).toEqual([]);
    expect(h.sent()).toHaveLength(1);
    expect(await h.storage.outbox.claim('w', 0, NOW, LEASE)).toEqual([]);
    expect(h.sent()).toHaveLength(1);
  });

  it('two workers claiming at once never get the same entry, and each claim has its own token', async () => {
    const outbox = new MemoryCollection(['question-1', 'question-2', 'question-3'].map((id) => entry(id))).install(h, 'SearchOutbox');
    const [a, b] = await Promise.all([h.storage.outbox.claim('w1', 10, NOW, LEASE), h.storage.outbox.claim('w2', 10, NOW, LEASE)]);
    const ids = [...a, ...b].map((e) => e.docId).sort();
    expect(ids).toEqual(['question-1', 'question-2', 'question-3']);
    expect(new Set(ids).size).toBe(3);
    // both read the same candidates before either leased them: the conditional lease write is what kept them apart
    expect(sentTo('SearchOutbox').slice(0, 4).map((c) => c.op)).toEqual(['find', 'find', 'updateMany', 'updateMany']);
    const leases = sentTo('SearchOutbox').filter((c) => c.op === 'updateMany');
    expect(leases[0]!.filter).toEqual(leases[1]!.filter);
    const tokens = leases.map((c) => (c.update as { $set: { leaseOwner: string } }).$set.leaseOwner);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(new Set(outbox.docs.map((d) => d.leaseOwner))).toEqual(new Set([tokens[0]]));
  });

  it('skips leased, future and failed entries; an expired lease is claimable again', async () => {
    new MemoryCollection([
      entry('question-1', { leaseOwner: 'x#0123456789abcdef', leaseUntil: NOW + 1 }),
      entry('question-2', { nextAttemptAt: NOW + 1 }),
      entry('question-3', { status: 'failed' }),
      entry('question-4', { status: 'done' }),
      entry('question-5', { leaseOwner: 'x#0123456789abcdef', leaseUntil: NOW - 1, nextAttemptAt: NOW - 5 }),
      entry('question-6', { nextAttemptAt: NOW - 500 }),
    ]).install(h, 'SearchOutbox');
    const claimed = await h.storage.outbox.claim('w', 10, NOW, LEASE);
    expect(claimed.map((e) => e.docId)).toEqual(['question-6', 'question-5']); // oldest due first
  });
});

describe('complete and retry', () => {
  it('completing a stale version leaves the entry pending and releases the lease at once', async () => {
    const outbox = new MemoryCollection([entry('answer-11'), entry('answer-12')]).install(h, 'SearchOutbox');
    const claimed = await h.storage.outbox.claim('w1', 10, NOW, LEASE);
    // a vote lands while w1 works: answer-11 is now version 2
    Object.assign(outbox.byId('answer-11')!, { version: 2 });
    await h.storage.outbox.complete('w1', claimed, NOW + 5);
    expect(outbox.byId('answer-11')).toMatchObject({ status: 'pending', version: 2, leaseOwner: null, leaseUntil: 0, doneAt: null });
    expect(outbox.byId('answer-12')).toMatchObject({ status: 'done', doneAt: NOW + 5, leaseOwner: null, leaseUntil: 0 });
    expect((await h.storage.outbox.claim('w2', 10, NOW + 6, LEASE)).map((e) => e.docId)).toEqual(['answer-11']);
  });

  it('a worker whose lease expired and was taken over cannot complete the new holder\'s claim', async () => {
    const outbox = new MemoryCollection([entry('faq-4')]).install(h, 'SearchOutbox');
    await h.storage.outbox.claim('w1', 10, NOW, LEASE);
    const taken = await h.storage.outbox.claim('w1-b', 10, NOW + LEASE + 1, LEASE); // an owner whose name starts like w1's
    expect(taken).toHaveLength(1);
    await h.storage.outbox.complete('w1', taken, NOW + LEASE + 2);
    expect(outbox.byId('faq-4')).toMatchObject({ status: 'pending', leaseOwner: expect.stringMatching(/^w1-b#/) });
    await h.storage.outbox.complete('w1-b', taken, NOW + LEASE + 3);
    expect(outbox.byId('faq-4')).toMatchObject({ status: 'done', leaseOwner: null });
  });

  it('sends done-where-version-and-owner-match, then a release of what the owner still holds', async () => {
    await h.storage.outbox.complete('host:1', [{ docId: 'question-1', version: 3 }], NOW);
    const [done, release] = h.sent();
    expect(done).toMatchObject({ kind: 'bulk', tx: null });
    expect(done!.ops).toEqual([
      {
        updateOne: {
          filter: { _id: 'question-1', version: 3, status: 'pending', leaseOwner: { $regex: '^host:1#[0-9a-f]{16}$' } },
          update: { $set: { status: 'done', doneAt: NOW, leaseOwner: null, leaseUntil: 0 } },
        },
      },
    ]);
    expect(release).toMatchObject({ op: 'updateMany', filter: { _id: { $in: ['question-1'] }, leaseOwner: { $regex: '^host:1#[0-9a-f]{16}$' } }, update: { $set: { leaseOwner: null, leaseUntil: 0 } } });
    h.calls.length = 0;
    await h.storage.outbox.complete('w', [], NOW);
    expect(h.sent()).toEqual([]);
  });

  it('a retry counts the attempt, caps the error and waits; giving up marks it failed', async () => {
    const outbox = new MemoryCollection([entry('question-1')]).install(h, 'SearchOutbox');
    let [claimed] = await h.storage.outbox.claim('w', 10, NOW, LEASE);
    await h.storage.outbox.retry('w', claimed!, 'x'.repeat(5000), NOW + 5000, false);
    expect(outbox.byId('question-1')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: NOW + 5000, leaseOwner: null, leaseUntil: 0 });
    expect((outbox.byId('question-1')!.lastError as string).length).toBe(1000);
    expect(await h.storage.outbox.claim('w', 10, NOW + 4999, LEASE)).toEqual([]);
    [claimed] = await h.storage.outbox.claim('w', 10, NOW + 5000, LEASE);
    expect(claimed).toMatchObject({ attempts: 1 });
    await h.storage.outbox.retry('w', claimed!, 'down', NOW + 9000, true);
    expect(outbox.byId('question-1')).toMatchObject({ status: 'failed', attempts: 2, lastError: 'down' });
    expect(await h.storage.outbox.claim('w', 10, NOW + 60_000, LEASE)).toEqual([]);
  });

  it('a retry of a version that changed meanwhile only releases the lease (the new change starts at 0 attempts)', async () => {
    const outbox = new MemoryCollection([entry('question-1')]).install(h, 'SearchOutbox');
    const [claimed] = await h.storage.outbox.claim('w', 10, NOW, LEASE);
    Object.assign(outbox.byId('question-1')!, { version: 2 });
    await h.storage.outbox.retry('w', claimed!, 'boom', NOW + 5000, true);
    expect(outbox.byId('question-1')).toMatchObject({ status: 'pending', attempts: 0, lastError: null, leaseOwner: null, leaseUntil: 0, nextAttemptAt: NOW - 100 });
    expect(sentTo('SearchOutbox').map((c) => c.op)).toEqual(['find', 'updateMany', 'find', 'updateOne', 'updateMany']);
  });
});

describe('backlog, failures, requeue, prune', () => {
  it('reports pending and failed counts and the oldest pending change', async () => {
    new MemoryCollection([
      entry('question-1', { changedAt: 30 }),
      entry('question-2', { changedAt: 20 }),
      entry('question-3', { status: 'failed', changedAt: 10, attempts: 5, lastError: 'e1' }),
      entry('question-4', { status: 'failed', changedAt: 40, attempts: 5, lastError: 'e2' }),
      entry('question-5', { status: 'done', changedAt: 5 }),
    ]).install(h, 'SearchOutbox');
    expect(await h.storage.outbox.backlog()).toEqual({ pending: 2, failed: 2, oldestPendingAt: 20 });
    expect(await h.storage.outbox.listFailed(10)).toEqual([
      { docId: 'question-4', attempts: 5, lastError: 'e2', changedAt: 40 },
      { docId: 'question-3', attempts: 5, lastError: 'e1', changedAt: 10 },
    ]);
    expect(await h.storage.outbox.listFailed(1)).toHaveLength(1);
  });

  it('an empty outbox has no oldest pending change', async () => {
    expect(await h.storage.outbox.backlog()).toEqual({ pending: 0, failed: 0, oldestPendingAt: null });
  });

  it('requeues everything changed since a time, whatever its status, as a new version', async () => {
    const outbox = new MemoryCollection([
      entry('question-1', { changedAt: 99, status: 'done', doneAt: 100 }),
      entry('question-2', { changedAt: 100, status: 'done', doneAt: 101 }),
      entry('question-3', { changedAt: 150, status: 'failed', attempts: 7, lastError: 'e' }),
      entry('question-4', { changedAt: 200, leaseOwner: 'w#0123456789abcdef', leaseUntil: NOW + 1 }),
    ]).install(h, 'SearchOutbox');
    expect(await h.storage.outbox.requeueChangedSince(100, NOW)).toBe(3);
    expect(outbox.byId('question-1')).toMatchObject({ status: 'done', version: 1 });
    for (const id of ['question-2', 'question-3', 'question-4']) {
      expect(outbox.byId(id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: NOW, lastError: null, doneAt: null, version: 2 });
    }
    // a worker that claimed question-4 before the swap cannot mark the requeued change done
    await h.storage.outbox.complete('w', [{ docId: 'question-4', version: 1 }], NOW + 1);
    expect(outbox.byId('question-4')).toMatchObject({ status: 'pending', leaseOwner: null });
  });

  it('prunes done entries finished before a time', async () => {
    const outbox = new MemoryCollection([
      entry('question-1', { status: 'done', doneAt: 10 }),
      entry('question-2', { status: 'done', doneAt: 20 }),
      entry('question-3', { status: 'pending' }),
      entry('question-4', { status: 'failed' }),
    ]).install(h, 'SearchOutbox');
    expect(await h.storage.outbox.prune(20)).toBe(1);
    expect(outbox.docs.map((d) => d._id)).toEqual(['question-2', 'question-3', 'question-4']);
    expect(sentTo('SearchOutbox').at(-1)).toMatchObject({ op: 'deleteMany', filter: { status: 'done', doneAt: { $lt: 20 } } });
  });
});

describe('job leases', () => {
  it('takes a free lease with one conditional upsert', async () => {
    h.when('JobLease', 'findOneAndUpdate', { _id: 'sweep', owner: 'a', until: NOW + 1000 });
    expect(await h.storage.leases.acquire('sweep', 'a', NOW, 1000)).toBe(true);
    expect(h.sent()[0]).toMatchObject({
      op: 'findOneAndUpdate',
      filter: { _id: 'sweep', $or: [{ until: { $lt: NOW } }, { owner: 'a' }] },
      update: { $set: { owner: 'a', until: NOW + 1000 } },
      options: { upsert: true, returnDocument: 'after' },
      tx: null,
    });
  });

  it('a duplicate key means another owner holds it: false, not an error', async () => {
    h.when('JobLease', 'findOneAndUpdate', () => {
      throw Object.assign(new Error('E11000 duplicate key error'), { code: 11000, keyPattern: { _id: 1 } });
    });
    expect(await h.storage.leases.acquire('sweep', 'b', NOW, 1000)).toBe(false);
    h.when('JobLease', 'findOneAndUpdate', () => {
      throw new Error('network down');
    });
    await expect(h.storage.leases.acquire('sweep', 'b', NOW, 1000)).rejects.toThrow('network down');
  });

  it('one owner at a time, renewable, free again after expiry or release', async () => {
    new MemoryCollection().install(h, 'JobLease');
    const l = h.storage.leases;
    expect(await l.acquire('sweep', 'a', NOW, 1000)).toBe(true);
    expect(await l.acquire('sweep', 'b', NOW + 10, 1000)).toBe(false);
    expect(await l.acquire('sweep', 'a', NOW + 500, 1000)).toBe(true);
    expect(await l.acquire('sweep', 'b', NOW + 1400, 1000)).toBe(false);
    expect(await l.acquire('sweep', 'b', NOW + 1501, 1000)).toBe(true);
    await l.release('sweep', 'a');
    expect(await l.acquire('sweep', 'a', NOW + 1600, 1000)).toBe(false);
    await l.release('sweep', 'b');
    expect(await l.acquire('sweep', 'a', NOW + 1700, 1000)).toBe(true);
    expect(await l.acquire('other', 'b', NOW + 1700, 1000)).toBe(true);
    expect(h.sent().filter((c) => c.op === 'deleteOne').map((c) => c.filter)).toEqual([{ _id: 'sweep', owner: 'a' }, { _id: 'sweep', owner: 'b' }]);
  });
});
