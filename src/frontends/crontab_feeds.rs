//! Cron lines installed by a script: text fed to `crontab -` by `echo … | crontab -`,
//! `(crontab -l; echo …) | crontab -` or a heredoc, added to the file's shell facts with
//! [`ShellOrigin::Cron`] so every shell rule and the backup analysis see them (crontab files
//! themselves are read by `facts::cron`).
//!
//! Only line splitting lives here; the commands themselves are parsed by the shell layer.

use crate::model::FileFacts;
use crate::model::command::ShellOrigin;
use crate::source::OffsetMap;

/// Users commonly named in the sixth field of a system crontab line.
const USERS: &[&str] = &[
    "root", "postgres", "mysql", "www-data", "nobody", "ubuntu", "admin", "backup", "deploy",
    "app", "debian", "ec2-user", "centos", "git", "redis", "mongodb",
];

/// The byte range of the command in one crontab line (relative to the line), or `None` for
/// comments, blank lines and `VAR=value` lines. `system` says the line has a user field.
fn crontab_command(line: &str, system: bool) -> Option<(usize, usize)> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let first = trimmed.split_whitespace().next()?;
    if first.contains('=') && !first.starts_with('@') {
        return None;
    }
    let fields_before = if first.starts_with('@') { 1 } else { 5 };
    // Walk over the schedule fields (and the user field when there is one).
    let mut at = line.len() - trimmed.len();
    let skip = |line: &str, at: &mut usize| -> Option<()> {
        let rest = &line[*at..];
        let word_len = rest.find(char::is_whitespace)?;
        *at += word_len;
        let spaces = line[*at..].len() - line[*at..].trim_start().len();
        *at += spaces;
        Some(())
    };
    for _ in 0..fields_before {
        skip(line, &mut at)?;
    }
    if first != "@reboot" || system {
        let next = line[at..].split_whitespace().next().unwrap_or("");
        if system || (USERS.contains(&next) && line[at..].split_whitespace().count() > 1) {
            skip(line, &mut at)?;
        }
    }
    // `%` ends the command (the rest is standard input); `\%` is a literal percent sign.
    let bytes = line.as_bytes();
    let mut end = line.len();
    let mut i = at;
    while i < bytes.len() {
        if bytes[i] == b'%' && (i == 0 || bytes[i - 1] != b'\\') {
            end = i;
            break;
        }
        i += 1;
    }
    let end = at + line[at..end].trim_end().len();
    (end > at).then_some((at, end))
}

/// Add the commands of crontab text (`text` maps to the host through `map`).
fn add_crontab_text(facts: &mut FileFacts, text: &str, map: &OffsetMap, system: bool) {
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        if let Some((start, end)) = crontab_command(line, system)
            && let Some(command) = line.get(start..end)
        {
            let inner = OffsetMap::verbatim(offset + start, end - start);
            facts
                .shell
                .add_source(command, &map.then(&inner), ShellOrigin::Cron);
        }
        offset += raw.len();
    }
}

/// Text fed to `crontab`: `echo "0 3 * * * pg_dump …" | crontab -`,
/// `(crontab -l; echo "…") | crontab -`, `crontab - <<EOF … EOF`. The cron lines become shell
/// sources of their own.
pub fn extract_crontab_feeds(facts: &mut FileFacts) {
    let host = facts.file.text.clone();
    let mut feeds: Vec<(String, OffsetMap)> = Vec::new();
    let commands = &facts.shell.commands;
    for (i, command) in commands.iter().enumerate() {
        if command.program().as_deref() != Some("crontab") {
            continue;
        }
        let args: Vec<String> = command.args().map(|w| w.display()).collect();
        if args.iter().any(|a| a == "-l" || a == "-r" || a == "-e") {
            continue;
        }
        if let Some(stdin) = &command.stdin {
            feeds.push((stdin.text.clone(), stdin.map.clone()));
            continue;
        }
        // Walk back over the stages piped into `crontab -`.
        let mut end = command.span.start();
        for prev in commands[..i].iter().rev() {
            let gap = host.get(prev.span.end()..end).unwrap_or("");
            let joined = gap
                .trim_matches(|c: char| c.is_whitespace() || matches!(c, ')' | '}' | ';'))
                .to_string();
            let piped = joined == "|" || gap.contains('|') && !gap.contains('\n');
            if !piped && !gap.trim().is_empty() && !gap.contains(';') {
                break;
            }
            if matches!(prev.program().as_deref(), Some("echo" | "printf")) {
                for word in prev.args() {
                    let Some(text) = word.literal() else {
                        continue;
                    };
                    if text.starts_with('-') {
                        continue;
                    }
                    let text = text.replace("\\n", "\n");
                    // Quoted words: the value starts one byte after the opening quote.
                    let quoted = host
                        .get(word.span.start()..word.span.start() + 1)
                        .is_some_and(|q| q == "\"" || q == "'");
                    let start = word.span.start() + usize::from(quoted);
                    let map = OffsetMap::verbatim(start, text.len());
                    feeds.push((text, map));
                }
            }
            if !piped {
                break;
            }
            end = prev.span.start();
            if gap.contains(';') && !gap.contains('|') {
                continue;
            }
        }
    }
    for (text, map) in feeds {
        add_crontab_text(facts, &text, &map, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::source::SourceFile;

    fn programs(path: &str, text: &str, kind: FileKind) -> Vec<String> {
        let facts = FileFacts::extract(SourceFile::new(path, text), kind, Context::Production);
        facts
            .shell
            .commands
            .iter()
            .filter(|c| {
                facts
                    .shell
                    .sources
                    .get(c.source)
                    .is_some_and(|s| s.origin == ShellOrigin::Cron)
            })
            .map(|c| {
                let s = facts.file.slice(c.span);
                s.to_string()
            })
            .collect()
    }

    #[test]
    fn crontab_feeds() {
        let text = "(crontab -l 2>/dev/null; echo \"0 3 * * * /srv/backup.sh\") | crontab -\n";
        let got = programs("install.sh", text, FileKind::Shell);
        assert_eq!(got, ["/srv/backup.sh"]);
        let text = "crontab - <<EOF\n0 1 * * * mysqldump shop > /b/x.sql\nEOF\n";
        let got = programs("install.sh", text, FileKind::Shell);
        assert_eq!(got, ["mysqldump shop"]);
    }
}
