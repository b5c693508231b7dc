//! `Justfile`s (casey/just): each recipe's body is shell, run with `sh -c` line by line unless
//! the recipe starts with a shebang (`#!/usr/bin/env bash`: the whole body is one script).
//!
//! Line-based, as just's own grammar is for recipe bodies: a recipe header (`name param…: deps`,
//! after optional `[attribute]` lines) opens a body of indented lines; `@`/`-` line prefixes are
//! dropped; a line ending in `\` goes on with the next one; `{{var}}` interpolations of a
//! variable assigned a string (`var := "…"`) become its value, any other interpolation a shell
//! expansion (`${name}`). `[confirm]` guards the recipe; a recipe named for a local reset, seed,
//! test or dev run (`reset-db`, `seed`, `test`) is that context; a recipe whose shell
//! (`set shell := […]`) or shebang is not a POSIX shell is not read.

use std::collections::HashMap;

use crate::frontends::manifests::package_json::script_name_context;
use crate::model::command::{Assignment, Dir, ShellOrigin, Word};
use crate::model::{FileFacts, Region};
use crate::source::{OffsetMap, Span};

/// Interpolations nested or chained beyond this are left as written.
const MAX_VALUE_LEN: usize = 64 * 1024;

/// One recipe as read.
struct Recipe {
    name: String,
    /// Recipes it depends on (they run before it).
    deps: Vec<String>,
    confirm: bool,
    /// Body lines: (host offset of the line's text after its indentation, that text).
    lines: Vec<(usize, String)>,
    span: Span,
}

/// Extract every recipe of a Justfile.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let mut vars: HashMap<String, String> = HashMap::new();
    let mut posix = true;
    let mut recipes: Vec<Recipe> = Vec::new();
    let mut attributes: Vec<String> = Vec::new();
    let mut current: Option<Recipe> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let at = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let indented = line.starts_with([' ', '\t']);
        if let Some(recipe) = current.as_mut() {
            if indented || (line.trim().is_empty() && !recipe.lines.is_empty()) {
                let trimmed = line.trim_start_matches([' ', '\t']);
                let indent = line.len() - trimmed.len();
                recipe.lines.push((at + indent, trimmed.to_string()));
                recipe.span = recipe.span.cover(Span::new(at, at + line.len()));
                continue;
            }
            recipes.extend(current.take());
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || indented {
            continue;
        }
        if let Some(attrs) = trimmed.strip_prefix('[').and_then(|a| a.strip_suffix(']')) {
            attributes.extend(split_attributes(attrs));
            continue;
        }
        if let Some((name, value)) = assignment(trimmed) {
            if name == "shell" {
                // `set shell := ["bash", "-uc"]`: which program runs the lines.
                posix = shell_is_posix(&value);
            } else if let Some(literal) = string_literal(&value) {
                // `export COMPOSE_FILE := "docker-compose.local.yml"`: every recipe's
                // `docker compose` acts on that file, as after `export COMPOSE_FILE=…` in a script.
                if name.starts_with("COMPOSE_") && trimmed.starts_with("export ") {
                    let start = at + (line.len() - line.trim_start().len());
                    facts.shell.assignments.push(Assignment {
                        name: name.clone(),
                        name_span: Span::new(start, start + trimmed.len()),
                        value: Word::literal_word(
                            Span::new(start, start + trimmed.len()),
                            &literal,
                        ),
                        exported: true,
                        source: 0,
                        scopes: Vec::new(),
                    });
                }
                vars.insert(name, literal);
            }
            continue;
        }
        if let Some(name) = recipe_name(trimmed) {
            let confirm = attributes.iter().any(|a| a == "confirm");
            attributes.clear();
            current = Some(Recipe {
                deps: dependencies(trimmed),
                name,
                confirm,
                lines: Vec::new(),
                span: Span::new(at, at + line.len()),
            });
            continue;
        }
        attributes.clear();
    }
    recipes.extend(current.take());
    for recipe in &recipes {
        if !recipe.deps.is_empty() {
            facts
                .shell
                .task_deps
                .push((recipe.name.clone(), recipe.deps.clone()));
        }
    }
    for recipe in recipes {
        read_recipe(facts, &recipe, &vars, posix);
    }
}

fn read_recipe(
    facts: &mut FileFacts,
    recipe: &Recipe,
    vars: &HashMap<String, String>,
    posix: bool,
) {
    let Some(first) = recipe.lines.iter().find(|(_, l)| !l.trim().is_empty()) else {
        return;
    };
    let body_span = Span::new(
        first.0,
        recipe
            .lines
            .iter()
            .rev()
            .find(|(_, l)| !l.trim().is_empty())
            .map_or(first.0, |(at, l)| at + l.len()),
    );
    if recipe.confirm {
        facts.regions.push(Region {
            span: body_span,
            context: None,
            guard: Some(format!(
                "the `[confirm]` attribute of recipe `{}`",
                recipe.name
            )),
        });
    }
    if let Some(context) = script_name_context(&recipe.name) {
        facts.regions.push(Region {
            span: recipe.span,
            context: Some(context),
            guard: None,
        });
    }
    let origin = || ShellOrigin::Task {
        host: "justfile".into(),
        name: recipe.name.clone(),
    };
    if let Some(shebang) = first.1.strip_prefix("#!") {
        // A shebang recipe: the body is one script for its interpreter.
        if !shebang_is_posix(shebang) {
            return;
        }
        let mut script = String::new();
        let mut map = OffsetMap::default();
        for (at, line) in &recipe.lines {
            interpolate(line, *at, vars, &mut script, &mut map);
            script.push('\n');
        }
        facts
            .shell
            .add_source_in(&script, &map, origin(), Dir::ScriptDir(String::new()));
        return;
    }
    if !posix {
        return;
    }
    let mut i = 0;
    while i < recipe.lines.len() {
        let mut script = String::new();
        let mut map = OffsetMap::default();
        let mut first_line = true;
        while let Some((at, line)) = recipe.lines.get(i) {
            i += 1;
            let (mut at, mut line) = (*at, line.as_str());
            if first_line {
                // `@` (echo off) and `-` (ignore errors) prefixes, in either order.
                while let Some(rest) = line.strip_prefix(['@', '-']) {
                    at += 1;
                    line = rest;
                }
            }
            first_line = false;
            match line.strip_suffix('\\') {
                Some(joined) => {
                    interpolate(joined, at, vars, &mut script, &mut map);
                }
                None => {
                    interpolate(line, at, vars, &mut script, &mut map);
                    break;
                }
            }
        }
        if !script.trim().is_empty() && !script.trim_start().starts_with('#') {
            facts
                .shell
                .add_source_in(&script, &map, origin(), Dir::ScriptDir(String::new()));
        }
    }
}

/// Copy `line` (at host offset `at`) into `script`, `{{…}}` interpolations replaced.
fn interpolate(
    line: &str,
    at: usize,
    vars: &HashMap<String, String>,
    script: &mut String,
    map: &mut OffsetMap,
) {
    let mut rest = 0;
    while let Some(open) = line[rest..].find("{{") {
        let open = rest + open;
        // `{{{{` is a literal `{{`.
        if line[open..].starts_with("{{{{") {
            map.push(script.len(), at + rest, open + 2 - rest);
            script.push_str(&line[rest..open + 2]);
            rest = open + 4;
            continue;
        }
        let Some(close) = line[open + 2..].find("}}") else {
            break;
        };
        let close = open + 2 + close;
        map.push(script.len(), at + rest, open - rest);
        script.push_str(&line[rest..open]);
        let expr = line[open + 2..close].trim();
        let value = match vars.get(expr) {
            Some(v) if v.len() <= MAX_VALUE_LEN && !v.contains('\n') => v.clone(),
            _ => format!("${{{}}}", shell_name(expr)),
        };
        // The value stands for the whole `{{…}}`: its first byte at `{{`, its last at `}}`.
        map.push(script.len(), at + open, 0);
        if value.len() > 1 {
            map.push(script.len() + value.len() - 1, at + close + 1, 0);
        }
        script.push_str(&value);
        rest = close + 2;
    }
    map.push(script.len(), at + rest, line.len() - rest);
    script.push_str(&line[rest..]);
}

/// A shell variable name for an interpolated expression (`db`, `env_var('DB')` → `DB`).
fn shell_name(expr: &str) -> String {
    let inner = expr
        .strip_prefix("env_var(")
        .or_else(|| expr.strip_prefix("env_var_or_default("))
        .or_else(|| expr.strip_prefix("env("))
        .map(|r| r.trim_matches(|c| c == '\'' || c == '"' || c == ')' || c == ' '))
        .map(|r| r.split([',', '\'', '"']).next().unwrap_or(r))
        .unwrap_or(expr);
    let name: String = inner
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let name = name.trim_matches('_').to_string();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("JUST_{name}")
    } else {
        name
    }
}

/// `[confirm, private]`, `[confirm("Really?")]`, `[group('db')]` → the attribute names.
fn split_attributes(attrs: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in attrs.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        if depth == 0 && c != ')' {
            current.push(c);
        }
    }
    out.push(current);
    out.into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

/// `name := value`, `export name := value`, `set name := value` (a boolean `set x` has no value).
fn assignment(line: &str) -> Option<(String, String)> {
    let line = line
        .strip_prefix("export ")
        .or_else(|| line.strip_prefix("set "))
        .unwrap_or(line);
    let (name, value) = line.split_once(":=")?;
    let name = name.trim();
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then(|| (name.to_string(), value.trim().to_string()))
}

/// The value of a plain string literal (`"shop"`, `'shop'`), not a concatenation or call.
fn string_literal(value: &str) -> Option<String> {
    let value = value.split(" #").next().unwrap_or(value).trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
            .filter(|inner| !inner.contains(quote) && !inner.contains('\\'))
        {
            return Some(inner.to_string());
        }
    }
    None
}

/// A recipe header's name: `name`, `@name`, `name arg='x' *rest: deps` (not `a := b`).
fn recipe_name(line: &str) -> Option<String> {
    let line = line.strip_prefix('@').unwrap_or(line);
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(line.len());
    let name = &line[..end];
    if name.is_empty() || name.starts_with('-') {
        return None;
    }
    let rest = &line[end..];
    let colon = rest.find(':')?;
    if rest[colon..].starts_with(":=") {
        return None;
    }
    if ["alias", "import", "mod", "set", "export"].contains(&name) && rest.starts_with(' ') {
        return None;
    }
    Some(name.to_string())
}

/// The recipes a header depends on: `reset: stop (backup "x")` → `stop`, `backup` (those
/// after `&&` run after the recipe and are left out).
fn dependencies(header: &str) -> Vec<String> {
    let Some((_, rest)) = header.split_once(':') else {
        return Vec::new();
    };
    let before = rest.split("&&").next().unwrap_or("");
    let before = before.split(" #").next().unwrap_or(before);
    before
        .split_whitespace()
        .map(|w| w.trim_start_matches('('))
        .filter(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .map(str::to_string)
        .collect()
}

/// `["bash", "-uc"]`, `["sh", "-c"]` are POSIX; `["pwsh", …]`, `["python3", …]` are not.
fn shell_is_posix(value: &str) -> bool {
    let first = value
        .trim_start_matches('[')
        .split(',')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches(['"', '\'']);
    is_posix(first)
}

fn shebang_is_posix(shebang: &str) -> bool {
    let mut words = shebang.split_whitespace();
    let first = words.next().unwrap_or("");
    let program = if first.ends_with("/env") {
        words.find(|w| !w.starts_with('-')).unwrap_or("")
    } else {
        first
    };
    is_posix(program)
}

fn is_posix(program: &str) -> bool {
    let name = program.rsplit('/').next().unwrap_or(program);
    matches!(name, "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::source::SourceFile;

    fn facts(text: &str) -> FileFacts {
        FileFacts::extract(
            SourceFile::new("justfile", text),
            FileKind::Justfile,
            Context::Production,
        )
    }

    fn commands(f: &FileFacts) -> Vec<(u32, String, String)> {
        f.shell
            .commands
            .iter()
            .map(|c| {
                let words: Vec<String> = c.argv.iter().map(|w| w.display()).collect();
                (
                    f.file.position(c.span.start()).line,
                    words.join(" "),
                    f.file.slice(c.span).to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn recipes_lines_and_interpolations() {
        let text = "set dotenv-load\n\
                    db := \"shop\"\n\
                    container := 'pg'\n\
                    \n\
                    # Drop and recreate\n\
                    [confirm(\"Really drop {{db}}?\")]\n\
                    reset-db: stop\n\
                    \t@docker exec {{container}} psql -c \"DROP DATABASE {{db}}\"\n\
                    \t-docker volume rm \\\n\
                    \t  {{ project }}_pgdata\n\
                    \n\
                    deploy env='prod':\n\
                    \x20   docker compose down -v\n\
                    \x20   echo {{{{literal}}\n\
                    \n\
                    migrate:\n\
                    \x20 #!/usr/bin/env bash\n\
                    \x20 set -euo pipefail\n\
                    \x20 docker compose exec -T db psql -c 'TRUNCATE orders'\n\
                    \n\
                    py:\n\
                    \x20 #!/usr/bin/env python3\n\
                    \x20 import os; os.system('docker volume rm x')\n";
        let f = facts(text);
        let got = commands(&f);
        assert!(
            got.iter().any(|(l, w, s)| *l == 8
                && w == "psql -c DROP DATABASE shop"
                && s.starts_with("psql -c \"DROP DATABASE {{db}}")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(l, w, _)| *l == 9 && w == "docker volume rm ${project}_pgdata"),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(l, w, _)| *l == 13 && w == "docker compose down -v"),
            "{got:?}"
        );
        assert!(
            got.iter().any(|(_, w, _)| w == "echo {{literal}}"),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(l, w, _)| *l == 19 && w.starts_with("psql -c")),
            "{got:?}"
        );
        assert!(!got.iter().any(|(_, w, _)| w.contains("import")), "{got:?}");
        // `[confirm]` guards the recipe; `reset-db` is a local reset by its name.
        let psql = f.shell.commands_named("psql").next().expect("psql");
        assert!(
            f.guard_at(psql.span)
                .is_some_and(|g| g.contains("[confirm]"))
        );
        assert_eq!(f.context_at(psql.span), Context::Local);
        let down = f
            .shell
            .commands_named("docker")
            .find(|c| c.argv.iter().any(|w| w.is("down")))
            .expect("down");
        assert_eq!(f.guard_at(down.span), None);
        assert_eq!(f.context_at(down.span), Context::Production);
    }

    #[test]
    fn non_posix_shells_are_not_read() {
        let f = facts("set shell := [\"pwsh\", \"-c\"]\nreset:\n  docker volume rm x\n");
        assert!(f.shell.commands.is_empty());
        let f = facts("set shell := [\"bash\", \"-uc\"]\nreset:\n  docker volume rm x\n");
        assert_eq!(f.shell.commands.len(), 1);
    }

    #[test]
    fn headers() {
        assert_eq!(recipe_name("reset-db: stop").as_deref(), Some("reset-db"));
        assert_eq!(recipe_name("@seed n='1' *args:").as_deref(), Some("seed"));
        assert_eq!(recipe_name("db := \"x\""), None);
        assert_eq!(recipe_name("alias r := reset"), None);
        assert_eq!(
            split_attributes("confirm(\"a, b\"), private"),
            ["confirm", "private"]
        );
        assert_eq!(shell_name("env_var('DB_NAME')"), "DB_NAME");
        assert_eq!(
            dependencies("reset: stop (backup \"x\") && up"),
            ["stop", "backup"]
        );
    }
}
