import type { CommunityRepository, MembershipRepository, UserRepository } from '../../db/ports.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { checkCommunity, COMMUNITY_SLUG_PATTERN, type CommunityInput } from '../../domain/community-rules.js';
import { COMMUNITY_ROLES, type Community, type CommunityRole, type Membership, type User } from '../../domain/types.js';
import { isModerator } from '../../domain/permissions.js';
import { renderMarkdown } from '../../markdown/render.js';
import type { ContentGeneration } from '../content-generation.js';
import type { ViewerMemberships } from './viewer-memberships.js';

export interface CommunityContext {
  community: Community;
  membership: Membership | null;
  canModerate: boolean;
}

/** How long the community list is reused at most: the bound for changes made by other instances. */
export const COMMUNITY_LIST_TTL_MS = 5000;

export class CommunityService {
  /** The list of communities as last read, with the content generation and time it was read at. */
  private cachedList: { generation: number; at: number; list: Promise<Community[]> } | null = null;

  constructor(
    private readonly communities: CommunityRepository,
    private readonly memberships: MembershipRepository,
    private readonly users: UserRepository,
    /** When given, the list is reused while no content changed (most pages read it; it rarely changes). */
    private readonly generation: ContentGeneration | null = null,
    private readonly now: () => number = Date.now,
    /** Per-request memberships of the reader, forgotten when a membership changes here. */
    private readonly viewerMemberships: ViewerMemberships | null = null,
  ) {}

  async list(): Promise<Community[]> {
    if (!this.generation) return this.communities.list();
    const generation = this.generation.value;
    const at = this.now();
    const cached = this.cachedList;
    if (!cached || cached.generation !== generation || at - cached.at >= COMMUNITY_LIST_TTL_MS) {
      const list = this.communities.list();
      this.cachedList = { generation, at, list };
      // A failed read is not kept: the next call reads again.
      list.catch(() => {
        if (this.cachedList?.list === list) this.cachedList = null;
      });
      return [...(await list)];
    }
    return [...(await cached.list)];
  }

  /** Changes to communities and their member counts show in the very next list (this instance). */
  private listChanged(): void {
    this.cachedList = null;
    this.viewerMemberships?.forget();
  }

  async byId(id: string): Promise<Community | null> {
    return this.communities.findById(id);
  }

  /** Unknown and malformed slugs are both a plain 404. */
  async getBySlug(slug: string): Promise<Community> {
    if (!COMMUNITY_SLUG_PATTERN.test(slug)) throw new NotFoundError('community.notFound');
    const community = await this.communities.findBySlug(slug);
    if (!community) throw new NotFoundError('community.notFound');
    return community;
  }

  async context(slug: string, user: User | null): Promise<CommunityContext> {
    const community = await this.getBySlug(slug);
    const membership = user ? await this.memberships.find(community.id, user.id) : null;
    return { community, membership, canModerate: isModerator(user, membership) };
  }

  async join(slug: string, user: User): Promise<Community> {
    const community = await this.getBySlug(slug);
    const existing = await this.memberships.find(community.id, user.id);
    if (!existing) await this.memberships.upsert(community.id, user.id, 'member');
    this.listChanged();
    return community;
  }

  async leave(slug: string, user: User): Promise<Community> {
    const community = await this.getBySlug(slug);
    await this.memberships.remove(community.id, user.id);
    this.listChanged();
    return community;
  }

  async create(actor: User, input: CommunityInput): Promise<Community> {
    if (!actor.isAdmin) throw new ForbiddenError();
    const checked = checkCommunity(input, { checkSlug: true });
    if (await this.communities.findBySlug(checked.slug)) throw new ValidationError({ slug: { key: 'community.slugTaken' } });
    const { html } = renderMarkdown(checked.descriptionMd);
    const created = await this.communities.create({ ...checked, descriptionHtml: html });
    this.listChanged();
    return created;
  }

  async update(actor: User, slug: string, input: Omit<CommunityInput, 'slug'>): Promise<Community> {
    if (!actor.isAdmin) throw new ForbiddenError();
    const community = await this.getBySlug(slug);
    const checked = checkCommunity({ ...input, slug }, { checkSlug: false });
    const { html } = renderMarkdown(checked.descriptionMd);
    const updated = await this.communities.update(community.id, {
      name: checked.name,
      kind: checked.kind,
      descriptionMd: checked.descriptionMd,
      descriptionHtml: html,
      defaultLocale: checked.defaultLocale,
      promotionThreshold: checked.promotionThreshold,
    });
    this.listChanged();
    return updated;
  }

  /** Site admins appoint moderators and staff by username; 'member' demotes. */
  async appoint(actor: User, slug: string, username: string, role: string): Promise<{ community: Community; user: User; role: CommunityRole }> {
    if (!actor.isAdmin) throw new ForbiddenError();
    const community = await this.getBySlug(slug);
    if (!(COMMUNITY_ROLES as readonly string[]).includes(role)) throw new ValidationError({ role: { key: 'validation.choice' } });
    const name = username.trim();
    if (name === '') throw new ValidationError({ username: { key: 'validation.required' } });
    const user = await this.users.findByUsername(name);
    if (!user) throw new ValidationError({ username: { key: 'admin.unknownUser', params: { username: name } } });
    await this.memberships.upsert(community.id, user.id, role as CommunityRole);
    this.listChanged();
    return { community, user, role: role as CommunityRole };
  }

  async staff(communityId: string) {
    return this.memberships.listStaff(communityId);
  }
}
