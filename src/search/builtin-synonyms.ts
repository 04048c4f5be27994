import { tokenize } from './text.js';

/*
 * Synonyms every forum needs before an admin adds any: the common ways of asking the same
 * question in Chinese and English, and everyday variants of customer-service words. Folded
 * exactly as query words are (a contraction "can't" becomes the phrase "can t"; Chinese is
 * cut by the segmenter). An admin's group wins over a built-in one for any term they share.
 */
const RAW: readonly string[][] = [
  // Spoken forms beside the written ones (咋, 为啥): customers type as they speak.
  ['怎么', '如何', '怎样', '怎么样才能', '咋'],
  ['为什么', '为何', '怎么会', '为啥', '怎么回事', '咋回事'],
  ['借款', '贷款', '借钱'],
  ['取消', '注销', '关闭', '关掉'],
  ['撤销', '撤回'],
  ['能否', '能不能', '可不可以', '是否可以', '可否'],
  ['什么时候', '何时', '哪天'],
  ['合同', '协议'],
  ['条件', '要求'],
  ['下载', '导出'],
  ['提升', '提高'],
  ['降低', '下调'],
  ['提前', '提早'],
  ['开通', '开启'],
  ['账号', '账户', '帐号', '帐户'],
  ['无法', '不能', '没法', '不了'],
  ['登录', '登陆'],
  ['修改', '更改'],
  ['退款', '退钱'],
  ['手机号', '手机号码', '电话号码'],
  ['收不到', '没收到'],
  ['多久', '多长时间'],
  ['清理', '清洁', '清洗'],
  ['cannot', "can't", 'cant', 'unable to'],
  ["won't", 'will not'],
  ["doesn't", 'does not'],
  ["don't", 'do not'],
  ["isn't", 'is not'],
  ['login', 'log in', 'sign in', 'signin'],
  ['logout', 'log out', 'sign out'],
  ['email', 'e-mail'],
];

function foldTerm(raw: string): string {
  return tokenize(raw).join(' ');
}

export const BUILT_IN_SYNONYMS: ReadonlyArray<{ terms: string[] }> = RAW.map((group) => ({ terms: [...new Set(group.map(foldTerm).filter((t) => t !== ''))] }));

/** The admin's groups, then the built-in ones without the terms the admin already placed. */
export function withBuiltInSynonyms(admin: ReadonlyArray<{ terms: readonly string[] }>): Array<{ terms: readonly string[] }> {
  const taken = new Set(admin.flatMap((g) => g.terms));
  const builtIn = BUILT_IN_SYNONYMS.map((g) => ({ terms: g.terms.filter((t) => !taken.has(t)) })).filter((g) => g.terms.length >= 2);
  return [...admin, ...builtIn];
}
