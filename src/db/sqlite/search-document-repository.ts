import type { SearchDocumentCounts, SearchDocumentRepository } from '../ports.js';
import { parseSearchDocId, type SearchDocument } from '../../search/port.js';
import { answerDocument, faqDocument, questionDocument } from '../../search/documents.js';
import type { Db } from './connection.js';
import { splitTags } from './post-mapper.js';

/*
 * Search documents built from the tables, for an external search engine (the embedded one
 * reads the tables directly). Only what a visitor could find: live posts whose question is
 * live, and published FAQ entries.
 */

interface PostDocRow {
  id: number;
  type: 'question' | 'answer';
  community_id: number;
  community_name: string | null;
  question_id: number | null;
  title: string | null;
  slug: string | null;
  body_text: string;
  tags: string;
  score: number;
  answer_count: number;
  accepted_answer_id: number | null;
  is_accepted: number;
  created_at: number;
  edited_at: number | null;
  last_activity_at: number;
  q_title: string | null;
  q_slug: string | null;
  q_tags: string | null;
  q_answer_count: number | null;
}

interface FaqDocRow {
  id: number;
  community_id: number;
  community_name: string | null;
  category_id: number;
  source_question_id: number | null;
  title: string;
  slug: string;
  body_text: string;
  helpful_yes: number;
  helpful_no: number;
  created_at: number;
  updated_at: number;
  source_tags: string | null;
  path1: string | null;
  path2: string | null;
  path3: string | null;
  path4: string;
}

const POST_SELECT = `
  SELECT p.id, p.type, p.community_id, p.question_id, p.title, p.slug, p.body_text, p.tags, p.score, p.answer_count,
    p.accepted_answer_id, p.is_accepted, p.created_at, p.edited_at, p.last_activity_at,
    q.title AS q_title, q.slug AS q_slug, q.tags AS q_tags, q.answer_count AS q_answer_count, cm.name AS community_name
  FROM posts p LEFT JOIN posts q ON q.id = p.question_id LEFT JOIN communities cm ON cm.id = p.community_id
  WHERE p.deleted_at IS NULL AND (p.question_id IS NULL OR q.deleted_at IS NULL)`;

// The category path, root first: a tree is at most four levels deep.
const FAQ_SELECT = `
  SELECT e.id, e.community_id, e.category_id, e.source_question_id, e.title, e.slug, e.body_text, e.helpful_yes, e.helpful_no,
    e.created_at, e.updated_at, sq.tags AS source_tags,
    c4.name AS path1, c3.name AS path2, c2.name AS path3, c1.name AS path4, cm.name AS community_name
  FROM faq_entries e
    LEFT JOIN communities cm ON cm.id = e.community_id
    JOIN faq_categories c1 ON c1.id = e.category_id
    LEFT JOIN faq_categories c2 ON c2.id = c1.parent_id
    LEFT JOIN faq_categories c3 ON c3.id = c2.parent_id
    LEFT JOIN faq_categories c4 ON c4.id = c3.parent_id
    LEFT JOIN posts sq ON sq.id = e.source_question_id AND sq.deleted_at IS NULL
  WHERE e.status = 'published'`;

/* Rows read into the shared shapes of src/search/documents.ts. */
function postDocument(r: PostDocRow): SearchDocument {
  if (r.type === 'question') {
    return questionDocument({
      id: String(r.id),
      communityId: String(r.community_id),
      communityName: r.community_name ?? '',
      title: r.title ?? '',
      slug: r.slug ?? '',
      bodyText: r.body_text,
      tags: splitTags(r.tags),
      score: r.score,
      answerCount: r.answer_count,
      hasAcceptedAnswer: r.accepted_answer_id !== null,
      createdAt: r.created_at,
      lastActivityAt: r.last_activity_at,
    });
  }
  return answerDocument(
    { id: String(r.id), communityId: String(r.community_id), communityName: r.community_name ?? '', bodyText: r.body_text, score: r.score, isAccepted: r.is_accepted === 1, createdAt: r.created_at, editedAt: r.edited_at },
    { id: String(r.question_id), title: r.q_title ?? '', slug: r.q_slug ?? '', tags: splitTags(r.q_tags ?? ''), answerCount: r.q_answer_count ?? 0 },
  );
}

function faqRowDocument(r: FaqDocRow): SearchDocument {
  return faqDocument(
    {
      id: String(r.id),
      communityId: String(r.community_id),
      communityName: r.community_name ?? '',
      sourceQuestionId: r.source_question_id === null ? null : String(r.source_question_id),
      title: r.title,
      slug: r.slug,
      bodyText: r.body_text,
      helpfulYes: r.helpful_yes,
      helpfulNo: r.helpful_no,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    },
    [r.path1, r.path2, r.path3, r.path4].filter((n): n is string => n !== null),
    splitTags(r.source_tags ?? ''),
  );
}

export class SqliteSearchDocumentRepository implements SearchDocumentRepository {
  constructor(private readonly db: Db) {}

  async load(docIds: string[]): Promise<SearchDocument[]> {
    const postIds: number[] = [];
    const faqIds: number[] = [];
    for (const raw of docIds) {
      const parsed = parseSearchDocId(raw);
      if (!parsed) continue;
      (parsed.kind === 'faq' ? faqIds : postIds).push(Number(parsed.id));
    }
    const docs: SearchDocument[] = [];
    if (postIds.length > 0) {
      const wanted = new Set(docIds);
      const rows = this.db.prepare<[string], PostDocRow>(`${POST_SELECT} AND p.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(postIds));
      // "answer-12" must not load question 12: the kind is part of the id.
      for (const r of rows) if (wanted.has(`${r.type}-${r.id}`)) docs.push(postDocument(r));
    }
    if (faqIds.length > 0) {
      const rows = this.db.prepare<[string], FaqDocRow>(`${FAQ_SELECT} AND e.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(faqIds));
      for (const r of rows) docs.push(faqRowDocument(r));
    }
    return docs;
  }

  async *all(batchSize: number): AsyncIterable<SearchDocument[]> {
    const size = Math.max(1, Math.floor(batchSize));
    // Keyset pagination by id: each batch is one indexed range read, however large the table.
    const posts = this.db.prepare<[number, number], PostDocRow>(`${POST_SELECT} AND p.id > ? ORDER BY p.id LIMIT ?`);
    for (let after = 0; ; ) {
      const rows = posts.all(after, size);
      if (rows.length === 0) break;
      yield rows.map(postDocument);
      after = rows[rows.length - 1]!.id;
    }
    const entries = this.db.prepare<[number, number], FaqDocRow>(`${FAQ_SELECT} AND e.id > ? ORDER BY e.id LIMIT ?`);
    for (let after = 0; ; ) {
      const rows = entries.all(after, size);
      if (rows.length === 0) break;
      yield rows.map(faqRowDocument);
      after = rows[rows.length - 1]!.id;
    }
  }

  async count(): Promise<SearchDocumentCounts> {
    const posts = this.db
      .prepare<[], { questions: number; answers: number }>(
        `SELECT coalesce(sum(p.type = 'question'), 0) AS questions, coalesce(sum(p.type = 'answer'), 0) AS answers FROM (${POST_SELECT}) p`,
      )
      .get()!;
    const faq = this.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM (${FAQ_SELECT})`).get()!;
    return { questions: posts.questions, answers: posts.answers, faq: faq.n };
  }
}
