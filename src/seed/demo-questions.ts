/**
 * Demo threads in Chinese and English. `votes` lists who votes and how, so that some
 * answers reach the FAQ-candidate threshold (score 5) the way they would in real use; in
 * every community at least one of them is left unpromoted (demo-faq.ts), so the
 * moderators' candidate queue has something to try on a fresh install.
 */
export interface DemoAnswer {
  author: string;
  body: string;
  upvoters: number;
  downvoters?: number;
  accepted?: boolean;
}

export interface DemoQuestion {
  community: string;
  author: string;
  title: string;
  body: string;
  tags: string;
  upvoters: number;
  answers: DemoAnswer[];
}

export const demoQuestions: DemoQuestion[] = [
  {
    community: 'lumen-support',
    author: '李雷',
    title: 'Lumen X100 电池续航突然变短怎么办？',
    body: '我的 **Lumen X100** 升级到固件 2.3 之后，电池从能拍 400 张变成只能拍 150 张左右。\n\n- 已经关闭了 Wi-Fi\n- 屏幕亮度调到了中等\n\n请问有人遇到过吗？',
    tags: '电池 固件 x100',
    upvoters: 4,
    answers: [
      {
        author: 'amy_support',
        body: '固件 2.3 默认打开了**蓝牙常连**（用于手机遥控）。请进入 `设置 > 连接 > 蓝牙`，把“待机时保持连接”关闭，续航就会恢复。\n\n我们会在 2.3.1 中把默认值改回关闭。',
        upvoters: 8,
        accepted: true,
      },
      { author: '韩梅梅', body: '我也遇到过，另外建议把电池完全放电再充满一次，校准一下电量显示。', upvoters: 5 },
    ],
  },
  {
    community: 'lumen-support',
    author: 'alice',
    title: 'How do I transfer photos to my phone over Wi-Fi?',
    body: 'I have a Lumen X100 and the Lumen app on Android 14. The app finds the camera but the transfer stops at 0%. What am I missing?',
    tags: 'wifi app transfer',
    upvoters: 5,
    answers: [
      {
        author: 'amy_support',
        body: 'Android 14 needs the **Nearby devices** permission for the Lumen app:\n\n1. Open *Settings > Apps > Lumen > Permissions*.\n2. Allow **Nearby devices** and **Location**.\n3. Restart the transfer.\n\nIf it still stops at 0%, turn off *Mobile data* while transferring: Android may route traffic away from the camera\'s Wi-Fi.',
        upvoters: 7,
        accepted: true,
      },
      { author: 'bob', body: 'Turning off mobile data fixed it for me, the permission was already on.', upvoters: 3 },
    ],
  },
  {
    community: 'lumen-support',
    author: 'bob',
    title: 'Is water damage covered by the Lumen warranty?',
    body: 'My X100 got wet in the rain and now the screen flickers. Is this covered by the two-year warranty?',
    tags: 'warranty repair',
    upvoters: 2,
    answers: [
      {
        author: 'amy_support',
        body: 'Liquid damage is not covered by the standard warranty, but **Lumen Care** plans cover one accidental-damage repair per year. Without a plan we offer a fixed-price repair; open a ticket with your serial number and we will quote it.',
        upvoters: 5,
      },
    ],
  },
  {
    community: 'lumen-support',
    author: '韩梅梅',
    title: '固件升级失败，相机一直显示“更新中”',
    body: '用 SD 卡升级固件，进度条到 80% 就不动了，已经等了一个小时。现在关机再开机还是显示“更新中”，怎么办？',
    tags: '固件 升级',
    upvoters: 3,
    answers: [
      {
        author: 'amy_support',
        body: '不要拔电池。请按以下步骤恢复：\n\n1. 同时按住 **MENU** 和 **播放** 键 10 秒，进入恢复模式；\n2. 把固件文件重新拷贝到**格式化过的** SD 卡根目录；\n3. 在恢复模式中选择“重新安装”。\n\n如果仍然失败，请联系我们寄修，保修期内免费。',
        upvoters: 6,
        accepted: true,
      },
    ],
  },
  {
    community: 'home-coffee',
    author: 'bob',
    title: 'How long should I rest beans after roasting?',
    body: 'I roast in a popcorn popper. The coffee tastes sour and flat the day after roasting. Should I wait longer before brewing?',
    tags: 'resting degassing espresso',
    upvoters: 4,
    answers: [
      {
        author: 'alice',
        body: 'Yes: beans release CO₂ for days after roasting. Rest **light roasts 5–7 days** and **medium-dark 2–4 days** for pour-over; espresso usually tastes best after a week. Store them in a valve bag, not the fridge.',
        upvoters: 6,
        accepted: true,
      },
      { author: '韩梅梅', body: 'Sour and flat can also mean under-development: try extending the time after first crack by 30 seconds.', upvoters: 3 },
    ],
  },
  {
    community: 'home-coffee',
    author: '韩梅梅',
    title: 'First crack is hard to hear in my drum roaster',
    body: 'My small drum roaster is noisy and I keep missing first crack. Any tricks?',
    tags: 'first-crack drum-roaster',
    upvoters: 2,
    answers: [
      { author: 'alice', body: 'Watch the bean temperature instead: first crack usually starts around 196 °C. A cheap thermocouple probe is the best upgrade you can make.', upvoters: 5 },
    ],
  },
  {
    community: 'photo-fans',
    author: '李雷',
    title: '夜景拍摄时怎样避免照片糊掉？',
    body: '晚上拍城市夜景，手持总是糊，用三脚架也有轻微拖影。快门 1/15 秒，ISO 800。',
    tags: '夜景 三脚架 防抖',
    upvoters: 5,
    answers: [
      {
        author: '陈版主',
        body: '用三脚架时请**关闭镜头防抖**，否则防抖系统会自己引入抖动；同时用 2 秒自拍或遥控快门，避免按快门的震动。手持时遵循“安全快门”：快门速度至少为 1/焦距。',
        upvoters: 7,
        accepted: true,
      },
      { author: 'alice', body: '也可以开启电子前帘快门，减少快门震动。', upvoters: 5 },
    ],
  },
  {
    community: 'photo-fans',
    author: '韩梅梅',
    title: 'RAW 和 JPEG 应该选哪个？',
    body: '刚入门，存储卡空间有限。RAW 格式到底有什么好处，值得每张都拍 RAW 吗？',
    tags: 'raw 后期',
    upvoters: 3,
    answers: [
      { author: '陈版主', body: 'RAW 保留了更多的动态范围和白平衡信息，后期调整空间大得多。建议重要场合拍 RAW+JPEG，日常随拍用 JPEG 即可。', upvoters: 5 },
      { author: '李雷', body: '存储卡现在很便宜了，建议直接上 RAW。', upvoters: 1, downvoters: 1 },
    ],
  },
];
