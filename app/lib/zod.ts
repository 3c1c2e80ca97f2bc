import { z } from "zod";

// Default zod messages in Simplified Chinese, so every field error a user can meet reads naturally.
z.config(z.locales.zhCN());

export { z };

/** Turns zod issues into one message per field (the first one wins), keyed by dotted path. */
export function fieldErrorsFrom(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_";
    fields[key] ??= issue.message;
  }
  return fields;
}
