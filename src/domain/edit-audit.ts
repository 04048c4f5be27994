/*
 * The before/after of a moderator's edit of someone else's post, as stored in the audit log
 * (issue 13). Both storage backends build it from the row they read inside the edit's own
 * transaction, so "before" is the text that was really replaced.
 */
export interface EditSnapshot {
  /** Questions only. */
  title?: string;
  tags?: string[];
  body: string;
}

export function editSnapshot(s: { title: string | null | undefined; tags: string[] | null | undefined; body: string }, isQuestion: boolean): string {
  const snap: EditSnapshot = isQuestion ? { title: s.title ?? '', tags: s.tags ?? [], body: s.body } : { body: s.body };
  return JSON.stringify(snap);
}

/** Reads a stored snapshot back; null when the text is not one (other actions store other JSON). */
export function parseEditSnapshot(text: string | null): EditSnapshot | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || typeof (v as EditSnapshot).body !== 'string') return null;
    const o = v as Record<string, unknown>;
    return {
      body: o.body as string,
      ...(typeof o.title === 'string' ? { title: o.title } : {}),
      ...(Array.isArray(o.tags) ? { tags: o.tags.filter((t): t is string => typeof t === 'string') } : {}),
    };
  } catch {
    return null;
  }
}
