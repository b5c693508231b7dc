//! Benchmark: scan a synthetic repository (shell scripts, compose files, SQL migrations, CI
//! workflows, Markdown) and report files/s and MB/s. Run with `cargo bench --bench scan`;
//! `BENCH_FILES=N` sets the repository size (default 3000 files).

#![allow(clippy::print_stdout)] // a benchmark reports on stdout
use std::time::{Duration, Instant};

use dataloss_scan::{ScanOptions, scan};

const SHELL: &str = r#"#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
COMPOSE="docker compose -p shop"
case "${1:-}" in
  -v|--full)
    $COMPOSE down -v
    docker volume rm shop_pgdata || true
    ;;
  *) $COMPOSE down ;;
esac
for f in migrations/*.sql; do
  docker compose exec -T db psql -U app -d shop -f "/migrations/$(basename "$f")"
done
"#;

const COMPOSE: &str = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n    ports:\n      - \"127.0.0.1:5432:5432\"\nvolumes:\n  pgdata:\n";

const SQL: &str = "CREATE TABLE orders (id bigserial primary key, total numeric(12,2));\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_total ON orders (total);\nUPDATE orders SET note = '' WHERE note IS NULL;\n";

const WORKFLOW: &str = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          docker compose up -d\n          ./scripts/test.sh\n          docker compose down -v\n";

const MARKDOWN: &str = "# Runbook\n\n```bash\ndocker compose down\ndocker compose up -d\n```\n";

fn main() {
    let files: usize = std::env::var("BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = 0usize;
    for i in 0..files {
        let sub = dir.path().join(format!("svc{}", i / 50));
        std::fs::create_dir_all(sub.join("migrations")).expect("mkdir");
        std::fs::create_dir_all(sub.join(".github/workflows")).expect("mkdir");
        let (path, text) = match i % 5 {
            0 => (sub.join(format!("stop{i}.sh")), SHELL),
            1 => (sub.join(format!("docker-compose.{i}.yml")), COMPOSE),
            2 => (sub.join(format!("migrations/{i:04}_add.sql")), SQL),
            3 => (sub.join(format!(".github/workflows/ci{i}.yml")), WORKFLOW),
            _ => (sub.join(format!("RUNBOOK{i}.md")), MARKDOWN),
        };
        bytes += text.len();
        std::fs::write(path, text).expect("write");
        // Files the scanner must skip by name without opening them.
        std::fs::write(sub.join(format!("lib{i}.rs")), "fn main() {}\n").expect("write");
    }
    let opts = ScanOptions {
        paths: vec![dir.path().to_path_buf()],
        ..ScanOptions::default()
    };
    let _ = scan(&opts).expect("warm-up scan");
    let runs = 5;
    let mut best = Duration::MAX;
    let mut findings = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let outcome = scan(&opts).expect("scan");
        best = best.min(started.elapsed());
        findings = outcome.findings.len();
        assert_eq!(outcome.files_scanned, files);
    }
    let secs = best.as_secs_f64();
    println!(
        "scan: {files} files ({:.1} MB analysed, {files} more skipped by name), best of {runs}: {:.1} ms, {:.0} files/s, {:.1} MB/s, {findings} findings",
        bytes as f64 / 1e6,
        secs * 1e3,
        files as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
    large_files();
    scaling();
}

/// Inputs that once took quadratic time (issue 17), each scanned (and rendered as the human
/// report) at n and 4n: a near-linear path takes about 4× as long, a quadratic one 16×. Prints
/// the ratio and fails past 8×.
fn scaling() {
    type Make = fn(usize) -> (&'static str, String);
    let shapes: [(&str, usize, Make); 6] = [
        ("dropdb lines", 6_000, |n| {
            ("a.sh", format!("#!/bin/sh\n{}", "dropdb prod\n".repeat(n)))
        }),
        ("markdown fences", 3_000, |n| {
            ("README.md", "```sh\ndropdb prod\n```\n".repeat(n))
        }),
        (".env lines", 12_000, |n| {
            (
                ".env",
                (0..n)
                    .map(|i| format!("DB_PASSWORD_{i}=secret{i}\n"))
                    .collect(),
            )
        }),
        ("functions calling each other", 1_500, |n| {
            let mut text = String::from("#!/bin/bash\n");
            for i in 0..n {
                text.push_str(&format!("f{i}() {{ f{}; }}\n", i + 1));
            }
            text.push_str(&format!("f{n}() {{ dropdb prod; }}\nf0\n"));
            ("a.sh", text)
        }),
        ("SQL drops (human report)", 2_000, |n| {
            ("a.sql", "DROP TABLE users;\n".repeat(n))
        }),
        ("one long SQL line (human report)", 1_000, |n| {
            ("dump.sql", format!("{}\n", "DROP TABLE t;".repeat(n)))
        }),
    ];
    let meta = dataloss_scan::rules::metadata().expect("rule metadata");
    let time = |make: Make, n: usize| {
        let (name, text) = make(n);
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(name), text).expect("write");
        let opts = ScanOptions {
            paths: vec![dir.path().to_path_buf()],
            ..ScanOptions::default()
        };
        let started = Instant::now();
        let outcome = scan(&opts).expect("scan");
        let report = dataloss_scan::report::render(
            &outcome,
            meta,
            dataloss_scan::report::Format::Human,
            &dataloss_scan::report::ReportOptions::default(),
        );
        assert!(!report.is_empty());
        started.elapsed().as_secs_f64()
    };
    for (what, n, make) in shapes {
        let small = time(make, n);
        let large = time(make, 4 * n);
        let ratio = large / small.max(1e-6);
        println!(
            "scaling {what}: {n} → {:.0} ms, {} → {:.0} ms, ×{ratio:.1}",
            small * 1e3,
            4 * n,
            large * 1e3
        );
        assert!(
            ratio < 8.0,
            "{what} grows faster than linear (×{ratio:.1} for 4× input)"
        );
    }
}

/// One large file of each kind, scanned alone: throughput per grammar (MB/s), where per-file
/// costs do not hide per-byte ones. YAML files stay under the grammar's 32,768-line limit.
fn large_files() {
    let shell_body = SHELL.trim_start_matches("#!/usr/bin/env bash\n");
    let cases: Vec<(&str, String)> = vec![
        ("big.sh", format!("#!/bin/sh\n{}", shell_body.repeat(800))),
        ("dump.sql", SQL.repeat(4_000)),
        (
            "docker-compose.yml",
            format!(
                "services:\n{}",
                (0..3_000)
                    .map(|i| format!("  db{i}:\n    image: postgres:16\n    volumes:\n      - pgdata{i}:/var/lib/postgresql/data\n"))
                    .collect::<String>()
            ),
        ),
        (
            ".github/workflows/ci.yml",
            format!(
                "on: push\njobs:\n{}",
                (0..2_000)
                    .map(|i| format!("  test{i}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          docker compose up -d\n          docker compose down -v\n"))
                    .collect::<String>()
            ),
        ),
        ("RUNBOOK.md", MARKDOWN.repeat(10_000)),
    ];
    for (name, text) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &text).expect("write");
        let opts = ScanOptions {
            paths: vec![dir.path().to_path_buf()],
            ..ScanOptions::default()
        };
        let mut best = Duration::MAX;
        for _ in 0..3 {
            let started = Instant::now();
            let outcome = scan(&opts).expect("scan");
            best = best.min(started.elapsed());
            assert_eq!(outcome.files_scanned, 1);
        }
        let secs = best.as_secs_f64();
        println!(
            "large {name}: {:.2} MB, best of 3: {:.1} ms, {:.1} MB/s",
            text.len() as f64 / 1e6,
            secs * 1e3,
            text.len() as f64 / 1e6 / secs
        );
    }
}
