//! The outcome of a scan: sorted findings, notices, and the masked text of the files findings
//! point at. Built by the engine, read by the reports (which never see facts).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::levels::Level;
use crate::notice::Notice;
use crate::rules::Finding;
use crate::source::{Encoding, Span};

/// The result of a scan: sorted findings (suppressed ones included, marked) and notices.
#[derive(Debug, Default)]
pub struct ScanOutcome {
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    pub files_scanned: usize,
    pub elapsed: Duration,
    /// Ids of the rules that ran.
    pub enabled_rules: Vec<&'static str>,
    /// Text of every file a finding points at, with secret values masked (for snippets and
    /// SARIF line hashes). Reports never see unmasked text.
    pub sources: BTreeMap<String, String>,
    /// Byte spans of the masked secret values in each of `sources` (so a report can tell a
    /// mask from a real `*`, e.g. to leave out a line hash computed over masked text).
    pub masked: BTreeMap<String, Vec<Span>>,
    /// The encoding of each of `sources` that is not plain UTF-8 (a dropped byte-order mark,
    /// UTF-16): GitHub's line hash reads the bytes on disk, not the decoded text.
    pub encodings: BTreeMap<String, Encoding>,
}

impl ScanOutcome {
    /// Findings that are not suppressed.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    /// Whether an unsuppressed finding is at or above `threshold`.
    pub fn fails(&self, threshold: Option<Level>) -> bool {
        threshold.is_some_and(|t| self.active().any(|f| f.level >= t))
    }

    /// Add the findings, notices and sources of another scan (call [`ScanOutcome::sort`] after).
    /// A finding at the same place by the same rule as one already here is the same finding
    /// reached from an overlapping root (`dataloss-scan b b/sub`): it is kept once.
    pub fn merge(&mut self, other: ScanOutcome) {
        self.files_scanned += other.files_scanned;
        let seen: BTreeSet<(&str, Span, &str)> = self
            .findings
            .iter()
            .map(|f| (f.path.as_str(), f.span, f.rule))
            .collect();
        let new: Vec<Finding> = other
            .findings
            .into_iter()
            .filter(|f| !seen.contains(&(f.path.as_str(), f.span, f.rule)))
            .collect();
        self.findings.extend(new);
        self.notices.extend(other.notices);
        self.sources.extend(other.sources);
        self.masked.extend(other.masked);
        self.encodings.extend(other.encodings);
        for id in other.enabled_rules {
            if !self.enabled_rules.contains(&id) {
                self.enabled_rules.push(id);
            }
        }
    }

    /// Sort findings by (path, offset, rule) and notices, dropping exact duplicates (a file
    /// reached from two overlapping PATHs).
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (&a.path, a.span.start, a.rule, a.span.end, &a.message).cmp(&(
                &b.path,
                b.span.start,
                b.rule,
                b.span.end,
                &b.message,
            ))
        });
        self.findings.dedup();
        self.notices.sort();
        self.notices.dedup();
    }

    /// Prefix every path (findings, related locations, notices) with `prefix` (a scan root
    /// relative to the working directory), so reports point at files from where the user stands.
    pub fn prefix_paths(&mut self, prefix: &str) {
        if prefix.is_empty() {
            return;
        }
        let join = |p: &mut String| *p = format!("{prefix}/{p}");
        for f in &mut self.findings {
            join(&mut f.path);
            for r in &mut f.related {
                join(&mut r.path);
            }
        }
        for n in &mut self.notices {
            if let Some(p) = n.path.as_mut() {
                join(p);
            }
        }
        self.sources = std::mem::take(&mut self.sources)
            .into_iter()
            .map(|(p, t)| (format!("{prefix}/{p}"), t))
            .collect();
        self.masked = std::mem::take(&mut self.masked)
            .into_iter()
            .map(|(p, m)| (format!("{prefix}/{p}"), m))
            .collect();
        self.encodings = std::mem::take(&mut self.encodings)
            .into_iter()
            .map(|(p, e)| (format!("{prefix}/{p}"), e))
            .collect();
    }
}
