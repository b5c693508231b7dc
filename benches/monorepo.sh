#!/usr/bin/env bash
# Whole-binary benchmark (issue 16): scan a tree with the release binary and print files/s, MB/s,
# peak RSS and the ratio to ripgrep searching the same tree for the rule keywords.
#
#   benches/monorepo.sh [TREE...]        scan the given directories
#   benches/monorepo.sh                  generate the synthetic monorepo (FOLDERS folders x 100
#                                        statement-dense .sql files + a run.sh applying them with
#                                        psql -f; FOLDERS=200 by default, ~114 MB) and scan it
#
# THREADS=N passes -j N (default: one per core); RUNS=N takes the median of N interleaved runs
# (default 3). Peak memory is read with /usr/bin/time -v (GNU time) when it is installed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN:-$root/target/release/dataloss-scan}
runs=${RUNS:-3}
threads=${THREADS:-0}

if [ ! -x "$bin" ]; then
  (cd "$root" && cargo build --release --quiet)
fi

# The synthetic monorepo: the shape of a repository of years of schema history.
synth() {
  local dir=$1 folders=$2
  for ((f = 0; f < folders; f++)); do
    local d
    d=$(printf '%s/svc%04d' "$dir" "$f")
    mkdir -p "$d"
    awk -v d="$d" 'BEGIN {
      run = d "/run.sh"
      print "#!/bin/sh\nset -e" > run
      for (m = 0; m < 100; m++) {
        name = sprintf("m%03d.sql", m)
        out = d "/" name
        for (t = 0; t < 27; t++) {
          printf "CREATE TABLE t%d_%d (id integer primary key, name varchar(100), created_at timestamp);\n", m, t > out
          printf "INSERT INTO t%d_%d (id, name, created_at) VALUES (1, '\''alpha beta gamma delta'\'', now()), (2, '\''epsilon zeta eta theta'\'', now());\n", m, t > out
        }
        close(out)
        printf "psql -v ON_ERROR_STOP=1 -d app -f %s\n", name > run
      }
      close(run)
    }'
  done
}

trees=("$@")
if [ ${#trees[@]} -eq 0 ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  synth "$tmp/monorepo" "${FOLDERS:-200}"
  trees=("$tmp/monorepo")
fi

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

now() { date +%s.%N; }

for tree in "${trees[@]}"; do
  files=$(find "$tree" -type f | wc -l)
  bytes=$(du -sb "$tree" | cut -f1)
  ours=() theirs=() rss=()
  for ((i = 0; i < runs; i++)); do
    start=$(now)
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f '%M' -o "${TMPDIR:-/tmp}/monorepo-rss.$$" \
        "$bin" -j "$threads" -f json --fail-on never "$tree" >/dev/null
      rss+=("$(tail -n 1 "${TMPDIR:-/tmp}/monorepo-rss.$$")")
    else
      "$bin" -j "$threads" -f json --fail-on never "$tree" >/dev/null
    fi
    ours+=("$(echo "$(now) - $start" | bc)")
    if command -v rg >/dev/null; then
      start=$(now)
      rg -c -i -e 'down -v' -e 'volume rm' -e 'drop database' -e POSTGRES_PASSWORD \
        -e 'drop table' "$tree" >/dev/null || true
      theirs+=("$(echo "$(now) - $start" | bc)")
    fi
  done
  rm -f "${TMPDIR:-/tmp}/monorepo-rss.$$"
  t=$(printf '%s\n' "${ours[@]}" | median)
  line=$(awk -v t="$t" -v f="$files" -v b="$bytes" \
    'BEGIN { printf "%d files, %.1f MB: %.2f s, %.0f files/s, %.1f MB/s", f, b / 1e6, t, f / t, b / 1e6 / t }')
  if [ ${#rss[@]} -gt 0 ]; then
    peak=$(printf '%s\n' "${rss[@]}" | sort -g | tail -n 1)
    line+=$(awk -v k="$peak" 'BEGIN { printf ", peak RSS %.0f MiB", k / 1024 }')
  fi
  if [ ${#theirs[@]} -gt 0 ]; then
    r=$(printf '%s\n' "${theirs[@]}" | median)
    line+=$(awk -v t="$t" -v r="$r" 'BEGIN { printf ", rg %.2f s, ratio %.1fx", r, t / r }')
  fi
  echo "$tree: $line"
done
