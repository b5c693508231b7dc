//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding
//! (`file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`), so findings show as
//! annotations on repositories without code scanning.
//!
//! Every value is escaped the way the Actions runner reads it (`%`, CR and LF in the message;
//! also `:` and `,` in properties), so no text taken from a scanned file can end a command early or
//! start another one. Columns are 1-based UTF-16 code units, as in SARIF, and are given only for
//! single-line regions (GitHub drops columns on multi-line annotations). Nothing here prints.

use std::fmt::Write as _;

use crate::levels::Level;
use crate::notice::NoticeLevel;
use crate::outcome::ScanOutcome;
use crate::report::{Positions, ReportOptions, shown};
use crate::rules::Finding;

/// GitHub shows at most this many annotations of one level per step.
const SHOWN_PER_LEVEL: usize = 10;

/// Render the workflow commands (one per line).
pub fn render(outcome: &ScanOutcome, opts: &ReportOptions) -> String {
    let positions = Positions::new(outcome);
    let mut out = String::new();
    let mut per_level = [0usize; 3];
    for finding in shown(outcome, opts) {
        let command = command_for(finding);
        per_level[match command {
            "error" => 0,
            "warning" => 1,
            _ => 2,
        }] += 1;
        annotate(&mut out, &positions, finding, command);
    }
    for notice in &outcome.notices {
        if notice.level == NoticeLevel::Info && !opts.verbose {
            continue;
        }
        let mut props = Vec::new();
        if let Some(path) = &notice.path {
            props.push(("file", path.clone()));
            if let Some(line) = notice.line {
                props.push(("line", line.to_string()));
            }
        }
        props.push(("title", format!("dataloss-scan: {}", notice.kind.as_str())));
        let command = match notice.level {
            NoticeLevel::Warning => "warning",
            NoticeLevel::Info => "notice",
        };
        line(&mut out, command, &props, &notice.message);
    }
    if per_level.iter().any(|&n| n > SHOWN_PER_LEVEL) {
        let [errors, warnings, notes] = per_level;
        line(
            &mut out,
            "notice",
            &[("title", "dataloss-scan: more findings".to_string())],
            &format!(
                "{errors} errors, {warnings} warnings and {notes} notes were reported, and GitHub \
                 shows at most {SHOWN_PER_LEVEL} annotations of each level per step: the job log \
                 above lists them all, and the SARIF report or the job summary has every finding."
            ),
        );
    }
    out
}

/// `error`, `warning` or `notice`; a suppressed finding (shown with `--include-suppressed`) is
/// only a notice.
fn command_for(finding: &Finding) -> &'static str {
    if finding.suppressed.is_some() {
        return "notice";
    }
    match finding.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

fn annotate(out: &mut String, positions: &Positions, finding: &Finding, command: &str) {
    let (start, end) = positions.region(&finding.path, finding.span);
    let mut props = vec![
        ("file", finding.path.clone()),
        ("line", start.line.to_string()),
    ];
    // A span that ends at the start of a later line really ends on the line before.
    let end_line = if end.line > start.line && end.column_utf16 == 1 {
        end.line - 1
    } else {
        end.line
    };
    if end_line == start.line {
        let end_column = end.column_utf16.max(start.column_utf16 + 1);
        props.push(("col", start.column_utf16.to_string()));
        props.push(("endLine", end_line.to_string()));
        props.push(("endColumn", end_column.to_string()));
    } else {
        props.push(("endLine", end_line.to_string()));
    }
    props.push(("title", finding.rule.to_string()));
    let mut message = finding.message.trim().to_string();
    if !message.ends_with(['.', '!', '?']) {
        message.push('.');
    }
    for related in &finding.related {
        let (p, _) = positions.region(&related.path, related.span);
        let _ = write!(
            message,
            "\nRelated: {}:{}:{}: {}",
            related.path, p.line, p.column_chars, related.message
        );
    }
    if let Some(reason) = &finding.suppressed {
        let _ = write!(message, "\nSuppressed inline: {reason}");
    }
    line(out, command, &props, &message);
}

fn line(out: &mut String, command: &str, props: &[(&str, String)], message: &str) {
    out.push_str("::");
    out.push_str(command);
    for (i, (key, value)) in props.iter().enumerate() {
        out.push(if i == 0 { ' ' } else { ',' });
        out.push_str(key);
        out.push('=');
        out.push_str(&escape_property(value));
    }
    out.push_str("::");
    out.push_str(&escape_data(message));
    out.push('\n');
}

/// Message escaping of `@actions/core` (`escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property escaping of `@actions/core` (`escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // `::` in a message is harmless once the command has started; CR/LF are not.
        assert_eq!(escape_data("x\n::error::boom"), "x%0A::error::boom");
    }
}
