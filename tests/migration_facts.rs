//! Extraction snapshots of the framework migration front-ends: each folder under
//! `tests/frontends/<framework>/` holds representative migrations at their framework's layout
//! paths, and the schema changes read from them (kind, names, direction, origin, how the code
//! wrote them, line) are snapshotted, one snapshot per framework.

use std::fmt::Write as _;
use std::path::PathBuf;

use dataloss_scan::ScanOptions;

fn facts_of(framework: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/frontends")
        .join(framework);
    let opts = ScanOptions {
        paths: vec![dir.clone()],
        threads: 1,
        ..ScanOptions::default()
    };
    let facts = dataloss_scan::debug_facts(&opts).expect("facts");
    let mut out = String::new();
    let mut files: Vec<&serde_json::Value> = facts.as_array().expect("array").iter().collect();
    files.sort_by_key(|f| f["path"].as_str().unwrap_or("").to_string());
    for file in files {
        let path = file["path"].as_str().unwrap_or("");
        let text = std::fs::read_to_string(dir.join(path)).unwrap_or_default();
        let line = |offset: u64| {
            text[..(offset as usize).min(text.len())]
                .matches('\n')
                .count()
                + 1
        };
        writeln!(out, "{path} ({})", file["kind"]).ok();
        let sql = &file["sql"];
        let down: Vec<(usize, usize)> = sql["migration"]["down_sections"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| Some((line(s[0].as_u64()?), line(s[1].as_u64()?))))
            .collect();
        writeln!(out, "  down sections (lines): {down:?}").ok();
        // Liquibase: the changelogs a master includes and the SQL files its changesets run.
        for key in ["includes", "sql_files"] {
            if let Some(refs) = sql["migration"][key].as_array() {
                writeln!(out, "  {key}: {}", serde_json::Value::from(refs.clone())).ok();
            }
        }
        for stmt in sql["statements"].as_array().into_iter().flatten() {
            let mut kind = stmt["kind"].clone();
            strip_spans(&mut kind);
            writeln!(
                out,
                "  line {} {} {} scratch={} written={}\n    {}",
                line(stmt["span"]["start"].as_u64().unwrap_or(0)),
                stmt["direction"].as_str().unwrap_or(""),
                stmt["origin"],
                stmt["scratch"],
                stmt["written"],
                kind
            )
            .ok();
        }
        writeln!(out, "  declared: {}", sql["column_types"]).ok();
    }
    out
}

/// Drop spans and name keys from a schema op, for a readable snapshot.
fn strip_spans(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.remove("span");
            map.remove("key");
            for (_, inner) in map.iter_mut() {
                strip_spans(inner);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_spans),
        _ => {}
    }
}

#[test]
fn ef_core_facts() {
    insta::assert_snapshot!("ef_core", facts_of("ef-core"));
}

#[test]
fn sequelize_facts() {
    insta::assert_snapshot!("sequelize", facts_of("sequelize"));
}

#[test]
fn knex_facts() {
    insta::assert_snapshot!("knex", facts_of("knex"));
}

#[test]
fn typeorm_facts() {
    insta::assert_snapshot!("typeorm", facts_of("typeorm"));
}

#[test]
fn liquibase_facts() {
    insta::assert_snapshot!("liquibase", facts_of("liquibase"));
}

#[test]
fn ecto_facts() {
    insta::assert_snapshot!("ecto", facts_of("ecto"));
}
