#!/bin/sh
# A short run of every fuzz target (SECONDS each, default 10), from the seeded corpus. Needs a
# nightly toolchain and cargo-fuzz; without them it says so and exits 0. `.ci/run` runs it for
# 3 s per target, so CI fuzzes on machines that have both and skips with a message elsewhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-10}
if [ "${DATALOSS_FUZZ_SMOKE:-1}" = 0 ]; then
    echo "fuzz smoke run skipped: DATALOSS_FUZZ_SMOKE=0"
    exit 0
fi
if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz smoke run skipped: no nightly toolchain (rustup toolchain install nightly)"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz smoke run skipped: cargo-fuzz is not installed (cargo install cargo-fuzz)"
    exit 0
fi
cd "$here"
[ -d corpus ] || ./seed.sh
cargo +nightly fuzz build -O
status=0
for target in $(cargo +nightly fuzz list); do
    mkdir -p "corpus/$target"
    echo "== $target ($seconds s)"
    if ! cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 -print_final_stats=1; then
        echo "== $target FAILED: see fuzz/artifacts/$target/"
        status=1
    fi
done
exit $status
