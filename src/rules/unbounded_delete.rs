//! `unbounded-delete`: see rules/unbounded-delete.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::schema::SchemaOp;
use crate::model::schema::code;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        let SchemaOp::Delete {
            table,
            bounded: false,
        } = &stmt.kind
        else {
            continue;
        };
        let place = if stmt.up_migration() {
            " in an up-migration"
        } else {
            ""
        };
        let finding = cx.report(
            stmt.clause_span,
            format!(
                "{}{place} without a WHERE clause deletes every row of table {}",
                stmt.shown("DELETE"),
                code(&table.text)
            ),
        );
        if stmt.up_migration() {
            finding.level(Level::Error);
        }
    }
}
