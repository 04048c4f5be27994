import { fold } from './text.js';

/*
 * Chinese function words: particles, pronouns, auxiliaries and question words that a question
 * carries whatever it is about ("的", "了", "吗", "能", "怎么"). Their idf overstates them in a
 * forum where another language fills many documents (the idf of "了" counts every English post
 * as a document without it), so beside meaningful words they count for a fraction of their idf
 * (RANKING.functionWordWeight): matched, never dropped, never decisive. English needs no list:
 * its function words are common in its own documents, so their idf is already low (and the
 * commonest are stop words, engine.ts). Negations (不, 没, 没有) are left out on purpose:
 * "收不到" changes what is asked. Measured on the relevance suite: English function words
 * damped the same way cost recall, Chinese ones gained a little.
 */
const ZH = `的 地 得 了 着 过 吗 呢 吧 啊 呀 哦 嘛 么 啦 呗 我 你 您 他 她 它 我们 你们 他们 咱 咱们 自己 是 在 有 和 与 跟 及 或 或者 就 都 也 还 又 再 才 被 把 给 让 对 从 向 这 那 这个 那个 这样 那样 一个 个 之 而 但 但是 可是 如果 要 会 能 可以 可 想 请问 一下 已经 还是 什么 怎么 如何 怎样 为什么 为何 啥 咋 哪 哪里`;

const WORDS = new Set(ZH.split(/\s+/).filter((w) => w !== '').map(fold));

export function isFunctionWord(token: string): boolean {
  return WORDS.has(token);
}
