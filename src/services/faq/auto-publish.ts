import type { EventRequest, FaqAutoPublish, FaqRepository } from '../../db/ports.js';
import { ConflictError } from '../../domain/errors.js';
import type { FaqCandidateRow, FaqCategory, FaqEntry } from '../../domain/faq-types.js';
import { slugify } from '../../domain/slug.js';
import { renderMarkdown } from '../../markdown/render.js';

/*
 * "Auto-publish candidates above score X into category Y" (issue 5): on each vote, and for
 * the answers that already qualify when a moderator saves the setting.
 */

/** Answers published in one save; the next save publishes the next ones. */
export const AUTO_PUBLISH_BATCH = 200;
/** Rows read per save: dismissed answers come back from the query too and are skipped. */
const AUTO_PUBLISH_SCAN = 1000;

export function qualifiesForAutoPublish(row: FaqCandidateRow, settings: FaqAutoPublish): boolean {
  return settings.score !== null && row.score >= settings.score && !row.dismissal;
}

/**
 * Stores the answer as it stands, as revision 1. Nobody who configured the setting is
 * recorded, so the entry stays credited to the answer's author and the history says it was
 * published automatically. Returns the entry, or null when another request published it first.
 */
export async function publishRow(faq: FaqRepository, category: FaqCategory, row: FaqCandidateRow, now: number, event?: EventRequest): Promise<FaqEntry | null> {
  const { html, text } = renderMarkdown(row.answerBodyMd);
  try {
    return await faq.createEntry({
      communityId: row.communityId,
      categoryId: category.id,
      title: row.questionTitle,
      slug: slugify(row.questionTitle),
      bodyMd: row.answerBodyMd,
      bodyHtml: html,
      bodyText: text,
      sourceQuestionId: row.questionId,
      sourceAnswerId: row.answerId,
      relatedIds: [],
      createdBy: row.answerAuthorId,
      now,
      // Only a vote's auto-publish notifies; switching the setting on publishes silently.
      ...(event ? { event } : {}),
    });
  } catch (err) {
    // Two requests racing past the score: the unique source index lets only one publish.
    if (err instanceof ConflictError) return null;
    throw err;
  }
}

/** Publishes, highest score first, up to one batch of the answers that already qualify. */
export async function publishBacklog(faq: FaqRepository, communityId: string, settings: FaqAutoPublish, category: FaqCategory, now: () => number): Promise<{ published: number; more: boolean }> {
  if (settings.score === null) return { published: 0, more: false };
  const rows = await faq.candidateRows(communityId, settings.score, AUTO_PUBLISH_SCAN);
  const due = rows.filter((r) => qualifiesForAutoPublish(r, settings));
  let published = 0;
  for (const row of due.slice(0, AUTO_PUBLISH_BATCH)) if ((await publishRow(faq, category, row, now())) !== null) published += 1;
  // Rows come best score first: a full read whose last row still qualifies may have left some out.
  const cut = rows.length === AUTO_PUBLISH_SCAN && rows[rows.length - 1]!.score >= settings.score;
  return { published, more: due.length > AUTO_PUBLISH_BATCH || cut };
}
