//! End-to-end tests of `--baseline` (findings of an earlier SARIF or JSON report are left out,
//! matched by a fingerprint that survives line shifts) and `--diff REF` (only changed lines).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::util::{BIN, git, run_in};

fn scan(dir: &Path, args: &[&str]) -> (i32, Value) {
    let run = run_in(dir, args);
    (run.code, run.json())
}

fn lines(doc: &Value) -> Vec<(String, u64)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn baseline_leaves_out_known_findings_even_after_lines_move() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("stop.sh");
    std::fs::write(&script, "#!/bin/sh\ndocker compose down -v\n").expect("write");
    for format in ["json", "sarif"] {
        let baseline = dir.path().join(format!("baseline.{format}"));
        let out = Command::new(BIN)
            .args([
                "--select",
                "compose-down-volumes,docker-volume-remove",
                "-f",
                format,
                "-o",
            ])
            .arg(&baseline)
            .arg("stop.sh")
            .current_dir(dir.path())
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1));

        // Lines shift and a new finding appears: only the new one is reported.
        std::fs::write(&script, "#!/bin/sh\n# stop everything\nset -e\n\ndocker compose down -v\ndocker volume rm shop_data\n").expect("write");
        let base = baseline.to_string_lossy().into_owned();
        let (code, doc) = scan(
            dir.path(),
            &[
                "--select",
                "compose-down-volumes,docker-volume-remove",
                "-f",
                "json",
                "--baseline",
                &base,
                "stop.sh",
            ],
        );
        assert_eq!(
            lines(&doc),
            [("docker-volume-remove".to_string(), 6)],
            "{format}"
        );
        assert_eq!(code, 1);
        std::fs::write(&script, "#!/bin/sh\ndocker compose down -v\n").expect("write");
    }
    let out = Command::new(BIN)
        .args(["--baseline", "missing.json"])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing baseline stops the scan"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read baseline"));
}

#[test]
fn diff_reports_only_changed_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("stop.sh");
    std::fs::write(&script, "#!/bin/sh\ndocker compose down -v\n").expect("write");
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    std::fs::write(
        &script,
        "#!/bin/sh\ndocker compose down -v\ndocker volume prune -f\n",
    )
    .expect("write");
    let (_, doc) = scan(
        dir.path(),
        &[
            "--select",
            "compose-down-volumes,docker-volume-remove",
            "-f",
            "json",
            "--diff",
            "HEAD",
        ],
    );
    assert_eq!(lines(&doc), [("docker-volume-remove".to_string(), 3)]);
    let out = Command::new(BIN)
        .args(["--diff", "no-such-ref"])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
