//! `--debug-facts`: the facts the front-ends extracted from every file, as JSON, for rule authors
//! to see what a file became. Secret values are masked.

use crate::engine::options::Resolved;
use crate::engine::read::analyse_file;
use crate::engine::{Error, ScanOptions, candidates};
use crate::model::FileFacts;

/// The facts extracted from every file under the given paths, as JSON (`--debug-facts`): for rule
/// authors to see what the facts layer made of a file. Secret values are masked.
pub fn debug_facts(opts: &ScanOptions) -> Result<serde_json::Value, Error> {
    let setup = Resolved::new(opts)?;
    let mut out = Vec::new();
    for path in &opts.paths {
        if !path.exists() {
            return Err(Error::PathNotFound(path.clone()));
        }
        let found = candidates(path, &setup)?;
        for candidate in &found.candidates {
            let (facts, notices) = analyse_file(candidate, &setup);
            let Some(facts) = facts else {
                if !notices.is_empty() {
                    out.push(serde_json::json!({"path": candidate.rel, "notices": notices}));
                }
                continue;
            };
            let mask = |v: serde_json::Value| mask_secrets(v, &facts);
            out.push(serde_json::json!({
                "path": facts.file.path,
                "kind": facts.kind,
                "context": facts.context,
                "regions": facts.regions,
                "shell": mask(serde_json::to_value(&facts.shell).unwrap_or_default()),
                "sql": mask(serde_json::to_value(&facts.sql).unwrap_or_default()),
                "compose": mask(serde_json::to_value(&facts.compose).unwrap_or_default()),
                "infra": mask(serde_json::to_value(&facts.infra).unwrap_or_default()),
                "backup": mask(
                    serde_json::to_value(crate::analysis::backup::steps_of(&facts, &setup.backup_catalog))
                        .unwrap_or_default()
                ),
                "notices": facts.notices,
            }));
        }
    }
    Ok(serde_json::Value::Array(out))
}

/// Replace every string equal to a secret value of the file with `***`.
fn mask_secrets(value: serde_json::Value, facts: &FileFacts) -> serde_json::Value {
    use serde_json::Value;
    let secrets: Vec<&str> = facts
        .secrets
        .iter()
        .map(|s| facts.file.slice(*s))
        .filter(|s| !s.is_empty())
        .collect();
    fn walk(v: Value, secrets: &[&str]) -> Value {
        match v {
            Value::String(s) => {
                let mut s = s;
                for secret in secrets {
                    if s.contains(secret) {
                        s = s.replace(secret, "***");
                    }
                }
                Value::String(s)
            }
            Value::Array(a) => Value::Array(a.into_iter().map(|x| walk(x, secrets)).collect()),
            Value::Object(o) => {
                Value::Object(o.into_iter().map(|(k, x)| (k, walk(x, secrets))).collect())
            }
            other => other,
        }
    }
    if secrets.is_empty() {
        value
    } else {
        walk(value, &secrets)
    }
}
