//! The GitHub workflow-command and GitLab Code Quality formats on the real binary, and snapshots
//! of the human renderer (colour off, fixed width, no time) over a real scan.

use std::path::PathBuf;

use dataloss_scan::report::{self, Format, ReportOptions};
use dataloss_scan::{ScanOptions, rules, scan};
use serde_json::Value;

use crate::sarif::sample_repo;
use crate::util::{repo, run_in};

#[test]
fn github_format_emits_escaped_workflow_commands() {
    let dir = repo(&[
        // A comma and a colon in the path, `%` and a newline-bearing command in the script.
        (
            "ops/a,b:c.sh",
            "#!/bin/sh\n# 100% sure\ndocker compose down -v\n",
        ),
        ("scripts/cleanup.sh", "#!/bin/sh\ndocker volume prune -f\n"),
    ]);
    // The renderer is under test: the backup pack's findings on the same steps are covered by
    // its fixtures.
    let (code, out, _) =
        run_in(dir.path(), &["--format", "github", "--ignore=backup", "."]).parts();
    assert_eq!(code, 1);
    let out = String::from_utf8(out).expect("UTF-8");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with(
            "::warning file=ops/a%2Cb%3Ac.sh,line=3,col=1,endLine=3,endColumn=23,title=compose-down-volumes::`docker compose down -v` deletes"
        ),
        "{out}"
    );
    assert!(
        lines[1].starts_with(
            "::warning file=scripts/cleanup.sh,line=2,col=1,endLine=2,endColumn=23,title=docker-volume-remove::"
        ),
        "{out}"
    );
    for line in &lines {
        assert!(line.ends_with('.'), "a whole sentence: {line}");
    }

    let (code, out, _) = run_in(
        dir.path(),
        &[
            "--format",
            "github",
            "--ignore=backup",
            "--fail-on",
            "error",
            ".",
        ],
    )
    .parts();
    assert_eq!(code, 0, "warnings do not fail with --fail-on error");
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 2);
}

#[test]
fn github_format_levels_notices_and_suppressed() {
    let dir = sample_repo();
    std::fs::write(dir.path().join("blob.sh"), b"\x00\x01\x02").expect("write");
    let (_, out, _) = run_in(
        dir.path(),
        &["--format", "github", "--include-suppressed", "."],
    )
    .parts();
    let out = String::from_utf8(out).expect("UTF-8");
    assert!(
        out.contains("::notice file=scripts/cleanup.sh,line=2,"),
        "suppressed findings are notices: {out}"
    );
    assert!(
        out.contains("%0ASuppressed inline: throwaway CI runner"),
        "{out}"
    );
    assert!(
        out.contains(
            "::warning file=blob.sh,title=dataloss-scan%3A binary::skipped: binary file\n"
        ),
        "{out}"
    );
    // Columns are UTF-16 units: 18 of them (17 characters) come before `docker`.
    assert!(
        out.contains("file=scripts/stop.sh,line=3,col=19,endLine=3,endColumn=41,"),
        "{out}"
    );
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
}

#[test]
fn gitlab_format_is_code_quality_json() {
    let dir = sample_repo();
    let gitlab = ["--format", "gitlab", "--ignore=backup"];
    let (code, out, _) = run_in(dir.path(), &[&gitlab[..], &["-j", "1", "."]].concat()).parts();
    assert_eq!(code, 1);
    let (_, again, _) = run_in(dir.path(), &[&gitlab[..], &["-j", "4", "."]].concat()).parts();
    assert_eq!(out, again, "deterministic");
    let doc: Value = serde_json::from_slice(&out).expect("JSON");
    let issues = doc.as_array().expect("an array of issues");
    assert_eq!(issues.len(), 2);
    for issue in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(
                issue[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key}: {issue}"
            );
        }
        assert!(issue["location"]["path"].is_string());
        let begin = issue["location"]["lines"]["begin"].as_u64().expect("begin");
        let end = issue["location"]["lines"]["end"].as_u64().expect("end");
        assert!(begin >= 1 && end >= begin);
        assert_eq!(issue["severity"], "major", "warnings are major");
    }
    assert_eq!(issues[0]["location"]["path"], "scripts/cleanup.sh");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 4);
    assert_eq!(issues[1]["check_name"], "compose-down-volumes");
    assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);

    let (_, out, _) = run_in(
        dir.path(),
        &["--format", "gitlab", "--include-suppressed", "."],
    )
    .parts();
    let doc: Value = serde_json::from_slice(&out).expect("JSON");
    let info: Vec<&Value> = doc
        .as_array()
        .expect("array")
        .iter()
        .filter(|i| i["severity"] == "info")
        .collect();
    assert_eq!(info.len(), 1, "the suppressed finding is info");
}

/// Scan a directory with the library and render it for people, as a snapshot would see it.
fn human(dir: &std::path::Path, include_suppressed: bool, width: usize) -> String {
    let opts = ScanOptions {
        paths: vec![PathBuf::from(dir)],
        threads: 1,
        // The backup pack's findings on the same steps are covered by its fixtures.
        ignore: vec!["backup".into()],
        ..ScanOptions::default()
    };
    let outcome = scan(&opts).expect("scan");
    let ropts = ReportOptions {
        color: false,
        width,
        include_suppressed,
        show_time: false,
        ..ReportOptions::default()
    };
    let bytes = report::render(
        &outcome,
        rules::metadata().expect("metadata"),
        Format::Human,
        &ropts,
    );
    String::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn human_report_snapshot() {
    let dir = sample_repo();
    insta::assert_snapshot!("human_findings", human(dir.path(), false, 80));
}

#[test]
fn human_report_with_suppressed_snapshot() {
    let dir = sample_repo();
    insta::assert_snapshot!("human_with_suppressed", human(dir.path(), true, 100));
}

#[test]
fn human_report_clean_snapshot() {
    let dir = repo(&[("start.sh", "#!/bin/sh\ndocker compose up -d\n")]);
    insta::assert_snapshot!("human_clean", human(dir.path(), false, 80));
}
