import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportPost, Storage } from '../../src/db/ports.js';
import type { Question } from '../../src/domain/qa-types.js';
import type { Community, User } from '../../src/domain/types.js';
import { REPUTATION } from '../../src/domain/reputation.js';

/*
 * The data-dump import storage contract (ImportRepository in src/db/ports.ts): posts stored
 * whole with their votes, score, acceptance and the reputation these give (so a recompute
 * changes nothing); source ids that make a second import of the same rows a no-op; refusals
 * with a reason for rows whose parent is missing; comments, links and attributions. Every
 * backend must pass it. makeStorage returns a fresh, empty store.
 */

const T0 = 1_700_000_000_000;
const ATTRIBUTION = { sourceUrl: 'https://se.example/q/10', authorName: 'Asker', authorUrl: 'https://se.example/users/1', licence: 'CC BY-SA 3.0' };

export function runImportContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`import contract: ${name}`, () => {
    let storage: Storage;
    let community: Community;
    let asker: User;
    let answerer: User;
    let voters: User[];

    beforeEach(async () => {
      storage = await makeStorage();
      community = await storage.communities.create({ slug: 'dump', name: 'Dump', kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
      const user = (n: string) => storage.users.create({ username: n, email: `${n}@import.invalid`, displayName: n, passwordHash: '!unclaimed-import' });
      asker = await user('asker');
      answerer = await user('answerer');
      voters = [await user('v1'), await user('v2'), await user('v3')];
    });
    afterEach(async () => {
      await storage.close();
    });

    const question = (over: Partial<ImportPost> = {}): ImportPost => ({
      sourceId: '10',
      type: 'question',
      authorId: asker.id,
      title: 'How do qubits decohere?',
      slug: 'how-do-qubits-decohere',
      tags: ['decoherence', 'qubit'],
      bodyMd: 'Body of the question',
      bodyHtml: '<p>Body of the question</p>',
      bodyText: 'Body of the question',
      createdAt: T0,
      viewCount: 42,
      upVoterIds: [voters[0]!.id, voters[1]!.id],
      downVoterIds: [],
      votedAt: T0,
      attribution: ATTRIBUTION,
      ...over,
    });
    const answer = (over: Partial<ImportPost> = {}): ImportPost => ({
      sourceId: '11',
      type: 'answer',
      questionSourceId: '10',
      authorId: answerer.id,
      bodyMd: 'An answer',
      bodyHtml: '<p>An answer</p>',
      bodyText: 'An answer',
      createdAt: T0 + 60_000,
      viewCount: 0,
      upVoterIds: [voters[0]!.id, voters[1]!.id, voters[2]!.id],
      downVoterIds: [],
      votedAt: T0 + 60_000,
      accepted: true,
      attribution: { ...ATTRIBUTION, sourceUrl: 'https://se.example/a/11', authorName: 'Answerer', authorUrl: 'https://se.example/users/2' },
      ...over,
    });

    it('stores a question and its accepted answer with scores, votes, counters and reputation in one batch', async () => {
      const down = answer({ sourceId: '12', accepted: false, upVoterIds: [voters[2]!.id], downVoterIds: [voters[0]!.id, voters[1]!.id], createdAt: T0 + 120_000 });
      const result = await storage.imports.importPosts(community.id, [question(), answer(), down]);
      expect(result).toEqual({ imported: 3, skipped: 0, refused: [] });
      const ids = await storage.imports.findImported(community.id, 'post', ['10', '11', '12', '99']);
      expect([...ids.keys()].sort()).toEqual(['10', '11', '12']);

      const q = (await storage.posts.findQuestion(ids.get('10')!)) as Question;
      expect(q).toMatchObject({ title: 'How do qubits decohere?', score: 2, upVotes: 2, answerCount: 2, acceptedAnswerId: ids.get('11'), viewCount: 42, createdAt: T0 });
      expect(q.tags).toEqual(['decoherence', 'qubit']);
      expect(q.lastActivityAt).toBe(T0 + 120_000);
      const answers = await storage.posts.listAnswers(q.id);
      expect(answers.map((a) => [a.id, a.score, a.isAccepted])).toEqual([
        [ids.get('11'), 3, true],
        [ids.get('12'), -1, false],
      ]);
      expect((await storage.posts.listRevisions(q.id)).map((r) => r.revision)).toEqual([1]);
      expect((await storage.communities.findById(community.id))!.questionCount).toBe(1);
      expect((await storage.tags.find(community.id, 'qubit'))?.questionCount).toBe(1);
      expect(await storage.votes.votesBy(voters[0]!.id, [q.id, ids.get('11')!, ids.get('12')!])).toEqual(
        new Map([
          [q.id, 1],
          [ids.get('11')!, 1],
          [ids.get('12')!, -1],
        ]),
      );

      const rep = async (u: User) => (await storage.users.findById(u.id))!.reputation;
      expect(await rep(asker)).toBe(2 * REPUTATION.questionUpvoted + REPUTATION.acceptedByAsker);
      expect(await rep(answerer)).toBe(4 * REPUTATION.answerUpvoted + 2 * REPUTATION.downvoted + REPUTATION.answerAccepted);
      expect(await storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
    });

    it('skips rows it has already imported, in the same or a later batch', async () => {
      await storage.imports.importPosts(community.id, [question(), answer()]);
      const again = await storage.imports.importPosts(community.id, [question(), answer()]);
      expect(again).toEqual({ imported: 0, skipped: 2, refused: [] });
      const q = (await storage.posts.findQuestion((await storage.imports.findImported(community.id, 'post', ['10'])).get('10')!))!;
      expect(q).toMatchObject({ score: 2, answerCount: 1 });
      expect((await storage.communities.findById(community.id))!.questionCount).toBe(1);
      expect(await storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
    });

    it('keeps source ids per community', async () => {
      const other = await storage.communities.create({ slug: 'other', name: 'Other', kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
      await storage.imports.importPosts(community.id, [question()]);
      expect((await storage.imports.findImported(other.id, 'post', ['10'])).size).toBe(0);
      expect(await storage.imports.importPosts(other.id, [question()])).toEqual({ imported: 1, skipped: 0, refused: [] });
    });

    it('refuses an answer whose question was not imported, with the reason, and stores nothing for it', async () => {
      const result = await storage.imports.importPosts(community.id, [answer({ questionSourceId: '404' })]);
      expect(result.imported).toBe(0);
      expect(result.refused).toEqual([{ sourceId: '11', reason: 'its question is not imported' }]);
      expect((await storage.imports.findImported(community.id, 'post', ['11'])).size).toBe(0);
      expect(await storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
    });

    it('records users, comments, links and attributions', async () => {
      await storage.imports.recordUser(community.id, '1', asker.id);
      await storage.imports.recordUser(community.id, '1', asker.id);
      expect(await storage.imports.findImported(community.id, 'user', ['1', '2'])).toEqual(new Map([['1', asker.id]]));

      await storage.imports.importPosts(community.id, [question(), question({ sourceId: '20', title: 'Another question here', slug: 'another', upVoterIds: [] }), answer()]);
      const ids = await storage.imports.findImported(community.id, 'post', ['10', '11', '20']);
      const comments = await storage.imports.importComments(community.id, [
        { sourceId: 'c1', postSourceId: '11', authorId: asker.id, body: 'Thanks, that helps', bodyHtml: 'Thanks, that helps', createdAt: T0 + 200_000 },
        { sourceId: 'c2', postSourceId: '404', authorId: asker.id, body: 'Lost comment', bodyHtml: 'Lost comment', createdAt: T0 },
      ]);
      expect(comments).toEqual({ imported: 1, skipped: 0, refused: [{ sourceId: 'c2', reason: 'its post is not imported' }] });
      expect((await storage.comments.listFor([ids.get('11')!])).map((c) => [c.body, c.authorId])).toEqual([['Thanks, that helps', asker.id]]);
      expect((await storage.posts.findPost(ids.get('11')!))!.commentCount).toBe(1);
      expect((await storage.posts.findQuestion(ids.get('10')!))!.lastActivityAt).toBe(T0 + 200_000);
      expect(await storage.imports.importComments(community.id, [{ sourceId: 'c1', postSourceId: '11', authorId: asker.id, body: 'x', bodyHtml: 'x', createdAt: T0 }])).toEqual({
        imported: 0,
        skipped: 1,
        refused: [],
      });

      const links = await storage.imports.importLinks(community.id, [
        { sourceId: 'l1', postSourceId: '20', targetSourceId: '10', kind: 'duplicate', createdAt: T0 },
        { sourceId: 'l2', postSourceId: '20', targetSourceId: '404', kind: 'related', createdAt: T0 },
      ]);
      expect(links).toEqual({ imported: 1, skipped: 0, refused: [{ sourceId: 'l2', reason: 'a linked post is not imported' }] });
      expect(await storage.imports.linksOf(ids.get('10')!)).toEqual([{ postId: ids.get('20'), targetId: ids.get('10'), kind: 'duplicate' }]);
      expect(await storage.imports.linksOf('abc')).toEqual([]);

      const attributions = await storage.imports.attributions([ids.get('10')!, ids.get('11')!, 'abc', '999999']);
      expect(attributions.get(ids.get('10')!)).toEqual(ATTRIBUTION);
      expect(attributions.get(ids.get('11')!)?.sourceUrl).toBe('https://se.example/a/11');
      expect(attributions.size).toBe(2);
    });
  });
}
