//! Crontab entries as shell: `m h dom mon dow command` (five time fields or an `@reboot`-style
//! nickname), with a user field in system crontabs (`/etc/crontab`, `cron.d/`). Variable lines
//! (`MAILTO=…`) are skipped; each command runs in its own shell, with its span in the crontab.
//! Line-based: cron's format is one entry per line. Never decides a finding.

use crate::model::FileFacts;
use crate::model::command::ShellOrigin;
use crate::source::OffsetMap;

/// Extract the command of every crontab entry.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let path = facts.file.path.to_ascii_lowercase();
    // System crontabs name the user before the command.
    let system = path.ends_with("etc/crontab") || path.contains("cron.d/");
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let first = trimmed.split([' ', '\t']).next().unwrap_or("");
        if first.contains('=') {
            continue;
        }
        let fields = if first.starts_with('@') { 1 } else { 5 } + usize::from(system);
        let Some(offset) = skip_fields(trimmed, fields) else {
            continue;
        };
        let command = &trimmed[offset..];
        // `%` ends the command (the rest is its standard input), unless escaped.
        let end = percent_end(command);
        let command = &command[..end];
        if command.trim().is_empty() {
            continue;
        }
        let host = start + (line.len() - trimmed.len()) + offset;
        facts.shell.add_source(
            command,
            &OffsetMap::verbatim(host, command.len()),
            ShellOrigin::Cron,
        );
    }
}

/// The byte offset after `n` whitespace-separated fields and the blanks after them.
fn skip_fields(line: &str, n: usize) -> Option<usize> {
    let mut rest = line;
    for _ in 0..n {
        rest = rest.trim_start_matches([' ', '\t']);
        let len = rest.find([' ', '\t'])?;
        rest = &rest[len..];
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    Some(line.len() - rest.len())
}

fn percent_end(command: &str) -> usize {
    let bytes = command.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'%' => return i,
            _ => i += 1,
        }
    }
    command.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::source::SourceFile;

    fn commands(path: &str, text: &str) -> Vec<String> {
        let f = FileFacts::extract(
            SourceFile::new(path, text),
            FileKind::Crontab,
            Context::Production,
        );
        f.shell
            .commands
            .iter()
            .map(|c| text[c.span.start()..c.span.end()].to_string())
            .collect()
    }

    #[test]
    fn entries_become_commands() {
        let text = "MAILTO=ops@example.com\n# nightly\n0 3 * * * docker volume prune -f\n@reboot /opt/app/start.sh\n*/5 * * * * date +\\%s >> /tmp/x %stdin\n";
        assert_eq!(
            commands("crontab", text),
            ["docker volume prune -f", "/opt/app/start.sh", "date +\\%s"]
        );
        let system = "0 2 * * * root pg_dump shop > /backups/shop.sql\n";
        assert_eq!(commands("etc/cron.d/backup", system), ["pg_dump shop"]);
    }
}
