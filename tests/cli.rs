//! End-to-end tests of the real binary: exit codes, formats, `-o`, `--fail-on`, `--select` and
//! `--ignore`, suppressions, notices for bad input, walking rules, determinism.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::util::{BIN, Run, repo, run_in};

const STOP_SH: &str = "#!/bin/sh\nset -e\ndocker compose down -v\n";

fn rules_of(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn exit_codes() {
    let clean = repo(&[("start.sh", "#!/bin/sh\ndocker compose up -d\n")]);
    let r = run_in(clean.path(), &["."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("No findings (1 file scanned"),
        "{}",
        r.stdout
    );

    let dirty = repo(&[("stop.sh", STOP_SH)]);
    let r = run_in(dirty.path(), &["."]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("stop.sh:3:1: warning[compose-down-volumes]"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("help:"), "{}", r.stdout);
    // No backup precedes the `down -v`: the backup pack says so too.
    assert!(
        r.stdout
            .contains("stop.sh:3:1: warning[destructive-without-backup]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Found 0 errors, 2 warnings, 0 notes (1 file scanned"),
        "{}",
        r.stdout
    );

    assert_eq!(run_in(dirty.path(), &["--fail-on", "error"]).code, 0);
    assert_eq!(run_in(dirty.path(), &["--fail-on", "warning"]).code, 1);
    assert_eq!(run_in(dirty.path(), &["--fail-on", "note"]).code, 1);
    assert_eq!(run_in(dirty.path(), &["--fail-on", "never"]).code, 0);

    // The scan could not be done: exit 2 with a message.
    let r = run_in(dirty.path(), &["does-not-exist"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("path does not exist"), "{}", r.stderr);
    assert_eq!(run_in(dirty.path(), &["--format", "xml"]).code, 2);
    let r = run_in(dirty.path(), &["--select", "no-such-rule"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown rule or pack `no-such-rule`"),
        "{}",
        r.stderr
    );
    let r = run_in(dirty.path(), &["--config", "missing.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read config"), "{}", r.stderr);
}

#[test]
fn config_file_is_found_and_strict() {
    let dir = repo(&[
        ("stop.sh", STOP_SH),
        ("dataloss-scan.toml", "fail-on = \"error\"\n"),
    ]);
    assert_eq!(
        run_in(dir.path(), &[]).code,
        0,
        "fail-on from the config file"
    );
    assert_eq!(
        run_in(dir.path(), &["--fail-on", "warning"]).code,
        1,
        "the flag wins"
    );

    let dir = repo(&[
        ("stop.sh", STOP_SH),
        (
            ".github/dataloss-scan.toml",
            "[rules.compose-down-volumes]\nlevel = \"error\"\n",
        ),
    ]);
    let r = run_in(dir.path(), &["--format", "json"]);
    assert_eq!(r.json()["findings"][0]["level"], "error");

    let dir = repo(&[
        ("stop.sh", STOP_SH),
        (
            "dataloss-scan.toml",
            "select = [\"shell\"]\nfail_on = \"x\"\n",
        ),
    ]);
    let r = run_in(dir.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("line 2") && r.stderr.contains("fail_on"),
        "{}",
        r.stderr
    );
}

#[test]
fn output_file_is_written_whole() {
    let dir = repo(&[("stop.sh", STOP_SH)]);
    let r = run_in(dir.path(), &["--format", "json", "-o", "report.json"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    let text = std::fs::read_to_string(dir.path().join("report.json")).expect("report");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(doc["version"], 1);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary file left behind");

    let r = run_in(dir.path(), &["-o", "no/such/dir/report.txt"]);
    assert_eq!(r.code, 2, "an unwritable output is exit 2");
    assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
}

#[test]
fn json_document() {
    let dir = repo(&[(
        "scripts/stop.sh",
        "#!/bin/sh\n# é\ndocker volume rm shop_pgdata\n",
    )]);
    let r = run_in(dir.path(), &["--format", "json"]);
    let doc = r.json();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "dataloss-scan");
    let findings = doc["findings"].as_array().expect("findings");
    let f = findings
        .iter()
        .find(|f| f["rule"] == "docker-volume-remove")
        .expect("docker-volume-remove finding");
    assert_eq!(f["rule"], "docker-volume-remove");
    assert_eq!(f["level"], "warning");
    assert_eq!(f["path"], "scripts/stop.sh");
    assert_eq!(f["start"], serde_json::json!({"line": 3, "column": 1}));
    assert_eq!(f["end"], serde_json::json!({"line": 3, "column": 29}));
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .contains("`shop_pgdata`")
    );
    assert!(!f["help"].as_str().expect("help").is_empty());
    assert_eq!(f["fingerprint"].as_str().expect("fingerprint").len(), 16);
    // The same step has no backup before it: `destructive-without-backup`.
    assert_eq!(doc["summary"]["warnings"], 2);
    assert_eq!(doc["summary"]["files_scanned"], 1);

    // Paths are relative to where the user stands.
    let parent = dir.path().parent().expect("parent");
    let name = dir
        .path()
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let r = run_in(parent, &["--format", "json", &name]);
    assert_eq!(
        r.json()["findings"][0]["path"],
        format!("{name}/scripts/stop.sh")
    );
}

#[test]
fn select_and_ignore_take_ids_and_packs() {
    let dir = repo(&[(
        "stop.sh",
        "#!/bin/sh\ndocker compose down -v\ndocker volume prune -f\n",
    )]);
    let all = rules_of(&(run_in(dir.path(), &["-f", "json"])).json());
    assert_eq!(
        all,
        [
            "compose-down-volumes",
            "destructive-without-backup",
            "destructive-without-backup",
            "docker-volume-remove"
        ]
    );
    let only = rules_of(
        &(run_in(
            dir.path(),
            &["-f", "json", "--select", "docker-volume-remove"],
        ))
        .json(),
    );
    assert_eq!(only, ["docker-volume-remove"]);
    let pack = rules_of(&(run_in(dir.path(), &["-f", "json", "--select", "shell"])).json());
    assert_eq!(pack, ["compose-down-volumes", "docker-volume-remove"]);
    let ignored = rules_of(
        &(run_in(
            dir.path(),
            &["-f", "json", "--ignore", "compose-down-volumes"],
        ))
        .json(),
    );
    assert_eq!(
        ignored,
        [
            "destructive-without-backup",
            "destructive-without-backup",
            "docker-volume-remove"
        ]
    );
    // The backup pack judges the shell pack's findings even when they are not shown.
    let backup = rules_of(&(run_in(dir.path(), &["-f", "json", "--ignore", "shell"])).json());
    assert_eq!(
        backup,
        ["destructive-without-backup", "destructive-without-backup"]
    );
    let none = rules_of(
        &(run_in(
            dir.path(),
            &["-f", "json", "--ignore", "shell", "--ignore", "backup"],
        ))
        .json(),
    );
    assert!(none.is_empty());
}

#[test]
fn inline_suppressions() {
    let dir = repo(&[(
        "stop.sh",
        "#!/bin/sh\n\
         docker compose down -v  # dataloss-scan: ignore[compose-down-volumes] local reset only\n\
         # dataloss-scan: ignore[docker-volume-remove] cache volume, no data\n\
         docker volume rm cache\n\
         # dataloss-scan: ignore[docker-volume-remove] nothing here\n\
         echo done\n\
         docker volume prune -f # dataloss-scan: ignore[drop-tabel] typo\n",
    )]);
    let doc = (run_in(dir.path(), &["-f", "json"])).json();
    let found: Vec<(String, u64)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("unused-suppression".to_string(), 5),
            // Suppressed steps are intended: only the unsuppressed prune lacks a backup.
            ("destructive-without-backup".to_string(), 7),
            ("docker-volume-remove".to_string(), 7),
            ("unused-suppression".to_string(), 7),
        ]
    );
    assert_eq!(doc["summary"]["suppressed"], 2);
    let unknown = &doc["findings"][3]["message"];
    assert!(
        unknown.as_str().unwrap_or("").contains("`drop-tabel`"),
        "{unknown}"
    );

    let with = (run_in(dir.path(), &["-f", "json", "--include-suppressed"])).json();
    let suppressed: Vec<&Value> = with["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f.get("suppressed").is_some())
        .collect();
    assert_eq!(suppressed.len(), 2);
    assert_eq!(
        suppressed[0]["suppressed"]["justification"],
        "local reset only"
    );

    // The file-wide form, in the first comment block.
    let dir = repo(&[(
        "reset.sh",
        "#!/bin/sh\n# dataloss-scan: ignore-file[compose-down-volumes] dev-only helper\nset -e\ndocker compose down -v\ndocker compose down --volumes\n",
    )]);
    let r = run_in(dir.path(), &["-f", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(rules_of(&r.json()).is_empty());
}

#[test]
fn notices_for_bad_input_and_the_scan_goes_on() {
    let dir = repo(&[("stop.sh", STOP_SH), ("data.sql", "SELECT 1;\n")]);
    std::fs::write(
        dir.path().join("blob.sh"),
        b"\x7fELF\x00\x01\x02docker compose down -v",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("latin1.sh"),
        b"#!/bin/sh\n# caf\xe9\ndocker compose down -v\n",
    )
    .expect("write");
    let outside = tempfile::tempdir().expect("outside");
    std::fs::write(outside.path().join("secret.sh"), STOP_SH).expect("write");
    std::os::unix::fs::symlink(
        outside.path().join("secret.sh"),
        dir.path().join("linked.sh"),
    )
    .expect("symlink");

    let r = run_in(dir.path(), &["."]);
    assert_eq!(r.code, 1, "the rest of the repository is still scanned");
    assert!(r.stdout.contains("stop.sh:3:1"), "{}", r.stdout);
    assert!(
        r.stderr.contains("blob.sh: skipped: binary file [binary]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("latin1.sh:2: skipped: not valid UTF-8 [not-utf8]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("linked.sh: skipped: symbolic link pointing outside the scan root"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stdout.contains("linked.sh"),
        "a link out of the root is never followed"
    );

    let doc = (run_in(dir.path(), &["-f", "json"])).json();
    let kinds: Vec<&str> = doc["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .map(|n| n["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["binary", "not-utf8", "symlink-outside-root"]);

    // -q hides notices in human mode.
    let r = run_in(dir.path(), &["-q"]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn unreadable_file_is_a_notice() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo(&[("stop.sh", STOP_SH), ("locked.sh", STOP_SH)]);
    let locked = dir.path().join("locked.sh");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod dir");
    // Root reads anything: run as `nobody` then, so the permission is enforced.
    let is_root = std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false);
    // The checkout may sit where `nobody` cannot enter: run a copy from a directory it can.
    let tools = tempfile::tempdir().expect("tempdir");
    let mut cmd = if is_root {
        std::fs::set_permissions(tools.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        let bin = tools.path().join("dataloss-scan");
        std::fs::copy(BIN, &bin).expect("copy binary");
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        Command::new(BIN)
    };
    let out = cmd
        .args(["-f", "json", "."])
        .current_dir(dir.path())
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let doc: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    let notice = &doc["notices"][0];
    assert_eq!(notice["kind"], "unreadable");
    assert_eq!(notice["path"], "locked.sh");
    assert!(
        notice["message"]
            .as_str()
            .unwrap_or("")
            .contains("permission denied")
    );
    assert_eq!(
        rules_of(&doc),
        ["compose-down-volumes", "destructive-without-backup"]
    );
}

#[test]
fn walking_honours_ignores_and_never_enters_git() {
    let dir = repo(&[
        ("stop.sh", STOP_SH),
        (".gitignore", "build/\n"),
        ("build/stop.sh", STOP_SH),
        (".ops/stop.sh", STOP_SH),
        (".git/hooks/stop.sh", STOP_SH),
        ("vendor/stop.sh", STOP_SH),
    ]);
    let paths = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["-f", "json"];
        all.extend_from_slice(args);
        let mut paths: Vec<String> = (run_in(dir.path(), &all)).json()["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["path"].as_str().unwrap_or("").to_string())
            .collect();
        paths.dedup();
        paths
    };
    assert_eq!(paths(&[]), [".ops/stop.sh", "stop.sh", "vendor/stop.sh"]);
    assert_eq!(
        paths(&["--no-ignore"]),
        [".ops/stop.sh", "build/stop.sh", "stop.sh", "vendor/stop.sh"]
    );
    assert_eq!(
        paths(&["--exclude", "vendor/"]),
        [".ops/stop.sh", "stop.sh"]
    );
    // A single file can be named directly.
    assert_eq!(paths(&["vendor/stop.sh"]), ["vendor/stop.sh"]);
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..60 {
        files.push((
            format!("s{}/stop{i}.sh", i % 7),
            format!("#!/bin/sh\ndocker volume rm v{i}\ndocker compose down -v\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = repo(&refs);
    let one = run_in(dir.path(), &["-f", "json", "-j", "1"]).stdout;
    let four = run_in(dir.path(), &["-f", "json", "-j", "4"]).stdout;
    assert_eq!(one, four);
    assert_eq!(
        (run_in(dir.path(), &["-f", "json"])).json()["summary"]["warnings"],
        // Each file: two deletions, each without a backup before it.
        240
    );
}

#[test]
fn list_and_explain_rules() {
    let dir = repo(&[]);
    let r = run_in(dir.path(), &["--list-rules"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .lines()
            .any(|l| l.starts_with("compose-down-volumes ")
                && l.contains("shell")
                && l.contains("warning"))
    );
    let r = run_in(dir.path(), &["--list-rules", "--format", "json"]);
    let doc = r.json();
    assert!(
        doc["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .any(|r| r["id"] == "docker-volume-remove")
    );
    let r = run_in(dir.path(), &["--explain", "compose-down-volumes"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("## Why it loses data"));
    let r = run_in(dir.path(), &["--explain", "nope"]);
    assert_eq!(r.code, 2);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = repo(&[("stop.sh", STOP_SH)]);
    assert!(
        !run_in(dir.path(), &[]).stdout.contains('\x1b'),
        "no colour into a pipe"
    );
    assert!(
        run_in(dir.path(), &["--color", "always"])
            .stdout
            .contains('\x1b')
    );
    assert!(
        !run_in(dir.path(), &["--color", "never"])
            .stdout
            .contains('\x1b')
    );
}

#[test]
fn broken_pipe_exits_quietly() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..300 {
        files.push((format!("stop{i}.sh"), STOP_SH.to_string()));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = repo(&refs);
    let mut child = Command::new(BIN)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_demo_repository_reproduces_the_incident() {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/incident-demo");
    let r = run_in(&demo, &["-f", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let rules = rules_of(&r.json());
    assert!(
        rules.contains(&"compose-down-volumes".to_string()),
        "{rules:?}"
    );
    // Was there a backup? No: not before the restore's DROP DATABASE, and not anywhere.
    let doc = r.json();
    let backup: Vec<(String, String)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "destructive-without-backup" || f["rule"] == "no-backup-strategy")
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        backup.contains(&(
            "destructive-without-backup".to_string(),
            "scripts/restore.sh".to_string()
        )),
        "{backup:?}"
    );
    assert!(
        backup.contains(&(
            "no-backup-strategy".to_string(),
            "docker-compose.yml".to_string()
        )),
        "{backup:?}"
    );
}

#[test]
fn several_paths_keep_their_roots_apart() {
    // The same relative path under two roots: both files are reported, each under its root.
    let dir = repo(&[
        ("a/stop.sh", STOP_SH),
        ("b/stop.sh", STOP_SH),
        ("b/sub/x.sql", "DROP TABLE t;\n"),
    ]);
    let paths_of = |r: &Run| -> Vec<String> {
        r.json()["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["rule"] == "compose-down-volumes" || f["rule"] == "drop-table")
            .map(|f| f["path"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let r = run_in(dir.path(), &["-f", "json", "a", "b"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(paths_of(&r), ["a/stop.sh", "b/stop.sh", "b/sub/x.sql"]);
    // Files named one by one, and overlapping roots (a file reached twice is reported once).
    let r = run_in(dir.path(), &["-f", "json", "a/stop.sh", "b/stop.sh"]);
    assert_eq!(paths_of(&r), ["a/stop.sh", "b/stop.sh"]);
    let r = run_in(dir.path(), &["-f", "json", "b", "b/sub"]);
    assert_eq!(paths_of(&r), ["b/stop.sh", "b/sub/x.sql"]);
    // A root outside the working directory is shown as written, next to one inside it.
    let r = run_in(&dir.path().join("a"), &["-f", "json", ".", "../b"]);
    assert_eq!(paths_of(&r), ["../b/stop.sh", "../b/sub/x.sql", "stop.sh"]);
    // One root: paths stay relative to it (or to the working directory when it is inside).
    let r = run_in(&dir.path().join("a"), &["-f", "json", "../b"]);
    assert_eq!(paths_of(&r), ["stop.sh", "sub/x.sql"]);
    let r = run_in(dir.path(), &["-f", "json", "b"]);
    assert_eq!(paths_of(&r), ["b/stop.sh", "b/sub/x.sql"]);
    // The human summary counts both roots' files.
    let r = run_in(dir.path(), &["--color", "never", "a", "b"]);
    assert!(r.stdout.contains("(3 files scanned in "), "{}", r.stdout);
    // A missing PATH among others is a failed scan.
    let r = run_in(dir.path(), &["a", "missing"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing"), "{}", r.stderr);
}

#[test]
fn positions_are_right_for_cr_crlf_tabs_and_non_ascii_in_every_format() {
    // Old Mac (bare CR), CRLF with a tab and non-ASCII before the statement, a UTF-8 mark.
    let cr = "-- m\rSELECT 1;\r\tDROP TABLE a;\r-- 😀\rSELECT 2; DROP TABLE b;\r";
    let crlf = "-- é\r\n\t-- 😀\r\nSELECT 'é😀'; DROP TABLE c;\r\n";
    let dir = repo(&[
        ("cr.sql", cr),
        ("crlf.sql", crlf),
        ("bom.sql", "\u{feff}SELECT 'é'; DROP TABLE d;\n"),
    ]);
    let base = ["--select", "drop-table", "--color", "never", "."];
    // (path, line, character column, UTF-16 column, UTF-16 end column)
    let expected = [
        ("bom.sql", 1, 13, 13, 25),
        ("cr.sql", 3, 2, 2, 14),
        ("cr.sql", 5, 11, 11, 23),
        ("crlf.sql", 3, 14, 15, 27),
    ];

    let r = run_in(dir.path(), &[&["-f", "json"], &base[..]].concat());
    let doc = r.json();
    let got: Vec<(String, u64, u64, u64)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["start"]["line"].as_u64().unwrap_or(0),
                f["start"]["column"].as_u64().unwrap_or(0),
                f["end"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64, u64)> = expected
        .iter()
        .map(|&(p, l, c, c16, e16)| (p.to_string(), l, c, c + (e16 - c16)))
        .collect();
    assert_eq!(got, want, "JSON counts characters");

    let r = run_in(dir.path(), &[&["-f", "github"], &base[..]].concat());
    for &(p, l, _, c16, e16) in &expected {
        let needle = format!("file={p},line={l},col={c16},endLine={l},endColumn={e16},");
        assert!(r.stdout.contains(&needle), "{needle}\n{}", r.stdout);
    }

    let r = run_in(dir.path(), &[&["-f", "sarif"], &base[..]].concat());
    let doc: Value = serde_json::from_str(&r.stdout).expect("SARIF");
    let regions: Vec<(String, u64, u64, u64)> = doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|x| {
            let loc = &x["locations"][0]["physicalLocation"];
            (
                loc["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                loc["region"]["startLine"].as_u64().unwrap_or(0),
                loc["region"]["startColumn"].as_u64().unwrap_or(0),
                loc["region"]["endColumn"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64, u64)> = expected
        .iter()
        .map(|&(p, l, _, c16, e16)| (p.to_string(), l, c16, e16))
        .collect();
    assert_eq!(regions, want, "SARIF counts UTF-16 units");

    let r = run_in(dir.path(), &[&["-f", "gitlab"], &base[..]].concat());
    let doc: Value = serde_json::from_str(&r.stdout).expect("Code Quality JSON");
    let lines: Vec<(String, u64)> = doc
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| {
            (
                i["location"]["path"].as_str().unwrap_or("").to_string(),
                i["location"]["lines"]["begin"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let want: Vec<(String, u64)> = expected
        .iter()
        .map(|&(p, l, _, _, _)| (p.to_string(), l))
        .collect();
    assert_eq!(lines, want, "GitLab lines");

    // Human: the header and the excerpt show the right line, and a bare CR ends a line there
    // too (miette alone would draw the whole file as one line full of carriage returns).
    let r = run_in(dir.path(), &base);
    assert!(!r.stdout.contains('\r'), "{:?}", r.stdout);
    for &(p, l, c, _, _) in &expected {
        assert!(
            r.stdout
                .contains(&format!("{p}:{l}:{c}: warning[drop-table]")),
            "{}",
            r.stdout
        );
    }
    assert!(
        r.stdout.contains(" 3 │     DROP TABLE a;\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(" 5 │ SELECT 2; DROP TABLE b;\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(" 4 │ -- 😀\n"), "{}", r.stdout);
}

#[test]
fn list_flags_take_one_value_and_leave_the_paths_alone() {
    let dir = repo(&[
        ("src/stop.sh", STOP_SH),
        ("src/vendor/x.sql", "DROP TABLE t;\n"),
        ("other/y.sql", "DROP TABLE u;\n"),
    ]);
    // `src` is the PATH, not a second glob or rule id.
    let r = run_in(dir.path(), &["-f", "json", "--exclude", "vendor/", "src"]);
    let doc = r.json();
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(paths.iter().all(|p| *p == "src/stop.sh"), "{paths:?}");
    assert!(!paths.is_empty());
    let r = run_in(
        dir.path(),
        &["-f", "json", "--select", "drop-table", "other"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(rules_of(&r.json()), ["drop-table"]);
    // Lists: commas, or the flag repeated.
    let r = run_in(
        dir.path(),
        &[
            "-f",
            "json",
            "--select",
            "drop-table,compose-down-volumes",
            "--exclude",
            "other",
            "--exclude",
            "vendor/",
            ".",
        ],
    );
    assert_eq!(rules_of(&r.json()), ["compose-down-volumes"]);
}

#[test]
fn a_file_named_on_the_command_line_is_read_by_its_content_not_taken_for_a_script() {
    let dir = repo(&[
        ("notes.txt", "Reset with:\ndocker volume rm pgdata\n"),
        ("run.txt", "#!/bin/sh\ndocker volume rm pgdata\n"),
    ]);
    // A text file that merely mentions a command is not a shell script: no finding, a notice.
    let r = run_in(dir.path(), &["-f", "json", "notes.txt"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let doc = r.json();
    assert!(rules_of(&doc).is_empty(), "{}", r.stdout);
    assert_eq!(doc["notices"][0]["kind"], "unsupported", "{}", r.stdout);
    assert_eq!(doc["notices"][0]["path"], "notes.txt");
    // With a shell shebang it is a script, whatever its name.
    let r = run_in(
        dir.path(),
        &["-f", "json", "--select", "docker-volume-remove", "run.txt"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(rules_of(&r.json()), ["docker-volume-remove"]);
    assert!(r.json()["notices"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn a_file_argument_keeps_its_path_so_its_context_is_that_of_a_whole_scan() {
    let migration = "ALTER TABLE users DROP COLUMN age;\n";
    let dir = repo(&[
        ("db/migrations/0002_drop_age.up.sql", migration),
        ("tests/sql/reset.sql", "DROP TABLE users;\n"),
        (
            ".github/workflows/deploy.yml",
            "on: push\njobs:\n  deploy:\n    runs-on: self-hosted\n    steps:\n      - run: docker volume rm shop_pgdata\n",
        ),
    ]);
    let levels = |doc: &Value| -> Vec<(String, String, String)> {
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
                (s("path"), s("rule"), s("level"))
            })
            .collect()
    };
    let whole = levels(&(run_in(dir.path(), &["-f", "json", "--ignore", "backup"])).json());
    // As a pre-commit hook passes them: one path per file, from the repository root.
    for file in [
        "db/migrations/0002_drop_age.up.sql",
        "tests/sql/reset.sql",
        ".github/workflows/deploy.yml",
    ] {
        let r = run_in(dir.path(), &["-f", "json", "--ignore", "backup", file]);
        let one = levels(&r.json());
        let expected: Vec<_> = whole.iter().filter(|f| f.0 == file).cloned().collect();
        assert!(!expected.is_empty(), "{file}: the whole scan finds it");
        assert_eq!(
            one, expected,
            "{file}: same path, rule and level alone as in the whole scan"
        );
    }
    // Named from a subdirectory, the path is relative to where the scan runs.
    let r = run_in(
        &dir.path().join("db"),
        &["-f", "json", "migrations/0002_drop_age.up.sql"],
    );
    assert_eq!(
        levels(&r.json()),
        [(
            "migrations/0002_drop_age.up.sql".to_string(),
            "drop-column".to_string(),
            "error".to_string()
        )]
    );
}

#[test]
fn stdout_that_cannot_be_written_is_exit_2_unlike_a_closed_pipe() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        return; // Linux only; the closed-pipe half is `broken_pipe_exits_quietly`.
    }
    let dir = repo(&[("stop.sh", STOP_SH)]);
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .stdout(std::fs::File::create(full).expect("open /dev/full"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot write the report"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn special_files_and_outside_links_named_on_the_command_line_are_skipped_with_one_notice() {
    let dir = repo(&[("db/real.sh", STOP_SH)]);
    let outside = repo(&[("secret.sh", STOP_SH)]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.sh"),
        dir.path().join("db/out.sh"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink("real.sh", dir.path().join("db/alias.sh")).expect("symlink");
    let fifo = dir.path().join("db/pipe.sh");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let notice_of = |r: &Run| -> (String, String) {
        let doc = r.json();
        let n = &doc["notices"][0];
        (
            n["path"].as_str().unwrap_or("").to_string(),
            n["kind"].as_str().unwrap_or("").to_string(),
        )
    };
    // A link out of the root is not followed even when named: a notice, and nothing read.
    let r = run_in(dir.path(), &["-f", "json", "db/out.sh"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        notice_of(&r),
        ("db/out.sh".to_string(), "symlink-outside-root".to_string())
    );
    assert_eq!(r.json()["summary"]["files_scanned"], 0);
    // A link inside the root is read.
    let r = run_in(dir.path(), &["-f", "json", "db/alias.sh"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.json()["findings"][0]["path"], "db/alias.sh");
    // A FIFO is never opened (that would block), and its path is given once.
    if made.is_ok_and(|s| s.success()) {
        let r = run_in(dir.path(), &["-f", "json", "db/pipe.sh"]);
        assert_eq!(r.code, 0, "{}", r.stdout);
        assert_eq!(
            notice_of(&r),
            ("db/pipe.sh".to_string(), "special-file".to_string())
        );
    }
}

#[test]
fn programs_are_read_only_when_run() {
    // A program outside the program folders is read when a command runs it, in a scan and in
    // `--debug-facts` alike; one nothing runs is never opened, whatever SQL it holds.
    const DROP: &str =
        "const { Client } = require('pg');\nnew Client().query('DROP TABLE accounts');\n";
    let dir = repo(&[
        (
            "package.json",
            r#"{"scripts": {"prune": "node tools/prune.js"}}"#,
        ),
        ("tools/prune.js", DROP),
        ("lib/unused.js", DROP),
        ("scripts/nuke.js", DROP),
    ]);
    let found: Vec<String> =
        run_in(dir.path(), &["-f", "json", "--select", "drop-table"]).json()["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["path"].as_str().unwrap_or("").to_string())
            .collect();
    assert_eq!(found, ["scripts/nuke.js", "tools/prune.js"]);
    let facts = run_in(dir.path(), &["--debug-facts"]).json();
    let programs: Vec<&str> = facts
        .as_array()
        .expect("facts")
        .iter()
        .filter(|f| f["kind"] == "program")
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(programs, ["scripts/nuke.js", "tools/prune.js"]);
}
