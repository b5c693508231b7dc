//! SARIF output: every log the real binary and `report::render` produce here is validated against
//! the SARIF 2.1.0 (Errata 01) schema (`tests/schemas/`, a copy of `../shared/schemas/`), then checked for what GitHub code
//! scanning relies on: stable `ruleIndex`, UTF-16 columns, related locations, fingerprints,
//! suppressions, notices, determinism and the upload limits.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use dataloss_scan::ScanOutcome;
use dataloss_scan::levels::{Context, Level};
use dataloss_scan::notice::{Notice, NoticeKind};
use dataloss_scan::report::{self, Format, ReportOptions};
use dataloss_scan::rules::{self, Finding, Related};
use dataloss_scan::source::Span;
use serde_json::Value;

use crate::util::{repo, run_in};

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/schemas/sarif-schema-2.1.0.json"
);

/// The vendored schemas must stay identical to the contract's copies when those are present.
#[test]
fn vendored_schemas_match_the_contract() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["sarif-schema-2.1.0.json", "github-action.json"] {
        let contract = root.join("../shared/schemas").join(name);
        let Ok(expected) = std::fs::read(&contract) else {
            continue;
        };
        let vendored =
            std::fs::read(root.join("tests/schemas").join(name)).expect("vendored schema");
        assert!(
            vendored == expected,
            "tests/schemas/{name} differs from {}",
            contract.display()
        );
    }
}

/// Validate a SARIF log against the schema; panics with every error.
pub(crate) fn validate(bytes: &[u8]) -> Value {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(SCHEMA)
            .unwrap_or_else(|e| panic!("cannot read the SARIF schema at {SCHEMA}: {e}"));
        let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("schema compiles")
    });
    let doc: Value = serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!(
            "SARIF is not JSON ({e}):\n{}",
            String::from_utf8_lossy(bytes)
        )
    });
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF fails the schema:\n{}",
        errors.join("\n")
    );
    check_github_rules(&doc);
    doc
}

/// Properties the schema cannot express but the interface contract requires.
fn check_github_rules(doc: &Value) {
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "exactly one run");
    let run = &runs[0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert_eq!(run["automationDetails"]["id"], "dataloss-scan/");
    assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object());
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "dataloss-scan");
    assert!(driver["semanticVersion"].is_string());
    assert!(driver["informationUri"].is_string());
    let rules = driver["rules"].as_array().expect("rules");
    let meta = rules::metadata().expect("metadata");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let catalogue: Vec<&str> = meta.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids, catalogue,
        "rules[] is the whole catalogue in registry order"
    );
    for rule in rules {
        for key in ["name", "helpUri"] {
            assert!(rule[key].is_string(), "{key} in {rule}");
        }
        for key in ["shortDescription", "fullDescription"] {
            assert!(rule[key]["text"].is_string(), "{key} in {rule}");
        }
        assert!(rule["help"]["text"].is_string() && rule["help"]["markdown"].is_string());
        let level = rule["defaultConfiguration"]["level"]
            .as_str()
            .expect("level");
        assert!(["error", "warning", "note"].contains(&level));
        let props = &rule["properties"];
        let tags = props["tags"].as_array().expect("tags");
        assert!(tags.len() <= 10, "at most 10 tags: {rule}");
        assert!(props["precision"].is_string());
        let severity = props["security-severity"].as_str().expect("a string");
        let value: f64 = severity.parse().expect("a number");
        assert!((0.0..=10.0).contains(&value) && severity != "9.0");
    }
    let text = serde_json::to_string(doc).expect("serialises");
    assert!(!text.contains("\"snippet\""), "no snippet fields");
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            result["ruleId"], rules[index]["id"],
            "ruleIndex points at ruleId"
        );
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1, "one primary location");
        let physical = &locations[0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            !uri.starts_with('/') && !uri.contains("://"),
            "relative: {uri}"
        );
        let region = &physical["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                region[key].as_u64().is_some_and(|n| n >= 1),
                "{key}: {result}"
            );
        }
        assert!(
            result["partialFingerprints"]["datalossScan/v1"].is_string(),
            "own fingerprint: {result}"
        );
        let title = result["message"]["text"].as_str().expect("message");
        assert!(title.contains(". ") || title.ends_with('.'), "{title}");
        // The alert title is the first sentence: an abbreviation must not cut it short.
        let first = title.split(". ").next().unwrap_or(title);
        assert!(
            !["e.g", "i.e", "etc", "vs"]
                .iter()
                .any(|a| first.ends_with(a)),
            "first sentence cut at an abbreviation: {title}"
        );
    }
}

pub(crate) fn results(doc: &Value) -> &Vec<Value> {
    doc["runs"][0]["results"].as_array().expect("results")
}

/// A script where the finding follows non-ASCII text: "é" is one UTF-16 unit, "😀" two.
const STOP_SH: &str = "#!/bin/sh\n# arrêt\necho 'café 😀' && docker compose down -v\n";
const CLEANUP_SH: &str = "#!/bin/sh\r\ndocker volume prune -f # dataloss-scan: ignore[docker-volume-remove] throwaway CI runner\r\necho cleaning up\r\ndocker volume rm pgdata\r\n";

pub(crate) fn sample_repo() -> tempfile::TempDir {
    repo(&[
        ("scripts/stop.sh", STOP_SH),
        ("scripts/cleanup.sh", CLEANUP_SH),
        ("ok.sh", "#!/bin/sh\ndocker compose down\n"),
    ])
}

#[test]
fn binary_sarif_validates_and_counts_columns_in_utf16() {
    let dir = sample_repo();
    let (code, out, stderr) = run_in(dir.path(), &["--format", "sarif", "."]).parts();
    assert_eq!(code, 1, "findings at warning: {stderr}");
    let doc = validate(&out);
    let results = results(&doc);
    let stop = results
        .iter()
        .find(|r| r["ruleId"] == "compose-down-volumes")
        .expect("compose-down-volumes result");
    let region = &stop["locations"][0]["physicalLocation"]["region"];
    let line = STOP_SH.lines().nth(2).expect("line 3");
    let at = line.find("docker").expect("docker");
    let utf16_col = line[..at].encode_utf16().count() as u64 + 1;
    let chars_col = line[..at].chars().count() as u64 + 1;
    assert_ne!(utf16_col, chars_col, "the line has an astral character");
    assert_eq!(region["startLine"], 3);
    assert_eq!(region["startColumn"], utf16_col);
    assert_eq!(region["endLine"], 3);
    assert_eq!(
        region["endColumn"],
        line.encode_utf16().count() as u64 + 1,
        "end exclusive, at the end of the command"
    );
    assert_eq!(
        stop["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "scripts/stop.sh"
    );
    // The line hash is upload-sarif's, for the finding's start line.
    let hashes = dataloss_scan::report::fingerprint::line_hashes(STOP_SH);
    assert_eq!(
        stop["partialFingerprints"]["primaryLocationLineHash"],
        hashes[3]
    );
    // CRLF file: the unsuppressed finding is on line 4.
    let rm = results
        .iter()
        .find(|r| r["ruleId"] == "docker-volume-remove")
        .expect("docker-volume-remove result");
    let region = &rm["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 4);
    assert_eq!(region["startColumn"], 1);
    assert_eq!(
        region["endColumn"],
        "docker volume rm pgdata".len() as u64 + 1
    );
}

#[test]
fn suppressed_results_only_with_include_suppressed() {
    let dir = sample_repo();
    // Suppression handling is under test: leave out the backup pack's findings on the same steps.
    let (_, out, _) = run_in(dir.path(), &["--format", "sarif", "--ignore=backup", "."]).parts();
    let doc = validate(&out);
    assert!(
        results(&doc)
            .iter()
            .all(|r| r.get("suppressions").is_none()),
        "suppressed findings are left out by default"
    );
    assert_eq!(results(&doc).len(), 2);

    let (_, out, _) = run_in(
        dir.path(),
        &[
            "--format",
            "sarif",
            "--ignore=backup",
            "--include-suppressed",
            ".",
        ],
    )
    .parts();
    let doc = validate(&out);
    assert_eq!(results(&doc).len(), 3);
    let suppressed: Vec<&Value> = results(&doc)
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(
        suppressed[0]["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "throwaway CI runner"}])
    );
}

#[test]
fn output_is_byte_identical_for_any_thread_count() {
    let dir = sample_repo();
    let (_, one, _) = run_in(dir.path(), &["--format", "sarif", "-j", "1", "."]).parts();
    let (_, four, _) = run_in(dir.path(), &["--format", "sarif", "-j", "4", "."]).parts();
    let (_, again, _) = run_in(dir.path(), &["--format", "sarif", "-j", "4", "."]).parts();
    assert_eq!(one, four);
    assert_eq!(four, again);
    validate(&one);
}

#[test]
fn notices_become_tool_execution_notifications() {
    let dir = repo(&[
        ("stop.sh", "#!/bin/sh\ndocker compose down -v\n"),
        ("blob.sh", "\u{0}\u{1}\u{2}binary"),
    ]);
    let (_, out, _) = run_in(dir.path(), &["--format", "sarif", "-o", "out.sarif", "."]).parts();
    assert!(out.is_empty(), "written to the file, not stdout");
    let bytes = std::fs::read(dir.path().join("out.sarif")).expect("written");
    let doc = validate(&bytes);
    let notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let binary = notes
        .iter()
        .find(|n| n["descriptor"]["id"] == "binary")
        .expect("a notice for the binary file");
    assert_eq!(binary["level"], "warning");
    assert_eq!(
        binary["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "blob.sh"
    );
}

/// A finding built by hand, for `report::render`.
fn finding(rule: &'static str, level: Level, path: &str, span: Span, message: &str) -> Finding {
    Finding {
        rule,
        level,
        path: path.to_string(),
        span,
        message: message.to_string(),
        help: None,
        related: Vec::new(),
        context: Context::Production,
        guard: None,
        suppressed: None,
        fingerprint: format!("{:016x}", span.start),
        remote: false,
    }
}

fn span_of(text: &str, needle: &str) -> Span {
    let at = text.find(needle).expect("needle in text");
    Span::new(at, at + needle.len())
}

fn render(outcome: &ScanOutcome, include_suppressed: bool) -> Vec<u8> {
    let opts = ReportOptions {
        include_suppressed,
        show_time: false,
        ..ReportOptions::default()
    };
    let meta = rules::metadata().expect("metadata");
    report::render(outcome, meta, Format::Sarif, &opts)
}

#[test]
fn rendered_sarif_links_related_locations() {
    let script = "#!/bin/sh\n\tdocker compose down -v   # reset [dev]\n";
    let compose = "services:\n  db:\n    image: postgres\n    volumes: [pgdata:/var/lib/postgresql/data]\nvolumes:\n  pgdata: {}\n";
    let mut f = finding(
        "compose-down-volumes",
        Level::Error,
        "dir with space/reset.sh",
        span_of(script, "docker compose down -v"),
        "`docker compose down -v` deletes volume `pgdata` [the database]",
    );
    f.related.push(Related {
        path: "docker-compose.yml".into(),
        span: span_of(compose, "pgdata: {}"),
        message: "volume `pgdata` [postgres data] declared here".into(),
    });
    f.related.push(Related {
        path: "docker-compose.yml".into(),
        span: span_of(compose, "pgdata:/var/lib/postgresql/data"),
        message: "mounted by service `db`".into(),
    });
    let mut suppressed = finding(
        "docker-volume-remove",
        Level::Warning,
        "docker-compose.yml",
        span_of(compose, "image: postgres"),
        "made up",
    );
    suppressed.suppressed = Some("reviewed".into());
    let outcome = ScanOutcome {
        findings: vec![f, suppressed],
        notices: vec![
            Notice::file("x.sql", NoticeKind::ParseError, "could not parse").at_line(3),
            Notice {
                path: None,
                line: None,
                kind: NoticeKind::Config,
                level: dataloss_scan::notice::NoticeLevel::Info,
                message: "no config file".into(),
            },
        ],
        files_scanned: 2,
        sources: BTreeMap::from([
            ("dir with space/reset.sh".to_string(), script.to_string()),
            ("docker-compose.yml".to_string(), compose.to_string()),
        ]),
        ..ScanOutcome::default()
    };
    let doc = validate(&render(&outcome, false));
    let results = results(&doc);
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dir%20with%20space/reset.sh"
    );
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        region["endColumn"],
        2 + "docker compose down -v".len() as u64
    );
    assert_eq!(
        r["message"]["text"],
        "`docker compose down -v` deletes volume `pgdata` \\[the database\\]. See \
         [volume `pgdata` \\[postgres data\\] declared here](1) and [mounted by service `db`](2)."
    );
    let related = r["relatedLocations"].as_array().expect("relatedLocations");
    assert_eq!(related.len(), 2);
    assert_eq!(related[0]["id"], 1);
    assert_eq!(related[1]["id"], 2);
    assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 6);
    assert_eq!(related[0]["physicalLocation"]["region"]["startColumn"], 3);
    assert_eq!(related[1]["physicalLocation"]["region"]["startLine"], 4);
    assert!(related[0]["message"]["text"].is_string());
    let notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 2);
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(notes[1]["level"], "note");

    let doc = validate(&render(&outcome, true));
    assert_eq!(doc["runs"][0]["results"].as_array().map(Vec::len), Some(2));
}

#[test]
fn line_hash_is_left_out_when_a_masked_secret_is_in_its_window() {
    // The kept text has the secret masked as `*`; upload-sarif hashes the real file, so the
    // scanner must not claim a value for lines whose hashed window reaches the mask. A real `*`
    // (a `case` pattern) is no mask.
    let mut text = String::from("#!/bin/sh\nPGPASSWORD=******** psql -c 'DROP TABLE users'\n");
    text.push_str(&"echo padding padding padding\n".repeat(5));
    text.push_str("case $1 in *) docker volume prune -f ;; esac\n");
    let secret = span_of(&text, "********");
    let outcome = ScanOutcome {
        findings: vec![
            finding(
                "compose-down-volumes",
                Level::Warning,
                "a.sh",
                span_of(&text, "#!/bin/sh"),
                "m",
            ),
            finding(
                "compose-down-volumes",
                Level::Warning,
                "a.sh",
                span_of(&text, "psql"),
                "m",
            ),
            finding(
                "docker-volume-remove",
                Level::Warning,
                "a.sh",
                span_of(&text, "docker volume"),
                "m",
            ),
            finding(
                "docker-volume-remove",
                Level::Warning,
                "a.sh",
                span_of(&text, "esac\n"),
                "m",
            ),
        ],
        sources: BTreeMap::from([("a.sh".to_string(), text.clone())]),
        masked: BTreeMap::from([("a.sh".to_string(), vec![secret])]),
        ..ScanOutcome::default()
    };
    let doc = validate(&render(&outcome, false));
    let results = results(&doc);
    let hashes = dataloss_scan::report::fingerprint::line_hashes(&text);
    let hash = |i: usize| results[i]["partialFingerprints"].get("primaryLocationLineHash");
    assert_eq!(hash(0), None, "line 1's window reaches the mask on line 2");
    assert_eq!(hash(1), None, "the mask is on line 2");
    assert_eq!(hash(2).and_then(Value::as_str), Some(hashes[8].as_str()));
    assert_eq!(hash(3).and_then(Value::as_str), Some(hashes[8].as_str()));
    // A span that takes in the line break ends on its own line.
    let region = &results[3]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 8);
    assert_eq!(region["endLine"], 8);
    assert_eq!(
        region["endColumn"],
        text.lines()
            .nth(7)
            .map(|l| l.len() as u64 + 1)
            .expect("line 8")
    );
}

#[test]
fn over_the_result_limit_the_most_severe_are_kept_and_it_says_so() {
    let text = "docker volume prune -f\n";
    let total = report::sarif::MAX_RESULTS + 10;
    let findings: Vec<Finding> = (0..total)
        .map(|i| {
            let level = if i % 1000 == 0 {
                Level::Error
            } else {
                Level::Note
            };
            let mut f = finding("docker-volume-remove", level, "a.sh", Span::new(0, 6), "m");
            f.fingerprint = format!("{i:016x}");
            f
        })
        .collect();
    let outcome = ScanOutcome {
        findings,
        sources: BTreeMap::from([("a.sh".to_string(), text.to_string())]),
        ..ScanOutcome::default()
    };
    let opts = ReportOptions::default();
    let warning = report::sarif::limit_warning(&outcome, &opts).expect("a warning");
    assert!(warning.contains("25000"), "{warning}");
    let doc: Value = serde_json::from_slice(&render(&outcome, false)).expect("JSON");
    let results = results(&doc);
    assert_eq!(results.len(), report::sarif::MAX_RESULTS);
    let errors = results.iter().filter(|r| r["level"] == "error").count();
    assert_eq!(errors, total.div_ceil(1000), "every error is kept");
    let notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(notes.iter().any(|n| n["descriptor"]["id"] == "limit"));

    let small = ScanOutcome {
        findings: outcome.findings[..3].to_vec(),
        sources: outcome.sources.clone(),
        ..ScanOutcome::default()
    };
    assert_eq!(report::sarif::limit_warning(&small, &opts), None);
}

#[test]
fn rules_carry_security_tags_only_where_due() {
    let dir = repo(&[("ok.sh", "#!/bin/sh\necho hi\n")]);
    let (code, out, _) = run_in(dir.path(), &["--format", "sarif", "."]).parts();
    assert_eq!(code, 0);
    let doc = validate(&out);
    assert!(results(&doc).is_empty());
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
    {
        let id = rule["id"].as_str().expect("id");
        let tags: Vec<&str> = rule["properties"]["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let security = ["hardcoded-db-password", "db-port-public", "db-trust-auth"].contains(&id);
        assert_eq!(tags.contains(&"security"), security, "{id}: {tags:?}");
    }
}

/// The bundled demo repositories and the rule fixtures (whatever exists in this checkout) give
/// SARIF that passes the schema and the contract's checks, with `-j 1` and `-j 4` alike.
#[test]
fn examples_and_fixtures_give_valid_sarif() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut targets = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root.join("examples")) {
        let mut dirs: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        targets.extend(dirs);
    }
    if root.join("fixtures").is_dir() {
        targets.push(root.join("fixtures"));
    }
    for target in targets {
        let rel = target.strip_prefix(root).expect("inside the crate");
        let rel = rel.to_str().expect("UTF-8 path");
        let (code, one, stderr) = run_in(root, &["--format", "sarif", "-j", "1", rel]).parts();
        assert!(code == 0 || code == 1, "{rel}: exit {code}: {stderr}");
        let (_, four, _) = run_in(root, &["--format", "sarif", "-j", "4", rel]).parts();
        assert_eq!(one, four, "{rel}: same bytes for any thread count");
        let doc = validate(&one);
        for result in results(&doc) {
            let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri");
            assert!(
                uri.starts_with(rel),
                "{uri} is relative to where the scan ran"
            );
        }
    }
}

#[test]
fn line_hashes_read_the_file_as_the_uploader_does() {
    // upload-sarif hashes the bytes on disk decoded as UTF-8: a byte-order mark is a character of
    // line 1 to it (columns still do not count it), and a UTF-16 file is not text it can hash,
    // so no hash is given there and the uploader's own stands.
    let text = "DROP TABLE users;\nDROP TABLE orders;\n";
    let dir = repo(&[("bom.sql", &format!("\u{feff}{text}")), ("plain.sql", text)]);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("wide.sql"), utf16).expect("write");
    let (code, out, stderr) =
        run_in(dir.path(), &["-f", "sarif", "--select", "drop-table", "."]).parts();
    assert_eq!(code, 1, "{stderr}");
    let doc = validate(&out);
    let with_mark = dataloss_scan::report::fingerprint::line_hashes(&format!("\u{feff}{text}"));
    let without = dataloss_scan::report::fingerprint::line_hashes(text);
    assert_ne!(with_mark[1], without[1]);
    assert_eq!(with_mark[2], without[2], "only line 1 reads the mark");
    let mut seen = Vec::new();
    for result in results(&doc) {
        let physical = &result["locations"][0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
        let line = physical["region"]["startLine"].as_u64().expect("line") as usize;
        assert_eq!(physical["region"]["startColumn"], 1, "{uri}:{line}");
        let hash = &result["partialFingerprints"]["primaryLocationLineHash"];
        match uri {
            "bom.sql" => assert_eq!(hash, &with_mark[line], "{uri}:{line}"),
            "plain.sql" => assert_eq!(hash, &without[line], "{uri}:{line}"),
            "wide.sql" => assert!(hash.is_null(), "{result}"),
            other => panic!("unexpected {other}"),
        }
        seen.push((uri.to_string(), line));
    }
    assert_eq!(seen.len(), 6, "{seen:?}");
}
