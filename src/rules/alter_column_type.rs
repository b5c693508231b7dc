//! `alter-column-type`: see rules/alter-column-type.toml for what/why/fix.

use super::Ctx;
use crate::facts::FileFacts;
use crate::facts::repo::RepoFacts;
use crate::facts::sql::types::TypeChange;
use crate::facts::sql::{code, AlterAction, StmtKind};

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.up_migration && s.acts_on_data()) {
        let StmtKind::AlterTable { table, actions } = &stmt.kind else {
            continue;
        };
        for action in actions {
            let AlterAction::AlterType {
                column,
                from,
                to,
                span,
            } = action
            else {
                continue;
            };
            let Some(change) = action.type_change() else {
                continue;
            };
            let message = match (&change, from) {
                (TypeChange::Narrowing { why }, Some(from)) => format!(
                    "Changing column {} of table {} from {} to {} can lose data: {why}",
                    code(&column.text),
                    code(&table.text),
                    code(from),
                    code(to)
                ),
                (TypeChange::UnknownOld { risky: true, why }, _) => format!(
                    "Changing column {} of table {} to {} can lose data (its old type is not declared in this file, so this is judged from the new type): {why}",
                    code(&column.text),
                    code(&table.text),
                    code(to)
                ),
                _ => continue,
            };
            cx.report(*span, message);
        }
    }
}
