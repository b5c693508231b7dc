//! `drop-column`: see rules/drop-column.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::schema::AlterAction;
use crate::model::schema::SchemaOp;
use crate::model::schema::code;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        let SchemaOp::AlterTable { table, actions } = &stmt.kind else {
            continue;
        };
        for action in actions {
            let AlterAction::DropColumn { column, span } = action else {
                continue;
            };
            let place = if stmt.up_migration() {
                " in an up-migration"
            } else {
                ""
            };
            let finding = cx.report(
                *span,
                format!(
                    "Dropping column {} of table {}{}{place} deletes its value in every row, and breaks the application version still reading it",
                    code(&column.text), code(&table.text), stmt.written_note()
                ),
            );
            if stmt.up_migration() {
                finding.level(Level::Error);
            }
        }
    }
}
