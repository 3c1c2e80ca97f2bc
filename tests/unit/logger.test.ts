import { afterEach, describe, expect, it, vi } from "vitest";
import { describeError, logger } from "~/lib/logger.server";

// The logger's own guard against personal data (ADR 0013): whatever a caller or a library passes,
// no mobile number reaches a log line, and an error contributes only its first line.

afterEach(() => {
  vi.restoreAllMocks();
});

function captureStderr() {
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe("logger redaction", () => {
  it("masks mobile numbers in the message and in every field", () => {
    const lines = captureStderr();
    logger.error("lookup for 13812345678 failed", {
      path: "/x/13912345678/y",
      note: "call 15000000000",
      n: 3,
    });
    const text = lines.join("");
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line).toMatchObject({ msg: "lookup for 138****5678 failed", path: "/x/139****5678/y", n: 3 });
  });

  it("leaves other numbers alone (ids, counts, times)", () => {
    const lines = captureStderr();
    logger.warn("queue", { id: "1234567890", big: "123456789012", ms: 138 });
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ id: "1234567890", big: "123456789012", ms: 138 });
  });

  it("keeps an error's name, code and first line, never the arguments Prisma prints below it", () => {
    const error = Object.assign(
      new Error(
        '\nInvalid `prisma.user.create()` invocation:\n\n{\n  data: {\n    name: "张秀英",\n    phone: "13812345678"\n  }\n}',
      ),
      { code: "P2002" },
    );
    const described = describeError(error);
    expect(described).toEqual({
      errorName: "Error",
      errorCode: "P2002",
      errorMessage: "Invalid `prisma.user.create()` invocation:",
    });
    expect(JSON.stringify(described)).not.toContain("张秀英");
  });

  it("describes a thrown non-error by its type only", () => {
    expect(describeError("13812345678 张秀英")).toEqual({ errorName: "string" });
  });
});
