//! SQL files that only ever run against a database created just before them: `createdb app;
//! psql app -f schema.sql` makes `app` empty, so the `DROP TABLE IF EXISTS` lines of
//! `schema.sql` have nothing to drop. A file counts only when every command of the repository
//! that runs it creates its database first, in the same run.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::model::FileFacts;

/// Repository paths of the SQL files that every runner loads into a database it created first
/// (at least one runner, none unknown).
pub fn sql_files_on_fresh_database(files: &[FileFacts]) -> BTreeSet<String> {
    let sql: BTreeSet<&str> = files
        .iter()
        .filter(|f| f.kind == crate::classify::FileKind::Sql)
        .map(|f| f.file.path.as_str())
        .collect();
    if sql.is_empty() {
        return BTreeSet::new();
    }
    // Path → whether every runner seen so far created the database first.
    let mut fresh: BTreeMap<String, bool> = BTreeMap::new();
    for file in files {
        let dir = file
            .file
            .path
            .rsplit_once('/')
            .map_or("", |(d, _)| d)
            .to_string();
        // The databases the file's commands create, by command index: computed once per file
        // that loads any SQL file (a script of 100 `psql -f` lines asked every earlier command
        // again for each of them).
        let mut created: Option<Vec<(usize, String)>> = None;
        for (at, command) in file.shell.commands.iter().enumerate() {
            let argv = inner_argv(command);
            let Some(program) = argv.first().map(|p| basename(p).to_string()) else {
                continue;
            };
            if !matches!(program.as_str(), "psql" | "mysql" | "mariadb") {
                continue;
            }
            let words: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
            let Some(loaded) = file_arg(&words).or_else(|| redirected_from(command)) else {
                continue;
            };
            let loaded = loaded.trim_matches(['"', '\'']);
            let loaded = loaded.strip_prefix("./").unwrap_or(loaded);
            let candidates = [
                crate::model::command::normalize(&format!("{dir}/{loaded}")),
                crate::model::command::normalize(loaded),
            ];
            let Some(path) = candidates.iter().find(|c| sql.contains(c.as_str())) else {
                continue;
            };
            let made = created.get_or_insert_with(|| {
                file.shell
                    .commands
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| created_database(c).map(|n| (i, n)))
                    .collect()
            });
            let created_first = !made.is_empty()
                && database_name(command).is_some_and(|db| {
                    let earlier = crate::analysis::runs::earlier_in_same_run(file, at);
                    made.iter().any(|(i, name)| {
                        *name == db
                            && earlier
                                .iter()
                                .any(|c| std::ptr::eq(*c, &file.shell.commands[*i]))
                    })
                });
            let entry = fresh.entry(path.clone()).or_insert(true);
            *entry &= created_first;
        }
    }
    fresh
        .into_iter()
        .filter_map(|(path, all)| all.then_some(path))
        .collect()
}
