//! `rename-column`: see rules/rename-column.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::model::FileFacts;
use crate::model::schema::AlterAction;
use crate::model::schema::SchemaOp;
use crate::model::schema::code;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file
        .sql
        .statements
        .iter()
        .filter(|s| s.up_migration() && s.acts_on_data())
    {
        let SchemaOp::AlterTable { table, actions } = &stmt.kind else {
            continue;
        };
        for action in actions {
            let AlterAction::RenameColumn { from, to, span } = action else {
                continue;
            };
            cx.report(
                *span,
                format!(
                    "Renaming column {} of table {} to {}{} breaks the application version still running during the deploy: its reads and writes of {} fail",
                    code(&from.text), code(&table.text), code(&to.text), stmt.written_note(), code(&from.text)
                ),
            );
        }
    }
}
