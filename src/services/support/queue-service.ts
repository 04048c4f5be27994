import type { MembershipRepository, PostRepository, SupportRepository, UserRepository } from '../../db/ports.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { businessTimeBetween } from '../../domain/business-hours.js';
import type { Question } from '../../domain/qa-types.js';
import { QUEUE_FILTERS, TICKET_STATUSES, type QueueFilter, type SupportTicket, type TicketStatus } from '../../domain/support-types.js';
import type { Community, User } from '../../domain/types.js';
import type { CommunityService } from '../communities/community-service.js';
import { canServe, clockFrom, type SupportService } from './support-service.js';

export const QUEUE_PAGE = 25;

export interface QueueRow {
  ticket: SupportTicket;
  question: Question;
  assignee: User | null;
}

export interface QueuePage {
  community: Community;
  rows: QueueRow[];
  filter: QueueFilter;
  tag: string | null;
  page: number;
  hasMore: boolean;
  needsReply: number;
  now: number;
}

/** The staff queue of a business community and the changes staff make to a ticket (issue 12). */
export class QueueService {
  constructor(
    private readonly repo: SupportRepository,
    private readonly posts: PostRepository,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly communities: CommunityService,
    private readonly support: SupportService,
    private readonly now: () => number = Date.now,
  ) {}

  private async requireServer(user: User | null, community: Community): Promise<void> {
    if (community.kind !== 'business') throw new NotFoundError('support.notBusiness');
    const role = user ? ((await this.memberships.find(community.id, user.id))?.role ?? null) : null;
    if (!canServe(user, role)) throw new ForbiddenError('support.queue.forbidden');
  }

  async queue(user: User, slug: string, options: { filter?: string; tag?: string; page: number }): Promise<QueuePage> {
    const community = await this.communities.getBySlug(slug);
    await this.requireServer(user, community);
    const filter = (QUEUE_FILTERS as readonly string[]).includes(options.filter ?? '') ? (options.filter as QueueFilter) : 'needs-reply';
    const tag = options.tag?.trim().toLowerCase() || null;
    const page = Math.min(Math.max(1, options.page), 1000);
    const tickets = await this.repo.listQueue({ communityId: community.id, filter, viewerId: user.id, ...(tag ? { tag } : {}), offset: (page - 1) * QUEUE_PAGE, limit: QUEUE_PAGE });
    const shown = tickets.slice(0, QUEUE_PAGE);
    const questions = await Promise.all(shown.map((t) => this.posts.findQuestion(t.questionId)));
    const assignees = new Map((await this.users.findManyByIds([...new Set(shown.flatMap((t) => (t.assigneeId ? [t.assigneeId] : [])))])).map((u) => [u.id, u]));
    const rows = shown.flatMap((ticket, i) => {
      const question = questions[i];
      return question ? [{ ticket, question, assignee: ticket.assigneeId ? (assignees.get(ticket.assigneeId) ?? null) : null }] : [];
    });
    return { community, rows, filter, tag, page, hasMore: tickets.length > QUEUE_PAGE, needsReply: await this.repo.countNeedsReply(community.id), now: this.now() };
  }

  /** The number in the header for staff and moderators; null for everyone else. */
  async countFor(user: User | null, community: Community): Promise<number | null> {
    if (!user || community.kind !== 'business') return null;
    const role = (await this.memberships.find(community.id, user.id))?.role ?? null;
    if (!canServe(user, role)) return null;
    return this.repo.countNeedsReply(community.id);
  }

  private async ticketFor(user: User, questionId: string): Promise<{ ticket: SupportTicket; community: Community; question: Question }> {
    const ticket = await this.repo.findTicket(questionId);
    const question = ticket ? await this.posts.findQuestion(questionId) : null;
    const community = ticket ? await this.communities.byId(ticket.communityId) : null;
    if (!ticket || !question || !community) throw new NotFoundError('support.ticketNotFound');
    await this.requireServer(user, community);
    return { ticket, community, question };
  }

  /** Assigns to a staff member or moderator of the community ("" unassigns; the button sends the viewer's own name). */
  async assign(user: User, questionId: string, username: string): Promise<{ community: Community; question: Question }> {
    const { ticket, community, question } = await this.ticketFor(user, questionId);
    let assignee: User | null = null;
    if (username.trim() !== '') {
      assignee = await this.users.findByUsername(username.trim());
      const role = assignee ? ((await this.memberships.find(community.id, assignee.id))?.role ?? null) : null;
      if (!assignee || !canServe(assignee, role)) throw new ValidationError({ assignee: { key: 'support.queue.assigneeInvalid' } });
    }
    if ((assignee?.id ?? null) !== ticket.assigneeId) {
      await this.repo.updateTicket(questionId, { assigneeId: assignee?.id ?? null, updatedAt: this.now() }, { actorId: user.id, kind: 'assigned', detail: assignee?.username ?? '', at: this.now() });
    }
    return { community, question };
  }

  /**
   * open / waiting for the customer / resolved. Waiting keeps the business time left on a
   * running clock; reopening runs the clock again with it (or a full target after a reply).
   */
  async setStatus(user: User, questionId: string, raw: string): Promise<{ community: Community; question: Question }> {
    if (!(TICKET_STATUSES as readonly string[]).includes(raw)) throw new ValidationError({ status: { key: 'support.queue.statusInvalid' } });
    const status = raw as TicketStatus;
    const { ticket, community, question } = await this.ticketFor(user, questionId);
    if (status === ticket.status) return { community, question };
    const now = this.now();
    const event = { actorId: user.id, kind: 'status', detail: status, at: now };
    if (status === 'waiting') {
      const settings = await this.support.settingsFor(community.id);
      const running = ticket.respondedAt === null && ticket.dueAt !== null;
      const left = running ? businessTimeBetween(now, ticket.dueAt!, settings) : null;
      await this.repo.updateTicket(questionId, { status, pausedRemainingMs: left, warnAt: null, dueAt: null, updatedAt: now }, event);
    } else if (status === 'resolved') {
      await this.repo.updateTicket(questionId, { status, resolvedAt: now, updatedAt: now }, event);
    } else {
      await this.support.resume(ticket, user.id, now);
    }
    return { community, question };
  }

  /** Staff can downgrade an urgent question: its clock then runs to the normal target from when it was asked. */
  async downgrade(user: User, questionId: string): Promise<{ community: Community; question: Question }> {
    const { ticket, community, question } = await this.ticketFor(user, questionId);
    if (!ticket.urgent) return { community, question };
    const settings = await this.support.settingsFor(community.id);
    const now = this.now();
    const clock = ticket.status === 'open' ? clockFrom(settings, settings.targetHours, ticket.openedAt) : null;
    await this.repo.updateTicket(
      questionId,
      { urgent: false, ...(clock ? { warnAt: clock.warnAt, dueAt: clock.dueAt, warnedAt: null, breachedAt: null } : {}), updatedAt: now },
      { actorId: user.id, kind: 'urgent-downgraded', at: now },
    );
    return { community, question };
  }
}
