import type { MembershipRepository, SupportRepository, UserRepository } from '../../db/ports.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../domain/errors.js';
import { addBusinessTime, businessTimeBetween, HOUR_MS } from '../../domain/business-hours.js';
import { isModerator } from '../../domain/permissions.js';
import type { Question } from '../../domain/qa-types.js';
import type { SupportEvent, SupportRating, SupportSettings, SupportTicket, TicketChanges } from '../../domain/support-types.js';
import type { Community, User } from '../../domain/types.js';
import type { CommunityService } from '../communities/community-service.js';
import { defaultSettings, parseSettings, parseUrgent, type SettingsForm } from './settings.js';

/** Share of the target at which the assignee (or all staff) is warned. */
export const WARN_SHARE = 0.75;

export interface Clock {
  warnAt: number;
  dueAt: number;
}

/** Warning and due instants of a clock that runs `targetHours` of business time from `from`. */
export function clockFrom(settings: SupportSettings, targetHours: number, from: number, remainingMs?: number): Clock {
  const total = targetHours * HOUR_MS;
  const left = remainingMs ?? total;
  const used = total - left;
  return {
    warnAt: addBusinessTime(from, Math.max(0, total * WARN_SHARE - used), settings),
    dueAt: addBusinessTime(from, left, settings),
  };
}

export function targetOf(settings: SupportSettings, ticket: Pick<SupportTicket, 'urgent'>): number {
  return ticket.urgent ? settings.urgentHours : settings.targetHours;
}

/** Who may work the queue and see the service details of a business community: its staff and moderators (and admins). */
export function canServe(user: User | null, role: string | null): boolean {
  return Boolean(user && (user.isAdmin || role === 'staff' || role === 'moderator'));
}

/**
 * The service promise and its clock (issue 12). Hooks called by the Q&A routes after a
 * question, answer, comment or acceptance keep each business-community question's ticket
 * right; they never run for interest communities.
 */
export class SupportService {
  constructor(
    private readonly repo: SupportRepository,
    private readonly communities: CommunityService,
    private readonly memberships: MembershipRepository,
    private readonly users: UserRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async settingsFor(communityId: string): Promise<SupportSettings> {
    return (await this.repo.getSettings(communityId)) ?? defaultSettings(communityId);
  }

  private async roleOf(communityId: string, user: User | null): Promise<string | null> {
    if (!user) return null;
    return (await this.memberships.find(communityId, user.id))?.role ?? null;
  }

  /** The settings page: moderators of the business community and admins only. */
  async editableSettings(user: User, slug: string): Promise<{ community: Community; settings: SupportSettings }> {
    const community = await this.communities.getBySlug(slug);
    if (community.kind !== 'business') throw new NotFoundError('support.notBusiness');
    const membership = await this.memberships.find(community.id, user.id);
    if (!isModerator(user, membership)) throw new ForbiddenError('support.settings.forbidden');
    return { community, settings: await this.settingsFor(community.id) };
  }

  async saveSettings(user: User, slug: string, form: SettingsForm): Promise<{ community: Community; settings: SupportSettings }> {
    const { community } = await this.editableSettings(user, slug);
    const settings = parseSettings(community.id, form, user.id, this.now());
    await this.repo.saveSettings(settings);
    return { community, settings };
  }

  /**
   * Validates the ask form's urgent option together with the rest of the draft, so that the
   * form comes back with every message at once.
   */
  checkUrgent(form: { urgent?: string; urgentReason?: string }, checkDraft: () => unknown): { urgent: boolean; reason: string } {
    const errors: FieldErrors = {};
    try {
      checkDraft();
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      Object.assign(errors, err.fields);
    }
    const urgent = parseUrgent(form, errors);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    return urgent;
  }

  /** A new question in a business community starts its clock. */
  async opened(community: Community, question: Question, urgent: { urgent: boolean; reason: string }): Promise<void> {
    if (community.kind !== 'business') return;
    const settings = await this.settingsFor(community.id);
    const at = question.createdAt;
    const clock = clockFrom(settings, urgent.urgent ? settings.urgentHours : settings.targetHours, at);
    await this.repo.openTicket(
      {
        questionId: question.id,
        communityId: community.id,
        askerId: question.authorId,
        urgent: urgent.urgent,
        urgentReason: urgent.reason,
        status: 'open',
        assigneeId: null,
        openedAt: at,
        warnAt: clock.warnAt,
        dueAt: clock.dueAt,
        pausedRemainingMs: null,
        respondedAt: null,
        responseKind: null,
        firstStaffResponseAt: null,
        firstStaffResponderId: null,
        resolvedAt: null,
        reopenCount: 0,
        warnedAt: null,
        breachedAt: null,
        updatedAt: at,
      },
      { actorId: question.authorId, kind: 'opened', detail: urgent.urgent ? `urgent: ${urgent.reason}` : '', at },
    );
  }

  /**
   * After an answer or comment on a question: a staff reply stops the clock; the asker
   * replying to a question that waits for them puts it back in the queue with the time
   * that was left on its clock.
   */
  async afterReply(user: User, question: Question, kind: 'answer' | 'comment'): Promise<void> {
    const ticket = await this.repo.findTicket(question.id);
    if (!ticket) return;
    const now = this.now();
    const role = await this.roleOf(ticket.communityId, user);
    if (role === 'staff') {
      const changes: TicketChanges = { updatedAt: now };
      if (ticket.respondedAt === null) Object.assign(changes, { respondedAt: now, responseKind: kind === 'answer' ? 'staff-answer' : 'staff-comment' });
      if (ticket.firstStaffResponseAt === null) Object.assign(changes, { firstStaffResponseAt: now, firstStaffResponderId: user.id });
      if (ticket.respondedAt === null || ticket.firstStaffResponseAt === null) await this.repo.updateTicket(question.id, changes, { actorId: user.id, kind: 'responded', detail: kind, at: now });
      return;
    }
    if (user.id === ticket.askerId && ticket.status === 'waiting') await this.resume(ticket, user.id, now);
  }

  /** Waiting for the customer ends: the clock runs again with what was left, from now. */
  async resume(ticket: SupportTicket, actorId: string, now: number): Promise<SupportTicket | null> {
    const settings = await this.settingsFor(ticket.communityId);
    const clock = clockFrom(settings, targetOf(settings, ticket), now, ticket.pausedRemainingMs ?? undefined);
    return this.repo.updateTicket(
      ticket.questionId,
      { status: 'open', respondedAt: null, responseKind: null, pausedRemainingMs: null, warnAt: clock.warnAt, dueAt: clock.dueAt, warnedAt: null, breachedAt: null, updatedAt: now },
      { actorId, kind: 'status', detail: 'open', at: now },
    );
  }

  /** An accepted answer resolves the question; a community answer also stops the clock (the community helped). */
  async afterAccept(user: User, question: Question, accepted: boolean): Promise<void> {
    if (!accepted) return;
    const ticket = await this.repo.findTicket(question.id);
    if (!ticket || ticket.status === 'resolved') return;
    const now = this.now();
    const changes: TicketChanges = { status: 'resolved', resolvedAt: now, updatedAt: now };
    if (ticket.respondedAt === null) Object.assign(changes, { respondedAt: now, responseKind: 'accepted' });
    await this.repo.updateTicket(question.id, changes, { actorId: user.id, kind: 'status', detail: 'resolved', at: now });
  }

  /** What the question page shows about the service: the promise for the asker, the ticket for staff. */
  async questionState(community: Community, question: Question, viewer: User | null): Promise<QuestionSupportState | null> {
    if (community.kind !== 'business') return null;
    const ticket = await this.repo.findTicket(question.id);
    if (!ticket) return null;
    const role = await this.roleOf(community.id, viewer);
    const isStaff = canServe(viewer, role);
    const isAsker = viewer?.id === ticket.askerId;
    if (!isStaff && !isAsker) return null;
    const settings = await this.settingsFor(community.id);
    const events = isStaff ? await this.repo.listEvents(question.id) : [];
    const ids = [...new Set([...events.flatMap((e) => (e.actorId ? [e.actorId] : [])), ...(ticket.assigneeId ? [ticket.assigneeId] : [])])];
    const people = new Map((ids.length ? await this.users.findManyByIds(ids) : []).map((u) => [u.id, u]));
    const rating = await this.repo.findRating(question.id);
    return { ticket, settings, now: this.now(), isAsker, isStaff, events, people, rating };
  }

  /** Business time the clock has run so far (for the staff view). */
  elapsed(settings: SupportSettings, ticket: SupportTicket, now: number): number {
    return businessTimeBetween(ticket.openedAt, ticket.respondedAt ?? now, settings);
  }
}

export interface QuestionSupportState {
  ticket: SupportTicket;
  settings: SupportSettings;
  now: number;
  isAsker: boolean;
  isStaff: boolean;
  events: SupportEvent[];
  /** Actors of the events and the assignee, by id. */
  people: Map<string, User>;
  /** The asker's rating; shown to the asker and to staff and moderators only. */
  rating: SupportRating | null;
}
