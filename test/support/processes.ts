import { spawnSync } from "node:child_process";

/** The pid of a process that has exited: what a crashed writer or editor session leaves behind. */
export function deadPid(): number {
  const r = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" });
  return Number(r.stdout.trim());
}
