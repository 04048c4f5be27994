/*
 * The "skeleton" of a username, after Unicode TR39 (security mechanisms, section 4): two
 * names with the same skeleton look alike, so the second one is refused. No npm package fits
 * (the maintained-looking `confusables` maps by its own obfuscation table, not TR39: it strips
 * accents and maps Cyrillic "д" to "A"), so this is NFKC (full-width, mathematical and other
 * compatibility forms become plain letters), case folding (names are case-insensitive here),
 * and a small map of the TR39 confusables (confusables.txt) that matter for names: letters of
 * Cyrillic, Greek, Armenian and Latin extensions that look like ASCII letters, and the digits
 * 0 and 1. Letters of other scripts (Chinese names) pass through unchanged.
 *
 * Stored skeletons depend on this table: a change to it needs a migration that recomputes
 * them (SQLite migration 011 computed the first ones).
 */

/** After case folding (and NFKC): lowercase lookalikes of ASCII letters and digits. */
const AFTER_FOLD: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', ԁ: 'd', е: 'e', ё: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', н: 'h', о: 'o', р: 'p', ԛ: 'q',
  с: 'c', ѕ: 's', т: 't', у: 'y', ԝ: 'w', х: 'x', ү: 'y', ɡ: 'g',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y', ϲ: 'c', ϳ: 'j', ω: 'w',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', զ: 'q', ց: 'g', ա: 'w',
  // Latin extensions and IPA
  ı: 'i', ɩ: 'i', ɑ: 'a', ɒ: 'a', ɢ: 'g', ʜ: 'h', ʟ: 'l', ɴ: 'n', ʀ: 'r', ʏ: 'y', ᴀ: 'a', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ᴋ: 'k',
  ᴍ: 'm', ᴏ: 'o', ᴘ: 'p', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z', ſ: 'f',
  // digits and marks
  '0': 'o', '1': 'l', '|': 'l', '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '−': '-', '＿': '_',
};

export function usernameSkeleton(username: string): string {
  // Case is folded first so that the skeleton is as case-insensitive as the names are (a
  // capital I that looks like l is therefore not caught: "AIice" is "aiice").
  const out = username.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
  let mapped = '';
  for (const ch of out) mapped += AFTER_FOLD[ch] ?? ch;
  return mapped;
}
