import type { SearchDocumentCounts, SearchDocumentRepository } from '../../ports.js';
import { parseSearchDocId, type SearchDocKind, type SearchDocument } from '../../../search/port.js';
import { FAQ_MAX_DEPTH } from '../../../domain/faq-types.js';
import { parseId } from '../ids.js';
import type { CommunityDoc, FaqCategoryDoc, FaqEntryDoc, PostDoc } from '../models/index.js';
import {
  categoriesByIdsQuery,
  communityNamesQuery,
  entriesByIdsQuery,
  entryPageQuery,
  liveAnswersCountPipeline,
  liveQuestionsCountQuery,
  postPageQuery,
  postsByIdsQuery,
  publishedEntriesCountQuery,
  threadsQuery,
} from '../queries/search-documents.js';
import { answerDocument, faqDocument, faqPath, questionDocument, type CategoryNode, type CommunityNames, type Thread } from '../search-document-mappers.js';
import { aggregate, countDocuments, findMany, type MongoContext } from './context.js';

/*
 * Search documents read from the database, the source of truth. Plain reads, no
 * transaction: a document read a moment before a change is corrected by that change's own
 * outbox entry, which the worker processes afterwards.
 */
export class MongoSearchDocumentRepository implements SearchDocumentRepository {
  constructor(private readonly ctx: MongoContext) {}

  async load(docIds: string[]): Promise<SearchDocument[]> {
    const wanted: Array<{ kind: SearchDocKind; n: number }> = [];
    const ids: Record<SearchDocKind, number[]> = { question: [], answer: [], faq: [] };
    for (const raw of new Set(docIds)) {
      const parsed = typeof raw === 'string' ? parseSearchDocId(raw) : null;
      const n = parsed ? parseId(parsed.id) : null;
      if (!parsed || n === null) continue;
      wanted.push({ kind: parsed.kind, n });
      ids[parsed.kind].push(n);
    }
    const m = this.ctx.models;
    const [questions, answers, entries] = await Promise.all([
      ids.question.length ? findMany<PostDoc>(m.posts, postsByIdsQuery('question', ids.question)).then((q) => this.questionDocs(q)) : [],
      ids.answer.length ? findMany<PostDoc>(m.posts, postsByIdsQuery('answer', ids.answer)).then((a) => this.answerDocs(a)) : [],
      ids.faq.length ? findMany<FaqEntryDoc>(m.faqEntries, entriesByIdsQuery(ids.faq)).then((e) => this.faqDocs(e)) : [],
    ]);
    const found = new Map<string, SearchDocument>();
    for (const d of [...questions, ...answers, ...entries]) found.set(`${d.kind}-${d.id}`, d);
    return wanted.flatMap((w) => found.get(`${w.kind}-${w.n}`) ?? []);
  }

  /** Questions, then answers, then FAQ entries, each by id range (see postPageQuery). */
  async *all(batchSize: number): AsyncIterable<SearchDocument[]> {
    const m = this.ctx.models;
    for (const type of ['question', 'answer'] as const) {
      for (let after = 0; ; ) {
        const page = await findMany<PostDoc>(m.posts, postPageQuery(type, after, batchSize));
        if (page.length === 0) break;
        after = page.at(-1)!._id;
        const docs = type === 'question' ? await this.questionDocs(page) : await this.answerDocs(page);
        if (docs.length > 0) yield docs;
      }
    }
    for (let after = 0; ; ) {
      const page = await findMany<FaqEntryDoc>(m.faqEntries, entryPageQuery(after, batchSize));
      if (page.length === 0) break;
      after = page.at(-1)!._id;
      yield await this.faqDocs(page);
    }
  }

  async count(): Promise<SearchDocumentCounts> {
    const m = this.ctx.models;
    const [questions, answers, faq] = await Promise.all([
      countDocuments(m.posts, liveQuestionsCountQuery()),
      aggregate<{ n: number }>(m.posts, liveAnswersCountPipeline()),
      countDocuments(m.faqEntries, publishedEntriesCountQuery()),
    ]);
    return { questions, answers: answers[0]?.n ?? 0, faq };
  }

  /** Live questions by id: what answers and FAQ entries repeat from their thread. */
  private async threads(questionIds: number[]): Promise<Map<number, Thread>> {
    const unique = [...new Set(questionIds)];
    if (unique.length === 0) return new Map();
    return new Map((await findMany<PostDoc>(this.ctx.models.posts, threadsQuery(unique))).map((q): [number, Thread] => [q._id, q]));
  }

  /** The names of these communities: one query per batch of documents. */
  private async communityNames(communityIds: number[]): Promise<CommunityNames> {
    const unique = [...new Set(communityIds)];
    if (unique.length === 0) return new Map();
    return new Map((await findMany<CommunityDoc>(this.ctx.models.communities, communityNamesQuery(unique))).map((c): [number, string] => [c._id, c.name]));
  }

  private async questionDocs(questions: PostDoc[]): Promise<SearchDocument[]> {
    const names = await this.communityNames(questions.map((q) => q.communityId));
    return questions.map((q) => questionDocument(q, names));
  }

  /** Answers whose question is gone (deleted) have no document. */
  private async answerDocs(answers: PostDoc[]): Promise<SearchDocument[]> {
    const [threads, names] = await Promise.all([this.threads(answers.map((a) => a.questionId!)), this.communityNames(answers.map((a) => a.communityId))]);
    return answers.flatMap((a) => {
      const thread = threads.get(a.questionId!);
      return thread ? [answerDocument(a, thread, names)] : [];
    });
  }

  private async faqDocs(entries: FaqEntryDoc[]): Promise<SearchDocument[]> {
    if (entries.length === 0) return [];
    const [categories, threads, names] = await Promise.all([
      this.categoryPaths(entries.map((e) => e.categoryId)),
      this.threads(entries.flatMap((e) => (e.sourceQuestionId ? [e.sourceQuestionId] : []))),
      this.communityNames(entries.map((e) => e.communityId)),
    ]);
    return entries.map((e) => faqDocument(e, faqPath(e.categoryId, categories), (e.sourceQuestionId && threads.get(e.sourceQuestionId)?.tags) || [], names));
  }

  /** The categories on the way up from these to the root: one query per level, at most four. */
  private async categoryPaths(categoryIds: number[]): Promise<Map<number, CategoryNode>> {
    const known = new Map<number, CategoryNode>();
    let frontier = [...new Set(categoryIds)];
    for (let level = 0; level < FAQ_MAX_DEPTH && frontier.length > 0; level++) {
      const found: CategoryNode[] = await findMany<FaqCategoryDoc>(this.ctx.models.faqCategories, categoriesByIdsQuery(frontier));
      for (const c of found) known.set(c._id, c);
      frontier = [...new Set(found.map((c) => c.parentId).filter((p): p is number => p !== null && p !== undefined && !known.has(p)))];
    }
    return known;
  }
}
