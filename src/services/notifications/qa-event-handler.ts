import type { CommentRepository, CommunityRepository, FaqRepository, PostRepository, UserRepository } from '../../db/ports.js';
import type { QueuedEvent } from '../../db/event-port.js';
import type { QaNotifier } from './notification-service.js';

export interface QaEventSources {
  posts: PostRepository;
  comments: CommentRepository;
  users: UserRepository;
  communities: CommunityRepository;
  faq: FaqRepository;
}

/**
 * Turns one stored event into the notifier's call, reading the current state by the event's
 * ids. Something gone since (a post deleted by a moderator, a comment removed, an entry
 * deleted) notifies nobody: the event is done. Errors reach the worker, which retries.
 */
export function qaEventHandler(sources: QaEventSources, notifier: QaNotifier): (event: QueuedEvent) => Promise<void> {
  return async (event) => {
    const p = event.payload;
    const actor = p.actorId === null ? null : await sources.users.findById(p.actorId);
    if (event.kind === 'faq_published') {
      const entry = p.entryId ? await sources.faq.findEntry(p.entryId) : null;
      const community = entry ? await sources.communities.findById(entry.communityId) : null;
      if (!entry || !community || (p.actorId !== null && !actor)) return;
      return notifier.faqPublished(actor, community, entry, event.createdAt);
    }
    const question = await sources.posts.findQuestion(p.questionId);
    if (!actor || !question) return;
    const community = await sources.communities.findById(question.communityId);
    if (!community) return;
    switch (event.kind) {
      case 'asked':
        return notifier.asked(actor, question, community, event.createdAt);
      case 'answered': {
        const answer = p.answerId ? await sources.posts.findPost(p.answerId) : null;
        if (answer?.type !== 'answer') return;
        return notifier.answered(actor, question, answer, community, event.createdAt);
      }
      case 'commented': {
        const post = p.postId ? await sources.posts.findPost(p.postId) : null;
        if (!post) return;
        const comment = (await sources.comments.listFor([post.id])).find((c) => c.id === p.commentId);
        if (!comment) return;
        return notifier.commented(actor, post, comment, question, community, event.createdAt);
      }
      case 'accepted':
        // Withdrawn (or moved to another answer) before the worker ran: nothing to tell.
        if (!p.answerId || question.acceptedAnswerId !== p.answerId) return;
        return notifier.accepted(actor, question, p.answerId, community, event.createdAt);
    }
  };
}
