//! Adversarial input: every case ends in a notice or a normal result, never a crash, a hang or a
//! stack overflow (which would abort the whole process). Each test stays fast in a debug build.

use std::path::Path;

use dataloss_scan::notice::NoticeKind;
use dataloss_scan::{ScanOptions, ScanOutcome, scan};

use crate::util::write;

fn scan_dir(dir: &Path) -> ScanOutcome {
    let opts = ScanOptions {
        paths: vec![dir.to_path_buf()],
        ..ScanOptions::default()
    };
    scan(&opts).expect("scan runs")
}

fn has_notice(outcome: &ScanOutcome, path: &str, kind: NoticeKind) -> bool {
    outcome
        .notices
        .iter()
        .any(|n| n.path.as_deref() == Some(path) && n.kind == kind)
}

fn finding_lines(outcome: &ScanOutcome, path: &str, rule: &str) -> Vec<u32> {
    let text = &outcome.sources[path];
    let index = dataloss_scan::source::LineIndex::new(text);
    outcome
        .findings
        .iter()
        .filter(|f| f.path == path && f.rule == rule)
        .map(|f| index.position(text, f.span.start()).line)
        .collect()
}

#[test]
fn yaml_nested_past_the_grammar_scanner_limit_is_a_notice_not_an_abort() {
    // tree-sitter-yaml's scanner asserts (aborting the process) past ~253 block levels.
    let dir = tempfile::tempdir().expect("tempdir");
    let deep: String = (0..300)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    write(dir.path(), "docker-compose.yml", &deep);
    write(
        dir.path(),
        "compact.yml",
        // Other YAML is parsed when a top-level key makes it a possible Compose file.
        format!("services:\n{}x\n", "- ".repeat(400)),
    );
    write(dir.path(), "drop.sql", "DROP TABLE users;\n");
    let outcome = scan_dir(dir.path());
    assert!(has_notice(
        &outcome,
        "docker-compose.yml",
        NoticeKind::ParseError
    ));
    assert!(has_notice(&outcome, "compact.yml", NoticeKind::ParseError));
    // The rest of the scan goes on.
    assert_eq!(finding_lines(&outcome, "drop.sql", "drop-table"), vec![1]);
}

#[test]
fn deeply_nested_shell_is_capped_with_a_notice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let subst = format!(
        "#!/bin/sh\necho {}x{}\ndropdb prod\n",
        "$(".repeat(10_000),
        ")".repeat(10_000)
    );
    write(dir.path(), "subst.sh", subst);
    let subshells = format!(
        "#!/bin/sh\n{}dropdb prod\n{}",
        "(\n".repeat(5_000),
        ")\n".repeat(5_000)
    );
    write(dir.path(), "subshells.sh", subshells);
    let outcome = scan_dir(dir.path());
    assert!(has_notice(&outcome, "subst.sh", NoticeKind::ParseError));
    assert!(has_notice(&outcome, "subshells.sh", NoticeKind::ParseError));
    // After the nesting closes, the script is read again.
    assert_eq!(
        finding_lines(&outcome, "subst.sh", "drop-database"),
        vec![3]
    );
}

#[test]
fn yaml_over_32768_lines_is_a_notice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("services:\n  db:\n    image: postgres:16\n    environment:\n");
    for i in 0..33_000 {
        text.push_str(&format!("      V{i}: x\n"));
    }
    write(dir.path(), "docker-compose.yml", &text);
    let outcome = scan_dir(dir.path());
    assert!(has_notice(
        &outcome,
        "docker-compose.yml",
        NoticeKind::ParseError
    ));
}

#[test]
fn oversized_and_binary_files_are_skipped_with_notices() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "big.sql", "SELECT 1;\n".repeat(3_000));
    write(dir.path(), "bin.sh", b"#!/bin/sh\n\0\x01\x02dropdb prod\n");
    // A NUL far into the file makes it binary too (ripgrep quits a file at a NUL wherever it
    // finds one): skipped with a notice, never parsed as text.
    let mut late = b"#!/bin/sh\n".to_vec();
    late.extend(b"# pad\n".repeat(1_600));
    late.extend(b"\0\ndropdb prod\n");
    write(dir.path(), "late-nul.sh", &late);
    let mut opts = ScanOptions {
        paths: vec![dir.path().to_path_buf()],
        ..ScanOptions::default()
    };
    opts.config.max_file_size = Some(20_000);
    let outcome = scan(&opts).expect("scan runs");
    assert!(has_notice(&outcome, "big.sql", NoticeKind::TooLarge));
    assert!(has_notice(&outcome, "bin.sh", NoticeKind::Binary));
    assert!(has_notice(&outcome, "late-nul.sh", NoticeKind::Binary));
    assert!(outcome.findings.iter().all(|f| f.path != "late-nul.sh"));
}

#[test]
fn one_huge_sql_statement_does_not_hide_the_next() {
    let dir = tempfile::tempdir().expect("tempdir");
    let values: Vec<String> = (0..40_000).map(|i| format!("({i},'x{i}')")).collect();
    let sql = format!(
        "INSERT INTO t VALUES {};\nDROP TABLE users;\n",
        values.join(",")
    );
    write(dir.path(), "one.sql", sql);
    let nested = format!(
        "SELECT {}1{};\nDROP TABLE orders;\n",
        "(".repeat(5_000),
        ")".repeat(5_000)
    );
    write(dir.path(), "nested.sql", nested);
    let outcome = scan_dir(dir.path());
    assert_eq!(finding_lines(&outcome, "one.sql", "drop-table"), vec![2]);
    assert_eq!(finding_lines(&outcome, "nested.sql", "drop-table"), vec![2]);
}

#[test]
fn crlf_and_cr_only_files_keep_their_line_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "crlf.sh",
        "#!/bin/sh\r\necho hi\r\ndropdb prod\r\n",
    );
    write(dir.path(), "cr.sql", "SELECT 1;\rDROP TABLE users;\r");
    write(
        dir.path(),
        "docker-compose.yml",
        "services:\r  db:\r    image: postgres\r    ports:\r      - \"5432:5432\"\r",
    );
    let outcome = scan_dir(dir.path());
    assert_eq!(finding_lines(&outcome, "crlf.sh", "drop-database"), vec![3]);
    assert_eq!(finding_lines(&outcome, "cr.sql", "drop-table"), vec![2]);
    assert_eq!(
        finding_lines(&outcome, "docker-compose.yml", "db-port-public"),
        vec![5]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_fifos_never_hang_the_walk() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a/x.sh", "#!/bin/sh\ndropdb prod\n");
    std::os::unix::fs::symlink("../a", dir.path().join("a/loop")).expect("symlink");
    std::os::unix::fs::symlink("self.sh", dir.path().join("self.sh")).expect("symlink");
    let fifo = dir.path().join("pipe.sh");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let outcome = scan_dir(dir.path());
    assert_eq!(finding_lines(&outcome, "a/x.sh", "drop-database"), vec![2]);
    assert!(has_notice(&outcome, "pipe.sh", NoticeKind::SpecialFile));
    assert!(has_notice(
        &outcome,
        "self.sh",
        NoticeKind::SymlinkOutsideRoot
    ));
}

#[test]
fn a_nul_byte_anywhere_makes_a_file_binary() {
    // git and ripgrep look at the first 8 KiB only; the file is read whole here, so a NUL after
    // that block is seen too, and the file is not parsed as text.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut late = format!("-- {}\n", "x".repeat(9_000)).into_bytes();
    late.extend_from_slice(b"\0\nDROP TABLE users;\n");
    write(dir.path(), "late.sql", late);
    write(dir.path(), "clean.sql", "DROP TABLE users;\n");
    let outcome = scan_dir(dir.path());
    assert!(has_notice(&outcome, "late.sql", NoticeKind::Binary));
    assert!(outcome.findings.iter().all(|f| f.path != "late.sql"));
    assert_eq!(finding_lines(&outcome, "clean.sql", "drop-table"), vec![1]);
}

/// (line, UTF-16 column) of each finding of `rule` in `path`.
fn finding_positions(outcome: &ScanOutcome, path: &str, rule: &str) -> Vec<(u32, u32)> {
    let text = &outcome.sources[path];
    let index = dataloss_scan::source::LineIndex::new(text);
    outcome
        .findings
        .iter()
        .filter(|f| f.path == path && f.rule == rule)
        .map(|f| {
            let p = index.position(text, f.span.start());
            (p.line, p.column_utf16)
        })
        .collect()
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn byte_order_marks_are_decoded_and_take_no_column() {
    use dataloss_scan::source::Encoding;
    let dir = tempfile::tempdir().expect("tempdir");
    let bom = |text: &str| [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    // A UTF-8 mark before the shebang: still a script, and columns count from after the mark.
    write(
        dir.path(),
        "scripts/reset.sh",
        bom("#!/bin/sh\ndocker volume rm pgdata; docker volume rm other\n"),
    );
    // An extensionless script is recognised by its shebang behind the mark.
    write(
        dir.path(),
        "bin/wipe",
        bom("#!/bin/sh\ndocker volume rm pgdata\n"),
    );
    // sqlparser would fail on the mark itself; the statement on line 1 must still be seen.
    write(dir.path(), "db/drop.sql", bom("DROP TABLE users;\n"));
    write(
        dir.path(),
        "docker-compose.yml",
        bom("services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n"),
    );
    // UTF-16 (as SSMS and PowerShell's `>` write it), both byte orders, CRLF, non-ASCII.
    write(
        dir.path(),
        "db/le.sql",
        utf16("-- données\r\nSELECT 1; DROP TABLE a;\r\n", false),
    );
    write(dir.path(), "db/be.sql", utf16("DROP TABLE b;\n", true));
    // A UTF-16 mark with an odd number of bytes after it is not text.
    write(dir.path(), "db/broken.sql", [0xFF, 0xFE, b'D', 0, b'R']);
    // An empty file, a mark alone and a shebang alone: nothing to say, no notice.
    write(dir.path(), "empty.sh", "");
    write(dir.path(), "mark.sql", "\u{feff}");
    write(dir.path(), "bin/only-shebang", "#!/bin/sh");
    write(dir.path(), "only-shebang.sh", "#!/usr/bin/env bash\n");

    let outcome = scan_dir(dir.path());
    assert_eq!(
        finding_positions(&outcome, "scripts/reset.sh", "docker-volume-remove"),
        vec![(2, 1), (2, 26)]
    );
    assert_eq!(
        finding_positions(&outcome, "bin/wipe", "docker-volume-remove"),
        vec![(2, 1)]
    );
    assert_eq!(
        finding_positions(&outcome, "db/drop.sql", "drop-table"),
        vec![(1, 1)]
    );
    assert_eq!(
        finding_positions(&outcome, "docker-compose.yml", "db-port-public"),
        vec![(5, 9)]
    );
    assert_eq!(
        finding_positions(&outcome, "db/le.sql", "drop-table"),
        vec![(2, 11)]
    );
    assert_eq!(
        finding_positions(&outcome, "db/be.sql", "drop-table"),
        vec![(1, 1)]
    );
    assert_eq!(outcome.encodings["db/drop.sql"], Encoding::Utf8Bom);
    assert_eq!(outcome.encodings["db/le.sql"], Encoding::Utf16);
    assert!(has_notice(&outcome, "db/broken.sql", NoticeKind::NotUtf8));
    let others: Vec<_> = outcome
        .notices
        .iter()
        .filter(|n| n.path.as_deref() != Some("db/broken.sql"))
        .collect();
    assert!(others.is_empty(), "{others:?}");
    assert!(
        outcome.findings.iter().all(|f| !f.path.contains("empty")
            && !f.path.contains("mark")
            && !f.path.contains("only-shebang")),
        "{:?}",
        outcome.findings
    );
}

#[test]
fn nested_shell_and_compose_defaults_are_capped_with_a_notice() {
    // `${a:-${a:-…}}` recursed once per level in the shell front-end and in Compose
    // interpolation: a 30 KB file overflowed a worker's stack and aborted the whole scan.
    let dir = tempfile::tempdir().expect("tempdir");
    let deep = |n: usize| format!("{}x{}", "${a:-".repeat(n), "}".repeat(n));
    write(
        dir.path(),
        "deep.sh",
        format!("#!/bin/sh\necho {}\ndropdb prod\n", deep(5_000)),
    );
    write(
        dir.path(),
        "docker-compose.yml",
        format!(
            "services:\n  db:\n    image: \"{}\"\n    ports:\n      - \"5432:5432\"\n",
            deep(10_000)
        ),
    );
    let outcome = scan_dir(dir.path());
    assert!(has_notice(&outcome, "deep.sh", NoticeKind::ParseError));
    assert!(has_notice(
        &outcome,
        "docker-compose.yml",
        NoticeKind::ParseError
    ));
    assert_eq!(finding_lines(&outcome, "deep.sh", "drop-database"), vec![3]);
}

#[test]
fn doubling_variables_stop_at_a_size_cap_with_a_notice() {
    // 32 shell lines `V1="$V0$V0"` … and a Makefile expanding `$(B)` 50 times per level for 8
    // levels: 23 GB before the kernel killed the scan. Values past the cap are unknown.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sh = String::from("#!/bin/sh\nV0=abcdefghij\n");
    for i in 1..=32 {
        sh.push_str(&format!("V{i}=\"$V{}$V{}\"\n", i - 1, i - 1));
    }
    // Many references to a large known value: the file's budget stops them.
    sh.push_str("BIG=\"$V12\"\n");
    for _ in 0..2_000 {
        sh.push_str("echo \"$BIG$BIG$BIG$BIG\"\n");
    }
    sh.push_str("dropdb \"$V32\"\n");
    write(dir.path(), "double.sh", &sh);
    let mut mk = String::from("A0 = abcdefghij\n");
    for i in 1..=8 {
        let refs = vec![format!("$(A{})", i - 1); 50].join(" ");
        mk.push_str(&format!("A{i} = {refs}\n"));
    }
    mk.push_str("reset:\n");
    for _ in 0..200 {
        mk.push_str("\techo $(A2) $(A2)\n");
    }
    mk.push_str("\tdropdb $(A8)\n");
    write(dir.path(), "Makefile", &mk);
    let outcome = scan_dir(dir.path());
    let messages: Vec<&str> = outcome
        .notices
        .iter()
        .filter(|n| n.path.as_deref() == Some("double.sh"))
        .map(|n| n.message.as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("over 64 KiB"))
            && messages.iter().any(|m| m.contains("stopped after")),
        "{messages:?}"
    );
    assert!(has_notice(&outcome, "Makefile", NoticeKind::ParseError));
    assert_eq!(
        finding_lines(&outcome, "double.sh", "drop-database"),
        vec![2_036]
    );
    assert_eq!(
        finding_lines(&outcome, "Makefile", "drop-database"),
        vec![211]
    );
}

#[test]
fn a_finding_past_column_65535_renders_in_human_output() {
    // miette cannot lay out a column past u16::MAX: a minified one-line SQL dump made the human
    // report panic (exit 101, no report). The line is cut around the finding instead.
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "dump.sql",
        format!(
            "{}DROP TABLE users;{}\n",
            "SELECT 1;".repeat(8_000),
            "SELECT 2;".repeat(100)
        ),
    );
    let run = crate::util::run_in(dir.path(), &["--color", "never", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("dump.sql:1:72001: warning[drop-table]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(" 1 │ …ELECT 1;SELECT 1;"));
    assert!(run.stdout.contains("SELECT 1;DROP TABLE users;SELECT 2;"));
    // The cut line, not the 73 KB one, is shown.
    assert!(run.stdout.len() < 2_000, "{}", run.stdout.len());
}

/// Run the binary in `dir` with `args`, killing it after `secs`: `None` when it had to be killed.
#[cfg(unix)]
fn run_with_timeout(dir: &Path, args: &[&str], secs: u64) -> Option<(i32, String, String)> {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(crate::util::BIN)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the binary");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut out = String::new();
            let mut err = String::new();
            if let Some(mut s) = child.stdout.take() {
                let _ = s.read_to_string(&mut out);
            }
            if let Some(mut s) = child.stderr.take() {
                let _ = s.read_to_string(&mut err);
            }
            return Some((status.code().unwrap_or(-1), out, err));
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[test]
fn a_named_fifo_is_never_opened_whatever_hides_it() {
    // Named on the command line, a FIFO that the walk never saw (gitignored, excluded) or saw
    // as a link inside the root was opened, and the open blocked forever.
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".gitignore", "ignored.sh\n");
    for name in ["ignored.sh", "excluded.sh", "plain.sh"] {
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join(name))
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
    }
    std::os::unix::fs::symlink("plain.sh", dir.path().join("link.sh")).expect("symlink");
    std::os::unix::fs::symlink("ignored.sh", dir.path().join("hidden-link.sh")).expect("symlink");
    write(dir.path(), "ok.sh", "#!/bin/sh\ndropdb prod\n");
    let cases: [&[&str]; 4] = [
        &["ignored.sh", "ok.sh"],
        &["--exclude", "excluded.sh", "excluded.sh", "ok.sh"],
        &["link.sh", "ok.sh"],
        &["hidden-link.sh", "ok.sh"],
    ];
    for args in cases {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let Some((code, stdout, stderr)) = run_with_timeout(dir.path(), &all, 30) else {
            panic!("{args:?}: the scan hung on a FIFO");
        };
        assert_eq!(code, 1, "{args:?}: {stderr}");
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
        let kinds: Vec<&str> = doc["notices"]
            .as_array()
            .expect("notices")
            .iter()
            .filter_map(|n| n["kind"].as_str())
            .collect();
        assert_eq!(kinds, ["special-file"], "{args:?}: {stdout}");
        assert_eq!(
            doc["findings"].as_array().map(Vec::len),
            Some(2),
            "{stdout}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_named_file_is_never_read_through_a_link_out_of_the_root() {
    // Ignored or excluded, the name was not seen by the walk, so nothing checked where its link
    // led: the file outside the root was read (and its text could end up in a report).
    let outside = tempfile::tempdir().expect("tempdir");
    write(
        outside.path(),
        "secret.sh",
        "#!/bin/sh\nexport PGPASSWORD=Outside7pw\ndropdb prod\n",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".gitignore", "ignored.sh\n");
    for name in ["ignored.sh", "excluded.sh"] {
        std::os::unix::fs::symlink(outside.path().join("secret.sh"), dir.path().join(name))
            .expect("symlink");
    }
    for args in [
        &["ignored.sh"][..],
        &["--exclude", "excluded.sh", "excluded.sh"],
    ] {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = run_with_timeout(dir.path(), &all, 30).expect("finishes");
        assert_eq!(code, 0, "{args:?}: {stdout}{stderr}");
        assert!(!stdout.contains("Outside7pw") && !stderr.contains("Outside7pw"));
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
        assert_eq!(
            doc["findings"].as_array().map(Vec::len),
            Some(0),
            "{stdout}"
        );
        assert_eq!(
            doc["notices"][0]["kind"].as_str(),
            Some("symlink-outside-root"),
            "{stdout}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_config_linked_out_of_the_root_is_an_error_that_quotes_nothing() {
    // `.github/dataloss-scan.toml` → `/proc/self/environ` put the process environment (CI
    // tokens) into the parse error. A discovered config must be a regular file in the root, and
    // no config error quotes the file's text.
    let outside = tempfile::tempdir().expect("tempdir");
    write(
        outside.path(),
        "environ",
        "GITHUB_TOKEN=ghp_Canary7token\nselect = \"Canary7value\"\n",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "ok.sh", "#!/bin/sh\ndropdb prod\n");
    std::fs::create_dir_all(dir.path().join(".github")).expect("mkdir");
    std::os::unix::fs::symlink(
        outside.path().join("environ"),
        dir.path().join(".github/dataloss-scan.toml"),
    )
    .expect("symlink");
    let (code, stdout, stderr) = run_with_timeout(dir.path(), &["."], 30).expect("finishes");
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("outside the scan root"), "{stderr}");
    assert!(
        !stderr.contains("Canary7") && !stdout.contains("Canary7"),
        "{stderr}"
    );
    // Named with --config (the user's choice), it is read, and its errors still quote nothing.
    for text in [
        "GITHUB_TOKEN=ghp_Canary7token\n",
        "select = \"Canary7value\"\n",
        "[rules.drop-table]\nlevel = \"Canary7level\"\n",
    ] {
        write(outside.path(), "environ", text);
        let config = outside.path().join("environ");
        let config = config.to_str().expect("utf-8 path");
        let (code, stdout, stderr) =
            run_with_timeout(dir.path(), &["--config", config, "."], 30).expect("finishes");
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(stderr.contains("line "), "{stderr}");
        assert!(
            !stderr.contains("Canary7") && !stdout.contains("Canary7"),
            "{stderr}"
        );
    }
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_stay_distinct_files() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, table) in [(&b"\xff.sql"[..], "a"), (&b"\xfe.sql"[..], "b")] {
        let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, format!("DROP TABLE {table};\n")).expect("write");
    }
    write(dir.path(), "caf\u{e9}.sql", "DROP TABLE c;\n");
    let outcome = scan_dir(dir.path());
    let mut paths: Vec<&str> = outcome.findings.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    // Before, both bytes became U+FFFD and one of the two files was never reported.
    assert_eq!(paths, ["\\xFE.sql", "\\xFF.sql", "caf\u{e9}.sql"]);
    assert_eq!(finding_lines(&outcome, "\\xFE.sql", "drop-table"), [1]);
}
