import type { Community, CommunityRole } from '../domain/types.js';

export interface CommunityCard {
  slug: string;
  name: string;
  kind: string;
  url: string;
  memberCount: number;
  questionCount: number;
  descriptionHtml: string;
  joined: boolean;
}

export function communityCard(c: Community, joined: boolean): CommunityCard {
  return {
    slug: c.slug,
    name: c.name,
    kind: c.kind,
    url: `/c/${c.slug}`,
    memberCount: c.memberCount,
    questionCount: c.questionCount,
    descriptionHtml: c.descriptionHtml,
    joined,
  };
}

export interface RoleBadge {
  role: CommunityRole | 'admin';
  labelKey: string;
}

export function roleBadge(role: CommunityRole | 'admin'): RoleBadge {
  return { role, labelKey: `role.${role}` };
}
