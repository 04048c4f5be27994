import type { FaqRepository } from '../../db/ports.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { checkDeleteTarget, type DeleteTargetCheck } from '../../domain/faq-rules.js';
import { FAQ_MAX_DEPTH, type FaqCategory } from '../../domain/faq-types.js';

/*
 * Carrying out a category deletion once the service has checked every precondition (target
 * outside the subtree, depth, slug clashes), so that from the moderator's view it happens
 * completely or not at all.
 */

/** The form value that sends the children to the top level. */
export const TOP_LEVEL_TARGET = 'top';

/** The delete form's message for a target the rule refuses (null when it is fine). */
export function targetRefusal(check: DeleteTargetCheck, target: FaqCategory | null): ValidationError | null {
  if (check.ok) return null;
  const key = {
    not_found: 'faq.category.badTarget',
    inside: 'faq.category.targetInside',
    too_deep: 'faq.category.targetTooDeep',
    clash: target ? 'faq.category.targetClash' : 'faq.category.topLevelClash',
  }[check.reason];
  const names = check.reason === 'clash' ? check.names.join(', ') : '';
  return new ValidationError({ targetId: { key, params: { max: FAQ_MAX_DEPTH, names, target: target?.name ?? '' } } });
}

/**
 * Runs the deletion; if storage refuses it (someone created a clashing category after the
 * checks), the checks run again on fresh data so the moderator gets the form's message
 * instead of an error page. Storage rolled back, so nothing changed.
 */
export async function deleteChecked(faq: FaqRepository, category: FaqCategory, target: FaqCategory | null, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    const refusal = targetRefusal(checkDeleteTarget(await faq.listCategories(category.communityId), category.id, target?.id ?? null), target);
    throw refusal ?? err;
  }
}

/**
 * Entries and children go to `target` in the port's one atomic step. That step only
 * re-parents the children, so each is then "moved" to where it already is: same parent and
 * slug (no conflict possible), which shifts its subtree's depth to the new level and gives
 * it a free position after the target's own children.
 */
export async function deleteIntoCategory(faq: FaqRepository, category: FaqCategory, children: FaqCategory[], target: FaqCategory, now: () => number): Promise<void> {
  await deleteChecked(faq, category, target, () => faq.deleteCategory(category.id, target.id, now()));
  for (const child of children) {
    try {
      await faq.moveCategory(child.id, target.id, target.depth + 1, now());
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
}

/**
 * Children to the top level (only when there are no entries, which need a category). The
 * port's delete cannot re-parent to "no parent", so each child moves on its own; should one
 * fail (only a race can: clashes were checked), the ones already moved go back.
 */
export async function deleteIntoTopLevel(faq: FaqRepository, category: FaqCategory, children: FaqCategory[], now: () => number): Promise<void> {
  await deleteChecked(faq, category, null, async () => {
    const moved: FaqCategory[] = [];
    try {
      for (const child of children) {
        await faq.moveCategory(child.id, null, 1, now());
        moved.push(child);
      }
      await faq.deleteCategory(category.id, null, now());
    } catch (err) {
      for (const child of moved.reverse()) await faq.moveCategory(child.id, category.id, category.depth + 1, now()).catch(() => undefined);
      throw err;
    }
  });
}
