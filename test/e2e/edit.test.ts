import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { BIN, type Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { EDITOR, EDITOR_SCRIPT } from "../support/scripted-editor.js";
import { onTerminal } from "../support/terminal.js";
import { deadPid } from "../support/processes.js";

const fx = useFixture();

function filled(): Workspace {
  const w = fx.fresh();
  w.vault(["import", "-"], { input: "KEEP=unchanged-value\nCHANGE=old-value\nDROP=to-be-removed\n" });
  return w;
}

const edit = (w: Workspace, actions: object, extra: Record<string, string> = {}) =>
  w.vault(["edit"], { env: { EDITOR, EDIT_ACTIONS: JSON.stringify(actions), ...extra } });

/** `vault edit` in its own process group, so a signal can reach it and its editor together. */
function editInBackground(w: Workspace, actions: object) {
  const env = { ...w.env, EDITOR, EDIT_ACTIONS: JSON.stringify(actions) };
  const child = spawn(process.execPath, [BIN, "edit"], { cwd: w.dir, env, stdio: "ignore", detached: true });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited };
}

async function waitForFile(file: string): Promise<void> {
  for (let i = 0; i < 400 && !existsSync(file); i++) await sleep(25);
  if (!existsSync(file)) throw new Error(`${file} never appeared`);
}

/**
 * A stand-in named `name` in a bin folder to put first on PATH: it runs the scripted editor.
 * `version` is what it prints for --version (as Vim does); without it, --version fails, as
 * BusyBox's vi does.
 */
function fakeEditor(w: Workspace, name: string, version?: string): string {
  const bin = path.join(w.home, "bin");
  mkdirSync(bin, { recursive: true });
  const onVersion = version === undefined ? "exit 1" : `echo '${version}'; exit 0`;
  const script = `#!/bin/sh\nif [ "$1" = --version ]; then ${onVersion}; fi\nexec '${process.execPath}' '${EDITOR_SCRIPT}' "$@"\n`;
  writeFileSync(path.join(bin, name), script);
  chmodSync(path.join(bin, name), 0o755);
  return bin;
}

/** The pid of a process that has exited, so no live process has it (short of pid reuse). */
/** An edit folder as a session with this pid would leave it, plaintext inside. */
function plantEditFolder(base: string, pid: number): string {
  const dir = mkdtempSync(path.join(base, `sealenv-edit-${pid}-`));
  writeFileSync(path.join(dir, "development.env"), "LEFT=behind\n", { mode: 0o600 });
  return dir;
}

describe("vault edit", () => {
  it("applies what changed, keeps untouched ciphertext, and leaves no file behind", () => {
    const w = filled();
    const keep = JSON.parse(w.file()).environments.development.secrets.KEEP;
    const record = path.join(w.home, "record.json");
    const r = edit(w, {
      record,
      replace: [
        ["CHANGE='old-value'", "CHANGE='new-value'"],
        ["DROP='to-be-removed'\n", ""],
      ],
      append: 'ADDED="multi\\nline"\n',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("development: 1 added, 1 changed, 1 removed");
    const seen = JSON.parse(readFileSync(record, "utf8"));
    expect(seen.fileMode).toBe(0o600);
    expect(seen.dirMode).toBe(0o700);
    if (existsSync("/dev/shm")) expect(seen.file.startsWith("/dev/shm/")).toBe(true);
    expect(seen.text).toContain("KEEP='unchanged-value'");
    expect(existsSync(path.dirname(seen.file))).toBe(false);
    expect(w.vault(["get", "CHANGE"]).stdout).toBe("new-value\n");
    expect(w.vault(["get", "ADDED"]).stdout).toBe("multi\nline\n");
    expect(w.vault(["get", "DROP"]).code).toBe(EXIT.NOT_FOUND);
    expect(JSON.parse(w.file()).environments.development.secrets.KEEP).toBe(keep);
  });

  it("applies only the names edited, to the vault as another process left it while the editor was open", () => {
    const w = filled();
    const r = edit(w, {
      replace: [
        ["CHANGE='old-value'", "CHANGE='edited-value'"],
        ["DROP='to-be-removed'\n", ""],
      ],
      append: "ADDED=added-value\n",
      // While the editor is open, someone else adds OTHER, changes KEEP, and changes CHANGE too.
      vault: [
        ["set", "OTHER", "other-value"],
        ["set", "KEEP", "their-value"],
        ["set", "CHANGE", "their-change"],
      ],
      vaultEnv: { VAULT_KEY: fx.key },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("development: 1 added, 1 changed, 1 removed");
    expect(w.vault(["get", "OTHER"]).stdout).toBe("other-value\n");
    expect(w.vault(["get", "KEEP"]).stdout).toBe("their-value\n");
    // Both changed CHANGE: the editor's value is what the user just typed, and wins.
    expect(w.vault(["get", "CHANGE"]).stdout).toBe("edited-value\n");
    expect(w.vault(["get", "ADDED"]).stdout).toBe("added-value\n");
    expect(w.vault(["get", "DROP"]).code).toBe(EXIT.NOT_FOUND);
  });

  it("changes nothing when the file is saved unchanged", () => {
    const w = filled();
    const before = w.snapshot();
    const r = edit(w, {});
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("no changes");
    expect(w.snapshot()).toEqual(before);
  });

  it("refuses a file that no longer parses, naming the line, and changes nothing", () => {
    const w = filled();
    const before = w.snapshot();
    const record = path.join(w.home, "record.json");
    const r = edit(w, { record, append: "this is not an assignment\n" });
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/does not parse: line 8: expected NAME=value/);
    expect(w.snapshot()).toEqual(before);
    expect(existsSync(path.dirname(JSON.parse(readFileSync(record, "utf8")).file))).toBe(false);
  });

  it("refuses an unclosed quote instead of dropping the secret", () => {
    const w = filled();
    const r = edit(w, { replace: [["CHANGE='old-value'", "CHANGE='oops"]] });
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("the quoted value of CHANGE is never closed");
  });

  it("on a terminal, reopens the editor so the user can fix the file instead of losing the edit", async () => {
    const w = filled();
    const counter = path.join(w.home, "runs");
    const actions = {
      counter,
      replace: [["CHANGE='old-value'", "CHANGE='kept-edit'\nbroken line"]],
      thenReplace: [["\nbroken line", ""]],
    };
    const r = await onTerminal(["edit"], w.dir, { ...w.env, TERM: "xterm", EDITOR, EDIT_ACTIONS: JSON.stringify(actions) }, [
      { expect: "Open the editor again", send: "\r" },
    ]);
    expect(r.code).toBe(0);
    expect(r.screen).toContain("line 6: expected NAME=value");
    expect(readFileSync(counter, "utf8")).toBe("2");
    expect(w.vault(["get", "CHANGE"]).stdout).toBe("kept-edit\n");
  });

  it("changes nothing when the editor fails", () => {
    const w = filled();
    const before = w.snapshot();
    const r = edit(w, { replace: [["old-value", "new-value"]], exit: 1 });
    expect(r.code).toBe(EXIT.CANCELLED);
    expect(w.snapshot()).toEqual(before);
  });

  it.each(["SIGINT", "SIGTERM"] as const)("removes the plaintext file when %s arrives while the editor is open", async (signal) => {
    const w = filled();
    const record = path.join(w.home, "record.json");
    // SIGINT goes to the whole group, as Ctrl-C does.
    const { child, exited } = editInBackground(w, { record, sleep: 20_000 });
    await waitForFile(record);
    const file = JSON.parse(readFileSync(record, "utf8")).file as string;
    expect(existsSync(file)).toBe(true);
    if (signal === "SIGINT") process.kill(-child.pid!, "SIGINT");
    else child.kill("SIGTERM");
    await exited;
    expect(existsSync(path.dirname(file))).toBe(false);
    if (signal === "SIGTERM") process.kill(-child.pid!, "SIGKILL");
  });

  it("removes the edit folder of a session killed with SIGKILL when the next edit starts", async () => {
    const w = filled();
    const record = path.join(w.home, "record.json");
    const { child, exited } = editInBackground(w, { record, sleep: 20_000 });
    await waitForFile(record);
    const dir = path.dirname(JSON.parse(readFileSync(record, "utf8")).file as string);
    expect(path.basename(dir)).toMatch(new RegExp(`^sealenv-edit-${child.pid}-`));
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    expect(existsSync(dir)).toBe(true);
    expect(edit(w, {}).code).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it("removes leftover edit folders only of dead processes, and only this user's", async () => {
    const w = filled();
    const tmp = path.join(w.home, "tmp");
    mkdirSync(tmp);
    const base = existsSync("/dev/shm") ? "/dev/shm" : tmp;
    const pid = deadPid();
    const dead = plantEditFolder(base, pid);
    const live = plantEditFolder(base, process.pid);
    const others = process.getuid?.() === 0 ? plantEditFolder(base, pid) : undefined;
    if (others) chownSync(others, 65534, 65534);
    try {
      expect(edit(w, {}, { TMPDIR: tmp }).code).toBe(0);
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(path.join(live, "development.env"))).toBe(true);
      if (others) expect(existsSync(others)).toBe(true);
    } finally {
      for (const dir of [dead, live, others]) if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  it("starts vim without swap, undo, backup or viminfo files, and without sealenv's credentials", () => {
    const w = filled();
    const bin = fakeEditor(w, "vim");
    const invocation = path.join(w.home, "invocation.json");
    const r = edit(w, { invocation, replace: [["CHANGE='old-value'", "CHANGE='via-vim'"]] }, {
      EDITOR: "vim",
      PATH: `${bin}:${process.env.PATH}`,
      VAULT_KEY_DEVELOPMENT: fx.key,
      VAULT_PASSPHRASE: "not for the editor",
    });
    expect(r.code).toBe(0);
    const { argv, envNames } = JSON.parse(readFileSync(invocation, "utf8")) as { argv: string[]; envNames: string[] };
    expect(argv).toContain("-n");
    expect(argv.join(" ")).toContain("-i NONE");
    const settings = argv[argv.indexOf("-c") + 1];
    expect(settings).toMatch(/\bnoundofile\b/);
    expect(settings).toMatch(/\bnobackup\b/);
    expect(settings).toMatch(/\bnowritebackup\b/);
    expect(settings).toMatch(/\bviminfo=(\s|$)/);
    expect(argv.at(-1)).toMatch(/development\.env$/);
    expect(envNames).toContain("EDIT_ACTIONS");
    expect(envNames.filter((n) => /^VAULT_(KEY|PASSPHRASE)/.test(n))).toEqual([]);
    expect(w.vault(["get", "CHANGE"]).stdout).toBe("via-vim\n");
  });

  it.each([
    ["gives Vim's options to a vi that is Vim", "VIM - Vi IMproved 9.1 (2024 Jan 02)", true],
    ["gives Vim's options to a vi that is Neovim", "NVIM v0.10.4", true],
    ["starts a vi that is not Vim (BusyBox, nvi) with the file alone", undefined, false],
  ] as const)("%s", (_title, version, vimOptions) => {
    const w = filled();
    const bin = fakeEditor(w, "vi", version);
    const invocation = path.join(w.home, "invocation.json");
    const r = edit(w, { invocation }, { EDITOR: "vi", PATH: `${bin}:${process.env.PATH}` });
    expect(r.code).toBe(0);
    const { argv } = JSON.parse(readFileSync(invocation, "utf8")) as { argv: string[] };
    expect(argv.length).toBe(vimOptions ? 6 : 1);
    expect(argv.includes("-n")).toBe(vimOptions);
  });

  it("keeps an edit of a secret named __proto__ like any other", () => {
    const w = filled();
    w.vault(["import", "-"], { input: "__proto__=before\n" });
    const r = edit(w, { replace: [["before", "after"]] });
    expect([r.code, r.stderr]).toEqual([0, expect.not.stringContaining("no changes")]);
    expect(w.vault(["get", "__proto__"]).stdout).toBe("after\n");
  });

  it("never starts an editor committed to the project, which would read the plaintext", () => {
    const w = filled();
    spawnSync("git", ["init", "-q"], { cwd: w.dir });
    // `npm run` puts the project's node_modules/.bin first on PATH; a contributor committed a `vi` there.
    const planted = path.join(w.dir, "node_modules", ".bin");
    const marker = path.join(w.home, "planted-read");
    mkdirSync(planted, { recursive: true });
    writeFileSync(path.join(planted, "vi"), `#!/bin/sh\nfor f in "$@"; do [ -f "$f" ] && cat "$f" >> '${marker}'; done\nexit 0\n`);
    chmodSync(path.join(planted, "vi"), 0o755);
    const bin = fakeEditor(w, "vi", "VIM - Vi IMproved 9.1 (2024 Jan 02)");
    const invocation = path.join(w.home, "invocation.json");
    const PATH = `${planted}:${bin}:${process.env.PATH}`;
    expect(spawnSync("sh", ["-c", "command -v vi"], { env: { PATH }, encoding: "utf8" }).stdout.trim()).toBe(path.join(planted, "vi"));
    const r = edit(w, { invocation, replace: [["old-value", "edited"]] }, { EDITOR: "vi", PATH });
    expect(r.code).toBe(0);
    expect(existsSync(invocation)).toBe(true);
    expect(existsSync(marker)).toBe(false);
    expect(w.vault(["get", "CHANGE"]).stdout).toBe("edited\n");
  });
});
