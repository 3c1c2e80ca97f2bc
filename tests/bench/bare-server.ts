import { readFileSync } from "node:fs";
import { createServer } from "node:http";

// The baseline of `npm run bench`: a bare Node HTTP server answering each path with exactly the
// bytes the app sent for it, in a process of its own as the app is. Reads the manifest written by
// run.ts ({ path: { file, contentType } }) and listens on PORT.

type Entry = { file: string; contentType: string };
const manifest: Record<string, Entry> = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8"));
const answers = new Map(
  Object.entries(manifest).map(([path, entry]) => [path, { ...entry, bytes: readFileSync(entry.file) }]),
);

const server = createServer((req, res) => {
  const answer = answers.get(req.url ?? "");
  if (!answer) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": answer.contentType, "content-length": answer.bytes.length });
  res.end(answer.bytes);
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
