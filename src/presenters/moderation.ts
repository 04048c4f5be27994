import { parseEditSnapshot } from '../domain/edit-audit.js';
import type { AuditEntry, PostModeration } from '../domain/moderation-types.js';
import type { Locale } from '../domain/types.js';
import type { AuditPage, QuestionModeration, ReviewItem } from '../services/moderation/moderation-service.js';
import { excerpt } from '../markdown/render.js';
import { questionUrl } from '../services/qa/question-service.js';
import { timeView } from './time.js';

/** Audit rows as a table shows them: names and links instead of ids. */
export function auditRowsView(page: AuditPage, locale: Locale) {
  return page.entries.map((e: AuditEntry) => {
    const actor = e.actorId ? page.users.get(e.actorId) : undefined;
    const community = e.communityId ? page.communities.get(e.communityId) : undefined;
    const targetUser = e.targetType === 'user' ? page.users.get(e.targetId) : undefined;
    return {
      id: e.id,
      at: timeView(e.createdAt, locale),
      actor: actor ? { name: actor.username, url: `/u/${encodeURIComponent(actor.username)}` } : null,
      action: e.action,
      community: community ? { name: community.name, slug: community.slug } : null,
      target:
        e.targetType === 'post'
          ? { label: `#${e.targetId}`, url: `/posts/${e.targetId}/goto` }
          : e.targetType === 'user'
            ? { label: targetUser?.username ?? `#${e.targetId}`, url: targetUser ? `/u/${encodeURIComponent(targetUser.username)}` : null }
            : { label: e.targetId, url: null },
      reason: e.reason,
      before: e.action === 'post.edit' ? editText(e.before) : (e.before ?? ''),
      after: e.action === 'post.edit' ? editText(e.after) : (e.after ?? ''),
    };
  });
}

/** An edit's snapshot as readers see it (title · tags · text), not as stored (JSON). */
function editText(stored: string | null): string {
  const snap = parseEditSnapshot(stored);
  if (!snap) return stored ?? '';
  return [snap.title, snap.tags && snap.tags.length > 0 ? `[${snap.tags.join(' ')}]` : undefined, snap.body].filter((p): p is string => Boolean(p)).join(' · ');
}

function stateView(s: PostModeration | null | undefined, locale: Locale) {
  if (!s) return null;
  return {
    closed: s.closedAt !== null ? { reason: s.closeReason ?? 'resolved', note: s.closeNote, at: timeView(s.closedAt, locale) } : null,
    locked: s.lockedAt !== null ? { reason: s.lockReason, at: timeView(s.lockedAt, locale) } : null,
    deleted: s.deletedAt !== null ? { reason: s.deleteReason, hidden: s.hiddenAt !== null } : null,
  };
}

/** The moderation part of a question page's view model (banners, tools, deleted answers). */
export function questionModerationView(m: QuestionModeration, questionId: string, locale: Locale) {
  const q = stateView(m.question, locale);
  const answers: Record<string, ReturnType<typeof stateView>> = {};
  for (const [id, s] of m.answers) answers[id] = stateView(s, locale);
  return {
    questionId,
    closed: q?.closed ?? null,
    locked: q?.locked ?? null,
    original: m.original,
    answers,
    canModerate: m.access.moderator,
    canVoteClose: m.canVoteClose,
    votes: { close: m.votes.close, reopen: m.votes.reopen, needed: m.votesNeeded, votedClose: m.votes.mine.includes('close'), votedReopen: m.votes.mine.includes('reopen') },
    /** Nobody may post an answer while the question is closed or locked. */
    blocksAnswers: Boolean(q?.closed || q?.locked),
    canFlag: m.canFlag,
    flagged: [...m.flagged],
    deletedAnswers: m.deletedAnswers.map(({ answer, state }) => ({
      id: answer.id,
      bodyHtml: answer.bodyHtml,
      at: timeView(answer.createdAt, locale),
      hidden: state?.hiddenAt != null,
      reason: state?.deleteReason ?? '',
    })),
  };
}

/** Review queue rows: the post, why it was flagged and by whom, and its state. */
export function reviewItemsView(items: ReviewItem[], locale: Locale) {
  return items.map((it) => {
    const url = questionUrl(it.community.slug, it.question);
    return {
      id: it.post.id,
      type: it.post.type,
      title: it.question.title,
      url: it.post.type === 'answer' ? `${url}#a${it.post.id}` : url,
      excerpt: excerpt(it.post.bodyText, 300),
      community: { name: it.community.name, slug: it.community.slug },
      author: it.author ? { name: it.author.username, url: `/u/${encodeURIComponent(it.author.username)}`, id: it.author.id } : null,
      hidden: it.state?.hiddenAt != null,
      deleted: it.post.deletedAt !== null && it.state?.hiddenAt == null,
      locked: it.state?.lockedAt != null,
      closed: it.state?.closedAt != null,
      flagCount: it.flags.length,
      flags: it.flags.map((f) => {
        const by = it.users.get(f.userId);
        return { reason: f.reason, text: f.text, at: timeView(f.createdAt, locale), by: by ? { name: by.username, url: `/u/${encodeURIComponent(by.username)}` } : null };
      }),
    };
  });
}
