//! Compose pack end to end: the user's `[[stateful-images]]` extend the shipped table, and a
//! broken Compose file is a notice while the rest of the repository is still scanned.

use dataloss_scan::config::{Config, StatefulImage};
use dataloss_scan::{ScanOptions, scan};

use crate::util::write;

#[test]
fn config_extends_the_stateful_images_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "docker-compose.yml",
        "services:\n  ledger:\n    image: acme/ledger:3\n",
    );
    let run = |config: Config| {
        let opts = ScanOptions {
            paths: vec![dir.path().to_path_buf()],
            select: vec!["db-without-volume".into()],
            threads: 1,
            config,
            ..ScanOptions::default()
        };
        scan(&opts).expect("scan").findings.len()
    };
    assert_eq!(run(Config::default()), 0);
    let config = Config {
        stateful_images: vec![StatefulImage {
            image: "acme/ledger".into(),
            data_dirs: vec!["/srv/ledger".into()],
            dump_tool: Some("ledger-dump".into()),
        }],
        ..Config::default()
    };
    assert_eq!(run(config), 1);
}

#[test]
fn broken_compose_is_a_notice_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a/docker-compose.yml",
        "services:\n  db:\n    image: postgres\n   [: x\n  - y\n",
    );
    write(
        dir.path(),
        "b/docker-compose.yml",
        "services:\n  db:\n    image: postgres:16\n",
    );
    let opts = ScanOptions {
        paths: vec![dir.path().to_path_buf()],
        select: vec!["compose".into()],
        threads: 1,
        ..ScanOptions::default()
    };
    let outcome = scan(&opts).expect("scan");
    assert!(
        outcome
            .notices
            .iter()
            .any(|n| n.path.as_deref() == Some("a/docker-compose.yml")),
        "{:?}",
        outcome.notices
    );
    assert!(
        outcome
            .findings
            .iter()
            .any(|f| f.path == "b/docker-compose.yml")
    );
}
