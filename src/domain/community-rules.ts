import { ValidationError, type FieldErrors } from './errors.js';
import { COMMUNITY_KINDS, LOCALES, type CommunityKind, type Locale } from './types.js';

export const COMMUNITY_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;
const RESERVED_SLUGS = new Set(['new', 'admin', 'mod', 'api', 'search', 'static', 'login', 'register']);

export interface CommunityInput {
  slug: string;
  name: string;
  kind: string;
  description: string;
  defaultLocale: string;
  promotionThreshold?: string;
}

export interface CheckedCommunity {
  slug: string;
  name: string;
  kind: CommunityKind;
  descriptionMd: string;
  defaultLocale: Locale;
  promotionThreshold: number;
}

export function checkCommunity(input: CommunityInput, options: { checkSlug: boolean }): CheckedCommunity {
  const errors: FieldErrors = {};
  const slug = input.slug.trim().toLowerCase();
  const name = input.name.trim();
  const descriptionMd = input.description.trim();
  if (options.checkSlug) {
    if (slug === '') errors.slug = { key: 'validation.required' };
    else if (!COMMUNITY_SLUG_PATTERN.test(slug) || RESERVED_SLUGS.has(slug)) errors.slug = { key: 'validation.slug' };
  }
  const nameLength = Array.from(name).length;
  if (nameLength === 0) errors.name = { key: 'validation.required' };
  else if (nameLength > 80) errors.name = { key: 'validation.maxLength', params: { max: 80 } };
  if (descriptionMd.length > 5000) errors.description = { key: 'validation.maxLength', params: { max: 5000 } };
  if (!(COMMUNITY_KINDS as readonly string[]).includes(input.kind)) errors.kind = { key: 'validation.choice' };
  if (!(LOCALES as readonly string[]).includes(input.defaultLocale)) errors.defaultLocale = { key: 'validation.choice' };
  let promotionThreshold = 5;
  if (input.promotionThreshold !== undefined && input.promotionThreshold.trim() !== '') {
    const raw = input.promotionThreshold.trim();
    if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1) errors.promotionThreshold = { key: 'validation.positiveInteger' };
    else promotionThreshold = Number(raw);
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { slug, name, kind: input.kind as CommunityKind, descriptionMd, defaultLocale: input.defaultLocale as Locale, promotionThreshold };
}
