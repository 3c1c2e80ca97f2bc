import type { PrismaClient, ScopeType } from "@prisma/client";

// Government-purchased projects written directly (the seed and tests), as createProject would leave
// them; evaluations likewise.

export type ProjectValues = {
  purchaser: { id: string; level: ScopeType; subdistrictId?: string | null; districtId: string };
  providerId: string;
  createdById: string;
  title?: string;
  description?: string;
  budgetFen?: number;
  /** China days as UTC midnight, like the column. */
  startsOn: Date;
  endsOn: Date;
  status?: "ACTIVE" | "COMPLETED" | "ENDED";
  endedAt?: Date | null;
  targets?: {
    activitiesHeld?: number;
    personTimes?: number;
    uniquePersons?: number;
    needsFulfilled?: number;
    ratingX100?: number;
  };
  serviceIds?: string[];
};

export async function createProjectRow(db: PrismaClient, values: ProjectValues) {
  return db.project.create({
    data: {
      title: values.title ?? "社区居家养老服务项目",
      description: values.description ?? "为辖区老年人提供上门探访、助餐和健康讲座。",
      purchaserId: values.purchaser.id,
      purchaserLevel: values.purchaser.level,
      subdistrictId: values.purchaser.subdistrictId ?? null,
      districtId: values.purchaser.districtId,
      providerId: values.providerId,
      budgetFen: values.budgetFen ?? 20_000_000,
      startsOn: values.startsOn,
      endsOn: values.endsOn,
      status: values.status ?? "ACTIVE",
      endedAt: values.endedAt ?? null,
      createdById: values.createdById,
      targetActivitiesHeld: values.targets?.activitiesHeld ?? null,
      targetPersonTimes: values.targets?.personTimes ?? null,
      targetUniquePersons: values.targets?.uniquePersons ?? null,
      targetNeedsFulfilled: values.targets?.needsFulfilled ?? null,
      targetRatingX100: values.targets?.ratingX100 ?? null,
      services: { create: (values.serviceIds ?? []).map((serviceId) => ({ serviceId })) },
    },
  });
}

export async function createEvaluationRow(
  db: PrismaClient,
  values: {
    projectId: string;
    stage: "MIDTERM" | "FINAL";
    evaluatorId: string;
    comment?: string;
    scores: { indicator: string; score: number; max: number }[];
  },
) {
  return db.projectEvaluation.create({
    data: {
      projectId: values.projectId,
      stage: values.stage,
      evaluatorId: values.evaluatorId,
      comment: values.comment ?? "项目执行规范，服务成效明显。",
      scores: { create: values.scores.map((s, position) => ({ position, ...s })) },
    },
  });
}

/** A district's kept default evaluation indicators, in order (what keepIndicatorSet stores). */
export async function createIndicatorSetRows(
  db: PrismaClient,
  districtId: string,
  indicators: { indicator: string; max: number }[],
) {
  await db.evaluationIndicator.createMany({
    data: indicators.map((row, position) => ({ districtId, position, ...row })),
  });
}
