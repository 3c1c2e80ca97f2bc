import { Link } from "@remix-run/react";

/** Shown by the sections whose features are still being opened up on the platform. */
export function SectionOpening({ title, text }: { title: string; text: string }) {
  return (
    <section className="card" aria-labelledby="section-title">
      <h1 id="section-title">{title}</h1>
      <p className="lead">{text}</p>
      <p>本栏目即将开放。如有急需，请直接联系您所在社区的工作人员。</p>
      <Link className="button" to="/">
        返回首页
      </Link>
    </section>
  );
}
