//! The GitHub Action (`action.yml`): valid against SchemaStore's action-metadata schema in
//! `../shared/schemas/`, shaped as the interface contract says (inputs, outputs, pinned upload,
//! gate last, no `${{ }}` in scripts), and its scripts run here for real (input checks, scan,
//! job summary) with the binary under test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::util::{BIN, repo, write};

const ACTION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml");
const WORKFLOW: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/.github/workflows/test-action.yml"
);
const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/schemas/github-action.json"
);

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"))
}

fn steps(action: &Value) -> &Vec<Value> {
    action["runs"]["steps"].as_array().expect("runs.steps")
}

fn step<'a>(action: &'a Value, id: &str) -> &'a Value {
    steps(action)
        .iter()
        .find(|s| s["id"] == id || s["name"] == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

#[test]
fn action_validates_against_the_action_schema() {
    let text = std::fs::read_to_string(SCHEMA)
        .unwrap_or_else(|e| panic!("cannot read the action schema at {SCHEMA}: {e}"));
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    let action = yaml(ACTION);
    let errors: Vec<String> = validator
        .iter_errors(&action)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "action.yml fails the schema:\n{}",
        errors.join("\n")
    );
    assert_eq!(action["runs"]["using"], "composite");
}

#[test]
fn action_inputs_and_outputs_follow_the_contract() {
    let action = yaml(ACTION);
    let defaults: BTreeMap<&str, &str> = [
        ("path", "."),
        ("fail-on", ""),
        ("config", ""),
        ("args", ""),
        ("sarif-file", "dataloss-scan.sarif"),
        ("upload-sarif", "true"),
        ("annotations", "auto"),
        ("diff", ""),
        ("version", ""),
    ]
    .into_iter()
    .collect();
    let inputs = action["inputs"].as_object().expect("inputs");
    let names: Vec<&str> = inputs.keys().map(String::as_str).collect();
    let expected: Vec<&str> = defaults.keys().copied().collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, expected);
    for (name, default) in &defaults {
        assert_eq!(inputs[*name]["default"], *default, "default of {name}");
        assert!(inputs[*name]["description"].is_string());
    }
    let outputs = action["outputs"].as_object().expect("outputs");
    for name in ["sarif-file", "findings", "exit-code"] {
        let value = outputs[name]["value"].as_str().expect("value");
        assert!(value.contains("steps.scan.outputs."), "{name}: {value}");
    }
}

#[test]
fn action_scripts_never_expand_expressions_and_pin_actions() {
    let raw = std::fs::read_to_string(ACTION).expect("read action.yml");
    for (file, doc) in [(ACTION, yaml(ACTION)), (WORKFLOW, yaml(WORKFLOW))] {
        let all_steps: Vec<&Value> = if file == ACTION {
            steps(&doc).iter().collect()
        } else {
            doc["jobs"]
                .as_object()
                .expect("jobs")
                .values()
                .flat_map(|job| job["steps"].as_array().expect("steps").iter())
                .collect()
        };
        for s in all_steps {
            if let Some(run) = s["run"].as_str() {
                assert!(
                    !run.contains("${{"),
                    "{file}: `${{{{ }}}}` inside run: {run}"
                );
                if file == ACTION {
                    assert_eq!(s["shell"], "bash", "{file}: every script names its shell");
                }
            }
            if let Some(uses) = s["uses"].as_str() {
                if uses.starts_with("./") {
                    continue;
                }
                let (_, reference) = uses.split_once('@').expect("uses has a ref");
                assert!(
                    reference.len() == 40 && reference.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{file}: `{uses}` is not pinned by a full commit SHA"
                );
            }
        }
    }
    // Every pin says which release it is, on the same line.
    for line in raw.lines().filter(|l| l.trim_start().starts_with("uses:")) {
        assert!(line.contains(" # v"), "pin without its version: {line}");
    }
}

#[test]
fn upload_runs_with_findings_survives_forks_and_the_gate_is_last() {
    let action = yaml(ACTION);
    let upload = steps(&action)
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    assert_eq!(upload["with"]["category"], "dataloss-scan");
    assert!(upload["if"].as_str().expect("if").contains("always()"));
    assert_eq!(
        upload["continue-on-error"],
        "${{ steps.inputs.outputs.read-only == 'true' }}"
    );
    let summary = step(&action, "Write the job summary");
    assert!(
        summary["run"]
            .as_str()
            .expect("run")
            .contains("GITHUB_STEP_SUMMARY")
    );
    let install = step(&action, "Install the scanner");
    assert!(install["run"].as_str().expect("run").contains(
        "cargo install --locked --root \"$INSTALL_ROOT\" --path \"$GITHUB_ACTION_PATH\""
    ));
    let cache = step(&action, "cache");
    assert!(
        cache["uses"]
            .as_str()
            .expect("uses")
            .starts_with("actions/cache/restore@")
    );
    // The cache is saved in its own step before the scan: `actions/cache`'s post step saves
    // nothing when the job fails, which is what a scan with findings does.
    let position =
        |pred: &dyn Fn(&Value) -> bool| steps(&action).iter().position(pred).expect("step present");
    let save = position(&|s: &Value| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/cache/save@"))
    });
    let scan = position(&|s: &Value| s["id"] == "scan");
    assert!(save < scan, "the cache is saved before the scan");
    let last = steps(&action).last().expect("steps");
    assert_eq!(last["name"], "Gate on findings");
    assert!(last["run"].as_str().expect("run").contains("exit 1"));
}

/// Run one step's script with bash, as the runner would, with `env` set and a `GITHUB_OUTPUT`
/// file; returns (exit code, stdout, outputs).
fn run_step(
    action: &Value,
    id: &str,
    dir: &Path,
    env: &[(&str, &str)],
) -> (i32, String, BTreeMap<String, String>) {
    let script = step(action, id)["run"].as_str().expect("run");
    let output = dir.join(".github_output");
    let _ = std::fs::remove_file(&output);
    let bin_dir = PathBuf::from(BIN)
        .parent()
        .expect("binary directory")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // The runner's `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`.
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", dir.join(".summary.md"))
        .envs(env.iter().copied())
        .output()
        .expect("run bash");
    let outputs = std::fs::read_to_string(&output)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        outputs,
    )
}

const GOOD_INPUTS: &[(&str, &str)] = &[
    ("INPUT_PATH", "."),
    ("INPUT_FAIL_ON", "error"),
    ("INPUT_CONFIG", ""),
    ("INPUT_ARGS", "--select shell\n--exclude vendor/"),
    ("INPUT_SARIF_FILE", "out/dataloss-scan.sarif"),
    ("INPUT_UPLOAD_SARIF", "true"),
    ("INPUT_ANNOTATIONS", "true"),
    ("INPUT_DIFF", ""),
    ("INPUT_VERSION", ""),
    ("EVENT_NAME", "pull_request"),
    ("PR_BASE_SHA", "0123456789abcdef0123456789abcdef01234567"),
    ("PR_HEAD_REPO", "someone/fork"),
    ("REPOSITORY", "owner/repo"),
    ("ACTOR", "someone"),
];

fn with(overrides: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    GOOD_INPUTS
        .iter()
        .map(|&(k, v)| {
            overrides
                .iter()
                .find(|(o, _)| *o == k)
                .map_or((k, v), |&(_, ov)| (k, ov))
        })
        .collect()
}

#[test]
fn input_checks_accept_good_inputs_and_reject_bad_ones() {
    let action = yaml(ACTION);
    let dir = repo(&[("ok.sh", "#!/bin/sh\necho hi\n")]);
    let (code, out, outputs) = run_step(&action, "inputs", dir.path(), GOOD_INPUTS);
    assert_eq!(code, 0, "{out}");
    assert_eq!(outputs["read-only"], "true", "a fork's pull request");
    assert_eq!(outputs["diff-ref"], "");

    let (code, _, outputs) = run_step(
        &action,
        "inputs",
        dir.path(),
        &with(&[("INPUT_DIFF", "true"), ("PR_HEAD_REPO", "owner/repo")]),
    );
    assert_eq!(code, 0);
    assert_eq!(
        outputs["diff-ref"],
        "0123456789abcdef0123456789abcdef01234567"
    );
    assert_eq!(outputs["read-only"], "false");

    let bad: &[(&str, &str, &str)] = &[
        ("INPUT_FAIL_ON", "critical", "fail-on must be"),
        (
            "INPUT_UPLOAD_SARIF",
            "yes",
            "upload-sarif must be true or false",
        ),
        ("INPUT_PATH", "missing-dir", "does not exist"),
        ("INPUT_PATH", "--help", "must not start with '-'"),
        ("INPUT_ARGS", "--format json", "must not set --format"),
        ("INPUT_ARGS", "-ojunk", "must not set -o"),
        ("INPUT_SARIF_FILE", "a\nb=c", "must be one line"),
        ("INPUT_DIFF", "main;rm -rf /", "diff must be"),
        ("INPUT_VERSION", "latest", "version must be"),
        (
            "INPUT_ANNOTATIONS",
            "yes",
            "annotations must be auto, true or false",
        ),
        ("INPUT_CONFIG", "nope.toml", "does not exist"),
    ];
    for (key, value, message) in bad {
        let env: Vec<(&str, &str)> = GOOD_INPUTS
            .iter()
            .map(|&(k, v)| if k == *key { (k, *value) } else { (k, v) })
            .collect();
        let (code, out, _) = run_step(&action, "inputs", dir.path(), &env);
        assert_eq!(code, 1, "{key}={value:?} accepted: {out}");
        assert!(
            out.starts_with("::error title=dataloss-scan input::") && out.contains(message),
            "{key}={value:?}: {out}"
        );
    }

    // Inputs are data: a command substitution in one is never run.
    let (code, _, _) = run_step(
        &action,
        "inputs",
        dir.path(),
        &with(&[
            ("INPUT_PATH", "$(touch pwned)"),
            ("INPUT_ARGS", "`touch pwned2` $(touch pwned3)"),
        ]),
    );
    assert_eq!(code, 1);
    for name in ["pwned", "pwned2", "pwned3"] {
        assert!(!dir.path().join(name).exists(), "{name} was created");
    }
}

fn have_jq() -> bool {
    Command::new("jq")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
#[allow(clippy::print_stderr)] // to say why the test did nothing, when jq is missing
fn scan_and_summary_steps_work_on_a_bad_and_a_good_repository() {
    if !have_jq() {
        // GitHub's runners have jq; a development machine may not. Say so rather than pass quietly.
        eprintln!("jq is not installed: the scan and summary steps of action.yml were not run");
        return;
    }
    let action = yaml(ACTION);
    let bad = repo(&[
        ("scripts/stop.sh", "#!/bin/sh\ndocker compose down -v\n"),
        ("scripts/cleanup.sh", "#!/bin/sh\ndocker volume prune -f\n"),
    ]);
    let env = [
        ("INPUT_PATH", "."),
        ("INPUT_FAIL_ON", "warning"),
        ("INPUT_CONFIG", ""),
        ("INPUT_ARGS", "--select shell"),
        ("INPUT_SARIF_FILE", "reports/dataloss-scan.sarif"),
        ("INPUT_ANNOTATIONS", "auto"),
        ("INPUT_UPLOAD_SARIF", "false"),
        ("DIFF_REF", ""),
    ];
    let (code, out, outputs) = run_step(&action, "scan", bad.path(), &env);
    assert_eq!(code, 0, "the scan step never fails by itself: {out}");
    assert_eq!(outputs["exit-code"], "1");
    assert_eq!(outputs["findings"], "2");
    assert_eq!(outputs["sarif-file"], "reports/dataloss-scan.sarif");
    let sarif = std::fs::read(bad.path().join("reports/dataloss-scan.sarif")).expect("SARIF");
    crate::sarif::validate(&sarif);
    assert!(
        out.contains("::warning file=scripts/stop.sh,line=2,"),
        "annotations: {out}"
    );

    let summary_env = [
        ("SARIF_FILE", "reports/dataloss-scan.sarif"),
        ("FINDINGS", "2"),
        ("EXIT_CODE", "1"),
        ("INPUT_FAIL_ON", "warning"),
    ];
    let (code, out, _) = run_step(&action, "Write the job summary", bad.path(), &summary_env);
    assert_eq!(code, 0, "{out}");
    let summary = std::fs::read_to_string(bad.path().join(".summary.md")).expect("summary");
    assert!(
        summary.contains("| Level | Rule | Location | Message |"),
        "{summary}"
    );
    assert!(
        summary.contains("| warning | `compose-down-volumes` | `scripts/stop.sh:2` | `docker compose down -v` deletes"),
        "{summary}"
    );

    let gate = |code: &'static str| {
        run_step(
            &action,
            "Gate on findings",
            bad.path(),
            &[
                ("EXIT_CODE", code),
                ("FINDINGS", "2"),
                ("INPUT_FAIL_ON", "warning"),
            ],
        )
    };
    assert_eq!(gate("1").0, 1);
    assert_eq!(gate("2").0, 1);
    assert_eq!(gate("").0, 1);
    assert_eq!(gate("0").0, 0);

    // With the SARIF report uploaded, `auto` leaves the annotations to code scanning.
    let uploaded: Vec<(&str, &str)> = env
        .iter()
        .map(|&(k, v)| {
            if k == "INPUT_UPLOAD_SARIF" {
                (k, "true")
            } else {
                (k, v)
            }
        })
        .collect();
    let (code, out, _) = run_step(&action, "scan", bad.path(), &uploaded);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("::warning"), "annotations twice: {out}");
    // No fail-on: the config file's, as on the command line.
    write(bad.path(), "dataloss-scan.toml", "fail-on = \"error\"\n");
    let no_gate: Vec<(&str, &str)> = env
        .iter()
        .map(|&(k, v)| {
            if k == "INPUT_FAIL_ON" {
                (k, "")
            } else {
                (k, v)
            }
        })
        .collect();
    let (code, out, outputs) = run_step(&action, "scan", bad.path(), &no_gate);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        outputs["exit-code"], "0",
        "warnings only, and the config fails on errors"
    );

    let good = repo(&[("scripts/stop.sh", "#!/bin/sh\ndocker compose down\n")]);
    let (code, out, outputs) = run_step(&action, "scan", good.path(), &env);
    assert_eq!(code, 0, "{out}");
    assert_eq!(outputs["exit-code"], "0");
    assert_eq!(outputs["findings"], "0");
    assert!(!out.contains("::warning"), "{out}");
}

#[test]
fn cache_key_follows_the_sources_or_the_release() {
    let action = yaml(ACTION);
    let dir = repo(&[("x", "")]);
    let here = env!("CARGO_MANIFEST_DIR");
    let key = |version: &'static str| {
        let (code, out, outputs) = run_step(
            &action,
            "key",
            dir.path(),
            &[("INPUT_VERSION", version), ("GITHUB_ACTION_PATH", here)],
        );
        assert_eq!(code, 0, "{out}");
        outputs["key"].clone()
    };
    let source = key("");
    assert!(source.starts_with("source-"), "{source}");
    assert_eq!(source, key(""), "stable");
    assert!(key("1.2.3").starts_with("release-1.2.3-"));
    // The action's own tag picks the release; the runner picks the archive.
    let (code, out, outputs) = run_step(
        &action,
        "key",
        dir.path(),
        &[
            ("INPUT_VERSION", ""),
            ("ACTION_REF", "v0.3.0"),
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "ARM64"),
            ("GITHUB_ACTION_PATH", here),
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(outputs["key"], "release-0.3.0-aarch64-unknown-linux-musl");
    assert_eq!(outputs["version"], "0.3.0");
    // A branch or a commit is built from the checkout.
    let (_, _, outputs) = run_step(
        &action,
        "key",
        dir.path(),
        &[
            ("INPUT_VERSION", ""),
            ("ACTION_REF", "main"),
            ("GITHUB_ACTION_PATH", here),
        ],
    );
    assert!(outputs["key"].starts_with("source-"), "{outputs:?}");
    assert_eq!(outputs["version"], "");
}

/// A file server on loopback (python's), serving `dir`; killed when dropped.
struct Server {
    child: std::process::Child,
    url: String,
}

impl Server {
    fn start(dir: &Path) -> Option<Server> {
        use std::io::BufRead;
        let mut child = Command::new("python3")
            .args([
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()?;
        let mut first = String::new();
        let stdout = child.stdout.take()?;
        std::io::BufReader::new(stdout).read_line(&mut first).ok()?;
        // "Serving HTTP on 127.0.0.1 port 43117 (http://127.0.0.1:43117/) ..."
        let port = first
            .split(" port ")
            .nth(1)?
            .split_whitespace()
            .next()?
            .to_string();
        Some(Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sha256_hex(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .expect("hash")
        .to_string()
}

#[test]
#[allow(clippy::print_stderr)] // to say why the test did nothing
fn install_downloads_the_release_checks_it_and_falls_back_to_a_source_build() {
    let have = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !["python3", "curl", "sha256sum", "tar"]
        .iter()
        .all(|t| have(t))
    {
        eprintln!("python3, curl, sha256sum or tar is missing: the install step was not run");
        return;
    }
    let action = yaml(ACTION);
    let work = tempfile::tempdir().expect("tempdir");
    let w = work.path();
    // A fake release v0.1.0 for Linux x86_64: the binary under test, packed as release.yml packs it.
    let name = "dataloss-scan-v0.1.0-x86_64-unknown-linux-musl";
    let release = w.join("release");
    std::fs::create_dir_all(release.join(name)).expect("mkdir");
    std::fs::copy(BIN, release.join(name).join("dataloss-scan")).expect("copy");
    let status = Command::new("tar")
        .args(["-czf", &format!("{name}.tar.gz"), name])
        .current_dir(&release)
        .status()
        .expect("tar");
    assert!(status.success());
    let archive = release.join(format!("{name}.tar.gz"));
    let sums = format!("{}  {name}.tar.gz\n", sha256_hex(&archive));
    std::fs::write(release.join("SHA256SUMS"), &sums).expect("write");
    let Some(server) = Server::start(&release) else {
        eprintln!("could not start python3's http.server: the install step was not run");
        return;
    };
    // `cargo` stands in for a source build: it records its arguments and installs a script.
    let fake_bin = w.join("fake-bin");
    std::fs::create_dir_all(&fake_bin).expect("mkdir");
    let cargo = fake_bin.join("cargo");
    std::fs::write(
        &cargo,
        "#!/bin/sh\necho \"$@\" > \"$FAKE_CARGO_LOG\"\nroot=\"$4\"\nmkdir -p \"$root/bin\"\nprintf '#!/bin/sh\\necho dataloss-scan built-from-source\\n' > \"$root/bin/dataloss-scan\"\nchmod +x \"$root/bin/dataloss-scan\"\n",
    )
    .expect("write");
    let mode = std::process::Command::new("chmod")
        .args(["+x"])
        .arg(&cargo)
        .status()
        .expect("chmod");
    assert!(mode.success());
    let path = format!(
        "{}:{}",
        fake_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let here = env!("CARGO_MANIFEST_DIR");
    let install = |case: &str, version: &str, url: &str| {
        let root = w.join(case);
        let log = w.join(format!("{case}.cargo"));
        let (code, out, outputs) = run_step(
            &action,
            "install",
            w,
            &[
                ("VERSION", version),
                ("TARGET", "x86_64-unknown-linux-musl"),
                ("INSTALL_ROOT", root.to_str().expect("utf-8")),
                ("CACHE_HIT", "false"),
                ("ACTION_REPOSITORY", ""),
                ("SERVER_URL", "https://github.com"),
                ("DATALOSS_SCAN_RELEASE_URL", url),
                ("GITHUB_ACTION_PATH", here),
                (
                    "GITHUB_PATH",
                    w.join("github_path").to_str().expect("utf-8"),
                ),
                ("FAKE_CARGO_LOG", log.to_str().expect("utf-8")),
                ("PATH", &path),
            ],
        );
        let cargo_args = std::fs::read_to_string(&log).unwrap_or_default();
        (code, out, outputs, root, cargo_args)
    };

    // The release exists: downloaded, checked, installed; cargo never runs.
    let (code, out, outputs, root, cargo_args) = install("release", "0.1.0", &server.url);
    assert_eq!(code, 0, "{out}");
    assert_eq!(outputs["installed-from"], "release", "{out}");
    assert!(cargo_args.is_empty(), "cargo ran: {cargo_args}");
    assert!(out.contains("checked against SHA256SUMS"), "{out}");
    let version = Command::new(root.join("bin/dataloss-scan"))
        .arg("--version")
        .output()
        .expect("the installed binary runs");
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("dataloss-scan "));

    // A checksum that does not match: the job stops, nothing is installed, no fallback.
    let tampered = sums.replacen(&sums[..8], "00000000", 1);
    std::fs::write(release.join("SHA256SUMS"), tampered).expect("write");
    let (code, out, _, root, cargo_args) = install("tampered", "0.1.0", &server.url);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("checksum mismatch"), "{out}");
    assert!(!root.join("bin/dataloss-scan").exists());
    assert!(cargo_args.is_empty());
    std::fs::write(release.join("SHA256SUMS"), &sums).expect("write");

    // An archive without SHA256SUMS next to it is never installed.
    std::fs::remove_file(release.join("SHA256SUMS")).expect("rm");
    let (code, out, ..) = install("unverified", "0.1.0", &server.url);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no SHA256SUMS"), "{out}");
    std::fs::write(release.join("SHA256SUMS"), &sums).expect("write");

    // No release for the action's own version: built from the action's checkout.
    let empty = format!("{}/no-such-release", server.url);
    let (code, out, outputs, _, cargo_args) = install("fallback", "0.1.0", &empty);
    assert_eq!(code, 0, "{out}");
    assert_eq!(outputs["installed-from"], "source", "{out}");
    assert!(
        cargo_args.contains(&format!("--path {here}")),
        "{cargo_args}"
    );
    // No release for another version: crates.io (which checks its own checksums).
    let (code, out, outputs, _, cargo_args) = install("crates", "9.9.9", &empty);
    assert_eq!(code, 0, "{out}");
    assert_eq!(outputs["installed-from"], "crates.io", "{out}");
    assert!(
        cargo_args.contains("dataloss-scan --version =9.9.9"),
        "{cargo_args}"
    );
    // A plain-http mirror that is not this machine is refused.
    let (code, out, ..) = install("http", "0.1.0", "http://example.com/releases");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("must be https://"), "{out}");
    drop(server);
}
