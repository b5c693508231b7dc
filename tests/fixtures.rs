//! The per-rule fixture harness. For every `fixtures/<rule-id>/` case (a file or a directory
//! acting as a mini repository): `bad-*` must fire exactly on the lines marked
//! `expect: <rule-id>` (or on the line after an `expect-next-line: <rule-id>` marker), and
//! `good-*` must not fire. All findings of a rule directory are rendered into
//! `fixtures/<rule-id>/findings.snap` (`case:line:col-endline:endcol rule level message`, the source
//! line and carets under the span); `UPDATE_SNAPSHOTS=1 cargo test` rewrites them.
//!
//! Snapshots are compared by hand rather than with insta so that one run reports every stale
//! fixture at once and CI needs no extra tool; stale and orphaned snapshots fail the same way.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dataloss_scan::levels::Level;
use dataloss_scan::rules::{self, Finding};
use dataloss_scan::source::LineIndex;
use dataloss_scan::{ScanOptions, scan};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

/// Every file of a case, with its path relative to the case root.
fn case_files(case: &Path) -> Vec<(String, PathBuf)> {
    if case.is_file() {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return vec![(name, case.to_path_buf())];
    }
    let mut out = Vec::new();
    let mut stack = vec![case.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in sorted_entries(&dir) {
            if entry.is_dir() {
                stack.push(entry);
            } else {
                let rel = entry
                    .strip_prefix(case)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                out.push((rel, entry));
            }
        }
    }
    out.sort();
    out
}

/// `(path, line)` pairs marked as expected for `rule`.
fn expected_lines(case: &Path, rule: &str) -> BTreeSet<(String, u32)> {
    let mut out = BTreeSet::new();
    for (rel, path) in case_files(case) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let index = LineIndex::new(&text);
        for line in 1..=index.line_count() as u32 {
            let content = index.line_text(&text, line);
            for (marker, offset) in [("expect-next-line:", 1), ("expect:", 0)] {
                let Some(at) = content.find(marker) else {
                    continue;
                };
                let ids = &content[at + marker.len()..];
                let named = ids
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .any(|id| id == rule);
                if named {
                    out.insert((rel.clone(), line + offset));
                }
                break;
            }
        }
    }
    out
}

fn run_case(case: &Path, rule: &str) -> (Vec<Finding>, dataloss_scan::ScanOutcome) {
    // `unused-suppression` judges suppressions of other rules, so those must run too.
    let select = if rule == rules::UNUSED_SUPPRESSION {
        Vec::new()
    } else {
        vec![rule.to_string()]
    };
    let opts = ScanOptions {
        paths: vec![case.to_path_buf()],
        select,
        threads: 2,
        ..ScanOptions::default()
    };
    let outcome = scan(&opts).unwrap_or_else(|e| panic!("scan of {} failed: {e}", case.display()));
    let findings = outcome
        .findings
        .iter()
        .filter(|f| f.rule == rule && f.suppressed.is_none())
        .cloned()
        .collect();
    (findings, outcome)
}

fn render(case_name: &str, findings: &[Finding], outcome: &dataloss_scan::ScanOutcome) -> String {
    let mut out = String::new();
    for f in findings {
        let text = outcome
            .sources
            .get(&f.path)
            .map(String::as_str)
            .unwrap_or("");
        let index = LineIndex::new(text);
        let start = index.position(text, f.span.start());
        let end = index.position(text, f.span.end());
        let place = if f.path == case_name {
            case_name.to_string()
        } else {
            format!("{case_name}/{}", f.path)
        };
        let _ = writeln!(
            out,
            "{place}:{}:{}-{}:{} {} {} {}",
            start.line,
            start.column_chars,
            end.line,
            end.column_chars,
            f.rule,
            f.level.as_str(),
            f.message
        );
        let line = index.line_text(text, start.line);
        let _ = writeln!(out, "  | {line}");
        let width = if end.line == start.line {
            (end.column_chars - start.column_chars).max(1)
        } else {
            (line.chars().count() as u32 + 1)
                .saturating_sub(start.column_chars)
                .max(1)
        };
        let _ = writeln!(
            out,
            "  | {}{}",
            " ".repeat(start.column_chars as usize - 1),
            "^".repeat(width as usize)
        );
        for r in &f.related {
            let rtext = outcome
                .sources
                .get(&r.path)
                .map(String::as_str)
                .unwrap_or("");
            let rindex = LineIndex::new(rtext);
            let p = rindex.position(rtext, r.span.start());
            let _ = writeln!(
                out,
                "  = related {}:{}:{} {}",
                r.path, p.line, p.column_chars, r.message
            );
        }
    }
    out
}

#[test]
fn every_fixture_behaves() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for rule_dir in sorted_entries(&fixtures_dir()) {
        if !rule_dir.is_dir() {
            continue;
        }
        let rule_name = rule_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(meta) = rules::lookup(&rule_name) else {
            failures.push(format!(
                "fixtures/{rule_name}/: no rule with this id is registered"
            ));
            continue;
        };
        let Some(def) = rules::RULES.iter().find(|d| d.id == meta.id) else {
            continue;
        };
        let rule = def.id;
        let mut snapshot = String::new();
        for case in sorted_entries(&rule_dir) {
            let name = case
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bad = name.starts_with("bad-");
            let good = name.starts_with("good-");
            if !bad && !good {
                if name != "findings.snap" {
                    failures.push(format!(
                        "fixtures/{rule}/{name}: a case must be named bad-* or good-*"
                    ));
                }
                continue;
            }
            let (findings, outcome) = run_case(&case, rule);
            let got: BTreeSet<(String, u32)> = findings
                .iter()
                .map(|f| {
                    let text = outcome
                        .sources
                        .get(&f.path)
                        .map(String::as_str)
                        .unwrap_or("");
                    (
                        f.path.clone(),
                        LineIndex::new(text).position(text, f.span.start()).line,
                    )
                })
                .collect();
            let want = expected_lines(&case, rule);
            if bad && findings.is_empty() {
                failures.push(format!(
                    "fixtures/{rule}/{name}: a bad-* case produced no `{rule}` finding"
                ));
            }
            if good && !want.is_empty() {
                failures.push(format!(
                    "fixtures/{rule}/{name}: a good-* case carries `expect:` markers"
                ));
            }
            if got != want {
                let missing: Vec<_> = want.difference(&got).collect();
                let extra: Vec<_> = got.difference(&want).collect();
                failures.push(format!(
                    "fixtures/{rule}/{name}: findings differ from the `expect:` markers\n    missing (marked, not found): {missing:?}\n    unexpected (found, not marked): {extra:?}"
                ));
            }
            for f in &findings {
                if f.message.is_empty() {
                    failures.push(format!("fixtures/{rule}/{name}: empty message"));
                }
                assert!(matches!(
                    f.level,
                    Level::Error | Level::Warning | Level::Note
                ));
            }
            snapshot.push_str(&render(&name, &findings, &outcome));
        }
        let snap_path = rule_dir.join("findings.snap");
        let current = std::fs::read_to_string(&snap_path).unwrap_or_default();
        if current != snapshot {
            if update {
                std::fs::write(&snap_path, &snapshot).expect("write snapshot");
            } else {
                failures.push(format!(
                    "fixtures/{rule}/findings.snap is stale (run `UPDATE_SNAPSHOTS=1 cargo test` and review the diff):\n{}",
                    first_difference(&current, &snapshot)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

fn first_difference(old: &str, new: &str) -> String {
    let mut old_lines = old.lines();
    for (i, line) in new.lines().enumerate() {
        match old_lines.next() {
            Some(o) if o == line => {}
            Some(o) => return format!("    line {}:\n    - {o}\n    + {line}", i + 1),
            None => return format!("    line {}:\n    + {line}", i + 1),
        }
    }
    match old_lines.next() {
        Some(o) => format!("    snapshot has more lines, from: - {o}"),
        None => String::new(),
    }
}

/// Cheap robustness check in place of fuzzing: every fixture file cut at many points (every line
/// end and every 7th character) must still scan without a panic or an internal error.
#[test]
fn truncated_fixtures_never_crash() {
    use dataloss_scan::classify::{NameClass, classify_head, classify_name};
    use dataloss_scan::levels::path_context;
    use dataloss_scan::model::FileFacts;
    use dataloss_scan::source::SourceFile;

    let mut checked = 0;
    for rule_dir in sorted_entries(&fixtures_dir()) {
        for case in sorted_entries(&rule_dir) {
            for (rel, path) in case_files(&case) {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let kind = match classify_name(&rel) {
                    NameClass::Kind(k) => k,
                    NameClass::Sniff => match classify_head(text.as_bytes()) {
                        Some(k) => k,
                        None => continue,
                    },
                    // A program a command of the fixture runs: read as one here.
                    NameClass::Deferred => dataloss_scan::classify::FileKind::Program,
                    NameClass::Skip => continue,
                };
                let mut cuts: BTreeSet<usize> = (0..text.len()).step_by(7).collect();
                cuts.extend(text.match_indices('\n').map(|(i, _)| i));
                for cut in cuts {
                    if !text.is_char_boundary(cut) {
                        continue;
                    }
                    let file = SourceFile::new(rel.clone(), &text[..cut]);
                    let result = std::panic::catch_unwind(|| {
                        FileFacts::extract(file, kind, path_context(&rel))
                    });
                    assert!(
                        result.is_ok(),
                        "{} cut at byte {cut} panicked",
                        path.display()
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 0, "no fixture was checked");
}
