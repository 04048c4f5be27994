import type { FieldErrors } from './errors.js';

/** Site-wide moderation and trust settings (admin page), with the defaults issue 13 names. */
export interface ModerationSettings {
  /** Reputation needed to cast close and reopen votes. */
  closeVoteReputation: number;
  /** Close (or reopen) votes that close (or reopen) a question. */
  closeVotesNeeded: number;
  /** Open spam or rude/abusive flags that hide a post pending review. */
  flagsToHide: number;
  /** Reputation needed to vote down. */
  downvoteReputation: number;
  /** An account is "new" while younger than this many days AND below newAccountReputation. */
  newAccountDays: number;
  newAccountReputation: number;
  /** Links a new account may put in one post. */
  newAccountMaxLinks: number;
  /** Questions a new account may ask per day. */
  newAccountQuestionsPerDay: number;
  /** Votes and flags per member per hour. */
  votesPerHour: number;
  flagsPerHour: number;
}

export const DEFAULT_MODERATION_SETTINGS: ModerationSettings = {
  closeVoteReputation: 250,
  closeVotesNeeded: 3,
  flagsToHide: 3,
  downvoteReputation: 125,
  newAccountDays: 7,
  newAccountReputation: 10,
  newAccountMaxLinks: 2,
  newAccountQuestionsPerDay: 3,
  votesPerHour: 60,
  flagsPerHour: 20,
};

export const SETTING_LIMITS: Record<keyof ModerationSettings, { min: number; max: number }> = {
  closeVoteReputation: { min: 0, max: 1_000_000 },
  closeVotesNeeded: { min: 1, max: 20 },
  flagsToHide: { min: 1, max: 50 },
  downvoteReputation: { min: 0, max: 1_000_000 },
  newAccountDays: { min: 0, max: 365 },
  newAccountReputation: { min: 0, max: 1_000_000 },
  newAccountMaxLinks: { min: 0, max: 100 },
  newAccountQuestionsPerDay: { min: 1, max: 1000 },
  votesPerHour: { min: 1, max: 10_000 },
  flagsPerHour: { min: 1, max: 10_000 },
};

export const SETTING_KEYS = Object.keys(DEFAULT_MODERATION_SETTINGS) as Array<keyof ModerationSettings>;

/** Stored JSON to settings: unknown or out-of-range values fall back to the default. */
export function parseSettings(json: string | null): ModerationSettings {
  let raw: Record<string, unknown> = {};
  try {
    raw = json ? (JSON.parse(json) as Record<string, unknown>) : {};
  } catch {
    raw = {};
  }
  const out = { ...DEFAULT_MODERATION_SETTINGS };
  for (const key of SETTING_KEYS) {
    const v = raw[key];
    const { min, max } = SETTING_LIMITS[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) out[key] = v;
  }
  return out;
}

/** Form strings to settings, or field errors naming each bad value. */
export function checkSettingsForm(form: Record<string, string>): { settings: ModerationSettings; errors: FieldErrors } {
  const settings = { ...DEFAULT_MODERATION_SETTINGS };
  const errors: FieldErrors = {};
  for (const key of SETTING_KEYS) {
    const text = (form[key] ?? '').trim();
    const { min, max } = SETTING_LIMITS[key];
    const n = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) errors[key] = { key: 'mod.settings.range', params: { min, max } };
    else settings[key] = n;
  }
  return { settings, errors };
}
