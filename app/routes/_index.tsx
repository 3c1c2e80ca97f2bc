import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { districtHeadline } from "~/domain/stats/figures.server";
import { reportNumber } from "~/domain/stats/report";
import { territoryOverview } from "~/domain/territory/territory.server";
import { useRootData } from "~/root";

export const meta: MetaFunction = () => [{ title: "首页 · 三社联动服务平台" }];

export async function loader() {
  // The lean read of the district's figures (not statisticsFor's months and categories): this is
  // the most visited page.
  const [overview, headline] = await Promise.all([territoryOverview(), districtHeadline()]);
  return { overview, headline };
}

const QUICK_LINKS = [
  { to: "/needs", title: "我要提需求", text: "上门探访、助餐助浴、课后托管……告诉社区您需要什么" },
  { to: "/services", title: "找服务", text: "看看社会组织和特色商家能提供哪些服务" },
  { to: "/activities", title: "社区活动", text: "报名参加身边的活动，到场签到" },
  { to: "/providers", title: "社会组织", text: "了解入驻平台的社会组织和特色商家" },
];

export default function HomePage() {
  const { overview, headline } = useLoaderData<typeof loader>();
  const root = useRootData();
  const communities = overview.urbanCommunities + overview.villageConvertedCommunities;
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">社区、社会组织、社工联动，服务到您身边</h1>
        {/* What the platform is, for a visitor; someone signed in knows it, and in 适老化 mode the
            paragraph alone pushed 「我想……」 off a phone's first screen (issue #15, item 4). */}
        {root?.user ? null : (
          <>
            <p className="lead">
              {overview.districtName ?? "本区"}
              “三社联动”信息平台：居民提出需求，社会组织和特色商家提供服务，社区工作者牵线搭桥、组织活动。
            </p>
            <div className="actions">
              <Link className="button button--primary" to="/register">
                居民注册
              </Link>
              <Link className="button" to="/login">
                登录
              </Link>
            </div>
          </>
        )}
      </section>
      {/* What a resident came for before the figures (issue #15): on a phone in 适老化 mode the
          statistics took two to three screens. */}
      <section aria-labelledby="quick-title">
        <h2 id="quick-title">我想……</h2>
        <ul className="tiles">
          {QUICK_LINKS.map((link) => (
            <li key={link.to}>
              <Link className="tile" to={link.to}>
                <span className="tile__title">{link.title}</span>
                <span className="tile__text">{link.text}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="figures-title">
        <h2 id="figures-title">平台概况</h2>
        <ul className="figures">
          <li>
            <span className="figure__value">{overview.subdistricts}</span>
            <span className="figure__label">个街道</span>
          </li>
          <li>
            <span className="figure__value">{communities}</span>
            <span className="figure__label">
              个社区（城市社区 {overview.urbanCommunities}，村改居社区 {overview.villageConvertedCommunities}
              ）
            </span>
          </li>
          <li>
            <span className="figure__value">{overview.residents}</span>
            <span className="figure__label">位注册居民</span>
          </li>
        </ul>
      </section>
      {headline ? (
        <section aria-labelledby="headline-title">
          <h2 id="headline-title">{`${headline.name}${headline.from.slice(0, 4)}年以来`}</h2>
          <ul className="figures figures--pairs">
            <li>
              <span className="figure__value">{headline.providers}</span>
              <span className="figure__label">家社会组织和特色商家入驻</span>
            </li>
            <li>
              <span className="figure__value">{headline.activitiesHeld}</span>
              <span className="figure__label">场次社区活动</span>
            </li>
            <li>
              <span className="figure__value">{reportNumber(headline.personTimes)}</span>
              <span className="figure__label">人次参加活动</span>
            </li>
            <li>
              <span className="figure__value">{reportNumber(headline.uniquePersons)}</span>
              <span className="figure__label">位居民到场参加</span>
            </li>
            <li>
              <span className="figure__value">{headline.needsFulfilled}</span>
              <span className="figure__label">件居民需求已办结</span>
            </li>
          </ul>
          <p>
            <Link to="/stats">查看统计详情（各街道、逐月、各类别）</Link>
          </p>
        </section>
      ) : null}
    </>
  );
}
