import { searchDocId, type SearchDocId, type SearchDocKind } from '../../search/port.js';

/*
 * Ids in the MongoDB backend.
 *
 * Domain ids are strings. In MongoDB every entity that has a URL or is referred to by id
 * (users, communities, posts, comments, revisions, tags, FAQ categories and entries, search
 * log rows) stores `_id` as a Number allocated from the `counters` collection
 * ({ _id: 'posts', seq }) with one findOneAndUpdate($inc). Why not ObjectIds: URLs stay short
 * (/c/coffee/q/1234 rather than /q/65f0c0ffee...), and an id means the same thing in both
 * backends, so links, exports and the search index do not depend on which store is running.
 *
 * Ids are allocated *outside* any transaction: the counter update never passes the
 * transaction's session, even when issued from inside a transaction callback, because a
 * counter document changed inside transactions would be a write-conflict hot spot that
 * serialises every writer. The cost is that an aborted or retried transaction leaves a gap
 * in the sequence, which nothing relies on.
 */

/** Largest id we accept: beyond this a JS number no longer holds an exact integer. */
const MAX_ID = Number.MAX_SAFE_INTEGER;

/**
 * Parses a domain id into the stored number. Anything but a plain positive decimal integer
 * (ASCII digits only, no sign, no leading zero, no spaces, no operators) matches nothing.
 * This is also what keeps `{ $gt: '' }`-style input out of queries: ids reach MongoDB only as numbers.
 */
export function parseId(id: unknown): number | null {
  if (typeof id !== 'string' || !/^[1-9]\d{0,15}$/.test(id)) return null;
  const n = Number(id);
  return n <= MAX_ID ? n : null;
}

/** Parses many ids, dropping malformed ones and duplicates, keeping first-seen order. */
export function parseIds(ids: readonly unknown[]): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (const raw of ids) {
    const n = parseId(raw);
    if (n !== null && !seen.has(n)) {
      seen.add(n);
      out.push(n);
    }
  }
  return out;
}

export const idString = (n: number): string => String(n);
export const idOrNull = (n: number | null | undefined): string | null => (n === null || n === undefined ? null : String(n));

/** The search document (and outbox entry) id of a stored entity: "question-12". */
export const searchDocIdOf = (kind: SearchDocKind, n: number): SearchDocId => searchDocId(kind, idString(n));

/** Names of the id sequences kept in the `counters` collection, one per kind of entity. */
export const SEQUENCES = {
  users: 'users',
  communities: 'communities',
  /** Questions and answers share one sequence: votes, comments and revisions point at any post. */
  posts: 'posts',
  revisions: 'revisions',
  comments: 'comments',
  tags: 'tags',
  faqCategories: 'faqCategories',
  faqEntries: 'faqEntries',
  faqRevisions: 'faqRevisions',
  searchLog: 'searchLog',
  searchSynonyms: 'searchSynonyms',
  auditLog: 'auditLog',
  flags: 'flags',
  suspensions: 'suspensions',
  mail: 'mail',
  notifications: 'notifications',
  newsletters: 'newsletters',
  events: 'events',
} as const;

export type SequenceName = (typeof SEQUENCES)[keyof typeof SEQUENCES];

/** The ids handed out by one `$inc: { seq: count }` that returned `seq` (the new value). */
export function idsFromSeq(seq: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => seq - count + 1 + i);
}
