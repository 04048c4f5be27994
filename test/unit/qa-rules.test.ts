import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldErrors } from '../../src/domain/errors.js';
import { checkBody, checkComment, checkReason, checkTags, checkTitle, normaliseTags, parseVoteValue } from '../../src/domain/qa-rules.js';
import { REPUTATION, reputationForVote } from '../../src/domain/reputation.js';
import { slugify } from '../../src/domain/slug.js';
import { diffText, type DiffPart } from '../../src/services/qa/revision-diff.js';
import { questionUrl } from '../../src/services/qa/question-service.js';
import { renderMarkdown, renderPlainWithLinks } from '../../src/markdown/render.js';

const errorsOf = (fn: (e: FieldErrors) => void): FieldErrors => {
  const e: FieldErrors = {};
  fn(e);
  return e;
};

describe('normaliseTags', () => {
  it.each([
    ['battery firmware', ['battery', 'firmware']],
    ['  Battery ,FIRMWARE  ', ['battery', 'firmware']],
    ['电池，固件、相机；镜头;lens', ['电池', '固件', '相机', '镜头', 'lens']],
    ['ＢＡＴＴＥＲＹ　ｗｉｆｉ', ['battery', 'wifi']],
    ['c++ c# .net node.js', ['c++', 'c#', '.net', 'node.js']],
    ['dup Dup DUP', ['dup']],
    ['', []],
    [' , ，、 ', []],
  ])('%j -> %j', (raw, expected) => {
    expect(normaliseTags(raw)).toEqual(expected);
  });
});

describe('checkTags', () => {
  it('wants 1 to 5 tags', () => {
    expect(errorsOf((e) => checkTags([], e)).tags?.key).toBe('qa.validation.tagsRequired');
    expect(errorsOf((e) => checkTags(['a'], e))).toEqual({});
    expect(errorsOf((e) => checkTags(['a', 'b', 'c', 'd', 'e'], e))).toEqual({});
    expect(errorsOf((e) => checkTags(['a', 'b', 'c', 'd', 'e', 'f'], e)).tags).toEqual({ key: 'qa.validation.tagsTooMany', params: { max: 5 } });
  });

  it.each(['-dash', '.dot', '<b>', 'a/b', 'semi;colon', 'quote"', "it's", 'a b', 'emoji😀'])('refuses the tag %j', (tag) => {
    expect(errorsOf((e) => checkTags([tag], e)).tags).toMatchObject({ key: 'qa.validation.tagInvalid', params: { tag } });
  });

  it.each(['电池', 'x100', 'c++', 'c#', 'node.js', 'wi-fi', 'snake_case', 'ünïcödé', 'カメラ', '사진'])('accepts the tag %j', (tag) => {
    expect(errorsOf((e) => checkTags([tag], e))).toEqual({});
  });

  it('counts a tag\'s length in characters (35 at most), Chinese included', () => {
    expect(errorsOf((e) => checkTags(['a'.repeat(35)], e))).toEqual({});
    expect(errorsOf((e) => checkTags(['a'.repeat(36)], e)).tags?.key).toBe('qa.validation.tagInvalid');
    expect(errorsOf((e) => checkTags(['电'.repeat(35)], e))).toEqual({});
    expect(errorsOf((e) => checkTags(['电'.repeat(36)], e)).tags?.key).toBe('qa.validation.tagInvalid');
  });
});

describe('checkTitle, checkBody, checkComment, checkReason', () => {
  it('wants a title of 10 to 150 characters, a Chinese (Japanese, Korean) character counting two towards the minimum', () => {
    expect(errorsOf((e) => checkTitle('', e)).title?.key).toBe('validation.required');
    expect(errorsOf((e) => checkTitle('123456789', e)).title).toEqual({ key: 'validation.lengthRange', params: { min: 10, max: 150 } });
    // By display width: a Chinese character counts two, so a short complete question passes.
    expect(errorsOf((e) => checkTitle('镜头起雾怎么办', e))).toEqual({});
    expect(errorsOf((e) => checkTitle('借款失败', e)).title).toEqual({ key: 'qa.validation.titleLength', params: { min: 10, wideMin: 5, max: 150 } });
    expect(errorsOf((e) => checkTitle('镜头起雾', e)).title?.key).toBe('qa.validation.titleLength');
    expect(errorsOf((e) => checkTitle('x100镜头起雾', e))).toEqual({});
    expect(errorsOf((e) => checkTitle('1234567890', e))).toEqual({});
    expect(errorsOf((e) => checkTitle('x'.repeat(150), e))).toEqual({});
    expect(errorsOf((e) => checkTitle('x'.repeat(151), e)).title?.key).toBe('validation.lengthRange');
    expect(errorsOf((e) => checkTitle('雾'.repeat(150), e))).toEqual({});
    expect(errorsOf((e) => checkTitle('相'.repeat(10), e))).toEqual({});
    expect(errorsOf((e) => checkTitle('相'.repeat(151), e)).title?.key).toBe('qa.validation.titleLength');
    // astral characters count once each, not as two UTF-16 units
    expect(errorsOf((e) => checkTitle('😀'.repeat(150), e))).toEqual({});
  });

  it('wants a body of 10 to 30000 characters after trimming', () => {
    expect(errorsOf((e) => checkBody('   ', e)).body?.key).toBe('validation.required');
    expect(errorsOf((e) => checkBody('  short  ', e)).body?.key).toBe('validation.lengthRange');
    expect(errorsOf((e) => checkBody('ten chars!', e))).toEqual({});
    expect(errorsOf((e) => checkBody('x'.repeat(30_000), e))).toEqual({});
    expect(errorsOf((e) => checkBody('x'.repeat(30_001), e)).body?.key).toBe('validation.lengthRange');
    expect(errorsOf((e) => checkBody('', e, 'answer')).answer?.key).toBe('validation.required');
  });

  it('trims comments and wants 2 to 600 characters', () => {
    expect(checkComment('  ok  ')).toBe('ok');
    expect(checkComment('好的')).toBe('好的');
    expect(() => checkComment('   ')).toThrow(ValidationError);
    expect(() => checkComment('x')).toThrow(ValidationError);
    expect(checkComment('x'.repeat(600))).toHaveLength(600);
    expect(() => checkComment('x'.repeat(601))).toThrow(ValidationError);
  });

  it('allows an edit reason of up to 300 characters', () => {
    expect(errorsOf((e) => checkReason('', e))).toEqual({});
    expect(errorsOf((e) => checkReason('r'.repeat(300), e))).toEqual({});
    expect(errorsOf((e) => checkReason('r'.repeat(301), e)).reason).toEqual({ key: 'validation.maxLength', params: { max: 300 } });
  });
});

describe('parseVoteValue', () => {
  it.each([
    ['1', 1],
    ['+1', 1],
    ['-1', -1],
    ['0', 0],
  ])('reads %j as %i', (raw, value) => {
    expect(parseVoteValue(raw)).toBe(value);
  });

  it.each(['7', 'abc', '', '2', '-2', '1.0', ' 1', '01', 'true', '-0', '１'])('refuses %j', (raw) => {
    expect(parseVoteValue(raw)).toBeNull();
  });
});

describe('reputation rules', () => {
  it('has the values of issue 3', () => {
    expect(REPUTATION).toEqual({ answerUpvoted: 10, questionUpvoted: 5, downvoted: -2, answerAccepted: 15, acceptedByAsker: 2 });
  });

  it.each([
    ['answer', 1, 10],
    ['question', 1, 5],
    ['answer', -1, -2],
    ['question', -1, -2],
    ['answer', 0, 0],
    ['question', 0, 0],
  ] as const)('a %s vote of %i earns %i', (type, value, earned) => {
    expect(reputationForVote(type, value)).toBe(earned);
  });
});

describe('slugify and questionUrl', () => {
  it.each([
    ['How do I update the firmware over Wi-Fi?', 'how-do-i-update-the-firmware-over-wi-fi'],
    ['Café crème: déjà vu!', 'cafe-creme-deja-vu'],
    ['如何重置相机的固件设置？', '如何重置相机的固件设置'],
    ['Lumen X100 电池续航突然变短怎么办？', 'lumen-x100-电池续航突然变短怎么办'],
    ['?!?!?!?!?!', 'question'],
    ['   ', 'question'],
  ])('%j -> %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('keeps slugs to 80 characters at a word boundary', () => {
    const slug = slugify('word '.repeat(40));
    expect(Array.from(slug).length).toBeLessThanOrEqual(80);
    expect(slug.endsWith('word')).toBe(true);
    expect(Array.from(slugify('长'.repeat(200))).length).toBe(80);
  });

  it('percent-encodes the slug in the URL', () => {
    expect(questionUrl('lumen', { id: '12', slug: '如何重置' })).toBe(`/c/lumen/q/12/${encodeURIComponent('如何重置')}`);
  });
});

describe('diffText', () => {
  const rebuild = (parts: DiffPart[], skip: DiffPart['kind']) => parts.filter((p) => p.kind !== skip).map((p) => p.text).join('');

  it.each([
    ['The quick brown fox', 'The quick red fox'],
    ['我喜欢用这台相机拍风景照片', '我喜欢用这台相机拍人像照片'],
    ['', 'new text'],
    ['old text', ''],
    ['same', 'same'],
    ['line one\nline two', 'line one\nline 2\nline three'],
  ])('reads back both versions: %j -> %j', (before, after) => {
    const parts = diffText(before, after);
    expect(rebuild(parts, 'added')).toBe(before);
    expect(rebuild(parts, 'removed')).toBe(after);
  });

  it('marks whole words, in English and in Chinese', () => {
    expect(diffText('The quick brown fox', 'The quick red fox')).toEqual([
      { kind: 'same', text: 'The quick ' },
      { kind: 'removed', text: 'brown' },
      { kind: 'added', text: 'red' },
      { kind: 'same', text: ' fox' },
    ]);
    const zh = diffText('我喜欢用这台相机拍风景照片', '我喜欢用这台相机拍人像照片');
    expect(zh.filter((p) => p.kind !== 'same').map((p) => [p.kind, p.text])).toEqual([
      ['removed', '风景'],
      ['added', '人像'],
    ]);
  });
});

describe('comment text with links', () => {
  it('escapes HTML and links only http(s) URLs with rel="nofollow ugc noopener"', () => {
    expect(renderPlainWithLinks('<b>hi</b> & see https://example.com/a?b=1&c=2.')).toBe(
      '&lt;b&gt;hi&lt;/b&gt; &amp; see <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">https://example.com/a?b=1&amp;c=2</a>.',
    );
    expect(renderPlainWithLinks('javascript:alert(1) ftp://x.example mailto:a@b.example')).toBe('javascript:alert(1) ftp://x.example mailto:a@b.example');
    expect(renderPlainWithLinks('(https://example.com/a)')).toBe('(<a href="https://example.com/a" rel="nofollow ugc noopener">https://example.com/a</a>)');
  });

  // An entity after a URL, or Chinese text and punctuation written right after it, stay outside the link.
  it.each([
    ['see "https://example.com/a" now', 'https://example.com/a', 'see "https://example.com/a" now'],
    ['x https://example.com/a<b> y', 'https://example.com/a', 'x https://example.com/a<b> y'],
    ['手册见https://example.com/manual，第三页。', 'https://example.com/manual', '手册见https://example.com/manual，第三页。'],
    ['见 https://example.com/manual。谢谢', 'https://example.com/manual', '见 https://example.com/manual。谢谢'],
  ])('links only the URL in %j', (text, url, shown) => {
    const html = renderPlainWithLinks(text);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(hrefs).toEqual([url]);
    const visible = html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    expect(visible).toBe(shown);
  });
});

describe('Markdown rendering', () => {
  it('renders the allowed elements and stores plain text beside the HTML', () => {
    const { html, text } = renderMarkdown('# Title\n\nSome **bold** and a [link](https://example.com).\n\n```js\nconst a = 1;\n```\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n1. one\n2. two\n\n> quote\n\n~~gone~~');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<a href="https://example.com" rel="nofollow ugc noopener">link</a>');
    expect(html).toContain('<code class="language-js">');
    expect(html).toContain('<th align="center">b</th>');
    expect(html).toContain('<ol>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<del>gone</del>');
    expect(text).toContain('Title Some bold and a link.');
    expect(text).not.toContain('<');
  });

  it('shows images as links to them (no request to another host), by http(s) URL only', () => {
    expect(renderMarkdown('![cat](https://example.com/cat.png "Cat")').html).toBe('<p><a href="https://example.com/cat.png" rel="nofollow ugc noopener" class="external-image" title="Cat">cat</a></p>');
    expect(renderMarkdown('![cat](data:image/png;base64,AAAA)').html).not.toContain('data:');
  });
});
