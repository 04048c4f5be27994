import { Schema } from 'mongoose';
import type { FaqReviewReason } from '../../../domain/faq-types.js';
import { countField, idField, nullableIdField, schemaOptions, textField, timeField } from './common.js';

/*
 * Related links are embedded as an array of entry ids and kept symmetric by the repository
 * (SQLite uses a faq_related table holding both directions); "entries related to X" is then
 * one indexed query: { relatedIds: X }.
 */
export interface FaqEntryDoc {
  _id: number;
  communityId: number;
  categoryId: number;
  title: string;
  slug: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  sourceQuestionId: number | null;
  sourceAnswerId: number | null;
  status: 'published' | 'archived';
  pinned: boolean;
  pinPosition: number;
  viewCount: number;
  helpfulYes: number;
  helpfulNo: number;
  searchClicks: number;
  /**
   * The source question's duplicate count and the entry's ask frequency (askFrequency in
   * faq-rules), kept on the entry by every write that changes an input so the FAQ home reads
   * its top entries by the faq_entries_rank index. Entries from before these fields get them
   * at startup (backfill-faq-rank.ts).
   */
  sourceDuplicates: number;
  askFrequency: number;
  needsReview: boolean;
  reviewReason: FaqReviewReason | null;
  revisionCount: number;
  relatedIds: number[];
  createdBy: number;
  createdAt: number;
  updatedAt: number;
}

export const FAQ_ENTRY_MODEL = 'FaqEntry';

export const faqEntrySchema = new Schema<FaqEntryDoc>(
  {
    _id: idField,
    communityId: idField,
    categoryId: idField,
    title: { type: String, required: true },
    slug: { type: String, required: true },
    bodyMd: textField,
    bodyHtml: textField,
    bodyText: textField,
    sourceQuestionId: nullableIdField,
    sourceAnswerId: nullableIdField,
    status: { type: String, enum: ['published', 'archived'], default: 'published' },
    pinned: { type: Boolean, default: false },
    pinPosition: countField,
    viewCount: countField,
    helpfulYes: countField,
    helpfulNo: countField,
    searchClicks: countField,
    sourceDuplicates: countField,
    askFrequency: countField,
    needsReview: { type: Boolean, default: false },
    reviewReason: { type: String, enum: ['source_edited', 'overtaken', null], default: null },
    revisionCount: { ...countField, default: 1 },
    relatedIds: { type: [Number], default: [] },
    createdBy: idField,
    createdAt: timeField,
    updatedAt: timeField,
  },
  schemaOptions('faqEntries'),
);

// Entry lists are in id order; the status is checked on the documents the index yields, so one
// index serves the published, archived and all-status lists alike.
faqEntrySchema.index({ categoryId: 1, _id: 1 }, { name: 'faq_entries_category_id' });
faqEntrySchema.index({ communityId: 1, _id: 1 }, { name: 'faq_entries_community_id' });
// The FAQ home: a community's published entries in display order (pinned by pin position, which
// is 0 for unpinned entries, then ask frequency, then newest), so the top ten are read, not sorted.
faqEntrySchema.index(
  { communityId: 1, status: 1, pinned: -1, pinPosition: 1, askFrequency: -1, createdAt: -1, _id: -1 },
  { name: 'faq_entries_rank' },
);
// The last pin position of a community (a new pin goes after it).
faqEntrySchema.index({ communityId: 1, pinned: 1, pinPosition: 1 }, { name: 'faq_entries_pins' });
// One FAQ entry per source answer. Partial, because entries written from scratch have no
// source (null), and a plain unique index would allow only one of those. The filter is
// "$gt: 0" (not "$type: 'number'") so that an equality query on the field provably falls
// inside it and the planner uses the index (for entryForAnswer and the candidate $lookup).
faqEntrySchema.index(
  { sourceAnswerId: 1 },
  { unique: true, name: 'faq_entries_source_answer_unique', partialFilterExpression: { sourceAnswerId: { $gt: 0 } } },
);
faqEntrySchema.index({ sourceQuestionId: 1 }, { name: 'faq_entries_source_question', partialFilterExpression: { sourceQuestionId: { $gt: 0 } } });
faqEntrySchema.index({ communityId: 1, needsReview: 1, _id: 1 }, { name: 'faq_entries_review_id', partialFilterExpression: { needsReview: true } });
// An entry's related entries by title (and the links to remove when an entry goes).
faqEntrySchema.index({ relatedIds: 1, title: 1, _id: 1 }, { name: 'faq_entries_related_title' });
