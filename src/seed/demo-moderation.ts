import type { Storage } from '../db/ports.js';
import type { User } from '../domain/types.js';
import type { Services } from '../services/index.js';

/**
 * Moderation demo data (issue 13): a question closed as a duplicate of another in Home Coffee
 * Roasting (so the FAQ duplicates evidence is not 0), and a flagged spam answer in Lumen
 * support waiting in the review queue (two flags: below the three that would hide it).
 */
export async function seedDemoModeration(storage: Storage, services: Services, user: (name: string) => User): Promise<void> {
  const coffee = await storage.communities.findBySlug('home-coffee');
  const lumen = await storage.communities.findBySlug('lumen-support');
  if (!coffee || !lumen) return;
  const [original] = await storage.posts.listQuestions({ communityId: coffee.id, sort: 'top', offset: 0, limit: 1 });
  if (original) {
    const { question } = await services.questions.ask(user('bob'), 'home-coffee', {
      title: `Same problem: ${original.title}`,
      body: 'I think this was asked before, but I could not find it. Any help welcome.',
      tags: original.tags.join(' '),
    });
    await services.moderation.close(user('alice'), question.id, { reason: 'duplicate', duplicateOf: original.id, note: '' });
  }
  const [target] = await storage.posts.listQuestions({ communityId: lumen.id, sort: 'top', offset: 0, limit: 1 });
  if (target) {
    const { answer } = await services.questions.answer(user('erin'), target.id, 'Cheap batteries and chargers at 90% off, visit my shop today! Best prices online.');
    await services.moderation.flag(user('carol'), answer.id, { reason: 'spam', text: '' });
    await services.moderation.flag(user('dave'), answer.id, { reason: 'other', text: 'Advertising, nothing to do with the question' });
  }
}
