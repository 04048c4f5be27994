import type { Storage } from '../db/ports.js';
import { DAY_MS, dayOf } from '../domain/support-metrics.js';
import type { User } from '../domain/types.js';
import type { Services } from '../services/index.js';
import { recomputeDay } from '../services/support/daily-job.js';
import { settingsToForm } from '../services/support/settings.js';

type Clock = { now: () => number; at: (daysAgo: number) => void };

const HOUR_DAYS = 1 / 24;

/** Answered and rated support questions: [asker, title, urgent, days ago, hours to the staff reply, rating]. */
const ANSWERED: Array<[string, string, boolean, number, number, number]> = [
  ['alice', 'Lumen X2 will not charge over USB-C after the update', false, 26.3, 3, 5],
  ['李雷', '固件 2.3 更新后 Wi-Fi 传输很慢', false, 22.4, 20, 4],
  ['bob', 'Warranty claim: cracked LCD on arrival', true, 18.2, 2, 5],
  ['韩梅梅', '夜景模式拍出来有很多噪点，正常吗？', false, 13.6, 30, 3],
  ['alice', 'Lens cap does not fit the new hood', false, 9.35, 6, 2],
  ['李雷', '电池显示 100% 但十分钟就关机', true, 6.45, 1, 4],
];

/** Questions nobody on staff has answered yet, most of them past the promise. */
const WAITING: Array<[string, string, boolean, number]> = [
  ['bob', 'Bluetooth remote disconnects every few minutes', false, 5.15],
  ['韩梅梅', '相机在零下温度无法开机', true, 3.25],
  ['alice', 'Where can I download the old firmware 2.1?', false, 1.1],
];

/**
 * Customer-service demo data (issue 12) for Lumen support: a promise with its texts, answered
 * questions with ratings (one low, so the recovery path shows), a few overdue questions for
 * the queue, some self-service visits, and the daily aggregates, so the queue and the
 * dashboard are not empty on a fresh install. Written through the services on the demo clock.
 */
export async function seedDemoSupport(storage: Storage, services: Services, user: (name: string) => User, clock: Clock): Promise<void> {
  const lumen = await storage.communities.findBySlug('lumen-support');
  if (!lumen) return;
  const staff = user('amy_support');
  const support = services.support;
  const form = settingsToForm(await support.service.settingsFor(lumen.id));
  await support.service.saveSettings(user('陈版主'), lumen.slug, {
    ...form,
    ackEn: 'Thanks for asking. Lumen staff read every question; add your camera model and firmware version if you have not yet.',
    ackZh: '感谢提问。Lumen 官方会阅读每个问题；如果还没写，请补充相机型号和固件版本。',
  });
  const ask = async (asker: string, title: string, urgent: boolean) => {
    const { community, question } = await services.questions.ask(user(asker), lumen.slug, {
      title,
      body: `${title}\n\nCamera: Lumen X2, firmware 2.3. 相机型号 Lumen X2，固件 2.3。`,
      tags: 'support',
    });
    await support.service.opened(community, question, { urgent, reason: urgent ? 'Needed for a shoot this week / 本周拍摄要用' : '' });
    return question;
  };
  for (const [asker, title, urgent, daysAgo, replyHours, score] of ANSWERED) {
    clock.at(daysAgo);
    const question = await ask(asker, title, urgent);
    await support.queue.assign(staff, question.id, staff.username);
    clock.at(daysAgo - replyHours * HOUR_DAYS);
    const { answer } = await services.questions.answer(staff, question.id, 'Thanks for the report. Please install firmware 2.4 and reset the settings (Menu > Setup > Reset); that fixes it on every unit we tested. 请安装 2.4 固件并重置设置。');
    await support.service.afterReply(staff, question, 'answer');
    clock.at(daysAgo - (replyHours + 5) * HOUR_DAYS);
    const accepted = await services.questions.accept(user(asker), question.id, answer.id);
    await support.service.afterAccept(user(asker), accepted.question, accepted.accepted);
    await support.ratings.rate(user(asker), question.id, { score: String(score), comment: score <= 2 ? 'It fits, but falls off when I walk. 走路时会掉。' : '' });
  }
  for (const [asker, title, urgent, daysAgo] of WAITING) {
    clock.at(daysAgo);
    await ask(asker, title, urgent);
  }
  // Visitors who found their answer in search or the FAQ (and one who asked anyway).
  for (let i = 0; i < 12; i++) {
    clock.at(25 - 2 * i);
    const at = clock.now();
    await storage.supportMetrics.recordSelfService({ kind: i % 3 === 0 ? 'faq_view' : 'search', browserId: `demo-browser-${String(i).padStart(4, '0')}`, communityId: lumen.id, at });
    if (i % 4 === 1) await storage.supportMetrics.recordSelfService({ kind: 'question_posted', browserId: `demo-browser-${String(i).padStart(4, '0')}`, communityId: lumen.id, at: at + 3_600_000 });
  }
  // The daily job would fill these within minutes; the demo shows them at once.
  const today = Date.now();
  for (let t = today - 60 * DAY_MS; t <= today; t += DAY_MS) await recomputeDay(storage.supportMetrics, dayOf(t));
}
