//! A drop that drops nothing: `DROP TABLE IF EXISTS t` (Knex `dropTableIfExists('t')`) right
//! before the migration creates `t`, in the first migration of its set that creates `t`. No
//! earlier migration created the table, so there is nothing to lose; a later migration doing the
//! same recreates a table that exists (its rows are lost) and is still reported.

use std::collections::HashSet;

use super::MigrationOrder;
use crate::model::FileFacts;
use crate::model::schema::{AlterAction, ObjectKind, SchemaChange, SchemaOp};

/// Mark those drops `replaced` (they act on no data): built on the migration order of `files`.
pub fn mark_first_creations(files: &mut [FileFacts]) {
    let found = MigrationOrder::build(files).first_creation_drops();
    for (file, stmt) in found {
        if let Some(s) = files
            .get_mut(file)
            .and_then(|f| f.sql.statements.get_mut(stmt))
        {
            s.replaced = true;
        }
    }
}

impl MigrationOrder<'_> {
    /// (file index, statement index) of every `DROP TABLE IF EXISTS` whose tables the same
    /// migration creates next (same direction, no other statement on them in between) and that
    /// no earlier migration of the set creates or renames a table to.
    pub fn first_creation_drops(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for set in &self.sets {
            let mut created: HashSet<&str> = HashSet::new();
            for &i in set {
                let Some(f) = self.files.get(i) else { continue };
                let statements = &f.sql.statements;
                for (k, s) in statements.iter().enumerate() {
                    let SchemaOp::Drop {
                        object: ObjectKind::Table,
                        names,
                        if_exists: true,
                        ..
                    } = &s.kind
                    else {
                        continue;
                    };
                    if !names.is_empty()
                        && names.iter().all(|n| {
                            !created.contains(n.key.as_str()) && created_next(statements, k, &n.key)
                        })
                    {
                        out.push((i, k));
                    }
                }
                for s in statements {
                    created.extend(tables_made(s));
                }
            }
        }
        out
    }
}

/// Whether the first statement after `statements[at]` in the same direction that names table
/// `key` creates it (the front-ends emit statements in file order).
fn created_next(statements: &[SchemaChange], at: usize, key: &str) -> bool {
    let Some(drop) = statements.get(at) else {
        return false;
    };
    statements
        .iter()
        .skip(at + 1)
        .filter(|s| s.direction == drop.direction)
        .find(|s| names_table(s, key))
        .is_some_and(|s| {
            matches!(&s.kind, SchemaOp::Create { object: ObjectKind::Table, name, .. } if name.key == key)
        })
}

/// The tables a statement creates or renames a table to.
fn tables_made(s: &SchemaChange) -> Vec<&str> {
    match &s.kind {
        SchemaOp::Create {
            object: ObjectKind::Table,
            name,
            ..
        } => vec![name.key.as_str()],
        SchemaOp::AlterTable { actions, .. } => actions
            .iter()
            .filter_map(|a| match a {
                AlterAction::RenameTable { to, .. } => Some(to.key.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a statement names table `key` (drops, empties, changes, creates or renames to it).
fn names_table(s: &SchemaChange, key: &str) -> bool {
    match &s.kind {
        SchemaOp::Drop { names, .. } | SchemaOp::Truncate { names, .. } => {
            names.iter().any(|n| n.key == key)
        }
        SchemaOp::Delete { table, .. } | SchemaOp::Update { table, .. } => table.key == key,
        SchemaOp::AlterTable { table, .. } => table.key == key || tables_made(s).contains(&key),
        SchemaOp::Create { name, .. } => name.key == key,
        SchemaOp::DropOwned { .. } => false,
    }
}
