import { describe, expect, it } from 'vitest';
import { typoDistance } from '../../src/search/vocabulary.js';

/** Textbook optimal string alignment distance over code points (the reference). */
function osa(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const d = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[s.length]![t.length]!;
}

describe('typo distance', () => {
  // Beyond max only "more than max" counts (the lookup keeps distances <= max).
  it('is the OSA distance up to max, and more than max beyond it, for random words with and without astral characters', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const letters = ['a', 'b', 'c', 'e', 'r', 's', 'é', '咖', '啡', '𠀀'];
    const word = () => Array.from({ length: 1 + Math.floor(random() * 10) }, () => letters[Math.floor(random() * (random() < 0.8 ? 5 : letters.length))]).join('');
    for (let i = 0; i < 3000; i++) {
      const a = word();
      // Often a near miss of a: an edit or two, so small distances are well covered.
      let b = a;
      for (let k = Math.floor(random() * 3); k > 0; k--) {
        const cps = Array.from(b);
        const at = Math.floor(random() * (cps.length + 1));
        const op = random();
        if (op < 0.3) cps.splice(at, 1);
        else if (op < 0.6) cps.splice(at, 0, letters[Math.floor(random() * letters.length)]!);
        else if (op < 0.8 && at + 1 < cps.length) [cps[at], cps[at + 1]] = [cps[at + 1]!, cps[at]!];
        else cps[at] = letters[Math.floor(random() * letters.length)]!;
        b = cps.join('');
      }
      if (random() < 0.2) b = word();
      const max = 1 + Math.floor(random() * 2);
      expect(Math.min(typoDistance(a, b, max), max + 1), `${a} ${b} ${max}`).toBe(Math.min(osa(a, b), max + 1));
    }
  });
});
