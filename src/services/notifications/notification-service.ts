import type { MailStorage, NotificationDelivery, NotificationRecord, NotificationWrite, UserRepository, WatchTarget } from '../../db/ports.js';
import { DEFAULT_DELIVERY, DELIVERIES, effectiveDelivery, NOTIFICATION_KINDS, type NotificationKind } from '../../domain/notification-kinds.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Answer, Comment, Post, Question } from '../../domain/qa-types.js';
import type { Community, Locale, User } from '../../domain/types.js';
import { translate } from '../../i18n/index.js';
import type { FaqEntry } from '../../domain/faq-types.js';
import type { MailComposer } from '../mail/compose.js';

/** What happened, as shown in the inbox; each maps to the preference kind that decides delivery. */
export const EVENTS = ['answer', 'staff_answer', 'answer_watched', 'comment', 'accepted', 'mention', 'new_question', 'faq_promoted'] as const;
export type NotificationEvent = (typeof EVENTS)[number];
export const DELIVERY_KIND: Record<NotificationEvent, NotificationKind> = {
  answer: 'answer',
  staff_answer: 'staff_answer',
  answer_watched: 'watched',
  comment: 'comment',
  accepted: 'accepted',
  mention: 'mention',
  new_question: 'watched',
  faq_promoted: 'faq_promoted',
};

/** Several events on one thread within this window give one mail (the inbox shows each). */
export const BATCH_WINDOW_MS = 10 * 60_000;
export const INBOX_PAGE_SIZE = 20;
const MENTION = /(?:^|[^\p{L}\p{N}_@-])@([\p{L}\p{N}_-]{2,30})/gu;
const MAX_MENTIONS = 10;

export interface NotificationLog {
  error(obj: object, msg: string): void;
}

/** Which watch targets exist (a tag is "<communityId>:<tag>"); set by the composition root. */
export type WatchTargetCheck = (type: WatchTarget, targetId: string) => Promise<boolean>;

/**
 * The Q&A events the notifier hears, from the event worker (src/services/notifications/
 * event-worker.ts), each with the time the event happened. They throw on failure, so that the
 * worker retries the event; running one twice records nothing new (the keys are unique).
 */
export interface QaNotifier {
  asked(actor: User, question: Question, community: Community, at: number): Promise<void>;
  answered(actor: User, question: Question, answer: Answer, community: Community, at: number): Promise<void>;
  commented(actor: User, post: Post, comment: Comment, question: Question, community: Community, at: number): Promise<void>;
  accepted(actor: User, question: Question, answerId: string, community: Community, at: number): Promise<void>;
  /** An answer became an FAQ entry; no actor when auto-published by its score. */
  faqPublished(actor: User | null, community: Community, entry: FaqEntry, at: number): Promise<void>;
}

interface Recipient {
  userId: string;
  event: NotificationEvent;
  /** Unique per event and member ("answer:12"). */
  key: string;
}

interface EventContext {
  /** Null when nobody acted (an answer auto-published into the FAQ by its score). */
  actor: User | null;
  /** The question the event belongs to: mails batch per thread. */
  thread: Pick<Question, 'id' | 'title'>;
  community: Community;
  link: string;
  /** Excerpt of what was written. */
  excerpt: string;
  /** When it happened: the notifications' time and the mail batching window count from here. */
  at: number;
}

export function questionPath(community: Community, question: Pick<Question, 'id' | 'slug'>): string {
  return `/c/${community.slug}/q/${question.id}/${encodeURIComponent(question.slug)}`;
}

/** Usernames mentioned as @name in a text, at most MAX_MENTIONS, in order. */
export function mentionedUsernames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(MENTION)) {
    const name = m[1]!.replace(/[-_]+$/, '');
    if (name.length >= 2 && !names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
    if (names.length >= MAX_MENTIONS) break;
  }
  return names;
}

/*
 * Turns Q&A and FAQ events into notifications: who hears of what, by which way (the member's
 * preferences), in their language. Each event's notifications and mails are written in one
 * atomic step (NotificationRepository.record). The events come from the event worker
 * (event-worker.ts), which retries a failure, so these methods throw rather than log.
 */
export class NotificationService implements QaNotifier {
  constructor(
    private readonly mail: MailStorage,
    private readonly users: UserRepository,
    private readonly isVerified: (user: User) => Promise<boolean>,
    private readonly composer: MailComposer,
    private readonly wake: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  async asked(actor: User, question: Question, community: Community, at: number): Promise<void> {
    await this.mail.watches.watch(actor.id, 'question', question.id, at);
    const watchers = new Set(await this.mail.watches.watchers('community', community.id));
    for (const tag of question.tags) for (const w of await this.mail.watches.watchers('tag', `${community.id}:${tag}`)) watchers.add(w);
    const recipients: Recipient[] = [
      ...(await this.mentions(question.bodyText, `mention:q${question.id}`)),
      ...[...watchers].map((userId) => ({ userId, event: 'new_question' as const, key: `question:${question.id}` })),
    ];
    await this.deliver(recipients, { actor, thread: question, community, link: questionPath(community, question), excerpt: question.bodyText, at });
  }

  async answered(actor: User, question: Question, answer: Answer, community: Community, at: number): Promise<void> {
    // Answerers follow the thread from now on, as the asker does.
    await this.mail.watches.watch(actor.id, 'question', question.id, at);
    const watchers = await this.mail.watches.watchers('question', question.id);
    // A staff reply in a business community is what the customer waits for: it says so
    // (its own kind, so it can be mailed even when plain answers are not), instead of, not
    // besides, "answered your question".
    const staff = await this.isStaff(community, actor.id);
    const recipients: Recipient[] = [
      { userId: question.authorId, event: staff ? 'staff_answer' : 'answer', key: `answer:${answer.id}` },
      ...(await this.mentions(answer.bodyText, `mention:a${answer.id}`)),
      ...watchers.map((userId) => ({ userId, event: 'answer_watched' as const, key: `answer:${answer.id}` })),
    ];
    await this.deliver(recipients, { actor, thread: question, community, link: `${questionPath(community, question)}?a=${answer.id}`, excerpt: answer.bodyText, at });
  }

  async commented(actor: User, post: Post, comment: Comment, question: Question, community: Community, at: number): Promise<void> {
    const link = post.type === 'answer' ? `${questionPath(community, question)}?a=${post.id}` : questionPath(community, question);
    const recipients: Recipient[] = [
      { userId: post.authorId, event: 'comment', key: `comment:${comment.id}` },
      ...(await this.mentions(comment.body, `mention:c${comment.id}`)),
    ];
    await this.deliver(recipients, { actor, thread: question, community, link, excerpt: comment.body, at });
  }

  async accepted(actor: User, question: Question, answerId: string, community: Community, at: number): Promise<void> {
    const author = await this.answerAuthor(answerId);
    if (!author) return;
    await this.deliver([{ userId: author, event: 'accepted', key: `accepted:${answerId}` }], { actor, thread: question, community, link: `${questionPath(community, question)}?a=${answerId}`, excerpt: '', at });
  }

  async faqPublished(actor: User | null, community: Community, entry: FaqEntry, at: number): Promise<void> {
    if (!entry.sourceAnswerId || !entry.sourceQuestionId) return;
    const author = await this.answerAuthor(entry.sourceAnswerId);
    if (!author) return;
    const link = `/c/${community.slug}/faq/e/${entry.id}/${encodeURIComponent(entry.slug)}`;
    await this.deliver([{ userId: author, event: 'faq_promoted', key: `faq:${entry.sourceAnswerId}` }], { actor, thread: { id: entry.sourceQuestionId, title: entry.title }, community, link, excerpt: '', at });
  }

  /** Set by the composition root: reads an answer's author (the notifier holds no post repository). */
  answerAuthor: (answerId: string) => Promise<string | null> = async () => null;
  /** Set by the composition root: whether the member answers as staff of this (business) community. */
  isStaff: (community: Community, userId: string) => Promise<boolean> = async () => false;
  /** Set by the composition root: a watch must name something that exists. */
  targetExists: WatchTargetCheck = async () => false;

  /** Set by the composition root when inbound mail is on: the member's signed reply address for a thread. */
  replyAddress: ((userId: string, questionId: string) => string) | null = null;

  /* ---------- inbox, preferences, watches ---------- */

  unreadCount(user: User): Promise<number> {
    return this.mail.notifications.unreadCount(user.id);
  }

  async inbox(user: User, page: number): Promise<{ items: Array<NotificationRecord & { actorName: string | null }>; hasNext: boolean; unread: number }> {
    const rows = await this.mail.notifications.list(user.id, (page - 1) * INBOX_PAGE_SIZE, INBOX_PAGE_SIZE + 1);
    const actors = new Map((await this.users.findManyByIds([...new Set(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])))])).map((u) => [u.id, u.username]));
    return {
      items: rows.slice(0, INBOX_PAGE_SIZE).map((r) => ({ ...r, actorName: r.actorId ? (actors.get(r.actorId) ?? null) : null })),
      hasNext: rows.length > INBOX_PAGE_SIZE,
      unread: await this.mail.notifications.unreadCount(user.id),
    };
  }

  /** Marks one read and returns where it points; NotFound when it is not the member's. */
  async open(user: User, id: string): Promise<string> {
    const rows = await this.mail.notifications.list(user.id, 0, 1000);
    const row = rows.find((r) => r.id === id);
    if (!row) throw new NotFoundError();
    await this.mail.notifications.markRead(user.id, id, this.now());
    return row.link;
  }

  markAllRead(user: User): Promise<number> {
    return this.mail.notifications.markAllRead(user.id, this.now());
  }

  async preferences(user: User): Promise<Record<NotificationKind, NotificationDelivery>> {
    const chosen = await this.mail.prefs.get(user.id);
    return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, chosen[k] ?? DEFAULT_DELIVERY[k]])) as Record<NotificationKind, NotificationDelivery>;
  }

  async setPreferences(user: User, form: Record<string, string | undefined>): Promise<void> {
    const errors: Record<string, { key: string }> = {};
    // A kind the form does not carry (a page opened before that kind existed, a script) keeps
    // its setting; a value that is not a delivery is refused.
    const given = NOTIFICATION_KINDS.filter((k) => (form[k] ?? '') !== '');
    for (const k of given) if (!(DELIVERIES as readonly string[]).includes(form[k]!)) errors[k] = { key: 'notify.prefs.invalid' };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    for (const k of given) await this.mail.prefs.set(user.id, k, form[k] as NotificationDelivery, this.now());
    // Saving the page is an explicit choice: it also lifts a one-click "no mail at all".
    await this.mail.prefs.set(user.id, '*', 'email', this.now());
  }

  /** NotFound for a target that does not exist (so nobody stores watches on made-up ids). */
  async setWatch(user: User, type: WatchTarget, targetId: string, on: boolean): Promise<void> {
    if (on && !(await this.targetExists(type, targetId))) throw new NotFoundError();
    if (on) await this.mail.watches.watch(user.id, type, targetId, this.now());
    else await this.mail.watches.unwatch(user.id, type, targetId);
  }

  isWatching(user: User, type: WatchTarget, targetId: string): Promise<boolean> {
    return this.mail.watches.isWatching(user.id, type, targetId);
  }

  /* ---------- delivery ---------- */

  private async mentions(text: string, key: string): Promise<Recipient[]> {
    const out: Recipient[] = [];
    for (const name of mentionedUsernames(text)) {
      const u = await this.users.findByUsername(name);
      if (u) out.push({ userId: u.id, event: 'mention', key });
    }
    return out;
  }

  /**
   * One notification per member (the first, most specific event wins: the asker hears
   * "answered your question", not also "a question you watch"); none for the actor.
   */
  private async deliver(recipients: Recipient[], ctx: EventContext): Promise<void> {
    const seen = new Set<string>(ctx.actor ? [ctx.actor.id] : []);
    const unique = recipients.filter((r) => (seen.has(r.userId) ? false : (seen.add(r.userId), true)));
    if (unique.length === 0) return;
    const users = new Map((await this.users.findManyByIds(unique.map((r) => r.userId))).map((u) => [u.id, u]));
    const profiles = await this.mail.accounts.profiles(unique.map((r) => r.userId));
    const now = ctx.at;
    const writes: NotificationWrite[] = [];
    for (const r of unique) {
      const user = users.get(r.userId);
      if (!user) continue;
      const delivery = effectiveDelivery(DELIVERY_KIND[r.event], await this.mail.prefs.get(user.id));
      if (delivery === 'off') continue;
      const notification = { userId: user.id, eventKey: `${r.event}:${r.key}`, kind: r.event, actorId: ctx.actor?.id ?? null, threadId: ctx.thread.id, title: ctx.thread.title, link: ctx.link, now };
      // Unverified addresses get no notification mail; 'digest' waits for the digest job.
      const mailIt = delivery === 'email' && (await this.isVerified(user));
      const locale: Locale = profiles.get(user.id)?.locale ?? ctx.community.defaultLocale;
      writes.push({
        notification,
        mail: mailIt ? await this.composeMail(user, locale, r, ctx, now) : null,
        batch: { prefix: `notify:${user.id}:t${ctx.thread.id}:`, since: now - BATCH_WINDOW_MS },
      });
    }
    if (writes.length === 0) return;
    await this.mail.notifications.record(writes);
    if (writes.some((w) => w.mail)) this.wake();
  }

  private async composeMail(user: User, locale: Locale, r: Recipient, ctx: EventContext, now: number) {
    const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
    const others = await this.mail.notifications.unreadOnThread(user.id, ctx.thread.id);
    const excerpt = ctx.excerpt.length > 400 ? `${ctx.excerpt.slice(0, 400)}…` : ctx.excerpt;
    return this.composer.compose(
      {
        to: user.email,
        userId: user.id,
        locale,
        kind: DELIVERY_KIND[r.event],
        idempotencyKey: `notify:${user.id}:t${ctx.thread.id}:${r.event}:${r.key}`,
        subject: t(`notify.mail.${r.event}`, { title: ctx.thread.title }),
        heading: t(`notify.event.${r.event}`, { actor: ctx.actor?.username ?? '', title: ctx.thread.title, community: ctx.community.name }),
        paragraphs: [ctx.thread.title, ...(others > 0 ? [t('notify.mail.moreOnThread', { count: others })] : [])],
        quote: excerpt || undefined,
        action: { url: ctx.link, label: t('notify.mail.open') },
        // Replying to the mail posts an answer on the thread (src/services/inbound).
        ...(this.replyAddress ? { replyTo: this.replyAddress(user.id, ctx.thread.id) } : {}),
      },
      now,
    );
  }
}
