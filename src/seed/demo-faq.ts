import type { Services } from '../services/index.js';
import type { User } from '../domain/types.js';

/**
 * Demo FAQ: a tree of at least three levels per community, filled by promoting the
 * demo answers that the seeded votes pushed past the threshold, the way moderators would.
 * `promote` names the question title whose best answer becomes the entry.
 */
interface DemoCategory {
  name: string;
  children?: DemoCategory[];
  promote?: string[];
  write?: Array<{ title: string; body: string }>;
}

export const demoFaq: Record<string, DemoCategory[]> = {
  'lumen-support': [
    {
      name: '电池与电源 Battery',
      children: [{ name: '续航 Battery life', children: [{ name: '固件设置 Firmware settings', promote: ['Lumen X100 电池续航突然变短怎么办？'] }] }],
    },
    {
      name: '连接与传输 Connectivity',
      children: [{ name: 'Wi-Fi', children: [{ name: 'Android', promote: ['How do I transfer photos to my phone over Wi-Fi?'] }] }],
    },
    {
      name: '固件 Firmware',
      children: [{ name: '升级 Updating', promote: ['固件升级失败，相机一直显示“更新中”'] }],
    },
    { name: '保修与维修 Warranty', promote: ['Is water damage covered by the Lumen warranty?'] },
  ],
  'home-coffee': [
    {
      name: 'Roasting',
      write: [{ title: 'What do I need to start roasting at home?', body: 'A hot-air popcorn popper, a metal colander for cooling, and green beans. Roast outside or under a hood: the chaff and smoke are messy. Upgrade to a drum roaster and a thermocouple once you roast weekly.' }],
      children: [{ name: 'After the roast', children: [{ name: 'Resting and degassing', promote: ['How long should I rest beans after roasting?'] }] }],
    },
  ],
  'photo-fans': [
    {
      name: '拍摄技巧',
      children: [{ name: '夜景', children: [{ name: '防抖与三脚架', promote: ['夜景拍摄时怎样避免照片糊掉？'] }] }],
    },
    { name: '后期处理', children: [{ name: '文件格式', promote: ['RAW 和 JPEG 应该选哪个？'] }] },
  ],
};

export async function seedDemoFaq(services: Services, moderator: User): Promise<void> {
  for (const [communitySlug, tree] of Object.entries(demoFaq)) {
    const { candidates } = await services.faq.candidates(communitySlug, moderator);
    const created: string[] = [];
    const walk = async (nodes: DemoCategory[], parentId: string) => {
      for (const node of nodes) {
        const category = await services.faq.createCategory(communitySlug, moderator, { name: node.name, parentId });
        for (const title of node.promote ?? []) {
          const candidate = candidates.find((c) => c.questionTitle === title);
          if (!candidate) continue;
          const { entry } = await services.faq.promote(communitySlug, moderator, candidate.answerId, {
            title: candidate.questionTitle,
            body: candidate.answerBodyMd,
            categoryId: category.id,
            relatedIds: created.slice(-1),
          });
          created.push(entry.id);
        }
        for (const w of node.write ?? []) {
          const { entry } = await services.faq.createEntry(communitySlug, moderator, { ...w, categoryId: category.id, relatedIds: [] });
          created.push(entry.id);
        }
        await walk(node.children ?? [], category.id);
      }
    };
    await walk(tree, '');
    // The first entry of each community is pinned, as moderators do with the top question.
    if (created[0]) await services.faq.setEntryState(communitySlug, moderator, created[0], 'pin');
  }
}
