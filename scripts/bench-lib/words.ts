import type { CommunityKind, Locale } from '../../src/domain/types.js';

/*
 * Word lists for the benchmark data. Generated text must contain no characters that
 * Markdown or HTML escaping would change (& < > " ' * _ outside code), so that the
 * generator can write body_html and body_text directly instead of running the
 * Markdown pipeline 400,000 times; generate.ts checks a sample against the pipeline.
 */

export interface CommunityDef {
  slug: string;
  name: string;
  kind: CommunityKind;
  locale: Locale;
  description: string;
}

export const COMMUNITIES: readonly CommunityDef[] = [
  { slug: 'photography', name: 'Photography with Our Cameras', kind: 'interest', locale: 'en', description: 'Share shots, settings and lens advice with other owners.' },
  { slug: 'coffee-roasting', name: '家庭咖啡烘焙', kind: 'interest', locale: 'zh-CN', description: '在家烘焙咖啡豆的经验交流。' },
  { slug: 'smart-home', name: 'SmartHome Hub Support', kind: 'business', locale: 'en', description: 'Official support for the SmartHome hub, sensors and app.' },
  { slug: 'router-support', name: '路由器技术支持', kind: 'business', locale: 'zh-CN', description: '路由器安装、联网与固件问题的官方支持。' },
  { slug: 'cycling', name: 'Cycling and Bike Fitting', kind: 'interest', locale: 'en', description: 'Routes, bike fitting and maintenance tips.' },
  { slug: 'ebike-support', name: '电动自行车售后', kind: 'business', locale: 'zh-CN', description: '电动自行车电池、电机与保修服务。' },
  { slug: 'gardening', name: '阳台园艺', kind: 'interest', locale: 'zh-CN', description: '阳台种菜、养花与浇水经验。' },
  { slug: 'laptop-support', name: 'Laptop Support', kind: 'business', locale: 'en', description: 'Help with our laptops: drivers, batteries, repairs and warranty.' },
  { slug: 'home-baking', name: '家庭烘焙', kind: 'interest', locale: 'zh-CN', description: '面包、蛋糕与烤箱使用心得。' },
  { slug: 'cloud-storage', name: 'Cloud Storage Help Center', kind: 'business', locale: 'en', description: 'Sync, sharing, backup and billing for our cloud storage service.' },
  { slug: 'drones', name: 'Drone Pilots', kind: 'interest', locale: 'en', description: 'Flying, filming and firmware for hobby drones.' },
  { slug: 'phone-support', name: '手机售后支持', kind: 'business', locale: 'zh-CN', description: '手机系统、充电、屏幕与维修问题。' },
  { slug: 'audio-gear', name: '耳机与音响', kind: 'interest', locale: 'zh-CN', description: '耳机、音箱与解码器的讨论。' },
  { slug: 'billing-help', name: 'Billing and Subscriptions', kind: 'business', locale: 'en', description: 'Invoices, refunds, plans and payment methods.' },
  { slug: 'fishing', name: 'Fly Fishing', kind: 'interest', locale: 'en', description: 'Knots, rods, rivers and flies.' },
  { slug: 'printer-support', name: '打印机服务中心', kind: 'business', locale: 'zh-CN', description: '打印机驱动、墨盒与无线打印。' },
  { slug: 'board-games', name: '桌游爱好者', kind: 'interest', locale: 'zh-CN', description: '桌游规则、策略与推荐。' },
  { slug: 'smartwatch-support', name: 'Smartwatch Support', kind: 'business', locale: 'en', description: 'Pairing, health tracking and battery life of our watches.' },
  { slug: 'aquariums', name: 'Home Aquariums', kind: 'interest', locale: 'en', description: 'Water chemistry, filters, plants and fish care.' },
  { slug: 'tv-streaming', name: '电视与流媒体支持', kind: 'business', locale: 'zh-CN', description: '智能电视、机顶盒与流媒体应用。' },
];

/** More communities than the list above get generic names, alternating kind and locale. */
export function communityDef(index: number): CommunityDef {
  if (index < COMMUNITIES.length) return COMMUNITIES[index];
  const n = index + 1;
  const zh = index % 2 === 1;
  return {
    slug: `community-${n}`,
    name: zh ? `社区 ${n}` : `Community ${n}`,
    kind: index % 4 < 2 ? 'interest' : 'business',
    locale: zh ? 'zh-CN' : 'en',
    description: zh ? `第 ${n} 个测试社区。` : `Benchmark community number ${n}.`,
  };
}

export const EN_TAGS: readonly string[] = (
  'battery firmware wifi bluetooth setup installation billing refund shipping warranty account login password sync backup update ' +
  'android ios windows macos linux printer camera lens autofocus exposure raw jpeg lighting tripod coffee roasting grinder espresso ' +
  'beans router modem mesh vpn dns ipv6 ethernet usb usb-c hdmi charger charging screen display keyboard trackpad mouse speaker ' +
  'headphones microphone noise-cancelling driver drivers app mobile-app web-app notifications privacy security 2fa sso api webhook ' +
  'export import csv pdf invoice subscription plan upgrade downgrade cancellation payment credit-card paypal tax receipt storage ' +
  'sharing permissions folders sync-errors offline performance crash freeze overheating fan noise repair replacement return ' +
  'accessories case strap gps heart-rate sleep fitness steps calories pairing reset factory-reset beta release-notes bug ' +
  'feature-request feedback getting-started how-to troubleshooting error-message compatibility sensor thermostat lights camera-feed ' +
  'motion-detection automation schedule voice-assistant alexa google-home homekit zigbee z-wave hub gateway motor brakes tires ' +
  'gears chain saddle fitting helmet route training watering soil seeds fertilizer pests tomatoes herbs succulents oven dough ' +
  'bread sourdough cake flour yeast temperature drone gimbal propellers flight-time calibration compass video 4k editing ' +
  'streaming remote tv set-top-box subtitles casting chromecast airplay resolution hdr audio dac amplifier cable ink toner ' +
  'paper-jam scanner wireless-printing duplex fishing-rod flies knots river trout reel aquarium filter ph ammonia plants ' +
  'algae shrimp lighting-schedule board-games rules strategy expansion solo-mode two-player'
)
  .split(/\s+/)
  .filter(Boolean);

export const ZH_TAGS: readonly string[] = (
  '电池 固件 无线网络 蓝牙 安装 设置 账单 退款 物流 保修 账号 登录 密码 同步 备份 更新 安卓 苹果 打印机 相机 镜头 对焦 曝光 ' +
  '咖啡豆 烘焙 磨豆机 浓缩咖啡 路由器 光猫 网速 信号 充电 屏幕 键盘 音箱 耳机 降噪 驱动 应用 通知 隐私 安全 发票 订阅 套餐 ' +
  '支付 存储 分享 权限 离线 性能 闪退 卡顿 发热 维修 换货 配件 表带 心率 睡眠 运动 配对 重置 恢复出厂 测试版 故障 建议 ' +
  '新手入门 教程 报错 兼容性 传感器 自动化 语音助手 电机 刹车 轮胎 浇水 土壤 种子 肥料 虫害 烤箱 面团 面包 蛋糕 温度 ' +
  '无人机 云台 续航 校准 视频 剪辑 遥控器 电视 字幕 投屏 分辨率 音质 解码器 墨盒 卡纸 扫描 鱼竿 水族箱 过滤器 水草 桌游 规则 策略'
)
  .split(/\s+/)
  .filter(Boolean);

export const EN_NOUNS: readonly string[] = (
  'device app update battery screen connection network setting account password problem error message option menu button ' +
  'firmware version driver cable charger port light sensor signal router server file folder photo video picture lens mode ' +
  'profile subscription invoice payment plan order refund warranty support team ticket manual guide step page link feature ' +
  'issue workaround fix log report window tab list schedule timer speaker microphone sound volume temperature speed memory ' +
  'storage disk space backup copy sync phone tablet laptop computer watch remote controller hub gateway motor wheel chain ' +
  'oven dough recipe bean grinder filter tank water plant soil seed'
)
  .split(/\s+/)
  .filter(Boolean);

export const EN_VERBS: readonly string[] = (
  'install update reset restart connect configure enable disable change remove replace check open close share sync export ' +
  'import upload download pair charge clean fix test measure adjust calibrate select save restore delete move copy find ' +
  'use keep set turn switch try'
)
  .split(/\s+/)
  .filter(Boolean);

export const EN_ADJECTIVES: readonly string[] = (
  'new old latest previous default custom slow fast stable broken wrong correct official strange random automatic manual ' +
  'wireless local remote empty full low high long short small large secure public private hidden different same simple'
)
  .split(/\s+/)
  .filter(Boolean);

export const EN_TIMES: readonly string[] = [
  'yesterday', 'this morning', 'last week', 'after the update', 'every night', 'twice a day', 'today', 'recently', 'again', 'every time', 'since Monday',
];

export const EN_QUESTION_TEMPLATES: readonly string[] = [
  'How do I {V} the {N} on my {T}',
  'Why does the {A} {N} keep failing after I {V} it',
  '{T} {N} stopped working after the {A} update',
  'Is it possible to {V} the {N} without a {N}',
  'Best way to {V} {A} {N} for {T}',
  'Cannot {V} {T} {E}',
  '{A} {N} shows an error when I {V} the {N}',
  'What is the right {N} for {T}',
  'How to {V} the {N} and keep the {A} {N}',
  '{T} and {T}: which {N} should I {V}',
  'Problem with {N} and {J} on {T}',
  'Does anyone else see the {A} {N} with {T}',
];

export const EN_SENTENCES: readonly string[] = [
  'I tried to {V} the {N} but the {A} {N} keeps coming back',
  'When I {V} the {N}, the {N} does not {V} anymore',
  'Is there a way to {V} the {A} {N} without losing the {N}',
  'The {N} on my {T} stopped working {E}',
  'You need to {V} the {N} first, then {V} the {T} again',
  'This {N} is {A} because the {N} uses {J}',
  'I have the {A} {N} and the {J} version of the {N}',
  'After I {V} the {T} the {N} shows a {A} {N}',
  'Please check the {N} in the {A} {N} menu',
  'It worked for me after I changed the {N} to {A}',
  'The {A} {N} is the usual cause of this {N}',
  'Make sure the {N} is {A} before you {V} the {N}',
  'I contacted the {N} team and they told me to {V} the {J}',
  'Same here, my {T} has the {A} {N} {E}',
  'The manual says to {V} the {N} but there is no {N} like that',
  'In my case the {J} was {A}, so I had to {V} it',
  'Try to {V} the {N} and wait until the {N} is {A}',
  'This happens with every {A} {N} on {T}',
];

export const ZH_NOUNS: readonly string[] = (
  '设备 应用 电池 屏幕 网络 连接 设置 账号 密码 问题 错误 提示 选项 菜单 按钮 版本 驱动 数据线 充电器 接口 指示灯 ' +
  '信号 服务器 文件 照片 视频 镜头 模式 订单 发票 客服 说明书 步骤 页面 链接 功能 日志 声音 音量 温度 速度 内存 ' +
  '存储 空间 手机 平板 电脑 手表 遥控器 网关 电机 车轮 链条 烤箱 面粉 咖啡豆 滤网 水箱 植物 土壤'
)
  .split(/\s+/)
  .filter(Boolean);

export const ZH_VERBS: readonly string[] = (
  '安装 更新 重置 重启 连接 设置 打开 关闭 修改 删除 更换 检查 同步 导出 导入 上传 下载 配对 充电 清洁 修复 测试 ' +
  '调整 校准 选择 保存 恢复 使用 切换 升级'
)
  .split(/\s+/)
  .filter(Boolean);

export const ZH_ADJECTIVES: readonly string[] = '新的 旧的 最新的 默认的 自定义的 很慢的 稳定的 奇怪的 自动的 手动的 无线的 本地的 官方的 不同的 简单的'
  .split(/\s+/)
  .filter(Boolean);

export const ZH_TIMES: readonly string[] = '昨天 今天早上 上周 更新以后 最近 每天晚上 一直 有时候 每次'.split(/\s+/).filter(Boolean);

export const ZH_QUESTION_TEMPLATES: readonly string[] = [
  '{T}的{N}无法{V}怎么办',
  '{E}{V}{N}以后{T}一直报错',
  '请问怎么{V}{A}{N}',
  '{T}和{N}冲突，{V}也没有用',
  '如何在{T}上{V}{N}',
  '{A}{N}总是出现{J}提示',
  '{T}的{N}{E}变得很慢',
  '求助：{V}{N}失败，提示{J}',
  '{N}和{T}哪个更值得{V}',
];

export const ZH_SENTENCES: readonly string[] = [
  '我的{T}在{V}{N}之后就不能用了',
  '我试过{V}{N}，但是{A}{N}还是有问题',
  '{E}开始，{N}一直显示{J}',
  '请先{V}{N}，然后再{V}{T}',
  '这个{N}是{A}，所以需要{V}一下',
  '我联系了客服，他们让我{V}{J}',
  '同样的问题，我的{T}也是这样',
  '建议检查{A}{N}的设置',
  '{V}{N}以后等几分钟就好了',
  '说明书上说要{V}{N}，但是找不到这个选项',
  '我的情况是{J}有问题，{V}之后就正常了',
  '每次{V}{T}都会出现{A}{N}',
];

export const EN_FIRST_NAMES: readonly string[] = (
  'alice bob carol dave erin frank grace heidi ivan judy ken laura mike nina oscar peggy quinn rita sam tina uma victor ' +
  'wendy xavier yara zack amir bea chen dana eli fatima gus hana igor jon kai lina marco'
)
  .split(/\s+/)
  .filter(Boolean);

export const EN_LAST_NAMES: readonly string[] = 'Smith Jones Brown Miller Davis Garcia Wilson Taylor Clark Lewis Walker Young King Wright Lopez Hill Green Adams Baker Nelson'
  .split(/\s+/)
  .filter(Boolean);

export const ZH_NAMES: readonly string[] = '小明 小红 小华 阿强 阿芳 大伟 晓琳 子涵 浩然 思雨 雨桐 一鸣 佳怡 俊杰 欣怡 志强 美玲 建国 秀英 文博'
  .split(/\s+/)
  .filter(Boolean);

/** Syllables for made-up technical words; none can spell a documented rare word. */
export const SYLLABLES: readonly string[] = (
  'ka lo mi ra tu vex dor pin sal tor ben cor dak fen gul hom jir kel lin mar nor pax ril sin tav ulm vor wen yor'
)
  .split(/\s+/)
  .filter(Boolean);

/** Characters for made-up Chinese terms; none appears in a documented rare word. */
export const ZH_CHARS: readonly string[] = '云 光 星 海 风 雷 金 银 铁 木 火 土 石 山 河 天 地 青 蓝 紫 黄 白 黑 方 圆 长 短 快 慢 高 低 远 近 明 暗 静 动 松 紧 强 弱 软 硬'
  .split(/\s+/)
  .filter(Boolean);

/*
 * Deterministic rare words (documented in docs/bench.md): each appears only in the
 * posts the generator places it in, so a search for it has a known, small hit count.
 */
export const RARE_WORDS = {
  /** In the body of 7 questions (3 of them also contain 'quokkaboot'). */
  enRare: 'zebrafirmware',
  /** Only together with 'zebrafirmware', in 3 questions: the rare two-word query. */
  enRare2: 'quokkaboot',
  /** In the body of 5 answers (3 of them also contain '鸭嘴兽'). */
  zhRare: '稀有词',
  /** Only together with '稀有词', in 3 answers. */
  zhRare2: '鸭嘴兽',
} as const;

/** Characters that must never appear in generated text outside the rare words. */
export const RESERVED_RARE_CHARS = ['稀', '词', '鸭', '嘴', '兽'];
