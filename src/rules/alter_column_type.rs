//! `alter-column-type`: see rules/alter-column-type.toml for what/why/fix.
//!
//! A repository rule: when the file itself does not declare the column's old type, the earlier
//! migrations of the same set, in the order they run, are asked
//! (`MigrationOrder::earlier_column_type`).

use crate::analysis::migrations::MigrationOrder;
use crate::analysis::repo::RepoFacts;
use crate::model::FileFacts;
use crate::model::schema::AlterAction;
use crate::model::schema::SchemaOp;
use crate::model::schema::code;
use crate::model::types;
use crate::model::types::TypeChange;
use crate::rules::Ctx;

pub(super) fn check(_repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    // Built once, asked per type change: migration order per set (Alembic chains, Django
    // dependencies, version prefixes).
    let order = MigrationOrder::build(files);
    for file in files {
        let path = file.file.path.as_str();
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
                let AlterAction::AlterType {
                    column,
                    from,
                    to,
                    span,
                } = action
                else {
                    continue;
                };
                let (from, declared_in) = match from {
                    Some(from) => (Some(from.as_str()), None),
                    None => match order.earlier_column_type(path, &table.key, &column.key) {
                        Some((ty, in_file)) => (Some(ty), Some(in_file)),
                        None => (None, None),
                    },
                };
                // A restated definition (Django `AlterField`, Laravel `->change()`, Rails
                // `change_column`) usually keeps the type: judged only against an earlier one.
                if to.restated && from.is_none() {
                    continue;
                }
                let change = types::judge(from, &to.sql);
                let (column, table, new) =
                    (code(&column.text), code(&table.text), code(&to.written));
                let message = match (&change, from) {
                    (TypeChange::Narrowing { why }, Some(from)) => {
                        let source = declared_in
                            .map(|p| format!(" (declared in {p})"))
                            .unwrap_or_default();
                        format!(
                            "Changing column {column} of table {table} from {}{source} to {new}{} can lose data: {why}",
                            code(from),
                            stmt.written_note()
                        )
                    }
                    (TypeChange::UnknownOld { risky: true, why }, _) => format!(
                        "Changing column {column} of table {table} to {new}{} can lose data (its old type is not declared in this file or an earlier migration, so this is judged from the new type): {why}",
                        stmt.written_note()
                    ),
                    _ => continue,
                };
                cx.report_in(path, *span, message);
            }
        }
    }
}
