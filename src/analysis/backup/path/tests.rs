//! Unit tests of the backup path analysis: straight lines, branches, functions, calls, make prerequisites.

use super::*;
use crate::analysis::backup::path::callees::pattern_matches;
use crate::source::SourceFile;

fn files(list: &[(&str, &str)]) -> Vec<FileFacts> {
    list.iter()
        .map(|(path, text)| {
            let kind = match crate::classify::classify_name(path) {
                crate::classify::NameClass::Kind(k) => k,
                _ => FileKind::Shell,
            };
            FileFacts::extract(SourceFile::new(*path, *text), kind, Context::Production)
        })
        .collect()
}

/// Whether the first `dropdb` of the first file is covered.
fn covered(list: &[(&str, &str)]) -> bool {
    let files = files(list);
    let analysis = Analysis::new(&files, Catalog::builtin());
    let Some(i) = files[0]
        .shell
        .commands
        .iter()
        .position(|c| c.program().as_deref() == Some("dropdb"))
    else {
        panic!("no dropdb");
    };
    analysis
        .covered(At {
            file: 0,
            command: i,
        })
        .is_some()
}

#[test]
fn straight_line_and_branches() {
    assert!(covered(&[("r.sh", "pg_dump shop > b.sql\ndropdb shop\n")]));
    assert!(!covered(&[("r.sh", "dropdb shop\npg_dump shop > b.sql\n")]));
    assert!(covered(&[(
        "r.sh",
        "pg_dump shop > b.sql && dropdb shop\n"
    )]));
    assert!(covered(&[(
        "r.sh",
        "cd /srv && pg_dump shop > b.sql\ndropdb shop\n"
    )]));
    assert!(!covered(&[(
        "r.sh",
        "[ -f b.sql ] || pg_dump shop > b.sql\ndropdb shop\n"
    )]));
    assert!(!covered(&[(
        "r.sh",
        "case \"$1\" in\n  backup) pg_dump shop > b.sql ;;\n  restore) dropdb shop ;;\nesac\n"
    )]));
    assert!(covered(&[(
        "r.sh",
        "case \"$1\" in\n  restore)\n    pg_dump shop > b.sql\n    dropdb shop ;;\nesac\n"
    )]));
    assert!(!covered(&[(
        "r.sh",
        "if [ \"$X\" = 1 ]; then\n  pg_dump shop > b.sql\nfi\ndropdb shop\n"
    )]));
    assert!(covered(&[(
        "r.sh",
        "if [ \"$X\" = 1 ]; then\n  pg_dump shop > b.sql\nelse\n  exit 1\nfi\ndropdb shop\n"
    )]));
    assert!(covered(&[(
        "r.sh",
        "if ! pg_dump shop > b.sql; then exit 1; fi\ndropdb shop\n"
    )]));
}

#[test]
fn functions_and_calls() {
    assert!(covered(&[(
        "r.sh",
        "backup() { pg_dump shop > b.sql; }\nrestore() { dropdb shop; }\nbackup\nrestore\n"
    )]));
    assert!(!covered(&[(
        "r.sh",
        "backup() { pg_dump shop > b.sql; }\nrestore() { dropdb shop; }\nrestore\nbackup\n"
    )]));
    assert!(!covered(&[(
        "r.sh",
        "backup() { pg_dump shop > b.sql; }\ndropdb shop\n"
    )]));
    assert!(covered(&[
        ("scripts/restore.sh", "./scripts/backup.sh\ndropdb shop\n"),
        ("scripts/backup.sh", "#!/bin/sh\npg_dump shop > /b/x.sql\n"),
    ]));
    assert!(covered(&[
        (
            "scripts/restore.sh",
            "\"$(dirname \"$0\")/backup.sh\"\ndropdb shop\n"
        ),
        ("scripts/backup.sh", "#!/bin/sh\npg_dump shop > /b/x.sql\n"),
    ]));
    assert!(!covered(&[
        ("scripts/restore.sh", "./scripts/backup.sh\ndropdb shop\n"),
        ("scripts/backup.sh", "#!/bin/sh\necho todo\n"),
    ]));
    assert!(covered(&[
        ("db/restore.sh", "./db/db.sh backup\ndropdb shop\n"),
        (
            "db/db.sh",
            "case \"$1\" in\n  backup) pg_dump shop > b.sql ;;\n  restore) dropdb shop ;;\nesac\n"
        ),
    ]));
    assert!(!covered(&[
        ("db/restore.sh", "./db/db.sh migrate\ndropdb shop\n"),
        (
            "db/db.sh",
            "case \"$1\" in\n  backup) pg_dump shop > b.sql ;;\n  *) echo usage ;;\nesac\n"
        ),
    ]));
    assert!(covered(&[(
        "r.sh",
        "/usr/local/bin/db-backup\ndropdb shop\n"
    )]));
}

#[test]
fn nested_shell_and_elif() {
    assert!(covered(&[(
        "r.sh",
        "ssh db1 'pg_dump shop > /b/x.sql && dropdb shop'\n"
    )]));
    assert!(covered(&[(
        "r.sh",
        "pg_dump shop > b.sql\nbash -c 'dropdb shop'\n"
    )]));
    assert!(!covered(&[(
        "r.sh",
        "if [ \"$A\" ]; then\n  pg_dump shop > b.sql\nelif [ \"$B\" ]; then\n  echo skip\nelse\n  exit 1\nfi\ndropdb shop\n"
    )]));
    assert!(covered(&[(
        "r.sh",
        "if [ \"$A\" ]; then\n  pg_dump shop > b.sql\nelif [ \"$B\" ]; then\n  exit 2\nelse\n  exit 1\nfi\ndropdb shop\n"
    )]));
}

#[test]
fn name_context_of_units() {
    let context = |list: &[(&str, &str)]| {
        let files = files(list);
        let analysis = Analysis::new(&files, Catalog::builtin());
        analysis.name_context(At {
            file: 0,
            command: 0,
        })
    };
    let make = |target: &str| format!("{target}:\n\tdocker compose down -v\n");
    assert_eq!(context(&[("Makefile", &make("test"))]), Context::Test);
    assert_eq!(context(&[("Makefile", &make("e2e-test"))]), Context::Test);
    assert_eq!(
        context(&[("Makefile", &make("reset-dev-db"))]),
        Context::Local
    );
    assert_eq!(context(&[("Makefile", &make("seed"))]), Context::Local);
    assert_eq!(
        context(&[("Makefile", &make("test-and-deploy"))]),
        Context::Production
    );
    assert_eq!(
        context(&[("Makefile", &make("deploy"))]),
        Context::Production
    );
    assert_eq!(
        context(&[("Makefile", &make("latest"))]),
        Context::Production
    );
    assert_eq!(
        context(&[(
            "scripts/db.sh",
            "#!/bin/sh\nresetLocalDb() {\n  dropdb app\n}\nresetLocalDb\n"
        )]),
        Context::Local
    );
}

#[test]
fn make_prerequisites() {
    let text = ".PHONY: reset\nreset: backup stop | dirs # first back up\n\tdocker compose down -v\nX := reset: no\n";
    assert_eq!(prerequisites(text, "reset"), ["backup", "stop", "dirs"]);
    assert!(prerequisites(text, "X").is_empty());
}

#[test]
fn patterns() {
    assert!(pattern_matches("backup|dump", Some("dump")));
    assert!(pattern_matches("\"backup\"", Some("backup")));
    assert!(pattern_matches("b*", Some("backup")));
    assert!(pattern_matches("*", None));
    assert!(!pattern_matches("restore", Some("backup")));
}
