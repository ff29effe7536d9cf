import { printToStderr } from "./output.js";
/**
 * A progress line for long work, redrawn in place on a terminal. Elsewhere (CI logs,
 * pipes) it stays silent: the command's own result line is what a log needs.
 */
export function progress(label: string): (done: number, total: number) => void {
  if (!process.stderr.isTTY) return () => undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    printToStderr(`\r\x1b[2Kvault: ${label}: ${done}/${total}${done === total ? "\n" : ""}`);
  };
}
