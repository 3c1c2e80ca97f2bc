import { Link } from "@remix-run/react";

/** 上一页 / 下一页 links that keep the list's other query parameters. */
export function Pager({
  page,
  pageSize,
  total,
  search,
}: {
  page: number;
  pageSize: number;
  total: number;
  search: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const to = (target: number) => {
    const params = new URLSearchParams(search);
    params.set("page", String(target));
    return `?${params}`;
  };
  return (
    <nav className="pager" aria-label="翻页">
      {page > 1 ? (
        <Link className="button" to={to(page - 1)} rel="prev">
          上一页
        </Link>
      ) : null}
      <span>{`第 ${page} / ${pages} 页`}</span>
      {page < pages ? (
        <Link className="button" to={to(page + 1)} rel="next">
          下一页
        </Link>
      ) : null}
    </nav>
  );
}
