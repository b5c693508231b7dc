//! The JSON report: the project's own stable, versioned document (`"version": 1`).
//!
//! ```text
//! { "version": 1, "tool": {name, version},
//!   "findings": [{ rule, level, path, start: {line, column}, end: {line, column}, message, help,
//!                  context, guard, related: [{path, start, end, message}], fingerprint,
//!                  suppressed?: {justification} }],
//!   "notices": [{ kind, level, path?, line?, message }],
//!   "summary": { errors, warnings, notes, suppressed, files_scanned } }
//! ```
//! Lines and columns are 1-based; columns count characters; `end` is exclusive.

use serde::Serialize;

use crate::notice::NoticeLevel;
use crate::outcome::ScanOutcome;
use crate::report::{Positions, ReportOptions, counts, help_for, shown};
use crate::rules::RuleMeta;
use crate::source::Position;

/// Schema version of the document; bumped on incompatible changes.
pub const VERSION: u32 = 1;

// The document is written from these borrowed views, one finding at a time: no tree of values
// is built (100,000 findings held as `serde_json::Value`s took 2 GB). Fields are declared in
// alphabetical order, the order the document has always had.

#[derive(Serialize)]
struct Doc<'a, F: Serialize> {
    findings: F,
    notices: Vec<NoticeView<'a>>,
    summary: Summary,
    tool: Tool,
    version: u32,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    files_scanned: usize,
    notes: usize,
    suppressed: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Pos {
    column: u32,
    line: u32,
}

impl From<Position> for Pos {
    fn from(p: Position) -> Self {
        Pos {
            column: p.column_chars,
            line: p.line,
        }
    }
}

#[derive(Serialize)]
struct FindingView<'a> {
    context: &'a str,
    end: Pos,
    fingerprint: &'a str,
    guard: &'a Option<String>,
    help: &'a str,
    level: &'a str,
    message: &'a str,
    path: &'a str,
    related: Vec<RelatedView<'a>>,
    rule: &'a str,
    start: Pos,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<Justification<'a>>,
}

#[derive(Serialize)]
struct Justification<'a> {
    justification: &'a str,
}

#[derive(Serialize)]
struct RelatedView<'a> {
    end: Pos,
    message: &'a str,
    path: &'a str,
    start: Pos,
}

#[derive(Serialize)]
struct NoticeView<'a> {
    kind: &'a str,
    level: &'a str,
    line: Option<u32>,
    message: &'a str,
    path: &'a Option<String>,
}

/// The findings, serialised as a sequence while they are visited.
struct Findings<'a> {
    outcome: &'a ScanOutcome,
    meta: &'a [RuleMeta],
    opts: &'a ReportOptions,
    positions: &'a Positions<'a>,
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(shown(self.outcome, self.opts).map(|f| {
            let (start, end) = self.positions.region(&f.path, f.span);
            FindingView {
                context: f.context.as_str(),
                end: end.into(),
                fingerprint: &f.fingerprint,
                guard: &f.guard,
                help: help_for(f, self.meta),
                level: f.level.as_str(),
                message: &f.message,
                path: &f.path,
                related: f
                    .related
                    .iter()
                    .map(|r| {
                        let (s, e) = self.positions.region(&r.path, r.span);
                        RelatedView {
                            end: e.into(),
                            message: &r.message,
                            path: &r.path,
                            start: s.into(),
                        }
                    })
                    .collect(),
                rule: f.rule,
                start: start.into(),
                suppressed: f
                    .suppressed
                    .as_deref()
                    .map(|justification| Justification { justification }),
            }
        }))
    }
}

pub fn render(outcome: &ScanOutcome, meta: &[RuleMeta], opts: &ReportOptions) -> Vec<u8> {
    let positions = Positions::new(outcome);
    let notices = outcome
        .notices
        .iter()
        .map(|n| NoticeView {
            kind: n.kind.as_str(),
            level: match n.level {
                NoticeLevel::Info => "info",
                NoticeLevel::Warning => "warning",
            },
            line: n.line,
            message: &n.message,
            path: &n.path,
        })
        .collect();
    let (errors, warnings, notes) = counts(outcome);
    let doc = Doc {
        findings: Findings {
            outcome,
            meta,
            opts,
            positions: &positions,
        },
        notices,
        summary: Summary {
            errors,
            files_scanned: outcome.files_scanned,
            notes,
            suppressed: outcome
                .findings
                .iter()
                .filter(|f| f.suppressed.is_some())
                .count(),
            warnings,
        },
        tool: Tool {
            name: "dataloss-scan",
            version: env!("CARGO_PKG_VERSION"),
        },
        version: VERSION,
    };
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}
