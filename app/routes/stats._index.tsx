import type { MetaFunction } from "@remix-run/node";
import { SectionOpening } from "~/components/section-opening";

export const meta: MetaFunction = () => [{ title: "统计 · 三社联动服务平台" }];

export default function Page() {
  return <SectionOpening title="统计" text="各街道、社区的活动场次、受众人次等数据将在这里汇总展示。" />;
}
