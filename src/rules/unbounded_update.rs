//! `unbounded-update`: see rules/unbounded-update.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::model::FileFacts;
use crate::model::schema::SchemaOp;
use crate::model::schema::code;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        let SchemaOp::Update {
            table,
            bounded: false,
        } = &stmt.kind
        else {
            continue;
        };
        cx.report(
            stmt.clause_span,
            format!(
                "{} without a WHERE clause overwrites the assigned columns in every row of table {}; the old values are gone",
                stmt.shown("UPDATE"),
                code(&table.text)
            ),
        );
    }
}
