//! Fitting into how people work (issue 15): `--diff` against a merge-base whatever the user's git
//! settings, config files found from any working directory, file lists (pre-commit) scanned as
//! part of their repository, completions for every shell, colour forced by the environment, and
//! the progress indicator only on a terminal. Each test builds a real git repository.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::util::{BIN, git, repo, run_in, write};

const COMPOSE: &str = "name: shop\nservices:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n";

/// (rule, path, line) of every finding in a JSON report.
fn found(doc: &Value) -> Vec<(String, String, u64)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_string(),
                f["path"].as_str().expect("path").to_string(),
                f["start"]["line"].as_u64().expect("line"),
            )
        })
        .collect()
}

fn git_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = repo(files);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir
}

#[test]
fn diff_compares_with_the_merge_base_whatever_the_git_settings() {
    let dir = git_repo(&[("stop.sh", "#!/bin/sh\necho hi\n")]);
    let d = dir.path();
    // Settings that change `git diff`'s output, as a user may have them.
    for (key, value) in [
        ("diff.noprefix", "true"),
        ("diff.mnemonicPrefix", "true"),
        ("core.quotePath", "true"),
        ("diff.relative", "true"),
        ("color.diff", "always"),
    ] {
        git(d, &["config", key, value]);
    }
    git(d, &["checkout", "-q", "-b", "feature"]);
    write(d, "stop.sh", "#!/bin/sh\necho hi\ndocker compose down -v\n");
    write(
        d,
        "café/nettoyage.sh",
        "#!/bin/sh\ndocker volume prune -f\n",
    );
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "feature"]);
    // main moves on after the branch point: its changes are not the pull request's.
    git(d, &["checkout", "-q", "main"]);
    write(d, "main-only.sh", "#!/bin/sh\ndocker volume prune -f\n");
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "main moves"]);
    git(d, &["checkout", "-q", "feature"]);
    // Uncommitted and untracked work counts too; ignored files do not.
    write(
        d,
        "stop.sh",
        "#!/bin/sh\necho hi\ndocker compose down -v\ndocker volume rm x\n",
    );
    write(
        d,
        "sp ace/a\"b\tc.sh",
        "#!/bin/sh\ndocker volume prune -f\n",
    );
    write(d, ".gitignore", "ignored.sh\n");
    write(d, "ignored.sh", "#!/bin/sh\ndocker volume prune -f\n");

    let run = run_in(
        d,
        &["--select", "shell", "-f", "json", "--diff", "main", "."],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut got = found(&run.json());
    got.sort();
    let want = [
        ("docker-volume-remove", "café/nettoyage.sh", 2),
        ("docker-volume-remove", "sp ace/a\"b\tc.sh", 2),
        ("compose-down-volumes", "stop.sh", 3),
        ("docker-volume-remove", "stop.sh", 4),
    ];
    let mut want: Vec<(String, String, u64)> = want
        .iter()
        .map(|(r, p, l)| (r.to_string(), p.to_string(), *l))
        .collect();
    want.sort();
    assert_eq!(got, want);

    // From a subdirectory, a ref that is a commit, not a branch: the same lines.
    let run = run_in(
        &d.join("café"),
        &["--select", "shell", "-f", "json", "--diff", "main~1", "."],
    );
    assert_eq!(
        found(&run.json()),
        [(
            "docker-volume-remove".to_string(),
            "nettoyage.sh".to_string(),
            2
        )]
    );
}

#[test]
fn diff_never_runs_commands_named_in_the_scanned_repository_config() {
    let dir = git_repo(&[
        (".gitattributes", "*.sh filter=evil\n"),
        ("stop.sh", "#!/bin/sh\necho hi\n"),
    ]);
    let d = dir.path();
    let marks = tempfile::tempdir().expect("tempdir");
    let hook = marks.path().join("hook.sh");
    let mark = |what: &str| marks.path().join(what);
    write(
        marks.path(),
        "hook.sh",
        format!(
            "#!/bin/sh\ntouch '{}'\nexit 1\n",
            mark("fsmonitor").display()
        ),
    );
    let _ = Command::new("chmod").arg("+x").arg(&hook).status();
    let filter = |what: &str| format!("sh -c \"touch '{}'; cat\"", mark(what).display());
    git(
        d,
        &["config", "core.fsmonitor", &hook.display().to_string()],
    );
    git(d, &["config", "filter.evil.clean", &filter("clean")]);
    git(d, &["config", "filter.evil.smudge", &filter("smudge")]);
    git(d, &["config", "filter.evil.required", "true"]);
    // The branch touches the file, so that git has a reason to refresh and clean it.
    write(d, "stop.sh", "#!/bin/sh\necho hi\ndocker compose down -v\n");

    // Plain git, as the user's own tools would run it, does run them: the test can fail.
    let status = Command::new("git")
        .args(["diff", "--stat"])
        .current_dir(d)
        .output()
        .expect("git");
    assert!(status.status.success());
    assert!(
        mark("clean").exists(),
        "the clean filter should run under plain git"
    );
    for what in ["clean", "fsmonitor", "smudge"] {
        let _ = std::fs::remove_file(mark(what));
    }

    let run = run_in(
        d,
        &["--select", "shell", "-f", "json", "--diff", "main", "."],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        found(&run.json()),
        [("compose-down-volumes".to_string(), "stop.sh".to_string(), 3)]
    );
    for what in ["clean", "fsmonitor", "smudge"] {
        assert!(
            !mark(what).exists(),
            "--diff ran the repository's {what} command"
        );
    }
}

#[test]
fn diff_says_why_it_cannot_run() {
    let plain = repo(&[("stop.sh", "#!/bin/sh\ndocker compose down -v\n")]);
    let run = run_in(plain.path(), &["--diff", "main", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--diff needs a git repository"),
        "{}",
        run.stderr
    );

    let dir = git_repo(&[("stop.sh", "#!/bin/sh\necho\n")]);
    let run = run_in(dir.path(), &["--diff", "no-such-branch", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no such branch, tag or commit"),
        "{}",
        run.stderr
    );
    let run = run_in(dir.path(), &["--diff", "--output=x", "."]);
    assert_eq!(run.code, 2, "an option is never passed to git as a ref");

    // A shallow clone of the branch alone: main's commit is not there.
    git(dir.path(), &["checkout", "-q", "-b", "feature"]);
    write(dir.path(), "stop.sh", "#!/bin/sh\ndocker compose down -v\n");
    git(dir.path(), &["commit", "-q", "-am", "feature"]);
    let clones = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", dir.path().display());
    git(
        clones.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "feature", &url, "shallow",
        ],
    );
    let shallow = clones.path().join("shallow");
    let run = run_in(&shallow, &["--diff", "origin/main", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("shallow clone") && run.stderr.contains("fetch-depth: 0"),
        "{}",
        run.stderr
    );
}

#[test]
fn config_is_found_from_the_scanned_path_up_to_the_repository_root() {
    let dir = git_repo(&[
        (
            "dataloss-scan.toml",
            "ignore = [\"docker-volume-remove\"]\n[contexts]\ntest = [\"services/api/qa/**\"]\n",
        ),
        (
            "services/api/stop.sh",
            "#!/bin/sh\ndocker volume prune -f\ndocker compose down -v\n",
        ),
        (
            "services/api/qa/reset.sh",
            "#!/bin/sh\ndocker compose down -v\n",
        ),
    ]);
    let d = dir.path();
    let levels = |run: crate::util::Run| -> Vec<(String, String, String)> {
        assert!(run.code <= 1, "{}", run.stderr);
        run.json()["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().expect("rule").to_string(),
                    f["path"].as_str().expect("path").to_string(),
                    f["level"].as_str().expect("level").to_string(),
                )
            })
            .collect()
    };
    let want = |prefix: &str| {
        vec![
            (
                "compose-down-volumes".to_string(),
                format!("{prefix}qa/reset.sh"),
                "note".to_string(),
            ),
            (
                "compose-down-volumes".to_string(),
                format!("{prefix}stop.sh"),
                "warning".to_string(),
            ),
        ]
    };
    let args = ["-f", "json", "--select", "shell", "."];
    // From the subdirectory, scanning `.`: the root's config applies, globs from its directory.
    assert_eq!(levels(run_in(&d.join("services/api"), &args)), want(""));
    // From the root, scanning the subdirectory: the same.
    let sub = ["-f", "json", "--select", "shell", "services/api"];
    assert_eq!(levels(run_in(d, &sub)), want("services/api/"));
    // A nearer config wins over the root's; `--config` wins over both.
    write(
        d,
        "services/api/.dataloss-scan.toml",
        "ignore = [\"compose-down-volumes\"]\n",
    );
    let run = run_in(&d.join("services/api"), &args);
    assert_eq!(
        found(&run.json())
            .iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>(),
        ["docker-volume-remove"]
    );
    let run = run_in(
        &d.join("services/api"),
        &[
            "--config",
            "../../dataloss-scan.toml",
            "-f",
            "json",
            "--select",
            "shell",
            ".",
        ],
    );
    let rules: Vec<String> = found(&run.json()).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["compose-down-volumes", "compose-down-volumes"]);
    // Outside a repository, a config above the scanned directory is not picked up.
    let plain = repo(&[
        ("dataloss-scan.toml", "ignore = [\"shell\"]\n"),
        ("sub/stop.sh", "#!/bin/sh\ndocker compose down -v\n"),
    ]);
    let run = run_in(&plain.path().join("sub"), &["-f", "json", "."]);
    assert_eq!(run.code, 1, "{}", run.stdout);
}

#[test]
fn a_file_list_gives_the_findings_a_whole_tree_scan_gives_on_those_files() {
    let dir = git_repo(&[
        ("docker-compose.yml", COMPOSE),
        ("scripts/stop.sh", "#!/bin/sh\ndocker compose down -v\n"),
        (
            "scripts/backup.sh",
            "#!/bin/sh\ndocker compose exec -T db pg_dump -Fc shop > /backups/shop.dump\n",
        ),
        ("scripts/reset.sh", "#!/bin/sh\ndocker compose down -v\n"),
        (
            "db/migrations/0001_init.sql",
            "CREATE TABLE carts (id int);\n",
        ),
        ("db/migrations/0002_drop.sql", "DROP TABLE carts;\n"),
        ("tests/teardown.sh", "#!/bin/sh\ndocker compose down -v\n"),
        ("notes.txt", "docker compose down -v\n"),
    ]);
    let d = dir.path();
    let whole = run_in(d, &["-f", "json", "."]);
    assert_eq!(whole.code, 1, "{}", whole.stderr);
    let named = [
        "scripts/stop.sh",
        "db/migrations/0002_drop.sql",
        "tests/teardown.sh",
        "notes.txt",
    ];
    let mut expected: Vec<Value> = whole.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| named.contains(&f["path"].as_str().unwrap_or("")))
        .cloned()
        .collect();
    assert!(
        expected.iter().any(|f| f["rule"] == "compose-down-volumes"
            && f["level"] == "error"
            && f["path"] == "scripts/stop.sh"),
        "the script's finding is linked to the compose volume: {expected:?}"
    );
    let mut args = vec!["-f", "json"];
    args.extend(named);
    let list = run_in(d, &args);
    assert_eq!(list.code, 1, "{}", list.stderr);
    let mut got = list.json()["findings"]
        .as_array()
        .expect("findings")
        .clone();
    let key = |f: &Value| f.to_string();
    expected.sort_by_key(key);
    got.sort_by_key(key);
    assert_eq!(
        got, expected,
        "the same findings, levels, links and fingerprints"
    );
    assert_eq!(
        list.json()["summary"]["files_scanned"],
        3,
        "{}",
        list.stdout
    );

    // From a subdirectory (an editor's working directory), paths stay the repository's.
    let run = run_in(&d.join("scripts"), &["-f", "json", "stop.sh"]);
    let f = found(&run.json());
    assert!(
        f.contains(&("compose-down-volumes".into(), "scripts/stop.sh".into(), 2)),
        "{f:?}"
    );
    // The only error level comes from the link: the same script named alone, with no compose
    // file in the repository, is a warning.
    std::fs::remove_file(d.join("docker-compose.yml")).expect("rm");
    let run = run_in(d, &["-f", "json", "scripts/stop.sh"]);
    assert!(
        run.stdout.contains("\"level\": \"warning\""),
        "{}",
        run.stdout
    );
}

#[test]
fn completions_and_man_page_for_every_shell() {
    for (what, marker) in [
        ("man", ".TH dataloss-scan 1"),
        ("complete-bash", "complete -F _dataloss__scan"),
        ("complete-zsh", "#compdef dataloss-scan"),
        ("complete-fish", "complete -c dataloss-scan"),
        ("complete-powershell", "Register-ArgumentCompleter"),
    ] {
        let run = run_in(Path::new("."), &["--generate", what]);
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{what}:\n{}", run.stdout);
        // Man pages escape dashes, fish names long options without them.
        assert!(
            run.stdout.contains("stdin") && run.stdout.contains("filename"),
            "{what} knows the options"
        );
    }
}

#[test]
fn colour_follows_force_color_clicolor_force_and_no_color() {
    let dir = repo(&[("stop.sh", "#!/bin/sh\ndocker compose down -v\n")]);
    let run = |env: &[(&str, &str)]| {
        let out = Command::new(BIN)
            .arg(".")
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .envs(env.iter().copied())
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).contains('\u{1b}')
    };
    assert!(!run(&[]), "a pipe gets no colour");
    assert!(run(&[("FORCE_COLOR", "1")]));
    assert!(run(&[("CLICOLOR_FORCE", "1")]));
    assert!(!run(&[("FORCE_COLOR", "0")]));
    assert!(
        !run(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]),
        "NO_COLOR wins"
    );
}

/// Run the binary under `script`, which gives it a terminal; `None` when `script` is missing.
fn on_a_terminal(dir: &Path, delay_ms: &str) -> Option<String> {
    let command = format!("'{BIN}' --color never . >/dev/null");
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(dir)
        .env("DATALOSS_SCAN_PROGRESS_DELAY_MS", delay_ms)
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
#[allow(clippy::print_stderr)] // to say why the terminal half did not run
fn progress_shows_on_a_terminal_only_for_long_scans() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..400 {
        files.push((format!("s/{i}.sh"), "#!/bin/sh\necho ok\n".repeat(200)));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = repo(&refs);
    // Not a terminal: never, however long the scan.
    let out = Command::new(BIN)
        .arg(".")
        .current_dir(dir.path())
        .env("DATALOSS_SCAN_PROGRESS_DELAY_MS", "0")
        .output()
        .expect("run");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("scanning"));
    let Some(shown) = on_a_terminal(dir.path(), "0") else {
        eprintln!("`script` is not installed: the terminal half of the progress test did not run");
        return;
    };
    assert!(shown.contains("scanning: "), "{shown:?}");
    // A scan shorter than the delay shows nothing.
    let quiet = on_a_terminal(dir.path(), "60000").expect("script ran before");
    assert!(!quiet.contains("scanning"), "{quiet:?}");
}
