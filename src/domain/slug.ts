/**
 * Readable URL slugs. Latin text is folded to ASCII words; CJK and other letters are kept
 * as they are (browsers show them decoded), so a Chinese title still gives a useful URL.
 */
export function slugify(title: string, maxLength = 80): string {
  const folded = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const words = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (Array.from(next).length > maxLength) break;
    slug = next;
  }
  if (!slug && words.length > 0) slug = Array.from(words[0]!).slice(0, maxLength).join('');
  return slug || 'question';
}
