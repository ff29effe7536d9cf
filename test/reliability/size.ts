/** `SEALENV_FULL=1 npm test` (npm run test:full) runs the reliability suite at full size. */
export const FULL = process.env.SEALENV_FULL === "1";

export const pick = <T>(ci: T, full: T): T => (FULL ? full : ci);
