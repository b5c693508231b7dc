//! Reports: a finished [`ScanOutcome`](crate::ScanOutcome) and the rule catalogue → bytes, in one
//! of the output formats. Nothing here scans, and nothing here prints: the binary writes the bytes.

pub mod catalogue;
mod excerpt;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;

use crate::outcome::ScanOutcome;
use crate::rules::{Finding, RuleMeta};
use crate::source::{LineIndex, Position};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Sarif,
    Json,
    Github,
    Gitlab,
}

/// How a report is rendered.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    pub color: bool,
    /// Terminal width for the human format.
    pub width: usize,
    /// Emit suppressed findings (SARIF `suppressions`, JSON `suppressed`, human "(suppressed)").
    pub include_suppressed: bool,
    /// Show `Info` notices too.
    pub verbose: bool,
    /// Hide notices (human format).
    pub quiet: bool,
    /// Print the elapsed time in the human summary (off in tests for stable output).
    pub show_time: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            color: false,
            width: 100,
            include_suppressed: false,
            verbose: false,
            quiet: false,
            show_time: true,
        }
    }
}

/// Render a report.
pub fn render(
    outcome: &ScanOutcome,
    meta: &[RuleMeta],
    format: Format,
    opts: &ReportOptions,
) -> Vec<u8> {
    match format {
        Format::Human => human::render(outcome, meta, opts).into_bytes(),
        Format::Json => json::render(outcome, meta, opts),
        Format::Sarif => sarif::render(outcome, meta, opts),
        Format::Github => github::render(outcome, opts).into_bytes(),
        Format::Gitlab => gitlab::render(outcome, meta, opts),
    }
}

/// The findings a report shows.
pub fn shown<'a>(
    outcome: &'a ScanOutcome,
    opts: &ReportOptions,
) -> impl Iterator<Item = &'a Finding> {
    let include = opts.include_suppressed;
    outcome
        .findings
        .iter()
        .filter(move |f| include || f.suppressed.is_none())
}

/// The last start and end offsets asked for in a file, with their positions.
type Cursors = [Option<(usize, Position)>; 2];

/// Line/column lookups over the kept source texts, with one line index per file built on first
/// use (findings are many, files few: never rebuild an index per finding).
pub struct Positions<'a> {
    outcome: &'a ScanOutcome,
    indexes: std::cell::RefCell<std::collections::BTreeMap<&'a str, std::rc::Rc<LineIndex>>>,
    /// The last start and end asked for, per file: the next one on the same line is counted on
    /// from there (see [`LineIndex::position_after`]).
    last: std::cell::RefCell<std::collections::BTreeMap<&'a str, Cursors>>,
}

impl<'a> Positions<'a> {
    pub fn new(outcome: &'a ScanOutcome) -> Self {
        Positions {
            outcome,
            indexes: std::cell::RefCell::default(),
            last: std::cell::RefCell::default(),
        }
    }

    /// The kept text of a file and its line index (built once).
    pub fn index(&self, path: &str) -> Option<(&'a str, std::rc::Rc<LineIndex>)> {
        let (key, text) = self.outcome.sources.get_key_value(path)?;
        let index = self
            .indexes
            .borrow_mut()
            .entry(key.as_str())
            .or_insert_with(|| std::rc::Rc::new(LineIndex::new(text)))
            .clone();
        Some((text.as_str(), index))
    }

    /// Start and end positions of a span (end exclusive), from the kept source text.
    pub fn region(&self, path: &str, span: crate::source::Span) -> (Position, Position) {
        let Some((text, index)) = self.index(path) else {
            let p = Position {
                line: 1,
                column_utf16: 1,
                column_chars: 1,
            };
            return (p, p);
        };
        let key = self
            .outcome
            .sources
            .get_key_value(path)
            .map_or("", |(k, _)| k.as_str());
        let mut last = self.last.borrow_mut();
        let cursors = last.entry(key).or_default();
        let start = index.position_after(text, span.start(), cursors[0]);
        let end = index.position_after(text, span.end(), cursors[1]);
        *cursors = [Some((span.start(), start)), Some((span.end(), end))];
        (start, end)
    }
}

/// The help text of a finding: its own, or its rule's.
pub fn help_for<'a>(finding: &'a Finding, meta: &'a [RuleMeta]) -> &'a str {
    finding
        .help
        .as_deref()
        .or_else(|| {
            meta.iter()
                .find(|m| m.id == finding.rule)
                .map(|m| m.help.as_str())
        })
        .unwrap_or("")
}

/// Counts of unsuppressed findings by level: (errors, warnings, notes).
pub fn counts(outcome: &ScanOutcome) -> (usize, usize, usize) {
    use crate::levels::Level;
    let mut c = (0, 0, 0);
    for f in outcome.active() {
        match f.level {
            Level::Error => c.0 += 1,
            Level::Warning => c.1 += 1,
            Level::Note => c.2 += 1,
        }
    }
    c
}
