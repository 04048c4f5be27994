import type { FastifyRequest } from 'fastify';
import type { ModerationNavService } from '../services/moderation/moderation-nav.js';

export interface ModerationHeaderView {
  nav: {
    total: number;
    siteFlags: number | null;
    communities: Array<{ name: string; flags: number; faqCandidates: number; faqReview: number; overdue: number | null; supportUrl: string; dashboardUrl: string; reviewUrl: string; candidatesUrl: string; faqUrl: string; logUrl: string; canAct: boolean }>;
  } | null;
  suspensions: Array<{ reason: string; until: string | null; siteWide: boolean }>;
}

/**
 * What the header shows a logged-in member about moderation: the "Moderation" entry with its
 * counts (moderators, staff, admins) and, to a suspended member, the suspension and its reason.
 * A failure here never breaks the page: the header simply goes without it.
 */
export async function moderationHeader(service: ModerationNavService, request: FastifyRequest): Promise<ModerationHeaderView | null> {
  const user = request.user;
  if (!user) return null;
  try {
    const [nav, suspensions] = await Promise.all([service.nav(user), service.suspensions(user)]);
    return {
      nav: nav && {
        total: nav.total,
        siteFlags: nav.siteFlags,
        communities: nav.communities.map((c) => ({
          name: c.name,
          flags: c.flags,
          faqCandidates: c.faqCandidates,
          faqReview: c.faqReview,
          overdue: c.overdue,
          supportUrl: `/c/${c.slug}/support`,
          dashboardUrl: `/c/${c.slug}/support/dashboard`,
          canAct: c.canAct,
          reviewUrl: `/c/${c.slug}/review`,
          candidatesUrl: `/mod/c/${c.slug}/faq/candidates`,
          faqUrl: `/mod/c/${c.slug}/faq`,
          logUrl: `/mod/c/${c.slug}/log`,
        })),
      },
      suspensions: suspensions.map((s) => ({
        reason: s.reason,
        until: s.endsAt === null ? null : `${new Date(s.endsAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        siteWide: s.communityId === null,
      })),
    };
  } catch (err) {
    request.log.warn({ err }, 'moderation header unavailable');
    return null;
  }
}
