//! The migration set across files: which up-migrations are pending and non-additive (what a
//! backup rule asks before a `migrate up`), the order each migration set runs in (version
//! prefixes, Alembic's revision chain, Django's dependencies), and the type an earlier migration
//! declared for a column (the `from` of a later type change), the drop-if-exists before a
//! table's first creation (it drops nothing), and the SQL files Liquibase changesets run.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};

use crate::classify::{FileKind, Framework};
use crate::frontends::sql::layout;
use crate::model::FileFacts;
use crate::model::migration::Revision;
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

/// The migration sets of a repository in the order they run: built once per scan
/// ([`MigrationOrder::build`]), then asked per statement.
///
/// A set is the files of one folder (`order_key`'s set), or every Django migration of the
/// repository (Django orders all apps as one graph). Within it, files run in path order
/// (version prefixes: Rails, Laravel, Flyway, golang-migrate…) except where the framework names
/// the order: Alembic's `down_revision` chain (merges: a tuple) and `depends_on` (a revision or
/// a `branch_labels` name) and Django's `dependencies` (across apps) put a file after the files
/// it names. A Liquibase master changelog and the changelogs it includes form one set (after the
/// folder sets), in include order. The order is a topological order of that graph, ties broken by path order;
/// names outside the set are ignored, and a cycle is broken at its earliest file by path (never
/// a loop).
pub struct MigrationOrder<'a> {
    files: &'a [FileFacts],
    /// Each set's files (indices into `files`), earliest first.
    sets: Vec<Vec<usize>>,
    /// A file's path → its set and position in it.
    at: HashMap<&'a str, (usize, usize)>,
}

impl<'a> MigrationOrder<'a> {
    /// Order every migration set of `files`: O(n log n) plus the revision edges.
    pub fn build(files: &'a [FileFacts]) -> Self {
        // Liquibase masters name their changelogs' order (`include`, `includeAll`).
        let liquibase = include::liquibase_sets(files);
        let in_liquibase: HashSet<usize> = liquibase.iter().flatten().copied().collect();
        let mut by_set: BTreeMap<String, Vec<(OrderKey, usize)>> = BTreeMap::new();
        for (i, f) in files.iter().enumerate() {
            if f.sql.migration.is_some() && !in_liquibase.contains(&i) {
                let key = layout::order_key(&f.file.path);
                // Django runs every app's migrations as one graph (`dependencies` name other
                // apps' migrations): one set for the repository, apps in path order.
                let set = if f.kind == FileKind::Migration(Framework::Django) {
                    DJANGO_SET.to_string()
                } else {
                    key.0.clone()
                };
                by_set.entry(set).or_default().push((key, i));
            }
        }
        let mut order = MigrationOrder {
            files,
            sets: Vec::with_capacity(by_set.len()),
            at: HashMap::new(),
        };
        for (_, mut members) in by_set {
            members.sort();
            let indices: Vec<usize> = members.into_iter().map(|(_, i)| i).collect();
            let revisions: Vec<Option<&Revision>> = indices
                .iter()
                .map(|&i| {
                    files[i]
                        .sql
                        .migration
                        .as_ref()
                        .and_then(|m| m.revision.as_ref())
                })
                .collect();
            let ranks = chain_order(&revisions);
            let set: Vec<usize> = ranks.into_iter().map(|r| indices[r]).collect();
            let n = order.sets.len();
            for (pos, &i) in set.iter().enumerate() {
                order.at.insert(files[i].file.path.as_str(), (n, pos));
            }
            order.sets.push(set);
        }
        for set in liquibase {
            let n = order.sets.len();
            for (pos, &i) in set.iter().enumerate() {
                order.at.insert(files[i].file.path.as_str(), (n, pos));
            }
            order.sets.push(set);
        }
        order
    }

    /// The paths of each set, earliest first (sets in folder order).
    pub fn sets(&self) -> Vec<Vec<&'a str>> {
        self.sets
            .iter()
            .map(|s| {
                s.iter()
                    .map(|&i| self.files[i].file.path.as_str())
                    .collect()
            })
            .collect()
    }

    /// Names each migration drops with `DROP TABLE` that an earlier migration of its set created
    /// as a view (a materialized view holds no rows of its own): path → name keys. The last
    /// creation before the drop decides (a view replaced by a table is a table again).
    pub fn views_dropped_as_tables(&self) -> BTreeMap<String, BTreeSet<String>> {
        use crate::model::schema::{ObjectKind, SchemaOp};
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for set in &self.sets {
            let mut kinds: HashMap<String, ObjectKind> = HashMap::new();
            for &i in set {
                let Some(f) = self.files.get(i) else { continue };
                for stmt in &f.sql.statements {
                    let SchemaOp::Drop {
                        object: ObjectKind::Table,
                        names,
                        ..
                    } = &stmt.kind
                    else {
                        continue;
                    };
                    for n in names {
                        if kinds.get(&n.key) == Some(&ObjectKind::View) {
                            out.entry(f.file.path.clone())
                                .or_default()
                                .insert(n.key.clone());
                        }
                    }
                }
                for (key, kind) in f.sql.created_objects() {
                    kinds.insert(key, kind);
                }
            }
        }
        out
    }

    /// The type an earlier migration of the same set declared for `table.column` (the last one
    /// before `path` in migration order), with the declaring file's path. `None` when `path` is
    /// not a migration of the files the order was built from.
    pub fn earlier_column_type(
        &self,
        path: &str,
        table: &str,
        column: &str,
    ) -> Option<(&'a str, &'a str)> {
        let &(set, pos) = self.at.get(path)?;
        let earlier = self.sets.get(set)?.get(..pos)?;
        earlier.iter().rev().find_map(|&i| {
            let f = self.files.get(i)?;
            f.sql
                .column_types
                .iter()
                .rev()
                .find(|c| c.table == table && c.column == column)
                .map(|c| (c.ty.as_str(), f.file.path.as_str()))
        })
    }
}

type OrderKey = (String, Vec<u64>, String);

/// The set of a repository's Django migrations (no folder is named this).
const DJANGO_SET: &str = "\0django";

/// The run order of one set given in path order (`revisions[r]` is the revision facts of the
/// file of path rank `r`): the ranks, earliest first. Kahn's algorithm over the edges parent →
/// child for parents named in the set, always taking the ready file earliest in path order;
/// when none is ready (a cycle), the earliest remaining file by path goes next.
fn chain_order(revisions: &[Option<&Revision>]) -> Vec<usize> {
    let n = revisions.len();
    let mut rank_of: HashMap<&str, usize> = HashMap::new();
    for (r, rev) in revisions.iter().enumerate() {
        if let Some(rev) = rev {
            // Two files claiming one name: the first by path is the one parents resolve to.
            rank_of.entry(rev.id.as_str()).or_insert(r);
        }
    }
    // A branch label names its revision when no revision id is spelled the same.
    for (r, rev) in revisions.iter().enumerate() {
        if let Some(rev) = rev {
            for label in &rev.labels {
                rank_of.entry(label.as_str()).or_insert(r);
            }
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting_on = vec![0usize; n];
    for (r, rev) in revisions.iter().enumerate() {
        let Some(rev) = rev else { continue };
        let mut parents: Vec<usize> = rev
            .parents
            .iter()
            .filter_map(|p| rank_of.get(p.as_str()).copied())
            .filter(|&p| p != r)
            .collect();
        parents.sort_unstable();
        parents.dedup();
        for p in parents {
            children[p].push(r);
            waiting_on[r] += 1;
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..n)
        .filter(|&r| waiting_on[r] == 0)
        .map(Reverse)
        .collect();
    let mut placed = vec![false; n];
    let mut out = Vec::with_capacity(n);
    let mut next_unplaced = 0;
    while out.len() < n {
        let r = match ready.pop() {
            Some(Reverse(r)) if placed[r] => continue,
            Some(Reverse(r)) => r,
            None => {
                // A cycle: nothing is ready; break it at the earliest file left.
                while placed[next_unplaced] {
                    next_unplaced += 1;
                }
                next_unplaced
            }
        };
        placed[r] = true;
        out.push(r);
        for &c in &children[r] {
            waiting_on[c] = waiting_on[c].saturating_sub(1);
            if waiting_on[c] == 0 && !placed[c] {
                ready.push(Reverse(c));
            }
        }
    }
    out
}

mod include;
mod recreate;
pub use include::apply_sql_files;
pub use recreate::mark_first_creations;

#[cfg(test)]
mod tests;
