import { VaultError } from "../errors.js";

const UNITS: Record<string, number> = { s: 1e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, y: 365 * 86400e3 };

/** "90d", "12w", "1y", "24h", "30s" -> milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)([shdwy])$/.exec(text);
  if (!m || Number(m[1]) === 0) {
    throw new VaultError("usage", `invalid rotation period ${JSON.stringify(text)}`, "use a number and a unit: 90d, 12w, 1y, 24h");
  }
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}

export function describeAge(ms: number): string {
  const days = Math.floor(ms / 86400e3);
  if (days >= 1) return `${days} day${days === 1 ? "" : "s"}`;
  const hours = Math.floor(ms / 3600e3);
  if (hours >= 1) return `${hours} hour${hours === 1 ? "" : "s"}`;
  const minutes = Math.floor(ms / 60e3);
  if (minutes >= 1) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const seconds = Math.max(1, Math.floor(ms / 1e3));
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}
