import type { MetaFunction } from "@remix-run/node";
import { SectionOpening } from "~/components/section-opening";

export const meta: MetaFunction = () => [{ title: "居民需求 · 三社联动服务平台" }];

export default function Page() {
  return <SectionOpening title="居民需求" text="居民可以在这里发布需求，社区工作者会帮您对接合适的服务。" />;
}
