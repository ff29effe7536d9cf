#!/usr/bin/env bash
# Started by the tests as `dbus-run-session -- bash keyring-session.sh DIR`: a private
# D-Bus session with a real gnome-keyring whose new login keyring is created unlocked
# (the password arrives on stdin, so nothing prompts). Prints the bus address once the
# Secret Service answers, then holds the session open until the test closes our stdin.
set -euo pipefail
export XDG_DATA_HOME="$1/data" XDG_RUNTIME_DIR="$1/run" HOME="$1"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
printf 'sealenv-test' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    echo "DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"
    cat >/dev/null
    exit 0
  fi
  sleep 0.1
done
echo "gnome-keyring-daemon did not start" >&2
exit 1
