//! Getting the scanner: the crate's file list (no fixtures), the release workflow and the
//! Action agreeing on targets and archive names, the pre-commit hooks, the Docker image, and the
//! repository passing its own scan.

use std::process::Command;

use serde_json::Value;

use crate::util::run_in;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn yaml(rel: &str) -> Value {
    let path = format!("{ROOT}/{rel}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{rel}")).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

#[test]
fn the_crate_ships_sources_and_rule_metadata_but_no_fixtures() {
    let out = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(ROOT)
        .output()
        .expect("run cargo package --list");
    assert!(
        out.status.success(),
        "cargo package --list failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = String::from_utf8_lossy(&out.stdout);
    let files: Vec<&str> = list.lines().collect();
    for wanted in [
        "src/main.rs",
        "src/lib.rs",
        "rules/drop-table.toml",
        "Cargo.lock",
        "README.md",
    ] {
        assert!(
            files.contains(&wanted),
            "{wanted} missing from the crate:\n{list}"
        );
    }
    for file in &files {
        assert!(
            ![
                "fixtures/",
                "tests/",
                "examples/",
                "benches/",
                ".github/",
                "target/"
            ]
            .iter()
            .any(|p| file.starts_with(p)),
            "{file} is in the crate"
        );
    }
    // Every table the sources embed with include_str! ships with them.
    let metadata = std::fs::read_dir(format!("{ROOT}/rules")).expect("rules/");
    for entry in metadata.flatten() {
        let name = format!("rules/{}", entry.file_name().to_string_lossy());
        assert!(
            files.contains(&name.as_str()),
            "{name} missing from the crate"
        );
    }
}

#[test]
fn release_targets_and_archive_names_agree_with_the_action() {
    let release = yaml(".github/workflows/release.yml");
    let on = &release["on"]["push"]["tags"];
    assert!(
        on.as_array().is_some_and(|t| !t.is_empty()),
        "runs on tag pushes"
    );
    let targets: Vec<&str> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("matrix.include")
        .iter()
        .map(|t| t["target"].as_str().expect("target"))
        .collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-musl",
            "x86_64-apple-darwin",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc",
        ]
    );
    let text = read(".github/workflows/release.yml");
    assert!(text.contains("sha256sum dataloss-scan-* > SHA256SUMS"));
    assert!(text.contains("name=\"dataloss-scan-$TAG-$TARGET\""));
    assert!(text.contains("crt-static"), "Linux binaries are static");
    // The Action maps every runner to one of these archives, named the same way.
    let action = read("action.yml");
    for target in &targets {
        assert!(
            action.contains(&format!(") target={target} ;;")),
            "{target}"
        );
    }
    assert!(action.contains("name=\"dataloss-scan-v$VERSION-$TARGET\""));
    // Scripts never expand expressions; actions are pinned by commit.
    for job in release["jobs"].as_object().expect("jobs").values() {
        for step in job["steps"].as_array().expect("steps") {
            if let Some(run) = step["run"].as_str() {
                assert!(!run.contains("${{"), "expression inside run: {run}");
            }
            if let Some(uses) = step["uses"].as_str() {
                let (_, pin) = uses.split_once('@').expect("pinned");
                assert!(pin.len() == 40, "{uses} is not pinned by commit");
            }
        }
    }
}

#[test]
fn pre_commit_hooks_build_or_use_the_scanner_and_see_every_file_at_once() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let languages: Vec<&str> = hooks
        .iter()
        .map(|h| h["language"].as_str().expect("language"))
        .collect();
    assert_eq!(languages, ["rust", "system"]);
    for hook in hooks {
        assert_eq!(hook["entry"], "dataloss-scan");
        assert_eq!(
            hook["require_serial"], true,
            "one process reads the repository once"
        );
        assert!(
            hook["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("dataloss-scan"))
        );
    }
    let readme = read("README.md");
    assert!(readme.contains(".pre-commit-config.yaml") && readme.contains("id: dataloss-scan"));
}

#[test]
fn the_docker_image_is_the_scanner_alone() {
    let dockerfile = read("Dockerfile");
    let last_from = dockerfile
        .lines()
        .rfind(|l| l.starts_with("FROM "))
        .expect("FROM");
    assert_eq!(last_from, "FROM scratch");
    assert!(dockerfile.contains("ENTRYPOINT [\"/usr/local/bin/dataloss-scan\"]"));
    assert!(read("README.md").contains("docker run --rm -v \"$PWD:/src\""));
}

#[test]
fn the_repository_passes_its_own_scan() {
    let run = run_in(
        std::path::Path::new(ROOT),
        &["--quiet", "--format", "json", "."],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let doc = run.json();
    let findings = doc["findings"].as_array().expect("findings");
    assert!(
        findings.iter().all(|f| f["level"] == "note"),
        "{findings:#?}"
    );
    assert!(
        !findings.iter().any(|f| f["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("fixtures/"))),
        "the fixtures are excluded"
    );
}
