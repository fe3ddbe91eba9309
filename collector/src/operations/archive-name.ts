import path from "node:path";
import { OperationError } from "./errors.js";

// ClickHouse picks the archive format from the file name; these are the ones the embedded engine writes.
const ARCHIVE = /\.(tar|tar\.zst|tzst|tar\.gz|tgz|tar\.xz)$/;

/** The default backup file name: vigil-backup-<UTC time>.tar.zst in the current directory. */
export function defaultBackupName(now = new Date()): string {
  return `vigil-backup-${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}.tar.zst`;
}

/** Checks that a backup file name has an archive extension the engine understands; returns it absolute. */
export function archivePath(file: string): string {
  if (!ARCHIVE.test(file)) {
    throw new OperationError(`${file}: a backup file must end in .tar.zst (or .tar, .tar.gz, .tar.xz), which decides its format`, false);
  }
  return path.resolve(file);
}
