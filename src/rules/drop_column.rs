//! `drop-column`: see rules/drop-column.toml for what/why/fix.

use super::Ctx;
use crate::facts::FileFacts;
use crate::facts::repo::RepoFacts;
use crate::facts::sql::{code, AlterAction, StmtKind};
use crate::levels::Level;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        let StmtKind::AlterTable { table, actions } = &stmt.kind else {
            continue;
        };
        for action in actions {
            let AlterAction::DropColumn { column, span } = action else {
                continue;
            };
            let place = if stmt.up_migration {
                " in an up-migration"
            } else {
                ""
            };
            let finding = cx.report(
                *span,
                format!(
                    "Dropping column {} of table {}{place} deletes its value in every row, and breaks the application version still reading it",
                    code(&column.text), code(&table.text)
                ),
            );
            if stmt.up_migration {
                finding.level(Level::Error);
            }
        }
    }
}
