//! `--diff REF`: keep only findings on lines changed since a git ref. Runs `git diff` (never
//! anything from the repository: external diff drivers and textconv are switched off).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::outcome::ScanOutcome;

/// Changed (added or modified) lines per path, relative to `root`.
pub type ChangedLines = BTreeMap<String, BTreeSet<u32>>;

pub fn changed_lines(root: &Path, reference: &str) -> Result<ChangedLines, String> {
    if reference.starts_with('-') {
        return Err(format!("invalid --diff ref `{reference}`"));
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "diff",
            "--no-ext-diff",
            "--no-textconv",
            "--no-color",
            "--unified=0",
            "--relative",
        ])
        .arg(reference)
        .arg("--")
        .output()
        .map_err(|e| format!("--diff needs git: {e}"))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git diff {reference} failed: {}", err.trim()));
    }
    Ok(parse(&String::from_utf8_lossy(&output.stdout)))
}

/// Parse `git diff --unified=0` output.
pub fn parse(diff: &str) -> ChangedLines {
    let mut out = ChangedLines::new();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            current = path.strip_prefix("b/").map(str::to_string);
            continue;
        }
        let Some(hunk) = line.strip_prefix("@@ ") else {
            continue;
        };
        let Some(path) = &current else {
            continue;
        };
        // @@ -a,b +c,d @@
        let Some(plus) = hunk.split_whitespace().find(|w| w.starts_with('+')) else {
            continue;
        };
        let plus = &plus[1..];
        let (start, count) = match plus.split_once(',') {
            Some((s, c)) => (s.parse::<u32>().unwrap_or(0), c.parse::<u32>().unwrap_or(0)),
            None => (plus.parse::<u32>().unwrap_or(0), 1),
        };
        let lines = out.entry(path.clone()).or_default();
        for l in start..start.saturating_add(count) {
            lines.insert(l);
        }
    }
    out
}

/// Drop findings whose primary line did not change.
pub fn retain_changed(outcome: &mut ScanOutcome, changed: &ChangedLines) {
    let sources = &outcome.sources;
    outcome.findings.retain(|f| {
        let Some(text) = sources.get(&f.path) else {
            return false;
        };
        let line = crate::source::LineIndex::new(text)
            .position(text, f.span.start())
            .line;
        changed.get(&f.path).is_some_and(|l| l.contains(&line))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks() {
        let diff = "diff --git a/stop.sh b/stop.sh\n--- a/stop.sh\n+++ b/stop.sh\n@@ -3,0 +4,2 @@\n+a\n+b\n@@ -9 +11 @@\n-x\n+y\n--- a/gone.sh\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n";
        let c = parse(diff);
        assert_eq!(c["stop.sh"].iter().copied().collect::<Vec<_>>(), [4, 5, 11]);
        assert_eq!(c.len(), 1);
    }
}
