//! Inline suppressions: `dataloss-scan: ignore[ID, ID] reason` in a comment after the finding on
//! its line (it covers that line only) or alone on the line above (it covers the next line), and
//! `dataloss-scan: ignore-file[ID] reason` in the file's first comment block. Any comment syntax
//! works (`#`, `--`, `//`, `/* */`, `<!-- -->`, `;`). A bare `dataloss-scan: ignore` without ids
//! is kept so that it can be reported: it suppresses nothing.

use crate::source::{SourceFile, Span};

const MARKER: &str = "dataloss-scan:";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: u32,
    /// The `dataloss-scan: ignore[…]` text.
    pub span: Span,
    pub ids: Vec<String>,
    pub reason: String,
    pub file_wide: bool,
    /// `ignore-file` outside the first comment block: it suppresses nothing.
    pub misplaced: bool,
    /// After code on its line (`down -v  # dataloss-scan: ignore[…]`): it covers that line only.
    /// A comment alone on its line covers the next line.
    pub trailing: bool,
    /// `ignore` without a list of rule ids: it suppresses nothing, and is reported.
    pub bare: bool,
}

impl Suppression {
    /// Whether it covers a finding of `rule` starting on `line`.
    pub fn covers(&self, rule: &str, aliases: &[String], line: u32) -> bool {
        if self.misplaced {
            return false;
        }
        let named = self
            .ids
            .iter()
            .any(|id| id == rule || aliases.iter().any(|a| a == id));
        named && (self.file_wide || line == self.line || (!self.trailing && line == self.line + 1))
    }
}

/// Find every suppression comment in a file.
pub fn parse(file: &SourceFile) -> Vec<Suppression> {
    let text = &file.text;
    let mut out = Vec::new();
    // Most files hold no marker at all: one substring search, nothing else.
    if memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return out;
    }
    let leading_block_end = leading_comment_block_end(file);
    let mut from = 0;
    while let Some(found) = text[from..].find(MARKER) {
        let at = from + found;
        from = at + MARKER.len();
        let position = file.position(at);
        let (line_start, line_end) = file.line_index.line_range(text, position.line);
        let before = &text[line_start..at];
        if !has_comment_opener(before) {
            continue;
        }
        let rest = text[from..line_end.max(from)].trim_start();
        let trailing = !starts_with_comment_opener(before);
        let (file_wide, rest) = if let Some(r) = rest.strip_prefix("ignore-file") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix("ignore") {
            (false, r)
        } else {
            continue;
        };
        let listed = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .filter(|(ids, _)| !ids.trim().is_empty());
        let Some((ids, reason)) = listed else {
            // `ignore`, `ignore: reason` or `ignore[]`, but not prose such as `ignored`.
            if rest
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                continue;
            }
            let word_end =
                at + MARKER.len() + (text[from..].len() - text[from..].trim_start().len());
            let end = word_end
                + if file_wide {
                    "ignore-file".len()
                } else {
                    "ignore".len()
                };
            let end = if rest.starts_with("[]") { end + 2 } else { end };
            out.push(Suppression {
                line: position.line,
                span: Span::new(at, end.min(line_end)),
                ids: Vec::new(),
                reason: String::new(),
                file_wide,
                misplaced: false,
                trailing,
                bare: true,
            });
            continue;
        };
        let reason = reason
            .trim()
            .trim_end_matches("-->")
            .trim_end_matches("*/")
            .trim()
            .trim_start_matches("--")
            .trim()
            .to_string();
        let consumed = text[at..line_end]
            .find(']')
            .map_or(line_end, |i| at + i + 1);
        out.push(Suppression {
            line: position.line,
            span: Span::new(at, consumed),
            ids: ids
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            reason,
            file_wide,
            misplaced: file_wide && position.line > leading_block_end,
            trailing,
            bare: false,
        });
    }
    out
}

/// Whether the text before the marker is only a comment opener: the comment is alone on its line.
fn starts_with_comment_opener(before: &str) -> bool {
    let t = before.trim_start();
    ["#", "--", "//", "/*", "<!--", ";", "*"]
        .iter()
        .any(|opener| t.starts_with(opener))
}

fn has_comment_opener(before: &str) -> bool {
    ["#", "--", "//", "/*", "<!--", ";", "*"]
        .iter()
        .any(|opener| before.contains(opener))
}

/// The last line (1-based) of the file's first comment block: leading blank lines, a shebang and
/// comment lines.
fn leading_comment_block_end(file: &SourceFile) -> u32 {
    let mut last = 0;
    let mut in_block_comment = false;
    for line in 1..=u32::try_from(file.line_index.line_count()).unwrap_or(u32::MAX) {
        let t = file.line_text(line).trim();
        let is_comment = in_block_comment
            || t.is_empty()
            || t.starts_with('#')
            || t.starts_with("--")
            || t.starts_with("//")
            || t.starts_with("/*")
            || t.starts_with("<!--")
            || t.starts_with(';');
        if !is_comment {
            break;
        }
        if t.starts_with("/*") || t.starts_with("<!--") {
            in_block_comment = !(t.contains("*/") || t.contains("-->"));
        } else if in_block_comment && (t.contains("*/") || t.contains("-->")) {
            in_block_comment = false;
        }
        last = line;
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let file = SourceFile::new(
            "x.sh",
            "#!/bin/sh\n# dataloss-scan: ignore-file[drop-table] dumps only\necho\ndocker compose down -v # dataloss-scan: ignore[compose-down-volumes, docker-volume-remove] local only\n-- dataloss-scan: ignore[drop-table]\n<!-- dataloss-scan: ignore[x] why -->\necho \"dataloss-scan: ignore[y]\"\n# dataloss-scan: ignore-file[z]\n",
        );
        let s = parse(&file);
        assert_eq!(s.len(), 5);
        assert!(s[0].file_wide && !s[0].misplaced);
        assert_eq!(s[1].ids, ["compose-down-volumes", "docker-volume-remove"]);
        assert_eq!(s[1].reason, "local only");
        assert_eq!(s[1].line, 4);
        assert!(s[1].covers("docker-volume-remove", &[], 4));
        assert!(s[1].trailing && !s[2].trailing);
        // A trailing comment covers its own line only; one alone on its line, the next too.
        assert!(!s[1].covers("docker-volume-remove", &[], 5));
        assert!(!s[1].covers("docker-volume-remove", &[], 6));
        assert!(s[2].covers("drop-table", &[], 6));
        assert_eq!(s[3].reason, "why");
        // The `echo` line is not a comment: its text is not a suppression.
        assert_eq!(s[4].ids, ["z"]);
        assert!(s[4].misplaced);
    }

    #[test]
    fn bare_ignores_are_kept_to_be_reported() {
        let file = SourceFile::new(
            "x.sh",
            "rm -rf /srv # dataloss-scan: ignore\n# dataloss-scan: ignore[] why\n# dataloss-scan: ignored here, says the prose\n-- dataloss-scan: ignore: local only\n",
        );
        let s = parse(&file);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s.iter().all(|x| x.bare && x.ids.is_empty()));
        assert_eq!(
            &file.text[s[0].span.start()..s[0].span.end()],
            "dataloss-scan: ignore"
        );
        assert_eq!(
            &file.text[s[1].span.start()..s[1].span.end()],
            "dataloss-scan: ignore[]"
        );
        assert!(!s[0].covers("data-dir-delete", &[], 1));
    }
}
