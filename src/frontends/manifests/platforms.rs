//! Platform deploy files and the commands they run at a known moment:
//!
//! - `app.json` (Heroku): `scripts.postdeploy` (after every review or new app is deployed);
//! - `heroku.yml`: `release.command` (every deploy) and `run.<process>` (every start);
//! - `render.yaml`: `buildCommand`, `preDeployCommand` (every deploy), `startCommand`,
//!   `dockerCommand` (every start) of each service;
//! - `fly.toml`: `[deploy] release_command` (every deploy), `[processes]` (every start);
//! - `railway.json`/`railway.toml`: `build.buildCommand`, `deploy.preDeployCommand` (every
//!   deploy), `deploy.startCommand` (every start);
//! - `nixpacks.toml`: `[phases.*] cmds` (every build), `[start] cmd` (every start).
//!
//! JSON and YAML go through the spanned YAML model, TOML through `toml`'s spanned document.

use std::borrow::Cow;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::model::FileFacts;
use crate::model::command::RunsWhen;
use crate::source::OffsetMap;
use crate::syntax::yaml::{self, Node};

/// A command found in a platform file: its text, map, task name and moment.
struct Found {
    text: String,
    map: OffsetMap,
    name: String,
    when: RunsWhen,
}

/// Extract the commands of a platform file.
pub fn extract(facts: &mut FileFacts) {
    let name = facts
        .file
        .path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = facts.file.text.clone();
    let found = if name.ends_with(".toml") {
        match DeTable::parse(&text) {
            Ok(root) => toml_commands(&name, &text, root.get_ref()),
            Err(_) => {
                super::problem(facts, 0, "this TOML file could not be parsed");
                Vec::new()
            }
        }
    } else {
        let parsed = yaml::parse(&text);
        if let Some(p) = parsed.problems.first() {
            super::problem(facts, p.offset, "this file could not be fully parsed");
        }
        match parsed.documents.first().and_then(|d| d.root.as_ref()) {
            Some(root) => yaml_commands(&name, root),
            None => Vec::new(),
        }
    };
    let host = name.clone();
    for f in found {
        super::add_command(facts, &f.text, &f.map, &host, &f.name, f.when);
    }
}

fn deploy(what: String) -> RunsWhen {
    RunsWhen::EveryDeploy { what }
}

fn start(what: String) -> RunsWhen {
    RunsWhen::EveryStart { what }
}

/// A command value: a string, or a list of strings (each its own command).
fn yaml_strings(node: &Node) -> Vec<(String, OffsetMap)> {
    if let Some(s) = node.as_scalar() {
        return vec![(s.value.clone(), s.map.clone())];
    }
    node.as_sequence()
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_scalar().map(|s| (s.value.clone(), s.map.clone())))
        .collect()
}

fn yaml_commands(file: &str, root: &Node) -> Vec<Found> {
    let mut out = Vec::new();
    let mut push = |node: Option<&Node>, name: &str, when: RunsWhen| {
        if let Some(node) = node {
            for (text, map) in yaml_strings(node) {
                out.push(Found {
                    text,
                    map,
                    name: name.to_string(),
                    when: when.clone(),
                });
            }
        }
    };
    match file {
        "app.json" => {
            let scripts = root.get("scripts");
            push(
                scripts.and_then(|s| s.get("postdeploy")),
                "postdeploy",
                deploy("the app.json `postdeploy` script".into()),
            );
        }
        "heroku.yml" => {
            push(
                root.get("release").and_then(|r| r.get("command")),
                "release",
                deploy("the heroku.yml `release` phase".into()),
            );
            for pair in root
                .get("run")
                .and_then(Node::as_mapping)
                .unwrap_or_default()
            {
                let name = pair.key.as_str().unwrap_or("run").to_string();
                let command = pair.value.get("command").unwrap_or(&pair.value);
                push(
                    Some(command),
                    &name,
                    start(format!("the heroku.yml `{name}` process")),
                );
            }
        }
        "railway.json" => {
            let build = root.get("build");
            let dep = root.get("deploy");
            push(
                build.and_then(|b| b.get("buildCommand")),
                "buildCommand",
                deploy("railway.json `buildCommand`".into()),
            );
            push(
                dep.and_then(|d| d.get("preDeployCommand")),
                "preDeployCommand",
                deploy("railway.json `preDeployCommand`".into()),
            );
            push(
                dep.and_then(|d| d.get("startCommand")),
                "startCommand",
                start("railway.json `startCommand`".into()),
            );
        }
        _ => {
            // render.yaml: `services:` (and `jobs:`) with their commands.
            for key in ["services", "jobs"] {
                for service in root
                    .get(key)
                    .and_then(Node::as_sequence)
                    .unwrap_or_default()
                {
                    let name = service.get_str("name").unwrap_or("service").to_string();
                    for (field, when) in [
                        (
                            "buildCommand",
                            deploy(format!("Render's `buildCommand` of `{name}`")),
                        ),
                        (
                            "preDeployCommand",
                            deploy(format!("Render's `preDeployCommand` of `{name}`")),
                        ),
                        (
                            "startCommand",
                            start(format!("Render's `startCommand` of `{name}`")),
                        ),
                        (
                            "dockerCommand",
                            start(format!("Render's `dockerCommand` of `{name}`")),
                        ),
                    ] {
                        push(service.get(field), &name, when);
                    }
                }
            }
        }
    }
    out
}

type Table<'i> = DeTable<'i>;

fn get<'a, 'i>(table: &'a Table<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

fn table<'a, 'i>(value: Option<&'a Spanned<DeValue<'i>>>) -> Option<&'a Table<'i>> {
    match value?.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

/// A TOML string's value with a map into the host: exact when the written text holds the value
/// as is (no escapes), else every character at the string's start.
fn toml_string(text: &str, value: &Spanned<DeValue>) -> Vec<(String, OffsetMap)> {
    let one = |s: &Cow<str>, span: std::ops::Range<usize>| {
        let raw = text.get(span.clone()).unwrap_or("");
        let map = match raw.find(s.as_ref()) {
            Some(k) if !s.is_empty() => OffsetMap::verbatim(span.start + k, s.len()),
            _ => {
                let mut m = OffsetMap::default();
                for (k, c) in s.char_indices() {
                    m.push(k, span.start, c.len_utf8());
                }
                m
            }
        };
        (s.to_string(), map)
    };
    match value.get_ref() {
        DeValue::String(s) => vec![one(s, value.span())],
        DeValue::Array(items) => items
            .iter()
            .filter_map(|item| match item.get_ref() {
                DeValue::String(s) => Some(one(s, item.span())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn toml_commands(file: &str, text: &str, root: &Table) -> Vec<Found> {
    let mut out = Vec::new();
    let mut push = |value: Option<&Spanned<DeValue>>, name: &str, when: RunsWhen| {
        if let Some(value) = value {
            for (t, map) in toml_string(text, value) {
                out.push(Found {
                    text: t,
                    map,
                    name: name.to_string(),
                    when: when.clone(),
                });
            }
        }
    };
    match file {
        "fly.toml" => {
            let dep = table(get(root, "deploy"));
            push(
                dep.and_then(|d| get(d, "release_command")),
                "release_command",
                deploy("fly.toml `release_command`".into()),
            );
            if let Some(processes) = table(get(root, "processes")) {
                for (k, v) in processes.iter() {
                    let name = k.get_ref().to_string();
                    push(
                        Some(v),
                        &name,
                        start(format!("the fly.toml `{name}` process")),
                    );
                }
            }
        }
        "railway.toml" => {
            let build = table(get(root, "build"));
            let dep = table(get(root, "deploy"));
            push(
                build.and_then(|b| get(b, "buildCommand")),
                "buildCommand",
                deploy("railway.toml `buildCommand`".into()),
            );
            push(
                dep.and_then(|d| get(d, "preDeployCommand")),
                "preDeployCommand",
                deploy("railway.toml `preDeployCommand`".into()),
            );
            push(
                dep.and_then(|d| get(d, "startCommand")),
                "startCommand",
                start("railway.toml `startCommand`".into()),
            );
        }
        _ => {
            // nixpacks.toml
            if let Some(phases) = table(get(root, "phases")) {
                for (k, v) in phases.iter() {
                    let name = k.get_ref().to_string();
                    if let DeValue::Table(phase) = v.get_ref() {
                        push(
                            get(phase, "cmds"),
                            &name,
                            deploy(format!("the nixpacks `{name}` phase, at every build")),
                        );
                    }
                }
            }
            push(
                table(get(root, "start")).and_then(|s| get(s, "cmd")),
                "start",
                start("the nixpacks `start` command".into()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::source::SourceFile;

    fn commands(path: &str, text: &str) -> Vec<(String, bool)> {
        let f = FileFacts::extract(
            SourceFile::new(path, text),
            FileKind::Platform,
            Context::Production,
        );
        assert!(f.notices.is_empty(), "{:?}", f.notices);
        f.shell
            .commands
            .iter()
            .map(|c| {
                (
                    f.file.slice(c.span).to_string(),
                    matches!(f.shell.runs_when(c.span), RunsWhen::EveryDeploy { .. }),
                )
            })
            .collect()
    }

    #[test]
    fn each_platform() {
        assert_eq!(
            commands(
                "render.yaml",
                "services:\n  - type: web\n    name: api\n    preDeployCommand: php artisan migrate:refresh --force\n    startCommand: php-fpm\n"
            ),
            vec![
                ("php artisan migrate:refresh --force".to_string(), true),
                ("php-fpm".to_string(), false)
            ]
        );
        assert_eq!(
            commands(
                "fly.toml",
                "app = \"shop\"\n[deploy]\n  release_command = \"bin/rails db:schema:load\"\n[processes]\n  app = \"bin/rails server\"\n"
            ),
            vec![
                ("bin/rails db:schema:load".to_string(), true),
                ("bin/rails server".to_string(), false)
            ]
        );
        assert_eq!(
            commands(
                "railway.json",
                "{\n  \"deploy\": {\n    \"startCommand\": \"python manage.py reset_db --noinput && gunicorn app.wsgi\"\n  }\n}\n"
            ),
            vec![
                ("python manage.py reset_db --noinput".to_string(), false),
                ("gunicorn app.wsgi".to_string(), false)
            ]
        );
        assert_eq!(
            commands(
                "heroku.yml",
                "build:\n  docker:\n    web: Dockerfile\nrelease:\n  image: web\n  command:\n    - ./release.sh\nrun:\n  web: bundle exec puma\n"
            ),
            vec![
                ("./release.sh".to_string(), true),
                ("bundle exec puma".to_string(), false)
            ]
        );
        assert_eq!(
            commands(
                "railway.toml",
                "[deploy]\npreDeployCommand = [\"npx prisma migrate deploy\"]\n"
            ),
            vec![("npx prisma migrate deploy".to_string(), true)]
        );
    }
}
