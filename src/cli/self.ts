/**
 * How git (drivers, the pre-commit hook) starts sealenv: `sealenv` found on PATH when git
 * runs it (the name HashiCorp Vault cannot take), else the project's own
 * node_modules/.bin/sealenv (git runs drivers and hooks at the top of the work tree), else
 * one line saying what is missing. No absolute path of today's install is written into
 * the repository's config, so a new Node or a moved install keeps working.
 *
 * A sealenv in the work tree must be one npm installed there, never one committed: anyone
 * who can commit could put a `node_modules/.bin/sealenv` of their own (or a symlink to a
 * program of their choosing), and `git diff` in a fresh clone would run it with the
 * member's environment. git runs drivers and hooks at the top of the work tree, so where
 * the program's folder or the file it resolves to is physically under it, neither they
 * nor anything under node_modules may be tracked; under a work tree around this one (the
 * main tree of a nested worktree, a superproject) it is refused outright. A sealenv
 * installed elsewhere costs no check.
 */
const REFUSE = '{ echo "sealenv: $v is inside this repository or one around it, which tracks it or node_modules, so git runs no sealenv from it: install sealenv on PATH (npm install -g sealenv)" >&2; exit 126; }';
const FIND = [
  'v=$(command -v sealenv 2>/dev/null) || v=./node_modules/.bin/sealenv',
  '[ -x "$v" ] || { echo "sealenv: git needs the sealenv command for secrets.vault, and it is neither on PATH nor in node_modules/.bin: install sealenv (npm install -g sealenv) or add it to PATH" >&2; exit 127; }',
  'top=$(pwd -P); out=$top; p=$top; while [ -n "$p" ]; do p=${p%/*}; [ -e "$p/.git" ] && out=$p; done',
  'at=$(cd "$(dirname "$v")" && pwd -P)/$(basename "$v"); to=$(realpath "$v" 2>/dev/null || readlink -f "$v" 2>/dev/null || echo "$at")',
  `a=node_modules; b=node_modules; case "$at" in "$top"/*) a=$at;; "$out"/*) ${REFUSE};; esac; case "$to" in "$top"/*) b=$to;; "$out"/*) ${REFUSE};; esac`,
  `[ "$a$b" = node_modulesnode_modules ] || [ -z "$(git --literal-pathspecs ls-files -- node_modules "$a" "$b" 2>/dev/null | head -n 1)" ] || ${REFUSE}`,
  'exec "$v" "$@"',
].join("; ");

export function selfCommand(): string {
  return `sh -c '${FIND}' sealenv`;
}
