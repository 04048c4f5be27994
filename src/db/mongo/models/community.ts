import { Schema } from 'mongoose';
import { COMMUNITY_KINDS, LOCALES, type CommunityKind, type Locale } from '../../../domain/types.js';
import { countField, idField, nullableIdField, schemaOptions, textField, timeField } from './common.js';

export interface CommunityDoc {
  _id: number;
  slug: string;
  name: string;
  kind: CommunityKind;
  descriptionMd: string;
  descriptionHtml: string;
  defaultLocale: Locale;
  memberCount: number;
  questionCount: number;
  promotionThreshold: number;
  /** FAQ auto-publish settings (FaqRepository.getAutoPublish). */
  faqAutoPublishScore: number | null;
  faqAutoPublishCategoryId: number | null;
  createdAt: number;
  updatedAt: number;
}

export const COMMUNITY_MODEL = 'Community';

export const communitySchema = new Schema<CommunityDoc>(
  {
    _id: idField,
    slug: { type: String, required: true, maxlength: 200 },
    name: { type: String, required: true },
    kind: { type: String, required: true, enum: COMMUNITY_KINDS as string[] },
    descriptionMd: textField,
    descriptionHtml: textField,
    defaultLocale: { type: String, required: true, enum: LOCALES as string[], default: 'en' },
    memberCount: countField,
    questionCount: countField,
    promotionThreshold: { ...countField, default: 5 },
    faqAutoPublishScore: { type: Number, default: null },
    faqAutoPublishCategoryId: nullableIdField,
    createdAt: timeField,
    updatedAt: timeField,
  },
  schemaOptions('communities'),
);

communitySchema.index({ slug: 1 }, { unique: true, name: 'communities_slug_unique' });
