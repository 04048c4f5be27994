import { createHash, randomBytes } from 'node:crypto';
import type { CommunityRepository, MailStorage, MembershipRepository, RateLimitRepository, UserRepository } from '../../db/ports.js';
import { DomainError, ValidationError } from '../../domain/errors.js';
import type { Question } from '../../domain/qa-types.js';
import type { Community, Locale, User } from '../../domain/types.js';
import { translate } from '../../i18n/index.js';
import type { MailService } from '../mail/mail-service.js';
import { questionPath } from '../notifications/notification-service.js';
import type { QuestionService } from '../qa/question-service.js';
import type { SupportService } from '../support/support-service.js';
import { clockFrom } from '../support/support-service.js';
import type { InboundAddresses, InboundRoute } from './addresses.js';
import { ackMail, confirmationMail, HELD_DAYS } from './inbound-mails.js';
import { InboundRefusal } from './inbound-refusal.js';
import { automatedReason } from './loop-guard.js';
import type { InboundMatcher, MatchLink } from './matcher.js';
import { bodyProblem, guessLocale, messageBody, messageTitle } from './message-content.js';
import { MalformedMessageError, parseMessage, type InboundMessage } from './parse-message.js';

/** A question needs a tag; mail that matches nothing similar gets this one, so staff can find it. */
export const FALLBACK_TAG = 'email';
const HOUR = 3_600_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type InboundOutcome =
  | { status: 'question'; questionId: string; userId: string }
  | { status: 'answer'; questionId: string; answerId: string; userId: string }
  | { status: 'held' }
  | { status: 'dropped'; reason: string };

export interface InboundLimits {
  maxBytes: number;
  maxPerSenderPerHour: number;
}

export interface InboundLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface InboundDeps {
  users: UserRepository;
  communities: CommunityRepository;
  memberships: MembershipRepository;
  rateLimits: RateLimitRepository;
  mailStorage: MailStorage;
  questions: QuestionService;
  support: SupportService;
  mail: MailService;
  isVerified: (user: User) => Promise<boolean>;
  matcher: InboundMatcher;
  addresses: InboundAddresses;
  /** Tells a running mail worker to look at the queue now. */
  wake: () => void;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A domain error from posting, as one English line for the refusal that goes back to the sender. */
function reasonOf(err: DomainError): string {
  if (err instanceof ValidationError) {
    return Object.values(err.fields).map((f) => translate('en', f.key, f.params)).join(' ');
  }
  return translate('en', err.messageKey, err.params);
}

/*
 * Support e-mail in (issue 11). A raw message, from the SMTP listener or POST /inbound/email,
 * is checked in full before anything is written: size, MIME, sender, machine-written mail
 * (dropped, never answered), recipient, the sender's hourly allowance, text. Then exactly one
 * of: a question by a verified member (tagged from similar threads, acknowledged at once), a
 * held message with its confirmation mail (one atomic write), or an answer posted from a reply
 * to a notification mail. A refusal (InboundRefusal) means nothing was stored.
 */
export class InboundService {
  constructor(
    private readonly deps: InboundDeps,
    private readonly limits: InboundLimits,
    private readonly now: () => number = Date.now,
    private readonly log: InboundLog | null = null,
  ) {}

  get addresses(): InboundAddresses {
    return this.deps.addresses;
  }

  get maxBytes(): number {
    return this.limits.maxBytes;
  }

  /** `envelope`: the SMTP RCPT TO addresses, which name the mailbox better than the headers. */
  async receive(raw: Buffer, envelope: string[] = []): Promise<InboundOutcome> {
    if (raw.length > this.limits.maxBytes) throw new InboundRefusal('too-large', `message larger than ${this.limits.maxBytes} bytes`);
    let msg: InboundMessage;
    try {
      msg = await parseMessage(raw);
    } catch (err) {
      if (err instanceof MalformedMessageError) {
        this.log?.warn({ reason: err.message, bytes: raw.length }, 'inbound mail refused: malformed');
        throw new InboundRefusal('malformed', `malformed message: ${err.message}`);
      }
      throw err;
    }
    const automated = automatedReason(msg);
    if (automated) {
      this.log?.info({ from: msg.from.address, reason: automated }, 'inbound mail dropped: written by a machine');
      return { status: 'dropped', reason: automated };
    }
    const route = [...envelope.map((a) => a.toLowerCase()), ...msg.recipients].map((a) => this.deps.addresses.route(a)).find((r): r is InboundRoute => r !== null);
    if (!route) throw new InboundRefusal('unknown-recipient', 'no such mailbox here');
    const sender = msg.from.address.toLowerCase();
    const { count } = await this.deps.rateLimits.hit(`inbound:sender:${sender}`, HOUR, this.now());
    if (count > this.limits.maxPerSenderPerHour) {
      this.log?.warn({ from: sender }, 'inbound mail refused: sender over the hourly limit');
      throw new InboundRefusal('rate-limited', 'too many messages from this address, try again later');
    }
    const body = messageBody(msg, route.kind === 'community');
    const problem = bodyProblem(body);
    if (problem) throw new InboundRefusal('rejected', problem);
    return route.kind === 'reply' ? this.reply(msg, route, body) : this.question(msg, route.slug, body);
  }

  private async reply(msg: InboundMessage, route: { userId: string; questionId: string }, body: string): Promise<InboundOutcome> {
    const user = await this.deps.users.findById(route.userId);
    if (!user) throw new InboundRefusal('unknown-recipient', 'no such mailbox here');
    // The address was given to this member only: someone else who learns it cannot post with it.
    if (user.email.toLowerCase() !== msg.from.address.toLowerCase()) throw new InboundRefusal('rejected', 'this reply address belongs to another sender');
    try {
      const { question, answer } = await this.deps.questions.answer(user, route.questionId, body);
      await this.hook('support reply', () => this.deps.support.afterReply(user, question, 'answer'));
      return { status: 'answer', questionId: question.id, answerId: answer.id, userId: user.id };
    } catch (err) {
      if (err instanceof DomainError) throw new InboundRefusal('rejected', reasonOf(err));
      throw err;
    }
  }

  private async question(msg: InboundMessage, slug: string, body: string): Promise<InboundOutcome> {
    const community = await this.deps.communities.findBySlug(slug);
    if (!community) throw new InboundRefusal('unknown-recipient', 'no such mailbox here');
    const title = messageTitle(msg, body);
    const tags = await this.tagsFor(community, `${title} ${body}`);
    const user = await this.deps.users.findByEmail(msg.from.address);
    const profile = user ? await this.deps.mailStorage.accounts.profile(user.id) : null;
    const locale = profile?.locale ?? guessLocale(msg, community.defaultLocale);
    try {
      this.deps.questions.checkDraft({ title, body, tags: tags.join(' ') });
    } catch (err) {
      if (err instanceof DomainError) throw new InboundRefusal('rejected', reasonOf(err));
      throw err;
    }
    if (user && (await this.deps.isVerified(user))) {
      const question = await this.publish(user, community, { title, body, tags }, locale);
      return { status: 'question', questionId: question.id, userId: user.id };
    }
    await this.hold(msg, community, { title, body, tags }, locale);
    return { status: 'held' };
  }

  private async tagsFor(community: Community, text: string): Promise<string[]> {
    const tags = await this.deps.matcher.suggestTags(community.id, text);
    return tags.length > 0 ? tags : [FALLBACK_TAG];
  }

  private async hold(msg: InboundMessage, community: Community, draft: { title: string; body: string; tags: string[] }, locale: Locale): Promise<void> {
    const token = randomBytes(32).toString('base64url');
    const tokenHash = hashToken(token);
    const now = this.now();
    const mail = this.deps.mail.composer.compose(confirmationMail({ to: msg.from.address, locale, community, title: draft.title, tokenHash, link: `/inbound/confirm/${token}` }), now);
    await this.deps.mailStorage.inbound.hold(
      { tokenHash, communityId: community.id, email: msg.from.address, senderName: msg.from.name, locale, title: draft.title, bodyMd: draft.body, tags: draft.tags, now, expiresAt: now + HELD_DAYS * 24 * HOUR },
      mail,
    );
    this.deps.wake();
    this.log?.info({ community: community.slug }, 'inbound mail held until the sender confirms');
  }

  /**
   * Posts the question as the member (joining the community first: writing to its support
   * address is asking to take part), opens its service ticket in a business community and
   * queues the acknowledgement. Posting refusals (suspended, limits) become an InboundRefusal.
   */
  private async publish(user: User, community: Community, draft: { title: string; body: string; tags: string[] }, locale: Locale): Promise<Question> {
    if (!(await this.deps.memberships.find(community.id, user.id))) await this.deps.memberships.upsert(community.id, user.id, 'member');
    // Looked up before the question exists: once indexed it matches its own words best, and
    // the engine then leaves out threads that share only most of them.
    const matches = await this.deps.matcher.bestAnswers(community, `${draft.title} ${draft.body}`, null);
    let question: Question;
    try {
      question = (await this.deps.questions.ask(user, community.slug, { title: draft.title, body: draft.body, tags: draft.tags.join(' ') })).question;
    } catch (err) {
      if (err instanceof DomainError) throw new InboundRefusal('rejected', reasonOf(err));
      throw err;
    }
    await this.hook('support ticket', () => this.deps.support.opened(community, question, { urgent: false, reason: '' }));
    await this.hook('acknowledgement', () => this.acknowledge(user, community, question, matches, locale));
    return question;
  }

  private async acknowledge(user: User, community: Community, question: Question, matches: MatchLink[], locale: Locale): Promise<void> {
    let promise = null;
    if (community.kind === 'business') {
      const settings = await this.deps.support.settingsFor(community.id);
      promise = { settings, dueAt: clockFrom(settings, settings.targetHours, question.createdAt).dueAt };
    }
    await this.deps.mail.queue(
      ackMail({ to: user.email, userId: user.id, name: user.displayName || user.username, locale, community, questionId: question.id, title: question.title, link: questionPath(community, question), promise, matches }),
    );
  }

  /** The question is saved: what follows it must not turn the delivery into a failure (the sender would retry and post twice). */
  private async hook(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.log?.error({ step: what, err: err instanceof Error ? err.message : String(err) }, 'inbound mail: step after the question failed');
    }
  }

  /* ---------- the confirmation link of a held message ---------- */

  /** The held message behind a link, with the account that has its address; null when the link cannot be used. */
  async confirmation(token: string): Promise<{ title: string; bodyMd: string; email: string; community: Community; account: User | null } | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const held = await this.deps.mailStorage.inbound.findHeld(hashToken(token));
    if (!held || held.claimedAt !== null || held.expiresAt <= this.now()) return null;
    const community = await this.deps.communities.findById(held.communityId);
    if (!community) return null;
    return { title: held.title, bodyMd: held.bodyMd, email: held.email, community, account: await this.deps.users.findByEmail(held.email) };
  }

  /**
   * Claims the held message for `user` (who must have its address) and publishes it. Null when
   * the link cannot be used (any more). An InboundRefusal when the claim worked but posting was
   * refused: the address is verified then, the question not published.
   */
  async confirm(token: string, user: User): Promise<{ questionId: string; url: string } | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const held = await this.deps.mailStorage.inbound.claim(hashToken(token), user.id, this.now());
    if (!held) return null;
    const community = await this.deps.communities.findById(held.communityId);
    if (!community) return null;
    const profile = await this.deps.mailStorage.accounts.profile(user.id);
    const question = await this.publish(user, community, { title: held.title, body: held.bodyMd, tags: held.tags }, profile?.locale ?? held.locale);
    return { questionId: question.id, url: questionPath(community, question) };
  }
}
