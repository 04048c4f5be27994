import type Database from 'better-sqlite3';
import { nextTurn } from './next-turn.js';
import { tokenize } from '../text.js';
import { Vocabulary } from '../vocabulary.js';
import { cjkBigrams } from '../bigrams.js';
import { AttributeCopy, dataVersionOf } from './attributes.js';
import { configureMerging } from './segments.js';

type Db = Database.Database;

/*
 * The embedded search index lives in the forum's SQLite file and is written by triggers on
 * the posts table, inside the same transaction as the post itself, so search is never stale
 * and there is no outbox to drain. FTS5 cannot segment Chinese, so the triggers call a
 * JavaScript function (search_segment) that cuts the text into folded words with
 * Intl.Segmenter; FTS5 then only splits on the spaces it put in.
 *
 * The function exists only on connections that registered it, so the triggers are TEMP
 * triggers created here on every connection: a connection without the function (a
 * migration, the sqlite3 shell) writes posts without failing, and `npm run reindex`
 * repairs the index if anything was written that way.
 */

/** Bump when the analysis or the table layout changes: the index is then rebuilt on start. */
export const SEARCH_INDEX_VERSION = '5';
const VERSION_KEY = 'search_fts_version';
/**
 * The titles-and-tags table (search_titles) came after the main index: a database whose main
 * index is current gets it built on its own (once) rather than rebuilding everything.
 * Bump when its analysis changes.
 */
export const SEARCH_TITLES_VERSION = '1';
const TITLES_VERSION_KEY = 'search_titles_version';
/**
 * Another process (a second instance, the import script) may have written words this
 * connection's vocabulary has not seen: when SQLite's data_version says the file changed
 * elsewhere, the vocabulary is read again in the background (the current one stays in use
 * until the new one is complete), at most this often. Words written through this connection
 * are added as they are indexed.
 */
const FOREIGN_RELOAD_MS = 30_000;
/**
 * Terms read per event-loop turn while the vocabulary loads: fts5vocab counts documents by
 * walking each term's postings, so the whole vocabulary of a large index takes hundreds of
 * milliseconds, which must not block requests in one piece. On the full benchmark data
 * (40k terms) a page of 2,000 blocked the loop for up to 740 ms (busy machine) right after
 * listen, when the first requests arrive; a page of 250 for up to 180 ms, for the same total.
 */
const LOAD_PAGE = 250;
/** Text changes remembered for kept reads (FtsState.appendedSince); older ones make them read again. */
const TEXT_LOG_SIZE = 4096;
/** SQLite page cache of the connection, in KiB (see installSqliteFts). */
export const SEARCH_CACHE_KIB = 8_192;


/** Per-connection state: the in-memory vocabulary used for typo tolerance and prefixes. */
export class FtsState {
  private vocab: Vocabulary | null = null;
  private loading: Promise<Vocabulary> | null = null;
  /** Texts indexed while a load runs: noted into the new vocabulary when it is complete. */
  private noted: string[][] | null = null;
  private loadedAt = 0;
  private dataVersion = -1;
  private documents: number | null = null;
  /** Bumped by every trigger that changes the index: cached results older than this are stale. */
  private generation = 0;
  /** Bumped by invalidate(): a load that started before is not installed. */
  private epoch = 0;
  /**
   * Bumped only when indexed TEXT may have changed (not by a vote or an answer count): reads of
   * the full-text tables kept by the engine (read-cache.ts) stay valid across the rest.
   */
  private textGeneration = 0;
  /** What each text change since generation textLogBase was: a document's id when it only added that document, else null. */
  private textLog: Array<number | null> = [];
  private textLogBase = 0;

  /** search_meta in memory, kept current by the triggers (attributes.ts). */
  readonly attributes: AttributeCopy;

  private readonly dataVersionNow: () => number;

  constructor(private readonly db: Db) {
    this.attributes = new AttributeCopy(db);
    this.dataVersionNow = dataVersionOf(db);
  }

  /** Called by the index functions for every indexed text: new words are typo and prefix candidates at once. */
  noteIndexed(tokens: string[]): void {
    this.vocab?.note(tokens);
    this.noted?.push(tokens);
  }

  invalidate(): void {
    this.attributes.reset();
    this.vocab = null;
    this.textChanged(null);
    this.epoch++;
  }

  indexChanged(): void {
    this.textChanged(null);
  }

  /** A new document was indexed (nothing else changed): kept reads may add it (appendedSince). */
  textAppended(id: number): void {
    this.textChanged(id);
  }

  private textChanged(appended: number | null): void {
    this.documents = null;
    this.generation++;
    this.textGeneration++;
    this.textLog.push(appended);
    if (this.textLog.length > TEXT_LOG_SIZE) {
      this.textLog.splice(0, TEXT_LOG_SIZE / 2);
      this.textLogBase += TEXT_LOG_SIZE / 2;
    }
  }

  /** The current text generation and data_version, for appendedSince(). */
  textStamp(): { generation: number; dataVersion: number } {
    return { generation: this.textGeneration, dataVersion: this.dataVersionNow() };
  }

  /**
   * The ids of the documents added since `stamp` when additions are all that changed the
   * indexed text since then (in this process); null when anything else may have changed.
   */
  appendedSince(stamp: { generation: number; dataVersion: number }): number[] | null {
    if (stamp.dataVersion !== this.dataVersionNow() || stamp.generation < this.textLogBase) return null;
    const ids: number[] = [];
    for (let i = stamp.generation - this.textLogBase; i < this.textLog.length; i++) {
      const id = this.textLog[i];
      if (id === null || id === undefined) return null;
      ids.push(id);
    }
    return ids;
  }

  /** Only attributes changed (score, accepted, answer count): the indexed text did not. */
  countsChanged(): void {
    this.generation++;
  }

  /** Changes whenever the index may have changed, here or (data_version) in another process. */
  version(): string {
    return `${this.generation}:${this.dataVersionNow()}`;
  }

  /**
   * Changes whenever the indexed text, the documents or their number may have changed, here or
   * (data_version) in another process; not when only a document's counts did.
   */
  textVersion(): string {
    return `${this.textGeneration}:${this.dataVersionNow()}`;
  }

  /** Indexed documents (for term weights), counted again after a change. */
  documentCount(): number {
    if (this.documents === null) this.documents = (this.db.prepare('SELECT count(*) AS n FROM main.search_meta').get() as { n: number }).n;
    return this.documents;
  }

  /**
   * Starts loading the vocabulary in the background (at startup), and resolves when a
   * vocabulary is in place: searches wait for it rather than run without typo tolerance,
   * so a query gives the same results from the first request on.
   */
  async ready(): Promise<void> {
    // A reindex during the load makes it stale (it is not installed): load once more.
    this.attributes.start();
    for (let attempt = 0; attempt < 2 && !this.vocab; attempt++) await this.load();
  }

  /** One load at a time; the vocabulary in use (if any) is replaced when the new one is complete. */
  private load(): Promise<Vocabulary> {
    if (this.loading) return this.loading;
    const epoch = this.epoch;
    this.noted = [];
    this.loading = this.readInPages()
      .then((vocab) => {
        for (const tokens of this.noted ?? []) vocab.note(tokens);
        if (epoch === this.epoch) this.vocab = vocab;
        return vocab;
      })
      .finally(() => {
        this.loading = null;
        this.noted = null;
      });
    return this.loading;
  }

  private async readInPages(): Promise<Vocabulary> {
    const page = this.db.prepare<[string], [string, number]>(`SELECT term, doc FROM temp.search_vocab WHERE term > ? ORDER BY term LIMIT ${LOAD_PAGE}`);
    const vocab = new Vocabulary();
    const dataVersion = this.dataVersionNow();
    for (let after = ''; ; ) {
      if (!this.db.open) throw new Error('the database was closed while the search vocabulary loaded');
      const rows = page.raw().all(after) as Array<[string, number]>;
      vocab.addLoaded(rows);
      if (rows.length < LOAD_PAGE) break;
      after = rows[rows.length - 1]![0];
      await nextTurn();
    }
    vocab.finishLoading();
    this.loadedAt = Date.now();
    this.dataVersion = dataVersion;
    return vocab;
  }

  /** Loads synchronously (only for callers that plan a query without waiting for ready()). */
  private loadNow(): Vocabulary {
    const rows = this.db.prepare('SELECT term, doc FROM temp.search_vocab').raw().all() as Array<[string, number]>;
    this.vocab = new Vocabulary(rows);
    this.loadedAt = Date.now();
    this.dataVersion = this.dataVersionNow();
    return this.vocab;
  }

  /**
   * True when the vocabulary in use holds every word of the index: no other process has
   * written to the file since it was loaded (this process notes what it indexes, noteIndexed()),
   * so a word it lacks is in no document and the index need not be asked.
   */
  vocabularyComplete(): boolean {
    return this.vocab !== null && this.dataVersionNow() === this.dataVersion;
  }

  vocabulary(): Vocabulary {
    if (!this.vocab) return this.loadNow();
    const version = this.dataVersionNow();
    if (version !== this.dataVersion && !this.loading && Date.now() - this.loadedAt > FOREIGN_RELOAD_MS) {
      // The next load starts the clock again whatever its outcome; a failed one is retried
      // after the interval by a later search.
      this.loadedAt = Date.now();
      this.load().catch(() => undefined);
    }
    return this.vocab;
  }
}

const states = new WeakMap<Db, FtsState>();

export function ftsState(db: Db): FtsState {
  const state = states.get(db);
  if (!state) throw new Error('installSqliteFts(db) must run before the embedded search engine is used');
  return state;
}

/*
 * The words of each document's title and tags, and the character bigrams of its title, in one
 * column of a second, small FTS5 table (questions and FAQ entries; answers have no title). The
 * engine reads a broad word's most recent title and tag matches from it: the same question
 * asked of search_fts with a column filter ({title tags}) makes FTS5 decode the position list
 * of every matching row in every column, 4-5 times the cost of reading row ids (3.6 µs a row
 * on 400k posts), and those title samples were a quarter of a Chinese search's CPU. Written
 * by the same triggers, in the same transactions, as search_fts.
 */
const CREATE_TITLES = `
  CREATE VIRTUAL TABLE main.search_titles USING fts5(
    text,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
  );`;

const CREATE_TABLES = `
  -- Words (title, tags, path = FAQ category names and the community name, body) and, beside
  -- them, the character bigrams of Chinese text (cjk_title, cjk_body).
  CREATE VIRTUAL TABLE main.search_fts USING fts5(
    title, tags, path, body, cjk_title, cjk_body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
  );
  -- What filters, facets and ranking need, one small row per indexed document (same id as
  -- the FTS rowid). Reading these from posts would walk each post's body pages; this table
  -- stays small enough to sit in the page cache. A row exists exactly while the document is
  -- searchable. Answers carry their thread's tags and answer count.
  CREATE TABLE main.search_meta (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    community_id INTEGER NOT NULL,
    thread_id INTEGER,
    score INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    answer_count INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    tags TEXT NOT NULL
  );
  CREATE INDEX main.search_meta_thread ON search_meta(thread_id);
  ${CREATE_TITLES}`;

/** The FTS columns, and their values from the texts of a document. */
const FTS_COLUMNS = 'rowid, title, tags, path, body, cjk_title, cjk_body';
function ftsValues(id: string, title: string, tags: string, path: string, body: string): string {
  return `${id}, search_segment(${title}), search_segment(${tags}), search_segment(${path}), search_segment(${body}), search_bigrams(${title}), search_bigrams(coalesce(${tags}, '') || ' ' || coalesce(${path}, '') || ' ' || coalesce(${body}, ''))`;
}
/**
 * When a document has a row in search_titles: it has a title or tags. (Tested on the columns,
 * not on search_title_text's result, which would segment the text twice per row.)
 */
const hasTitleText = (title: string, tags: string) => `(coalesce(${title}, '') <> '' OR coalesce(${tags}, '') <> '')`;

/** A document's row of search_titles (nothing when it has neither title nor tags). */
function titleRow(id: string, title: string, tags: string): string {
  return `SELECT ${id}, search_title_text(${title}, ${tags}) WHERE ${hasTitleText(title, tags)}`;
}
const communityName = (id: string) => `coalesce((SELECT c.name FROM main.communities c WHERE c.id = ${id}), '')`;

export const LIVE_POST = `p.deleted_at IS NULL AND (p.question_id IS NULL OR (SELECT q.deleted_at FROM main.posts q WHERE q.id = p.question_id) IS NULL)`;

/** The search_meta row of a post, from posts (p) and its question (q). */
export const META_OF_POST = `
  SELECT p.id, p.type, p.community_id, coalesce(p.question_id, p.id), p.score,
    CASE WHEN p.type = 'question' THEN p.accepted_answer_id IS NOT NULL ELSE p.is_accepted END,
    CASE WHEN p.type = 'question' THEN p.answer_count ELSE q.answer_count END,
    p.created_at,
    CASE WHEN p.type = 'question' THEN p.tags ELSE coalesce(q.tags, '') END
  FROM main.posts p LEFT JOIN main.posts q ON q.id = p.question_id`;

/** One post's text, as the triggers write it (for re-indexing a post by id). */
export const POST_TEXT = `INSERT INTO main.search_fts (${FTS_COLUMNS})
  SELECT ${ftsValues('p.id', 'p.title', 'p.tags', communityName('p.community_id'), 'p.body_text')} FROM main.posts p WHERE p.id = ? AND ${LIVE_POST}`;

/** One post's titles row, as the triggers write it (for re-indexing a post by id). */
export const POST_TITLE = `INSERT INTO main.search_titles (rowid, text)
  SELECT p.id, search_title_text(p.title, p.tags) FROM main.posts p WHERE p.id = ? AND ${LIVE_POST} AND ${hasTitleText('p.title', 'p.tags')}`;

const FILL_TITLES_FROM_POSTS = `
  INSERT INTO main.search_titles (rowid, text)
  SELECT p.id, search_title_text(p.title, p.tags) FROM main.posts p
  WHERE ${LIVE_POST} AND ${hasTitleText('p.title', 'p.tags')};`;

/** Every live post, as the triggers would write it; used for the first build and reindex. */
export const FILL_FROM_POSTS = `
  INSERT INTO main.search_fts (${FTS_COLUMNS})
  SELECT ${ftsValues('p.id', 'p.title', 'p.tags', communityName('p.community_id'), 'p.body_text')}
  FROM main.posts p WHERE ${LIVE_POST};
  INSERT INTO main.search_meta ${META_OF_POST} WHERE ${LIVE_POST};
  ${FILL_TITLES_FROM_POSTS}`;

/*
 * FAQ entries (published ones) are documents too. Their rowid is the negative of the
 * entry id, so posts and entries share one index without colliding. An entry ranks on its
 * helpful votes and takes the tags of the question it came from, searchable like a
 * question's (weighted as tags) and for the tag filter. The tags are read from posts, not
 * from the question's index row, so an entry keeps them while its source is deleted: a
 * published entry stays searchable whatever happens to its thread.
 */
const FAQ_TAGS = `coalesce((SELECT s.tags FROM main.posts s WHERE s.id = e.source_question_id), '')`;

const META_OF_FAQ = `
  SELECT -e.id, 'faq', e.community_id, e.source_question_id, e.helpful_yes - e.helpful_no, 1, 1, e.created_at, ${FAQ_TAGS}
  FROM main.faq_entries e`;

/** The entry's category names from the root (at most four levels), then its community's name. */
const FAQ_PATH = `(coalesce((SELECT c1.name || ' ' || coalesce(c2.name, '') || ' ' || coalesce(c3.name, '') || ' ' || coalesce(c4.name, '')
  FROM main.faq_categories c1 LEFT JOIN main.faq_categories c2 ON c2.id = c1.parent_id
  LEFT JOIN main.faq_categories c3 ON c3.id = c2.parent_id LEFT JOIN main.faq_categories c4 ON c4.id = c3.parent_id
  WHERE c1.id = e.category_id), '') || ' ' || ${communityName('e.community_id')})`;

const TEXT_OF_FAQ = `
  SELECT ${ftsValues('-e.id', 'e.title', FAQ_TAGS, FAQ_PATH, 'e.body_text')} FROM main.faq_entries e`;

const FAQ_COLUMNS = 'main.search_meta (id, kind, community_id, thread_id, score, accepted, answer_count, created_at, tags)';

const TITLE_OF_FAQ = `SELECT -e.id, search_title_text(e.title, ${FAQ_TAGS}) FROM main.faq_entries e`;
const FILL_TITLES_FROM_FAQ = `INSERT INTO main.search_titles (rowid, text) ${TITLE_OF_FAQ} WHERE e.status = 'published';`;

export const FILL_FROM_FAQ = `
  INSERT INTO main.search_fts (${FTS_COLUMNS}) ${TEXT_OF_FAQ} WHERE e.status = 'published';
  INSERT INTO ${FAQ_COLUMNS} ${META_OF_FAQ} WHERE e.status = 'published';
  ${FILL_TITLES_FROM_FAQ}`;

/** Re-reads one entry into the index (or leaves it out when it is not published). */
export const RESYNC_FAQ = [
  `INSERT INTO main.search_fts (${FTS_COLUMNS}) ${TEXT_OF_FAQ} WHERE e.id = @id AND e.status = 'published'`,
  `INSERT INTO main.search_titles (rowid, text) ${TITLE_OF_FAQ} WHERE e.id = @id AND e.status = 'published'`,
  `INSERT INTO ${FAQ_COLUMNS} ${META_OF_FAQ} WHERE e.id = @id AND e.status = 'published'`,
];

const FAQ_TRIGGERS = `
  CREATE TEMP TRIGGER IF NOT EXISTS search_faq_insert AFTER INSERT ON main.faq_entries
  WHEN NEW.status = 'published'
  BEGIN
    SELECT search_appended(-NEW.id), search_row_changed(-NEW.id);
    INSERT INTO main.search_fts (${FTS_COLUMNS}) ${TEXT_OF_FAQ} WHERE e.id = NEW.id;
    INSERT INTO main.search_titles (rowid, text) ${TITLE_OF_FAQ} WHERE e.id = NEW.id;
    INSERT OR REPLACE INTO ${FAQ_COLUMNS} ${META_OF_FAQ} WHERE e.id = NEW.id;
  END;

  CREATE TEMP TRIGGER IF NOT EXISTS search_faq_text AFTER UPDATE OF title, body_text, status, community_id, source_question_id, category_id ON main.faq_entries
  BEGIN
    SELECT search_changed(), search_row_changed(-OLD.id), search_row_changed(-NEW.id);
    DELETE FROM main.search_fts WHERE rowid = -OLD.id;
    DELETE FROM main.search_titles WHERE rowid = -OLD.id;
    DELETE FROM main.search_meta WHERE id = -OLD.id;
    INSERT INTO main.search_fts (${FTS_COLUMNS}) ${TEXT_OF_FAQ} WHERE e.id = NEW.id AND NEW.status = 'published';
    INSERT INTO main.search_titles (rowid, text) ${TITLE_OF_FAQ} WHERE e.id = NEW.id AND NEW.status = 'published';
    INSERT INTO ${FAQ_COLUMNS} ${META_OF_FAQ} WHERE e.id = NEW.id AND NEW.status = 'published';
  END;

  -- The entries made from a question follow its tags.
  CREATE TEMP TRIGGER IF NOT EXISTS search_faq_source_tags AFTER UPDATE OF tags ON main.posts
  WHEN NEW.type = 'question' AND NEW.tags IS NOT OLD.tags
  BEGIN
    SELECT search_changed();
    SELECT search_row_changed(-id) FROM main.faq_entries WHERE source_question_id = NEW.id;
    DELETE FROM main.search_fts WHERE rowid IN (SELECT -id FROM main.faq_entries WHERE source_question_id = NEW.id);
    DELETE FROM main.search_titles WHERE rowid IN (SELECT -id FROM main.faq_entries WHERE source_question_id = NEW.id);
    DELETE FROM main.search_meta WHERE id IN (SELECT -id FROM main.faq_entries WHERE source_question_id = NEW.id);
    INSERT INTO main.search_fts (${FTS_COLUMNS}) ${TEXT_OF_FAQ} WHERE e.source_question_id = NEW.id AND e.status = 'published';
    INSERT INTO main.search_titles (rowid, text) ${TITLE_OF_FAQ} WHERE e.source_question_id = NEW.id AND e.status = 'published';
    INSERT INTO ${FAQ_COLUMNS} ${META_OF_FAQ} WHERE e.source_question_id = NEW.id AND e.status = 'published';
  END;

  CREATE TEMP TRIGGER IF NOT EXISTS search_faq_votes AFTER UPDATE OF helpful_yes, helpful_no ON main.faq_entries
  BEGIN
    SELECT search_counts_changed(), search_row_changed(-NEW.id);
    UPDATE main.search_meta SET score = NEW.helpful_yes - NEW.helpful_no WHERE id = -NEW.id;
  END;

  -- Category names are searchable in their entries: a rename or a move re-reads the
  -- community's published entries (a few thousand at most).
  CREATE TEMP TRIGGER IF NOT EXISTS search_faq_category AFTER UPDATE OF name, parent_id ON main.faq_categories
  BEGIN
    SELECT search_changed();
    DELETE FROM main.search_fts WHERE rowid IN (SELECT -id FROM main.faq_entries WHERE community_id = NEW.community_id AND status = 'published');
    INSERT INTO main.search_fts (${FTS_COLUMNS}) ${TEXT_OF_FAQ} WHERE e.community_id = NEW.community_id AND e.status = 'published';
  END;

  -- An entry's path column ends with its community's name (FAQ_PATH): a rename re-reads the
  -- community's published entries.
  CREATE TEMP TRIGGER IF NOT EXISTS search_faq_community_name AFTER UPDATE OF name ON main.communities
  WHEN NEW.name IS NOT OLD.name
  BEGIN
    SELECT search_changed();
    DELETE FROM main.search_fts WHERE rowid IN (SELECT -id FROM main.faq_entries WHERE community_id = NEW.id AND status = 'published');
    INSERT INTO main.search_fts (${FTS_COLUMNS}) ${TEXT_OF_FAQ} WHERE e.community_id = NEW.id AND e.status = 'published';
  END;

  CREATE TEMP TRIGGER IF NOT EXISTS search_faq_delete AFTER DELETE ON main.faq_entries
  BEGIN
    SELECT search_changed(), search_row_changed(-OLD.id);
    DELETE FROM main.search_fts WHERE rowid = -OLD.id;
    DELETE FROM main.search_titles WHERE rowid = -OLD.id;
    DELETE FROM main.search_meta WHERE id = -OLD.id;
  END;`;

export const CLEAR_INDEX = `
  INSERT INTO main.search_fts (search_fts) VALUES ('delete-all');
  INSERT INTO main.search_titles (search_titles) VALUES ('delete-all');
  DELETE FROM main.search_meta;`;

const TRIGGERS = `
  CREATE TEMP TRIGGER IF NOT EXISTS search_posts_insert AFTER INSERT ON main.posts
  WHEN NEW.deleted_at IS NULL
  BEGIN
    SELECT search_appended(NEW.id), search_row_changed(NEW.id);
    INSERT INTO main.search_fts (${FTS_COLUMNS})
    VALUES (${ftsValues('NEW.id', 'NEW.title', 'NEW.tags', communityName('NEW.community_id'), 'NEW.body_text')});
    INSERT INTO main.search_titles (rowid, text) ${titleRow('NEW.id', 'NEW.title', 'NEW.tags')};
    -- An answer reads its thread's tags and answer count from the question's small row.
    INSERT OR REPLACE INTO main.search_meta (id, kind, community_id, thread_id, score, accepted, answer_count, created_at, tags)
    VALUES (NEW.id, NEW.type, NEW.community_id, coalesce(NEW.question_id, NEW.id), NEW.score,
      CASE WHEN NEW.type = 'question' THEN NEW.accepted_answer_id IS NOT NULL ELSE NEW.is_accepted END,
      CASE WHEN NEW.type = 'question' THEN NEW.answer_count ELSE coalesce((SELECT answer_count FROM main.search_meta WHERE id = NEW.question_id), 0) END,
      NEW.created_at,
      CASE WHEN NEW.type = 'question' THEN NEW.tags ELSE coalesce((SELECT tags FROM main.search_meta WHERE id = NEW.question_id), '') END);
  END;

  CREATE TEMP TRIGGER IF NOT EXISTS search_posts_text AFTER UPDATE OF title, tags, body_text, deleted_at ON main.posts
  BEGIN
    SELECT search_changed(), search_row_changed(NEW.id);
    -- A question's answers follow its tags and its deletion: the whole thread is read again.
    SELECT search_thread_changed(NEW.id) WHERE NEW.type = 'question';
    DELETE FROM main.search_fts WHERE rowid = OLD.id;
    DELETE FROM main.search_titles WHERE rowid = OLD.id;
    INSERT INTO main.search_fts (${FTS_COLUMNS})
    SELECT ${ftsValues('NEW.id', 'NEW.title', 'NEW.tags', communityName('NEW.community_id'), 'NEW.body_text')}
    WHERE NEW.deleted_at IS NULL;
    INSERT INTO main.search_titles (rowid, text) ${titleRow('NEW.id', 'NEW.title', 'NEW.tags')} AND NEW.deleted_at IS NULL;
    -- Thread rows only: an FAQ entry made from the thread (thread_id, negative id) stays.
    DELETE FROM main.search_meta WHERE NEW.deleted_at IS NOT NULL AND (id = NEW.id OR (NEW.type = 'question' AND thread_id = NEW.id AND id > 0));
    -- A question's tags are its answers' tags too (its FAQ entries follow in search_faq_source_tags).
    UPDATE main.search_meta SET tags = NEW.tags WHERE NEW.deleted_at IS NULL AND NEW.type = 'question' AND thread_id = NEW.id AND id > 0 AND tags <> NEW.tags;
    -- Deleting a question takes its answers out of the index; restoring brings them back.
    DELETE FROM main.search_fts
    WHERE NEW.type = 'question' AND NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL
      AND rowid IN (SELECT id FROM main.posts WHERE question_id = NEW.id);
    DELETE FROM main.search_titles
    WHERE NEW.type = 'question' AND NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL
      AND rowid IN (SELECT id FROM main.posts WHERE question_id = NEW.id);
    INSERT INTO main.search_fts (${FTS_COLUMNS})
    SELECT ${ftsValues('a.id', "''", 'a.tags', communityName('a.community_id'), 'a.body_text')} FROM main.posts a
    WHERE NEW.deleted_at IS NULL AND OLD.deleted_at IS NOT NULL AND NEW.type = 'question'
      AND a.question_id = NEW.id AND a.deleted_at IS NULL;
    INSERT INTO main.search_titles (rowid, text)
    SELECT a.id, search_title_text('', a.tags) FROM main.posts a
    WHERE NEW.deleted_at IS NULL AND OLD.deleted_at IS NOT NULL AND NEW.type = 'question'
      AND a.question_id = NEW.id AND a.deleted_at IS NULL AND coalesce(a.tags, '') <> '';
    INSERT OR REPLACE INTO main.search_meta ${META_OF_POST}
    WHERE NEW.deleted_at IS NULL AND OLD.deleted_at IS NOT NULL AND (p.id = NEW.id OR p.question_id = NEW.id) AND ${LIVE_POST};
  END;

  CREATE TEMP TRIGGER IF NOT EXISTS search_posts_counts AFTER UPDATE OF score, is_accepted, accepted_answer_id, answer_count ON main.posts
  WHEN NEW.deleted_at IS NULL
  BEGIN
    SELECT search_counts_changed(), search_row_changed(NEW.id);
    SELECT search_thread_changed(NEW.id) WHERE NEW.type = 'question' AND OLD.answer_count <> NEW.answer_count;
    UPDATE main.search_meta SET score = NEW.score,
      accepted = CASE WHEN NEW.type = 'question' THEN NEW.accepted_answer_id IS NOT NULL ELSE NEW.is_accepted END,
      answer_count = CASE WHEN NEW.type = 'question' THEN NEW.answer_count ELSE answer_count END
    WHERE id = NEW.id;
    UPDATE main.search_meta SET answer_count = NEW.answer_count
    WHERE NEW.type = 'question' AND OLD.answer_count <> NEW.answer_count AND thread_id = NEW.id AND kind = 'answer';
  END;

  -- The community's name is searchable in its posts (the path column): a rename rewrites the
  -- text rows of its live posts, as the first build writes them. Only search_fts holds the
  -- name; the titles table and the attributes are unchanged. A rename is rare, but it costs
  -- one re-segmentation per post of the community, inside the rename's transaction.
  CREATE TEMP TRIGGER IF NOT EXISTS search_community_name AFTER UPDATE OF name ON main.communities
  WHEN NEW.name IS NOT OLD.name
  BEGIN
    SELECT search_changed();
    DELETE FROM main.search_fts WHERE rowid IN (SELECT id FROM main.posts WHERE community_id = NEW.id);
    INSERT INTO main.search_fts (${FTS_COLUMNS})
    SELECT ${ftsValues('p.id', 'p.title', 'p.tags', communityName('p.community_id'), 'p.body_text')}
    FROM main.posts p WHERE p.community_id = NEW.id AND ${LIVE_POST};
  END;

  CREATE TEMP TRIGGER IF NOT EXISTS search_posts_delete AFTER DELETE ON main.posts
  BEGIN
    SELECT search_changed(), search_row_changed(OLD.id);
    DELETE FROM main.search_fts WHERE rowid = OLD.id;
    DELETE FROM main.search_titles WHERE rowid = OLD.id;
    DELETE FROM main.search_meta WHERE id = OLD.id;
  END;`;

/** The FAQ tables arrive with their own migration; the index covers them when they exist. */
export function hasFaq(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'faq_entries'").get() !== undefined;
}

/**
 * Makes a connection ready for the embedded search engine: registers search_segment,
 * creates (or, after an analysis change, rebuilds) the index and its triggers. Call it
 * right after opening the database, before any write.
 */
export function installSqliteFts(db: Db): FtsState {
  const existing = states.get(db);
  if (existing) return existing;
  const state = new FtsState(db);
  states.set(db, state);
  // A search walks postings of common words and hydrates scattered posts: with SQLite's
  // default 2 MB page cache most of those pages were copied in from the OS again on every
  // search. 32 MB cut search CPU by about 20 % when reads were most of a search, but with the
  // kept reads (read-cache.ts) the server's peak RSS under the bench's search mix was 406-422
  // MiB with 32 MB and 319-363 MiB with 8 MB, for the same search CPU within the noise.
  db.pragma(`cache_size = -${SEARCH_CACHE_KIB}`);

  db.function('search_changed', { deterministic: false }, () => {
    state.indexChanged();
    return null;
  });
  // A new document (a post or a published FAQ entry): kept reads can add it instead of reading again.
  db.function('search_appended', { deterministic: false }, (id: unknown) => {
    if (typeof id === 'number' || typeof id === 'bigint') state.textAppended(Number(id));
    else state.indexChanged();
    return null;
  });
  db.function('search_counts_changed', { deterministic: false }, () => {
    state.countsChanged();
    return null;
  });
  // The triggers name the search_meta rows and threads they change, so the in-memory copy
  // reads exactly those again before the next search.
  db.function('search_row_changed', { deterministic: false }, (id: unknown) => {
    if (typeof id === 'number' || typeof id === 'bigint') state.attributes.rowChanged(Number(id));
    return null;
  });
  db.function('search_thread_changed', { deterministic: false }, (id: unknown) => {
    if (typeof id === 'number' || typeof id === 'bigint') state.attributes.threadChanged(Number(id));
    return null;
  });
  db.function('search_segment', { deterministic: true }, (text: unknown) => {
    if (typeof text !== 'string' || text === '') return '';
    const tokens = tokenize(text);
    state.noteIndexed(tokens);
    return tokens.join(' ');
  });
  // Title words, tag words, then title bigrams, for search_titles. Not noted in the vocabulary:
  // search_segment and search_bigrams already note the same texts for search_fts.
  db.function('search_title_text', { deterministic: true }, (title: unknown, tags: unknown) => {
    const t = typeof title === 'string' ? title : '';
    const g = typeof tags === 'string' ? tags : '';
    if (t === '' && g === '') return '';
    return [...tokenize(t), ...tokenize(g), ...cjkBigrams(t)].join(' ');
  });
  db.function('search_bigrams', { deterministic: true }, (text: unknown) => {
    if (typeof text !== 'string' || text === '') return '';
    const grams = cjkBigrams(text);
    state.noteIndexed(grams);
    return grams.join(' ');
  });

  db.transaction(() => {
    const version = (key: string) => (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
    const setVersion = (key: string, value: string) =>
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    const tableExists = (name: string) => db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
    const exists = tableExists('search_fts');
    if (version(VERSION_KEY) === SEARCH_INDEX_VERSION && exists) {
      if (version(TITLES_VERSION_KEY) === SEARCH_TITLES_VERSION && tableExists('search_titles')) return;
      // The main index is current: only the titles table is built (once, from the tables).
      if (tableExists('search_titles')) db.exec('DROP TABLE main.search_titles');
      db.exec(CREATE_TITLES);
      db.exec(FILL_TITLES_FROM_POSTS);
      if (hasFaq(db)) db.exec(FILL_TITLES_FROM_FAQ);
      setVersion(TITLES_VERSION_KEY, SEARCH_TITLES_VERSION);
      return;
    }
    if (exists) db.exec('DROP TABLE main.search_fts');
    if (tableExists('search_titles')) db.exec('DROP TABLE main.search_titles');
    db.exec('DROP TABLE IF EXISTS main.search_meta');
    db.exec(CREATE_TABLES);
    db.exec(FILL_FROM_POSTS);
    if (hasFaq(db)) db.exec(FILL_FROM_FAQ);
    setVersion(VERSION_KEY, SEARCH_INDEX_VERSION);
    setVersion(TITLES_VERSION_KEY, SEARCH_TITLES_VERSION);
  }).immediate();
  // The background merge (segments.ts) merges any level holding two segments. A table created
  // above starts with FTS5's default (4): checked on every start, written only when different.
  configureMerging(db);

  db.exec(TRIGGERS);
  if (hasFaq(db)) db.exec(FAQ_TRIGGERS);
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, 'search_fts', 'row')");
  return state;
}
