// Content-Disposition for downloads with Chinese file names (RFC 6266): an ASCII `filename` for old
// clients and the real name as UTF-8 in `filename*` (RFC 8187), which every current browser uses.

/** Percent-encodes everything outside RFC 8187's attr-char (encodeURIComponent leaves ' ( ) * !). */
const encodeExtValue = (text: string) =>
  encodeURIComponent(text).replace(/['()*!]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

export function attachmentDisposition(filename: string, asciiFallback: string): string {
  const fallback = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(filename)}`;
}

/** Headers for a stored evidence file (a sign-in sheet, a photo, ADR 0026): its checked type, never
 * sniffed into another (the server sends nosniff with every answer); pictures shown in the browser, PDFs saved (a PDF viewer may run script);
 * sandboxed and kept by no cache, since only some people may read it. */
export function evidenceHeaders(file: { contentType: string; size: number; fileName: string }): Headers {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, "_");
  const disposition = attachmentDisposition(file.fileName, ascii);
  return new Headers({
    "Content-Type": file.contentType,
    "Content-Length": String(file.size),
    "Content-Disposition":
      file.contentType === "application/pdf" ? disposition : disposition.replace(/^attachment/, "inline"),
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
  });
}
