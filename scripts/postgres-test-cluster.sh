#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the PostgreSQL store tests (docs/serving.md, "PostgreSQL").
#
#   scripts/postgres-test-cluster.sh start    initdb + start in $HERALD_PG_CLUSTER_DIR, create
#                                             database `herald`, print `export HERALD_TEST_POSTGRES_URL=…`
#   scripts/postgres-test-cluster.sh env      print the exports again
#   scripts/postgres-test-cluster.sh pause    stop the server, keep its data (the restart test)
#   scripts/postgres-test-cluster.sh resume   start it again on the same port
#   scripts/postgres-test-cluster.sh stop     stop it and remove the folder
#
# Listens on 127.0.0.1 at a random free port and on a unix socket in the folder; trust auth,
# so no password exists. As root (CI), the server runs as the `postgres` user (initdb refuses
# root); Debian's `postgresql` is installed with apt when initdb/pg_ctl are missing.
set -euo pipefail

# The server outlives this script: it must not inherit any descriptor of our caller beyond
# 0-2 (a test harness that waits for a pipe or socket to close would wait for ever).
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
done

dir=${HERALD_PG_CLUSTER_DIR:-${TMPDIR:-/tmp}/herald-pg-test-$(id -u)}
data=$dir/data

find_bin() {
  local name=$1 found
  for found in /usr/lib/postgresql/*/bin/"$name"; do
    [[ -x $found ]] && latest=$found
  done
  if [[ -n ${latest:-} ]]; then echo "$latest"; return; fi
  command -v "$name" || true
}

bin_dir() {
  local initdb
  initdb=$(latest='' find_bin initdb)
  if [[ -z $initdb && $(id -u) == 0 ]]; then
    echo "postgres-test-cluster: initdb not found; installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >/dev/null
    initdb=$(latest='' find_bin initdb)
  fi
  [[ -n $initdb ]] || { echo "postgres-test-cluster: no initdb (install PostgreSQL)" >&2; exit 1; }
  dirname "$(readlink -f "$initdb")"
}

# The user the server runs as: ourselves, or, as root, `postgres` (else `nobody`).
server_user() {
  if [[ $(id -u) != 0 ]]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

as_server() {
  if [[ $(id -u) == 0 ]]; then runuser -u "$(server_user)" -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

print_env() {
  [[ -f $dir/url ]] || { echo "postgres-test-cluster: no cluster in $dir (run start)" >&2; exit 1; }
  echo "export HERALD_TEST_POSTGRES_URL=$(cat "$dir/url")"
  echo "export HERALD_PG_CLUSTER_DIR=$dir"
}

server_start() {
  local bin port
  bin=$(bin_dir)
  port=$(cat "$dir/port")
  # fsync off: a throwaway cluster; commits are still synchronous (synchronous_commit=on).
  as_server "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400 -c fsync=off" start >/dev/null
}

case ${1:-} in
  start)
    if [[ -d $dir ]]; then "$0" stop; fi
    bin=$(bin_dir)
    mkdir -p "$dir"
    chmod 700 "$dir"
    [[ $(id -u) != 0 ]] || chown "$(server_user)" "$dir"
    free_port >"$dir/port"
    as_server "$bin/initdb" -D "$data" -A trust -U herald -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    server_start
    as_server "$bin/createdb" -h "$dir" -p "$(cat "$dir/port")" -U herald herald
    echo "postgres://herald@127.0.0.1:$(cat "$dir/port")/herald?sslmode=disable" >"$dir/url"
    print_env
    ;;
  env) print_env ;;
  pause) as_server "$(bin_dir)/pg_ctl" -D "$data" -m fast -w stop >/dev/null ;;
  resume) server_start ;;
  stop)
    if [[ -f $data/postmaster.pid ]]; then
      as_server "$(bin_dir)/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|env|pause|resume|stop" >&2
    exit 2
    ;;
esac
