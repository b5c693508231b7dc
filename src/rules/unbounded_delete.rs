//! `unbounded-delete`: see rules/unbounded-delete.toml for what/why/fix.

use super::Ctx;
use crate::facts::FileFacts;
use crate::facts::repo::RepoFacts;
use crate::facts::sql::{StmtKind, code};
use crate::levels::Level;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        let StmtKind::Delete {
            table,
            bounded: false,
        } = &stmt.kind
        else {
            continue;
        };
        let place = if stmt.up_migration {
            " in an up-migration"
        } else {
            ""
        };
        let finding = cx.report(
            stmt.clause_span,
            format!(
                "`DELETE`{place} without a WHERE clause deletes every row of table {}",
                code(&table.text)
            ),
        );
        if stmt.up_migration {
            finding.level(Level::Error);
        }
    }
}
