//! systemd units as shell: the command lines of `ExecStart=`, `ExecStartPre=`, `ExecStartPost=`,
//! `ExecStop=`, `ExecStopPost=`, `ExecReload=` and `ExecCondition=`, with their `-`/`@`/`:`/`+`/`!`
//! prefixes removed. systemd splits words itself, close enough to the shell for these facts.
//! Line-based: unit files are one setting per line (continuations are joined). Never decides a
//! finding.

use super::FileFacts;
use super::shell::ShellOrigin;
use crate::source::OffsetMap;

const EXEC_KEYS: &[&str] = &[
    "ExecStart",
    "ExecStartPre",
    "ExecStartPost",
    "ExecStop",
    "ExecStopPost",
    "ExecReload",
    "ExecCondition",
];

/// Extract the commands of a unit's `Exec*=` settings.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start_matches([' ', '\t']);
        let Some((key, value)) = trimmed.split_once('=') else {
            continue;
        };
        if !EXEC_KEYS.contains(&key.trim()) {
            continue;
        }
        let command = value.trim_start_matches([' ', '\t', '-', '@', ':', '+', '!']);
        if command.trim().is_empty() {
            continue;
        }
        let host = start + (line.len() - command.len());
        facts.shell.add_source(
            command,
            &OffsetMap::verbatim(host, command.len()),
            ShellOrigin::Script,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::source::SourceFile;

    #[test]
    fn exec_lines_become_commands() {
        let text = "[Service]\nWorkingDirectory=/srv/app\nExecStartPre=-/usr/bin/docker compose down -v\nExecStart=/usr/bin/docker compose up\nDescription=docker volume prune\n";
        let f = FileFacts::extract(
            SourceFile::new("deploy/app.service", text),
            FileKind::Systemd,
            Context::Production,
        );
        let spans: Vec<&str> = f
            .shell
            .commands
            .iter()
            .map(|c| &text[c.span.start()..c.span.end()])
            .collect();
        assert_eq!(
            spans,
            [
                "/usr/bin/docker compose down -v",
                "/usr/bin/docker compose up"
            ]
        );
    }
}
