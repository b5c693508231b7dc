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

use serde_json::{Value, json};

use crate::notice::NoticeLevel;
use crate::outcome::ScanOutcome;
use crate::report::{Positions, ReportOptions, counts, help_for, shown};
use crate::rules::RuleMeta;

/// Schema version of the document; bumped on incompatible changes.
pub const VERSION: u32 = 1;

pub fn render(outcome: &ScanOutcome, meta: &[RuleMeta], opts: &ReportOptions) -> Vec<u8> {
    let positions = Positions::new(outcome);
    let pos = |p: crate::source::Position| json!({"line": p.line, "column": p.column_chars});
    let findings: Vec<Value> = shown(outcome, opts)
        .map(|f| {
            let (start, end) = positions.region(&f.path, f.span);
            let related: Vec<Value> = f
                .related
                .iter()
                .map(|r| {
                    let (s, e) = positions.region(&r.path, r.span);
                    json!({"path": r.path, "start": pos(s), "end": pos(e), "message": r.message})
                })
                .collect();
            let mut v = json!({
                "rule": f.rule,
                "level": f.level.as_str(),
                "path": f.path,
                "start": pos(start),
                "end": pos(end),
                "message": f.message,
                "help": help_for(f, meta),
                "context": f.context.as_str(),
                "guard": f.guard,
                "related": related,
                "fingerprint": f.fingerprint,
            });
            if let Some(reason) = &f.suppressed {
                v["suppressed"] = json!({"justification": reason});
            }
            v
        })
        .collect();
    let notices: Vec<Value> = outcome
        .notices
        .iter()
        .map(|n| {
            json!({
                "kind": n.kind.as_str(),
                "level": match n.level { NoticeLevel::Info => "info", NoticeLevel::Warning => "warning" },
                "path": n.path,
                "line": n.line,
                "message": n.message,
            })
        })
        .collect();
    let (errors, warnings, notes) = counts(outcome);
    let doc = json!({
        "version": VERSION,
        "tool": {"name": "dataloss-scan", "version": env!("CARGO_PKG_VERSION")},
        "findings": findings,
        "notices": notices,
        "summary": {
            "errors": errors,
            "warnings": warnings,
            "notes": notes,
            "suppressed": outcome.findings.iter().filter(|f| f.suppressed.is_some()).count(),
            "files_scanned": outcome.files_scanned,
        }
    });
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}
