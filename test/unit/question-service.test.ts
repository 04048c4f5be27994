import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { Community, User } from '../../src/domain/types.js';
import { CommunityService } from '../../src/services/communities/community-service.js';
import { QuestionService } from '../../src/services/qa/question-service.js';
import { ViewCounter } from '../../src/services/qa/view-counter.js';

/* QuestionService's rules with its real repositories on an in-memory database. */
describe('QuestionService', () => {
  let storage: SqliteStorage;
  let qa: QuestionService;
  let community: Community;
  let asker: User;
  let voter: User;
  let outsider: User;

  beforeEach(async () => {
    storage = createSqliteStorage(':memory:');
    const communities = new CommunityService(storage.communities, storage.memberships, storage.users);
    qa = new QuestionService(storage.posts, storage.votes, storage.comments, storage.tags, storage.users, storage.memberships, communities, new ViewCounter(storage.posts, 0), () => Date.UTC(2030, 0, 1));
    community = await storage.communities.create({ slug: 'cams', name: 'Cameras', kind: 'business', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
    const user = (name: string) => storage.users.create({ username: name, email: `${name}@example.test`, displayName: name, passwordHash: 'x' });
    [asker, voter, outsider] = [await user('asker'), await user('voter'), await user('outsider')];
    await storage.memberships.upsert(community.id, asker.id, 'member');
    await storage.memberships.upsert(community.id, voter.id, 'member');
  });
  afterEach(async () => {
    await storage.close();
  });

  const ask = () => qa.ask(asker, 'cams', { title: 'The lens cap keeps falling off', body: 'It falls off **every** time I walk.', tags: '镜头 Lens' });

  it('asks with the Markdown rendered once, tags normalised, and refuses outsiders and bad drafts', async () => {
    const { question } = await ask();
    expect(question.bodyHtml).toContain('<strong>every</strong>');
    expect(question.tags).toEqual(['镜头', 'lens']);
    await expect(qa.ask(outsider, 'cams', { title: 'A question from outside', body: 'Long enough body text.', tags: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    const err = await qa.ask(asker, 'cams', { title: 'short', body: '', tags: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(Object.keys((err as ValidationError).fields).sort()).toEqual(['body', 'tags', 'title']);
  });

  it('votes: not on one\'s own post, only as a member, but a member who left can still withdraw', async () => {
    const { question } = await ask();
    await expect(qa.vote(asker, question.id, 1)).rejects.toThrow(ForbiddenError);
    expect((await qa.vote(voter, question.id, 1)).score).toBe(1);
    await storage.memberships.remove(community.id, voter.id);
    await expect(qa.vote(voter, question.id, -1)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await qa.vote(voter, question.id, 0)).score).toBe(0);
    await expect(qa.vote(voter, '999999', 1)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('only the asker (or a moderator) accepts, and accepting again withdraws', async () => {
    const { question } = await ask();
    const { answer } = await qa.answer(voter, question.id, 'Use a lens cap keeper string.');
    await expect(qa.accept(voter, question.id, answer.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await qa.accept(asker, question.id, answer.id)).accepted).toBe(true);
    expect((await storage.posts.findQuestion(question.id))!.acceptedAnswerId).toBe(answer.id);
    expect((await qa.accept(asker, question.id, answer.id)).accepted).toBe(false);
    expect((await storage.posts.findQuestion(question.id))!.acceptedAnswerId).toBeNull();
  });
});
