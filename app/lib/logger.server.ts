import { sharedEnv } from "./env.server";

// JSON lines on stdout. Callers pass ids and codes only: never phone numbers, names or addresses.

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, "silent">;
type Fields = Record<string, string | number | boolean | null | undefined>;

function write(level: Level, message: string, fields?: Fields) {
  if (LEVELS[level] < LEVELS[sharedEnv().LOG_LEVEL]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
  if (level === "error" || level === "warn") process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export const logger = {
  debug: (message: string, fields?: Fields) => write("debug", message, fields),
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

/** The name and message of an error, without stack or data that might carry personal details. */
export function describeError(error: unknown): Fields {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message.slice(0, 300) };
  return { errorName: typeof error };
}
