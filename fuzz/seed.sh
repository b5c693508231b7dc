#!/bin/sh
# Seed fuzz/corpus/<target>/ from fixtures/, each fixture file by its kind. The corpus is
# generated, not committed. Targets with several file names take the name from the first byte:
# seeds get the byte that picks the fixture's kind.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../fixtures"
corpus="$here/corpus"

# seed TARGET PICK FILE: copy FILE to corpus/TARGET, prefixed with byte PICK ("" for none).
seed() {
    dir="$corpus/$1"
    mkdir -p "$dir"
    out="$dir/$(printf '%s' "$3" | cksum | cut -d' ' -f1)"
    if [ -n "$2" ]; then
        { printf "\\$(printf '%03o' "$2")"; cat "$3"; } >"$out"
    else
        cp "$3" "$out"
    fi
}

find "$fixtures" -type f ! -name findings.snap | while read -r f; do
    rel=${f#"$fixtures"/}
    name=${f##*/}
    case "$rel" in
    */db/migrate/*.rb) seed migrations 0 "$f" ;;
    */alembic/versions/*.py | */versions/*.py) seed migrations 1 "$f" ;;
    */migrations/*.py) seed migrations 2 "$f" ;;
    */migrations/*.js) seed migrations 3 "$f" ;;
    */migrations/*.ts) seed migrations 4 "$f" ;;
    */migrations/*.php) seed migrations 5 "$f" ;;
    */migrations/*.exs) seed migrations 6 "$f" ;;
    */Migrations/*.cs) seed migrations 7 "$f" ;;
    */.github/workflows/*.yml | */.github/workflows/*.yaml) seed ci 0 "$f" ;;
    */.gitlab-ci.yml) seed ci 1 "$f" ;;
    */templates/*.yaml) seed k8s 2 "$f" ;;
    */values*.yaml) seed k8s 1 "$f" ;;
    */k8s/*.yaml | */manifests/*.yaml | */kubernetes/*.yaml) seed k8s 0 "$f" ;;
    */database.yml) seed appconfig 0 "$f" ;;
    *.properties) seed appconfig 1 "$f" ;;
    */appsettings*.json) seed appconfig 2 "$f" ;;
    *)
        case "$name" in
        *.sh | *.bash) seed shell 0 "$f" ;;
        docker-compose*.yml | compose*.yaml | compose*.yml) seed compose 0 "$f" ;;
        *.sql) seed sql 0 "$f" ;;
        Makefile | *.mk) seed tasks 0 "$f" ;;
        justfile) seed tasks 1 "$f" ;;
        Taskfile.yml) seed tasks 2 "$f" ;;
        *.md) seed markdown "" "$f" ;;
        .env*) seed env_cron_systemd 0 "$f" ;;
        crontab) seed env_cron_systemd 1 "$f" ;;
        *.service | *.timer) seed env_cron_systemd 2 "$f" ;;
        Dockerfile*) seed dockerfile "" "$f" ;;
        *.ps1) seed powershell "" "$f" ;;
        *.tf) seed terraform "" "$f" ;;
        *.js | *.mjs | *.cjs) seed programs 0 "$f" ;;
        *.ts) seed programs 1 "$f" ;;
        *.py) seed programs 2 "$f" ;;
        *.rb) seed programs 3 "$f" ;;
        *.php) seed programs 4 "$f" ;;
        *) continue ;;
        esac
        ;;
    esac
done

# Whole scan: each fixture directory's files as NUL-separated chunks (the first byte of a chunk
# picks its name; 0 is a Compose override, 2 a script, 3 a migration).
for d in "$fixtures"/*/*/; do
    out="$corpus/whole_scan/$(printf '%s' "$d" | cksum | cut -d' ' -f1)"
    mkdir -p "$corpus/whole_scan"
    : >"$out"
    for f in "$d"*; do
        [ -f "$f" ] || continue
        case "$f" in
        *.yml | *.yaml) pick=0 ;;
        *.sh) pick=2 ;;
        *.sql) pick=3 ;;
        *.env) pick=1 ;;
        *) continue ;;
        esac
        { printf "\\$(printf '%03o' $pick)"; cat "$f"; printf '\000'; } >>"$out"
    done
    [ -s "$out" ] || rm -f "$out"
done
for t in "$corpus"/*/; do
    echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"
done
