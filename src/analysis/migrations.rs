//! The migration set across files: which up-migrations are pending and non-additive (what a
//! backup rule asks before a `migrate up`), and the type an earlier migration declared for a
//! column (the `from` of a later type change).

use crate::frontends::sql::layout;
use crate::model::FileFacts;
use crate::model::schema::SchemaChange;

/// The repository's pending non-additive migration changes, as (path, statement), in path order:
/// what a backup rule asks before a `migrate up` step ("is there anything to lose?").
pub fn pending_non_additive(files: &[FileFacts]) -> Vec<(&str, &SchemaChange)> {
    let mut out: Vec<(&str, &SchemaChange)> = files
        .iter()
        .filter(|f| f.sql.is_pending_up_migration())
        .flat_map(|f| f.sql.non_additive().map(|s| (f.file.path.as_str(), s)))
        .collect();
    out.sort_by_key(|(path, s)| (*path, s.span.start));
    out
}

/// The type an earlier migration of the same set declared for `table.column` (the last one
/// before `path` in migration order), with the declaring file's path.
pub fn earlier_column_type<'a>(
    files: &'a [FileFacts],
    path: &str,
    table: &str,
    column: &str,
) -> Option<(&'a str, &'a str)> {
    let here = layout::order_key(path);
    let mut earlier: Vec<(_, &FileFacts)> = files
        .iter()
        .filter(|f| f.sql.migration.is_some() && f.file.path != path)
        .filter_map(|f| {
            let key = layout::order_key(&f.file.path);
            (key.0 == here.0 && key < here).then_some((key, f))
        })
        .collect();
    earlier.sort_by(|a, b| a.0.cmp(&b.0));
    earlier.iter().rev().find_map(|(_, f)| {
        f.sql
            .column_types
            .iter()
            .rev()
            .find(|c| c.table == table && c.column == column)
            .map(|c| (c.ty.as_str(), f.file.path.as_str()))
    })
}
