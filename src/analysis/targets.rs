//! What a shell command acts on, across files: the Compose project of a `docker compose` command
//! (from `-f`/`-p`/`--project-directory`, `COMPOSE_FILE`/`COMPOSE_PROJECT_NAME`, `cd` in the
//! script, the script's directory and the repository root) and the repo-relative host path of a
//! path argument. Joins shell facts with [`RepoFacts`]; reports nothing.

use crate::analysis::paths::{base_dir, cwd_candidates, join_path};
use crate::analysis::repo::{ComposeProject, RepoFacts, normalise_project_name};
use crate::frontends::shell::is_script_dir;
use crate::knowledge::docker::DockerCall;
use crate::levels::{Context, path_context};
use crate::model::FileFacts;
use crate::model::command::{Command, Piece, Word};

/// The value of an environment variable for a command: its own `VAR=x` prefix, else the last
/// assignment of the variable in the same file before the command.
pub fn env_value(file: &FileFacts, command: &Command, name: &str) -> Option<String> {
    if let Some((_, w)) = command.env.iter().rev().find(|(n, _)| n == name) {
        return w.literal();
    }
    file.shell
        .assignments
        .iter()
        .rfind(|a| a.name == name && a.name_span.start() < command.span.start())
        .and_then(|a| a.value.literal())
}

/// The Compose project a compose command acts on, when the repository defines it.
pub fn compose_project(
    repo: &RepoFacts,
    files: &[FileFacts],
    file: &FileFacts,
    call: &DockerCall,
) -> Option<ComposeProject> {
    let command = call.command;
    let mut compose_files = call.compose_files();
    if compose_files.is_empty()
        && let Some(list) = env_value(file, command, "COMPOSE_FILE")
    {
        compose_files = list
            .split([':', ','])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
    }
    let project = call
        .compose_project()
        .or_else(|| env_value(file, command, "COMPOSE_PROJECT_NAME"));
    let project_dir = call.compose_project_dir();
    // A `-f`/`-p` value that is still an expansion cannot be resolved.
    if compose_files.iter().any(|f| f.contains('$'))
        || project.as_deref().is_some_and(|p| p.contains('$'))
    {
        return None;
    }
    for cwd in cwd_candidates(file, command) {
        if let Some(p) = repo.project_for(
            files,
            &cwd,
            &compose_files,
            project.as_deref(),
            project_dir.as_deref(),
        ) {
            return Some(p);
        }
    }
    // Run from elsewhere but named: a project of the repository with that name.
    let wanted = normalise_project_name(project.as_deref()?);
    repo.projects
        .iter()
        .find(|p| p.name.as_deref() == Some(wanted.as_str()))
        .cloned()
}

/// The Compose project names a file runs its compose commands under (`-p x`,
/// `COMPOSE_PROJECT_NAME=x`), normalised the way compose normalises them.
pub fn project_names_used(file: &FileFacts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |name: Option<String>| {
        if let Some(n) = name
            && !n.contains('$')
        {
            let n = normalise_project_name(&n);
            if !n.is_empty() && !out.contains(&n) {
                out.push(n);
            }
        }
    };
    for command in &file.shell.commands {
        if let Some(call) = crate::knowledge::docker::docker(command)
            && call.compose.is_some()
        {
            add(call
                .compose_project()
                .or_else(|| env_value(file, command, "COMPOSE_PROJECT_NAME")));
        }
    }
    for a in &file.shell.assignments {
        if a.name == "COMPOSE_PROJECT_NAME" {
            add(a.value.literal());
        }
    }
    out
}

/// The context of the Compose project a compose command acts on, when it is a test or local
/// one: the resolved project's base file, else the files named with `-f` (all of them test or
/// local by name, such as `docker-compose.test.yml`). A production Makefile tearing down the
/// test stack it brought up is test code.
pub fn compose_target_context(
    repo: &RepoFacts,
    files: &[FileFacts],
    call: &DockerCall,
    project: Option<&ComposeProject>,
) -> Option<Context> {
    let context = match project {
        Some(p) => repo.context_of(p, files),
        None => {
            let named = call.compose_files();
            let first = path_context(named.first()?);
            if named
                .iter()
                .any(|f| f.contains('$') || path_context(f) != first)
            {
                return None;
            }
            first
        }
    };
    matches!(context, Context::Test | Context::Local).then_some(context)
}

/// An expansion that stands for the current directory.
fn is_cwd_expansion(text: &str) -> bool {
    matches!(
        text,
        "$PWD" | "${PWD}" | "$(pwd)" | "`pwd`" | "$(pwd -P)" | "$(pwd -L)"
    )
}

/// A path argument as a repo-relative (or absolute) path, when its value is known.
pub fn host_path(file: &FileFacts, command: &Command, word: &Word) -> Option<String> {
    host_paths(file, command, word).into_iter().next()
}

/// The repo-relative (or absolute) paths a path argument can stand for, most likely first: a
/// relative path of a script that does not `cd` is read from the script's directory, then from
/// the repository root (where a `scripts/wipe.sh` that names `data/mysql` is run from).
pub fn host_paths(file: &FileFacts, command: &Command, word: &Word) -> Vec<String> {
    let Some(text) = path_text(word) else {
        return Vec::new();
    };
    if text.starts_with('/') {
        return vec![text];
    }
    if text.starts_with('~') {
        return Vec::new();
    }
    if let Some(rest) = text.strip_prefix(SCRIPT_DIR_MARK) {
        return vec![join_path(&base_dir(file, command), rest)];
    }
    cwd_candidates(file, command)
        .into_iter()
        .map(|cwd| join_path(&cwd, &text))
        .collect()
}

/// [`host_paths`] for a path known only as text (a redirection's file, a `\\i` line): a leading
/// expansion (`$(dirname "$0")/`, `$SCRIPT_DIR/`, `$PWD/`) is read as one, the rest as literal.
pub fn host_paths_of_text(file: &FileFacts, command: &Command, text: &str) -> Vec<String> {
    let pieces = match text.strip_prefix('$') {
        Some(rest) => {
            // The expansion ends before `/`: after the `)` of `$(…)/`, else at the first `/`
            // (offsets in `text`, one past the `$`).
            let end = if rest.starts_with('(') {
                rest.find(")/").map(|i| i + 2)
            } else {
                rest.find('/').map(|i| i + 1)
            };
            match end {
                Some(end) if text.is_char_boundary(end) => vec![
                    Piece::Expansion(text[..end].to_string()),
                    Piece::Lit(text[end..].to_string()),
                ],
                _ => return Vec::new(),
            }
        }
        None => vec![Piece::Lit(text.to_string())],
    };
    let word = Word {
        span: command.span,
        pieces,
    };
    host_paths(file, command, &word)
}

/// Stands for the script's own directory in [`path_text`]'s result.
const SCRIPT_DIR_MARK: &str = "\0script-dir/";

/// The text of a path argument: literal, `./…` for `$PWD/…`, [`SCRIPT_DIR_MARK`] for
/// `$(dirname "$0")/…`.
fn path_text(word: &Word) -> Option<String> {
    let text = match word.pieces.split_first() {
        // `$PWD/data`, `${PWD}/data`, `$(pwd)/data`: the directory the command runs in.
        Some((Piece::Expansion(first), rest)) if is_cwd_expansion(first) => {
            let rest = Word {
                span: word.span,
                pieces: rest.to_vec(),
            };
            format!(".{}", rest.literal()?)
        }
        // `"$(dirname "$0")/data"`, `$SCRIPT_DIR/data`: the script's own directory.
        Some((Piece::Expansion(first), rest)) if is_script_dir(first) => {
            let rest = Word {
                span: word.span,
                pieces: rest.to_vec(),
            };
            format!(
                "{SCRIPT_DIR_MARK}{}",
                rest.literal()?.trim_start_matches('/')
            )
        }
        _ => word.literal()?,
    };
    Some(text)
}
