import { Schema } from 'mongoose';
import { FAQ_MAX_DEPTH } from '../../../domain/faq-types.js';
import { idField, nullableIdField, schemaOptions, timeField } from './common.js';

/** A node of a community's FAQ tree; depth is stored (1-4) so the depth rule needs no tree walk. */
export interface FaqCategoryDoc {
  _id: number;
  communityId: number;
  parentId: number | null;
  name: string;
  slug: string;
  position: number;
  depth: number;
  createdAt: number;
  updatedAt: number;
}

export const FAQ_CATEGORY_MODEL = 'FaqCategory';

export const faqCategorySchema = new Schema<FaqCategoryDoc>(
  {
    _id: idField,
    communityId: idField,
    parentId: nullableIdField,
    name: { type: String, required: true },
    slug: { type: String, required: true, maxlength: 200 },
    position: { type: Number, default: 0, validate: { validator: Number.isSafeInteger, message: '{PATH} must be a whole number' } },
    depth: { type: Number, required: true, min: 1, max: FAQ_MAX_DEPTH },
    createdAt: timeField,
    updatedAt: timeField,
  },
  schemaOptions('faqCategories'),
);

// A category slug is unique among its siblings; parentId is stored as null for top-level
// categories, and a unique index treats null as a value, so two top-level slugs collide too.
faqCategorySchema.index({ communityId: 1, parentId: 1, slug: 1 }, { unique: true, name: 'faq_categories_slug_unique' });
faqCategorySchema.index({ communityId: 1, parentId: 1, position: 1 }, { name: 'faq_categories_parent' });
faqCategorySchema.index({ parentId: 1 }, { name: 'faq_categories_children' });
// The whole tree of a community, level by level in sibling order.
faqCategorySchema.index({ communityId: 1, depth: 1, position: 1, _id: 1 }, { name: 'faq_categories_tree' });
