import { USERNAME_MAX, USERNAME_MIN } from '../../domain/account-rules.js';

/*
 * Usernames for imported accounts, derived from the dump's display name. Latin letters are
 * folded to ASCII ("Röling" -> "Roling"), CJK, kana and Hangul are kept, and every other
 * character is dropped, so a derived name never mixes look-alike scripts (Cyrillic "р" next
 * to Latin letters). Spaces become "_". A name with too little left becomes "user<id>".
 */
const FOLD: Record<string, string> = { ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', þ: 'th', ð: 'd', ı: 'i' };
const KEEP = /[A-Za-z0-9_\-\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const RESERVED = new Set(['admin', 'administrator', 'root', 'system', 'moderator', 'staff', 'anonymous', 'null', 'undefined']);

export function deriveUsername(displayName: string, sourceId: string): string {
  const folded = Array.from(displayName.normalize('NFKC'))
    // Only Latin letters lose their accents: NFKD would also take Hangul syllables apart.
    .map((ch) => FOLD[ch] ?? (/\p{Script=Latin}/u.test(ch) ? ch.normalize('NFKD').replace(/\p{M}/gu, '') : ch))
    .join('');
  let name = '';
  for (const ch of folded) {
    if (/\s/u.test(ch)) name += '_';
    else if (KEEP.test(ch)) name += ch;
  }
  name = name.replace(/_+/g, '_').replace(/^[_-]+|[_-]+$/g, '');
  name = Array.from(name).slice(0, USERNAME_MAX).join('');
  const fallback = `user${sourceId.replace(/[^0-9]/g, '') || '0'}`;
  if (Array.from(name).length < USERNAME_MIN || RESERVED.has(name.toLowerCase())) return fallback;
  return name;
}

/** The n-th alternative (n >= 2) when the name is taken: "name_2", cut so it still fits. */
export function suffixedUsername(base: string, n: number): string {
  const suffix = `_${n}`;
  return Array.from(base).slice(0, USERNAME_MAX - suffix.length).join('') + suffix;
}
