export { runAgent, type RunningAgent, type RunOptions } from "./runner.js";
export { enroll, EnrollError } from "./enroll.js";
export { StateDir, defaultStateDir } from "./state/state-dir.js";
