//! Shared harness for the fuzz targets: scan fuzz input as one named file (through the
//! standard-input path, so no file is written per run), or a whole temporary repository, and
//! check the reports.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use dataloss_scan::report::{Format, ReportOptions, render};
use dataloss_scan::{ScanOptions, ScanOutcome, scan};

/// An empty directory, made once per process: the repository a stdin file belongs to.
fn empty_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dataloss-fuzz-root-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the fuzz root");
        dir
    })
}

/// Pick a file name from `names` with the first byte (when there are several), and scan the
/// rest of the input as that file's text. Oracles: no panic, JSON and SARIF reports parse.
pub fn scan_as(names: &[&str], data: &[u8]) {
    let (name, text) = match names {
        [one] => (*one, data),
        _ => match data.split_first() {
            Some((&pick, rest)) => (names[pick as usize % names.len()], rest),
            None => return,
        },
    };
    let opts = ScanOptions {
        paths: vec![empty_root().to_path_buf()],
        only: vec![name.to_string()],
        stdin: Some((name.to_string(), text.to_vec())),
        threads: 1,
        ..ScanOptions::default()
    };
    let outcome = scan(&opts).expect("a scan of one in-memory file never fails");
    check_reports(&outcome, None);
}

/// Render every format; JSON and SARIF must parse as JSON, and `secret` (when given) must not
/// appear in any report's bytes.
pub fn check_reports(outcome: &ScanOutcome, secret: Option<&str>) {
    let meta = dataloss_scan::rules::metadata().expect("rule metadata");
    for include_suppressed in [false, true] {
        let opts = ReportOptions {
            include_suppressed,
            verbose: true,
            show_time: false,
            ..ReportOptions::default()
        };
        for format in [
            Format::Json,
            Format::Sarif,
            Format::Human,
            Format::Github,
            Format::Gitlab,
        ] {
            let bytes = render(outcome, meta, format, &opts);
            if matches!(format, Format::Json | Format::Sarif | Format::Gitlab) {
                if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                    panic!(
                        "{format:?} report is not JSON: {e}\n{}",
                        String::from_utf8_lossy(&bytes)
                    );
                }
            }
            if let Some(secret) = secret {
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    !text.contains(secret),
                    "{format:?} report leaked the planted password:\n{text}"
                );
            }
        }
    }
}

/// The planted password of the whole-scan target. The fuzz input never holds it (it is removed
/// from the input), so it is in the scanned files only where the harness plants it.
pub const CANARY: &str = "S3cr3t-canary-8fQ2xLw";

/// File names a whole-scan chunk may take (its first byte picks one).
const NAMES: &[&str] = &[
    "docker-compose.override.yml",
    ".env",
    "scripts/reset.sh",
    "db/migrations/0002_x.sql",
    "Makefile",
    "README.md",
    "crontab",
    "deploy/x.service",
    "Dockerfile",
    "ops/x.ps1",
    "justfile",
    "infra/main.tf",
    ".github/workflows/ci.yml",
    "k8s/db.yaml",
    "db/migrate/20240101000000_x.rb",
    "alembic/versions/x.py",
    "Taskfile.yml",
    "dataloss-scan.toml",
    "config/database.yml",
    "compose.yaml",
    "scripts/reset.js",
    "tools/purge.py",
    "package.json",
];

/// The planted files: the canary as a Compose `POSTGRES_PASSWORD` (map and list forms), on
/// destructive commands whose findings quote their line, and in a program's connection calls on
/// the lines of its SQL findings.
fn planted() -> Vec<(&'static str, String)> {
    vec![
        (
            "docker-compose.yml",
            format!(
                "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: {CANARY}\n    ports:\n      - \"5432:5432\"\n  db2:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD={CANARY}\n"
            ),
        ),
        (
            "scripts/nuke.js",
            format!(
                "const c = new Client({{ password: '{CANARY}' }}); c.query('DROP TABLE orders');\nconst s = new Sequelize('db', 'u', '{CANARY}'); s.query('DROP TABLE carts');\n"
            ),
        ),
        (
            "ops/wipe.sh",
            format!(
                "#!/bin/sh\nPOSTGRES_PASSWORD={CANARY} psql -h db -c 'DROP TABLE orders'\ndocker run --rm -e POSTGRES_PASSWORD={CANARY} postgres:16 dropdb -h db prod\n"
            ),
        ),
    ]
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Split the input on NUL bytes into up to 8 files (each chunk's first byte picks its name),
/// write them beside the planted files in a fresh directory, scan it, and check the reports:
/// no panic, JSON/SARIF/GitLab parse, the canary appears nowhere.
pub fn whole_scan(data: &[u8]) {
    let dir = std::env::temp_dir().join(format!(
        "dataloss-fuzz-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scan dir");
    for (name, text) in planted() {
        write(&dir, name, text.as_bytes());
    }
    for chunk in data.split(|&b| b == 0).take(8) {
        let Some((&pick, text)) = chunk.split_first() else {
            continue;
        };
        let name = NAMES[pick as usize % NAMES.len()];
        // A chunk may not be a planted file, nor hold the canary (or a long part of it).
        let text = String::from_utf8_lossy(text).replace("S3cr3t", "S3cr4t");
        write(&dir, name, text.as_bytes());
    }
    // The binary reads the config file, not `scan`: read it the same way (a bad one is a
    // usage error there, here the scan goes on without it).
    let config_file = dir.join("dataloss-scan.toml");
    let config = if config_file.exists() {
        dataloss_scan::load_config(&config_file).unwrap_or_default()
    } else {
        Default::default()
    };
    let opts = ScanOptions {
        paths: vec![dir.clone()],
        threads: 1,
        config,
        ..ScanOptions::default()
    };
    let result = scan(&opts);
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(outcome) => check_reports(&outcome, Some(CANARY)),
        // A fuzzed config may select a rule that does not exist: an error, not a crash.
        Err(dataloss_scan::Error::Config(_) | dataloss_scan::Error::UnknownRule(..)) => {}
        Err(e) => panic!("scan failed: {e}"),
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    std::fs::write(path, bytes).expect("write file");
}
