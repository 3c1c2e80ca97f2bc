import { data } from "@remix-run/node";

/** Any path no route matches: the root error boundary shows the Chinese 404 page. */
export function loader() {
  throw data({ message: "页面不存在" }, { status: 404 });
}

export function action() {
  throw data({ message: "页面不存在" }, { status: 404 });
}

export default function NotFound() {
  return null;
}
