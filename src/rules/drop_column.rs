//! `drop-column`: see rules/drop-column.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::schema::AlterAction;
use crate::model::schema::ObjectKind;
use crate::model::schema::SchemaChange;
use crate::model::schema::SchemaOp;
use crate::model::schema::code;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    let statements = &file.sql.statements;
    for (i, stmt) in statements.iter().enumerate() {
        if !stmt.acts_on_data() {
            continue;
        }
        let SchemaOp::AlterTable { table, actions } = &stmt.kind else {
            continue;
        };
        // Django's `RemoveField`s before the `DeleteModel` of the same model, `ALTER TABLE t DROP
        // COLUMN c; DROP TABLE t;`: the table drop, reported by `drop-table`, is the loss.
        if table_dropped_later(&statements[i + 1..], stmt, &table.key) {
            continue;
        }
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

/// Whether a later change of the same file and direction drops the whole table.
fn table_dropped_later(later: &[SchemaChange], stmt: &SchemaChange, table: &str) -> bool {
    later.iter().any(|s| {
        s.direction == stmt.direction
            && s.acts_on_data()
            && matches!(&s.kind, SchemaOp::Drop { object: ObjectKind::Table, names, .. }
                if names.iter().any(|n| n.key == table))
    })
}
