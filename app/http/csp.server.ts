// The site's Content-Security-Policy (ADR 0014) in one place: strict everywhere, with the few
// sources a page may widen named by the page that needs them.

type Widened = {
  /** Where scripts may come from: the pages add their per-response nonce. */
  script: string;
  style?: string;
  font?: string;
  /** Where a `<base>` element may point: nowhere, except on a page that sets one (the queue board). */
  base?: string;
};

export function contentSecurityPolicy({
  script,
  style = "'self'",
  font = "'self'",
  base = "'none'",
}: Widened) {
  return [
    "default-src 'self'",
    `script-src ${script}`,
    `style-src ${style}`,
    "img-src 'self' data:",
    `font-src ${font}`,
    "connect-src 'self'",
    "object-src 'none'",
    `base-uri ${base}`,
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}
