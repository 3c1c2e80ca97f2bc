import type { MetaFunction } from "@remix-run/node";
import { SectionOpening } from "~/components/section-opening";

export const meta: MetaFunction = () => [{ title: "社会组织与特色商家 · 三社联动服务平台" }];

export default function Page() {
  return <SectionOpening title="社会组织与特色商家" text="已入驻平台的社会组织和特色商家将在这里展示。" />;
}
