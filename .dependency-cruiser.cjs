// The layers of ADR 0021, checked by `npm run lint`: routes (and the HTTP adapter) → components →
// domain → search / queue → lib. A forbidden import fails the lint, and so CI.
// Known violations waiting for a later phase are listed in .dependency-cruiser-known-violations.json.

/** Everything under app/ except the given top-level folders. */
const appExcept = (...folders) => `^app/(?!(${folders.join("|")})/)`;
const TOP = "^app/(routes/|root\\.tsx|entry\\.(client|server)\\.tsx)";

module.exports = {
  forbidden: [
    {
      name: "lib-is-the-bottom",
      comment: "app/lib imports nothing from the rest of app (nor from workers, prisma, scripts, tests).",
      severity: "error",
      from: { path: "^app/lib/" },
      to: { path: [appExcept("lib"), "^(workers|prisma|scripts|tests)/"] },
    },
    {
      name: "search-and-queue-below-the-domain",
      comment: "The search engines and the queues use lib only (and each other), never the domain.",
      severity: "error",
      from: { path: "^app/(search|queue)/" },
      to: { path: appExcept("lib", "search", "queue") },
    },
    {
      name: "domain-below-the-web",
      comment: "The domain never imports routes, components, the HTTP adapter, the root route or the relay.",
      severity: "error",
      from: { path: "^app/domain/" },
      to: { path: ["^app/(components|http|outbox)/", TOP] },
    },
    {
      name: "components-below-routes",
      comment:
        "Components take what they show from their page: no routes, root, HTTP adapter or infrastructure.",
      severity: "error",
      from: { path: "^app/components/" },
      to: { path: ["^app/(http|search|queue|outbox)/", "^app/lib/(db|redis)\\.server", TOP] },
    },
    {
      name: "components-without-server-modules",
      comment:
        "Components run in the browser too, where a *.server module is left out: its constants read undefined there (they broke hydration once). Shared constants live in *.schema.ts or lib; types may still come from anywhere.",
      severity: "error",
      from: { path: "^app/components/" },
      to: { path: "\\.server\\.tsx?$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "routes-go-through-the-domain",
      comment: "Routes never reach the search engines, the queues, the relay or the database directly.",
      severity: "error",
      from: { path: TOP },
      to: { path: ["^app/(search|queue|outbox)/", "^app/lib/(db|redis)\\.server"] },
    },
    {
      name: "http-adapter-not-pages",
      comment: "The HTTP adapter (server, auth, route helpers) does not import pages or components.",
      severity: "error",
      from: { path: "^app/http/" },
      to: { path: ["^app/components/", TOP] },
    },
    {
      name: "relay-for-the-worker",
      comment: "The outbox relay runs in the worker (and scripts, tests); nothing in the web app imports it.",
      severity: "error",
      from: { path: "^app/(?!outbox/)" },
      to: { path: "^app/outbox/" },
    },
    {
      name: "production-code-never-imports-tests",
      comment: "The app, the worker, the seed and the scripts run without the test tree.",
      severity: "error",
      from: { path: "^(app|workers|prisma|scripts)/" },
      to: { path: "^tests/" },
    },
    {
      name: "workers-reuse-the-domain",
      comment: "The worker uses the domain and the infrastructure, never pages or the HTTP adapter.",
      severity: "error",
      from: { path: "^workers/" },
      to: { path: ["^app/(routes|components|http)/", TOP] },
    },
    {
      name: "no-cycles",
      comment: "No module reaches itself through its imports.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^build", "^public/build", "^node_modules"] },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
