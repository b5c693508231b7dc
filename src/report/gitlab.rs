//! GitLab Code Quality JSON (the Code Climate subset GitLab reads): an array of issues with
//! `description`, `check_name`, `fingerprint`, `severity`, `location.path` and
//! `location.lines.begin`/`end`, in the report's sorted order, so the bytes are deterministic.
//!
//! Severity: an `error` of a rule whose security-severity is critical (9.0 and up) is `blocker`,
//! other errors `critical`, warnings `major`, notes `minor`; a suppressed finding (only with
//! `--include-suppressed`) and a notice (a file the scan could not read) are `info`. The
//! fingerprint is the scanner's own stable key (unique per finding, and it survives line
//! shifts, so GitLab's merge-request diff of code quality stays quiet when lines move).

use serde::Serialize;

use crate::levels::Level;
use crate::notice::NoticeLevel;
use crate::outcome::ScanOutcome;
use crate::report::{Positions, ReportOptions, help_for, shown};
use crate::rules::{Finding, RuleMeta};

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    categories: [&'static str; 1],
    location: Location,
    content: Content,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

/// Render the Code Quality report.
pub fn render(outcome: &ScanOutcome, meta: &[RuleMeta], opts: &ReportOptions) -> Vec<u8> {
    let positions = Positions::new(outcome);
    let mut issues: Vec<Issue> = shown(outcome, opts)
        .map(|f| issue(&positions, meta, f))
        .collect();
    for notice in &outcome.notices {
        if notice.level == NoticeLevel::Info && !opts.verbose {
            continue;
        }
        let path = notice.path.clone().unwrap_or_else(|| ".".to_string());
        let line = notice.line.unwrap_or(1).max(1);
        let fingerprint = format!(
            "notice-{:016x}",
            fnv1a(&[notice.kind.as_str(), &path, &notice.message])
        );
        issues.push(Issue {
            kind: "issue",
            description: format!("dataloss-scan notice: {}", notice.message),
            check_name: format!("dataloss-scan/notice/{}", notice.kind.as_str()),
            fingerprint,
            severity: "info",
            categories: ["Bug Risk"],
            location: Location {
                path,
                lines: Lines {
                    begin: line,
                    end: line,
                },
            },
            content: Content {
                body: "The scan went on; findings in this file may be missing.".to_string(),
            },
        });
    }
    let mut out = serde_json::to_vec_pretty(&issues).unwrap_or_default();
    out.push(b'\n');
    out
}

fn issue(positions: &Positions, meta: &[RuleMeta], finding: &Finding) -> Issue {
    let (start, end) = positions.region(&finding.path, finding.span);
    // A span that ends at the start of a later line really ends on the line before.
    let end_line = if end.line > start.line && end.column_utf16 == 1 {
        end.line - 1
    } else {
        end.line
    };
    let rule = meta.iter().find(|m| m.id == finding.rule);
    let critical = rule
        .and_then(|m| m.security_severity.trim().parse::<f64>().ok())
        .is_some_and(|s| s >= 9.0);
    let severity = match (finding.suppressed.is_some(), finding.level) {
        (true, _) => "info",
        (false, Level::Error) if critical => "blocker",
        (false, Level::Error) => "critical",
        (false, Level::Warning) => "major",
        (false, Level::Note) => "minor",
    };
    let mut description = finding.message.trim().to_string();
    if let Some(reason) = &finding.suppressed {
        description.push_str(&format!(" (suppressed inline: {reason})"));
    }
    let mut body = help_for(finding, meta).to_string();
    for related in &finding.related {
        let (p, _) = positions.region(&related.path, related.span);
        body.push_str(&format!(
            "\n\nRelated: {}:{}: {}",
            related.path, p.line, related.message
        ));
    }
    Issue {
        kind: "issue",
        description,
        check_name: finding.rule.to_string(),
        fingerprint: finding.fingerprint.clone(),
        severity,
        categories: ["Bug Risk"],
        location: Location {
            path: finding.path.clone(),
            lines: Lines {
                begin: start.line,
                end: end_line.max(start.line),
            },
        },
        content: Content { body },
    }
}

/// FNV-1a, 64 bit, for the fingerprints of notices (findings carry their own).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}
