//! What the host text around a command says: redirections, pipes, a trailing `&`, `|| true`, the lines just before it (read from the source text, with spans from the shell facts).

use super::*;

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

/// The rest of the command's line after its span (a trailing `< file` sits outside the command
/// node), up to the next command separator.
pub(super) fn after_on_line<'h>(host: &'h str, command: &Command) -> &'h str {
    let start = command.span.end().min(host.len());
    let rest = host.get(start..).unwrap_or("");
    let end = rest.find(['\n', ';', '|', '&']).unwrap_or(rest.len());
    &rest[..end]
}

/// `psql db < dump.sql`: the file redirected into standard input.
pub(super) fn redirected_from(host: &str, command: &Command) -> Option<String> {
    let rest = after_on_line(host, command);
    let at = rest.find('<')?;
    let tail = &rest[at + 1..];
    if tail.starts_with('<') || tail.starts_with('(') {
        return None;
    }
    let word = tail.split_whitespace().next()?;
    Some(word.trim_matches(|c| c == '"' || c == '\'').to_string())
}

/// A file a SQL client loads that may be a dump: not a schema, seed or migration file.
pub(super) fn dump_like(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    !["schema", "init", "seed", "migrat", "fixture", "structure"]
        .iter()
        .any(|w| lower.contains(w))
}

/// What follows a command in its list on its line, after its redirections and pipeline stages.
pub(super) enum Tail<'h> {
    /// Nothing that changes how it runs (`;`, `&&`, the line end).
    Plain,
    /// `cmd || handler`: the handler's text.
    Or(&'h str),
    /// `cmd &`: it runs in the background.
    Background,
}

pub(super) fn tail<'h>(host: &'h str, command: &Command) -> Tail<'h> {
    let start = command.span.end().min(host.len());
    let rest = host.get(start..).unwrap_or("");
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let bytes = line.as_bytes();
    let mut quote = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match (quote, c) {
            (None, b'\'' | b'"') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, b';') => return Tail::Plain,
            (None, b'&') if bytes.get(i + 1) == Some(&b'&') => return Tail::Plain,
            // `2>&1` and `&>` are redirections.
            (None, b'&') if (i == 0 || bytes[i - 1] != b'>') && bytes.get(i + 1) != Some(&b'>') => {
                return Tail::Background;
            }
            (None, b'|') if bytes.get(i + 1) == Some(&b'|') => {
                return Tail::Or(line.get(i + 2..).map_or("", str::trim));
            }
            _ => {}
        }
        i += 1;
    }
    Tail::Plain
}

/// Whether a command runs in the background (`pg_dump … > x.sql &`): what follows does not wait
/// for it.
pub fn backgrounded(command: &Command, host: &str) -> bool {
    matches!(tail(host, command), Tail::Background)
}

/// Whether a command's failure is explicitly ignored: `pg_dump … || true`, `|| echo "backup
/// failed"`, `|| :`. A handler that stops (`|| exit 1`, `|| { echo …; exit 1; }`, `|| return 1`,
/// `|| die "…"`, `|| false` under `set -e`) does not ignore it.
///
/// `exits(name)` says whether a function of the file called as the handler exits
/// (`|| fail_backup` where `fail_backup() { …; exit 1; }`).
pub fn failure_ignored(command: &Command, host: &str, exits: &dyn Fn(&str) -> bool) -> bool {
    let Tail::Or(handler) = tail(host, command) else {
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
pub(super) fn stdout_target(host: &str, command: &Command) -> Option<String> {
    let rest = after_on_line(host, command);
    let bytes = rest.as_bytes();
    let at = (0..bytes.len()).find(|&i| {
        bytes[i] == b'>'
            && (i == 0 || !bytes[i - 1].is_ascii_digit() || bytes[i - 1] == b'1')
            && (i == 0 || bytes[i - 1] != b'>')
    })?;
    let tail = rest[at..].trim_start_matches(['>', '|']);
    let word = tail.split_whitespace().next()?;
    Some(word.trim_matches(|c| c == '"' || c == '\'').to_string())
}

/// A dump written nowhere: `pg_dump shop > /dev/null`, `mysqldump -r /dev/null shop` (a
/// connectivity check, not a backup).
pub(super) fn dump_discarded(program: &str, words: &[&str], command: &Command, host: &str) -> bool {
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
    let target = file.or_else(|| stdout_target(host, command));
    target.is_some_and(|t| t == "/dev/null")
}

/// `gunzip -c dump.gz | psql`: the command reads a pipe fed by something that may carry a
/// dump. SQL written in the script (`echo "TRUNCATE …" | psql`, `cat <<EOF | psql`) or a schema,
/// seed or migration file (`cat schema.sql | psql`) is not a dump being loaded.
pub(super) fn piped_into(host: &str, command: &Command) -> bool {
    let end = command.span.start().min(host.len());
    let before = host.get(..end).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or(before);
    let mut trimmed = line.trim_end();
    // `… | docker compose exec -T db psql shop`: the command's span starts after the wrappers
    // the shell layer removed; the pipe feeds the wrapper.
    if !command.via.is_empty()
        && !trimmed.ends_with('|')
        && let Some(at) = trimmed.rfind('|')
        && !trimmed[at + 1..].contains([';', '&', '('])
    {
        trimmed = trimmed[..=at].trim_end();
    }
    let Some(left) = trimmed.strip_suffix('|') else {
        return false;
    };
    if left.ends_with('|') {
        return false;
    }
    // The pipe's left side: the text after the last command separator outside quotes.
    let mut quote = None;
    let mut start = 0;
    for (i, c) in left.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, '|' | ';' | '&' | '(' | '`') => start = i + 1,
            _ => {}
        }
    }
    let feeder = left.get(start..).unwrap_or(left).trim();
    if feeder.contains("<<") {
        return false;
    }
    let mut words = feeder
        .split_whitespace()
        .skip_while(|w| w.contains('=') && !w.starts_with('-'));
    match words.next().map(basename) {
        Some("echo" | "printf") => false,
        Some("cat") => words
            .filter(|w| !w.starts_with('-'))
            .all(|f| dump_like(f.trim_matches(|c| c == '"' || c == '\''))),
        _ => true,
    }
}
