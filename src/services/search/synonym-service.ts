import type { SynonymRepository, UserRepository } from '../../db/ports.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../domain/errors.js';
import { checkSynonymTerms } from '../../domain/synonym-rules.js';
import type { SynonymGroup, User } from '../../domain/types.js';
import { unspacedTerm } from '../../search/text.js';

/*
 * Site admins manage the search synonym groups (issue 6, "synonyms from the FAQ gaps"). The
 * rules live in domain/synonym-rules.ts; this class checks who may act, refuses a term that
 * another group holds (naming that group), stores the change and tells the search side,
 * which must never turn a saved change into an error page.
 */

/** The search runtime (src/search/index.ts): brings the engine up to date after a change. */
export interface SynonymsChangedListener {
  /** True when the engine has the current groups; false when it will get them later. */
  synonymsChanged(): Promise<boolean>;
}

export interface SynonymGroupView {
  group: SynonymGroup;
  author: User | null;
}

export interface SynonymChange {
  group: SynonymGroup | null;
  /** False when the search engine could not be updated now (it is on the next change or restart). */
  applied: boolean;
}

export class SynonymService {
  constructor(
    private readonly synonyms: SynonymRepository,
    private readonly users: Pick<UserRepository, 'findManyByIds'>,
    private readonly listener: SynonymsChangedListener,
    private readonly now: () => number = Date.now,
  ) {}

  private requireAdmin(actor: User | null): User {
    if (!actor) throw new UnauthorizedError();
    if (!actor.isAdmin) throw new ForbiddenError();
    return actor;
  }

  async list(actor: User | null): Promise<SynonymGroupView[]> {
    this.requireAdmin(actor);
    const groups = await this.synonyms.list();
    const authors = new Map((await this.users.findManyByIds([...new Set(groups.map((g) => g.createdBy))])).map((u) => [u.id, u]));
    return groups.map((group) => ({ group, author: authors.get(group.createdBy) ?? null }));
  }

  async get(actor: User | null, id: string): Promise<SynonymGroup> {
    this.requireAdmin(actor);
    const group = await this.synonyms.findById(id);
    if (!group) throw new NotFoundError('synonyms.notFound');
    return group;
  }

  async create(actor: User | null, input: { terms: string }): Promise<SynonymChange> {
    const admin = this.requireAdmin(actor);
    const terms = await this.checked(input.terms, null);
    const group = await this.refusingTakenTerms(() => this.synonyms.create({ terms, createdBy: admin.id, now: this.now() }));
    return { group, applied: await this.listener.synonymsChanged() };
  }

  async update(actor: User | null, id: string, input: { terms: string }): Promise<SynonymChange> {
    await this.get(actor, id);
    const terms = await this.checked(input.terms, id);
    const group = await this.refusingTakenTerms(() => this.synonyms.update(id, terms, this.now()));
    return { group, applied: await this.listener.synonymsChanged() };
  }

  async delete(actor: User | null, id: string): Promise<SynonymChange> {
    this.requireAdmin(actor);
    if (!(await this.synonyms.delete(id))) throw new NotFoundError('synonyms.notFound');
    return { group: null, applied: await this.listener.synonymsChanged() };
  }

  /** The folded terms, or the form's message; a term of another group names that group. */
  private async checked(raw: string, editing: string | null): Promise<string[]> {
    const terms = checkSynonymTerms(raw);
    const others = (await this.synonyms.list()).filter((g) => g.id !== editing);
    for (const term of terms) {
      const owner = others.find((g) => g.terms.includes(term));
      if (owner) throw new ValidationError({ terms: { key: 'synonyms.terms.taken', params: { term: unspacedTerm(term), group: owner.terms.map(unspacedTerm).join(', ') } } });
    }
    return terms;
  }

  /** Another admin may have taken the term since the check: the store's refusal becomes the same message. */
  private async refusingTakenTerms<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (err instanceof ConflictError && err.messageKey === 'synonyms.terms.taken') {
        throw new ValidationError({ terms: { key: 'synonyms.terms.takenElsewhere', params: { term: unspacedTerm(String(err.params.term ?? '')) } } });
      }
      throw err;
    }
  }
}
