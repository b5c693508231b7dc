//! `drop-database`: see rules/drop-database.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::model::FileFacts;
use crate::model::schema::ObjectKind;
use crate::model::schema::SchemaOp;
use crate::model::schema::code;
use crate::rules::Ctx;

/// The databases a MySQL/MariaDB installation creates for anyone to play with, which hardening
/// steps remove (`mysql_secure_installation`'s "Remove test database"): no data of the
/// application's.
const MYSQL_SAMPLE_DATABASES: &[&str] = &["test"];

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        let SchemaOp::Drop {
            object: ObjectKind::Database,
            names,
            ..
        } = &stmt.kind
        else {
            continue;
        };
        let sample = |key: &str| MYSQL_SAMPLE_DATABASES.contains(&key);
        if !names.is_empty()
            && names.iter().all(|n| sample(&n.key))
            && file.statement_is_mysql(stmt)
        {
            continue;
        }
        let list = names
            .iter()
            .map(|n| code(&n.text))
            .collect::<Vec<_>>()
            .join(", ");
        let shown = stmt.shown(&file.masked(stmt.clause_span));
        let noun = if names.len() == 1 {
            "database"
        } else {
            "databases"
        };
        cx.report(
            stmt.clause_span,
            format!("{shown} deletes {noun} {list} with every table and row in it"),
        );
    }
    for drop in file.sql.cli_drops.iter().filter(|d| !d.scratch) {
        // `mysqladmin -f drop test`: the sample database, as above.
        let mysql_tool = ["mysqladmin drop ", "mariadb-admin drop "]
            .iter()
            .any(|p| drop.shown.starts_with(p));
        if mysql_tool
            && drop
                .target
                .as_deref()
                .is_some_and(|t| MYSQL_SAMPLE_DATABASES.contains(&t))
        {
            continue;
        }
        let what = match (&drop.target, drop.shown.to_ascii_lowercase()) {
            (Some(target), _) => {
                format!(
                    "deletes database {} with every table and row in it",
                    code(target)
                )
            }
            (None, s) if s.contains("flushall") => {
                "deletes every key of every Redis database on the server".to_string()
            }
            (None, s) if s.contains("flushdb") => {
                "deletes every key of the selected Redis database".to_string()
            }
            (None, _) => "deletes the current MongoDB database and all its collections".to_string(),
        };
        cx.report(drop.span, format!("{} {what}", code(&drop.shown)));
    }
}
