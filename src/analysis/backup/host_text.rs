//! What surrounds a command, as the shell front-end recorded it from the syntax tree: its
//! redirections, the pipeline stage feeding it, what follows it (`&`, `|| true`); and the text
//! just before it (a heuristic window for comments such as `# migrate`).

use super::*;
use crate::model::command::After;

pub(super) fn in_loop(command: &Command) -> bool {
    command.scopes.iter().any(|s| matches!(s, Scope::Loop))
}

/// Up to `n` bytes of host text before the command, lowercased.
pub(super) fn preceding(host: &str, command: &Command, n: usize) -> String {
    let end = command.span.start().min(host.len());
    let mut start = end.saturating_sub(n);
    while start > 0 && !host.is_char_boundary(start) {
        start -= 1;
    }
    host.get(start..end).unwrap_or("").to_ascii_lowercase()
}

/// The `-f FILE` / `--file=FILE` argument of a SQL client.
pub(super) fn file_arg(words: &[&str]) -> Option<String> {
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if *w == "-f" || *w == "--file" {
            return it.next().map(|s| s.to_string());
        }
        if let Some(v) = w.strip_prefix("--file=") {
            return Some(v.to_string());
        }
        if let Some(v) = w.strip_prefix("-f")
            && !v.is_empty()
        {
            return Some(v.to_string());
        }
    }
    None
}

/// `psql db < dump.sql`: the file redirected into standard input.
pub(super) fn redirected_from(command: &Command) -> Option<String> {
    command
        .redirects
        .iter()
        .find_map(|r| r.stdin_file())
        .map(str::to_string)
}

/// A file a SQL client loads that may be a dump: not a schema, seed or migration file.
pub(super) fn dump_like(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    !["schema", "init", "seed", "migrat", "fixture", "structure"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Whether a command runs in the background (`pg_dump … > x.sql &`): what follows does not wait
/// for it.
pub fn backgrounded(command: &Command) -> bool {
    command.after == After::Background
}

/// Whether a command's failure is explicitly ignored: `pg_dump … || true`, `|| echo "backup
/// failed"`, `|| :`. A handler that stops (`|| exit 1`, `|| { echo …; exit 1; }`, `|| return 1`,
/// `|| die "…"`, `|| false` under `set -e`) does not ignore it.
///
/// `exits(name)` says whether a function of the file called as the handler exits
/// (`|| fail_backup` where `fail_backup() { …; exit 1; }`).
pub fn failure_ignored(command: &Command, exits: &dyn Fn(&str) -> bool) -> bool {
    let After::Or { handler } = &command.after else {
        return false;
    };
    let first = handler
        .trim_start_matches(['{', '(', ' '])
        .split_whitespace()
        .next()
        .unwrap_or("");
    let stops = handler
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(|w| matches!(w, "exit" | "return"))
        || matches!(
            first,
            "false" | "die" | "fail" | "fatal" | "abort" | "error" | "panic" | "err" | "bail"
        )
        || exits(first);
    !stops
}

/// Where the command's standard output goes when it is redirected to a file (`> f`, `>> f`,
/// `&> f`), as written.
pub(super) fn stdout_target(command: &Command) -> Option<String> {
    command
        .redirects
        .iter()
        .find_map(|r| r.stdout_file())
        .map(str::to_string)
}

/// A dump written nowhere: `pg_dump shop > /dev/null`, `mysqldump -r /dev/null shop` (a
/// connectivity check, not a backup).
pub(super) fn dump_discarded(program: &str, words: &[&str], command: &Command) -> bool {
    if !matches!(
        program,
        "pg_dump" | "pg_dumpall" | "mysqldump" | "mariadb-dump" | "mysqlpump"
    ) {
        return false;
    }
    let mut file = None;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if matches!(*w, "-f" | "--file" | "-r" | "--result-file") {
            file = it.next().map(|s| s.to_string());
        } else if let Some(v) = w
            .strip_prefix("--file=")
            .or_else(|| w.strip_prefix("--result-file="))
        {
            file = Some(v.to_string());
        }
    }
    let target = file.or_else(|| stdout_target(command));
    target.is_some_and(|t| t == "/dev/null")
}

/// `gunzip -c dump.gz | psql`: the command reads a pipe fed by something that may carry a
/// dump. SQL written in the script (`echo "TRUNCATE …" | psql`, `cat <<EOF | psql`) or a schema,
/// seed or migration file (`cat schema.sql | psql`) is not a dump being loaded.
pub(super) fn piped_into(command: &Command) -> bool {
    let Some(feeder) = &command.piped_from else {
        return false;
    };
    if feeder.heredoc {
        return false;
    }
    let mut words = feeder.argv.iter().map(String::as_str);
    match words.next().map(basename) {
        Some("echo" | "printf") => false,
        Some("cat") => words
            .filter(|w| !w.starts_with('-'))
            .all(|f| dump_like(f.trim_matches(|c| c == '"' || c == '\''))),
        _ => true,
    }
}
