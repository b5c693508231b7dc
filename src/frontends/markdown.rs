//! Markdown fenced code blocks as shell in the docs context: fences tagged `bash`, `sh`, `shell`,
//! `zsh`, `console` / `shell-session` (only the `$ `-prompted lines of those run), with offset maps
//! into the Markdown file. Every such fence is a `Context::Docs` region.
//!
//! Line-based: fences are a line construct. Never decides a finding.

use crate::levels::Context;
use crate::model::command::ShellOrigin;
use crate::model::{FileFacts, Region};
use crate::source::{OffsetMap, Span};

const SHELL_LANGS: &[&str] = &["bash", "sh", "shell", "zsh", "ksh"];
const SESSION_LANGS: &[&str] = &["console", "shell-session", "shellsession", "terminal"];

/// Extract the shell fences of a Markdown file.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let mut at = 0;
    let mut fence: Option<Fence> = None;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let start = at;
        at += raw.len();
        // ASCII indentation only, so cutting it never splits a character.
        let trimmed = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - trimmed.len();
        match fence.as_mut() {
            None => {
                let marker = fence_marker(trimmed);
                if let Some((ch, len)) = marker {
                    let info = trimmed[len..].trim();
                    let lang = info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .trim_start_matches('.')
                        .to_ascii_lowercase();
                    fence = Some(Fence {
                        ch,
                        len,
                        indent,
                        start,
                        session: SESSION_LANGS.contains(&lang.as_str()),
                        shell: SHELL_LANGS.contains(&lang.as_str())
                            || SESSION_LANGS.contains(&lang.as_str()),
                        lines: Vec::new(),
                    });
                }
            }
            Some(f) => {
                if fence_marker(trimmed).is_some_and(|(c, l)| c == f.ch && l >= f.len)
                    && trimmed.trim_start_matches(f.ch).trim().is_empty()
                {
                    if let Some(done) = fence.take() {
                        finish(facts, done, start + line.len());
                    }
                    continue;
                }
                // Remove the fence's indentation from content lines.
                let strip = indent.min(f.indent);
                f.lines.push((start + strip, start + line.len()));
            }
        }
    }
    if let Some(open) = fence {
        // An unclosed fence runs to the end of the file (CommonMark).
        let end = text.len();
        finish(facts, open, end);
    }
}

/// Where the command of a prompted session line starts: `$ cmd`, `user@host:~/app$ cmd`,
/// `(venv) $ cmd`, `[user@host app]$ cmd`. `None` for output lines.
fn prompted(line: &str) -> Option<usize> {
    if line.starts_with("$ ") {
        return Some(2);
    }
    let at = line.find("$ ")?;
    let prefix = line[..at].trim_end();
    let tokens_ok = !prefix.is_empty()
        && !prefix.contains(['"', '\'', '`', '=', '|', ';', '&', '<', '>', '$'])
        && (prefix.contains('@')
            || prefix.ends_with([')', ']', '~'])
            || (prefix.starts_with('(') && prefix.contains(')')));
    tokens_ok.then_some(at + 2)
}

struct Fence {
    ch: char,
    len: usize,
    indent: usize,
    start: usize,
    session: bool,
    shell: bool,
    /// Content lines: host start (after the fence's indentation) and end.
    lines: Vec<(usize, usize)>,
}

/// ```` ``` ```` or `~~~` (three or more): the fence character and the marker's length.
fn fence_marker(line: &str) -> Option<(char, usize)> {
    for ch in ['`', '~'] {
        let len = line.chars().take_while(|&c| c == ch).count();
        if len >= 3 {
            return Some((ch, len));
        }
    }
    None
}

fn finish(facts: &mut FileFacts, fence: Fence, end: usize) {
    if !fence.shell {
        return;
    }
    facts.regions.push(Region {
        span: Span::new(fence.start, end),
        context: Some(Context::Docs),
        guard: None,
    });
    let source = &facts.file.text;
    let line = |&(s, e): &(usize, usize)| source.get(s..e).unwrap_or("");
    // A `bash`/`sh` fence written as a session (`$ docker compose down -v` and its output) is
    // read as one: no shell line starts with `$ `.
    let session = fence.session || fence.lines.iter().any(|l| line(l).starts_with("$ "));
    let mut text = String::new();
    let mut map = OffsetMap::default();
    for l in &fence.lines {
        let content = line(l);
        if session {
            // Only prompted lines run; output lines are not commands.
            let Some(at) = prompted(content) else {
                continue;
            };
            let cmd = &content[at..];
            map.push(text.len(), l.0 + at, cmd.len());
            text.push_str(cmd);
        } else {
            map.push(text.len(), l.0, content.len());
            text.push_str(content);
        }
        text.push('\n');
    }
    if text.trim().is_empty() {
        return;
    }
    facts
        .shell
        .add_source(&text, &map, ShellOrigin::MarkdownFence);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::source::SourceFile;

    #[test]
    fn session_prompts() {
        assert_eq!(prompted("$ ls"), Some(2));
        assert_eq!(prompted("me@box:~/app$ ls"), Some(14));
        assert_eq!(prompted("(venv) $ ls"), Some(9));
        assert_eq!(prompted("[me@box app]$ ls"), Some(14));
        assert_eq!(prompted("Hint: run $ ls"), None);
        assert_eq!(prompted("total 5$ each"), None);
        assert_eq!(prompted("echo \"$ x\""), None);
    }

    #[test]
    fn fences_in_the_docs_context() {
        let text = "# Runbook\n\n```bash\ndocker compose down -v  # DON'T\n```\n\n```console\n$ docker volume ls\nlocal     shop_pgdata\n```\n\n```yaml\nrun: docker compose down -v\n```\n";
        let f = FileFacts::extract(
            SourceFile::new("docs/runbook.md", text),
            FileKind::Markdown,
            Context::Production,
        );
        let programs: Vec<String> = f
            .shell
            .commands
            .iter()
            .map(|c| {
                c.argv
                    .iter()
                    .map(|w| w.display())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(programs, ["docker compose down -v", "docker volume ls"]);
        let down = &f.shell.commands[0];
        assert_eq!(
            &text[down.span.start()..down.span.end()],
            "docker compose down -v"
        );
        assert_eq!(f.context_at(down.span), Context::Docs);
        let odd = " ```sh\n\u{3000}ls\n ```\n";
        let g = FileFacts::extract(
            SourceFile::new("odd.md", odd),
            FileKind::Markdown,
            Context::Production,
        );
        assert_eq!(g.shell.commands.len(), 1);
        let ls = &f.shell.commands[1];
        assert_eq!(&text[ls.span.start()..ls.span.end()], "docker volume ls");
    }
}
