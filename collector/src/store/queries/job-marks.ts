import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/** How far a background job has got (epoch ms), or 0 before its first run. */
export async function readJobMark(store: Store, job: string): Promise<number> {
  const rows = await store.query<{ mark: number }>("SELECT toUnixTimestamp64Milli(mark) AS mark FROM job_marks FINAL WHERE job = {job:String}", { job });
  return rows[0] ? Number(rows[0].mark) : 0;
}

/** Records how far a background job has got. */
export async function saveJobMark(store: Store, job: string, mark: number): Promise<void> {
  await store.insert("job_marks", [{ job, mark, version: nextVersion() }]);
}
