//! The backup pack end to end: the config file's `backup-commands` and `backup-images` extend
//! what counts as a backup, for both rules.

use dataloss_scan::config::Config;
use dataloss_scan::{ScanOptions, scan};

use crate::util::repo;

fn rules_found(dir: &std::path::Path, config: Config) -> Vec<(String, &'static str)> {
    let opts = ScanOptions {
        paths: vec![dir.to_path_buf()],
        select: vec!["backup".into()],
        threads: 1,
        config,
        ..ScanOptions::default()
    };
    scan(&opts)
        .expect("scan")
        .findings
        .iter()
        .map(|f| (f.path.clone(), f.rule))
        .collect()
}

const COMPOSE: &str = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n";

#[test]
fn config_backup_commands_count_as_backups() {
    let dir = repo(&[
        ("docker-compose.yml", COMPOSE),
        (
            "scripts/reset.sh",
            "#!/bin/sh\nset -e\nacme-vault snapshot --all\ndocker compose down -v\n",
        ),
    ]);
    let without = rules_found(dir.path(), Config::default());
    assert_eq!(
        without,
        [
            ("docker-compose.yml".to_string(), "no-backup-strategy"),
            ("scripts/reset.sh".to_string(), "destructive-without-backup"),
        ]
    );
    let config = Config {
        backup_commands: vec!["acme-vault snapshot".into()],
        ..Config::default()
    };
    assert!(rules_found(dir.path(), config).is_empty());
}

#[test]
fn config_backup_images_count_as_sidecars() {
    let compose = format!("{COMPOSE}  # a sidecar of our own\n");
    let with_sidecar = compose.replace(
        "volumes:\n  pgdata:",
        "  saver:\n    image: registry.acme.dev/ops/pg-saver:3\nvolumes:\n  pgdata:",
    );
    let dir = repo(&[("docker-compose.yml", &with_sidecar)]);
    assert_eq!(rules_found(dir.path(), Config::default()).len(), 1);
    let config = Config {
        backup_images: vec!["registry.acme.dev/ops/pg-saver".into()],
        ..Config::default()
    };
    assert!(rules_found(dir.path(), config).is_empty());
}
