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

/// GitHub shows at most this many annotations of one level per step (and 50 per job).
const SHOWN_PER_LEVEL: usize = 10;

/// Render the workflow commands (one per line). GitHub keeps the first ten annotations of each
/// level in a step, so errors come first, then warnings, then notices; when some will not show,
/// the tenth notice says how many more there are (every line is still in the job log).
pub fn render(outcome: &ScanOutcome, opts: &ReportOptions) -> String {
    let positions = Positions::new(outcome);
    // (rank, annotation line): 0 error, 1 warning, 2 notice.
    let mut lines: Vec<(usize, String)> = Vec::new();
    for finding in shown(outcome, opts) {
        let command = command_for(finding);
        let mut text = String::new();
        annotate(&mut text, &positions, finding, command);
        lines.push((rank(command), text));
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
        let mut text = String::new();
        line(&mut text, command, &props, &notice.message);
        lines.push((rank(command), text));
    }
    // Stable: findings keep their (path, position) order within a level.
    lines.sort_by_key(|(rank, _)| *rank);
    let count = |r: usize| lines.iter().filter(|(rank, _)| *rank == r).count();
    let (errors, warnings, notices) = (count(0), count(1), count(2));
    let overflow =
        errors > SHOWN_PER_LEVEL || warnings > SHOWN_PER_LEVEL || notices > SHOWN_PER_LEVEL;
    // The summary is itself a notice: it takes the tenth notice slot.
    let notice_slots = if overflow {
        SHOWN_PER_LEVEL - 1
    } else {
        SHOWN_PER_LEVEL
    };
    let hidden = errors.saturating_sub(SHOWN_PER_LEVEL)
        + warnings.saturating_sub(SHOWN_PER_LEVEL)
        + notices.saturating_sub(notice_slots);
    let mut out = String::new();
    let mut notices_written = 0;
    for (rank, text) in &lines {
        if *rank == 2 {
            if overflow && notices_written == notice_slots {
                more(&mut out, hidden, errors, warnings, notices);
            }
            notices_written += 1;
        }
        out.push_str(text);
    }
    if overflow && notices_written <= notice_slots {
        more(&mut out, hidden, errors, warnings, notices);
    }
    out
}

fn rank(command: &str) -> usize {
    match command {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

/// The one notice that says how many annotations GitHub will not show.
fn more(out: &mut String, hidden: usize, errors: usize, warnings: usize, notices: usize) {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    line(
        out,
        "notice",
        &[("title", "dataloss-scan: more findings".to_string())],
        &format!(
            "{hidden} more annotation{} not shown: GitHub shows at most {SHOWN_PER_LEVEL} of each \
             level per step, and this step has {errors} error{}, {warnings} warning{} and \
             {notices} notice{}. The job log lists them all; the SARIF report and the job summary \
             have every finding.",
            s(hidden),
            s(errors),
            s(warnings),
            s(notices)
        ),
    );
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
    fn errors_rank_first_and_one_notice_says_how_many_more() {
        use crate::rules::Ctx;
        use crate::source::Span;
        let text = "x\n".repeat(40);
        let mut cx = Ctx::new("drop-table", Level::Warning, "a.sql");
        for i in 0..12 {
            cx.report(Span::new(i * 2, i * 2 + 1), "w");
        }
        let mut findings = cx.into_findings();
        let mut cx = Ctx::new("drop-database", Level::Error, "b.sql");
        for i in 0..11 {
            cx.report(Span::new(i * 2, i * 2 + 1), "e");
        }
        findings.extend(cx.into_findings());
        let mut cx = Ctx::new("unused-suppression", Level::Note, "c.sql");
        for i in 0..15 {
            cx.report(Span::new(i * 2, i * 2 + 1), "n");
        }
        findings.extend(cx.into_findings());
        let outcome = ScanOutcome {
            findings,
            sources: ["a.sql", "b.sql", "c.sql"]
                .iter()
                .map(|p| (p.to_string(), text.clone()))
                .collect(),
            ..ScanOutcome::default()
        };
        let out = render(&outcome, &ReportOptions::default());
        let commands: Vec<&str> = out
            .lines()
            .map(|l| l.split([' ', ':']).nth(2).unwrap_or(""))
            .collect();
        assert_eq!(commands.len(), 11 + 12 + 15 + 1);
        assert!(commands[..11].iter().all(|c| *c == "error"), "{commands:?}");
        assert!(commands[11..23].iter().all(|c| *c == "warning"));
        let notices: Vec<&str> = out.lines().filter(|l| l.starts_with("::notice")).collect();
        assert!(
            notices[9].contains("title=dataloss-scan%3A more findings"),
            "{}",
            notices[9]
        );
        assert!(
            notices[9].contains("9 more annotations not shown")
                && notices[9].contains("11 errors, 12 warnings and 15 notices"),
            "{}",
            notices[9]
        );
        assert_eq!(out.matches("more findings").count(), 1);
    }

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // `::` in a message is harmless once the command has started; CR/LF are not.
        assert_eq!(escape_data("x\n::error::boom"), "x%0A::error::boom");
    }
}
