import { sharedEnv } from "./env.server";
import { maskPhonesInText } from "./masking";

// JSON lines on stdout. Callers pass ids and codes only: never phone numbers, names or addresses.

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, "silent">;
type Fields = Record<string, string | number | boolean | null | undefined>;

/** The last line of defence (ADR 0013): a mobile number that reaches a log line anyway, say inside
 * a library's error message, is masked. Names and addresses cannot be recognised this way, which is
 * why describeError keeps only an error's first line. */
const redact = (value: Fields[string]) => (typeof value === "string" ? maskPhonesInText(value) : value);

function write(level: Level, message: string, fields?: Fields) {
  if (LEVELS[level] < LEVELS[sharedEnv().LOG_LEVEL]) return;
  const safeFields = Object.fromEntries(
    Object.entries(fields ?? {}).map(([key, value]) => [key, redact(value)]),
  );
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg: redact(message), ...safeFields });
  if (level === "error" || level === "warn") process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export const logger = {
  debug: (message: string, fields?: Fields) => write("debug", message, fields),
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

/** The name, code and first line of an error's message, without stack or data that might carry
 * personal details: Prisma puts the query and its arguments (a phone number, a name) on the lines
 * after the first. */
export function describeError(error: unknown): Fields {
  if (error instanceof Error) {
    const firstLine = error.message.split("\n").find((line) => line.trim() !== "") ?? "";
    const code = "code" in error && typeof error.code === "string" ? { errorCode: error.code } : {};
    return { errorName: error.name, ...code, errorMessage: firstLine.trim().slice(0, 300) };
  }
  return { errorName: typeof error };
}
