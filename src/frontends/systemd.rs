//! systemd units as shell: the command lines of `ExecStart=`, `ExecStartPre=`, `ExecStartPost=`,
//! `ExecStop=`, `ExecStopPost=`, `ExecReload=` and `ExecCondition=`, with their `-`/`@`/`:`/`+`/`!`
//! prefixes removed. systemd splits words itself, close enough to the shell for these facts.
//! Line-based: unit files are one setting per line (continuations are joined). Never decides a
//! finding.

use crate::model::FileFacts;
use crate::model::command::ShellOrigin;
use crate::model::secret::Origin;
use crate::model::store::{EnvEntry, Spanned};
use crate::source::{OffsetMap, Span};

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
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut at = 0;
    let mut k = 0;
    let mut environment = Vec::new();
    while k < lines.len() {
        let raw = lines[k];
        let start = at;
        at += raw.len();
        k += 1;
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start_matches([' ', '\t']);
        let Some((key, value)) = trimmed.split_once('=') else {
            continue;
        };
        if key.trim() == "Environment" {
            let value_at = start + (line.len() - trimmed.len()) + key.len() + 1;
            environment.extend(env_assignments(value, value_at));
            continue;
        }
        if !EXEC_KEYS.contains(&key.trim()) {
            continue;
        }
        let first = value.trim_start_matches([' ', '\t', '-', '@', ':', '+', '!']);
        if first.trim().is_empty() {
            continue;
        }
        // A `\` at the end of a line continues the setting on the next one: join the pieces,
        // each mapped to where it stands in the unit.
        let mut command = String::new();
        let mut map = OffsetMap::default();
        let mut host = start + (line.len() - first.len());
        let mut piece = first;
        loop {
            let (body, continued) = match piece.trim_end().strip_suffix('\\') {
                Some(body) => (body, true),
                None => (piece, false),
            };
            map.push(command.len(), host, body.len());
            command.push_str(body);
            if !continued || k >= lines.len() {
                break;
            }
            command.push(' ');
            let next = lines[k];
            host = at;
            at += next.len();
            k += 1;
            piece = next.trim_end_matches(['\n', '\r']);
        }
        facts.shell.add_source(&command, &map, ShellOrigin::Script);
    }
    // `Environment=PGPASSWORD=…`: a password variable set for the unit's commands.
    crate::frontends::secrets::from_env_entries(facts, &environment, &Origin::ShellAssignment);
}

/// The assignments of one `Environment=` value (`A=1 "B=two words" 'C=3'`), starting at host
/// offset `at`.
fn env_assignments(value: &str, at: usize) -> Vec<EnvEntry> {
    let mut out = Vec::new();
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let (word_start, word_end, next) = match bytes[i] {
            quote @ (b'"' | b'\'') => {
                let close = value[i + 1..]
                    .find(char::from(quote))
                    .map_or(value.len(), |c| i + 1 + c);
                (i + 1, close, close + 1)
            }
            _ => {
                let end = value[i..]
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or(value.len(), |c| i + c);
                (i, end, end)
            }
        };
        let word = &value[word_start..word_end];
        if let Some((name, val)) = word.split_once('=') {
            let name_at = at + word_start;
            let value_at = name_at + name.len() + 1;
            out.push(EnvEntry {
                key: Spanned {
                    value: name.to_string(),
                    span: Span::new(name_at, name_at + name.len()),
                },
                value: Some(Spanned {
                    value: val.to_string(),
                    span: Span::new(value_at, value_at + val.len()),
                }),
                map: OffsetMap::verbatim(value_at, val.len()),
            });
        }
        i = next;
    }
    out
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

    #[test]
    fn environment_passwords_are_credentials() {
        let text = "[Service]\nEnvironment=PGPASSWORD=s3cret-one\nEnvironment=\"DB_PASSWORD=two words\" \"OTHER=x\"\nExecStart=/usr/bin/dropdb prod\n";
        let f = FileFacts::extract(
            SourceFile::new("deploy/reset.service", text),
            FileKind::Systemd,
            Context::Production,
        );
        let masked: Vec<&str> = f
            .secrets
            .iter()
            .map(|s| &text[s.start()..s.end()])
            .collect();
        assert_eq!(masked, ["s3cret-one", "two words"]);
    }

    #[test]
    fn continuation_lines_are_joined() {
        let text = "[Service]\nExecStart=/usr/bin/pg_dump \\\n  -f /b/x.sql shop\n";
        let f = FileFacts::extract(
            SourceFile::new("ops/backup.service", text),
            FileKind::Systemd,
            Context::Production,
        );
        let argv: Vec<String> = f.shell.commands[0]
            .argv
            .iter()
            .map(|w| w.display())
            .collect();
        assert_eq!(argv, ["/usr/bin/pg_dump", "-f", "/b/x.sql", "shop"]);
        let last = &f.shell.commands[0].argv[3];
        assert_eq!(&text[last.span.start()..last.span.end()], "shop");
    }
}
