// The demo's government-purchased projects (issue 18): who buys at which level, over which China
// days relative to today, and how their targets sit against what their linked activities achieved,
// so the 政府购买服务 pages show one project of each kind: finished and evaluated, on track, behind.

export type DemoProjectShape = "completed" | "onTrack" | "behind";

export type DemoProject = {
  title: string;
  description: string;
  /** Who buys: the district, the subdistrict of the provider's first community, or that community. */
  level: "DISTRICT" | "SUBDISTRICT" | "COMMUNITY";
  /** China days from today (negative: past). */
  startsIn: number;
  endsIn: number;
  budgetYuan: number;
  shape: DemoProjectShape;
};

export const DEMO_PROJECTS: DemoProject[] = [
  {
    title: "社区居家养老服务项目",
    description: "为辖区独居、高龄老人提供上门探访、助餐和健康讲座，每月开展集体活动。",
    level: "SUBDISTRICT",
    startsIn: -360,
    endsIn: -30,
    budgetYuan: 280_000,
    shape: "completed",
  },
  {
    title: "青少年四点半课堂",
    description: "放学后为双职工家庭的孩子提供作业辅导、阅读和手工课程。",
    level: "COMMUNITY",
    startsIn: -180,
    endsIn: 185,
    budgetYuan: 120_000,
    shape: "onTrack",
  },
  {
    title: "全区社区文体活动提升项目",
    description: "在各街道组织广场舞、书画、合唱等文体活动，培育居民文体队伍。",
    level: "DISTRICT",
    startsIn: -120,
    endsIn: 245,
    budgetYuan: 650_000,
    shape: "onTrack",
  },
  {
    title: "邻里守望志愿服务项目",
    description: "培育楼栋志愿者，开展邻里互助、便民维修和环境整治活动。",
    level: "SUBDISTRICT",
    startsIn: -150,
    endsIn: 215,
    budgetYuan: 200_000,
    shape: "behind",
  },
  {
    title: "健康自我管理小组",
    description: "面向慢性病居民开展健康讲座、义诊和运动打卡。",
    level: "COMMUNITY",
    startsIn: -90,
    endsIn: 275,
    budgetYuan: 80_000,
    shape: "onTrack",
  },
];

/** A target for a figure so that the project is on track (or behind, or met at its end), given what
 * it achieved so far over `elapsed` of its `total` days: the linear pace ADR 0026 measures against. */
export function demoTarget(actual: number, elapsed: number, total: number, shape: DemoProjectShape) {
  if (shape === "completed") return Math.max(1, Math.floor(actual * 0.9));
  const full = (actual * total) / Math.max(1, elapsed);
  return Math.max(1, Math.floor(shape === "behind" ? full * 1.6 : full * 0.8));
}

/** The demo district's own evaluation indicators (评估指标), which its finished project was scored on. */
export const DEMO_INDICATORS = [
  { indicator: "服务计划完成情况", max: 25 },
  { indicator: "服务对象满意度", max: 25 },
  { indicator: "项目管理规范性", max: 25 },
  { indicator: "资金使用合规性", max: 25 },
];
