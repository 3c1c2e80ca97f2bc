import type { PrismaClient } from "@prisma/client";
import type { CategoryCode } from "~/domain/catalog/categories";
import { makeUscc } from "../../prisma/factories/marketplace";

// A synthetic but realistic corpus for the search and matching benchmark (tests/bench/search.ts):
// providers, their services and residents' needs, written in the words community workers and
// residents use (助餐、助浴、适老化改造、四点半课堂、心理疏导、人民调解…), spread unevenly over the
// demo territory's communities. Deterministic: the same seed and sizes give the same rows. Rows go
// straight into PostgreSQL with one multi-row INSERT … SELECT FROM unnest(…) per few thousand rows,
// so 100k documents take seconds; every id starts with `bx`, which is how resetCorpus finds them.

/** mulberry32, as the demo seed uses. */
export function prng(seed: number) {
  let a = seed | 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick,
    /** A value from a table of weights. */
    weighted: <T>(entries: readonly (readonly [T, number])[]): T => {
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let roll = next() * total;
      for (const [value, weight] of entries) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return pick(entries)[0];
    },
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof prng>;

/** A kind of service within a category: the names it goes by, what it involves, and how a
 * resident asks for it. */
type Topic = { names: string[]; details: string[]; asks: string[] };
type Vocabulary = {
  /** Share of services and of needs in this category (relative weights). */
  services: number;
  needs: number;
  audiences: string[];
  topics: Topic[];
  /** Category-wide sentences a description may add. */
  extras: string[];
  /** How a resident describes the situation behind a need. */
  situations: string[];
  /** Provider name endings for organizations focused on this category. */
  orgs: string[];
  shops: string[];
};

export const VOCABULARY: Record<CategoryCode, Vocabulary> = {
  "elderly-care": {
    services: 28,
    needs: 36,
    audiences: [
      "独居老人",
      "空巢老人",
      "高龄老人",
      "失能老人",
      "半失能老人",
      "孤寡老人",
      "80岁以上老人",
      "60岁以上老年人",
      "行动不便的老人",
      "认知障碍老人",
      "低保、特困老人",
    ],
    topics: [
      {
        names: ["助餐", "老年助餐", "上门送餐", "长者食堂", "社区食堂午餐", "爱心食堂"],
        details: [
          "每天中午供应一荤两素一汤",
          "可按医嘱做低盐低糖软烂餐",
          "工作日11点前送餐上门",
          "凭老年卡享受九折优惠",
          "家属可电话预订、代为取餐",
          "政府对高龄和低保老人给予餐费补贴",
        ],
        asks: ["需要每天送午餐", "想订老年餐", "做饭不方便想找助餐", "想在长者食堂吃饭"],
      },
      {
        names: ["助浴", "上门助浴", "居家助浴", "失能老人助浴"],
        details: [
          "助浴员携带移动浴缸和防滑垫上门",
          "两名护理员配合操作并全程保护隐私",
          "提供洗澡、洗头、修剪指甲",
          "每次约90分钟，可按周预约",
          "洗浴前先测血压，身体不适则改期",
        ],
        asks: ["需要上门助浴", "卧床老人洗澡困难", "想找人帮老人洗澡"],
      },
      {
        names: ["助洁", "居家助洁", "上门保洁"],
        details: ["每月两次上门打扫卫生", "包括拖地、擦窗、整理厨房和卫生间", "清洁工具和清洁剂由服务方自带"],
        asks: ["家里没人打扫需要助洁", "想请人定期上门打扫"],
      },
      {
        names: ["助医陪诊", "陪诊", "就医陪同", "助医"],
        details: [
          "陪同老人去医院挂号、候诊、取药、做检查",
          "帮助老人和医生沟通病情并讲清医嘱",
          "需提前两天预约陪诊时间",
          "可代为网上预约挂号",
        ],
        asks: ["看病没人陪需要陪诊", "想找人陪老人去医院复查", "子女在外地想请陪诊"],
      },
      {
        names: ["适老化改造", "居家适老化改造", "卫生间扶手安装", "防跌倒改造"],
        details: [
          "上门评估居家安全隐患",
          "安装卫生间扶手、淋浴座椅和夜间感应灯",
          "铺设防滑地面、消除门槛高差",
          "改造完成后保修一年",
          "符合条件的家庭可申请政府补贴",
        ],
        asks: ["家里需要安装扶手防滑", "老人摔倒过想做适老化改造", "卫生间想改造得安全些"],
      },
      {
        names: ["上门探访", "定期探访", "关爱探访", "电话问候"],
        details: [
          "社工和志愿者每周电话问候",
          "每月上门探访了解身体和生活状况",
          "检查水电燃气安全",
          "发现困难及时报告社区并转介服务",
        ],
        asks: ["母亲独居希望有人上门看看", "老人一个人住想请人定期探访"],
      },
      {
        names: ["日间照料", "日间照料中心托老", "托老所", "嵌入式养老"],
        details: [
          "白天接收能自理或半自理的老人",
          "提供午餐、午休、康复活动和健康监测",
          "早8点接、晚5点送",
          "按月收费，可先试托一周",
        ],
        asks: ["白天家里没人照顾老人", "想给父亲找个日间照料中心"],
      },
      {
        names: ["喘息服务", "照护者替班", "短期托养"],
        details: [
          "为长期照顾失能老人的家属提供短期替班",
          "护理员上门或老人短期入住机构",
          "每年最多28天",
          "让家庭照护者能休息、出门办事",
        ],
        asks: ["照顾老人太累想申请喘息服务", "要出差几天老人没人照顾"],
      },
      {
        names: ["家庭养老床位", "居家养老服务", "居家上门护理", "长护险上门服务"],
        details: [
          "在老人家中设置家庭养老床位并安装一键呼叫",
          "护理员定期上门提供生活照料",
          "符合长期护理保险条件的可按规定报销",
          "养老护理员持证上岗",
        ],
        asks: ["想申请家庭养老床位", "失能老人需要居家护理"],
      },
      {
        names: ["上门理发", "助老理发", "老人理发修面"],
        details: ["为卧床和行动不便的老人上门理发剃须", "每周二、周四上午出门服务", "低保老人免费"],
        asks: ["老人出不了门想上门理发"],
      },
      {
        names: ["助行", "轮椅接送", "助购代买"],
        details: ["提供轮椅接送和外出陪同", "代买米面油和日用品送到家", "电话下单当天送达"],
        asks: ["老人腿脚不好想找人代买东西", "需要轮椅接送去医院"],
      },
    ],
    extras: [
      "服务对象以辖区老年人为主",
      "政府购买服务，符合条件的老人免费",
      "可通过社区居委会或养老驿站报名",
      "服务人员均经过养老护理员培训",
      "建立老人服务档案，定期回访",
      "遇到突发情况会第一时间联系家属",
    ],
    situations: [
      "我母亲今年八十多岁，一个人住",
      "父亲中风后半身不遂，长期卧床",
      "老伴腿脚不好，走路要拄拐",
      "家里老人有轻度认知障碍，经常忘事",
      "我和爱人都七十多了，子女在外地",
      "奶奶九十岁了，身体还行但不会做饭",
      "老人去年摔了一跤，现在不敢自己洗澡",
    ],
    orgs: ["为老服务中心", "居家养老服务中心", "乐龄社会工作服务中心", "养老驿站", "助老服务社"],
    shops: ["长者食堂", "养老服务有限公司", "适老化改造工作室", "护理站", "康养服务有限公司"],
  },
  "child-care": {
    services: 11,
    needs: 12,
    audiences: [
      "小学生",
      "双职工家庭的孩子",
      "留守儿童",
      "困境儿童",
      "流动儿童",
      "3到8岁儿童",
      "学龄前儿童",
      "婴幼儿",
    ],
    topics: [
      {
        names: ["四点半课堂", "课后托管", "放学后托管", "晚托班"],
        details: [
          "老师到校门口接孩子到托管点",
          "看护写作业并提供点心",
          "下午四点半到六点半，家长下班后来接",
          "大学生志愿者辅导作业答疑",
        ],
        asks: ["孩子放学后无人照看", "想给孩子报四点半课堂", "下班晚需要课后托管"],
      },
      {
        names: ["暑期托管", "寒假托管班", "假期托管"],
        details: ["上午作业辅导，下午开展手工、阅读和体育活动", "中午提供午餐和午休", "7月中旬至8月底开班"],
        asks: ["暑假想给孩子找个托管班", "寒假孩子一个人在家不放心"],
      },
      {
        names: ["婴幼儿托育", "托育中心", "普惠托育", "半日托"],
        details: [
          "招收2至3岁幼儿，全日托和半日托可选",
          "保育员持证上岗",
          "提供营养午餐和午睡",
          "解决双职工家庭白天带娃难题",
        ],
        asks: ["孩子两岁半想找托育", "白天没人带孩子"],
      },
      {
        names: ["亲子阅读", "绘本共读", "亲子活动"],
        details: ["每月两次亲子绘本共读", "由阅读推广人带领", "活动结束后可借绘本回家"],
        asks: ["想参加亲子阅读活动"],
      },
      {
        names: ["困境儿童关爱", "留守儿童陪伴", "儿童之家"],
        details: [
          "为困境儿童建立档案，社工定期家访",
          "提供学业辅导、心理陪伴和生活物资支持",
          "周末组织儿童之家活动",
        ],
        asks: ["孩子父母在外打工需要陪伴", "孙子在家没人管想找儿童之家"],
      },
      {
        names: ["儿童营养餐", "儿童午餐配送"],
        details: ["营养师按年龄搭配每周食谱", "少油少盐、荤素均衡", "午餐配送到托管点或家中"],
        asks: ["孩子中午没地方吃饭"],
      },
      {
        names: ["防溺水安全教育", "儿童安全教育", "防拐骗演练"],
        details: ["暑假前讲解防溺水、防触电和交通安全", "现场演示自救方法", "家长可陪同参加"],
        asks: ["想让孩子学学安全知识"],
      },
    ],
    extras: [
      "按月收费，困难家庭可减免",
      "家长需提供孩子的健康证明",
      "活动场地在社区党群服务中心",
      "每班不超过20名孩子",
      "接送全程签到登记",
    ],
    situations: [
      "我们夫妻都上班到六点，孩子上三年级",
      "孩子爸妈在外地打工，孩子跟着我们老两口",
      "孩子两岁多，老人身体不好带不动",
      "我是单亲妈妈，周末也要上班",
    ],
    orgs: ["儿童成长服务中心", "青少年发展服务中心", "儿童之家", "家庭综合服务中心"],
    shops: ["托育中心", "托管中心", "教育咨询有限公司"],
  },
  "mental-health": {
    services: 6,
    needs: 6,
    audiences: ["青少年", "老年人", "产后妈妈", "失独家庭", "中高考学生", "居民", "照护者"],
    topics: [
      {
        names: ["心理咨询", "青少年心理咨询", "一对一心理咨询"],
        details: [
          "国家注册心理咨询师一对一咨询",
          "针对厌学、焦虑、亲子冲突、网络沉迷等问题",
          "每次50分钟，严格保密",
        ],
        asks: ["孩子厌学想做心理咨询", "最近焦虑失眠想找心理咨询师"],
      },
      {
        names: ["心理疏导", "老年人心理疏导", "情绪疏导"],
        details: ["上门或到站心理疏导", "倾听陪伴，缓解孤独和焦虑情绪", "每位居民可免费六次"],
        asks: ["老伴去世后情绪低落", "父亲不爱说话想找人聊聊"],
      },
      {
        names: ["心理援助热线", "心理热线", "心理危机干预"],
        details: ["热线全天接听", "遇到情绪崩溃、长期失眠时可随时拨打", "必要时转介医院"],
        asks: ["家人情绪很不稳定需要帮助"],
      },
      {
        names: ["产后心理支持小组", "团体辅导", "减压小组"],
        details: ["每两周一次小组活动", "分享育儿压力和情绪困扰", "由心理咨询师带领"],
        asks: ["生完孩子后一直情绪低落"],
      },
      {
        names: ["婚姻家庭心理咨询", "亲子关系辅导", "家庭关系调适"],
        details: ["针对夫妻矛盾、婆媳关系的心理咨询", "可单人或夫妻一起来", "周末也可预约"],
        asks: ["孩子青春期沟通困难", "夫妻经常吵架想做咨询"],
      },
      {
        names: ["考前减压辅导", "中高考考前减压"],
        details: ["考前两个月开展团体减压辅导", "学习放松技巧和时间管理", "同步开设家长课堂"],
        asks: ["孩子快中考了压力很大"],
      },
    ],
    extras: ["咨询内容严格保密", "首次咨询免费", "可预约上门或到社工站面谈"],
    situations: [
      "孩子上初中后和我们几乎不说话",
      "父亲自从母亲去世后睡不好、吃不下",
      "我最近工作压力大，晚上总失眠",
      "女儿产后三个月，经常一个人哭",
    ],
    orgs: ["心理咨询师协会", "心理健康服务中心", "社会工作服务社"],
    shops: ["心理咨询工作室", "心理咨询有限公司"],
  },
  medical: {
    services: 11,
    needs: 12,
    audiences: ["居民", "慢病患者", "高血压糖尿病患者", "卧床老人", "行动不便的居民", "中老年人"],
    topics: [
      {
        names: ["家庭医生签约", "家庭医生服务", "签约家庭医生"],
        details: [
          "与社区卫生服务站签约家庭医生",
          "享受健康档案管理和每年一次免费体检",
          "预约转诊和电话健康咨询",
        ],
        asks: ["想签约家庭医生"],
      },
      {
        names: ["慢病管理", "高血压糖尿病随访", "慢病随访"],
        details: ["定期随访，免费测血压血糖", "指导用药和饮食", "每季度一次面对面评估"],
        asks: ["需要定期测血压", "糖尿病想有人指导用药"],
      },
      {
        names: ["中医推拿", "针灸理疗", "康复理疗", "推拿拔罐"],
        details: ["颈肩腰腿痛推拿、针灸、拔罐", "由执业医师操作", "行动不便的老人可预约上门理疗"],
        asks: ["腰疼想找推拿针灸", "老寒腿想做理疗"],
      },
      {
        names: ["义诊", "社区义诊", "健康义诊"],
        details: ["每月第一个周六在社区广场举办", "内科、眼科、口腔科医生现场咨询", "免费量血压、测血糖"],
        asks: ["想参加社区义诊"],
      },
      {
        names: ["上门换药", "居家护理", "上门护理", "压疮护理"],
        details: ["上门伤口换药、拆线、更换导尿管和胃管", "护士持证上岗", "可与家庭医生联动制定护理计划"],
        asks: ["术后伤口需要上门换药", "卧床老人长了压疮需要护理"],
      },
      {
        names: ["心肺复苏培训", "急救培训", "AED使用培训"],
        details: ["教授心肺复苏、AED使用和海姆立克急救法", "半天课程，考核合格颁发救护员证"],
        asks: ["想学急救知识"],
      },
      {
        names: ["三伏贴", "冬病夏治", "中医养生讲座"],
        details: ["三伏天开展贴敷治疗", "适用于慢性咳嗽、哮喘、老寒腿", "需先由医生面诊判断体质"],
        asks: ["想贴三伏贴"],
      },
      {
        names: ["免费体检", "老年人健康体检", "送药上门"],
        details: ["65岁以上老人每年免费体检一次", "长期用药可按月送药上门", "建立电子健康档案"],
        asks: ["老人行动不便需要送药上门", "想给父母预约体检"],
      },
    ],
    extras: ["由社区卫生服务中心提供技术支持", "医保可按规定报销", "需携带身份证和医保卡"],
    situations: [
      "我有高血压好几年了",
      "父亲做完手术刚出院，伤口还没好",
      "母亲糖尿病，每天要打胰岛素",
      "老人长期卧床，背上有点发红",
    ],
    orgs: ["社区卫生服务站", "红十字会志愿服务队", "健康促进会"],
    shops: ["中医诊所", "康复护理站", "医疗护理有限公司", "门诊部"],
  },
  legal: {
    services: 6,
    needs: 7,
    audiences: ["居民", "老年人", "农民工", "低保户", "残疾人", "经济困难群众", "妇女儿童"],
    topics: [
      {
        names: ["法律咨询", "免费法律咨询", "律师驻点咨询"],
        details: ["律师每周三下午在社区驻点", "免费解答婚姻、继承、借贷、物业纠纷等问题", "也可以电话咨询"],
        asks: ["想咨询房屋继承问题", "借钱不还想问问律师"],
      },
      {
        names: ["人民调解", "邻里纠纷调解", "矛盾调解"],
        details: [
          "人民调解员协助化解邻里噪音、楼上漏水、占道停车等矛盾",
          "调解免费",
          "达成协议后可申请司法确认",
        ],
        asks: ["楼上漏水协商不成想请人调解", "邻居装修噪音太大"],
      },
      {
        names: ["劳动争议仲裁代理", "讨薪维权", "工伤赔偿咨询"],
        details: ["为被拖欠工资、被违法解除劳动合同的劳动者提供仲裁代理", "经济困难的群众可减免费用"],
        asks: ["公司拖欠工资三个月", "工伤赔偿不知道怎么办"],
      },
      {
        names: ["遗嘱起草与见证", "遗嘱见证", "财产继承咨询"],
        details: ["律师提供遗嘱咨询、起草和见证", "全程录像存档", "帮助家庭提前安排房产、存款"],
        asks: ["老人想立遗嘱"],
      },
      {
        names: ["法律援助申请指导", "法律援助"],
        details: ["指导经济困难群众申请法律援助", "协助准备材料", "对接法律援助中心指派律师"],
        asks: ["打官司请不起律师"],
      },
      {
        names: ["防范电信诈骗宣讲", "防诈骗讲座", "养老诈骗防范"],
        details: ["结合真实案例讲解冒充公检法、保健品推销等骗局", "教老人识别诈骗电话和短信"],
        asks: ["老人总被推销保健品"],
      },
      {
        names: ["婚姻家事法律咨询", "家事纠纷咨询", "赡养纠纷调解"],
        details: ["针对离婚、抚养权、财产分割等家事问题", "可协助申请人身安全保护令"],
        asks: ["咨询赡养费问题", "离婚抚养权怎么判"],
      },
    ],
    extras: ["律师均有执业证书", "咨询内容保密", "每月一次普法讲座"],
    situations: [
      "楼上卫生间漏水到我家天花板，多次协商没有结果",
      "我在工地干了半年活，老板一直不给工钱",
      "子女不履行赡养义务",
      "邻居在楼道堆放杂物，说了也不听",
    ],
    orgs: ["法律援助志愿者协会", "人民调解委员会", "公共法律服务工作站"],
    shops: ["律师事务所", "法律咨询有限公司"],
  },
  education: {
    services: 8,
    needs: 5,
    audiences: ["老年人", "中小学生", "青少年", "家长", "居民", "4到12岁儿童"],
    topics: [
      {
        names: ["智能手机培训", "老年人智能手机课", "手机使用教学"],
        details: ["手把手教老人视频通话、扫码付款、网上挂号", "每期四节课", "每班不超过15人"],
        asks: ["想学用智能手机视频通话", "不会用手机挂号"],
      },
      {
        names: ["作业辅导", "晚间作业辅导", "学业辅导"],
        details: ["大学生志愿者提供免费作业辅导和答疑", "周一至周五晚上七点到八点半"],
        asks: ["孩子作业没人辅导"],
      },
      {
        names: ["老年大学书法班", "国画班", "书法国画课程"],
        details: ["开设书法、国画、摄影课程", "每周一次", "零基础也可以报名"],
        asks: ["退休了想学书法"],
      },
      {
        names: ["家庭教育讲座", "家庭教育指导", "家长课堂"],
        details: ["讲解亲子沟通、青春期教育、孩子手机管理", "每月一期", "可预约一对一咨询"],
        asks: ["想学怎么管孩子玩手机"],
      },
      {
        names: ["少儿美术", "少儿钢琴课", "编程兴趣课", "少儿英语"],
        details: ["小班教学", "周末和寒暑假开课", "可以免费试听一节"],
        asks: ["想给孩子报个兴趣班"],
      },
    ],
    extras: ["课程免费，材料费自理", "报名请到社区居委会登记", "结业颁发证书"],
    situations: ["孩子都在外地，我想学会用微信", "孩子上小学四年级，数学跟不上", "退休在家没事做"],
    orgs: ["文化服务社", "社区教育学校", "老年大学分校"],
    shops: ["艺术培训学校", "教育科技有限公司", "培训中心"],
  },
  housekeeping: {
    services: 12,
    needs: 12,
    audiences: ["居民", "老人家庭", "老旧小区住户", "上班族"],
    topics: [
      {
        names: ["家电维修", "家电上门维修", "空调维修", "热水器维修"],
        details: [
          "维修空调、洗衣机、冰箱、热水器等家用电器",
          "上门检测不收费",
          "换件明码标价，维修后保修三个月",
        ],
        asks: ["空调坏了需要上门维修", "热水器不出热水"],
      },
      {
        names: ["管道疏通", "马桶疏通", "下水道疏通"],
        details: ["疏通下水道、马桶、地漏堵塞", "24小时接单", "市区一小时内上门"],
        asks: ["厨房下水道堵了", "马桶堵了急需疏通"],
      },
      {
        names: ["开锁", "上门开锁", "换锁芯"],
        details: ["公安备案的开锁服务", "需出示身份证和住址证明", "可更换防盗门锁芯"],
        asks: ["钥匙丢了进不了门"],
      },
      {
        names: ["家庭保洁", "深度清洁", "开荒保洁", "日常保洁"],
        details: ["提供日常保洁和厨房卫生间深度清洁", "按小时计费", "保洁员自带环保清洁剂"],
        asks: ["过年前想请人大扫除"],
      },
      {
        names: ["月嫂", "育儿嫂", "住家保姆"],
        details: ["持证月嫂、育儿嫂住家或白班服务", "照顾产妇和新生儿", "签约前可面试"],
        asks: ["想找个靠谱的月嫂"],
      },
      {
        names: ["油烟机清洗", "空调清洗", "家电清洗"],
        details: ["拆洗抽油烟机、空调内机", "高温蒸汽杀菌", "老人家庭有优惠"],
        asks: ["油烟机很多年没洗了"],
      },
      {
        names: ["水电维修", "线路改造", "插座更换"],
        details: ["维修漏电跳闸、插座不通电、水管漏水", "为老旧小区改造老化线路", "电工持证上岗"],
        asks: ["家里老是跳闸", "水管漏水需要维修"],
      },
      {
        names: ["搬家", "跑腿代办", "家具安装"],
        details: ["小件搬运和家具拆装", "代办缴费、取快递", "按次收费"],
        asks: ["想找人帮忙搬家具"],
      },
    ],
    extras: ["服务价格公示，不满意可投诉", "老人和残疾人家庭优先上门", "节假日正常接单"],
    situations: ["家里房子住了二十多年", "我一个人带孩子忙不过来", "老人在家不会修东西"],
    orgs: ["便民服务社", "志愿维修队"],
    shops: ["家政服务有限公司", "家电维修部", "管道疏通服务部", "开锁服务部", "便民维修店"],
  },
  culture: {
    services: 7,
    needs: 3,
    audiences: ["中老年居民", "退休老人", "青少年", "居民", "亲子家庭"],
    topics: [
      {
        names: ["广场舞", "广场舞队", "健身操"],
        details: ["每晚七点在社区广场活动", "有老师教新舞", "参加街道文艺展演"],
        asks: ["想加入广场舞队"],
      },
      {
        names: ["读书会", "社区书屋", "周末读书会"],
        details: ["每周六下午在社区书屋共读一本书", "图书可免费借阅"],
        asks: ["想找个读书会"],
      },
      {
        names: ["合唱团", "老年合唱团", "少儿合唱团"],
        details: ["每周排练红歌和民歌", "不要求唱歌基础", "逢年过节到敬老院慰问演出"],
        asks: ["退休了想参加合唱团"],
      },
      {
        names: ["太极拳", "八段锦", "晨练班"],
        details: ["专业教练教授二十四式太极拳和八段锦", "每天早上七点在公园晨练"],
        asks: ["想学太极拳"],
      },
      {
        names: ["露天电影", "邻里节", "百家宴", "文艺汇演"],
        details: ["夏季每周五晚放映露天电影", "居民各带一道家常菜一起吃百家宴", "穿插文艺表演和亲子游戏"],
        asks: ["想组织邻里活动"],
      },
      {
        names: ["篮球训练营", "乒乓球培训", "象棋比赛"],
        details: ["寒暑假训练营", "教练教基本功和团队配合", "结营时举行友谊赛"],
        asks: ["孩子想打篮球"],
      },
    ],
    extras: ["活动免费，欢迎居民参加", "场地由社区提供", "可在社区公众号报名"],
    situations: ["退休在家闲不住", "孩子暑假在家没事做", "小区里大家平时不太来往"],
    orgs: ["文化服务社", "文体协会", "社区营造中心"],
    shops: ["艺术培训学校", "文化传播有限公司", "体育俱乐部"],
  },
  volunteer: {
    services: 5,
    needs: 2,
    audiences: ["居民", "党员志愿者", "大学生", "困难家庭", "独居老人"],
    topics: [
      {
        names: ["志愿服务", "党员志愿服务", "文明实践志愿服务"],
        details: ["以党员志愿者为骨干开展环境整治", "志愿时长可兑换志愿积分", "每月固定服务日"],
        asks: ["想参加志愿服务"],
      },
      {
        names: ["垃圾分类督导", "垃圾分类宣传"],
        details: ["早晚高峰在投放点督导垃圾分类", "入户发放宣传册"],
        asks: ["小区垃圾分类没人管"],
      },
      {
        names: ["时间银行", "邻里互助", "结对帮扶"],
        details: ["低龄老人帮助高龄老人，服务时间存入时间银行", "结对帮扶困难家庭"],
        asks: ["想加入时间银行"],
      },
      {
        names: ["微心愿认领", "爱心超市", "旧衣回收"],
        details: ["收集困难群众的微心愿由爱心企业认领", "积分可在爱心超市兑换生活用品"],
        asks: ["家里有旧衣服想捐"],
      },
      {
        names: ["应急志愿队", "防汛志愿服务", "文明劝导"],
        details: ["汛期巡查低洼地带", "协助社区应急疏散", "文明劝导不文明行为"],
        asks: ["想报名应急志愿队"],
      },
    ],
    extras: ["志愿者需实名注册", "提供志愿服务证明", "欢迎企业和学校组团参与"],
    situations: ["我退休了身体还好", "单位要求参加志愿服务"],
    orgs: ["志愿者协会", "青年志愿者协会", "红色志愿服务队", "新时代文明实践站"],
    shops: ["爱心企业", "公益服务有限公司"],
  },
  disability: {
    services: 3,
    needs: 2,
    audiences: ["残疾人", "重度残疾人", "听障人士", "视障人士", "孤独症儿童", "肢体残疾人"],
    topics: [
      {
        names: ["康复训练", "居家康复", "康复陪伴"],
        details: ["康复师上门指导肢体康复训练", "制定个性化康复计划", "每周两次"],
        asks: ["需要上门康复训练"],
      },
      {
        names: ["辅具租借", "轮椅租借", "辅具适配"],
        details: ["免费租借轮椅、助行器和护理床", "上门评估适配辅具"],
        asks: ["需要借一辆轮椅"],
      },
      {
        names: ["手语翻译", "视障陪同", "无障碍出行"],
        details: ["为听障人士提供就医、办事手语翻译", "陪同视障人士出行"],
        asks: ["听障家人看病需要手语翻译"],
      },
      {
        names: ["孤独症儿童康复", "自闭症干预", "特殊儿童融合"],
        details: ["专业老师一对一康复干预", "开展家长培训和喘息支持"],
        asks: ["孩子被诊断自闭症"],
      },
      {
        names: ["无障碍改造", "居家托养", "辅助性就业"],
        details: ["为重度残疾人家庭做无障碍改造", "提供居家托养服务", "组织辅助性就业"],
        asks: ["家门口台阶轮椅上不去"],
      },
    ],
    extras: ["持残疾证可享受补贴", "由残联指导开展", "服务免费"],
    situations: ["我儿子是重度肢体残疾，坐轮椅", "家里老人听力不好，基本听不见"],
    orgs: ["助残服务社", "残疾人康复协会", "残疾人之家"],
    shops: ["康复辅具店", "康复中心"],
  },
  employment: {
    services: 3,
    needs: 2,
    audiences: ["失业人员", "就业困难人员", "退役军人", "高校毕业生", "灵活就业人员", "残疾人"],
    topics: [
      {
        names: ["技能培训", "职业技能培训", "家政技能培训"],
        details: ["开设育婴员、养老护理员、电工培训", "培训合格颁发证书", "可申请培训补贴"],
        asks: ["想学门手艺找工作"],
      },
      {
        names: ["就业推荐", "招聘会", "岗位推荐"],
        details: ["每月举办社区招聘会", "推荐公益性岗位", "一对一职业指导"],
        asks: ["失业半年想找工作"],
      },
      {
        names: ["创业指导", "创业担保贷款咨询"],
        details: ["提供创业指导和项目评估", "协助申请创业担保贷款"],
        asks: ["想开个小店不知道怎么办手续"],
      },
      {
        names: ["零工驿站", "灵活就业对接"],
        details: ["发布附近零工信息", "当天结算", "提供求职登记"],
        asks: ["想找附近的零工"],
      },
    ],
    extras: ["服务免费", "需带身份证到社区登记", "优先帮扶低保家庭成员"],
    situations: ["我去年被裁员了，四十多岁不好找工作", "儿子大学毕业一年还没找到工作"],
    orgs: ["就业服务中心", "退役军人服务站"],
    shops: ["人力资源有限公司", "职业技能培训学校"],
  },
  other: {
    services: 1,
    needs: 2,
    audiences: ["居民"],
    topics: [
      {
        names: ["便民服务", "红色物业", "议事协商"],
        details: ["定期召开居民议事会", "协调物业解决楼道堆物、飞线充电问题", "加装电梯协商"],
        asks: ["小区想加装电梯", "楼道有人飞线充电"],
      },
    ],
    extras: ["三社联动共同推进"],
    situations: ["我们楼住的大多是老人"],
    orgs: ["社区营造中心", "社区基金会"],
    shops: ["物业服务有限公司"],
  },
};

export const CATEGORY_LIST = Object.keys(VOCABULARY) as CategoryCode[];

/** The long tail: specific things a description names ("包括红烧肉、小米粥等"), drawn with a skew so
 * that the first are common and the last rare, as in real text. */
export const ITEMS: Record<CategoryCode, string[]> = {
  "elderly-care":
    "红烧肉 清蒸鱼 小米粥 软烂饭 老花镜 助听器 拐杖 护理床 尿不湿 血压计 防滑拖鞋 坐便椅 洗澡椅 紧急呼叫器 烟雾报警器 燃气报警器 假牙清洗 足部护理 晒被子 换季衣物 老年手机 智能手环 电动轮椅 鸡蛋羹 南瓜粥".split(
      " ",
    ),
  "child-care":
    "绘本 积木 折纸 剪纸 围棋 跳绳 口算 拼音 科学实验 手工课 午睡床 水果点心 接送卡 错题本 乐高 陶艺 舞蹈 轮滑 自然拼读 数独".split(
      " ",
    ),
  "mental-health":
    "沙盘游戏 绘画治疗 正念冥想 放松训练 情绪日记 睡眠障碍 强迫症 社交恐惧 哀伤辅导 叛逆期 抑郁量表 焦虑自评 音乐治疗 家庭治疗 躯体化 惊恐发作".split(
      " ",
    ),
  medical:
    "帕金森 脑梗 骨质疏松 颈椎病 腰椎间盘突出 关节炎 痛风 白内障 青光眼 冠心病 慢阻肺 哮喘 血糖仪 雾化 艾灸 刮痧 膏方 中药代煎 流感疫苗 带状疱疹 体检报告解读 眼底检查".split(
      " ",
    ),
  legal:
    "宅基地 拆迁补偿 物业费 停车位 租房押金 网购退款 交通事故 医疗纠纷 彩礼 赡养费 抚养费 房产过户 继承公证 欠条 劳动合同 社保断缴 非法集资 高利贷 校园欺凌 装修合同".split(
      " ",
    ),
  education:
    "普通话 英语口语 电脑基础 短视频剪辑 摄影 葫芦丝 二胡 古筝 插花 茶艺 烘焙 中式面点 手机拍照 微信支付 网上挂号 编织 刺绣 电子琴".split(
      " ",
    ),
  housekeeping:
    "热水器 燃气灶 抽油烟机 洗衣机 冰箱 空调加氟 马桶水箱 地漏 防水补漏 瓷砖修补 墙面粉刷 纱窗更换 门锁 晾衣架 灯具安装 水龙头 暖气片 除甲醛 地板打蜡 窗帘清洗".split(
      " ",
    ),
  culture:
    "扇子舞 腰鼓 秧歌 旗袍秀 京剧 越剧 黄梅戏 口琴 朗诵 摄影展 书画展 灯谜 包饺子 包粽子 中秋赏月 重阳登高 元宵灯会 乒乓球 门球 掼蛋 柔力球".split(
      " ",
    ),
  volunteer:
    "义剪 义卖 爱心义集 河道巡查 敬老院慰问 助学 捐书 献血车 交通劝导 消防演练 反诈宣传 植树 清理小广告 楼道清扫 共享雨伞 护河".split(
      " ",
    ),
  disability:
    "盲杖 助听器验配 假肢 矫形器 语言训练 感统训练 精细动作 脑瘫 唐氏综合征 智力障碍 精神残疾 盲文 无障碍坡道 护理补贴 导盲犬".split(
      " ",
    ),
  employment:
    "育婴员证 保育员 电工证 焊工 叉车 网约车 外卖骑手 快递分拣 直播带货 家政服务员 收银员 保安 简历修改 面试技巧 失业登记 失业金".split(
      " ",
    ),
  other: "加装电梯 电动车充电 垃圾房 绿化带 停车难 路灯 井盖 化粪池".split(" "),
};

/** Housing estates (小区) and staff, two more sources of rare words in real descriptions. */
const ESTATE_NAMES =
  "金色 翠湖 锦绣 丽景 和平 永安 东方 世纪 明珠 枫丹 碧水 香樟 银杏 紫薇 春江 滨江 汇景 御景 颐和 龙湖 景苑 嘉园 万家 绿城 新城 华庭 雅苑 云栖 柳溪 梅园 桂花 荷塘 凤凰 麒麟 天鹅 星河 青枫 玉泉 南湖 北辰".split(
    " ",
  );
const ESTATE_KINDS = ["花园", "家园", "小区", "苑", "新村", "公寓", "名都"];
const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const STAFF = ["老师", "阿姨", "师傅", "医生", "律师", "社工", "护士"];
const VENUES = [
  "党群服务中心",
  "养老驿站",
  "活动室",
  "社工站",
  "卫生服务站",
  "文化广场",
  "社区书屋",
  "日间照料中心",
];

/** An index skewed towards the start: Zipf-like picks from a list ordered common-first. */
const skewed = <T>(random: Random, items: readonly T[]): T => {
  const item = items[Math.floor(items.length * random.next() ** 2.5)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
};
export const estateName = (random: Random) => `${random.pick(ESTATE_NAMES)}${random.pick(ESTATE_KINDS)}`;
const itemsSentence = (random: Random, category: CategoryCode) => {
  const picked = new Set(Array.from({ length: random.int(1, 3) }, () => skewed(random, ITEMS[category])));
  return `${random.pick(["包括", "涉及", "如"])}${[...picked].join("、")}等`;
};

const BRANDS = [
  "阳光",
  "夕阳红",
  "春晖",
  "暖阳",
  "乐龄",
  "同心",
  "彩虹",
  "启航",
  "爱心",
  "康宁",
  "安心",
  "福满堂",
  "好邻居",
  "仁和",
  "心桥",
  "晨曦",
  "绿荫",
  "和美",
  "善德",
  "益家",
  "惠民",
  "明湖",
  "映月",
  "桃源",
  "湖滨",
  "鼓楼",
  "梧桐",
  "紫荆",
  "运河",
  "书院",
  "翠竹",
  "望江",
  "金沙",
  "枫林",
  "长青",
  "幸福里",
];

const GENERAL = [
  "每周一至周五上午九点到十一点开放",
  "需提前一天电话预约",
  "低保、特困家庭免费",
  "可通过社区居委会或小程序报名",
  "服务人员持证上岗",
  "节假日照常服务",
  "按次收费，价格公示",
  "名额有限，先到先得",
  "由街道社工站统筹安排",
  "服务范围覆盖本街道各社区",
  "服务结束后会电话回访",
  "有需要可联系网格员代为预约",
];
const NEED_EXTRAS = [
  "之前在别的地方问过，没有合适的",
  "老人平时有高血压，需要多注意",
  "家里经济条件一般，希望能有补贴",
  "白天我要上班，只有晚上和周末方便",
  "可以先电话联系我，说明一下费用",
  "上次社区活动听说有这样的服务",
  "住的是老小区，楼道比较窄",
  "如果不能上门，我们也可以自己过去",
  "孩子和老人都在家，时间比较灵活",
  "麻烦尽量安排同一个人来，老人认生",
];
const ASK_ENDINGS = [
  "希望社区能帮忙联系",
  "不知道社区有没有这样的服务",
  "费用不要太高就行",
  "最好是工作日上午",
  "周末也可以",
  "比较着急，请尽快联系我",
  "麻烦网格员帮忙问问",
];

const sentence = (parts: string[]) => `${parts.join("，")}。`;

function serviceText(random: Random, category: CategoryCode, places: readonly string[]) {
  const vocab = VOCABULARY[category];
  const topic = random.pick(vocab.topics);
  const name = random.pick(topic.names);
  const audience = random.pick(vocab.audiences);
  const title = random.weighted<() => string>([
    [() => name, 3],
    [() => `${audience}${name}`, 2],
    [() => `社区${name}服务`, 1],
    [() => `${name}（${random.pick(["上门", "预约制", "政府购买", "周末班", "公益"])}）`, 1],
    [() => `${random.pick(topic.names)}与${random.pick(random.pick(vocab.topics).names)}`, 1],
  ])();
  // A target length between 30 and 200 characters, most between 50 and 120.
  const target = Math.round(30 + 170 * random.next() ** 1.6);
  const pool = [
    ...topic.details,
    ...topic.details,
    ...vocab.extras,
    ...GENERAL,
    ...random.pick(vocab.topics).details,
    itemsSentence(random, category),
    itemsSentence(random, category),
    `服务点设在${random.chance(0.5) ? random.pick(places) : estateName(random)}${random.pick(VENUES)}`,
    `联系人${random.pick([...SURNAMES])}${random.pick(STAFF)}`,
  ];
  const first = random.pick(topic.details);
  let text = sentence([`为${audience}提供${name}服务`, first]);
  const used = new Set<string>([first]);
  while (text.length < target) {
    const clause = random.pick(pool);
    if (used.has(clause)) {
      if (used.size >= pool.length / 2) break;
      continue;
    }
    used.add(clause);
    const next = text + sentence([clause]);
    if (next.length > 200) break;
    text = next;
  }
  return { title, description: text };
}

function needText(random: Random, category: CategoryCode, places: readonly string[]) {
  const vocab = VOCABULARY[category];
  const topic = random.pick(vocab.topics);
  const ask = random.pick(topic.asks);
  const title = random.chance(0.15) ? `求助：${ask}` : ask;
  // Residents write shorter than providers: 30 to 200 characters, most under 100.
  const target = Math.round(30 + 170 * random.next() ** 2.2);
  let text = sentence([random.pick(vocab.situations), ask]);
  const clauses = [
    `想了解${random.pick(topic.names)}`,
    random.pick(["家住", "我们在"]) +
      (random.chance(0.5)
        ? `${estateName(random)}${random.int(1, 30)}栋`
        : random.pick(["三楼", "五楼没电梯", "老小区", "一楼", ...places])),
    `另外想咨询一下${skewed(random, ITEMS[category])}`,
    random.pick(ASK_ENDINGS),
    ...Array.from({ length: 4 }, () => random.pick(NEED_EXTRAS)),
    random.pick(vocab.situations),
  ];
  for (const clause of new Set(clauses)) {
    if (text.length >= target) break;
    const next = text + sentence([clause]);
    if (next.length > 200) break;
    text = next;
  }
  if (text.length < 30) text += sentence([random.pick(ASK_ENDINGS), "谢谢"]);
  return { title, description: text };
}

// Writing rows.

type Column = { name: string; cast: string };
const col = (name: string, cast = "text"): Column => ({ name, cast });
type Cell = string | number | boolean | null;

/** One INSERT … SELECT FROM unnest per chunk: a handful of array parameters whatever the row count. */
async function insertRows(prisma: PrismaClient, table: string, columns: Column[], rows: Cell[][]) {
  const CHUNK = 5000;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const arrays = columns.map((_, c) => chunk.map((row) => (row[c] === null ? null : String(row[c]))));
    const names = columns.map((c) => `"${c.name}"`).join(", ");
    const aliases = columns.map((_, c) => `c${c}`);
    const select = columns.map((c, i) => `${aliases[i]}::${c.cast}`).join(", ");
    const params = columns.map((_, c) => `$${c + 1}::text[]`).join(", ");
    await prisma.$executeRawUnsafe(
      `INSERT INTO "${table}" (${names}) SELECT ${select} FROM unnest(${params}) AS t(${aliases.join(", ")})`,
      ...arrays,
    );
  }
}

export type CorpusPlan = { providers: number; services: number; needs: number };

/** How a number of new documents splits: a few providers, two thirds services, the rest needs. */
export function planCorpus(documents: number): CorpusPlan {
  const providers = Math.max(1, Math.round(documents * 0.04));
  const services = Math.round(documents * 0.66);
  return { providers, services, needs: Math.max(0, documents - providers - services) };
}

type Territory = { id: string; subdistrictId: string; name: string; weight: number }[];

async function loadTerritory(prisma: PrismaClient, random: Random): Promise<Territory> {
  const communities = await prisma.community.findMany({
    orderBy: { id: "asc" },
    select: { id: true, subdistrictId: true, kind: true, name: true },
  });
  if (!communities.length) throw new Error("no communities: seed the demo territory first");
  // Busy and quiet communities: weights from 0.3 to 2.3, village-converted ones somewhat quieter.
  return communities.map((c) => ({
    id: c.id,
    subdistrictId: c.subdistrictId,
    name: c.name,
    weight: (0.3 + 2 * random.next()) * (c.kind === "VILLAGE_CONVERTED" ? 0.7 : 1),
  }));
}

const DAY_MS = 24 * 3600 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const pad = (n: number) => String(n).padStart(9, "0");
export const CORPUS_ID_PREFIX = "bx";

/** Adds a batch of providers, services and needs (plus a resident for every few needs). `batch`
 * numbers the call, so successive calls (10k, then up to 100k) never reuse an id. */
export async function generateCorpus(prisma: PrismaClient, plan: CorpusPlan, batch: number) {
  const random = prng(20261126 + batch * 7919);
  const territory = await loadTerritory(prisma, random);
  const weightedCommunities = territory.map((c) => [c, c.weight] as const);
  const places = territory.map((c) => c.name);
  const bySubdistrict = new Map<string, Territory>();
  for (const c of territory)
    bySubdistrict.set(c.subdistrictId, [...(bySubdistrict.get(c.subdistrictId) ?? []), c]);
  const now = Date.now();
  const id = (kind: string, n: number) => `${CORPUS_ID_PREFIX}${kind}${batch}${pad(n)}`;
  const takenUscc = new Set((await prisma.provider.findMany({ select: { uscc: true } })).map((p) => p.uscc));

  // Providers: each focused on one to three categories, serving one to six communities, mostly of
  // one subdistrict; a few are pending, rejected or suspended (their services are not findable).
  const categoryWeights = CATEGORY_LIST.map((c) => [c, VOCABULARY[c].services] as const);
  const providerRows: Cell[][] = [];
  const providerCommunityRows: Cell[][] = [];
  const providers: {
    id: string;
    approved: boolean;
    focus: CategoryCode[];
    communities: string[];
    size: number;
  }[] = [];
  for (let n = 0; n < plan.providers; n += 1) {
    const focus = [random.weighted(categoryWeights)];
    while (focus.length < 3 && random.chance(0.35)) {
      const extra = random.weighted(categoryWeights);
      if (!focus.includes(extra)) focus.push(extra);
    }
    const main = focus[0] ?? "other";
    const merchant = random.chance(0.4);
    const vocab = VOCABULARY[main];
    const name = `${random.pick(BRANDS)}${random.pick(merchant ? vocab.shops : vocab.orgs)}`;
    const home = random.weighted(weightedCommunities);
    const neighbours = bySubdistrict.get(home.subdistrictId) ?? [home];
    const communities = new Set([home.id]);
    const wanted = random.weighted([
      [1, 4],
      [2, 3],
      [3, 2],
      [6, 1],
    ] as const);
    while (communities.size < Math.min(wanted, neighbours.length))
      communities.add(random.pick(neighbours).id);
    if (random.chance(0.1)) communities.add(random.weighted(weightedCommunities).id); // across subdistricts
    const status = random.weighted([
      ["APPROVED", 92],
      ["PENDING", 4],
      ["SUSPENDED", 2],
      ["REJECTED", 2],
    ] as const);
    const kind = merchant ? "MERCHANT" : "SOCIAL_ORG";
    let serial = 700_000_000 + batch * 10_000_000 + n;
    let uscc = makeUscc(kind, serial);
    while (takenUscc.has(uscc)) uscc = makeUscc(kind, ++serial + 5_000_000);
    takenUscc.add(uscc);
    const providerId = id("p", n);
    const createdAt = now - random.int(30, 1500) * DAY_MS;
    const description = serviceText(random, main, places).description;
    providerRows.push([
      providerId,
      kind,
      name,
      uscc,
      "联系人",
      `186${String(batch * 10_000_000 + n).padStart(8, "0")}`,
      `${random.pick(BRANDS)}路${random.int(1, 300)}号`,
      description,
      status,
      status === "PENDING" ? null : iso(createdAt + random.int(1, 20) * DAY_MS),
      iso(createdAt),
      iso(createdAt),
      iso(createdAt),
    ]);
    for (const communityId of communities) providerCommunityRows.push([providerId, communityId]);
    // Sizes vary a lot: most providers offer a few services, some offer dozens.
    providers.push({
      id: providerId,
      approved: status === "APPROVED",
      focus,
      communities: [...communities],
      size: 1 / (0.05 + random.next()),
    });
  }

  // Services: a provider is picked in proportion to its size, a category among its focus.
  const totalSize = providers.reduce((sum, p) => sum + p.size, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const p of providers) {
    running += p.size / totalSize;
    cumulative.push(running);
  }
  const pickProvider = () => {
    const roll = random.next();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 1) < roll) lo = mid + 1;
      else hi = mid;
    }
    const provider = providers[lo];
    if (!provider) throw new Error("no provider");
    return provider;
  };
  const serviceRows: Cell[][] = [];
  const serviceCommunityRows: Cell[][] = [];
  for (let n = 0; n < plan.services; n += 1) {
    const provider = pickProvider();
    const category = random.pick(provider.focus);
    const { title, description } = serviceText(random, category, places);
    const funding = random.weighted([
      ["FREE", 35],
      ["PAID", 40],
      ["GOVERNMENT_PURCHASED", 25],
    ] as const);
    const status = random.weighted([
      ["PUBLISHED", 90],
      ["DRAFT", 5],
      ["ARCHIVED", 5],
    ] as const);
    const createdAt = now - Math.floor(1000 * random.next() ** 1.5) * DAY_MS - random.int(0, 86_399) * 1000;
    const serviceId = id("s", n);
    serviceRows.push([
      serviceId,
      provider.id,
      title,
      description,
      category,
      funding,
      funding === "PAID" ? random.int(10, 300) * 100 : null,
      random.chance(0.6) ? random.int(5, 200) : null,
      status,
      status === "DRAFT" ? null : iso(createdAt + DAY_MS),
      status === "ARCHIVED" ? iso(createdAt + random.int(30, 200) * DAY_MS) : null,
      iso(createdAt),
      iso(createdAt + DAY_MS),
    ]);
    const [first, ...rest] = provider.communities;
    serviceCommunityRows.push([serviceId, first ?? ""]);
    for (const communityId of rest)
      if (random.chance(0.7)) serviceCommunityRows.push([serviceId, communityId]);
  }

  // Residents (one for about every three needs) and their needs.
  const residentCount = Math.ceil(plan.needs / 3);
  const userRows: Cell[][] = [];
  const roleRows: Cell[][] = [];
  const residentsOf = new Map<string, string[]>();
  for (let n = 0; n < residentCount; n += 1) {
    const community = random.weighted(weightedCommunities);
    const userId = id("u", n);
    const createdAt = iso(now - random.int(30, 900) * DAY_MS);
    userRows.push([
      userId,
      `187${String(batch * 10_000_000 + n).padStart(8, "0")}`,
      "bench-no-login",
      `居民${batch}-${n}`,
      community.id,
      createdAt,
      createdAt,
    ]);
    roleRows.push([`${userId}r`, userId, "RESIDENT", "COMMUNITY", community.id, createdAt]);
    residentsOf.set(community.id, [...(residentsOf.get(community.id) ?? []), userId]);
  }
  const needCategories = CATEGORY_LIST.map((c) => [c, VOCABULARY[c].needs] as const);
  const withResidents = territory.filter((c) => residentsOf.has(c.id)).map((c) => [c, c.weight] as const);
  const needRows: Cell[][] = [];
  for (let n = 0; n < plan.needs; n += 1) {
    const community = random.weighted(withResidents);
    const requesterId = random.pick(residentsOf.get(community.id) ?? []);
    const category = random.weighted(needCategories);
    const { title, description } = needText(random, category, places);
    const ageDays = Math.floor(730 * random.next() ** 2);
    const createdAt = now - ageDays * DAY_MS - random.int(0, 86_399) * 1000;
    // Recent needs are mostly open; older ones mostly settled.
    const status =
      ageDays < 14
        ? random.weighted([
            ["OPEN", 70],
            ["MATCHED", 20],
            ["SCHEDULED", 10],
          ] as const)
        : random.weighted([
            ["OPEN", 12],
            ["MATCHED", 5],
            ["SCHEDULED", 3],
            ["FULFILLED", 60],
            ["CANCELLED", 8],
            ["CLOSED", 12],
          ] as const);
    const settled = iso(createdAt + random.int(1, 10) * DAY_MS);
    needRows.push([
      id("n", n),
      requesterId,
      requesterId,
      community.id,
      title,
      description,
      category,
      random.weighted([
        ["LOW", 20],
        ["NORMAL", 65],
        ["HIGH", 15],
      ] as const),
      random.pick([null, "工作日上午", "周末下午", "每周三下午", "尽快"]),
      status,
      status === "FULFILLED" ? random.int(3, 5) : null,
      status === "MATCHED" || status === "SCHEDULED" || status === "FULFILLED" ? settled : null,
      status === "FULFILLED" ? settled : null,
      status === "CANCELLED" ? settled : null,
      status === "CLOSED" ? settled : null,
      iso(createdAt),
      iso(createdAt),
    ]);
  }

  await insertRows(
    prisma,
    "Provider",
    [
      col("id"),
      col("kind", '"ProviderKind"'),
      col("name"),
      col("uscc"),
      col("contactName"),
      col("contactPhone"),
      col("address"),
      col("description"),
      col("status", '"ProviderStatus"'),
      col("reviewedAt", "timestamp(3)"),
      col("submittedAt", "timestamp(3)"),
      col("createdAt", "timestamp(3)"),
      col("updatedAt", "timestamp(3)"),
    ],
    providerRows,
  );
  await insertRows(
    prisma,
    "ProviderCommunity",
    [col("providerId"), col("communityId")],
    providerCommunityRows,
  );
  await insertRows(
    prisma,
    "Service",
    [
      col("id"),
      col("providerId"),
      col("title"),
      col("description"),
      col("category"),
      col("funding", '"Funding"'),
      col("priceFen", "integer"),
      col("capacityPerWeek", "integer"),
      col("status", '"ServiceStatus"'),
      col("publishedAt", "timestamp(3)"),
      col("archivedAt", "timestamp(3)"),
      col("createdAt", "timestamp(3)"),
      col("updatedAt", "timestamp(3)"),
    ],
    serviceRows,
  );
  await insertRows(prisma, "ServiceCommunity", [col("serviceId"), col("communityId")], serviceCommunityRows);
  await insertRows(
    prisma,
    "User",
    [
      col("id"),
      col("phone"),
      col("passwordHash"),
      col("name"),
      col("communityId"),
      col("createdAt", "timestamp(3)"),
      col("updatedAt", "timestamp(3)"),
    ],
    userRows,
  );
  await insertRows(
    prisma,
    "RoleAssignment",
    [
      col("id"),
      col("userId"),
      col("role", '"Role"'),
      col("scopeType", '"ScopeType"'),
      col("scopeId"),
      col("createdAt", "timestamp(3)"),
    ],
    roleRows,
  );
  await insertRows(
    prisma,
    "Need",
    [
      col("id"),
      col("requesterId"),
      col("createdById"),
      col("communityId"),
      col("title"),
      col("description"),
      col("category"),
      col("urgency", '"Urgency"'),
      col("preferredTime"),
      col("status", '"NeedStatus"'),
      col("rating", "integer"),
      col("matchedAt", "timestamp(3)"),
      col("fulfilledAt", "timestamp(3)"),
      col("cancelledAt", "timestamp(3)"),
      col("closedAt", "timestamp(3)"),
      col("createdAt", "timestamp(3)"),
      col("updatedAt", "timestamp(3)"),
    ],
    needRows,
  );
  return {
    providers: providerRows.length,
    services: serviceRows.length,
    needs: needRows.length,
    residents: userRows.length,
  };
}

/** Removes every row an earlier run generated (and their index documents), leaving the demo data. */
export async function resetCorpus(prisma: PrismaClient) {
  const like = `${CORPUS_ID_PREFIX}%`;
  await prisma.$executeRaw`DELETE FROM "OutboxEvent" WHERE "aggregateId" LIKE ${like}`;
  await prisma.$executeRaw`DELETE FROM "Match" WHERE "needId" LIKE ${like} OR "serviceId" LIKE ${like}`;
  await prisma.$executeRaw`DELETE FROM "Need" WHERE id LIKE ${like}`;
  await prisma.$executeRaw`DELETE FROM "User" WHERE id LIKE ${like}`;
  await prisma.$executeRaw`DELETE FROM "Service" WHERE id LIKE ${like}`;
  await prisma.$executeRaw`DELETE FROM "Provider" WHERE id LIKE ${like}`;
  const [search] = await prisma.$queryRaw<{ exists: boolean }[]>`
    SELECT to_regclass('search.document') IS NOT NULL AS exists`;
  if (search?.exists) await prisma.$executeRaw`DELETE FROM search.document WHERE id LIKE ${like}`;
}

/** Providers, services and needs in the database now: the documents a full reindex considers. */
export async function countDocuments(prisma: PrismaClient) {
  const [providers, services, needs] = await Promise.all([
    prisma.provider.count(),
    prisma.service.count(),
    prisma.need.count(),
  ]);
  return providers + services + needs;
}
