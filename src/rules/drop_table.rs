//! `drop-table`: see rules/drop-table.toml for what/why/fix.

use super::Ctx;
use crate::facts::FileFacts;
use crate::facts::repo::RepoFacts;
use crate::facts::sql::{code, ObjectKind, StmtKind};
use crate::levels::Level;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        let StmtKind::Drop {
            object: ObjectKind::Table,
            names,
            ..
        } = &stmt.kind
        else {
            continue;
        };
        if names.is_empty() {
            continue;
        }
        let list = names
            .iter()
            .map(|n| code(&n.text))
            .collect::<Vec<_>>()
            .join(", ");
        let (noun, it) = if names.len() == 1 {
            ("table", "it")
        } else {
            ("tables", "them")
        };
        let place = if stmt.up_migration {
            " in an up-migration"
        } else {
            ""
        };
        let finding = cx.report(
            stmt.clause_span,
            format!("`DROP TABLE`{place} deletes {noun} {list} and every row in {it}"),
        );
        if stmt.up_migration {
            finding.level(Level::Error);
        }
    }
}
