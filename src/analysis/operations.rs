//! Framework operations: every command of the repository that the framework-commands table
//! says wipes a database or pushes a schema by dropping what differs, with *when* it runs.
//!
//! When a command runs comes from its host (a Dockerfile `CMD`, a release phase, a Compose
//! `command:`: [`ShellFacts::runs_when`](crate::model::command::ShellFacts::runs_when)) and,
//! across files, from the files a host starts: the script a Dockerfile's `ENTRYPOINT` runs takes
//! the entry point's moment; a file copied or mounted into `/docker-entrypoint-initdb.d` runs only
//! on an empty data directory.

use std::collections::BTreeMap;

use crate::analysis::paths::join_path;
use crate::config::FrameworkCommand;
use crate::knowledge::framework::FrameworkTable;
use crate::model::FileFacts;
use crate::model::command::{Command, RunsWhen};

/// Where a database image runs files once, on an empty data directory.
pub const INITDB_DIR: &str = "/docker-entrypoint-initdb.d";

/// One framework command found in a file.
#[derive(Clone, Debug)]
pub struct Operation<'a> {
    pub command: &'a Command,
    pub entry: FrameworkCommand,
    /// The command as run, wrappers removed (`npx prisma db push --accept-data-loss`).
    pub written: String,
    /// The flag or variable that switched the framework's own guard off.
    pub unguarded: Option<String>,
    pub when: RunsWhen,
    /// The host file that starts this file at `when` (for a related location), if another.
    pub started_by: Option<(String, crate::source::Span)>,
}

/// When each file of the repository runs as a whole, from the hosts that start it: file index →
/// (moment, host path, where the host names it).
pub fn entry_moments(
    files: &[FileFacts],
) -> BTreeMap<usize, (RunsWhen, String, crate::source::Span)> {
    let by_path: BTreeMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.file.path.as_str(), i))
        .collect();
    let mut out: BTreeMap<usize, (RunsWhen, String, crate::source::Span)> = BTreeMap::new();
    let mut set = |i: usize, when: &RunsWhen, host: &FileFacts, span| {
        let better = match out.get(&i) {
            None => true,
            Some((old, _, _)) => !old.every_time() && when.every_time(),
        };
        if better {
            out.insert(i, (when.clone(), host.file.path.clone(), span));
        }
    };
    for host in files {
        let dir = host.file.path.rsplit_once('/').map_or("", |(d, _)| d);
        for entry in &host.shell.entry_files {
            if entry.by_name {
                for (i, f) in files.iter().enumerate() {
                    let name = f.file.path.rsplit('/').next().unwrap_or("");
                    if name == entry.path && f.file.path != host.file.path {
                        set(i, &entry.when, host, entry.span);
                    }
                }
            } else if let Some(&i) = by_path.get(join_path(dir, &entry.path).as_str()) {
                set(i, &entry.when, host, entry.span);
            }
        }
        // Compose: a bind mount into `/docker-entrypoint-initdb.d` (a file or a directory).
        if let Some(compose) = &host.compose {
            for service in &compose.services {
                for mount in &service.mounts {
                    if !mount.target.starts_with(INITDB_DIR) || mount.source.is_empty() {
                        continue;
                    }
                    let source = join_path(dir, &mount.source);
                    for (i, f) in files.iter().enumerate() {
                        let p = f.file.path.as_str();
                        let inside = p == source
                            || p.strip_prefix(source.as_str())
                                .is_some_and(|r| r.starts_with('/'));
                        if inside {
                            set(i, &RunsWhen::FirstInit, host, mount.span);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Every framework operation of one file.
pub fn operations<'a>(
    file: &'a FileFacts,
    table: &FrameworkTable,
    moment: Option<&(RunsWhen, String, crate::source::Span)>,
) -> Vec<Operation<'a>> {
    let mut out = Vec::new();
    for command in &file.shell.commands {
        // Most commands run a program no entry names: no need to display their whole line.
        if !command
            .argv
            .first()
            .is_some_and(|w| table.may_match(&w.display()))
        {
            continue;
        }
        let Some(words) = literal_words(command) else {
            continue;
        };
        let env: Vec<String> = command
            .env
            .iter()
            .map(|(k, v)| format!("{k}={}", v.display()))
            .collect();
        let Some(found) = table.match_words(&words, &env) else {
            continue;
        };
        let own = file.shell.runs_when(command.span);
        let (when, started_by) = match (&own, moment) {
            (RunsWhen::Unknown, Some((when, host, span))) => {
                (when.clone(), Some((host.clone(), *span)))
            }
            _ => (own, None),
        };
        out.push(Operation {
            command,
            entry: found.entry.clone(),
            written: words.join(" "),
            unguarded: found.unguarded,
            when,
            started_by,
        });
    }
    out
}

/// The command's words, expansions as written (a framework command's own words are literal; a
/// variable elsewhere on the line must not hide it).
fn literal_words(command: &Command) -> Option<Vec<String>> {
    let words: Vec<String> = command.argv.iter().map(|w| w.display()).collect();
    (!words.is_empty()).then_some(words)
}
