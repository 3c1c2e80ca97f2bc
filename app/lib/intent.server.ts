import { data } from "@remix-run/node";
import { validationError } from "./errors";
import { formFailure, parseInput, readForm } from "./http.server";

// Pages with several forms name each one with a hidden `intent`; each intent parses its own schema
// and calls one domain function.

export type IntentResult = { ok: true; message: string; intent: string };

export async function runIntent(
  request: Request,
  handlers: Record<string, (form: Record<string, string>) => Promise<string>>,
) {
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    // Own keys only: "__proto__" or "toString" must not reach Object.prototype.
    const handler = form.intent && Object.hasOwn(handlers, form.intent) ? handlers[form.intent] : undefined;
    if (!handler) throw validationError({ intent: "未知的操作" }, "未知的操作，请刷新页面后重试");
    const message = await handler(form);
    const result: IntentResult = { ok: true, message, intent: form.intent ?? "" };
    return data(result);
  } catch (error) {
    return formFailure(error, form);
  }
}

export { parseInput };
