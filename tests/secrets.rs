//! `hardcoded-db-password` end to end with the config file: the names in `password-variables`
//! count like `POSTGRES_PASSWORD` everywhere a password variable is read, with the same quiet
//! cases (`${VAR:?}`, `_FILE` secrets, templates) and the same levels.

use std::path::Path;
use std::process::Command;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// `(path, line, column, level)` of every `hardcoded-db-password` finding, scanning `root` with
/// the binary (which discovers the config file at the root).
fn findings(root: &Path) -> Vec<(String, u64, u64, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_dataloss-scan"))
        .args(["--select", "hardcoded-db-password", "--format", "json"])
        .arg(root)
        .output()
        .expect("run the scanner");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    let mut got: Vec<(String, u64, u64, String)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_string(),
                f["start"]["line"].as_u64().unwrap_or_default(),
                f["start"]["column"].as_u64().unwrap_or_default(),
                f["level"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    got.sort();
    got
}

fn plant(root: &Path) {
    write(
        root,
        "docker-compose.yml",
        "services:\n  api:\n    image: ghcr.io/acme/api:2\n    environment:\n      APP_DB_SECRET: Map-s3cret-1\n      ACME_PG_PW: ${ACME_PG_PW:?set ACME_PG_PW}\n  worker:\n    image: ghcr.io/acme/worker:2\n    environment:\n      - APP_DB_SECRET=List-s3cret-2\n      - ACME_PG_PW=${ACME_PG_PW:-dev-default}\n      - APP_DB_SECRET_FILE=/run/secrets/app_db\n",
    );
    write(root, ".env", "APP_DB_SECRET=Env-s3cret-3\nACME_PG_PW=\n");
    write(root, ".env.example", "APP_DB_SECRET=Example-value\n");
    write(
        root,
        "deploy/run.sh",
        "#!/bin/sh\nexport APP_DB_SECRET=Sh-s3cret-4\n: \"${ACME_PG_PW:=Sh-default-5}\"\nexport ACME_PG_PW=\"$ACME_PG_PW_FROM_VAULT\"\ndocker run -d -e APP_DB_SECRET=Run-s3cret-6 ghcr.io/acme/api:2\ndocker run -d -e APP_DB_SECRET=\"$APP_DB_SECRET\" ghcr.io/acme/api:2\nAPP_DB_SECRET=changeme ./api\n",
    );
}

#[test]
fn config_password_variables_are_password_variables() {
    let dir = tempfile::tempdir().expect("tempdir");
    plant(dir.path());
    // Without the setting the names mean nothing to the scanner.
    assert_eq!(findings(dir.path()), []);
    write(
        dir.path(),
        "dataloss-scan.toml",
        "password-variables = [\"APP_DB_SECRET\", \"ACME_PG_PW\"]\n",
    );
    let want: Vec<(String, u64, u64, String)> = [
        (".env", 1, 15, "error"),
        ("deploy/run.sh", 2, 22, "error"),
        ("deploy/run.sh", 3, 18, "warning"),
        ("deploy/run.sh", 5, 32, "error"),
        ("deploy/run.sh", 7, 15, "note"),
        ("docker-compose.yml", 5, 22, "error"),
        ("docker-compose.yml", 10, 23, "error"),
        ("docker-compose.yml", 11, 34, "warning"),
    ]
    .iter()
    .map(|(p, l, c, v)| (p.to_string(), *l, *c, v.to_string()))
    .collect();
    assert_eq!(findings(dir.path()), want);
}

#[test]
fn config_password_variables_in_a_test_context_are_notes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "tests/it.sh",
        "#!/bin/sh\nexport APP_DB_SECRET=Test-only-pw\n",
    );
    write(
        dir.path(),
        ".github/dataloss-scan.toml",
        "password-variables = [\"APP_DB_SECRET\"]\n",
    );
    assert_eq!(
        findings(dir.path()),
        [("tests/it.sh".to_string(), 2, 22, "note".to_string())]
    );
}

#[test]
fn config_password_variables_follow_compose_interpolation_into_env_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "docker-compose.yml",
        "services:\n  api:\n    image: ghcr.io/acme/api:2\n    environment:\n      APP_DB_SECRET: ${LEDGER_SECRET:?set it}\n",
    );
    // `LEDGER_SECRET` only looks secret: it is a password because Compose passes it to one.
    write(
        dir.path(),
        ".env",
        "LEDGER_SECRET=Ledg3r-value\nOTHER_SECRET=unrelated\n",
    );
    assert_eq!(findings(dir.path()), []);
    write(
        dir.path(),
        "dataloss-scan.toml",
        "password-variables = [\"APP_DB_SECRET\"]\n",
    );
    assert_eq!(
        findings(dir.path()),
        [(".env".to_string(), 1, 15, "error".to_string())]
    );
}
