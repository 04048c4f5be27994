import type { Model } from 'mongoose';
import { usernameSkeleton } from '../../domain/username-skeleton.js';
import type { UserDoc } from './models/user.js';

/**
 * Gives every user created before usernames had skeletons their skeleton, so lookalikes of
 * existing names are refused on MongoDB too (SQLite does this in migration 011). Oldest first:
 * the first holder of a skeleton keeps it, later lookalikes get it suffixed with their id (still
 * unique, and never the skeleton of a new name, which cannot contain "#"). Runs at startup on
 * every instance; it touches only users without a skeleton, so a second run changes nothing.
 */
export async function backfillUsernameSkeletons(users: Model<UserDoc>): Promise<number> {
  const missing = await users.find({ usernameSkeleton: { $exists: false } }, { _id: 1, username: 1 }).sort({ _id: 1 }).lean<Array<Pick<UserDoc, '_id' | 'username'>>>().exec();
  for (const user of missing) {
    const skeleton = usernameSkeleton(user.username);
    const holder = await users.findOne({ usernameSkeleton: skeleton }, { _id: 1 }).lean<Pick<UserDoc, '_id'>>().exec();
    const set = (value: string) => users.updateOne({ _id: user._id, usernameSkeleton: { $exists: false } }, { $set: { usernameSkeleton: value } }).exec();
    try {
      await set(holder ? `${skeleton}#${user._id}` : skeleton);
    } catch (err) {
      // Another instance gave this skeleton to a lookalike a moment ago: this one is the later.
      if ((err as { code?: number }).code !== 11000) throw err;
      await set(`${skeleton}#${user._id}`);
    }
  }
  return missing.length;
}
