import { ValidationError, type FieldErrors } from '../../domain/errors.js';
import { isValidTimeZone } from '../../domain/business-hours.js';
import { DEFAULT_SCHEDULE, DEFAULT_TARGET_HOURS, DEFAULT_URGENT_HOURS, type SupportSettings } from '../../domain/support-types.js';

/** The promise a business community makes until its moderators set their own. */
export function defaultSettings(communityId: string): SupportSettings {
  return { communityId, targetHours: DEFAULT_TARGET_HOURS, urgentHours: DEFAULT_URGENT_HOURS, ...DEFAULT_SCHEDULE, days: [...DEFAULT_SCHEDULE.days], ackEn: '', ackZh: '', updatedBy: null, updatedAt: 0 };
}

export type SettingsForm = Record<'targetHours' | 'urgentHours' | 'timeZone' | 'start' | 'end' | 'ackEn' | 'ackZh' | `day${0 | 1 | 2 | 3 | 4 | 5 | 6}`, string>;
export const SETTINGS_FIELDS = ['targetHours', 'urgentHours', 'timeZone', 'start', 'end', 'ackEn', 'ackZh', 'day0', 'day1', 'day2', 'day3', 'day4', 'day5', 'day6'] as const;

const ACK_MAX = 500;

function hours(raw: string, field: string, errors: FieldErrors): number {
  const n = Number(raw.trim());
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !(n >= 0.5 && n <= 720)) errors[field] = { key: 'support.settings.hoursInvalid' };
  return n;
}

function minuteOfDay(raw: string, field: string, errors: FieldErrors): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(raw.trim());
  const value = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || value > 24 * 60) errors[field] = { key: 'support.settings.timeInvalid' };
  return value;
}

/** Checks the settings form; every problem is reported at once, next to its field. */
export function parseSettings(communityId: string, form: SettingsForm, by: string, now: number): SupportSettings {
  const errors: FieldErrors = {};
  const targetHours = hours(form.targetHours, 'targetHours', errors);
  const urgentHours = hours(form.urgentHours, 'urgentHours', errors);
  if (!errors.targetHours && !errors.urgentHours && urgentHours > targetHours) errors.urgentHours = { key: 'support.settings.urgentLonger' };
  const timeZone = form.timeZone.trim();
  if (!isValidTimeZone(timeZone) || !timeZone.includes('/') && timeZone !== 'UTC') errors.timeZone = { key: 'support.settings.zoneInvalid' };
  const startMinute = minuteOfDay(form.start, 'start', errors);
  const endMinute = minuteOfDay(form.end, 'end', errors);
  if (!errors.start && !errors.end && endMinute <= startMinute) errors.end = { key: 'support.settings.endBeforeStart' };
  const days = [0, 1, 2, 3, 4, 5, 6].filter((d) => form[`day${d}` as keyof SettingsForm] === '1');
  if (days.length === 0) errors.days = { key: 'support.settings.noDays' };
  const ackEn = form.ackEn.trim();
  const ackZh = form.ackZh.trim();
  if (Array.from(ackEn).length > ACK_MAX) errors.ackEn = { key: 'support.settings.ackTooLong', params: { max: ACK_MAX } };
  if (Array.from(ackZh).length > ACK_MAX) errors.ackZh = { key: 'support.settings.ackTooLong', params: { max: ACK_MAX } };
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { communityId, targetHours, urgentHours, timeZone, days, startMinute, endMinute, ackEn, ackZh, updatedBy: by, updatedAt: now };
}

export function settingsToForm(s: SupportSettings): SettingsForm {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const form = { targetHours: String(s.targetHours), urgentHours: String(s.urgentHours), timeZone: s.timeZone, start: hhmm(s.startMinute), end: hhmm(s.endMinute), ackEn: s.ackEn, ackZh: s.ackZh } as SettingsForm;
  for (let d = 0; d < 7; d++) form[`day${d}` as keyof SettingsForm] = s.days.includes(d) ? '1' : '';
  return form;
}

const REASON_MAX = 200;

/** The ask form's urgent option: a reason of one line is required when it is ticked. */
export function parseUrgent(form: { urgent?: string; urgentReason?: string }, errors: FieldErrors): { urgent: boolean; reason: string } {
  const urgent = form.urgent === '1';
  const reason = (form.urgentReason ?? '').replace(/\s+/g, ' ').trim();
  if (!urgent) return { urgent: false, reason: '' };
  if (reason.length === 0) errors.urgentReason = { key: 'support.urgent.reasonRequired' };
  else if (Array.from(reason).length > REASON_MAX) errors.urgentReason = { key: 'support.urgent.reasonTooLong', params: { max: REASON_MAX } };
  return { urgent, reason };
}
