import type { DigestFrequency, DigestRepository, DigestSubscription } from '../../db/digest-port.js';
import { DIGEST_FREQUENCIES } from '../../db/digest-port.js';
import type { CommunityRepository, MailStorage, NewMail, UserRepository } from '../../db/ports.js';
import { digestPeriod } from '../../domain/digest-period.js';
import { ValidationError } from '../../domain/errors.js';
import { FLAG_OUTCOMES } from '../../domain/moderation-types.js';
import { effectiveDelivery, NOTIFICATION_KINDS, type NotificationKind } from '../../domain/notification-kinds.js';
import type { Community, Locale, User } from '../../domain/types.js';
import { translate } from '../../i18n/index.js';
import { DIGEST_KIND, type MailComposer, type MailSection } from '../mail/compose.js';
import { flagResolvedKind, WARNING_KIND } from '../notifications/moderation-notifier.js';
import { DELIVERY_KIND, EVENTS, questionPath, type NotificationLog } from '../notifications/notification-service.js';

const TOP_QUESTIONS = 5;
const UNANSWERED = 5;
const FAQ_ENTRIES = 5;
const NOTIFICATIONS = 30;
const BATCH = 100;

/** The inbox kinds (notification rows) that each preference kind covers. */
function eventKindsOf(kinds: Set<NotificationKind>): string[] {
  const out: string[] = EVENTS.filter((e) => kinds.has(DELIVERY_KIND[e]));
  if (kinds.has('moderation')) out.push(...FLAG_OUTCOMES.map(flagResolvedKind), WARNING_KIND);
  return out;
}

export interface DigestRunResult {
  sent: number;
  skipped: number;
}

/*
 * The daily and weekly digest: for each member whose period is due, one mail with the
 * notifications they chose to receive "in the digest", the best new and the unanswered new
 * questions in the communities and tags they watch, and new FAQ entries there. A member with
 * nothing new, or without a verified address, gets no mail, but the period is still marked done.
 * The mail and the mark are one atomic step with an idempotency key per member and period, so
 * a rerun (or a second instance) never sends a second digest for the same period.
 */
export class DigestService {
  constructor(
    private readonly digests: DigestRepository,
    private readonly mail: MailStorage,
    private readonly users: UserRepository,
    private readonly communities: CommunityRepository,
    private readonly isVerified: (user: User) => Promise<boolean>,
    private readonly composer: MailComposer,
    private readonly wake: () => void,
    private readonly now: () => number = Date.now,
    private readonly log: NotificationLog | null = null,
  ) {}

  async frequency(user: User): Promise<DigestFrequency> {
    return (await this.digests.get(user.id))?.frequency ?? 'off';
  }

  /** Refuses an unknown choice; `digestKinds` are the kinds the member sends to the digest in the same form. */
  checkFrequency(value: string | undefined, digestKinds: string[]): void {
    if (!(DIGEST_FREQUENCIES as readonly string[]).includes(value ?? '')) throw new ValidationError({ digest: { key: 'digest.prefs.invalid' } });
    // Events sent "in the digest" would otherwise never be mailed.
    if (value === 'off' && digestKinds.length > 0) throw new ValidationError({ digest: { key: 'digest.prefs.needed' } });
  }

  async setFrequency(user: User, value: DigestFrequency): Promise<void> {
    this.checkFrequency(value, []);
    await this.digests.setFrequency(user.id, value, this.now());
  }

  /** Sends every due digest of both frequencies. */
  async runDue(): Promise<DigestRunResult> {
    const result: DigestRunResult = { sent: 0, skipped: 0 };
    const communities = new Map((await this.communities.list()).map((c) => [c.id, c]));
    for (const frequency of ['daily', 'weekly'] as const) {
      const period = digestPeriod(frequency, this.now());
      const failed = new Set<string>();
      for (;;) {
        const due = (await this.digests.due(frequency, period.start, BATCH + failed.size)).filter((s) => !failed.has(s.userId));
        if (due.length === 0) break;
        for (const sub of due) {
          try {
            if (await this.one(sub, frequency, period, communities)) result.sent++;
            else result.skipped++;
          } catch (err) {
            // One member's failure must not stop the others; they are tried again next run.
            failed.add(sub.userId);
            this.log?.error({ userId: sub.userId, err: err instanceof Error ? err.message : String(err) }, 'digest failed');
          }
        }
      }
    }
    if (result.sent > 0) this.wake();
    return result;
  }

  private async one(sub: DigestSubscription, frequency: 'daily' | 'weekly', period: { start: number; key: string; length: number }, communities: Map<string, Community>): Promise<boolean> {
    const now = this.now();
    const user = await this.users.findById(sub.userId);
    const mail = user && (await this.isVerified(user)) ? await this.compose(user, frequency, sub.lastDigestAt ?? now - period.length, now, period.key, communities) : null;
    const done = await this.digests.complete(sub.userId, period.start, now, mail);
    return done && mail !== null;
  }

  private async compose(user: User, frequency: 'daily' | 'weekly', since: number, now: number, periodKey: string, communities: Map<string, Community>): Promise<NewMail | null> {
    const locale: Locale = (await this.mail.accounts.profile(user.id))?.locale ?? 'en';
    const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
    const prefs = await this.mail.prefs.get(user.id);
    const digestKinds = new Set(NOTIFICATION_KINDS.filter((k) => effectiveDelivery(k, prefs) === 'digest'));
    const allNotes = await this.digests.notificationsSince(user.id, eventKindsOf(digestKinds), since, NOTIFICATIONS);
    const targets = await this.digests.watchedTargets(user.id);
    // The member's own questions are not news to them.
    const questions = (await this.digests.newQuestions(targets, since, now, TOP_QUESTIONS + UNANSWERED + 20)).filter((q) => q.authorId !== user.id && communities.has(q.communityId));
    const top = questions.filter((q) => q.score > 0 || q.answerCount > 0).slice(0, TOP_QUESTIONS);
    const unanswered = questions.filter((q) => q.answerCount === 0 && !top.includes(q)).sort((a, b) => b.createdAt - a.createdAt).slice(0, UNANSWERED);
    const faqCommunities = [...new Set([...targets.communityIds, ...targets.tags.map((x) => x.communityId)])];
    const entries = (await this.digests.newFaqEntries(faqCommunities, since, now, FAQ_ENTRIES)).filter((e) => communities.has(e.communityId));
    // A new question already listed below is not repeated as a notification.
    const listed = new Set([...top, ...unanswered].map((q) => q.id));
    const notes = allNotes.filter((n) => !(n.kind === 'new_question' && n.threadId && listed.has(n.threadId)));
    const bySlug = new Map([...communities.values()].map((c) => [c.slug, c.name]));
    if (notes.length === 0 && top.length === 0 && unanswered.length === 0 && entries.length === 0) return null;

    const actors = new Map((await this.users.findManyByIds([...new Set(notes.flatMap((n) => (n.actorId ? [n.actorId] : [])))])).map((u) => [u.id, u.username]));
    const questionItem = (q: (typeof questions)[number]) => {
      const c = communities.get(q.communityId)!;
      return { text: q.title, url: questionPath(c, q), note: `${c.name} · ${t('digest.mail.answers', { count: q.answerCount })} · ${t('digest.mail.score', { count: q.score })}` };
    };
    const sections: MailSection[] = [];
    if (notes.length > 0) {
      sections.push({
        title: t('digest.mail.notifications'),
        items: notes.map((n) => ({ text: t(`notify.event.${n.kind}`, { actor: actors.get(n.actorId ?? '') ?? '?', title: n.title, community: bySlug.get(/^\/c\/([^/]+)\//.exec(n.link)?.[1] ?? '') ?? '' }).trim(), url: n.link, note: n.title })),
      });
    }
    if (top.length > 0) sections.push({ title: t('digest.mail.top'), items: top.map(questionItem) });
    if (unanswered.length > 0) sections.push({ title: t('digest.mail.unanswered'), items: unanswered.map(questionItem) });
    if (entries.length > 0) {
      sections.push({
        title: t('digest.mail.faq'),
        items: entries.map((e) => {
          const c = communities.get(e.communityId)!;
          return { text: e.title, url: `/c/${c.slug}/faq/e/${e.id}/${encodeURIComponent(e.slug)}`, note: c.name };
        }),
      });
    }
    return this.composer.compose(
      {
        to: user.email,
        userId: user.id,
        locale,
        kind: DIGEST_KIND,
        idempotencyKey: `digest:${user.id}:${periodKey}`,
        subject: t(`digest.mail.subject.${frequency}`),
        heading: t(`digest.mail.heading.${frequency}`, { username: user.username }),
        paragraphs: [t('digest.mail.lead')],
        sections,
        action: { url: '/notifications', label: t('digest.mail.open') },
      },
      now,
    );
  }
}
