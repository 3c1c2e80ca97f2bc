import { PROVIDER_KIND_LABELS } from "~/domain/catalog/categories";
import { PROVIDER_STATUS_LABELS } from "~/domain/providers/providers.schema";
import { demoProviderPlan } from "./demo-marketplace";

// A fictional district for the demo: six subdistricts, 36 communities, both kinds.
// (V) marks a village-converted community (村改居社区).

export const DEMO_DISTRICT = "明湖区";

export const DEMO_SUBDISTRICTS: { name: string; communities: string[] }[] = [
  {
    name: "东湖街道",
    communities: ["映月社区", "桃源社区", "湖滨社区", "春晖社区", "李家庄社区(V)", "渔港社区(V)"],
  },
  {
    name: "西城街道",
    communities: ["鼓楼社区", "文昌社区", "梧桐社区", "和平里社区", "王家湾社区(V)", "新桥社区"],
  },
  {
    name: "南苑街道",
    communities: ["南苑社区", "紫荆社区", "阳光社区", "锦绣社区", "张村社区(V)", "柳营社区(V)"],
  },
  {
    name: "北塘街道",
    communities: ["北塘社区", "运河社区", "长青社区", "幸福里社区", "陈家坝社区(V)", "高庄社区(V)"],
  },
  {
    name: "清河街道",
    communities: ["清河社区", "翠竹社区", "康乐社区", "书院社区", "杨柳村社区(V)", "石桥社区"],
  },
  {
    name: "柳岸街道",
    communities: ["柳岸社区", "金沙社区", "望江社区", "枫林社区", "马家堡社区(V)", "东坡社区(V)"],
  },
];

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const GIVEN = [
  "秀英",
  "建国",
  "桂兰",
  "志强",
  "淑珍",
  "海燕",
  "德明",
  "丽华",
  "文博",
  "雨涵",
  "子轩",
  "玉梅",
  "国庆",
  "春花",
  "晓东",
];

/** A deterministic name for the n-th demo person. */
export function demoName(n: number): string {
  return `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`;
}

/** Demo phone numbers: 137 0000 000s subdistrict admins, 136 0000 sscc workers, 135 0000 nnnn residents. */
export const demoPhones = {
  subdistrictAdmin: (s: number) => `1370000000${s + 1}`,
  worker: (s: number, c: number) =>
    `1360000${String(s + 1).padStart(2, "0")}${String(c + 1).padStart(2, "0")}`,
  resident: (n: number) => `1350000${String(n + 1).padStart(4, "0")}`,
  /** 社区服务电话: a landline per community (ADR 0028). */
  communityService: (s: number, c: number) =>
    `0571-8860${String(s + 1).padStart(2, "0")}${String(c + 1).padStart(2, "0")}`,
};

export const RESIDENTS_PER_COMMUNITY = 3;
export const DEMO_PASSWORD = "sanshe2026";

type DemoPerson = { name: string; phone: string };
export type DemoPlan = {
  name: string;
  admin: DemoPerson;
  communities: {
    name: string;
    kind: "URBAN" | "VILLAGE_CONVERTED";
    servicePhone: string;
    worker: DemoPerson;
    residents: DemoPerson[];
  }[];
}[];

/** Every demo subdistrict, community and person, in a fixed order: the seed builds it, the docs list it. */
export function demoPlan(): DemoPlan {
  let resident = 0;
  return DEMO_SUBDISTRICTS.map((spec, s) => ({
    name: spec.name,
    admin: { name: demoName(100 + s), phone: demoPhones.subdistrictAdmin(s) },
    communities: spec.communities.map((label, c) => ({
      name: label.replace("(V)", ""),
      kind: label.endsWith("(V)") ? "VILLAGE_CONVERTED" : "URBAN",
      servicePhone: demoPhones.communityService(s, c),
      worker: { name: demoName(200 + s * 10 + c), phone: demoPhones.worker(s, c) },
      residents: Array.from({ length: RESIDENTS_PER_COMMUNITY }, () => {
        const n = resident++;
        return { name: demoName(n), phone: demoPhones.resident(n) };
      }),
    })),
  }));
}

/** The demo accounts as a Markdown table (docs/demo-accounts.md is this text; a test keeps it so). */
export function demoAccountsMarkdown(admin: { phone: string; password: string }): string {
  const plan = demoPlan();
  const row = (role: string, where: string, person: DemoPerson) =>
    `| ${role} | ${where} | ${person.name} | ${person.phone} |`;
  const staff = plan.flatMap((sd) => [
    row("街道管理员", sd.name, sd.admin),
    ...sd.communities.map((c) => row("社区工作者", `${sd.name} · ${c.name}`, c.worker)),
  ]);
  const residents = plan.flatMap((sd) =>
    sd.communities.flatMap((c) => c.residents.map((person) => row("居民", `${sd.name} · ${c.name}`, person))),
  );
  return [
    "# Demo accounts",
    "",
    "Built by `prisma/seed.ts` on an empty database (`npm start` does it). Regenerate this file with",
    "`npx tsx scripts/demo-accounts.ts > docs/demo-accounts.md`.",
    "",
    `Every account below uses the password \`${DEMO_PASSWORD}\`, except the district admin, whose phone`,
    "and password come from `DEMO_ADMIN_PHONE` / `DEMO_ADMIN_PASSWORD`.",
    "",
    "| role | territory | name | phone |",
    "|---|---|---|---|",
    `| 区管理员 | ${DEMO_DISTRICT} | 区管理员 | ${admin.phone} (password \`${admin.password}\`) |`,
    ...staff,
    ...residents,
    "",
    "## Provider owners",
    "",
    "Each owns one demo provider (社会组织 or 特色商家) in the given review state; password as above.",
    "",
    "| provider | kind | status | owner | phone |",
    "|---|---|---|---|---|",
    ...demoProviderPlan(DEMO_SUBDISTRICTS).map(
      (p) =>
        `| ${p.name} | ${PROVIDER_KIND_LABELS[p.spec.kind]} | ${PROVIDER_STATUS_LABELS[p.status]} | ${p.owner.name} | ${p.owner.phone} |`,
    ),
    "",
  ].join("\n");
}
