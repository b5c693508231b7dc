//! The human report: each finding as `path:line:col: level[rule] message`, then the source line
//! with the span underlined, related locations and the help text (rendered by miette into a
//! string), then a summary line. Notices are rendered separately, for stderr.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity};

use crate::levels::Level;
use crate::notice::NoticeLevel;
use crate::outcome::ScanOutcome;
use crate::report::excerpt::{self, Excerpt};
use crate::report::{Positions, ReportOptions, counts, help_for, shown};
use crate::rules::{Finding, RuleMeta};

/// One finding, adapted to miette.
struct Shown {
    message: String,
    code: String,
    severity: Severity,
    help: String,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn handler(opts: &ReportOptions) -> GraphicalReportHandler {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(opts.width)
        .with_context_lines(1)
}

fn paint(opts: &ReportOptions, code: &str, text: &str) -> String {
    if opts.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn level_word(opts: &ReportOptions, level: Level) -> String {
    match level {
        Level::Error => paint(opts, "1;31", "error"),
        Level::Warning => paint(opts, "1;33", "warning"),
        Level::Note => paint(opts, "1;36", "note"),
    }
}

/// Render findings and the summary line.
pub fn render(outcome: &ScanOutcome, meta: &[RuleMeta], opts: &ReportOptions) -> String {
    let handler = handler(opts);
    let positions = Positions::new(outcome);
    let mut out = String::new();
    for finding in shown(outcome, opts) {
        render_finding(&mut out, &handler, &positions, meta, finding, opts);
    }
    out.push_str(&summary(outcome, opts));
    out.push('\n');
    out
}

fn render_finding(
    out: &mut String,
    handler: &GraphicalReportHandler,
    positions: &Positions,
    meta: &[RuleMeta],
    finding: &Finding,
    opts: &ReportOptions,
) {
    let (start, _) = positions.region(&finding.path, finding.span);
    let suppressed = if finding.suppressed.is_some() {
        " (suppressed)"
    } else {
        ""
    };
    out.push_str(&format!(
        "{}:{}:{}: {}[{}] {}{}\n",
        paint(opts, "1", &finding.path),
        start.line,
        start.column_chars,
        level_word(opts, finding.level),
        finding.rule,
        finding.message,
        suppressed,
    ));
    let related: Vec<(usize, excerpt::Label)> = finding
        .related
        .iter()
        .enumerate()
        .filter(|(_, r)| r.path == finding.path)
        .map(|(i, r)| {
            (
                i,
                excerpt::Label {
                    span: r.span,
                    text: Some(r.message.clone()),
                },
            )
        })
        .collect();
    let (text, index) = positions
        .index(&finding.path)
        .unwrap_or_else(|| ("", std::rc::Rc::new(crate::source::LineIndex::new(""))));
    let labels_in: Vec<excerpt::Label> = related.iter().map(|(_, l)| l.clone()).collect();
    let cut = excerpt::cut(&finding.path, text, &index, finding.span, &labels_in);
    let shown_len = cut.excerpt.text_len();
    let (at, len) = cut.primary;
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(finding.rule.to_string()),
        (at, len.max(1).min(shown_len.saturating_sub(at)).max(len)),
    )];
    for (message, span) in cut.drawn {
        labels.push(LabeledSpan::new_with_span(message, span));
    }
    // Related locations not drawn: other files, far away, or on a line that had to be cut.
    let far: Vec<usize> = cut.left_out.iter().map(|&k| related[k].0).collect();
    let mut elsewhere = Vec::new();
    for (i, related) in finding.related.iter().enumerate() {
        if related.path == finding.path && !far.contains(&i) {
            continue;
        }
        let (p, _) = positions.region(&related.path, related.span);
        elsewhere.push(format!(
            "  = related: {}:{}:{}: {}\n",
            related.path, p.line, p.column_chars, related.message
        ));
    }
    let shown = Shown {
        message: finding.message.clone(),
        code: finding.rule.to_string(),
        severity: match finding.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Note => Severity::Advice,
        },
        help: help_for(finding, meta).to_string(),
        source: cut.excerpt,
        labels,
    };
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &shown).is_ok() {
        // miette's first lines repeat the message; the header line above already says it.
        let body: Vec<&str> = rendered.lines().skip_while(|l| !l.contains('╭')).collect();
        for (i, line) in body.into_iter().enumerate() {
            // miette counts the column of its `╭─[path:line:col]` header in bytes; show the
            // character column the header line above uses.
            let open = line.find("─[").map(|at| at + "─[".len());
            match (i, open, line.rfind(']')) {
                (0, Some(open), Some(close)) if close >= open => {
                    out.push_str(&line[..open]);
                    out.push_str(&format!(
                        "{}:{}:{}",
                        finding.path, start.line, start.column_chars
                    ));
                    out.push_str(line[close..].trim_end());
                }
                _ => out.push_str(line.trim_end()),
            }
            out.push('\n');
        }
    }
    for line in elsewhere {
        out.push_str(&line);
    }
    out.push('\n');
}

/// The summary line: counts by level, files scanned, time.
pub fn summary(outcome: &ScanOutcome, opts: &ReportOptions) -> String {
    let (errors, warnings, notes) = counts(outcome);
    let suppressed = outcome
        .findings
        .iter()
        .filter(|f| f.suppressed.is_some())
        .count();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let files = plural(outcome.files_scanned, "file");
    let time = if opts.show_time {
        format!(" in {:.2}s", outcome.elapsed.as_secs_f64())
    } else {
        String::new()
    };
    let extra = if suppressed > 0 {
        format!(", {suppressed} suppressed")
    } else {
        String::new()
    };
    if errors + warnings + notes == 0 {
        return format!("No findings ({files} scanned{time}{extra}).");
    }
    format!(
        "Found {}, {}, {} ({files} scanned{time}{extra}).",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(notes, "note")
    )
}

/// Notices for stderr: warnings always (unless quiet), info with `--verbose`.
pub fn render_notices(outcome: &ScanOutcome, opts: &ReportOptions) -> String {
    let mut out = String::new();
    if opts.quiet {
        return out;
    }
    for notice in &outcome.notices {
        if notice.level == NoticeLevel::Info && !opts.verbose {
            continue;
        }
        let place = match (&notice.path, notice.line) {
            (Some(p), Some(l)) => format!("{p}:{l}: "),
            (Some(p), None) => format!("{p}: "),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{}: {place}{} [{}]\n",
            paint(opts, "1;35", "notice"),
            notice.message,
            notice.kind.as_str()
        ));
    }
    out
}
