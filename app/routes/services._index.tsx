import type { MetaFunction } from "@remix-run/node";
import { SectionOpening } from "~/components/section-opening";

export const meta: MetaFunction = () => [{ title: "服务项目 · 三社联动服务平台" }];

export default function Page() {
  return (
    <SectionOpening
      title="服务项目"
      text="社会组织和特色商家入驻审核通过后，将在这里发布养老助老、儿童关爱、心理健康等服务项目。"
    />
  );
}
