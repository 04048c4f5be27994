import type { ModerationRepository } from '../../db/moderation-port.js';
import type { Suspension } from '../../domain/moderation-types.js';
import type { User } from '../../domain/types.js';

/**
 * The suspensions in force for the member behind a request, read once per request instead of
 * once per question asked of them (the header's notice, the page's moderation access and the
 * deleted answers each asked). Keyed by the User object: the session plugin reads the user
 * afresh for every request, so an entry lives exactly as long as that request's user. Any
 * suspension written through the moderation service forgets everything, so a request (or a
 * test) that suspends and then asks again sees the new state.
 */
export class ViewerSuspensions {
  private memo = new WeakMap<User, Promise<Suspension[]>>();

  constructor(
    private readonly repo: Pick<ModerationRepository, 'activeSuspensions'>,
    private readonly now: () => number = Date.now,
  ) {}

  of(user: User): Promise<Suspension[]> {
    let found = this.memo.get(user);
    if (!found) {
      found = this.repo.activeSuspensions(user.id, this.now());
      this.memo.set(user, found);
      // A failed read is not remembered: the next question reads again.
      found.catch(() => this.memo.delete(user));
    }
    return found;
  }

  /** After a suspension is added or lifted. */
  forget(): void {
    this.memo = new WeakMap();
  }
}
