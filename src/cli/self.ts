/**
 * How git (drivers, the pre-commit hook) starts sealenv: `sealenv` found on PATH when git
 * runs it (the name HashiCorp Vault cannot take), else the project's own
 * node_modules/.bin/sealenv (git runs drivers and hooks at the top of the work tree), else
 * one line saying what is missing. No absolute path of today's install is written into
 * the repository's config, so a new Node or a moved install keeps working.
 */
const FIND = [
  'v=$(command -v sealenv 2>/dev/null) || v=./node_modules/.bin/sealenv',
  '[ -x "$v" ] || { echo "sealenv: git needs the sealenv command for secrets.vault, and it is neither on PATH nor in node_modules/.bin: install sealenv (npm install -g sealenv) or add it to PATH" >&2; exit 127; }',
  'exec "$v" "$@"',
].join("; ");

export function selfCommand(): string {
  return `sh -c '${FIND}' sealenv`;
}
