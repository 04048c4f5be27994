import { Schema } from 'mongoose';
import { countField, idField, schemaOptions, timeField } from './common.js';

export interface UserDoc {
  _id: number;
  username: string;
  /** username lower-cased: the unique key that makes names case-insensitive (SQLite uses COLLATE NOCASE). */
  usernameKey: string;
  /** The TR39-style skeleton (src/domain/username-skeleton.ts): unique, so lookalike names are refused. Absent on users created before it existed. */
  usernameSkeleton?: string;
  email: string;
  emailKey: string;
  displayName: string;
  passwordHash: string;
  isAdmin: boolean;
  reputation: number;
  createdAt: number;
}

export const USER_MODEL = 'User';

/** The case-folded key stored beside a username or email. */
export const foldKey = (value: string): string => value.toLowerCase();

export const userSchema = new Schema<UserDoc>(
  {
    _id: idField,
    username: { type: String, required: true, maxlength: 200 },
    usernameKey: { type: String, required: true, maxlength: 200 },
    usernameSkeleton: { type: String, maxlength: 400 },
    email: { type: String, required: true, maxlength: 320 },
    emailKey: { type: String, required: true, maxlength: 320 },
    displayName: { type: String, required: true },
    passwordHash: { type: String, required: true },
    isAdmin: { type: Boolean, default: false },
    reputation: countField,
    createdAt: timeField,
  },
  schemaOptions('users'),
);

// The key fields must always be the folded form of the visible ones.
userSchema.path('usernameKey').validate(function (this: UserDoc, v: string) {
  return v === foldKey(this.username ?? '');
}, 'usernameKey must be the lower-cased username');
userSchema.path('emailKey').validate(function (this: UserDoc, v: string) {
  return v === foldKey(this.email ?? '');
}, 'emailKey must be the lower-cased email');

userSchema.index({ usernameKey: 1 }, { unique: true, name: 'users_username_unique' });
// Sparse: users created before skeletons existed have none (they are filled by backfillUsernameSkeletons).
userSchema.index({ usernameSkeleton: 1 }, { unique: true, sparse: true, name: 'users_username_skeleton_unique' });
userSchema.index({ emailKey: 1 }, { unique: true, name: 'users_email_unique' });
