import { checkReadiness } from "~/http/readiness.server";

export async function loader() {
  const { ready, checks } = await checkReadiness();
  const down = Object.entries(checks)
    .filter(([, state]) => state === "down")
    .map(([name]) => name);
  return Response.json(ready ? { status: "ok", checks } : { status: "unavailable", down, checks }, {
    status: ready ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
