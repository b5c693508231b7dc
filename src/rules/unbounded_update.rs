//! `unbounded-update`: see rules/unbounded-update.toml for what/why/fix.

use super::Ctx;
use crate::facts::FileFacts;
use crate::facts::repo::RepoFacts;
use crate::facts::sql::{StmtKind, code};

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        let StmtKind::Update {
            table,
            bounded: false,
        } = &stmt.kind
        else {
            continue;
        };
        cx.report(
            stmt.clause_span,
            format!(
                "`UPDATE` without a WHERE clause overwrites the assigned columns in every row of table {}; the old values are gone",
                code(&table.text)
            ),
        );
    }
}
