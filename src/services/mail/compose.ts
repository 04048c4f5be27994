import type { NewMail } from '../../db/ports.js';
import type { Locale } from '../../domain/types.js';
import { ALL_MAIL, isNotificationKind } from '../../domain/notification-kinds.js';
import { translate } from '../../i18n/index.js';
import { signToken } from './signed-token.js';

/** What a feature says in a mail; the composer adds the site's frame, both parts and the headers. */
export interface MailContent {
  to: string;
  userId: string | null;
  locale: Locale;
  kind: string;
  idempotencyKey: string;
  subject: string;
  heading: string;
  /** Plain text, one paragraph each (escaped for the HTML part). */
  paragraphs: string[];
  /** The thing the mail is about, as an absolute or site-relative URL. */
  action: { url: string; label: string };
  /** Optional excerpt of what was written (an answer, a comment). */
  quote?: string;
  /** Where a reply goes (a signed per-thread inbound address), when replies can be posted by mail. */
  replyTo?: string;
  /** Lists of links (a digest's new questions, FAQ entries), after the paragraphs. */
  sections?: MailSection[];
  /** Newsletter body: HTML already sanitized like a post, and its plain text. */
  body?: { html: string; text: string };
  /** A mailing list's mail (a newsletter): List-Id and Precedence: bulk, so clients file it and auto-responders stay quiet. */
  list?: { key: string };
}

export interface MailSection {
  title: string;
  items: Array<{ text: string; url: string; note?: string }>;
}

export const UNSUBSCRIBE_PURPOSE = 'unsubscribe';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A newsletter's mail kind (and unsubscribe scope): the community's news. */
export const newsKind = (communityId: string) => `news:${communityId}`;
export const DIGEST_KIND = 'digest';

/**
 * The scope a mail's unsubscribe link turns off: its own notification kind, the digest, one
 * community's news, or all notification mail.
 */
export function unsubscribeScope(kind: string): string {
  if (kind === DIGEST_KIND || /^news:\d{1,16}$/.test(kind)) return kind;
  return isNotificationKind(kind) ? kind : ALL_MAIL;
}

export class MailComposer {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  unsubscribeUrl(userId: string, kind: string): string {
    return `${this.baseUrl}/unsubscribe/${signToken(this.secret, UNSUBSCRIBE_PURPOSE, `${userId}:${unsubscribeScope(kind)}`)}`;
  }

  compose(content: MailContent, now: number): NewMail {
    const t = (key: string, params?: Record<string, string | number>) => translate(content.locale, key, params);
    const site = t('site.name');
    const actionUrl = content.action.url.startsWith('/') ? this.baseUrl + content.action.url : content.action.url;
    const prefsUrl = `${this.baseUrl}/settings/notifications`;
    const unsubscribe = content.userId ? this.unsubscribeUrl(content.userId, content.kind) : null;
    const headers: Record<string, string> = {};
    if (unsubscribe) {
      // RFC 8058: a mail client may unsubscribe with one POST to this URL, no login, no page.
      headers['List-Unsubscribe'] = `<${unsubscribe}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    headers['Auto-Submitted'] = 'auto-generated';
    if (content.replyTo) headers['Reply-To'] = content.replyTo;
    if (content.list) {
      // RFC 2919 <list-label.domain>, ASCII (the label is an id). The optional phrase is left out:
      // the transport would encode a phrase as one encoded word, which list filters cannot read.
      headers['List-Id'] = `<${content.list.key}.${new URL(this.baseUrl).hostname}>`;
      headers['Precedence'] = 'bulk';
    }

    const abs = (url: string) => (url.startsWith('/') ? this.baseUrl + url : url);
    const sections = content.sections ?? [];
    const text = [
      content.heading,
      '',
      ...content.paragraphs.flatMap((p) => [p, '']),
      ...(content.body ? [content.body.text, ''] : []),
      ...(content.quote ? [...content.quote.split('\n').map((l) => `> ${l}`), ''] : []),
      ...sections.flatMap((s) => [s.title, ...s.items.flatMap((i) => [`- ${i.text}${i.note ? ` (${i.note})` : ''}`, `  ${abs(i.url)}`]), '']),
      `${content.action.label}: ${actionUrl}`,
      '',
      '-- ',
      t('mail.footer.sentBy', { site }),
      `${t('mail.footer.preferences')}: ${prefsUrl}`,
      ...(unsubscribe ? [`${t('mail.footer.unsubscribe')}: ${unsubscribe}`] : []),
    ].join('\n');

    const html = `<!doctype html>
<html lang="${content.locale}"><head><meta charset="utf-8"><title>${esc(content.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f5f6f8;font-family:-apple-system,'Segoe UI',Roboto,'PingFang SC','Microsoft YaHei',sans-serif;color:#1f2328;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:8px;">
<tr><td style="padding:16px 24px;border-bottom:1px solid #d0d7de;font-weight:bold;">${esc(site)}</td></tr>
<tr><td style="padding:24px;line-height:1.6;">
<h1 style="font-size:20px;margin:0 0 16px;">${esc(content.heading)}</h1>
${content.paragraphs.map((p) => `<p style="margin:0 0 12px;">${esc(p)}</p>`).join('\n')}
${content.body ? `<div>${content.body.html}</div>` : ''}
${sections
  .map(
    (s) =>
      `<h2 style="font-size:16px;margin:20px 0 8px;">${esc(s.title)}</h2><ul style="margin:0 0 12px;padding-left:20px;">${s.items
        .map((i) => `<li style="margin:0 0 6px;"><a href="${esc(abs(i.url))}" style="color:#0969da;">${esc(i.text)}</a>${i.note ? ` <span style="color:#57606a;font-size:13px;">${esc(i.note)}</span>` : ''}</li>`)
        .join('')}</ul>`,
  )
  .join('\n')}
${content.quote ? `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #d0d7de;color:#57606a;">${esc(content.quote).replace(/\n/g, '<br>')}</blockquote>` : ''}
<p style="margin:16px 0;"><a href="${esc(actionUrl)}" style="display:inline-block;padding:10px 16px;background:#0969da;color:#ffffff;text-decoration:none;border-radius:6px;">${esc(content.action.label)}</a></p>
<p style="margin:0;font-size:13px;color:#57606a;word-break:break-all;">${esc(actionUrl)}</p>
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #d0d7de;font-size:12px;color:#57606a;">
${esc(t('mail.footer.sentBy', { site }))}<br>
<a href="${esc(prefsUrl)}" style="color:#57606a;">${esc(t('mail.footer.preferences'))}</a>${unsubscribe ? ` · <a href="${esc(unsubscribe)}" style="color:#57606a;">${esc(t('mail.footer.unsubscribe'))}</a>` : ''}
</td></tr></table></body></html>`;

    return {
      idempotencyKey: content.idempotencyKey,
      to: content.to,
      userId: content.userId,
      kind: content.kind,
      locale: content.locale,
      subject: `[${site}] ${content.subject}`,
      html,
      text,
      headers,
      now,
    };
  }
}
