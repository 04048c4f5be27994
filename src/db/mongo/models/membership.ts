import { Schema, Types } from 'mongoose';
import { COMMUNITY_ROLES, type CommunityRole } from '../../../domain/types.js';
import { idField, schemaOptions, timeField } from './common.js';

/** Memberships are never addressed by id, so they keep an ObjectId `_id` and a unique (community, user) key. */
export interface MembershipDoc {
  _id: Types.ObjectId;
  communityId: number;
  userId: number;
  role: CommunityRole;
  joinedAt: number;
}

export const MEMBERSHIP_MODEL = 'Membership';

export const membershipSchema = new Schema<MembershipDoc>(
  {
    communityId: idField,
    userId: idField,
    role: { type: String, required: true, enum: COMMUNITY_ROLES as string[] },
    joinedAt: timeField,
  },
  { ...schemaOptions('memberships'), _id: true },
);

membershipSchema.index({ communityId: 1, userId: 1 }, { unique: true, name: 'memberships_unique' });
membershipSchema.index({ userId: 1 }, { name: 'memberships_user' });
membershipSchema.index({ communityId: 1, role: 1 }, { name: 'memberships_role' });
