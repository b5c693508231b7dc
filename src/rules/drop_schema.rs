//! `drop-schema`: see rules/drop-schema.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::model::FileFacts;
use crate::model::schema::ObjectKind;
use crate::model::schema::SchemaOp;
use crate::model::schema::code;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for stmt in file.sql.statements.iter().filter(|s| s.acts_on_data()) {
        match &stmt.kind {
            SchemaOp::Drop {
                object: ObjectKind::Schema,
                names,
                cascade,
                ..
            } => {
                let public = names.iter().any(|n| n.key == "public");
                if !cascade && !public {
                    // Without CASCADE a non-empty schema is not dropped: the statement fails.
                    continue;
                }
                let list = names
                    .iter()
                    .map(|n| code(&n.text))
                    .collect::<Vec<_>>()
                    .join(", ");
                let what = if *cascade {
                    format!("deletes schema {list} and every table in it, with all their rows")
                } else {
                    format!(
                        "deletes schema {list}, where the application's tables usually live (with CASCADE, every table and row in it)"
                    )
                };
                let shown = stmt.shown(&file.masked(stmt.clause_span));
                cx.report(stmt.clause_span, format!("{shown} {what}"));
            }
            SchemaOp::DropOwned { roles } => {
                let list = roles
                    .iter()
                    .map(|n| code(&n.text))
                    .collect::<Vec<_>>()
                    .join(", ");
                let shown = code(&file.masked(stmt.clause_span));
                cx.report(
                    stmt.clause_span,
                    format!(
                        "{shown} deletes every table and object owned by {list} in this database, with their rows"
                    ),
                );
            }
            _ => {}
        }
    }
}
