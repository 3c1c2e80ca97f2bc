import type { CategoryCode } from "~/domain/catalog/categories";

// The demo's activities: what communities here hold over a year (titles and descriptions by
// category), and where they take place.

export type ActivityTemplate = { title: string; description: string; capacity: number };

export const ACTIVITY_TEMPLATES: Partial<Record<CategoryCode, ActivityTemplate[]>> = {
  "elderly-care": [
    {
      title: "长者生日会",
      description: "为本月过生日的老人一起庆生，有长寿面、蛋糕和文艺表演。",
      capacity: 40,
    },
    {
      title: "重阳节敬老茶话会",
      description: "社区老人喝茶聊天，志愿者表演节目，家属可陪同参加。",
      capacity: 60,
    },
    {
      title: "老年人防跌倒讲座",
      description: "康复师讲解居家防跌倒要点，现场演示扶手和防滑垫的用法。",
      capacity: 50,
    },
    {
      title: "助浴体验日",
      description: "专业护理员现场介绍上门助浴服务，可预约免费体验一次。",
      capacity: 20,
    },
  ],
  "child-care": [
    {
      title: "四点半课堂开放日",
      description: "家长带孩子参观课后托管教室，了解作业辅导和兴趣课安排。",
      capacity: 30,
    },
    { title: "亲子手工坊", description: "家长和孩子一起做灯笼、剪纸，材料由社区提供。", capacity: 24 },
    { title: "暑期儿童安全课", description: "防溺水、防走失、用电安全，消防员叔叔现场讲解。", capacity: 40 },
  ],
  "mental-health": [
    {
      title: "心理健康沙龙",
      description: "心理咨询师带领大家聊聊压力与情绪，分享放松小方法。",
      capacity: 25,
    },
    {
      title: "独居老人心灵陪伴会",
      description: "社工和志愿者陪独居老人聊天、做游戏，结对定期探访。",
      capacity: 20,
    },
  ],
  medical: [
    {
      title: "社区义诊",
      description: "社区卫生服务站医生免费量血压、测血糖，解答慢病用药问题。",
      capacity: 80,
    },
    {
      title: "家庭医生签约日",
      description: "现场签约家庭医生，建立健康档案，了解慢病管理服务。",
      capacity: 60,
    },
    { title: "中医养生讲座", description: "中医师讲解冬季养生与穴位保健，现场体验艾灸。", capacity: 40 },
  ],
  legal: [
    {
      title: "防范电信诈骗宣讲",
      description: "民警讲解常见骗局，教大家识别冒充客服、保健品推销等套路。",
      capacity: 60,
    },
    {
      title: "法律明白人讲堂",
      description: "律师讲婚姻家庭、遗嘱继承中的常见问题，现场免费咨询。",
      capacity: 40,
    },
  ],
  education: [
    {
      title: "老年人智能手机课",
      description: "手把手教视频通话、扫码付款、网上挂号，带上自己的手机。",
      capacity: 20,
    },
    { title: "书法兴趣班", description: "书法老师教楷书基础，笔墨纸砚由社区准备。", capacity: 20 },
  ],
  housekeeping: [
    {
      title: "便民服务日",
      description: "理发、磨刀、修家电、修自行车，商家在社区广场集中服务。",
      capacity: 100,
    },
  ],
  culture: [
    { title: "广场舞联谊赛", description: "各小区舞蹈队展示，欢迎居民观看和报名参加。", capacity: 120 },
    { title: "社区读书会", description: "共读一本好书，交流读后感，茶水点心由社区准备。", capacity: 30 },
    { title: "邻里百家宴", description: "每家带一道拿手菜，邻里相聚，增进感情。", capacity: 80 },
  ],
  volunteer: [
    {
      title: "垃圾分类宣传志愿活动",
      description: "志愿者在各小区门口指导居民垃圾分类，发放宣传资料。",
      capacity: 30,
    },
    { title: "小区环境清洁日", description: "一起清理楼道杂物和绿化带垃圾，工具由社区提供。", capacity: 40 },
  ],
  disability: [
    { title: "助残康复训练体验", description: "康复师指导肢体康复训练，介绍辅具租借服务。", capacity: 15 },
  ],
  employment: [
    {
      title: "社区招聘会",
      description: "辖区企业现场招聘，提供保洁、保安、家政、养老护理等岗位。",
      capacity: 150,
    },
    { title: "技能培训说明会", description: "介绍育婴员、养老护理员免费培训和补贴政策。", capacity: 50 },
  ],
};

export const VENUES = [
  "社区党群服务中心",
  "社区活动室",
  "社区文化广场",
  "小区会所",
  "社区卫生服务站",
  "新时代文明实践站",
];
