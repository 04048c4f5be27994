import { describe, expect, it } from 'vitest';
import { checkCommunity, type CommunityInput } from '../../src/domain/community-rules.js';
import { ValidationError } from '../../src/domain/errors.js';

const valid: CommunityInput = {
  slug: 'home-coffee',
  name: 'Home coffee roasting',
  kind: 'interest',
  description: 'Roast at home.',
  defaultLocale: 'en',
  promotionThreshold: '',
};

function fieldErrors(input: Partial<CommunityInput>, checkSlug = true): Record<string, string> {
  try {
    checkCommunity({ ...valid, ...input }, { checkSlug });
  } catch (err) {
    if (err instanceof ValidationError) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v.key]));
    throw err;
  }
  return {};
}

describe('checkCommunity', () => {
  it('returns a normalised community for valid input', () => {
    const checked = checkCommunity({ ...valid, slug: '  Home-Coffee ', name: '  Home coffee roasting  ', description: '  Roast at home. ' }, { checkSlug: true });
    expect(checked).toEqual({
      slug: 'home-coffee',
      name: 'Home coffee roasting',
      kind: 'interest',
      descriptionMd: 'Roast at home.',
      defaultLocale: 'en',
      promotionThreshold: 5,
    });
  });

  it('accepts a Chinese name, business kind, zh-CN locale and a custom threshold', () => {
    const checked = checkCommunity({ ...valid, name: '相机摄影', kind: 'business', defaultLocale: 'zh-CN', promotionThreshold: '8' }, { checkSlug: true });
    expect(checked).toMatchObject({ name: '相机摄影', kind: 'business', defaultLocale: 'zh-CN', promotionThreshold: 8 });
  });

  it('requires a slug', () => {
    expect(fieldErrors({ slug: '' })).toEqual({ slug: 'validation.required' });
  });

  it.each(['-coffee', 'coffee-', 'cof_fee', 'cof fee', 'a..b', 'café', '咖啡', 'a'.repeat(51), 'a/b'])('refuses the slug %j', (slug) => {
    expect(fieldErrors({ slug })).toEqual({ slug: 'validation.slug' });
  });

  it.each(['admin', 'search', 'new', 'login', 'static'])('refuses the reserved slug %s', (slug) => {
    expect(fieldErrors({ slug })).toEqual({ slug: 'validation.slug' });
  });

  it.each(['a', 'a1', 'a-b-c', 'x'.repeat(50)])('accepts the slug %s', (slug) => {
    expect(fieldErrors({ slug })).toEqual({});
  });

  it('does not check the slug on edit', () => {
    expect(fieldErrors({ slug: 'NOT A SLUG' }, false)).toEqual({});
  });

  it('requires a name of at most 80 characters', () => {
    expect(fieldErrors({ name: '   ' })).toEqual({ name: 'validation.required' });
    expect(fieldErrors({ name: 'n'.repeat(81) })).toEqual({ name: 'validation.maxLength' });
    expect(fieldErrors({ name: '名'.repeat(80) })).toEqual({});
  });

  it('limits the description', () => {
    expect(fieldErrors({ description: 'd'.repeat(5001) })).toEqual({ description: 'validation.maxLength' });
  });

  it('accepts only the known kinds and locales', () => {
    expect(fieldErrors({ kind: 'evil' })).toEqual({ kind: 'validation.choice' });
    expect(fieldErrors({ kind: '' })).toEqual({ kind: 'validation.choice' });
    expect(fieldErrors({ defaultLocale: 'fr' })).toEqual({ defaultLocale: 'validation.choice' });
  });

  it.each(['0', '-1', 'abc', '1.5', '12345'])('refuses the promotion threshold %j', (promotionThreshold) => {
    expect(fieldErrors({ promotionThreshold })).toEqual({ promotionThreshold: 'validation.positiveInteger' });
  });

  it('reports every bad field at once', () => {
    expect(Object.keys(fieldErrors({ slug: 'Bad Slug', name: '', kind: 'x', defaultLocale: 'x', promotionThreshold: '0' })).sort()).toEqual(
      ['defaultLocale', 'kind', 'name', 'promotionThreshold', 'slug'],
    );
  });
});
