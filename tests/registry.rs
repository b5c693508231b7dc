//! Registry completeness: every rule has its TOML, fixtures and docs, nothing is orphaned, the
//! metadata is well-formed, rules never touch parser node kinds, and the README's rules table is
//! generated from the registry (`UPDATE_README=1 cargo test` rewrites it).

use std::collections::BTreeSet;
use std::path::Path;

use dataloss_scan::report::catalogue;
use dataloss_scan::rules::{self, PACKS, RULES};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const HEADINGS: &[&str] = &[
    "## What it finds",
    "## Why it loses data",
    "## How to fix",
    "## Known limits",
    "## Example",
];

#[test]
fn metadata_is_complete_and_well_formed() {
    let meta = rules::metadata().expect("every rules/<id>.toml parses (deny_unknown_fields)");
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for m in meta {
        if !seen.insert(m.id.clone()) {
            problems.push(format!("{}: duplicate id", m.id));
        }
        let kebab = !m.id.is_empty()
            && m.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !m.id.starts_with('-')
            && !m.id.ends_with('-');
        if !kebab {
            problems.push(format!("{}: id must be kebab-case", m.id));
        }
        if !PACKS.contains(&m.pack.as_str()) {
            problems.push(format!(
                "rules/{}.toml: pack `{}` is not one of {PACKS:?}",
                m.id, m.pack
            ));
        }
        for h in HEADINGS {
            if !m.explanation.contains(h) {
                problems.push(format!(
                    "rules/{}.toml: explanation lacks the heading `{h}`",
                    m.id
                ));
            }
        }
        if m.summary.is_empty() || m.summary.contains('\n') {
            problems.push(format!("rules/{}.toml: summary must be one line", m.id));
        }
        if m.tags.len() > 9 {
            problems.push(format!(
                "rules/{}.toml: at most 9 tags (SARIF allows 10 with `security`)",
                m.id
            ));
        }
        if !matches!(
            m.precision.as_str(),
            "very-high" | "high" | "medium" | "low"
        ) {
            problems.push(format!(
                "rules/{}.toml: precision must be very-high, high, medium or low",
                m.id
            ));
        }
        match m.security_severity.parse::<f64>() {
            Ok(v) if (0.0..=10.0).contains(&v) && m.security_severity != "9.0" => {}
            _ => problems.push(format!(
                "rules/{}.toml: security-severity must be a number from 0.0 to 10.0 as a string, never \"9.0\"",
                m.id
            )),
        }
        let fixtures = root().join("fixtures").join(&m.id);
        let names: Vec<String> = std::fs::read_dir(&fixtures)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        if !names.iter().any(|n| n.starts_with("bad-")) {
            problems.push(format!("fixtures/{}/: add at least one bad-* case", m.id));
        }
        if !names.iter().any(|n| n.starts_with("good-")) {
            problems.push(format!("fixtures/{}/: add at least one good-* case", m.id));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn nothing_is_orphaned() {
    let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(root().join("rules")).expect("rules/") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        // Data tables (stateful images, backup images) carry no `id`.
        let is_rule = text.lines().any(|l| l.trim_start().starts_with("id ="));
        if is_rule && !ids.contains(name.as_str()) {
            problems.push(format!(
                "rules/{name}.toml is not registered in src/rules/mod.rs (or delete it)"
            ));
        }
    }
    for entry in std::fs::read_dir(root().join("fixtures")).expect("fixtures/") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if !ids.contains(name.as_str()) {
            problems.push(format!("fixtures/{name}/ belongs to no registered rule"));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn rules_do_not_know_parser_node_kinds() {
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(root().join("src/rules")).expect("src/rules") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for needle in ["tree_sitter", "sqlparser"] {
            if text.contains(needle) {
                problems.push(format!(
                    "{} mentions `{needle}`: move that code to src/facts/",
                    path.display()
                ));
            }
        }
        if !text.starts_with("//!") {
            problems.push(format!("{} must open with a `//!` line", path.display()));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_module_has_a_doc_line() {
    let mut problems = Vec::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if !text.starts_with("//!") {
                    problems.push(format!(
                        "{} must open with a `//!` line on what it is for",
                        path.display()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

const BEGIN: &str =
    "<!-- rules-table:begin (generated by tests/registry.rs; UPDATE_README=1 cargo test) -->";
const END: &str = "<!-- rules-table:end -->";

#[test]
fn readme_rules_table_matches_the_registry() {
    let meta = rules::metadata().expect("metadata");
    let table = catalogue::markdown_table(meta);
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let (Some(b), Some(e)) = (readme.find(BEGIN), readme.find(END)) else {
        panic!("README.md lacks the rules-table markers:\n{BEGIN}\n{END}");
    };
    let current = &readme[b + BEGIN.len()..e];
    let wanted = format!("\n{table}");
    if current != wanted {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{BEGIN}{wanted}{}", &readme[..b], &readme[e..]);
            std::fs::write(&path, updated).expect("write README.md");
        } else {
            panic!(
                "README.md's rules table is stale: run `UPDATE_README=1 cargo test` and commit it"
            );
        }
    }
}
