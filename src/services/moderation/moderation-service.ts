import type { MembershipRepository, MetaRepository, ModerationRepository, PostRepository, RateLimitRepository, UserRepository } from '../../db/ports.js';
import { ForbiddenError, NotFoundError, TooManyRequestsError, ValidationError, type FieldErrors } from '../../domain/errors.js';
import { AUDIT_ACTIONS, CLOSE_REASONS, FLAG_REASONS, type AuditAction, type AuditEntry, type CloseReason, type Flag, type Suspension, type FlagOutcome, type FlagReason, type PostModeration, type ReviewSort } from '../../domain/moderation-types.js';
import { checkSettingsForm, parseSettings, type ModerationSettings } from '../../domain/moderation-settings.js';
import { canPostIn, isModerator, isStaff } from '../../domain/permissions.js';
import type { Answer, Post, Question } from '../../domain/qa-types.js';
import type { Community, Membership, User } from '../../domain/types.js';
import type { SearchEngine } from '../../search/port.js';
import type { CommunityService } from '../communities/community-service.js';
import { assertNotSuspended, SETTINGS_META_KEY } from './qa-gate.js';
import { ViewerSuspensions } from './viewer-suspensions.js';

export const SETTINGS_KEY = SETTINGS_META_KEY;
export const AUDIT_PAGE_SIZE = 50;
const MAX_REASON = 500;

export interface Access {
  membership: Membership | null;
  /** Moderator of the community or site admin: may act. */
  moderator: boolean;
  /** Staff of the community: may read the queues and the log, not act. */
  staff: boolean;
  /** Suspended here or everywhere: read-only. */
  suspended: boolean;
}

export interface DuplicateCandidate {
  id: string;
  title: string;
  url: string;
  answerCount: number;
  score: number;
}

/** What a moderation notification is about: the post's thread, where it links, when. */
export interface ModerationNotice {
  postId: string;
  /** The question's title (an answer's question). */
  title: string;
  /** The post while it is still visible, else its community. */
  link: string;
  threadId: string | null;
  community: Community;
  /** When the action happened (names the event, so one action gives one notification each). */
  at: number;
}

/** Who hears of moderators' actions (notifications); it logs its own failures and never throws. */
export interface ModerationNotifier {
  flagsResolved(actor: User, flaggerIds: string[], notice: ModerationNotice, outcome: FlagOutcome): Promise<void>;
  warned(actor: User, authorId: string, warning: string, notice: ModerationNotice): Promise<void>;
}

export interface AuditPage {
  entries: AuditEntry[];
  users: Map<string, User>;
  communities: Map<string, Community>;
  nextBeforeId: string | null;
}

/** Moderation actions on posts (close, lock, delete) and the audit log they write. */
export class ModerationService {
  constructor(
    private readonly repo: ModerationRepository,
    private readonly posts: PostRepository,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly meta: MetaRepository,
    private readonly communities: CommunityService,
    private readonly engine: SearchEngine,
    private readonly rateLimits: RateLimitRepository,
    private readonly now: () => number = Date.now,
    private readonly notifier: ModerationNotifier | null = null,
    private readonly log: { error(obj: object, msg: string): void } | null = null,
    /** Shared with the header's notice (ModerationNavService), so a request reads them once. */
    private readonly viewerSuspensions: ViewerSuspensions = new ViewerSuspensions(repo, now),
  ) {}

  /**
   * Tells the flaggers (and a warned author) after the action is saved. Never throws: the
   * notifier logs its own failures, and anything else going wrong here is logged too.
   */
  private async tell(actor: User, post: Post, at: number, outcome: FlagOutcome, flaggerIds: string[], warning: string | null): Promise<void> {
    if (!this.notifier) return;
    try {
      const [current, community] = await Promise.all([this.repo.findPostAny(post.id), this.community(post.communityId)]);
      const question = post.type === 'question' ? (current?.type === 'question' ? current : post) : await this.repo.findPostAny(post.questionId);
      const title = question?.type === 'question' ? question.title : '';
      const visible = current !== null && current.deletedAt === null && (question === null || question.deletedAt === null);
      const notice: ModerationNotice = {
        postId: post.id,
        title,
        link: visible ? `/posts/${post.id}/goto` : `/c/${community.slug}`,
        threadId: post.type === 'question' ? post.id : post.questionId,
        community,
        at,
      };
      if (flaggerIds.length > 0) await this.notifier.flagsResolved(actor, flaggerIds, notice, outcome);
      if (warning !== null) await this.notifier.warned(actor, post.authorId, warning, notice);
    } catch (err) {
      this.log?.error({ event: 'moderation-notify', post: post.id, err: err instanceof Error ? err.message : String(err) }, 'moderation notification not sent');
    }
  }

  async settings(): Promise<ModerationSettings> {
    return parseSettings(await this.meta.get(SETTINGS_KEY));
  }

  /** Site admins change the trust and moderation settings; the change is audited with before and after. */
  async saveSettings(user: User, form: Record<string, string>): Promise<ModerationSettings> {
    if (!user.isAdmin) throw new ForbiddenError();
    const { settings, errors } = checkSettingsForm(form);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    await this.repo.saveSetting(SETTINGS_KEY, JSON.stringify(settings), user.id, this.now());
    return settings;
  }

  /** `known.membership`: the user's membership of the community when the caller has just read it. */
  async access(user: User | null, communityId: string, known?: { membership: Membership | null }): Promise<Access> {
    if (!user) return { membership: null, moderator: false, staff: false, suspended: false };
    const [membership, active] = await Promise.all([known ? known.membership : this.memberships.find(communityId, user.id), this.viewerSuspensions.of(user)]);
    const suspended = active.some((s) => s.communityId === null || s.communityId === communityId);
    // A suspended moderator keeps reading but acts as nobody until the suspension ends.
    return { membership, moderator: isModerator(user, membership) && !suspended, staff: isStaff(membership), suspended };
  }

  private async requireModerator(user: User, communityId: string): Promise<Access> {
    const access = await this.access(user, communityId);
    if (!access.moderator) throw new ForbiddenError('mod.onlyModerators');
    return access;
  }

  /* ----- suspensions ----- */

  /** The suspend form: the account, its suspensions in force, and where the viewer may suspend. */
  async suspendForm(user: User, username: string): Promise<{ target: User; active: Array<Suspension & { canLift: boolean }>; communities: Community[]; siteWide: boolean }> {
    const target = await this.users.findByUsername(username);
    if (!target) throw new NotFoundError('user.notFound');
    const communities = await this.moderatedCommunities(user);
    if (communities.length === 0) throw new ForbiddenError('mod.onlyModerators');
    const active = await this.repo.activeSuspensions(target.id, this.now());
    const ids = new Set(communities.map((c) => c.id));
    return { target, communities, siteWide: user.isAdmin, active: active.map((s) => ({ ...s, canLift: user.isAdmin || (s.communityId !== null && ids.has(s.communityId)) })) };
  }

  /** Communities the user moderates (every one for a site admin). */
  async moderatedCommunities(user: User): Promise<Community[]> {
    if (user.isAdmin) return this.communities.list();
    const mine = await this.memberships.listForUser(user.id);
    return mine.filter((m) => m.membership.role === 'moderator').map((m) => m.community);
  }

  /**
   * Suspends an account in one community (its moderators) or everywhere (site admins only),
   * for a number of days or for good; every session of the account ends. With `postId`, the
   * flags on that post are resolved as "suspended".
   */
  async suspend(user: User, input: { username: string; community: string; days: string; reason: string; postId: string }): Promise<{ target: User; suspension: Suspension }> {
    const target = await this.users.findByUsername(input.username);
    if (!target) throw new NotFoundError('user.notFound');
    const errors: FieldErrors = {};
    let communityId: string | null = null;
    if (input.community === '') {
      if (!user.isAdmin) throw new ForbiddenError('mod.suspend.siteWideAdminsOnly');
    } else {
      const community = await this.communities.getBySlug(input.community).catch(() => null);
      if (!community) errors.community = { key: 'mod.suspend.communityRequired' };
      else {
        await this.requireModerator(user, community.id);
        communityId = community.id;
      }
    }
    if (target.id === user.id) throw new ForbiddenError('mod.suspend.self');
    if (target.isAdmin && !user.isAdmin) throw new ForbiddenError('mod.onlyModerators');
    const days = input.days === 'permanent' ? null : /^\d{1,4}$/.test(input.days) && Number(input.days) >= 1 && Number(input.days) <= 3650 ? Number(input.days) : NaN;
    if (Number.isNaN(days)) errors.days = { key: 'mod.suspend.daysInvalid' };
    const reason = input.reason.trim();
    if (reason === '') errors.reason = { key: 'mod.reasonRequired' };
    if (Array.from(reason).length > MAX_REASON) errors.reason = { key: 'mod.reasonTooLong', params: { max: MAX_REASON } };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const now = this.now();
    const suspension = await this.repo.suspend({ userId: target.id, communityId, reason, endsAt: days === null ? null : now + days! * 86_400_000, actorId: user.id, now });
    this.viewerSuspensions.forget();
    if (/^[1-9]\d{0,15}$/.test(input.postId)) {
      const post = await this.repo.findPostAny(input.postId);
      if (post && post.authorId === target.id && (communityId === null || post.communityId === communityId)) {
        const flaggers = await this.repo.resolveFlags(post.id, user.id, 'suspended', reason, now).catch(() => [] as string[]);
        if (flaggers.length > 0) await this.tell(user, post, now, 'suspended', flaggers, null);
      }
    }
    return { target, suspension };
  }

  async unsuspend(user: User, suspensionId: string, reason: string): Promise<{ target: User }> {
    const s = await this.repo.findSuspension(suspensionId);
    if (!s) throw new NotFoundError('mod.suspension.notFound');
    if (s.communityId === null ? !user.isAdmin : !(await this.access(user, s.communityId)).moderator) throw new ForbiddenError('mod.onlyModerators');
    await this.repo.unsuspend(s.id, user.id, checkReason(reason, false), this.now());
    this.viewerSuspensions.forget();
    const target = await this.users.findById(s.userId);
    if (!target) throw new NotFoundError('user.notFound');
    return { target };
  }

  /** The viewer's own suspensions in force (shown to them on every page). */
  async activeSuspensions(user: User): Promise<Suspension[]> {
    return this.viewerSuspensions.of(user);
  }

  /** Any post (deleted ones too); a malformed or unknown id is not found. */
  async requirePostAny(postId: string): Promise<Post> {
    const post = await this.repo.findPostAny(postId);
    if (!post) throw new NotFoundError('qa.postNotFound');
    return post;
  }

  async community(id: string): Promise<Community> {
    const c = await this.communities.byId(id);
    if (!c) throw new NotFoundError('community.notFound');
    return c;
  }

  async stateOf(postId: string): Promise<PostModeration | null> {
    return (await this.repo.states([postId])).get(postId) ?? null;
  }

  async states(postIds: string[]): Promise<Map<string, PostModeration>> {
    return this.repo.states(postIds);
  }

  async questionModeration(viewer: User | null, community: Community, question: Question, answers: Answer[]): Promise<QuestionModeration> {
    return this.viewerModeration(viewer, community, question, answers, await this.threadModeration(community, question, answers));
  }

  /**
   * What a thread's moderation looks like for everybody (post states, the duplicate's original,
   * the close-vote settings). The same for every viewer, so the question page may keep it
   * while nothing is written (src/services/qa/thread-reader.ts).
   */
  async threadModeration(community: Community, question: Question, answers: Answer[]): Promise<ThreadModeration> {
    const [states, settings, deleted] = await Promise.all([
      this.repo.states([question.id, ...answers.map((a) => a.id)]),
      this.settings(),
      // All of them, once for every reader: each reader is shown only those they may see.
      this.repo.deletedAnswers(question.id),
    ]);
    const deletedStates = await this.repo.states(deleted.map((a) => a.id));
    const state = states.get(question.id) ?? null;
    let original: QuestionModeration['original'] = null;
    if (state?.duplicateOf) {
      const q = await this.posts.findQuestion(state.duplicateOf);
      if (q) original = { id: q.id, title: q.title, url: `/c/${community.slug}/q/${q.id}/${encodeURIComponent(q.slug)}` };
    }
    const answerStates = new Map(states);
    answerStates.delete(question.id);
    return { question: state, answers: answerStates, original, settings, deleted: deleted.map((answer) => ({ answer, state: deletedStates.get(answer.id) ?? null })) };
  }

  /** The viewer's side of a thread's moderation: their role, close votes, flags and own deleted answers. */
  async viewerModeration(
    viewer: User | null,
    community: Community,
    question: Question,
    answers: Answer[],
    thread: ThreadModeration,
    known?: { membership: Membership | null },
  ): Promise<QuestionModeration> {
    const postIds = [question.id, ...answers.map((a) => a.id)];
    const access = await this.access(viewer, community.id, known);
    // A moderator sees every deleted answer of the thread, a member only their own (as deletedAnswersFor).
    const deletedAnswers = !viewer ? [] : access.moderator ? thread.deleted : thread.deleted.filter((d) => d.answer.authorId === viewer.id);
    const canVoteClose = Boolean(viewer && !access.moderator && !access.suspended && access.membership && viewer.reputation >= thread.settings.closeVoteReputation);
    const [votes, flagged] = await Promise.all([
      // The close-vote counts show only to those who may vote or close (mod-post-tools.eta).
      access.moderator || canVoteClose ? this.repo.closeVotes(question.id, viewer?.id ?? null) : Promise.resolve({ close: 0, reopen: 0, mine: [] }),
      viewer ? this.repo.flaggedBy(viewer.id, postIds) : Promise.resolve(new Set<string>()),
    ]);
    return {
      question: thread.question,
      answers: thread.answers,
      original: thread.original,
      access,
      canVoteClose,
      votes,
      votesNeeded: thread.settings.closeVotesNeeded,
      deletedAnswers,
      flagged,
      canFlag: canPostIn(viewer, access.membership) && !access.suspended,
    };
  }

  /* ----- flags and the review queue ----- */

  async flag(user: User, postId: string, input: { reason: string; text: string }): Promise<{ post: Post; question: Question; community: Community; hidden: boolean }> {
    const post = await this.posts.findPost(postId);
    if (!post) throw new NotFoundError('qa.postNotFound');
    const access = await this.access(user, post.communityId);
    if (!canPostIn(user, access.membership)) throw new ForbiddenError('qa.joinToParticipate');
    if (post.authorId === user.id) throw new ForbiddenError('mod.flag.own');
    await assertNotSuspended(this.repo, user, post.communityId, this.now());
    const errors: FieldErrors = {};
    const reason = (FLAG_REASONS as readonly string[]).includes(input.reason) ? (input.reason as FlagReason) : null;
    if (!reason) errors.reason = { key: 'mod.flag.reasonRequired' };
    const text = input.text.trim();
    if (reason === 'other' && text === '') errors.text = { key: 'mod.flag.textRequired' };
    if (Array.from(text).length > MAX_REASON) errors.text = { key: 'mod.reasonTooLong', params: { max: MAX_REASON } };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const settings = await this.settings();
    const hit = await this.rateLimits.hit(`flag:${user.id}`, 3_600_000, this.now());
    if (hit.count > settings.flagsPerHour) throw new TooManyRequestsError('mod.flag.tooMany', Math.max(1, Math.ceil((hit.resetAt - this.now()) / 1000)));
    const result = await this.repo.addFlag({ postId: post.id, userId: user.id, reason: reason!, text, now: this.now() }, settings.flagsToHide);
    const question = post.type === 'question' ? post : await this.requireQuestion(post.questionId);
    return { post, question, community: await this.community(post.communityId), hidden: result.hidden };
  }

  /** The review queue of one community (moderators; staff read it) or, with no slug, of the whole site (admins). */
  async reviewQueue(user: User, slug: string | null, sort: ReviewSort): Promise<{ community: Community | null; canAct: boolean; items: ReviewItem[] }> {
    let community: Community | null = null;
    let canAct = user.isAdmin;
    if (slug === null) {
      if (!user.isAdmin) throw new ForbiddenError();
    } else {
      community = await this.communities.getBySlug(slug);
      const access = await this.access(user, community.id);
      if (!access.moderator && !access.staff) throw new ForbiddenError('mod.onlyModerators');
      canAct = access.moderator;
    }
    const queue = await this.repo.flagQueue(community?.id ?? null, sort, 100);
    const posts = await Promise.all(queue.map((q) => this.repo.findPostAny(q.postId)));
    const questionIds = posts.flatMap((p) => (p && p.type === 'answer' ? [p.questionId] : []));
    const questions = new Map((await Promise.all(questionIds.map((id) => this.repo.findPostAny(id)))).flatMap((q) => (q && q.type === 'question' ? [[q.id, q] as const] : [])));
    const states = await this.repo.states(queue.map((q) => q.postId));
    const userIds = new Set<string>();
    for (const [i, item] of queue.entries()) {
      if (posts[i]) userIds.add(posts[i]!.authorId);
      for (const f of item.flags) userIds.add(f.userId);
    }
    const users = new Map((await this.users.findManyByIds([...userIds])).map((u) => [u.id, u]));
    const communities = new Map((await this.communities.list()).map((c) => [c.id, c]));
    const items: ReviewItem[] = [];
    for (const [i, item] of queue.entries()) {
      const post = posts[i];
      if (!post) continue;
      const question = post.type === 'question' ? post : questions.get(post.questionId);
      const c = communities.get(post.communityId);
      if (!question || !c) continue;
      items.push({ post, question, community: c, flags: item.flags, state: states.get(post.id) ?? null, author: users.get(post.authorId) ?? null, users });
    }
    return { community, canAct, items };
  }

  /** One review action on a flagged post; each resolves its flags with the matching outcome. */
  async review(user: User, postId: string, input: { action: string; reason: string; closeReason: string }): Promise<{ community: Community; outcome: FlagOutcome }> {
    const post = await this.requirePostAny(postId);
    await this.requireModerator(user, post.communityId);
    const community = await this.community(post.communityId);
    const action = input.action;
    const reason = input.reason.trim();
    if (Array.from(reason).length > MAX_REASON) throw new ValidationError({ reason: { key: 'mod.reasonTooLong', params: { max: MAX_REASON } } });
    const outcome = REVIEW_OUTCOMES[action];
    if (!outcome) throw new ValidationError({ action: { key: 'mod.review.unknownAction' } });
    const state = await this.stateOf(post.id);
    const now = this.now();
    switch (outcome) {
      case 'deleted':
        if (post.deletedAt === null || state?.hiddenAt != null) await this.repo.softDelete(post.id, user.id, checkReason(reason, true), now);
        break;
      case 'locked':
        if (post.deletedAt !== null) throw new ValidationError({ action: { key: 'mod.review.deletedPost' } });
        if (state?.lockedAt == null) await this.repo.lock(post.id, user.id, checkReason(reason, true), now);
        break;
      case 'closed': {
        if (post.type !== 'question' || post.deletedAt !== null) throw new ValidationError({ action: { key: 'mod.review.closeQuestionsOnly' } });
        const closeReason = (CLOSE_REASONS as readonly string[]).includes(input.closeReason) && input.closeReason !== 'duplicate' ? (input.closeReason as CloseReason) : null;
        if (!closeReason) throw new ValidationError({ closeReason: { key: 'mod.close.reasonRequired' } });
        if (state?.closedAt == null) await this.repo.close({ questionId: post.id, actorId: user.id, reason: closeReason, duplicateOf: null, note: reason, now });
        break;
      }
      case 'warned':
        await this.repo.record({ actorId: user.id, action: 'user.warn', communityId: post.communityId, targetType: 'user', targetId: post.authorId, reason: checkReason(reason, true), after: JSON.stringify({ post: post.id }), now });
        break;
      default:
        break;
    }
    const flaggers = await this.repo.resolveFlags(post.id, user.id, outcome, reason, now);
    await this.tell(user, post, now, outcome, flaggers, outcome === 'warned' ? reason : null);
    return { community, outcome };
  }

  async flagsByUser(userId: string, limit = 50): Promise<Flag[]> {
    return this.repo.flagsByUser(userId, limit);
  }

  /* ----- audit log ----- */

  /** Site-wide log for admins, filtered by community, action and actor (a username). */
  async siteAudit(user: User, filter: { community?: string; action?: string; actor?: string; before?: string }): Promise<AuditPage & { filter: { community: string; action: string; actor: string } }> {
    if (!user.isAdmin) throw new ForbiddenError();
    const community = filter.community ? await this.communities.getBySlug(filter.community).catch(() => null) : null;
    const actor = filter.actor ? await this.users.findByUsername(filter.actor) : null;
    const action = (AUDIT_ACTIONS as readonly string[]).includes(filter.action ?? '') ? (filter.action as AuditAction) : undefined;
    const unknownFilter = (filter.community && !community) || (filter.actor && !actor);
    const page = unknownFilter
      ? { entries: [], users: new Map(), communities: new Map(), nextBeforeId: null }
      : await this.auditPage({ communityId: community?.id, actorId: actor?.id, action, beforeId: filter.before });
    return { ...page, filter: { community: filter.community ?? '', action: action ?? '', actor: filter.actor ?? '' } };
  }

  /** One community's log, for its moderators (and staff, read-only) and admins. */
  async communityAudit(user: User, slug: string, filter: { action?: string; before?: string }): Promise<AuditPage & { community: Community; action: string }> {
    const community = await this.communities.getBySlug(slug);
    const access = await this.access(user, community.id);
    if (!access.moderator && !access.staff) throw new ForbiddenError('mod.onlyModerators');
    const action = (AUDIT_ACTIONS as readonly string[]).includes(filter.action ?? '') ? (filter.action as AuditAction) : undefined;
    return { ...(await this.auditPage({ communityId: community.id, action, beforeId: filter.before })), community, action: action ?? '' };
  }

  private async auditPage(filter: { communityId?: string; actorId?: string; action?: AuditAction; beforeId?: string }): Promise<AuditPage> {
    const beforeId = filter.beforeId && /^[1-9]\d{0,15}$/.test(filter.beforeId) ? filter.beforeId : undefined;
    const rows = await this.repo.listAudit({ ...filter, beforeId, limit: AUDIT_PAGE_SIZE + 1 });
    const entries = rows.slice(0, AUDIT_PAGE_SIZE);
    const userIds = new Set<string>();
    for (const e of entries) {
      if (e.actorId) userIds.add(e.actorId);
      if (e.targetType === 'user') userIds.add(e.targetId);
    }
    const users = new Map((await this.users.findManyByIds([...userIds])).map((u) => [u.id, u]));
    const communities = new Map((await this.communities.list()).map((c) => [c.id, c]));
    return { entries, users, communities, nextBeforeId: rows.length > AUDIT_PAGE_SIZE ? entries[entries.length - 1]!.id : null };
  }

  /* ----- close and reopen ----- */

  /** The close form: the question, the viewer's standing, and duplicate candidates found with the search engine. */
  async closeForm(user: User, questionId: string, query: string): Promise<{ question: Question; community: Community; access: Access; settings: ModerationSettings; candidates: DuplicateCandidate[]; state: PostModeration | null; votes: { close: number; reopen: number; mine: Array<'close' | 'reopen'> } }> {
    const question = await this.requireQuestion(questionId);
    const community = await this.community(question.communityId);
    const access = await this.access(user, community.id);
    const settings = await this.settings();
    this.requireCloser(user, access, settings);
    const q = (query.trim() || question.title).slice(0, 200);
    // A suggestion list, not a step: with the engine down the form still takes an id or URL.
    const result = await this.engine.search({ q, filters: { community: community.id, kind: 'question' }, sort: 'relevance', page: 1, hitsPerPage: 8 }).catch(() => ({ hits: [] }));
    const candidates = result.hits
      .filter((h) => h.id !== question.id)
      .map((h) => ({ id: h.id, title: h.title, url: `/c/${community.slug}/q/${h.id}/${encodeURIComponent(h.slug)}`, answerCount: h.answerCount, score: h.score }));
    const [state, votes] = await Promise.all([this.stateOf(question.id), this.repo.closeVotes(question.id, user.id)]);
    return { question, community, access, settings, candidates, state, votes };
  }

  private requireCloser(user: User, access: Access, settings: ModerationSettings): void {
    if (access.moderator) return;
    if (access.suspended) throw new ForbiddenError('mod.suspended');
    if (!access.membership) throw new ForbiddenError('qa.joinToParticipate');
    if (user.reputation < settings.closeVoteReputation) throw new ForbiddenError('mod.closeNeedsReputation');
  }

  /**
   * A moderator closes at once; a member with enough reputation casts a close vote, and the
   * question closes when enough votes agree. Returns whether it is closed now.
   */
  async close(user: User, questionId: string, input: { reason: string; duplicateOf: string; note: string }): Promise<{ question: Question; community: Community; closed: boolean; votes: number }> {
    const question = await this.requireQuestion(questionId);
    const community = await this.community(question.communityId);
    const access = await this.access(user, community.id);
    const settings = await this.settings();
    this.requireCloser(user, access, settings);
    const errors: FieldErrors = {};
    const reason = (CLOSE_REASONS as readonly string[]).includes(input.reason) ? (input.reason as CloseReason) : null;
    if (!reason) errors.reason = { key: 'mod.close.reasonRequired' };
    const note = input.note.trim();
    if (Array.from(note).length > MAX_REASON) errors.note = { key: 'mod.reasonTooLong', params: { max: MAX_REASON } };
    let duplicateOf: string | null = null;
    if (reason === 'duplicate') {
      duplicateOf = duplicateIdFrom(input.duplicateOf);
      const original = duplicateOf ? await this.posts.findQuestion(duplicateOf) : null;
      if (!duplicateOf || !original) errors.duplicateOf = { key: 'mod.close.duplicateRequired' };
      else if (original.id === question.id) errors.duplicateOf = { key: 'mod.close.duplicateSelf' };
      else if (original.communityId !== question.communityId) errors.duplicateOf = { key: 'mod.close.duplicateOtherCommunity' };
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const closeInput = { questionId: question.id, actorId: user.id, reason: reason!, duplicateOf, note, now: this.now() };
    if (access.moderator) {
      await this.repo.close(closeInput);
      return { question, community, closed: true, votes: 0 };
    }
    const result = await this.repo.castCloseVote({ ...closeInput, kind: 'close' }, settings.closeVotesNeeded);
    return { question, community, closed: result.changed, votes: result.tally.close };
  }

  async reopen(user: User, questionId: string, note: string): Promise<{ question: Question; community: Community; reopened: boolean }> {
    const question = await this.requireQuestion(questionId);
    const community = await this.community(question.communityId);
    const access = await this.access(user, community.id);
    const settings = await this.settings();
    this.requireCloser(user, access, settings);
    const reason = checkReason(note, false);
    if (access.moderator) {
      await this.repo.reopen(question.id, user.id, reason, this.now());
      return { question, community, reopened: true };
    }
    const result = await this.repo.castCloseVote({ questionId: question.id, actorId: user.id, kind: 'reopen', reason: 'resolved', duplicateOf: null, note: reason, now: this.now() }, settings.closeVotesNeeded);
    return { question, community, reopened: result.changed };
  }

  /* ----- lock ----- */

  async lock(user: User, postId: string, reasonText: string): Promise<{ post: Post; question: Question; community: Community }> {
    const { post, question, community } = await this.moderatedPost(user, postId, false);
    await this.repo.lock(post.id, user.id, checkReason(reasonText, true), this.now());
    return { post, question, community };
  }

  async unlock(user: User, postId: string, reasonText: string): Promise<{ post: Post; question: Question; community: Community }> {
    const { post, question, community } = await this.moderatedPost(user, postId, false);
    await this.repo.unlock(post.id, user.id, checkReason(reasonText, false), this.now());
    return { post, question, community };
  }

  /* ----- delete ----- */

  async softDelete(user: User, postId: string, reasonText: string): Promise<{ post: Post; question: Question; community: Community }> {
    const { post, question, community } = await this.moderatedPost(user, postId, true);
    await this.repo.softDelete(post.id, user.id, checkReason(reasonText, true), this.now());
    return { post, question, community };
  }

  async undelete(user: User, postId: string, reasonText: string): Promise<{ post: Post; question: Question; community: Community }> {
    const { post, question, community } = await this.moderatedPost(user, postId, true);
    await this.repo.undelete(post.id, user.id, checkReason(reasonText, false), this.now());
    return { post, question, community };
  }

  /** Deleted answers of a question, for the people who may still see them (moderators, each author). */
  async deletedAnswersFor(viewer: User | null, question: Question): Promise<Array<{ answer: Answer; state: PostModeration | null }>> {
    if (!viewer) return [];
    return this.deletedAnswersWith(viewer, await this.access(viewer, question.communityId), question);
  }

  private async deletedAnswersWith(viewer: User, access: Access, question: Question): Promise<Array<{ answer: Answer; state: PostModeration | null }>> {
    // A member sees only their own: read only those (not every deleted body of the thread).
    const visible = await this.repo.deletedAnswers(question.id, access.moderator ? undefined : viewer.id);
    const states = await this.repo.states(visible.map((a) => a.id));
    return visible.map((answer) => ({ answer, state: states.get(answer.id) ?? null }));
  }

  /** A deleted question for its author or a moderator; anyone else gets not found. */
  async deletedQuestionFor(viewer: User | null, questionId: string): Promise<{ question: Question; community: Community; state: PostModeration | null; canModerate: boolean } | null> {
    if (!viewer || !/^[1-9]\d{0,15}$/.test(questionId)) return null;
    const post = await this.repo.findPostAny(questionId);
    if (!post || post.type !== 'question' || post.deletedAt === null) return null;
    const access = await this.access(viewer, post.communityId);
    if (!access.moderator && post.authorId !== viewer.id) return null;
    return { question: post, community: await this.community(post.communityId), state: await this.stateOf(post.id), canModerate: access.moderator };
  }

  /** A post (deleted or not, as `allowDeleted` says) that the user moderates, with its thread. */
  private async moderatedPost(user: User, postId: string, allowDeleted: boolean): Promise<{ post: Post; question: Question; community: Community }> {
    const post = await this.requirePostAny(postId);
    if (!allowDeleted && post.deletedAt !== null) throw new NotFoundError('qa.postNotFound');
    await this.requireModerator(user, post.communityId);
    const question = post.type === 'question' ? post : await this.repo.findPostAny(post.questionId);
    if (!question || question.type !== 'question') throw new NotFoundError('qa.questionNotFound');
    return { post, question, community: await this.community(post.communityId) };
  }

  private async requireQuestion(id: string): Promise<Question> {
    const q = await this.posts.findQuestion(id);
    if (!q) throw new NotFoundError('qa.questionNotFound');
    return q;
  }
}

/** Review actions and the outcome each records on the flags (suspending is on the suspension form). */
const REVIEW_OUTCOMES: Record<string, FlagOutcome> = {
  dismiss: 'dismissed',
  edited: 'edited',
  delete: 'deleted',
  lock: 'locked',
  close: 'closed',
  warn: 'warned',
};

export interface ReviewItem {
  post: Post;
  question: Question;
  community: Community;
  flags: Flag[];
  state: PostModeration | null;
  author: User | null;
  users: Map<string, User>;
}

/** A duplicate given as an id or as a question URL (pasted from the address bar). */
export function duplicateIdFrom(raw: string): string | null {
  const text = raw.trim();
  if (/^[1-9]\d{0,15}$/.test(text)) return text;
  const m = /\/q\/([1-9]\d{0,15})(?:[/?#]|$)/.exec(text);
  return m ? m[1]! : null;
}

function checkReason(text: string, required: boolean): string {
  const reason = text.trim();
  if (required && reason === '') throw new ValidationError({ reason: { key: 'mod.reasonRequired' } });
  if (Array.from(reason).length > MAX_REASON) throw new ValidationError({ reason: { key: 'mod.reasonTooLong', params: { max: MAX_REASON } } });
  return reason;
}

/** What a question page needs from moderation: banners, the viewer's tools, deleted answers. */
export interface ThreadModeration {
  question: PostModeration | null;
  answers: Map<string, PostModeration>;
  original: { id: string; title: string; url: string } | null;
  settings: ModerationSettings;
  /** Every deleted answer of the thread with its state, oldest first. */
  deleted: Array<{ answer: Answer; state: PostModeration | null }>;
}

export interface QuestionModeration {
  question: PostModeration | null;
  answers: Map<string, PostModeration>;
  original: { id: string; title: string; url: string } | null;
  access: Access;
  canVoteClose: boolean;
  votes: { close: number; reopen: number; mine: Array<'close' | 'reopen'> };
  votesNeeded: number;
  deletedAnswers: Array<{ answer: Answer; state: PostModeration | null }>;
  /** Posts on the page the viewer has flagged already. */
  flagged: Set<string>;
  canFlag: boolean;
}
