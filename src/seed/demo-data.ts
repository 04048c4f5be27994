import type { CommunityRole } from '../domain/types.js';

/** Every demo account shares this password; the README says so and says to change it. */
export const DEMO_PASSWORD = 'demo-password';

export const demoUsers: Array<{ username: string; email: string; isAdmin: boolean }> = [
  { username: 'admin', email: 'admin@example.com', isAdmin: true },
  { username: 'amy_support', email: 'amy@lumen.example.com', isAdmin: false },
  { username: '陈版主', email: 'chen@example.com', isAdmin: false },
  { username: 'alice', email: 'alice@example.com', isAdmin: false },
  { username: 'bob', email: 'bob@example.com', isAdmin: false },
  { username: '李雷', email: 'lilei@example.com', isAdmin: false },
  { username: '韩梅梅', email: 'hanmeimei@example.com', isAdmin: false },
  { username: 'carol', email: 'carol@example.com', isAdmin: false },
  { username: 'dave', email: 'dave@example.com', isAdmin: false },
  { username: 'erin', email: 'erin@example.com', isAdmin: false },
  { username: '王芳', email: 'wangfang@example.com', isAdmin: false },
  { username: '张伟', email: 'zhangwei@example.com', isAdmin: false },
  { username: '刘洋', email: 'liuyang@example.com', isAdmin: false },
];

/** Members who only vote in the demo, so that the best answers reach a realistic score. */
export const demoVoters = ['carol', 'dave', 'erin', '王芳', '张伟', '刘洋', 'alice', 'bob', '李雷', '韩梅梅'];

export const demoCommunities: Array<{
  slug: string;
  name: string;
  kind: 'interest' | 'business';
  defaultLocale: 'en' | 'zh-CN';
  description: string;
  members: Record<string, CommunityRole>;
}> = [
  {
    slug: 'lumen-support',
    name: 'Lumen 相机支持 · Lumen Camera Support',
    kind: 'business',
    defaultLocale: 'zh-CN',
    description:
      'Lumen 相机的官方支持社区：固件、电池、连接和保修问题。**官方员工在工作日 24 小时内回复。**\n\nOfficial support for Lumen cameras: firmware, batteries, connectivity and warranty. Staff reply within one business day.',
    members: { amy_support: 'staff', 陈版主: 'moderator', alice: 'member', 李雷: 'member', 韩梅梅: 'member', bob: 'member' },
  },
  {
    slug: 'home-coffee',
    name: 'Home Coffee Roasting',
    kind: 'interest',
    defaultLocale: 'en',
    description: 'Roasting green beans at home: popcorn poppers, drum roasters, profiles, and *first crack* stories.',
    members: { alice: 'moderator', bob: 'member', 韩梅梅: 'member' },
  },
  {
    slug: 'photo-fans',
    name: '数码摄影爱好者',
    kind: 'interest',
    defaultLocale: 'zh-CN',
    description: '分享拍摄技巧、后期处理和器材心得。欢迎新手提问！',
    members: { 陈版主: 'moderator', 李雷: 'member', 韩梅梅: 'member', alice: 'member' },
  },
];
