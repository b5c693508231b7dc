//! `drop-table`: see rules/drop-table.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::schema::ObjectKind;
use crate::model::schema::SchemaOp;
use crate::model::schema::code;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, repo: &RepoFacts, cx: &mut Ctx) {
    // `DROP TABLE x_mv` of what an earlier migration created as a (materialized) view: no rows.
    let views = repo.views_dropped_as_tables.get(&file.file.path);
    // `createdb app; psql app -f schema.sql` everywhere the file runs: an empty database.
    if repo.fresh_database_sql.contains(&file.file.path) {
        return;
    }
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        let SchemaOp::Drop {
            object: ObjectKind::Table,
            names,
            ..
        } = &stmt.kind
        else {
            continue;
        };
        let names: Vec<_> = names
            .iter()
            .filter(|n| !views.is_some_and(|v| v.contains(&n.key)))
            .collect();
        if names.is_empty() {
            continue;
        }
        let list = names
            .iter()
            .map(|n| code(&n.text))
            .collect::<Vec<_>>()
            .join(", ");
        let (noun, it) = if names.len() == 1 {
            ("table", "it")
        } else {
            ("tables", "them")
        };
        let place = if stmt.up_migration() {
            " in an up-migration"
        } else {
            ""
        };
        let finding = cx.report(
            stmt.clause_span,
            format!(
                "{}{place} deletes {noun} {list} and every row in {it}",
                stmt.shown("DROP TABLE")
            ),
        );
        if stmt.up_migration() {
            finding.level(Level::Error);
        }
    }
}
