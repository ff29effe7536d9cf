#!/usr/bin/env bash
# Started by the tests as `dbus-run-session -- bash keyring-session.sh DIR`: a private
# D-Bus session with a real gnome-keyring whose new login keyring is created unlocked
# (the password arrives on stdin, so nothing prompts). Prints the bus address, then
# holds the session open until the test closes our stdin.
set -euo pipefail
export XDG_DATA_HOME="$1/data" XDG_RUNTIME_DIR="$1/run" HOME="$1"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
printf 'sealenv-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
echo "DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"
cat >/dev/null
