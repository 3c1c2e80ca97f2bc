import { createReadStream } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { sharedEnv } from "./env.server";

// Where evidence files (declared figures' sign-in sheets and photos, ADR 0026) are kept. One
// interface: the disk store below today; an object-storage store (a bucket, keys as object names)
// implements the same three calls. Nothing here checks who may read a file: the domain does that
// before it asks for the bytes, and no route serves the directory itself.

export interface EvidenceStore {
  /** Keeps the bytes under a key the domain made (never a name a visitor chose). */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes as a stream, or null when the key holds nothing. */
  open(key: string): Promise<Readable | null>;
  /** Removes the bytes (a rolled-back declaration's files); a missing key is not an error. */
  remove(key: string): Promise<void>;
}

/** Keys are `<project id>/<random hex>`: no dots or separators a path could climb out with. */
export const EVIDENCE_KEY = /^[A-Za-z0-9_-]{1,64}\/[a-f0-9]{32}$/;

function checkedKey(key: string): string {
  if (!EVIDENCE_KEY.test(key)) throw new Error("invalid evidence key");
  return key;
}

/** Files under a directory, one subdirectory per project, readable by the app's user only. Writes go
 * to a temporary name first, so a reader never sees half a file. */
export function diskEvidenceStore(root: string): EvidenceStore {
  const fileOf = (key: string) => path.join(path.resolve(root), ...checkedKey(key).split("/"));
  return {
    async put(key, bytes) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const partial = `${file}.part`;
      await writeFile(partial, bytes, { mode: 0o600 });
      await rename(partial, file);
    },
    async open(key) {
      const file = fileOf(key);
      const found = await stat(file).catch(() => null);
      if (!found?.isFile()) return null;
      return createReadStream(file);
    },
    async remove(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}

let store: EvidenceStore | undefined;

/** The configured store (EVIDENCE_DIR). */
export function evidenceStore(): EvidenceStore {
  store ??= diskEvidenceStore(sharedEnv().EVIDENCE_DIR);
  return store;
}
