//! Repository-relative paths: joining a directory and a path, and the directories a command may
//! run in (its file's directory, the checkout root for CI steps, after a `cd`).

use crate::model::FileFacts;
use crate::model::command::{Command, Dir, ShellOrigin};

/// Join a directory and a relative path, resolving `.` and `..` (absolute paths stay).
pub fn join_path(dir: &str, path: &str) -> String {
    if path.starts_with('/') || path.starts_with('~') {
        return path.trim_end_matches('/').to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The directory a file's shell starts in when nothing says otherwise (repo-relative).
pub fn base_dir(file: &FileFacts, command: &Command) -> String {
    let origin = file.shell.sources.get(command.source).map(|s| &s.origin);
    match origin {
        // CI steps run from the checkout: the repository root.
        Some(ShellOrigin::WorkflowStep { .. } | ShellOrigin::GitlabJob { .. }) => String::new(),
        _ => file
            .file
            .path
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string()),
    }
}

/// Candidate repo-relative directories a command runs in, most likely first. Empty when the
/// command runs somewhere the repository does not describe (`ssh`, an absolute `cd`).
pub fn cwd_candidates(file: &FileFacts, command: &Command) -> Vec<String> {
    let base = base_dir(file, command);
    let mut out = match &command.cwd {
        Dir::Invocation => vec![base, String::new()],
        Dir::ScriptDir(p) => vec![join_path(&base, p)],
        Dir::Relative(p) => vec![join_path(&base, p), join_path("", p)],
        Dir::Absolute(_) | Dir::Unknown => Vec::new(),
    };
    out.dedup();
    out
}
