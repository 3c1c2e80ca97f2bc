import type { MetaFunction } from "@remix-run/node";
import { SectionOpening } from "~/components/section-opening";

export const meta: MetaFunction = () => [{ title: "社区活动 · 三社联动服务平台" }];

export default function Page() {
  return (
    <SectionOpening
      title="社区活动"
      text="社区和社会组织举办的活动将在这里发布，您可以在线报名、到场签到。"
    />
  );
}
