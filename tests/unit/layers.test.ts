import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The layer rules of ADR 0021 as `npm run lint` runs them: the project's own dependency-cruiser
// configuration over a small made-up tree, once with every kind of forbidden import and once with
// only allowed ones, so a rule that stopped matching (or started matching everything) fails here.

const run = promisify(execFile);
const CONFIG = resolve(".dependency-cruiser.cjs");
const DEPCRUISE = resolve("node_modules/.bin/depcruise");

/** Whether the check failed, and each violation as "rule: importing file". */
type Outcome = { failed: boolean; violations: string[] };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sanshe-layers-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes the files into a fresh tree (with the project's `~/` alias) and cruises it. */
async function cruise(name: string, files: Record<string, string>): Promise<Outcome> {
  const tree = join(root, name);
  const all = {
    ...files,
    "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "~/*": ["./app/*"] } } }),
  };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await writeFile(join(tree, path), text);
  }
  const args = ["app", "prisma", "workers", "--config", CONFIG];
  const violationsIn = (report: string) =>
    [...report.matchAll(/error ([\w-]+): (\S+) →/g)].map(([, rule, from]) => `${rule}: ${from}`).sort();
  try {
    const { stdout } = await run(DEPCRUISE, args, { cwd: tree });
    return { failed: false, violations: violationsIn(stdout) };
  } catch (error) {
    // depcruise exits with the number of errors, as `npm run lint` sees it.
    return { failed: true, violations: violationsIn((error as { stdout?: string }).stdout ?? "") };
  }
}

const allowed = {
  "app/lib/zod.ts": "export const z = 1;\n",
  "app/search/engine.ts": 'import { z } from "~/lib/zod";\nexport const engine = z;\n',
  "app/queue/queues.server.ts": 'import { z } from "~/lib/zod";\nexport const queue = z;\n',
  "app/domain/search.server.ts":
    'import { engine } from "~/search/engine";\nimport { queue } from "~/queue/queues.server";\nexport const find = engine + queue;\nexport type Find = typeof find;\n',
  "app/domain/search.schema.ts": "export const PAGE_SIZE = 20;\n",
  // A component takes constants from a schema, and may take types from a server module.
  "app/components/list.tsx":
    'import { PAGE_SIZE } from "~/domain/search.schema";\nimport type { Find } from "~/domain/search.server";\nexport const List = (find: Find) => PAGE_SIZE;\n',
  "app/http/auth.server.ts": 'import { find } from "~/domain/search.server";\nexport const actor = find;\n',
  "app/routes/search.tsx":
    'import { List } from "~/components/list";\nimport { actor } from "~/http/auth.server";\nexport default List + actor;\n',
  "app/outbox/relay.server.ts":
    'import { engine } from "~/search/engine";\nimport { find } from "~/domain/search.server";\nexport const relay = engine + find;\n',
  "workers/index.ts": 'import { relay } from "~/outbox/relay.server";\nexport default relay;\n',
  "prisma/factories/index.ts": 'import { z } from "~/lib/zod";\nexport const createUser = z;\n',
  "prisma/seed.ts": 'import { createUser } from "./factories";\nexport default createUser;\n',
};

describe("the layer rules (npm run lint)", () => {
  it("let the layers import downwards", { timeout: 60_000 }, async () => {
    const outcome = await cruise("allowed", allowed);
    expect(outcome.violations).toEqual([]);
    expect(outcome.failed).toBe(false);
  });

  it("fail on each forbidden import, naming the rule it breaks", { timeout: 60_000 }, async () => {
    const outcome = await cruise("forbidden", {
      ...allowed,
      "tests/factories/index.ts": "export const createUser = 1;\n",
      // lib reaching up into the domain (as auth.server.ts once did)
      "app/lib/auth.server.ts": 'import { find } from "~/domain/search.server";\nexport const a = find;\n',
      // search dispatching through the domain (as the relay once did)
      "app/search/relay.server.ts":
        'import { find } from "~/domain/search.server";\nexport const r = find;\n',
      "app/domain/page.server.ts": 'import Page from "~/routes/search";\nexport const p = Page;\n',
      "app/components/chart.tsx": 'import Page from "~/routes/search";\nexport const c = Page;\n',
      // a component reading a value from a server module (undefined in the browser)
      "app/components/pager.tsx": 'import { find } from "~/domain/search.server";\nexport const p = find;\n',
      "app/routes/outbox.tsx": 'import { engine } from "~/search/engine";\nexport default engine;\n',
      "app/routes/board.tsx": 'import { relay } from "~/outbox/relay.server";\nexport default relay;\n',
      "app/lib/db.server.ts": "export const db = 1;\n",
      "app/routes/raw.tsx": 'import { db } from "~/lib/db.server";\nexport default db;\n',
      "prisma/seed.ts": 'import { createUser } from "../tests/factories";\nexport default createUser;\n',
      "app/domain/a.server.ts": 'import { b } from "./b.server";\nexport const a = () => b;\n',
      "app/domain/b.server.ts": 'import { a } from "./a.server";\nexport const b = () => a;\n',
    });
    expect(outcome.failed).toBe(true);
    expect(outcome.violations).toEqual(
      [
        "lib-is-the-bottom: app/lib/auth.server.ts",
        "search-and-queue-below-the-domain: app/search/relay.server.ts",
        "domain-below-the-web: app/domain/page.server.ts",
        "components-below-routes: app/components/chart.tsx",
        "components-without-server-modules: app/components/pager.tsx",
        "routes-go-through-the-domain: app/routes/outbox.tsx",
        "routes-go-through-the-domain: app/routes/board.tsx",
        "relay-for-the-worker: app/routes/board.tsx",
        "routes-go-through-the-domain: app/routes/raw.tsx",
        "production-code-never-imports-tests: prisma/seed.ts",
        "no-cycles: app/domain/a.server.ts",
      ].sort(),
    );
  });
});
