import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { chinaDay, isoDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { conflict, notFound, validationError } from "~/lib/errors";
import { evidenceStore } from "~/lib/evidence-store.server";
import { ID_PATTERN, isStorableText } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { authorize, can } from "../policy";
import {
  type DeclarationInput,
  type DeclarationView,
  EVIDENCE_FIELD,
  EVIDENCE_TYPE_LABELS,
  type EvidenceType,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
} from "./declarations.schema";
import { loadProject, type ProjectRow, purchaserPathOf } from "./projects.server";

// Declared figures (ADR 0026): what the provider's people or the purchaser's staff say happened that
// the platform could not count, each with evidence files (sign-in sheet scans, photos). Shown apart
// from the platform's own figures, never mixed into progress. Append-only and refused once the
// project is completed or ended, so what a report was built on cannot change after the fact; every
// declaration and every read of a file is audited. Files are typed by their first bytes and kept in
// the evidence store, served only through `openEvidence` after the policy says yes.

const resourceOf = (row: ProjectRow) => ({ purchaserPath: purchaserPathOf(row), providerId: row.providerId });

const SIGNATURES: { type: EvidenceType; bytes: readonly number[] }[] = [
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "application/pdf", bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
];

/** The type the file's first bytes say it is, or null for anything else (an HTML page named .jpg). */
export function sniffEvidenceType(bytes: Uint8Array): EvidenceType | null {
  const match = SIGNATURES.find((s) => s.bytes.every((byte, i) => bytes[i] === byte));
  return match?.type ?? null;
}

const EXTENSION: Record<EvidenceType, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "application/pdf": "pdf",
};

/** The name shown and offered on download: the last part of what the browser sent, storable, short;
 * a fallback when nothing usable is left. */
function shownName(name: string, position: number, type: EvidenceType): string {
  const base = (name.split(/[/\\]/).pop() ?? "").trim().slice(-100);
  return base !== "" && isStorableText(base) ? base : `证明材料${position + 1}.${EXTENSION[type]}`;
}

type CheckedFile = { bytes: Uint8Array; type: EvidenceType; name: string };

async function checkFiles(files: readonly File[]): Promise<CheckedFile[]> {
  if (files.length > MAX_EVIDENCE_FILES) {
    throw validationError({ [EVIDENCE_FIELD]: `每项数据最多上传${MAX_EVIDENCE_FILES}个文件` });
  }
  const checked: CheckedFile[] = [];
  for (const [position, file] of files.entries()) {
    const label = `第${position + 1}个文件`;
    if (file.size === 0) throw validationError({ [EVIDENCE_FIELD]: `${label}是空的` });
    if (file.size > MAX_EVIDENCE_BYTES) {
      throw validationError({ [EVIDENCE_FIELD]: `${label}超过${MAX_EVIDENCE_BYTES / 1024 / 1024}MB` });
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const type = sniffEvidenceType(bytes);
    if (!type) {
      const allowed = Object.values(EVIDENCE_TYPE_LABELS).join("、");
      throw validationError({ [EVIDENCE_FIELD]: `${label}不是${allowed}，请上传签到表扫描件或照片` });
    }
    checked.push({ bytes, type, name: shownName(file.name, position, type) });
  }
  return checked;
}

/** Declares a figure with its evidence files: the provider's people or staff in the purchaser's
 * scope, while the project runs, for days inside its period and not after today. */
export async function declareFigure(
  actor: Actor,
  projectId: string,
  input: DeclarationInput,
  files: readonly File[],
  now = new Date(),
): Promise<DeclarationView> {
  const row = await loadProject(projectId);
  authorize(actor, "project.declare", resourceOf(row));
  if (row.status !== "ACTIVE") throw conflict("项目已结项或终止，不能再申报数据");
  if (input.fromOn < row.startsOn) {
    throw validationError({ fromOn: `起始日期不能早于项目开始日期（${isoDay(row.startsOn)}）` });
  }
  if (input.toOn > row.endsOn) {
    throw validationError({ toOn: `截止日期不能晚于项目结束日期（${isoDay(row.endsOn)}）` });
  }
  if (input.toOn > chinaDay(now)) throw validationError({ toOn: "不能申报今天以后的数据" });
  const checked = await checkFiles(files);

  // The bytes go in first and are removed again if the rows are not written, so a declaration never
  // points at a missing file; a crash in between leaves an unreferenced file, never a broken link.
  const store = evidenceStore();
  const stored = checked.map((file) => ({ ...file, key: `${projectId}/${randomBytes(16).toString("hex")}` }));
  try {
    for (const file of stored) await store.put(file.key, file.bytes);
    const id = await db().$transaction(async (tx) => {
      // Shares the project row's lock with the final evaluation's update: a declaration either lands
      // before the project completes or is refused, never after its report was settled.
      const [current] = await tx.$queryRaw<{ status: string }[]>`
        SELECT status::text FROM "Project" WHERE id = ${projectId} FOR SHARE`;
      if (current?.status !== "ACTIVE") throw conflict("项目已结项或终止，不能再申报数据");
      const declaration = await tx.projectDeclaration.create({
        data: {
          projectId,
          label: input.label,
          value: input.value,
          fromOn: input.fromOn,
          toOn: input.toOn,
          note: input.note,
          declaredById: actor.userId,
          evidence: {
            create: stored.map((file) => ({
              projectId,
              storageKey: file.key,
              contentType: file.type,
              size: file.bytes.byteLength,
              fileName: file.name,
            })),
          },
        },
        select: { id: true },
      });
      await recordAudit(tx, {
        actorId: actor.userId,
        action: "project.declare",
        targetType: "Project",
        targetId: projectId,
        data: {
          declarationId: declaration.id,
          value: input.value,
          fromOn: isoDay(input.fromOn),
          toOn: isoDay(input.toOn),
          files: stored.length,
        },
      });
      return declaration.id;
    });
    const [view] = await declarationRows(projectId, id);
    if (!view) throw notFound("该项目不存在");
    return view;
  } catch (error) {
    await Promise.allSettled(stored.map((file) => store.remove(file.key)));
    throw error;
  }
}

async function declarationRows(projectId: string, only?: string): Promise<DeclarationView[]> {
  const rows = await db().projectDeclaration.findMany({
    where: { projectId, ...(only ? { id: only } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      label: true,
      value: true,
      fromOn: true,
      toOn: true,
      note: true,
      declaredById: true,
      createdAt: true,
      evidence: {
        orderBy: { createdAt: "asc" },
        select: { id: true, fileName: true, contentType: true, size: true },
      },
    },
  });
  const people = await db().user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.declaredById))] } },
    select: { id: true, name: true },
  });
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  return rows.map((row) => ({
    id: row.id,
    label: row.label,
    value: row.value,
    fromOn: isoDay(row.fromOn),
    toOn: isoDay(row.toOn),
    note: row.note,
    declaredByName: nameOf.get(row.declaredById) ?? "",
    createdAt: row.createdAt.toISOString(),
    evidence: row.evidence.map((file) => ({
      id: file.id,
      fileName: file.fileName,
      contentType: evidenceTypeOf(file.contentType),
      size: file.size,
      url: `/api/v1/projects/${projectId}/evidence/${file.id}`,
    })),
  }));
}

/** A stored type read back (only the three are ever written). */
function evidenceTypeOf(text: string): EvidenceType {
  const known = SIGNATURES.find((s) => s.type === text);
  if (!known) throw new Error("unknown evidence type");
  return known.type;
}

/** The project's declared figures, newest first: staff in the purchaser's scope (evaluators among
 * them) and the provider's people. */
export async function listDeclarations(actor: Actor, projectId: string): Promise<DeclarationView[]> {
  const row = await loadProject(projectId);
  authorize(actor, "project.viewPrivate", resourceOf(row));
  return declarationRows(projectId);
}

export type EvidenceFile = { stream: Readable; contentType: EvidenceType; size: number; fileName: string };

/** One evidence file's bytes, for those who may see the project's private part; each read is
 * audited (a sign-in sheet carries residents' names). */
export async function openEvidence(actor: Actor, projectId: string, fileId: string): Promise<EvidenceFile> {
  const row = await loadProject(projectId);
  authorize(actor, "project.viewPrivate", resourceOf(row));
  if (!ID_PATTERN.test(fileId)) throw notFound("该文件不存在");
  const file = await db().projectEvidence.findFirst({
    where: { id: fileId, projectId },
    select: { storageKey: true, contentType: true, size: true, fileName: true },
  });
  if (!file) throw notFound("该文件不存在");
  await db().$transaction((tx) =>
    recordAudit(tx, {
      actorId: actor.userId,
      action: "project.evidenceRead",
      targetType: "Project",
      targetId: projectId,
      data: { fileId },
    }),
  );
  // Opened after the audit entry, so a failed write never leaves an open file behind.
  const stream = await evidenceStore().open(file.storageKey);
  if (!stream) throw notFound("该文件已不在存储中");
  return { stream, contentType: evidenceTypeOf(file.contentType), size: file.size, fileName: file.fileName };
}

/** What the project page's evidence part shows this visitor: the declared figures (null for those
 * who may not see them) and whether to offer the declaration form and the 回访 sample. */
export async function evidenceOnPage(actor: Actor | null, row: ProjectRow) {
  const resource = resourceOf(row);
  return {
    declarations: can(actor, "project.viewPrivate", resource) ? await declarationRows(row.id) : null,
    canDeclare: row.status === "ACTIVE" && can(actor, "project.declare", resource),
    canSeeCallbacks: can(actor, "project.evaluate", resource),
  };
}

/** The 申报数据 form's project, for those who may declare on it. */
export async function declarationTarget(actor: Actor, projectId: string) {
  const row = await loadProject(projectId);
  authorize(actor, "project.declare", resourceOf(row));
  return {
    id: row.id,
    title: row.title,
    startsOn: isoDay(row.startsOn),
    endsOn: isoDay(row.endsOn),
    active: row.status === "ACTIVE",
  };
}
