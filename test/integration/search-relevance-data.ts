/*
 * Hand-written relevance check for site search: questions (with some answers) in English
 * and Chinese, and queries a person might type for each of them: paraphrased, misspelt,
 * half-typed, or with words the question itself does not use. Each query names the key of
 * the question it should find; an answer of that question counts as finding it.
 */

export interface RelevanceQuestion {
  key: string;
  community: 'coffee' | 'cameras' | 'router';
  title: string;
  body: string;
  tags: string[];
  answers?: string[];
}

export interface RelevanceQuery {
  q: string;
  expect: string;
  kind: 'paraphrase' | 'typo' | 'prefix' | 'chinese' | 'synonym';
}

export const questions: RelevanceQuestion[] = [
  // ---- Home coffee (English) ----
  { key: 'descale', community: 'coffee', title: 'How often should I descale my espresso machine?', body: 'My machine has started to sound louder and the water flow seems slower. I live in an area with hard water. How often is descaling needed and what product works?', tags: ['espresso', 'maintenance'], answers: ['With hard water descale every month. Citric acid works, but follow the manufacturer. Use filtered water to reduce limescale.'] },
  { key: 'grind-size', community: 'coffee', title: 'What grind size for a V60 pour-over?', body: 'My pour-over tastes sour and the water drains in under two minutes. Should I grind finer?', tags: ['pour-over', 'grinder'], answers: ['Sour and fast means under-extracted: grind finer, aim for a total brew time near three minutes.'] },
  { key: 'roast-smoke', community: 'coffee', title: 'Roasting beans at home without setting off the smoke alarm', body: 'I roast green coffee in a popcorn popper in my kitchen and the chaff and smoke trigger the alarm. Any tips for ventilation?', tags: ['roasting'], answers: ['Roast outside or under a strong range hood, and stop before second crack to keep the smoke down.'] },
  { key: 'milk-foam', community: 'coffee', title: 'Steamed milk is too bubbly for latte art', body: 'When I steam milk with the wand I get big bubbles instead of silky microfoam. What am I doing wrong?', tags: ['milk', 'latte'], answers: ['Keep the steam tip just under the surface for a few seconds only, then submerge it to spin the milk into a whirlpool.'] },
  { key: 'bean-storage', community: 'coffee', title: 'Should I store coffee beans in the freezer?', body: 'I buy a kilo at a time. Does freezing keep the beans fresh or does condensation ruin them?', tags: ['beans', 'storage'], answers: ['Freeze in small airtight portions and do not refreeze. Let a portion reach room temperature before opening.'] },
  { key: 'channeling', community: 'coffee', title: 'Espresso shot is channeling and tastes bitter and sour at once', body: 'The puck has small holes after extraction and the shot runs unevenly. I tamp hard. What causes channeling?', tags: ['espresso', 'extraction'], answers: ['Distribute the grounds before tamping (a WDT tool helps); uneven density lets water find a fast path.'] },
  { key: 'cold-brew', community: 'coffee', title: 'Cold brew ratio and steeping time', body: 'What ratio of coffee to water and how many hours should cold brew steep in the fridge?', tags: ['cold-brew'] },
  { key: 'grinder-burrs', community: 'coffee', title: 'When do I need to replace the burrs of my grinder?', body: 'My conical burr grinder is five years old and the grind seems less consistent.', tags: ['grinder', 'maintenance'], answers: ['Steel burrs last around 500 kg of coffee for home use; inconsistency is more often old coffee oils, so clean them first.'] },
  { key: 'decaf', community: 'coffee', title: 'Is decaf coffee completely caffeine free?', body: 'My doctor told me to avoid caffeine. How much is left in decaffeinated coffee?', tags: ['health'] },
  { key: 'aeropress', community: 'coffee', title: 'AeroPress inverted method leaks', body: 'Using the inverted method the plunger slips and coffee leaks out of the seal.', tags: ['aeropress'], answers: ['The rubber seal wears out; replace it or wet it before inserting the plunger.'] },

  // ---- Cameras (English) ----
  { key: 'sensor-dust', community: 'cameras', title: 'Dark spots on every photo: how to clean the sensor?', body: 'There are the same dark spots in the sky on all my pictures at f/16. Is it dust on the sensor and can I clean it myself?', tags: ['sensor', 'cleaning'], answers: ['Use a blower first; never canned air. If spots stay, a sensor swab with cleaning fluid.'] },
  { key: 'night-sky', community: 'cameras', title: 'Settings for photographing the Milky Way', body: 'Which shutter speed, aperture and ISO should I use for astrophotography of the stars without trails?', tags: ['astro', 'settings'], answers: ['Use the 500 rule for the shutter, the widest aperture, ISO 3200, and manual focus on a bright star.'] },
  { key: 'battery-drain', community: 'cameras', title: 'Camera battery drains fast even when switched off', body: 'A fully charged battery is empty after two days in the bag with the camera off. Bluetooth is on.', tags: ['battery'], answers: ['Bluetooth and location sync keep running while the camera is off; disable them in the network menu.'] },
  { key: 'blurry-portraits', community: 'cameras', title: 'Portraits are blurry, focus lands on the ears', body: 'With my 50mm at f/1.8 the eyes are soft but the ears are sharp. How do I get sharp eyes?', tags: ['focus', 'portrait'], answers: ['Turn on eye autofocus and use a single focus point; at f/1.8 the depth of field is a few centimetres.'] },
  { key: 'raw-jpeg', community: 'cameras', title: 'Should I shoot RAW or JPEG?', body: 'What are the advantages of RAW files over JPEG for a beginner and do I need special software?', tags: ['raw', 'editing'] },
  { key: 'lens-fungus', community: 'cameras', title: 'White threads inside my old lens, is it fungus?', body: 'I bought a vintage lens and there are thin white web-like lines between the glass elements.', tags: ['lens', 'vintage'], answers: ['That is fungus. Keep it away from your other lenses; a repair shop can disassemble and clean it.'] },
  { key: 'firmware-update', community: 'cameras', title: 'Firmware update failed and the camera will not turn on', body: 'The update stopped halfway because the card was removed, now the screen stays black.', tags: ['firmware'] },
  { key: 'rain-protection', community: 'cameras', title: 'How do I protect my camera from rain?', body: 'I am going hiking in Scotland. Is a weather sealed body enough or do I need a cover?', tags: ['weather'], answers: ['Use a rain cover or even a plastic bag, and wipe the lens hood; weather sealing is not waterproofing.'] },

  // ---- Router support (English) ----
  { key: 'wifi-drops', community: 'router', title: 'WiFi keeps disconnecting every few minutes', body: 'My laptop loses the wireless connection to the router several times per hour, the phone too.', tags: ['wifi'], answers: ['Change the channel to a less crowded one and update the router firmware; auto channel sometimes hops too often.'] },
  { key: 'port-forward', community: 'router', title: 'How to set up port forwarding for a game server', body: 'I host a Minecraft server on my PC and friends cannot connect from outside.', tags: ['port-forwarding', 'nat'], answers: ['Give the PC a fixed local address, then forward TCP 25565 to it under Advanced > NAT.'] },
  { key: 'reset-password', community: 'router', title: 'Forgot the admin password of the router', body: 'I cannot log into the admin page anymore. How can I reset it without losing the internet settings?', tags: ['password', 'reset'], answers: ['A factory reset (hold the reset button ten seconds) clears all settings; back up the configuration first if you still can.'] },
  { key: 'slow-5ghz', community: 'router', title: 'Speed on 5 GHz is slower than on 2.4 GHz', body: 'Speed tests show 40 Mbps on the 5GHz band and 90 on 2.4. I expected the opposite.', tags: ['wifi', 'speed'] },
  { key: 'parental', community: 'router', title: 'Block websites for my kids at night', body: 'Can the router limit internet access for the children devices after 9 pm and block some sites?', tags: ['parental-controls'], answers: ['Use Parental Controls: add the devices to a profile, set a bedtime schedule and a blocklist.'] },
  { key: 'mesh', community: 'router', title: 'Adding a mesh satellite to extend coverage upstairs', body: 'The signal is weak in the bedrooms. Can I pair a mesh node with this router?', tags: ['mesh', 'wifi'] },

  // ---- 咖啡 (Chinese) ----
  { key: 'zh-descale', community: 'coffee', title: '意式咖啡机多久需要除垢一次？', body: '我家的水比较硬，咖啡机用了半年出水越来越慢，声音也变大了。应该多久除垢，用什么除垢剂？', tags: ['咖啡机', '保养'], answers: ['硬水地区建议每个月除垢一次，可以用柠檬酸，平时用过滤水可以减少水垢。'] },
  { key: 'zh-sour', community: 'coffee', title: '手冲咖啡喝起来很酸是什么原因？', body: '我用V60手冲，豆子是浅烘焙的，冲出来的咖啡特别酸，萃取时间不到两分钟。', tags: ['手冲'], answers: ['酸味明显通常是萃取不足，把研磨调细一些，水温提高到92度左右。'] },
  { key: 'zh-beans', community: 'coffee', title: '咖啡豆开封后怎么保存才新鲜？', body: '一次买了一公斤咖啡豆，开封以后放在哪里比较好，要不要放冰箱冷冻？', tags: ['咖啡豆', '保存'], answers: ['分装成小份密封冷冻，取出后等回到室温再打开，避免受潮。'] },
  { key: 'zh-latte', community: 'coffee', title: '打奶泡总是有很多大气泡', body: '用蒸汽棒打牛奶，奶泡很粗，拉花的时候图案出不来。', tags: ['奶泡', '拉花'], answers: ['蒸汽棒先在液面下一点点进气几秒，然后深入让牛奶旋转，就能打出细腻的奶泡。'] },
  { key: 'zh-roast', community: 'coffee', title: '在家烘焙咖啡豆烟太大怎么办？', body: '用爆米花机在厨房烘豆，银皮和烟雾会触发烟雾报警器。', tags: ['烘焙'] },
  { key: 'zh-grinder', community: 'coffee', title: '磨豆机的刀盘多久更换一次？', body: '我的锥刀磨豆机用了五年，感觉研磨不均匀了。', tags: ['磨豆机'] },

  // ---- 相机 (Chinese) ----
  { key: 'zh-sensor', community: 'cameras', title: '照片上总有黑点，是传感器脏了吗？', body: '用小光圈拍天空时每张照片同一位置都有黑色斑点，可以自己清洁传感器吗？', tags: ['传感器', '清洁'], answers: ['先用气吹吹一下，不要用罐装压缩空气；还有污点的话用清洁棒加清洁液。'] },
  { key: 'zh-stars', community: 'cameras', title: '拍银河和星空用什么参数？', body: '第一次拍星空，快门速度、光圈和感光度应该怎么设置才不会拖线？', tags: ['星空', '参数'], answers: ['用最大光圈，ISO 3200 左右，快门按500法则计算，手动对焦在亮星上。'] },
  { key: 'zh-battery', community: 'cameras', title: '相机关机后电池也掉电很快', body: '电池充满放在包里两天就没电了，相机是关着的，蓝牙开着。', tags: ['电池'], answers: ['关机后蓝牙和定位同步仍在工作，在网络菜单里关掉即可。'] },
  { key: 'zh-fungus', community: 'cameras', title: '老镜头里面有白色丝状物是发霉了吗？', body: '买了一支二手老镜头，镜片之间有细细的白色蛛网一样的东西。', tags: ['镜头'], answers: ['这是镜头发霉，和其他镜头分开存放，可以送维修店拆开清洗。'] },
  { key: 'zh-rain', community: 'cameras', title: '下雨天怎么保护相机？', body: '要去徒步旅行，机身有防尘防滴设计，还需要防雨罩吗？', tags: ['防水'] },

  // ---- 路由器 (Chinese) ----
  { key: 'zh-wifi', community: 'router', title: '无线网络每隔几分钟就断开一次', body: '笔记本和手机连接路由器的WiFi经常掉线，每小时好几次。', tags: ['无线'], answers: ['换一个不拥挤的信道，并升级路由器固件；自动信道有时切换太频繁。'] },
  { key: 'zh-password', community: 'router', title: '忘记了路由器管理密码怎么办？', body: '登录不了管理页面了，怎样重置密码又不丢失上网设置？', tags: ['密码', '重置'], answers: ['长按复位键十秒恢复出厂设置会清除所有配置，能登录的话先备份配置文件。'] },
  { key: 'zh-portforward', community: 'router', title: '怎么设置端口转发让朋友连我的游戏服务器？', body: '我在电脑上开了我的世界服务器，外网的朋友连不上。', tags: ['端口转发'], answers: ['先给电脑设置固定的内网地址，然后在高级设置的NAT里把TCP 25565转发过去。'] },
  { key: 'zh-parental', community: 'router', title: '晚上限制孩子上网的时间', body: '路由器能不能设置孩子的设备晚上九点以后不能上网，并屏蔽一些网站？', tags: ['家长控制'], answers: ['使用家长控制功能：把设备加入一个配置文件，设置就寝时间和网站黑名单。'] },
  { key: 'zh-mesh', community: 'router', title: '楼上信号弱，可以加一个Mesh节点吗？', body: '卧室里的无线信号很弱，这款路由器支持组网扩展覆盖吗？', tags: ['mesh', '无线'] },
];

export const queries: RelevanceQuery[] = [
  // Paraphrases: the words a person uses, not the words of the title.
  { q: 'limescale espresso', expect: 'descale', kind: 'paraphrase' },
  { q: 'pour over tastes sour', expect: 'grind-size', kind: 'paraphrase' },
  { q: 'smoke alarm roasting', expect: 'roast-smoke', kind: 'paraphrase' },
  { q: 'microfoam big bubbles', expect: 'milk-foam', kind: 'paraphrase' },
  { q: 'freeze beans', expect: 'bean-storage', kind: 'paraphrase' },
  { q: 'uneven extraction puck holes', expect: 'channeling', kind: 'paraphrase' },
  { q: 'cold brew how many hours', expect: 'cold-brew', kind: 'paraphrase' },
  { q: 'replace grinder burrs', expect: 'grinder-burrs', kind: 'paraphrase' },
  { q: 'caffeine in decaf', expect: 'decaf', kind: 'paraphrase' },
  { q: 'aeropress plunger seal leaking', expect: 'aeropress', kind: 'paraphrase' },
  { q: 'spots in sky photos', expect: 'sensor-dust', kind: 'paraphrase' },
  { q: 'milky way shutter speed', expect: 'night-sky', kind: 'paraphrase' },
  { q: 'battery empty while camera off', expect: 'battery-drain', kind: 'paraphrase' },
  { q: 'eyes not sharp portrait', expect: 'blurry-portraits', kind: 'paraphrase' },
  { q: 'raw vs jpeg beginner', expect: 'raw-jpeg', kind: 'paraphrase' },
  { q: 'fungus in vintage lens', expect: 'lens-fungus', kind: 'paraphrase' },
  { q: 'black screen after firmware update', expect: 'firmware-update', kind: 'paraphrase' },
  { q: 'camera in the rain', expect: 'rain-protection', kind: 'paraphrase' },
  { q: 'wireless connection drops', expect: 'wifi-drops', kind: 'paraphrase' },
  { q: 'minecraft server friends cannot connect', expect: 'port-forward', kind: 'paraphrase' },
  { q: 'factory reset router admin password', expect: 'reset-password', kind: 'paraphrase' },
  { q: '5ghz slower than 2.4', expect: 'slow-5ghz', kind: 'paraphrase' },
  { q: 'limit kids internet bedtime', expect: 'parental', kind: 'paraphrase' },
  { q: 'weak signal upstairs bedrooms', expect: 'mesh', kind: 'paraphrase' },
  // Written without looking at the index: some share almost no words with their question.
  { q: 'machine making noise hard water', expect: 'descale', kind: 'paraphrase' },
  { q: 'bitter and sour espresso', expect: 'channeling', kind: 'paraphrase' },
  { q: 'keep coffee fresh longer', expect: 'bean-storage', kind: 'paraphrase' },
  { q: 'camera dies overnight', expect: 'battery-drain', kind: 'paraphrase' },
  { q: 'internet cuts out', expect: 'wifi-drops', kind: 'paraphrase' },
  { q: 'kid safe internet', expect: 'parental', kind: 'paraphrase' },

  // Misspelt (typo tolerance: one typo from 5 letters, two from 9).
  { q: 'descal espreso machine', expect: 'descale', kind: 'typo' },
  { q: 'chaneling espresso', expect: 'channeling', kind: 'typo' },
  { q: 'steamd milk bubbels', expect: 'milk-foam', kind: 'typo' },
  { q: 'astrophotograpy settings', expect: 'night-sky', kind: 'typo' },
  { q: 'firmwear update failed', expect: 'firmware-update', kind: 'typo' },
  { q: 'port forwardng game', expect: 'port-forward', kind: 'typo' },
  { q: 'parentel controls', expect: 'parental', kind: 'typo' },
  { q: 'disconecting wifi', expect: 'wifi-drops', kind: 'typo' },
  { q: 'sensr cleaning', expect: 'sensor-dust', kind: 'typo' },
  { q: 'aeorpress leaks', expect: 'aeropress', kind: 'typo' },

  // Half-typed (prefix on the last word).
  { q: 'cold bre', expect: 'cold-brew', kind: 'prefix' },
  { q: 'latte ar', expect: 'milk-foam', kind: 'prefix' },
  { q: 'milky wa', expect: 'night-sky', kind: 'prefix' },
  { q: 'port forw', expect: 'port-forward', kind: 'prefix' },
  { q: 'decaffein', expect: 'decaf', kind: 'prefix' },

  // Chinese: paraphrased, different word boundaries, no spaces.
  { q: '咖啡机除垢', expect: 'zh-descale', kind: 'chinese' },
  { q: '水垢 柠檬酸', expect: 'zh-descale', kind: 'chinese' },
  { q: '手冲太酸', expect: 'zh-sour', kind: 'chinese' },
  { q: '咖啡豆冷冻保存', expect: 'zh-beans', kind: 'chinese' },
  { q: '奶泡气泡太大', expect: 'zh-latte', kind: 'chinese' },
  { q: '烘豆烟雾报警', expect: 'zh-roast', kind: 'chinese' },
  { q: '磨豆机刀盘', expect: 'zh-grinder', kind: 'chinese' },
  { q: '传感器清洁', expect: 'zh-sensor', kind: 'chinese' },
  { q: '照片黑点', expect: 'zh-sensor', kind: 'chinese' },
  { q: '星空参数', expect: 'zh-stars', kind: 'chinese' },
  { q: '拍银河', expect: 'zh-stars', kind: 'chinese' },
  { q: '关机 掉电', expect: 'zh-battery', kind: 'chinese' },
  { q: '镜头发霉', expect: 'zh-fungus', kind: 'chinese' },
  { q: '雨天保护相机', expect: 'zh-rain', kind: 'chinese' },
  { q: 'wifi 掉线', expect: 'zh-wifi', kind: 'chinese' },
  { q: '路由器密码忘了', expect: 'zh-password', kind: 'chinese' },
  { q: '端口转发 游戏服务器', expect: 'zh-portforward', kind: 'chinese' },
  { q: '孩子上网时间', expect: 'zh-parental', kind: 'chinese' },
  { q: 'mesh 信号弱', expect: 'zh-mesh', kind: 'chinese' },
  { q: '相机进水', expect: 'zh-rain', kind: 'chinese' },
  { q: '网络不稳定', expect: 'zh-wifi', kind: 'chinese' },
  { q: '奶泡不细腻', expect: 'zh-latte', kind: 'chinese' },
  { q: '镜头里有霉', expect: 'zh-fungus', kind: 'chinese' },
];

/**
 * Synonym groups as a site admin would type them from the FAQ gaps report (comma-separated,
 * any case and punctuation), some crossing languages, some with phrase terms.
 */
export const synonymGroups: string[] = [
  'descale, decalcify, decalcification',
  'fungus, mould, mold, 真菌, 霉菌, 发霉',
  'decaf, decaffeinated, caffeine free, 低因',
  'milky way, galaxy, 银河',
  'mesh, 网状网络, 组网',
];

/** Queries whose words are nowhere in the index: they find their question only through a group above. */
export const synonymQueries: RelevanceQuery[] = [
  { q: 'decalcify', expect: 'descale', kind: 'synonym' },
  { q: 'mould', expect: 'lens-fungus', kind: 'synonym' },
  { q: '真菌', expect: 'zh-fungus', kind: 'synonym' },
  { q: '低因', expect: 'decaf', kind: 'synonym' },
  { q: 'galaxy', expect: 'night-sky', kind: 'synonym' },
  { q: '网状网络', expect: 'zh-mesh', kind: 'synonym' },
];

/** Near-misses written by hand: they share words with the questions above but answer something else. */
export const confusers: RelevanceQuestion[] = [
  { key: 'c-grouphead', community: 'coffee', title: 'Cleaning the group head gasket of an espresso machine', body: 'Coffee oils build up on the shower screen. How do I backflush and clean the gasket?', tags: ['espresso', 'cleaning'] },
  { key: 'c-grinder-espresso', community: 'coffee', title: 'Which grinder for both espresso and pour-over?', body: 'I want one burr grinder that can do fine espresso and coarse pour-over grind size.', tags: ['grinder'] },
  { key: 'c-milk-alt', community: 'coffee', title: 'Oat milk for latte: which brand steams well?', body: 'Plant milk does not foam like dairy milk. Any brand that works for latte art?', tags: ['milk', 'latte'] },
  { key: 'c-water', community: 'coffee', title: 'Best water for brewing coffee', body: 'Does filtered or bottled water taste better than tap water for coffee? Hard water makes it flat.', tags: ['water'] },
  { key: 'c-beans-fresh', community: 'coffee', title: 'How long after the roast date are beans best?', body: 'Should I wait a few days after roasting before brewing espresso with new beans?', tags: ['beans', 'roasting'] },
  { key: 'c-lens-clean', community: 'cameras', title: 'How to clean a lens without scratching the coating', body: 'Fingerprints on the front element. Is a microfiber cloth safe or do I need lens cleaning fluid?', tags: ['lens', 'cleaning'] },
  { key: 'c-battery-grip', community: 'cameras', title: 'Battery grip worth it for wedding photography?', body: 'Long days of shooting; does a grip with a second battery help?', tags: ['battery'] },
  { key: 'c-focus-sports', community: 'cameras', title: 'Autofocus settings for sports photos', body: 'Which focus mode and shutter speed to freeze fast players?', tags: ['focus', 'settings'] },
  { key: 'c-router-firmware', community: 'router', title: 'Where do I download the latest router firmware?', body: 'The update page in the admin panel says no update found.', tags: ['firmware'] },
  { key: 'c-wifi-password', community: 'router', title: 'How to change the WiFi password', body: 'I want to change the wireless network password, not the admin password of the router.', tags: ['wifi', 'password'] },
  { key: 'c-zh-clean', community: 'coffee', title: '咖啡机冲煮头怎么清洁？', body: '冲煮头上的咖啡油脂越来越多，需要反冲洗吗？', tags: ['咖啡机', '清洁'] },
  { key: 'c-zh-beans-roast', community: 'coffee', title: '咖啡豆烘焙后多久喝最好？', body: '新烘焙的咖啡豆要养豆几天再做意式浓缩吗？', tags: ['咖啡豆', '烘焙'] },
  { key: 'c-zh-lens', community: 'cameras', title: '镜头上有指纹怎么清洁？', body: '前镜片上有指纹，用眼镜布擦会不会刮伤镀膜？', tags: ['镜头', '清洁'] },
  { key: 'c-zh-wifi-pass', community: 'router', title: '怎么修改无线网络密码？', body: '想改WiFi密码，不是路由器的管理密码。', tags: ['无线', '密码'] },
  { key: 'c-zh-speed', community: 'router', title: '宽带测速只有一半是路由器的问题吗？', body: '办的是500兆宽带，无线测速只有两百多兆。', tags: ['网速'] },
];

const vocabulary = {
  coffee: {
    en: 'coffee espresso machine grinder beans roast brew water milk latte shot pressure temperature tamp basket portafilter crema taste bitter sour sweet acidity filter kettle scale ratio dose extraction cleaning descaling wand steam boiler pump grind burr fine coarse aroma cup morning'.split(' '),
    zh: '咖啡 意式 机器 研磨 豆子 烘焙 冲煮 水温 牛奶 拿铁 压力 粉碗 手柄 油脂 口感 苦味 酸味 甜感 滤杯 手冲壶 比例 粉量 萃取 清洁 蒸汽 锅炉 水泵 粗细 香气 杯子'.split(' '),
  },
  cameras: {
    en: 'camera lens photo sensor shutter aperture iso focus autofocus zoom tripod flash light exposure portrait landscape night color editing raw jpeg memory card battery strap bag filter mount body mirrorless viewfinder screen menu video stabilization'.split(' '),
    zh: '相机 镜头 照片 传感器 快门 光圈 感光度 对焦 变焦 三脚架 闪光灯 曝光 人像 风景 夜景 色彩 后期 存储卡 电池 背带 相机包 滤镜 卡口 机身 微单 取景器 屏幕 菜单 视频 防抖'.split(' '),
  },
  router: {
    en: 'router wifi wireless network internet cable modem speed signal channel band password admin firmware update reset device laptop phone connection ethernet port address dhcp dns guest mesh coverage antenna settings app account'.split(' '),
    zh: '路由器 无线 网络 宽带 网线 光猫 网速 信号 信道 频段 密码 管理 固件 升级 重置 设备 电脑 手机 连接 网口 地址 访客 组网 覆盖 天线 设置 应用 账号 掉线 延迟'.split(' '),
  },
};

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Background questions made of each community's everyday words, so that every query word
 * is common and the right question has to win on ranking, not on being the only match.
 */
export function distractors(perCommunity = 150): RelevanceQuestion[] {
  const random = mulberry32(20240601);
  const pick = (list: string[], n: number) => Array.from({ length: n }, () => list[Math.floor(random() * list.length)]!);
  const out: RelevanceQuestion[] = [];
  for (const community of ['coffee', 'cameras', 'router'] as const) {
    const v = vocabulary[community];
    for (let i = 0; i < perCommunity; i++) {
      const zh = i % 3 === 0;
      const words = zh ? v.zh : v.en;
      const join = zh ? '' : ' ';
      const title = pick(words, 4 + Math.floor(random() * 4)).join(join) + (zh ? '的问题' : ' question');
      const body = pick(words, 20 + Math.floor(random() * 30)).join(join) + (zh ? '。' : '.');
      out.push({ key: `noise-${community}-${i}`, community, title, body, tags: pick(words, 2).map((t) => t.toLowerCase()) });
    }
  }
  return out;
}
