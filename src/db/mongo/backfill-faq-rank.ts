import type { Model } from 'mongoose';
import { askFrequency } from '../../domain/faq-rules.js';
import type { FaqEntryDoc } from './models/faq-entry.js';
import type { PostDoc } from './models/post.js';

type RankInputs = Pick<FaqEntryDoc, '_id' | 'sourceQuestionId' | 'viewCount' | 'helpfulYes' | 'searchClicks'>;

/**
 * Gives FAQ entries from before the stored ranking their source question's duplicate count and
 * their ask frequency, so the FAQ home's index read ranks them like new ones (SQLite does this in
 * migration 018). Runs at startup on every instance; it touches only entries without the field,
 * so a second run changes nothing. Writes are conditional on the field still missing, so an
 * instance that already keeps it current is never overwritten.
 */
export async function backfillFaqRank(entries: Model<FaqEntryDoc>, posts: Model<PostDoc>): Promise<number> {
  const missing = await entries
    .find({ askFrequency: { $exists: false } }, { _id: 1, sourceQuestionId: 1, viewCount: 1, helpfulYes: 1, searchClicks: 1 })
    .lean<RankInputs[]>()
    .exec();
  if (missing.length === 0) return 0;
  const questionIds = [...new Set(missing.map((e) => e.sourceQuestionId).filter((x): x is number => typeof x === 'number'))];
  const duplicates = new Map(
    (await posts.find({ _id: { $in: questionIds } }, { _id: 1, duplicateCount: 1 }).lean<Array<Pick<PostDoc, '_id' | 'duplicateCount'>>>().exec()).map((p) => [p._id, p.duplicateCount ?? 0]),
  );
  for (const e of missing) {
    const sourceDuplicates = e.sourceQuestionId ? (duplicates.get(e.sourceQuestionId) ?? 0) : 0;
    const frequency = askFrequency({ viewCount: e.viewCount ?? 0, helpfulYes: e.helpfulYes ?? 0, searchClicks: e.searchClicks ?? 0, duplicateCount: sourceDuplicates });
    await entries.updateOne({ _id: e._id, askFrequency: { $exists: false } }, { $set: { sourceDuplicates, askFrequency: frequency } }).exec();
  }
  return missing.length;
}
