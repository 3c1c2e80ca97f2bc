import { db } from "~/lib/db.server";
import { conflict } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { authorize } from "../policy";
import { EVALUATION_STAGE_LABELS, type EvaluationInput, type EvaluationView } from "./projects.schema";
import { loadProject, purchaserPathOf } from "./projects.server";

// Mid-term and final evaluations (ADR 0026): staff in the purchaser's scope, never the provider's
// own people, score the project against indicators; one of each stage; the final one completes it.

export async function recordEvaluation(actor: Actor, projectId: string, input: EvaluationInput) {
  const row = await loadProject(projectId);
  authorize(actor, "project.evaluate", { purchaserPath: purchaserPathOf(row), providerId: row.providerId });
  if (row.status !== "ACTIVE") throw conflict("项目已结项或终止，不能再评估");
  const id = await db().$transaction(async (tx) => {
    const existing = await tx.projectEvaluation.findUnique({
      where: { projectId_stage: { projectId, stage: input.stage } },
      select: { id: true },
    });
    if (existing) throw conflict(`该项目已有${EVALUATION_STAGE_LABELS[input.stage]}`);
    const evaluation = await tx.projectEvaluation.create({
      data: {
        projectId,
        stage: input.stage,
        comment: input.comment,
        evaluatorId: actor.userId,
        scores: { create: input.scores.map((s, position) => ({ position, ...s })) },
      },
      select: { id: true },
    });
    if (input.stage === "FINAL") {
      // Completing races an early end or another final evaluation: only an ACTIVE project moves.
      const { count } = await tx.project.updateMany({
        where: { id: projectId, status: "ACTIVE" },
        data: { status: "COMPLETED", endedAt: new Date(), version: { increment: 1 } },
      });
      if (count === 0) throw conflict("项目已结项或终止，不能再评估");
    }
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "project.evaluate",
      targetType: "Project",
      targetId: projectId,
      data: {
        evaluationId: evaluation.id,
        stage: input.stage,
        total: input.scores.reduce((sum, s) => sum + s.score, 0),
      },
    });
    return evaluation.id;
  });
  const [view] = await evaluationsOf(projectId, id);
  return view;
}

/** A project's evaluations, mid-term first (or just one, by id). */
export async function evaluationsOf(projectId: string, only?: string): Promise<EvaluationView[]> {
  const rows = await db().projectEvaluation.findMany({
    where: { projectId, ...(only ? { id: only } : {}) },
    orderBy: { stage: "asc" },
    select: {
      id: true,
      stage: true,
      comment: true,
      createdAt: true,
      scores: { orderBy: { position: "asc" }, select: { indicator: true, score: true, max: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    stage: row.stage,
    stageLabel: EVALUATION_STAGE_LABELS[row.stage],
    comment: row.comment,
    createdAt: row.createdAt.toISOString(),
    total: row.scores.reduce((sum, s) => sum + s.score, 0),
    totalMax: row.scores.reduce((sum, s) => sum + s.max, 0),
    scores: row.scores,
  }));
}
