import type { NotificationDelivery } from '../db/ports.js';

/*
 * The kinds of event a member can hear about, and how they hear of each unless they chose
 * otherwise. Answers to one's own question matter most (that is why people ask), so they come
 * by mail at once; the rest stay in the site's inbox until the member asks for more.
 */
export const NOTIFICATION_KINDS = ['answer', 'comment', 'accepted', 'mention', 'staff_answer', 'faq_promoted', 'watched', 'moderation', 'support_escalation', 'support_low_rating'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const DEFAULT_DELIVERY: Record<NotificationKind, NotificationDelivery> = {
  answer: 'email',
  comment: 'inbox',
  accepted: 'email',
  mention: 'email',
  staff_answer: 'email',
  faq_promoted: 'email',
  watched: 'inbox',
  // What became of my flags, warnings from moderators: worth knowing, not worth a mail.
  moderation: 'inbox',
  // Staff and moderators must act on these within business hours: a mail at once.
  support_escalation: 'email',
  support_low_rating: 'email',
};

export const DELIVERIES: readonly NotificationDelivery[] = ['off', 'inbox', 'email', 'digest'];

/** Mail the member asked for (verify an address, reset a password): sent whatever the preferences say. */
export const ACCOUNT_MAIL_KINDS = ['verify', 'reset', 'change-email'] as const;

/** The preference key that turns every notification mail off at once (one-click unsubscribe from account mail). */
export const ALL_MAIL = '*';

export function isNotificationKind(kind: string): kind is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(kind);
}

/** The delivery that applies: the member's choice, else the default; "no mail at all" turns mail into inbox only. */
export function effectiveDelivery(kind: NotificationKind, prefs: Record<string, NotificationDelivery>): NotificationDelivery {
  const chosen = prefs[kind] ?? DEFAULT_DELIVERY[kind];
  if (prefs[ALL_MAIL] === 'off' && (chosen === 'email' || chosen === 'digest')) return 'inbox';
  return chosen;
}
