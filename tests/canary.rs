//! The secrets contract: a canary password planted in every place `hardcoded-db-password` reads
//! (Compose environment map and list, a URL in a Compose value, `.env`, a shell export,
//! `mysql -p`, a `psql` URL, `docker run -e`, a workflow `env:`) never appears in any output format at any verbosity.

use std::path::Path;
use std::process::Command;

const CANARY: &str = "Canary7pw";

fn plant(root: &Path) {
    let files: &[(&str, String)] = &[
        (
            "docker-compose.yml",
            format!(
                "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: {CANARY}\n    ports:\n      - \"5432:5432\"\n  mysql:\n    image: mysql:8\n    environment:\n      - MYSQL_ROOT_PASSWORD={CANARY}\n  api:\n    build: .\n    environment:\n      DATABASE_URL: postgres://app:{CANARY}@db/app\n    labels:\n      backup.url: \"mysql://root:{CANARY}@mysql/shop\"\n"
            ),
        ),
        (".env", format!("DB_PASSWORD={CANARY}\n")),
        (
            "scripts/backup.sh",
            format!(
                "#!/bin/sh\nexport PGPASSWORD={CANARY}\nmysql -uroot -p{CANARY} shop -e 'select 1'\npsql \"postgresql://app:{CANARY}@db/app\" -c 'DROP TABLE orders'\ndocker run -d -e POSTGRES_PASSWORD={CANARY} postgres:16\n"
            ),
        ),
        (
            ".github/workflows/deploy.yml",
            format!(
                "on: push\njobs:\n  deploy:\n    runs-on: self-hosted\n    env:\n      PGPASSWORD: {CANARY}\n    steps:\n      - run: psql -h db -c 'select 1'\n"
            ),
        ),
        // A broken file next to them: its notice must not quote the text either.
        (
            "compose.broken.yml",
            format!(
                "services:\n  db:\n    image: postgres\n     POSTGRES_PASSWORD: {CANARY}\n  [\n"
            ),
        ),
    ];
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
}

#[test]
fn no_output_contains_a_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    plant(dir.path());
    let mut runs = 0;
    let mut found_any = false;
    for format in ["human", "json", "sarif", "github", "gitlab"] {
        for verbosity in [Some("-q"), None, Some("-v")] {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_dataloss-scan"));
            cmd.arg("--format").arg(format).arg("--color").arg("never");
            if let Some(v) = verbosity {
                cmd.arg(v);
            }
            cmd.arg(dir.path());
            let out = cmd.output().expect("run the scanner");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stdout.contains(CANARY) && !stderr.contains(CANARY),
                "--format {format} {verbosity:?} leaked the canary:\n{stdout}\n{stderr}"
            );
            found_any |= stdout.contains("hardcoded-db-password");
            runs += 1;
        }
    }
    assert_eq!(runs, 15);
    assert!(found_any, "the planted passwords were not reported at all");
}

#[test]
fn debug_facts_mask_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    plant(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_dataloss-scan"))
        .arg("--debug-facts")
        .arg(dir.path())
        .output()
        .expect("run the scanner");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(CANARY), "--debug-facts leaked the canary");
}

#[test]
fn every_planted_password_is_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    plant(dir.path());
    let opts = dataloss_scan::ScanOptions {
        paths: vec![dir.path().to_path_buf()],
        select: vec!["hardcoded-db-password".into()],
        threads: 1,
        ..Default::default()
    };
    let outcome = dataloss_scan::scan(&opts).expect("scan");
    let mut places: Vec<(String, u32)> = outcome
        .findings
        .iter()
        .map(|f| {
            let text = &outcome.sources[&f.path];
            let line = dataloss_scan::source::LineIndex::new(text)
                .position(text, f.span.start())
                .line;
            (f.path.clone(), line)
        })
        .collect();
    places.sort();
    let want: Vec<(String, u32)> = [
        (".env", 1),
        (".github/workflows/deploy.yml", 6),
        ("docker-compose.yml", 5),
        ("docker-compose.yml", 11),
        ("docker-compose.yml", 15),
        ("docker-compose.yml", 17),
        ("scripts/backup.sh", 2),
        ("scripts/backup.sh", 3),
        ("scripts/backup.sh", 4),
        ("scripts/backup.sh", 5),
    ]
    .iter()
    .map(|(p, l)| (p.to_string(), *l))
    .collect();
    assert_eq!(places, want);
    for text in outcome.sources.values() {
        assert!(!text.contains(CANARY), "a kept source is not masked");
    }
}
