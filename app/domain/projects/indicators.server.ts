import { db, type Tx } from "~/lib/db.server";
import { notFound } from "~/lib/errors";
import { ID_PATTERN } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { authorize, can } from "../policy";
import { getTerritoryTree } from "../territory/territory.server";
import {
  type IndicatorRow,
  type IndicatorSetInput,
  type IndicatorSetView,
  STARTING_INDICATORS,
} from "./projects.schema";

// The district's default evaluation indicator set (ADR 0026): its district admins keep it, every
// evaluation form in the district starts from it, and anyone may read it (a provider should know
// what it will be scored on). Until a district keeps its own, the starting set stands.

const storedRows = (districtId: string, tx: Tx = db()) =>
  tx.evaluationIndicator.findMany({
    where: { districtId },
    orderBy: { position: "asc" },
    select: { indicator: true, max: true, createdAt: true },
  });

/** A district's kept rows as indicators, or the starting set while it keeps none. */
const indicatorsOf = (rows: IndicatorRow[]): IndicatorRow[] =>
  rows.length > 0 ? rows.map(({ indicator, max }) => ({ indicator, max })) : [...STARTING_INDICATORS];

/** The indicators an evaluation in this district starts from. */
export const defaultIndicatorsOf = async (districtId: string) => indicatorsOf(await storedRows(districtId));

async function loadDistrict(id: string, tx: Tx = db()) {
  // An id that cannot be one is simply not found (and never reaches the database).
  const district = ID_PATTERN.test(id)
    ? await tx.district.findUnique({ where: { id }, select: { id: true, name: true } })
    : null;
  if (!district) throw notFound("该区不存在");
  return district;
}

/** GET /api/v1/districts/:id/evaluation-indicators: public. */
export async function getIndicatorSet(districtId: string): Promise<IndicatorSetView> {
  const district = await loadDistrict(districtId);
  const rows = await storedRows(district.id);
  return {
    districtId: district.id,
    districtName: district.name,
    kept: rows.length > 0,
    indicators: indicatorsOf(rows),
    updatedAt: rows[0]?.createdAt.toISOString() ?? null,
  };
}

/** Replaces the district's set whole; the audit keeps the set before and after. */
export async function keepIndicatorSet(
  actor: Actor,
  districtId: string,
  input: IndicatorSetInput,
): Promise<IndicatorSetView> {
  const district = await loadDistrict(districtId);
  authorize(actor, "project.keepIndicators", { districtId: district.id });
  await db().$transaction(async (tx) => {
    // Two admins saving at once: the row lock on the district orders them, so each audit's
    // "before" is what the other left.
    await tx.$queryRaw`SELECT 1 FROM "District" WHERE id = ${district.id} FOR UPDATE`;
    const before = await storedRows(district.id, tx);
    await tx.evaluationIndicator.deleteMany({ where: { districtId: district.id } });
    await tx.evaluationIndicator.createMany({
      data: input.indicators.map((row, position) => ({ districtId: district.id, position, ...row })),
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "project.keepIndicators",
      targetType: "District",
      targetId: district.id,
      data: {
        before: before.map(({ indicator, max }) => ({ indicator, max })),
        after: input.indicators,
      },
    });
  });
  return getIndicatorSet(district.id);
}

/** 评估指标 page: a district's set (the asked one, else the first district), whether the actor keeps
 * it, and the other districts to switch to. */
export async function indicatorSetPage(actor: Actor | null, districtId: string | null) {
  const { districts } = await getTerritoryTree();
  const id = districtId ?? districts[0]?.id;
  if (id === undefined) throw notFound("还没有设置区");
  const set = await getIndicatorSet(id);
  return {
    set,
    mayKeep: can(actor, "project.keepIndicators", { districtId: set.districtId }),
    districts: districts.map(({ id: other, name }) => ({ id: other, name })),
  };
}
