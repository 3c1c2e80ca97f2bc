// Content-Disposition for downloads with Chinese file names (RFC 6266): an ASCII `filename` for old
// clients and the real name as UTF-8 in `filename*` (RFC 8187), which every current browser uses.

/** Percent-encodes everything outside RFC 8187's attr-char (encodeURIComponent leaves ' ( ) * !). */
const encodeExtValue = (text: string) =>
  encodeURIComponent(text).replace(/['()*!]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

export function attachmentDisposition(filename: string, asciiFallback: string): string {
  const fallback = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(filename)}`;
}
