#!/usr/bin/env bash
# The main job in a minute: a vault in a temp folder, one secret, a program that reads it.
# Works on a headless machine with no keychain: the key lives in a passphrase slot and the
# passphrase comes from VAULT_PASSPHRASE, as it would in CI.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
vault() { node "$here/bin/vault.js" "$@"; }

demo="$(mktemp -d)"
trap 'rm -rf "$demo"' EXIT
cd "$demo"
export HOME="$demo/home" VAULT_PASSPHRASE="demo passphrase, use your own"
mkdir -p "$HOME"

echo "\$ vault init --passphrase"
vault init --passphrase
echo "\$ echo 'postgres://app:s3cret@localhost/app' | vault set DATABASE_URL"
echo 'postgres://app:s3cret@localhost/app' | vault set DATABASE_URL
echo "\$ vault ls"
vault ls
echo "\$ grep DATABASE_URL secrets.vault   # encrypted, safe to commit"
grep DATABASE_URL secrets.vault
echo "\$ vault run -- node -e 'console.log(\"app sees\", process.env.DATABASE_URL)'"
vault run -- node -e 'console.log("app sees", process.env.DATABASE_URL)'
