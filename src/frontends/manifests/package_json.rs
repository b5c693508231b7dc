//! `package.json` scripts. JSON is read through the spanned YAML model (JSON is YAML 1.2), so
//! every script's value keeps an exact offset map, escapes included.
//!
//! When a script runs: npm's lifecycle names say it (`start` on every start of the app;
//! `build`, `postinstall`, `heroku-postbuild` in every platform build; `deploy`, `release` on
//! every deploy), and a script reached from one of them (`npm run x`, `yarn x`, `pnpm x`,
//! `bun run x`, and `prex`/`postx` around `x`) runs then too. A script nothing runs at such a
//! moment and whose name says it is a local reset, seed, test or dev run (`db:reset`,
//! `seed:fresh`, `test:e2e`) is that context: its findings are notes.

use std::collections::BTreeMap;

use crate::levels::{Context, name_context, name_words};
use crate::model::command::RunsWhen;
use crate::model::{FileFacts, Region};
use crate::source::{OffsetMap, Span};
use crate::syntax::yaml;

/// Words of a script name that say it resets a local database.
const RESET_WORDS: &[&str] = &["reset", "fresh", "wipe", "nuke", "teardown"];

/// Extract every script of a `package.json`.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let parsed = yaml::parse(&text);
    if let Some(p) = parsed.problems.first() {
        super::problem(
            facts,
            p.offset,
            "this package.json could not be fully parsed",
        );
    }
    let Some(root) = parsed.documents.first().and_then(|d| d.root.as_ref()) else {
        return;
    };
    let Some(scripts) = root.get("scripts").and_then(|s| s.as_mapping()) else {
        return;
    };
    let mut bodies: BTreeMap<String, (String, OffsetMap, Span)> = BTreeMap::new();
    for pair in scripts {
        let (Some(name), Some(scalar)) = (pair.key.as_str(), pair.value.as_scalar()) else {
            continue;
        };
        bodies.insert(
            name.to_string(),
            (scalar.value.clone(), scalar.map.clone(), pair.value.span),
        );
    }
    let moments = moments(&bodies);
    for (name, (body, map, span)) in &bodies {
        let when = moments.get(name).cloned().unwrap_or_default();
        if when == RunsWhen::Unknown
            && let Some(context) = script_name_context(name)
        {
            facts.regions.push(Region {
                span: *span,
                context: Some(context),
                guard: None,
            });
        }
        super::add_command(facts, body, map, "package.json", name, when);
    }
}

/// The context a script's name gives it when nothing runs it at a deploy: a test or dev run
/// (`test`, `dev`, `seed`), or a local reset (`db:reset`, `seed:fresh`, `db:wipe`).
pub fn script_name_context(name: &str) -> Option<Context> {
    name_context(name).or_else(|| {
        name_words(name)
            .iter()
            .any(|w| RESET_WORDS.contains(&w.as_str()))
            .then_some(Context::Local)
    })
}

/// The moment each script runs: lifecycle names, then followed through `npm run x` and
/// `pre`/`post` scripts until nothing changes.
fn moments(bodies: &BTreeMap<String, (String, OffsetMap, Span)>) -> BTreeMap<String, RunsWhen> {
    let mut out: BTreeMap<String, RunsWhen> = BTreeMap::new();
    for name in bodies.keys() {
        if let Some(when) = lifecycle(name) {
            out.insert(name.clone(), when);
        }
    }
    // Each round can only add names; the number of scripts bounds the rounds.
    for _ in 0..bodies.len().min(64) {
        let mut added = false;
        let known: Vec<(String, RunsWhen)> =
            out.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (name, when) in known {
            let mut called: Vec<String> = vec![format!("pre{name}"), format!("post{name}")];
            if let Some((body, _, _)) = bodies.get(&name) {
                called.extend(called_scripts(body, bodies));
            }
            for callee in called {
                if bodies.contains_key(&callee) && !out.contains_key(&callee) {
                    out.insert(callee, when.clone());
                    added = true;
                }
            }
        }
        if !added {
            break;
        }
    }
    out
}

/// npm lifecycle scripts and the platform conventions that run them.
fn lifecycle(name: &str) -> Option<RunsWhen> {
    let what = |s: &str| format!("the package.json `{s}` script");
    match name {
        "start" => Some(RunsWhen::EveryStart { what: what(name) }),
        "build" | "postinstall" | "install" | "preinstall" | "heroku-postbuild"
        | "heroku-prebuild" | "vercel-build" | "render-build" => Some(RunsWhen::EveryDeploy {
            what: format!("{}, run by platform builds", what(name)),
        }),
        "deploy" | "predeploy" | "postdeploy" | "release" | "prerelease" | "postrelease" => {
            Some(RunsWhen::EveryDeploy { what: what(name) })
        }
        _ => None,
    }
}

/// Scripts a script body runs by name: `npm run x`, `npm run-script x`, `yarn x`, `yarn run x`,
/// `pnpm x`, `pnpm run x`, `bun run x` (words split on the shell's list operators).
fn called_scripts(body: &str, bodies: &BTreeMap<String, (String, OffsetMap, Span)>) -> Vec<String> {
    let mut out = Vec::new();
    for part in body.split(['&', ';', '|']) {
        let words: Vec<&str> = part
            .split_whitespace()
            .map(|w| w.trim_matches(['"', '\'']))
            .collect();
        let mut i = 0;
        while i < words.len() {
            let program = words[i];
            let next = words.get(i + 1).copied();
            let after = words.get(i + 2).copied();
            let name = match (program, next) {
                ("npm" | "bun", Some("run" | "run-script")) => after,
                ("yarn" | "pnpm", Some("run")) => after,
                ("yarn" | "pnpm", Some(x)) if bodies.contains_key(x) => Some(x),
                _ => None,
            };
            if let Some(name) = name {
                out.push(name.to_string());
            }
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::source::SourceFile;

    #[test]
    fn lifecycle_and_followed_scripts() {
        let text = r#"{
  "name": "shop",
  "scripts": {
    "build": "npm run db:push && next build",
    "db:push": "prisma db push --accept-data-loss",
    "db:reset": "prisma migrate reset --force",
    "postdeploy": "sequelize db:drop && sequelize db:create",
    "deploy": "echo \"deploying\""
  }
}"#;
        let f = FileFacts::extract(
            SourceFile::new("package.json", text),
            FileKind::PackageJson,
            Context::Production,
        );
        let find = |w: &str| {
            f.shell
                .commands
                .iter()
                .find(|c| c.argv.iter().any(|x| x.is(w)))
                .map(|c| {
                    (
                        f.file.slice(c.span).to_string(),
                        f.shell.runs_when(c.span),
                        f.context_at(c.span),
                    )
                })
        };
        let push = find("push").expect("push");
        assert_eq!(push.0, "prisma db push --accept-data-loss");
        assert!(push.1.every_time());
        let reset = find("reset").expect("reset");
        assert_eq!(reset.1, RunsWhen::Unknown);
        assert_eq!(reset.2, Context::Local);
        let drop = find("db:drop").expect("drop");
        assert!(drop.1.every_time(), "{:?}", drop.1);
        assert_eq!(drop.2, Context::Production);
    }

    #[test]
    fn names() {
        assert_eq!(script_name_context("db:reset"), Some(Context::Local));
        assert_eq!(script_name_context("seed:fresh"), Some(Context::Local));
        assert_eq!(script_name_context("test:e2e"), Some(Context::Test));
        assert_eq!(script_name_context("migrate"), None);
    }
}
