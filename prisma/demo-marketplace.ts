import type { Funding, NeedStatus, ProviderKind, ProviderStatus, Urgency } from "@prisma/client";
import type { CategoryCode } from "~/domain/catalog/categories";

// The demo marketplace: social organizations and merchants (approved, pending, one rejected and one
// suspended), their services, and a year of residents' needs. Everything is generated from a fixed
// seed, so every demo database is the same.

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error("pick from an empty list");
      return item;
    },
  };
}

export type DemoProviderSpec = {
  kind: ProviderKind;
  /** {sd} is replaced by the subdistrict's short name (东湖, 西城, …). */
  name: string;
  focus: CategoryCode[];
  description: string;
};

export const DEMO_PROVIDERS: DemoProviderSpec[] = [
  {
    kind: "SOCIAL_ORG",
    name: "{sd}夕阳红为老服务中心",
    focus: ["elderly-care", "medical"],
    description:
      "专注社区居家养老服务，组织专业社工和志愿者为独居、空巢和失能老人提供上门探访、助餐助浴和健康监测。",
  },
  {
    kind: "SOCIAL_ORG",
    name: "{sd}心理咨询师协会",
    focus: ["mental-health", "education"],
    description: "由持证心理咨询师组成，为居民提供心理疏导、情绪支持和家庭关系辅导，定期开展心理健康讲座。",
  },
  {
    kind: "SOCIAL_ORG",
    name: "{sd}春晖社会工作服务社",
    focus: ["elderly-care", "child-care", "disability"],
    description: "民办社会工作服务机构，承接政府购买服务项目，开展困境儿童关爱、残障人士支持和社区营造。",
  },
  {
    kind: "SOCIAL_ORG",
    name: "{sd}彩虹儿童成长服务中心",
    focus: ["child-care", "education"],
    description: "为双职工家庭和留守儿童提供四点半课堂、假期托管、阅读陪伴和安全教育。",
  },
  {
    kind: "SOCIAL_ORG",
    name: "{sd}邻里法律援助志愿者协会",
    focus: ["legal"],
    description: "律师和法律工作者志愿团队，提供免费法律咨询、邻里纠纷调解和普法宣传。",
  },
  {
    kind: "SOCIAL_ORG",
    name: "{sd}阳光助残服务社",
    focus: ["disability", "employment"],
    description: "为残障人士提供康复训练陪伴、辅具适配、就业技能培训和家庭支持。",
  },
  {
    kind: "SOCIAL_ORG",
    name: "{sd}红色志愿服务队",
    focus: ["volunteer", "culture"],
    description: "以党员志愿者为骨干，开展环境整治、垃圾分类督导、红色文化宣讲和结对帮扶。",
  },
  {
    kind: "MERCHANT",
    name: "{sd}好邻居家政服务有限公司",
    focus: ["housekeeping", "elderly-care"],
    description: "社区家门口的家政公司，提供保洁、家电清洗、小修小补和老人陪护，特殊困难家庭享受优惠。",
  },
  {
    kind: "MERCHANT",
    name: "{sd}老街坊便民维修铺",
    focus: ["housekeeping"],
    description: "二十年老店，修家电、换水龙头、通下水道、配钥匙，老人家上门维修不收上门费。",
  },
  {
    kind: "MERCHANT",
    name: "{sd}幸福里长者食堂",
    focus: ["elderly-care"],
    description: "社区长者食堂，荤素搭配、少油少盐，提供堂食和送餐上门，八十岁以上老人享受助餐补贴。",
  },
  {
    kind: "MERCHANT",
    name: "{sd}康宁大药房",
    focus: ["medical"],
    description: "社区药房，提供免费测血压血糖、用药咨询和慢病药品配送。",
  },
  {
    kind: "MERCHANT",
    name: "{sd}知新书屋",
    focus: ["education", "culture"],
    description: "社区书店兼阅读空间，举办亲子共读、老年智能手机课和读书会。",
  },
];

type ServiceTemplate = {
  title: string;
  description: string;
  funding: Funding;
  priceFen?: number;
  capacity?: number;
};

export const SERVICE_TEMPLATES: Record<CategoryCode, ServiceTemplate[]> = {
  "elderly-care": [
    {
      title: "独居老人每周上门探访",
      description: "社工和志愿者每周上门看望独居老人，聊天陪伴、检查水电燃气安全，发现困难及时报告社区。",
      funding: "GOVERNMENT_PURCHASED",
      capacity: 40,
    },
    {
      title: "长者助餐（午餐送餐上门）",
      description: "每日中午送餐上门，两荤两素一汤，可按医嘱做低盐低糖餐。",
      funding: "PAID",
      priceFen: 1200,
      capacity: 200,
    },
    {
      title: "失能老人助浴服务",
      description: "专业护理员携带助浴设备上门，为行动不便的老人安全洗澡。",
      funding: "PAID",
      priceFen: 8000,
      capacity: 20,
    },
    {
      title: "适老化家居改造评估",
      description: "上门评估居家安全风险，提出扶手、防滑、夜灯等适老化改造建议，困难家庭可申请补贴。",
      funding: "GOVERNMENT_PURCHASED",
      capacity: 10,
    },
  ],
  "child-care": [
    {
      title: "四点半课堂课后托管",
      description: "放学后到家长下班前，在社区活动室辅导作业、开展阅读和手工活动。",
      funding: "FREE",
      capacity: 30,
    },
    {
      title: "暑期儿童托管班",
      description: "暑假工作日全天托管，安排作业辅导、体育游戏和安全教育。",
      funding: "PAID",
      priceFen: 30000,
      capacity: 40,
    },
    {
      title: "留守儿童陪伴成长计划",
      description: "大学生志愿者一对一结对，每周陪伴学习和谈心。",
      funding: "GOVERNMENT_PURCHASED",
      capacity: 25,
    },
  ],
  "mental-health": [
    {
      title: "心理疏导一对一咨询",
      description: "持证心理咨询师面对面倾听和疏导，帮助缓解焦虑、失眠、家庭矛盾带来的困扰。",
      funding: "FREE",
      capacity: 12,
    },
    {
      title: "老年人心理健康讲座",
      description: "讲解老年期常见情绪问题和应对方法，现场答疑。",
      funding: "GOVERNMENT_PURCHASED",
      capacity: 60,
    },
    {
      title: "青少年情绪管理小组",
      description: "以小组活动帮助青少年认识和管理情绪，改善亲子沟通。",
      funding: "FREE",
      capacity: 15,
    },
  ],
  medical: [
    {
      title: "免费测血压血糖",
      description: "每周固定时间在社区服务站免费测量血压血糖，建立健康档案。",
      funding: "FREE",
      capacity: 100,
    },
    {
      title: "慢病用药咨询与送药上门",
      description: "药师解答用药问题，行动不便的老人可预约送药上门。",
      funding: "PAID",
      priceFen: 500,
      capacity: 50,
    },
    {
      title: "助医陪诊",
      description: "志愿者陪老人到医院挂号、候诊、取药，行动不便的可安排轮椅接送。",
      funding: "FREE",
      capacity: 20,
    },
    {
      title: "家庭医生上门随访",
      description: "协助签约家庭医生定期上门随访，提醒复诊和用药。",
      funding: "GOVERNMENT_PURCHASED",
      capacity: 30,
    },
  ],
  legal: [
    {
      title: "免费法律咨询",
      description: "律师志愿者解答劳动、婚姻家庭、房屋租赁等法律问题。",
      funding: "FREE",
      capacity: 20,
    },
    {
      title: "邻里纠纷调解",
      description: "专业调解员上门或在调解室调解噪音、漏水、停车等邻里矛盾。",
      funding: "GOVERNMENT_PURCHASED",
      capacity: 10,
    },
    {
      title: "赡养与遗嘱法律讲座",
      description: "讲解赡养义务、遗嘱订立和防范养老诈骗。",
      funding: "FREE",
      capacity: 80,
    },
  ],
  education: [
    {
      title: "老年人智能手机培训班",
      description: "手把手教老人用微信视频、扫码、挂号和防诈骗。",
      funding: "FREE",
      capacity: 25,
    },
    {
      title: "书法兴趣班",
      description: "每周两次书法课，适合零基础的中老年居民。",
      funding: "PAID",
      priceFen: 2000,
      capacity: 20,
    },
    {
      title: "家长课堂",
      description: "围绕儿童习惯养成、网络使用和青春期沟通开展系列课程。",
      funding: "GOVERNMENT_PURCHASED",
      capacity: 40,
    },
  ],
  housekeeping: [
    {
      title: "家电上门维修",
      description: "空调、电视、冰箱、洗衣机、燃气灶等家电检修，明码标价，老人上门免费检测。",
      funding: "PAID",
      priceFen: 3000,
      capacity: 35,
    },
    {
      title: "管道疏通与水电小修",
      description: "通下水道、换水龙头、修水管、修电路开关，随叫随到。",
      funding: "PAID",
      priceFen: 5000,
      capacity: 40,
    },
    {
      title: "门锁门窗与灯具小修",
      description: "上门开锁、换锁芯，修窗户合页和纱窗，换灯泡、装灯具，老人家庭优先。",
      funding: "PAID",
      priceFen: 3000,
      capacity: 30,
    },
    {
      title: "困难家庭免费保洁",
      description: "为低保、独居高龄老人家庭每月提供一次免费保洁。",
      funding: "GOVERNMENT_PURCHASED",
      capacity: 15,
    },
  ],
  culture: [
    {
      title: "社区合唱团",
      description: "每周排练一次，欢迎喜欢唱歌的居民加入，节日参加社区演出。",
      funding: "FREE",
      capacity: 50,
    },
    {
      title: "红色电影放映",
      description: "每月一次在社区广场放映经典红色电影。",
      funding: "FREE",
      capacity: 150,
    },
    {
      title: "广场舞教学",
      description: "专业老师教授广场舞，兼顾健身和安全，照顾周边居民休息。",
      funding: "FREE",
      capacity: 60,
    },
  ],
  volunteer: [
    {
      title: "垃圾分类督导",
      description: "志愿者在投放点指导居民正确分类，开展入户宣传。",
      funding: "FREE",
      capacity: 30,
    },
    {
      title: "结对帮扶困难家庭",
      description: "党员志愿者与困难家庭结对，定期走访、代办事务。",
      funding: "FREE",
      capacity: 20,
    },
    {
      title: "老人跑腿代办",
      description: "志愿者为行动不便的老人代买菜、代取快递、代缴水电费，每周两次。",
      funding: "FREE",
      capacity: 30,
    },
    {
      title: "楼道环境清洁日",
      description: "每月组织志愿者清理楼道杂物，消除消防隐患。",
      funding: "FREE",
      capacity: 40,
    },
  ],
  disability: [
    {
      title: "残疾人康复训练陪伴",
      description: "康复师指导、志愿者陪伴，开展肢体和言语康复训练。",
      funding: "GOVERNMENT_PURCHASED",
      capacity: 12,
    },
    {
      title: "辅具适配与借用",
      description: "评估需要并借用轮椅、助行器、坐便椅等辅具。",
      funding: "FREE",
      capacity: 30,
    },
  ],
  employment: [
    {
      title: "就业技能培训",
      description: "面点、家政、电商客服等技能培训，结业推荐就业。",
      funding: "GOVERNMENT_PURCHASED",
      capacity: 30,
    },
    {
      title: "灵活就业岗位对接",
      description: "收集周边商户用工需求，为待业居民推荐合适岗位。",
      funding: "FREE",
      capacity: 50,
    },
  ],
  other: [
    { title: "便民理发", description: "每月一次在社区活动室为老人义务理发。", funding: "FREE", capacity: 60 },
  ],
};

type NeedTemplate = { title: string; description: string; urgency: Urgency };

export const NEED_TEMPLATES: Record<CategoryCode, NeedTemplate[]> = {
  "elderly-care": [
    {
      title: "母亲独居需要每周上门探访",
      description: "我母亲八十二岁独居，我在外地工作，希望有人每周上门看看她，陪她聊聊天。",
      urgency: "NORMAL",
    },
    {
      title: "老人行动不便需要助餐送餐",
      description: "父亲腿脚不好，不方便做饭，想订每天中午的送餐。",
      urgency: "HIGH",
    },
    {
      title: "失能老人需要上门助浴",
      description: "老伴卧床两年，家里没有条件洗澡，希望有专业人员上门助浴。",
      urgency: "NORMAL",
    },
    {
      title: "家里需要加装扶手防滑",
      description: "老人夜里起夜摔过一次，想请人看看卫生间和走廊怎么改造更安全。",
      urgency: "HIGH",
    },
  ],
  "child-care": [
    {
      title: "孩子放学后无人照看",
      description: "我们夫妻都上班到六点，孩子三年级，放学后需要有人照看和辅导作业。",
      urgency: "NORMAL",
    },
    {
      title: "暑假想给孩子找个托管班",
      description: "暑假两个月孩子一个人在家不放心，希望社区附近有托管。",
      urgency: "LOW",
    },
  ],
  "mental-health": [
    {
      title: "老伴去世后情绪低落",
      description: "父亲自从母亲去世后不爱说话、睡不好，想请心理咨询师和他聊聊。",
      urgency: "HIGH",
    },
    {
      title: "孩子青春期沟通困难",
      description: "孩子上初中后和我们几乎不说话，想学习怎么和他沟通。",
      urgency: "NORMAL",
    },
  ],
  medical: [
    {
      title: "需要定期测血压",
      description: "我有高血压，想每周测一次血压并记录，最好在家附近。",
      urgency: "LOW",
    },
    {
      title: "行动不便需要送药上门",
      description: "老人长期吃降糖药，每月取药不方便，希望能送药上门。",
      urgency: "NORMAL",
    },
  ],
  legal: [
    {
      title: "楼上漏水协商不成",
      description: "楼上卫生间漏水到我家天花板，多次协商没有结果，想请人调解。",
      urgency: "NORMAL",
    },
    { title: "咨询赡养费问题", description: "想了解子女不履行赡养义务时老人可以怎么维权。", urgency: "LOW" },
  ],
  education: [
    {
      title: "想学用智能手机视频通话",
      description: "孩子都在外地，想学会用微信视频，还有扫码付钱。",
      urgency: "LOW",
    },
    {
      title: "想参加书法或绘画兴趣班",
      description: "退休在家，想找个书法班学学，最好离家近。",
      urgency: "LOW",
    },
  ],
  housekeeping: [
    {
      title: "下水道堵了需要疏通",
      description: "厨房下水道堵了好几天，自己弄不通，需要上门疏通。",
      urgency: "HIGH",
    },
    {
      title: "空调不制冷需要维修",
      description: "家里空调不制冷了，老人怕热，希望尽快上门看看。",
      urgency: "HIGH",
    },
    {
      title: "家里需要打扫卫生",
      description: "年纪大了打扫不动，希望每月有人上门打扫一次。",
      urgency: "NORMAL",
    },
  ],
  culture: [
    { title: "想加入社区合唱团", description: "喜欢唱歌，想问问社区有没有合唱团可以参加。", urgency: "LOW" },
    {
      title: "希望组织老年人文体活动",
      description: "小区老人多，希望社区多组织些下棋、太极拳之类的活动。",
      urgency: "LOW",
    },
  ],
  volunteer: [
    {
      title: "希望有志愿者帮忙代买菜",
      description: "腿脚不便，下楼困难，希望有志愿者每周帮忙代买一次菜。",
      urgency: "NORMAL",
    },
  ],
  disability: [
    { title: "需要借用轮椅", description: "家人骨折后暂时行走困难，需要借用一个月轮椅。", urgency: "HIGH" },
    {
      title: "残疾孩子需要康复训练",
      description: "孩子有脑瘫，需要长期康复训练，想了解社区有没有帮助。",
      urgency: "NORMAL",
    },
  ],
  employment: [
    {
      title: "失业后想找工作",
      description: "四十五岁刚失业，想参加技能培训，找一份离家近的工作。",
      urgency: "NORMAL",
    },
  ],
  other: [
    {
      title: "想找人帮忙理发",
      description: "老人行动不便，出门理发困难，希望有人上门理发。",
      urgency: "LOW",
    },
  ],
};

/** How a need ended up, by its age: old needs are mostly settled, recent ones mostly open or matched.
 * (Scheduled needs come with activities.) */
export function demoNeedStatus(ageDays: number, roll: number): NeedStatus {
  if (ageDays < 14) return roll < 0.6 ? "OPEN" : roll < 0.85 ? "MATCHED" : "CANCELLED";
  if (ageDays < 60)
    return roll < 0.35 ? "OPEN" : roll < 0.5 ? "MATCHED" : roll < 0.85 ? "FULFILLED" : "CLOSED";
  return roll < 0.7 ? "FULFILLED" : roll < 0.85 ? "CLOSED" : "CANCELLED";
}

/** The review state of the n-th demo provider: most approved, a few pending, one rejected, one suspended. */
export function demoProviderStatus(n: number): { status: ProviderStatus; reason: string | null } {
  if (n % 9 === 4) return { status: "PENDING", reason: null };
  if (n === 7)
    return { status: "REJECTED", reason: "统一社会信用代码与营业执照扫描件不一致，请核对后重新提交。" };
  if (n === 14) return { status: "SUSPENDED", reason: "收到多起居民投诉，暂停服务待核查。" };
  return { status: "APPROVED", reason: null };
}

export type DemoProviderPlan = {
  subdistrictIndex: number;
  spec: DemoProviderSpec;
  name: string;
  status: ProviderStatus;
  reason: string | null;
  owner: { name: string; phone: string };
  /** Indexes of the subdistrict's communities it serves. */
  communityIndexes: number[];
};

/** The demo providers: in each subdistrict, eight of the twelve kinds of organization. */
export function demoProviderPlan(
  subdistricts: { name: string; communities: string[] }[],
): DemoProviderPlan[] {
  const random = prng(20261126);
  const plans: DemoProviderPlan[] = [];
  for (const [s, subdistrict] of subdistricts.entries()) {
    const short = subdistrict.name.replace(/街道$/, "");
    for (const [i, spec] of DEMO_PROVIDERS.entries()) {
      if ((i + s) % 3 === 0) continue;
      const n = plans.length;
      const { status, reason } = demoProviderStatus(n);
      const all = subdistrict.communities.map((_, c) => c);
      // A third serve the whole subdistrict; the rest two to four of its communities.
      const communityIndexes =
        random.next() < 0.33 ? all : all.filter(() => random.next() < 0.5).slice(0, random.int(2, 4));
      plans.push({
        subdistrictIndex: s,
        spec,
        name: spec.name.replace("{sd}", short),
        status,
        reason,
        owner: {
          name: `${"赵钱孙李周吴郑王冯陈"[n % 10]}${["建华", "丽萍", "志刚", "秀兰", "海涛"][n % 5]}`,
          phone: `1340000${String(n + 1).padStart(4, "0")}`,
        },
        communityIndexes: communityIndexes.length > 0 ? communityIndexes : [0],
      });
    }
  }
  return plans;
}
