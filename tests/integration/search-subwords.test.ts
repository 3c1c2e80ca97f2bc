import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import type { SearchDocument } from "~/search/engine";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { hanRuns, indexTerms } from "~/search/segmenter.server";
import { SERVICE_TEMPLATES } from "../../prisma/demo-marketplace";
import { searchRequest } from "../factories/search-requests";
import { RELEVANCE_SERVICES } from "../fixtures/relevance";
import { FULL_SWEEPS, propertyRuns } from "../setup/sweeps";

// Every sub-word (#16): any run of two or more Chinese characters inside a title finds the document,
// whatever jieba made of the title, and a title that has the query as a word of its own ranks above
// one that has it only inside another word. PostgreSQL only: Meilisearch matches word prefixes
// (ADR 0023).

const engine = () => new PostgresSearchEngine(db());

const document = (id: string, title: string, sortAt = new Date()): SearchDocument => ({
  type: "service",
  id,
  version: 1,
  title,
  body: "",
  fields: {
    category: [],
    subdistrictId: [],
    communityId: [],
    funding: [],
    providerKind: [],
    status: [],
    providerId: [],
  },
  sortAt,
});

const request = (text: string) => searchRequest(text, { limit: 2000 });

/** Every contiguous part of two Han characters or more of a title. */
function parts(title: string): string[] {
  const found = new Set<string>();
  for (const run of hanRuns(title)) {
    const chars = [...run];
    for (let start = 0; start < chars.length; start += 1) {
      for (let end = start + 2; end <= chars.length; end += 1) found.add(chars.slice(start, end).join(""));
    }
  }
  return [...found];
}

const DEMO_TITLES = [
  ...Object.values(SERVICE_TEMPLATES).flatMap((templates) => templates.map((t) => t.title)),
  ...RELEVANCE_SERVICES.map((s) => s.title),
];

/** Characters titles are made of: common ones, so that generated parts also occur in other titles. */
const HAN = [
  ..."老人上门服务助浴餐社区居家适化改造亲子绘本共读周末心理咨询儿童托管家政维修理发法律援助志愿就业康复",
];

describe("every sub-word of a title", () => {
  beforeEach(async () => {
    await engine().ensureReady();
  });

  it("finds each demo and corpus title by every part of two characters or more", async () => {
    const e = engine();
    await e.upsert(DEMO_TITLES.map((title, i) => document(`t${i}`, title)));
    const missed: string[] = [];
    for (const [i, title] of DEMO_TITLES.entries()) {
      // npm test asks every fourth part of each title; npm run test:full asks them all.
      for (const part of parts(title).filter((_, j) => FULL_SWEEPS || j % 4 === i % 4)) {
        const found = await e.search(request(part));
        if (!found.hits.some((hit) => hit.id === `t${i}`)) missed.push(`${part} → ${title}`);
      }
    }
    expect(missed).toEqual([]);
  }, 120_000);

  it("finds generated titles by any of their parts", async () => {
    const e = engine();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...HAN), { minLength: 2, maxLength: 14 }),
        fc.nat(),
        fc.nat(),
        async (chars, a, b) => {
          const title = chars.join("");
          const start = a % (chars.length - 1);
          const end = start + 2 + (b % (chars.length - start - 1));
          const part = chars.slice(start, end).join("");
          await e.upsert([document("generated", title)]);
          const found = await e.search(request(part));
          expect(
            found.hits.map((hit) => hit.id),
            `${part} in ${title}`,
          ).toContain("generated");
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  }, 120_000);

  it("ranks a title with the query as a word of its own above one with it inside a word", async () => {
    // 适老 is a word of 适老设施 but only part of 适老化 in 居家适老化改造.
    expect(indexTerms("适老设施")).toContain("适老");
    expect(indexTerms("居家适老化改造")).not.toContain("适老");
    const e = engine();
    // The sub-word document is the newer: the order comes from the score, not from recency.
    await e.upsert([
      document("word", "适老设施", new Date(1000)),
      document("inside", "居家适老化改造", new Date(2000)),
    ]);
    const found = await e.search(request("适老"));
    expect(found.hits.map((hit) => hit.id)).toEqual(["word", "inside"]);
  });
});
