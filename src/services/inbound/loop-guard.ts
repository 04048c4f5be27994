import type { InboundMessage } from './parse-message.js';

const ROBOT_SENDER = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+@-]|$)/i;

/**
 * Why a message was written by a machine (RFC 3834 Auto-Submitted, Precedence bulk/list/junk,
 * a mailing list's List-Id, a bounce sender), or null for a person's mail. Such mail is never
 * answered and never posted: an acknowledgement to an auto-reply starts a mail loop, and a
 * bounce or a newsletter is not a question.
 */
export function automatedReason(msg: InboundMessage): string | null {
  const auto = msg.headers.get('auto-submitted')?.trim().toLowerCase();
  if (auto && !auto.startsWith('no')) return `auto-submitted: ${auto}`;
  const precedence = msg.headers.get('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'list', 'junk', 'auto_reply'].includes(precedence)) return `precedence: ${precedence}`;
  if (msg.headers.has('list-id')) return 'list-id';
  if (msg.headers.has('x-autoreply') || msg.headers.get('x-auto-response-suppress')?.toLowerCase().includes('all')) return 'auto-reply header';
  if (ROBOT_SENDER.test(msg.from.address.split('@')[0] ?? '')) return `sender ${msg.from.address}`;
  // An empty Return-Path (<>) is how bounces and other delivery reports are sent.
  if (msg.headers.get('return-path')?.replace(/\s/g, '') === '<>') return 'empty return-path';
  return null;
}
