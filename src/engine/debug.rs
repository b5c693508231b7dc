//! `--debug-facts`: the facts the front-ends extracted from every file, as JSON, for rule authors
//! to see what a file became. Secret values are masked.

use crate::classify::NameClass;
use crate::engine::options::Resolved;
use crate::engine::read::analyse_file;
use crate::engine::{Error, ScanOptions, candidates};
use crate::model::FileFacts;
use crate::walk::Candidate;

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
        // As in a scan: program files outside the program folders only when a command runs them.
        let (deferred, direct): (Vec<&Candidate>, Vec<&Candidate>) = found
            .candidates
            .iter()
            .partition(|c| c.class == NameClass::Deferred);
        let mut files: Vec<FileFacts> = Vec::new();
        let mut entries: Vec<(String, serde_json::Value)> = Vec::new();
        let mut read = |candidate: &Candidate, files: &mut Vec<FileFacts>| match analyse_file(
            candidate, &setup,
        ) {
            (Some(facts), _) => files.push(facts),
            (None, notices) if !notices.is_empty() => entries.push((
                candidate.rel.clone(),
                serde_json::json!({"path": candidate.rel, "notices": notices}),
            )),
            _ => {}
        };
        for candidate in direct {
            read(candidate, &mut files);
        }
        let paths: Vec<&str> = deferred.iter().map(|c| c.rel.as_str()).collect();
        let run = crate::analysis::programs::programs_run(&files, &paths);
        for candidate in deferred
            .into_iter()
            .filter(|c| run.contains(c.rel.as_str()))
        {
            read(candidate, &mut files);
        }
        for facts in &files {
            let mask = |v: serde_json::Value| mask_secrets(v, facts);
            entries.push((
                facts.file.path.clone(),
                serde_json::json!({
                    "path": facts.file.path,
                    "kind": facts.kind,
                    "context": facts.context,
                    "regions": facts.regions,
                    "shell": mask(serde_json::to_value(&facts.shell).unwrap_or_default()),
                    "sql": mask(serde_json::to_value(&facts.sql).unwrap_or_default()),
                    "compose": mask(serde_json::to_value(&facts.compose).unwrap_or_default()),
                    "infra": mask(serde_json::to_value(&facts.infra).unwrap_or_default()),
                    "backup": mask(
                        serde_json::to_value(crate::analysis::backup::steps_of(facts, &setup.backup_catalog))
                            .unwrap_or_default()
                    ),
                    "notices": facts.notices,
                }),
            ));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        out.extend(entries.into_iter().map(|(_, v)| v));
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
