#!/usr/bin/env bash
# The NuGet packages other repos use, checked the way a consumer uses them:
#   eng/packages.sh pack VERSION    pack FakeEtcd, FakeEtcd.Election, FakeEtcd.Testing.Xunit and the
#                                   fake-etcd tool into artifacts/packages (PACK_NO_BUILD=1: reuse the Debug build)
#   eng/packages.sh sample VERSION  run samples/FakeEtcd.Sample.Tests against those packages
#   eng/packages.sh tool VERSION    install the fake-etcd tool from them and drive it with etcdctl
#   eng/packages.sh                 all three, with a fresh local version
# Every pack gets a version of its own: NuGet's global cache never re-reads a version it has seen.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

pack() {
  local version=$1
  rm -rf artifacts/packages
  if [ "${PACK_NO_BUILD:-}" = 1 ]; then
    dotnet pack Simulator.sln -c Debug --no-build -p:PackageVersion="$version" -v:q -nologo
  else
    dotnet pack Simulator.sln -c Release -p:PackageVersion="$version" -v:q -nologo
  fi
  ls artifacts/packages
}

sample() {
  local version=$1
  # samples/ stands for another repository: its own global.json, nuget.config and props apply there.
  (cd samples && FakeEtcdVersion="$version" dotnet test --project FakeEtcd.Sample.Tests)
}

tool() {
  local version=$1 out url
  # Global, not local: the EXIT trap runs after this function has returned.
  tool_dir=$(mktemp -d)
  tool_pid=
  out="$tool_dir/server.log"
  # On success and on a failed check (set -e ends the script): stop the server, remove the folder.
  trap 'if [ -n "$tool_pid" ]; then kill "$tool_pid" 2>/dev/null || true; fi; rm -rf "$tool_dir"' EXIT
  dotnet tool install --tool-path "$tool_dir/bin" --add-source "$repo/artifacts/packages" fake-etcd --version "$version"
  "$tool_dir/bin/fake-etcd" --help | grep -q -- '--listen-client-urls'

  "$tool_dir/bin/fake-etcd" --listen-client-urls http://127.0.0.1:0 --clock virtual > "$out" 2>&1 &
  tool_pid=$!
  for _ in $(seq 1 300); do
    url=$(grep -o 'ready to serve client requests on http://[0-9.:]*' "$out" | awk '{print $NF}' || true)
    [ -n "$url" ] && break
    kill -0 "$tool_pid" 2>/dev/null || { cat "$out"; return 1; }
    sleep 0.1
  done
  [ -n "$url" ] || { echo "fake-etcd did not report ready"; cat "$out"; return 1; }
  echo "fake-etcd $version serving on $url"

  etcdctl --endpoints "$url" endpoint status -w table
  lease=$(etcdctl --endpoints "$url" lease grant 60 | awk '{print $2}')
  etcdctl --endpoints "$url" put active me --lease="$lease" >/dev/null
  [ "$(etcdctl --endpoints "$url" get active --print-value-only)" = me ]
  "$tool_dir/bin/fake-etcd" clock advance 60s --endpoints "$url"
  # Virtual time passed the TTL: the lease expired and took the key with it.
  [ -z "$(etcdctl --endpoints "$url" get active)" ]

  kill "$tool_pid"
  wait "$tool_pid" || true
  tool_pid=
  echo "fake-etcd tool: install, --help, serve, etcdctl and clock advance work"
}

case "${1:-all}" in
  pack) pack "$2" ;;
  sample) sample "$2" ;;
  tool) tool "$2" ;;
  all)
    version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
    pack "$version"
    sample "$version"
    tool "$version"
    ;;
  *) echo "usage: $0 [pack|sample|tool VERSION]" >&2; exit 2 ;;
esac
