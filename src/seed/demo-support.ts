import type { Storage } from '../db/ports.js';
import { DAY_MS, dayOf } from '../domain/support-metrics.js';
import type { User } from '../domain/types.js';
import type { Services } from '../services/index.js';
import { recomputeDay, recomputeMonth } from '../services/support/daily-job.js';
import { settingsToForm } from '../services/support/settings.js';

type Clock = { now: () => number; at: (daysAgo: number) => void };

const HOUR_DAYS = 1 / 24;

/**
 * Answered and rated support questions: [asker, title, urgent, days ago, hours to the staff
 * reply, rating, the staff answer]. Answers are in the asker's language, the Chinese ones with
 * the English steps too (staff write for both readers of the thread).
 */
const ANSWERED: Array<[string, string, boolean, number, number, number, string]> = [
  ['alice', 'Lumen X2 will not charge over USB-C after the update', false, 26.3, 3, 5,
    'Firmware 2.3 switched USB-C charging off while the camera is on, to save the battery during tethered shooting. Turn the camera off and it charges as before; firmware 2.4 (out now) brings back charging while on, under Menu > Setup > USB power.'],
  ['李雷', '固件 2.3 更新后 Wi-Fi 传输很慢', false, 22.4, 20, 4,
    '2.3 版固件默认改用 2.4 GHz 频段以兼容更多手机，所以传输变慢了。请在“菜单 > 网络 > Wi-Fi 频段”中改为 5 GHz，速度即可恢复。\n\nFirmware 2.3 made 2.4 GHz the default band; set Menu > Network > Wi-Fi band to 5 GHz for the old speed.'],
  ['bob', 'Warranty claim: cracked LCD on arrival', true, 18.2, 2, 5,
    'Sorry your camera arrived damaged. A cracked screen on arrival is covered in full: I have opened repair case LX-20418 for you and e-mailed a prepaid shipping label. Send the body only (keep the battery and card); we will return it within five working days.'],
  ['韩梅梅', '夜景模式拍出来有很多噪点，正常吗？', false, 13.6, 30, 3,
    '夜景模式会把 ISO 提高到 12800，画面有一些噪点是正常的。建议打开“长曝光降噪”（菜单 > 拍摄 > 降噪），并尽量使用三脚架、把 ISO 上限设为 3200，噪点会明显减少。\n\nNight mode raises ISO up to 12800; turn on long-exposure noise reduction and cap ISO at 3200 on a tripod.'],
  ['alice', 'Lens cap does not fit the new hood', false, 9.35, 6, 2,
    'The HX-2 hood needs the 58 mm centre-pinch cap, not the 55 mm cap that came with the kit lens. We will send you a 58 mm cap free of charge; please reply with your postal address in a private message.'],
  ['李雷', '电池显示 100% 但十分钟就关机', true, 6.45, 1, 4,
    '这是电池校准信息丢失导致的。请把电池完全用完，再连续充电 4 小时，电量显示就会恢复准确。如果之后仍在十分钟内关机，说明电池已损坏，可在保修期内免费更换。\n\nThe battery lost its calibration: run it flat, then charge for 4 hours. If it still dies within ten minutes, it is replaced under warranty.'],
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
  for (const [asker, title, urgent, daysAgo, replyHours, score, reply] of ANSWERED) {
    clock.at(daysAgo);
    const question = await ask(asker, title, urgent);
    await support.queue.assign(staff, question.id, staff.username);
    clock.at(daysAgo - replyHours * HOUR_DAYS);
    const { answer } = await services.questions.answer(staff, question.id, reply);
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
  const months = new Set<string>();
  for (let t = today - 60 * DAY_MS; t <= today; t += DAY_MS) {
    await recomputeDay(storage.supportMetrics, dayOf(t));
    months.add(dayOf(t).slice(0, 7));
  }
  // And the monthly roll-ups of the member lists (active members, askers, answers per member).
  for (const month of months) await recomputeMonth(storage.supportMetrics, month);
}
