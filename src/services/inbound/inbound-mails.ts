import type { SupportSettings } from '../../domain/support-types.js';
import type { Community, Locale } from '../../domain/types.js';
import { translate } from '../../i18n/index.js';
import type { MailContent } from '../mail/compose.js';
import type { MatchLink } from './matcher.js';

/** Days a confirmation link of a held message works. */
export const HELD_DAYS = 7;

/** The promise to print: business communities only (interest communities make none). */
export interface AckPromise {
  settings: SupportSettings;
  dueAt: number;
}

function formatDue(at: number, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
  }).format(at);
}

/**
 * The automatic acknowledgement: received, when to expect a reply (the community's promise),
 * the link to the thread, and the three best curated answers. Sent once per question.
 */
export function ackMail(input: {
  to: string;
  userId: string;
  name: string;
  locale: Locale;
  community: Community;
  questionId: string;
  title: string;
  link: string;
  promise: AckPromise | null;
  matches: MatchLink[];
}): MailContent {
  const t = (key: string, params?: Record<string, string | number>) => translate(input.locale, key, params);
  const paragraphs = [t('inbound.ack.received', { community: input.community.name, title: input.title })];
  if (input.promise) {
    const { settings, dueAt } = input.promise;
    paragraphs.push(t('inbound.ack.promise', { community: input.community.name, hours: settings.targetHours, due: formatDue(dueAt, input.locale, settings.timeZone) }));
    const custom = (input.locale === 'zh-CN' ? settings.ackZh : settings.ackEn).trim();
    if (custom) paragraphs.push(custom);
  } else {
    paragraphs.push(t('inbound.ack.noPromise', { community: input.community.name }));
  }
  paragraphs.push(t('inbound.ack.replyHint'));
  return {
    to: input.to,
    userId: input.userId,
    locale: input.locale,
    kind: 'inbound-ack',
    idempotencyKey: `inbound-ack:${input.questionId}`,
    subject: t('inbound.ack.subject', { title: input.title }),
    heading: t('inbound.ack.heading', { name: input.name }),
    paragraphs,
    // "This may already answer you": real links in the HTML part, title and URL in the text part.
    ...(input.matches.length > 0 ? { sections: [{ title: t('inbound.ack.matches'), items: input.matches.map((m) => ({ text: m.title, url: m.url })) }] } : {}),
    action: { url: input.link, label: t('inbound.ack.open') },
  };
}

/** The mail to the sender of a held message: nothing is published until its link is opened. */
export function confirmationMail(input: { to: string; locale: Locale; community: Community; title: string; tokenHash: string; link: string }): MailContent {
  const t = (key: string, params?: Record<string, string | number>) => translate(input.locale, key, params);
  return {
    to: input.to,
    userId: null,
    locale: input.locale,
    kind: 'inbound-confirm',
    idempotencyKey: `inbound-confirm:${input.tokenHash}`,
    subject: t('inbound.confirm.subject', { community: input.community.name }),
    heading: t('inbound.confirm.heading'),
    paragraphs: [t('inbound.confirm.body', { title: input.title, community: input.community.name, email: input.to }), t('inbound.confirm.expires', { days: HELD_DAYS })],
    action: { url: input.link, label: t('inbound.confirm.action') },
  };
}
