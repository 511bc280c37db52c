#!/usr/bin/env bash
# Runs the README's test command as a new user without etcd would: etcd and etcdctl hidden from PATH,
# CI unset. Tests that need them must skip with a visible reason; none may fail.
# Usage: eng/test-without-etcd.sh [extra dotnet test arguments, e.g. --no-build]
set -uo pipefail
cd "$(dirname "$0")/.."

# A PATH of its own: every command of the caller's PATH (first one of a name wins) except etcd's.
shadow=$(mktemp -d)
trap 'rm -rf "$shadow"' EXIT
IFS=: read -ra dirs <<< "$PATH"
for dir in "${dirs[@]}"; do
  [ -d "$dir" ] || continue
  for cmd in "$dir"/*; do
    name=$(basename "$cmd")
    case "$name" in etcd | etcdctl | etcdutl) continue ;; esac
    [ -x "$cmd" ] && [ ! -e "$shadow/$name" ] && ln -s "$cmd" "$shadow/$name"
  done
done

if PATH="$shadow" command -v etcd >/dev/null 2>&1 || PATH="$shadow" command -v etcdctl >/dev/null 2>&1; then
  echo "etcd is still on the shadow PATH"; exit 1
fi

PATH="$shadow" env -u CI dotnet test "$@"
