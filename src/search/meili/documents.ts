import { searchDocId, type SearchDocId, type SearchDocKind, type SearchDocument } from '../port.js';

/**
 * A search document as stored in Meilisearch. A type alias (not an interface) so that it is
 * assignable to the client's `Record<string, any>` document type.
 */
export type MeiliDocument = {
  docId: SearchDocId;
  kind: SearchDocKind;
  id: string;
  communityId: string;
  questionId: string | null;
  title: string;
  slug: string;
  body: string;
  tags: string[];
  faqPath: string[];
  /** Searchable, so a query naming the community finds its threads, as in the embedded engine. */
  communityName: string;
  score: number;
  answerCount: number;
  accepted: boolean;
  answered: boolean;
  createdAt: number;
  activeAt: number;
  /** Custom ranking rule after text relevance: curated FAQ entries, then accepted answers. */
  curated: 0 | 1 | 2;
  /**
   * The thread a hit stands for, the `distinct` attribute of one-result-per-thread searches:
   * "q<questionId>" for a question and its answers, "f<entryId>" for an FAQ entry, which stays
   * a result of its own beside its source thread.
   */
  thread: string;
};

export const THREAD_ATTRIBUTE = 'thread';

export function threadKey(doc: Pick<SearchDocument, 'kind' | 'id' | 'questionId'>): string {
  return doc.kind === 'faq' ? `f${doc.id}` : `q${doc.questionId ?? doc.id}`;
}

export const PRIMARY_KEY = 'docId';

/** The highlight markers (see query.ts) must never occur in stored text, or a hit could fake a <mark>. */
const MARKERS = /[\u0001\u0002]/g;

function clean(text: string): string {
  return text.replace(MARKERS, '');
}

export function toMeiliDocument(doc: SearchDocument): MeiliDocument {
  const curated = doc.kind === 'faq' ? 2 : doc.accepted ? 1 : 0;
  return {
    docId: searchDocId(doc.kind, doc.id),
    kind: doc.kind,
    id: doc.id,
    communityId: doc.communityId,
    questionId: doc.questionId,
    title: clean(doc.title),
    slug: doc.slug,
    body: clean(doc.bodyText),
    tags: doc.tags.map(clean),
    faqPath: (doc.faqPath ?? []).map(clean),
    communityName: clean(doc.communityName ?? ''),
    score: doc.score,
    answerCount: doc.answerCount,
    // The port's filters count FAQ entries as curated (accepted) and as answered.
    accepted: doc.accepted || doc.kind === 'faq',
    answered: doc.kind !== 'question' || doc.answerCount > 0,
    createdAt: doc.createdAt,
    activeAt: doc.activeAt ?? doc.createdAt,
    curated,
    thread: threadKey(doc),
  };
}
