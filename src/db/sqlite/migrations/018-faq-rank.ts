export const name = 'FAQ ranking read by index: the source question duplicate count and the ask frequency on the entry';

/*
 * The FAQ home lists entries pinned first (by pin position), then by ask frequency
 * (askFrequency in src/domain/faq-rules.ts: views + 5 helpful + 20 duplicates + 3 search
 * clicks), then newest. Computing that per request sorted every entry of a community with a
 * join to posts (4.9 ms on 2,000 entries). The entry now carries the one input that lived on
 * another table (its source question's duplicate count), the frequency and the pin order are
 * generated columns (always equal to their definition, nothing to keep in step), and one index
 * yields a community's entries in display order, so the top ten are read without sorting.
 *
 * source_duplicates is kept current by triggers on every write that changes an input: the
 * entry is created or re-pointed at another question, or the question's duplicate count changes
 * (closing or reopening a duplicate, imports, any future path).
 */
export const sql = `
  ALTER TABLE faq_entries ADD COLUMN source_duplicates INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE faq_entries ADD COLUMN ask_frequency INTEGER GENERATED ALWAYS AS
    (view_count + 5 * helpful_yes + 20 * source_duplicates + 3 * search_clicks) VIRTUAL;
  ALTER TABLE faq_entries ADD COLUMN pin_order INTEGER GENERATED ALWAYS AS
    (CASE WHEN pinned = 1 THEN pin_position ELSE 0 END) VIRTUAL;

  UPDATE faq_entries SET source_duplicates = coalesce((SELECT q.duplicate_count FROM posts q WHERE q.id = faq_entries.source_question_id), 0)
    WHERE source_question_id IS NOT NULL;

  -- Its prefix serves every lookup the old (community_id, status, pinned) index served.
  DROP INDEX faq_entries_community;
  CREATE INDEX faq_entries_rank ON faq_entries(community_id, status, pinned DESC, pin_order, ask_frequency DESC, created_at DESC, id DESC);

  CREATE TRIGGER faq_rank_entry_insert AFTER INSERT ON faq_entries WHEN NEW.source_question_id IS NOT NULL BEGIN
    UPDATE faq_entries SET source_duplicates = coalesce((SELECT q.duplicate_count FROM posts q WHERE q.id = NEW.source_question_id), 0)
      WHERE id = NEW.id;
  END;
  CREATE TRIGGER faq_rank_entry_source AFTER UPDATE OF source_question_id ON faq_entries BEGIN
    UPDATE faq_entries SET source_duplicates = coalesce((SELECT q.duplicate_count FROM posts q WHERE q.id = NEW.source_question_id), 0)
      WHERE id = NEW.id;
  END;
  CREATE TRIGGER faq_rank_question_duplicates AFTER UPDATE OF duplicate_count ON posts
    WHEN NEW.duplicate_count IS NOT OLD.duplicate_count BEGIN
    UPDATE faq_entries SET source_duplicates = NEW.duplicate_count WHERE source_question_id = NEW.id;
  END;
`;
