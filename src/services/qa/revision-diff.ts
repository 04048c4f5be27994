import { diffArrays } from 'diff';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Splits text into words for diffing. Intl.Segmenter finds word boundaries in Chinese
 * (which has no spaces) as well as in English, so a one-word change in a Chinese
 * paragraph shows as one word, not the whole paragraph.
 */
function tokens(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

export function diffText(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of diffArrays(tokens(before), tokens(after))) {
    const kind: DiffPart['kind'] = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const text = change.value.join('');
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  }
  return parts;
}
