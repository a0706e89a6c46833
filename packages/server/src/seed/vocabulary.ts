/**
 * Word lists for generated demo data: names, company words, roads, vehicle makes. Nothing here
 * names a real company or person; the combinations only look familiar.
 */

/** Common surnames with rough relative frequencies (most frequent first). */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 70],
  ['张', 68],
  ['刘', 52],
  ['陈', 50],
  ['杨', 33],
  ['黄', 24],
  ['赵', 22],
  ['吴', 21],
  ['周', 20],
  ['徐', 17],
  ['孙', 15],
  ['马', 13],
  ['朱', 13],
  ['胡', 12],
  ['郭', 11],
  ['何', 11],
  ['林', 10],
  ['高', 10],
  ['罗', 9],
  ['郑', 9],
  ['梁', 8],
  ['谢', 7],
  ['宋', 6],
  ['唐', 6],
  ['许', 6],
  ['韩', 5],
  ['冯', 5],
  ['邓', 5],
  ['曹', 5],
  ['彭', 5],
  ['曾', 4],
  ['肖', 4],
  ['田', 4],
  ['董', 4],
  ['潘', 4],
  ['袁', 4],
  ['蔡', 4],
  ['蒋', 4],
  ['余', 3],
  ['于', 3],
  ['杜', 3],
  ['叶', 3],
  ['程', 3],
  ['魏', 3],
  ['苏', 3],
  ['吕', 3],
  ['丁', 3],
  ['任', 3],
  ['沈', 3],
  ['姚', 2],
  ['卢', 2],
  ['钟', 2],
  ['姜', 2],
  ['崔', 2],
  ['谭', 2],
  ['陆', 2],
  ['汪', 2],
  ['范', 2],
  ['金', 2],
  ['石', 2],
  ['廖', 2],
  ['贾', 2],
  ['夏', 2],
  ['方', 2],
  ['邵', 2],
  ['应', 1],
  ['楼', 1],
  ['俞', 1],
  ['诸葛', 0.2],
  ['欧阳', 0.3],
]

export const GIVEN_MALE =
  '伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣峰建国文博志成康晨阳东亮毅轩然哲睿翔'
export const GIVEN_FEMALE = '芳娜敏静丽艳娟霞秀燕玲桂丹萍红琳雪慧颖婷倩洁佳琪梦瑶欣怡雨萱晓璐嘉悦雯思蕾薇月婧妍'
export const GIVEN_ANY = '子一佳嘉思文晓雨明家天梓俊浩宇诗心若安可'

/** Two-character brand words of training companies. */
export const COMPANY_WORDS = [
  '顺安',
  '通达',
  '安达',
  '平安',
  '金盾',
  '交运',
  '畅行',
  '永安',
  '宏达',
  '恒通',
  '立信',
  '驰骋',
  '远航',
  '锦程',
  '卓越',
  '众安',
  '康庄',
  '易驾',
  '鑫安',
  '正道',
  '华安',
  '长运',
  '新程',
  '东方',
  '明达',
  '之江',
  '钱塘',
  '瓯江',
  '四通',
  '捷安',
  '久安',
  '信达',
]

export const COMPANY_KINDS = [
  '机动车驾驶员培训有限公司',
  '驾驶培训有限公司',
  '驾驶员培训学校有限公司',
  '机动车驾驶培训学校',
]

export const ROAD_WORDS = [
  '工业',
  '环城北',
  '环城南',
  '振兴',
  '解放',
  '人民',
  '建设',
  '文化',
  '新华',
  '迎宾',
  '滨江',
  '开发',
  '科技',
  '创业',
  '育才',
  '兴业',
  '富民',
  '望江',
  '体育场',
  '世纪',
]

export const ROAD_SUFFIXES = ['路', '大道', '街']

/** Facilities of a 科目二 training ground (GB/T 30341 item names). */
export const SITE_FACILITIES = [
  '倒车入库',
  '侧方停车',
  '坡道定点停车与起步',
  '直角转弯',
  '曲线行驶',
  '模拟城市道路',
  '模拟隧道',
  '模拟雨雾天',
  '模拟湿滑路',
  '模拟紧急情况处置',
  '模拟高速公路',
  '山区道路',
  '窄路掉头',
  '停靠站台',
]
export const CORE_FACILITIES = ['倒车入库', '侧方停车', '坡道定点停车与起步', '直角转弯', '曲线行驶']

export const CLASSROOM_FACILITIES = ['多媒体教学设备', '交通安全宣传展板', '驾驶模拟器', '理论考试练习机']

/** Training-car makes per vehicle type: [brand, model, plate kind]. */
export const CAR_MODELS: Record<string, readonly (readonly [string, string])[]> = {
  C1: [
    ['大众', '捷达 1.5L 手动'],
    ['大众', '桑塔纳 1.5L 手动'],
    ['丰田', '卡罗拉 1.6L 手动'],
    ['雪佛兰', '科鲁泽 1.5L 手动'],
    ['日产', '轩逸 1.6L 手动'],
  ],
  C2: [
    ['大众', '桑塔纳 1.5L 自动'],
    ['丰田', '卡罗拉 1.5L 自动'],
    ['本田', '飞度 1.5L 自动'],
  ],
  C2EV: [
    ['比亚迪', '秦 PLUS EV'],
    ['比亚迪', 'e2'],
    ['吉利', '几何 A'],
    ['广汽埃安', 'AION S'],
  ],
  B2: [
    ['东风', 'EQ1090 中型货车'],
    ['解放', 'J6F 中型货车'],
  ],
  A1: [
    ['宇通', 'ZK6809 大型客车'],
    ['金龙', 'XMQ6802 大型客车'],
  ],
  A2: [
    ['解放', 'J6P 牵引车'],
    ['东风', '天龙 牵引车'],
  ],
}

/** Terminal makers and models (1 车载计程计时终端). */
export const TERMINAL_MODELS: readonly (readonly [string, string, string])[] = [
  // vendor, model, 8-digit TAC of the built-in modem
  ['驾安电子', 'JA-T808', '86451203'],
  ['易培科技', 'YP-V3', '86730504'],
  ['通程智能', 'TC-2016G', '35921109'],
  ['和顺车联', 'HS-X5', '86881405'],
]

/** Timing-platform operators (platform number suffix, short name, company). */
export const PLATFORMS: readonly (readonly [string, string])[] = [
  ['之江驾培计时平台', '浙江之江驾培信息技术有限公司'],
  ['安培计时平台', '杭州安培科技有限公司'],
  ['甬驾通计时服务平台', '宁波甬驾通信息科技有限公司'],
  ['瓯越学驾计时平台', '温州瓯越数据服务有限公司'],
  ['八婺驾培云平台', '金华八婺云科技有限公司'],
  ['越驾计时平台', '绍兴越驾智能科技有限公司'],
  ['禾驾通计时平台', '嘉兴禾驾通网络科技有限公司'],
  ['台驾宝计时平台', '台州台驾宝信息技术有限公司'],
]

/** County-level codes outside Zhejiang where many coaches and students come from (GB/T 2260). */
export const OTHER_PROVINCE_AREAS = [
  '341222', // 安徽 太和县
  '341221', // 安徽 临泉县
  '342201', // 安徽 宿州 埇桥区
  '361121', // 江西 上饶县 (now 广信区; code still on older cards)
  '362330', // 江西 鄱阳县 (older cards)
  '412725', // 河南 鹿邑县
  '411522', // 河南 光山县
  '422126', // 湖北 麻城 (older cards)
  '433122', // 湖南 泸溪县
  '512501', // 四川 宜宾 (older cards)
  '513029', // 四川 大竹县 (older cards)
  '522121', // 贵州 遵义县 (older cards)
  '320322', // 江苏 沛县
  '370826', // 山东 微山县
]
