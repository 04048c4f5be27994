import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PostModeration } from '../../domain/moderation-types.js';
import type { Question } from '../../domain/qa-types.js';
import type { Community } from '../../domain/types.js';
import { questionUrl } from '../../services/qa/question-service.js';

/** A deleted question as its author or a moderator sees it: the notice, the reason, the text, and undelete for moderators. */
export function renderDeletedQuestion(
  request: FastifyRequest,
  reply: FastifyReply,
  d: { question: Question; community: Community; state: PostModeration | null; canModerate: boolean },
) {
  return reply.page(
    'moderation/deleted-question',
    {
      question: { id: d.question.id, title: d.question.title, bodyHtml: d.question.bodyHtml, url: questionUrl(d.community.slug, d.question) },
      community: { name: d.community.name, url: `/c/${d.community.slug}` },
      hidden: d.state?.hiddenAt != null,
      reason: d.state?.deleteReason ?? '',
      canModerate: d.canModerate,
    },
    // Never indexed: the page exists only for the people who may see a deleted post.
    { title: request.t('mod.deleted.questionTitle', { title: d.question.title }), status: 200 },
  );
}
