//! The SQL files a database client runs: `psql -f reset.sql`, `mysql shop < reset.sql`,
//! `cat reset.sql | psql`, and `\i` / `\ir` / `source` / `.read` lines in the SQL it is given
//! (`-c`, `-e`, a heredoc). Paths as written; the caller resolves them against the repository.

use super::*;
use crate::model::FileFacts;
use crate::model::schema::{ObjectKind, SchemaOp};

/// Clients that read SQL from a file, standard input or their own include commands.
const SQL_CLIENTS: &[&str] = &["psql", "mysql", "mariadb", "sqlite3"];

/// How a client is given a SQL file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlFileVia {
    /// `psql -f f.sql`.
    Argument,
    /// `mysql shop < f.sql`.
    Stdin,
    /// `cat f.sql | psql`.
    Pipe,
    /// `\\i f.sql`, `source f.sql`, `.read f.sql` in the SQL it runs.
    Include,
}

/// The SQL files `command` runs, as written (expansions as written), in order, without repeats.
pub fn sql_files_run(command: &Command) -> Vec<(String, SqlFileVia)> {
    let argv = inner_argv(command);
    let Some(program) = argv.first().map(|p| basename(p)) else {
        return Vec::new();
    };
    if !SQL_CLIENTS.contains(&program) {
        return Vec::new();
    }
    let words: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let mut out: Vec<(String, SqlFileVia)> = Vec::new();
    // `-f` is psql's file; for mysql it is `--force`.
    if program == "psql"
        && let Some(f) = file_arg(&words)
    {
        out.push((f, SqlFileVia::Argument));
    }
    if let Some(f) = redirected_from(command) {
        out.push((f, SqlFileVia::Stdin));
    }
    if let Some(feeder) = &command.piped_from
        && !feeder.heredoc
        && feeder.argv.first().map(|p| basename(p)) == Some("cat")
    {
        out.extend(
            feeder
                .argv
                .iter()
                .skip(1)
                .filter(|w| !w.starts_with('-'))
                .map(|w| (w.clone(), SqlFileVia::Pipe)),
        );
    }
    let mut text = sql_text(&words, command);
    // `sqlite3 db ".read f.sql"`: dot-commands as arguments.
    if program == "sqlite3" {
        for w in &words {
            text.push_str(w);
            text.push('\n');
        }
    }
    for line in text.lines() {
        if let Some(f) = include_of(line.trim()) {
            out.push((f, SqlFileVia::Include));
        }
    }
    let mut seen: Vec<String> = Vec::new();
    let mut files = Vec::new();
    for (f, via) in out {
        let f = f.trim_matches(|c| c == '"' || c == '\'');
        if f.is_empty() || f.starts_with('-') || seen.iter().any(|s| s == f) {
            continue;
        }
        seen.push(f.to_string());
        files.push((f.to_string(), via));
    }
    files
}

/// The file an include line names: psql `\i f`, `\ir f`, `\include f`, `\include_relative f`;
/// mysql `source f`, `\. f`; sqlite `.read f`.
fn include_of(line: &str) -> Option<String> {
    let mut parts = line.splitn(2, char::is_whitespace);
    let verb = parts.next()?;
    let rest = parts.next()?.trim();
    let is_include = matches!(
        verb,
        "\\i" | "\\ir" | "\\include" | "\\include_relative" | "\\." | ".read"
    ) || verb.eq_ignore_ascii_case("source");
    if !is_include {
        return None;
    }
    let file = rest.trim_end_matches(';').trim();
    let file = file.trim_matches(|c| c == '"' || c == '\'');
    (!file.is_empty() && !file.contains(char::is_whitespace)).then(|| file.to_string())
}

/// [`classify`] with the repository at hand: a client's "load" (`psql -f reset.sql`, `mysql
/// shop < drop.sql`) of SQL files of the repository that are not dumps (no dump header) runs a
/// script of statements, not a restore; a drop of the database when the files drop one.
pub fn classify_in(
    files: &[FileFacts],
    by_path: &std::collections::BTreeMap<&str, usize>,
    host: &FileFacts,
    command: &Command,
    functions: &[String],
    catalog: &Catalog,
) -> Option<Step> {
    let step = classify(command, &host.file.text, functions, catalog)?;
    if step.kind != StepKind::Load {
        return Some(step);
    }
    let runs = sql_files_run(command);
    let scripts: Option<Vec<&FileFacts>> = runs
        .iter()
        .map(|(written, _)| {
            let paths = crate::analysis::targets::host_paths_of_text(host, command, written);
            let i = paths.iter().find_map(|p| by_path.get(p.as_str()))?;
            Some(&files[*i]).filter(|f| !f.sql.dump)
        })
        .collect();
    match scripts {
        Some(scripts) if !scripts.is_empty() => {
            let drops = scripts.iter().flat_map(|f| &f.sql.statements).any(|s| {
                !s.scratch
                    && matches!(
                        &s.kind,
                        SchemaOp::Drop {
                            object: ObjectKind::Database | ObjectKind::Schema,
                            ..
                        }
                    )
            });
            drops.then_some(Step {
                kind: StepKind::Drop,
                label: step.label,
            })
        }
        _ => Some(step),
    }
}
