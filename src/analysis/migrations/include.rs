//! Liquibase's own order and SQL files across the repository: a master changelog's
//! `include`/`includeAll` put its changelogs in a set in that order (a nested master's changelogs
//! at its place), and a changeset's `sqlFile` gives that SQL file the changeset's direction.
//!
//! Paths: with `relativeToChangelogFile` they are relative to the including file's folder; else
//! they are classpath paths (`db/changelog/changes/001.xml`), tried relative to that folder, then
//! as a repository path, then as the end of a path (`src/main/resources/` + path).

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use crate::levels::Context;
use crate::model::FileFacts;
use crate::model::schema::ChangeDirection;

/// Nested masters deeper than this are not expanded.
const MAX_DEPTH: usize = 32;

/// `path` resolved from the file at `from`; `dir`: the path names a folder (`includeAll`).
fn resolve<'a>(
    paths: &[&'a str],
    from: &str,
    path: &str,
    relative: bool,
    dir: bool,
) -> Vec<&'a str> {
    let path = path
        .trim_start_matches("classpath:")
        .trim_start_matches("classpath*:");
    let folder = from.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = normalise(&format!("{folder}/{path}"));
    let mut tries = vec![joined];
    if !relative {
        let bare = normalise(path);
        tries.push(bare.clone());
        tries.push(format!("/{bare}"));
    }
    // `want` is a path, or `/tail`: the end of a path.
    let matches = |p: &str, want: &str| {
        let (tail, anywhere) = match want.strip_prefix('/') {
            Some(t) => (t, true),
            None => (want, false),
        };
        let tail = tail.trim_end_matches('/');
        if tail.is_empty() {
            return false;
        }
        let hit = |q: &str| {
            if dir {
                q.starts_with(&format!("{tail}/"))
            } else {
                q == tail
            }
        };
        hit(p) || (anywhere && p.match_indices('/').any(|(i, _)| hit(&p[i + 1..])))
    };
    for want in &tries {
        let found: Vec<&str> = paths.iter().copied().filter(|p| matches(p, want)).collect();
        if !found.is_empty() {
            if dir || found.len() == 1 {
                return found;
            }
            // Several files end so: the one sharing the longest prefix with the includer.
            let shared = |p: &str| {
                p.chars()
                    .zip(from.chars())
                    .take_while(|(a, b)| a == b)
                    .count()
            };
            let best = found
                .iter()
                .copied()
                .max_by_key(|p| (shared(p), Reverse(*p)));
            return best.into_iter().collect();
        }
    }
    Vec::new()
}

/// `a/./b/../c` → `a/c`, without a leading `/`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The Liquibase sets: for each master changelog no other file includes (by path), its file
/// then its included changelogs in include order, expanded depth first (a file once only).
pub(super) fn liquibase_sets(files: &[FileFacts]) -> Vec<Vec<usize>> {
    let migrations: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].sql.migration.is_some())
        .collect();
    let paths: Vec<&str> = migrations
        .iter()
        .map(|&i| files[i].file.path.as_str())
        .collect();
    let index: HashMap<&str, usize> = migrations
        .iter()
        .map(|&i| (files[i].file.path.as_str(), i))
        .collect();
    // Each master's children, resolved, in order.
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    for &i in &migrations {
        let Some(m) = files[i].sql.migration.as_ref() else {
            continue;
        };
        if m.includes.is_empty() {
            continue;
        }
        let from = files[i].file.path.as_str();
        let mut kids = Vec::new();
        for inc in &m.includes {
            let mut found = resolve(&paths, from, &inc.path, inc.relative, inc.all);
            found.sort_unstable();
            kids.extend(
                found
                    .into_iter()
                    .filter_map(|p| index.get(p).copied())
                    .filter(|&k| k != i),
            );
        }
        children.insert(i, kids);
    }
    let included: HashSet<usize> = children.values().flatten().copied().collect();
    let mut roots: Vec<usize> = children
        .keys()
        .copied()
        .filter(|r| !included.contains(r))
        .collect();
    roots.sort_by_key(|&r| files[r].file.path.as_str());
    let mut placed: HashSet<usize> = HashSet::new();
    let mut sets = Vec::new();
    for root in roots {
        let mut set = Vec::new();
        expand(root, &children, &mut placed, &mut set, 0);
        if set.len() > 1 {
            sets.push(set);
        }
    }
    sets
}

fn expand(
    at: usize,
    children: &HashMap<usize, Vec<usize>>,
    placed: &mut HashSet<usize>,
    out: &mut Vec<usize>,
    depth: usize,
) {
    if depth > MAX_DEPTH || !placed.insert(at) {
        return;
    }
    out.push(at);
    for &c in children.get(&at).map(Vec::as_slice).unwrap_or_default() {
        expand(c, children, placed, out, depth + 1);
    }
}

/// Give each SQL file a Liquibase changeset runs (`sqlFile`) the changeset's direction: its
/// statements run up (an up-migration) when any changeset runs it outside `<rollback>`, else
/// only on rollback (a down-migration). Files that are migrations of their own are left alone.
pub fn apply_sql_files(files: &mut [FileFacts]) {
    let refs: Vec<(usize, &str, &str, bool, bool)> = files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((i, f, f.sql.migration.as_ref()?)))
        .flat_map(|(i, f, m)| {
            m.sql_files
                .iter()
                .map(move |r| (i, f.file.path.as_str(), r.path.as_str(), r.relative, r.down))
        })
        .collect();
    if refs.is_empty() {
        return;
    }
    let paths: Vec<&str> = files.iter().map(|f| f.file.path.as_str()).collect();
    let index: HashMap<&str, usize> = paths.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    // Target → runs up (true) or only on rollback (false).
    let mut up: HashMap<usize, bool> = HashMap::new();
    for (i, from, path, relative, down) in refs {
        for p in resolve(&paths, from, path, relative, false) {
            if let Some(&t) = index.get(p)
                && t != i
            {
                *up.entry(t).or_insert(false) |= !down;
            }
        }
    }
    for (t, runs_up) in up {
        let Some(f) = files.get_mut(t) else { continue };
        if f.sql.migration.is_some() {
            continue;
        }
        let direction = if runs_up {
            ChangeDirection::Up
        } else {
            ChangeDirection::Down
        };
        for s in &mut f.sql.statements {
            if s.direction == ChangeDirection::NotMigration {
                s.direction = direction;
            }
        }
        if !runs_up && f.context == Context::Production {
            f.context = Context::DownMigration;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{normalise, resolve};

    const PATHS: &[&str] = &[
        "app/src/main/resources/db/changelog/master.xml",
        "app/src/main/resources/db/changelog/changes/001.xml",
        "app/src/main/resources/db/changelog/later/b.yaml",
        "app/src/main/resources/db/changelog/later/a.yaml",
        "other/db/changelog/changes/001.xml",
    ];
    const MASTER: &str = "app/src/main/resources/db/changelog/master.xml";

    #[test]
    fn paths_resolve_relative_classpath_and_folders() {
        assert_eq!(normalise("a/./b/../c/"), "a/c");
        // Relative to the master's folder.
        assert_eq!(
            resolve(PATHS, MASTER, "changes/001.xml", true, false),
            vec!["app/src/main/resources/db/changelog/changes/001.xml"]
        );
        // A classpath path: the end of a path, the one nearest the master when two match.
        assert_eq!(
            resolve(
                PATHS,
                MASTER,
                "classpath:db/changelog/changes/001.xml",
                false,
                false
            ),
            vec!["app/src/main/resources/db/changelog/changes/001.xml"]
        );
        // Relative only: a classpath spelling does not resolve.
        assert!(resolve(PATHS, MASTER, "db/changelog/changes/001.xml", true, false).is_empty());
        // includeAll: every file under the folder.
        let mut all = resolve(PATHS, MASTER, "db/changelog/later/", false, true);
        all.sort_unstable();
        assert_eq!(
            all,
            vec![
                "app/src/main/resources/db/changelog/later/a.yaml",
                "app/src/main/resources/db/changelog/later/b.yaml"
            ]
        );
        assert!(resolve(PATHS, MASTER, "missing.xml", false, false).is_empty());
    }
}
