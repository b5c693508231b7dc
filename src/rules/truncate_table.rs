//! `truncate-table`: see rules/truncate-table.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::schema::SchemaOp;
use crate::model::schema::code;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        let SchemaOp::Truncate { names, cascade } = &stmt.kind else {
            continue;
        };
        let list = names
            .iter()
            .map(|n| code(&n.text))
            .collect::<Vec<_>>()
            .join(", ");
        let noun = if names.len() == 1 { "table" } else { "tables" };
        let cascade = if *cascade {
            ", and with CASCADE every row of the tables that reference it"
        } else {
            ""
        };
        let place = if stmt.up_migration() {
            " in an up-migration"
        } else {
            ""
        };
        let finding = cx.report(
            stmt.clause_span,
            format!(
                "{}{place} deletes every row of {noun} {list}{cascade}",
                stmt.shown("TRUNCATE")
            ),
        );
        if stmt.up_migration() {
            finding.level(Level::Error);
        }
    }
}
