//! Makefile recipes as shell: each recipe line (tab-indented, after a target) runs in its own
//! shell. `@`/`-`/`+` prefixes are dropped, backslash-newline continuations are joined (the next
//! line's leading tab removed, as make does), `$$` becomes `$`, and `$(VAR)`/`${VAR}` make
//! variables assigned a value in the same Makefile are substituted; unknown ones become a shell
//! expansion of the same length, so the offset map stays exact where text is verbatim.
//!
//! Line-based by design: make's own grammar is line-oriented. Never decides a finding.

use std::collections::HashMap;

use crate::model::FileFacts;
use crate::model::command::Dir;
use crate::model::command::ShellOrigin;
use crate::notice::{Notice, NoticeKind};
use crate::source::{OffsetMap, Span};

/// Variable references nested deeper than this are not expanded.
const MAX_DEPTH: usize = 8;

/// A variable whose expanded value is longer than this is unknown (`A2 = $(A1) $(A1) …`
/// grows exponentially with the nesting).
const MAX_VALUE_LEN: usize = 64 * 1024;

/// Bytes of expanded values one Makefile may put into its recipes; past it, references stay
/// unknown.
const MAX_EXPANSION_BYTES: usize = 4 * 1024 * 1024;

/// What is left of a Makefile's expansion budget, and where it first ran out.
struct Budget {
    left: usize,
    hit: Option<usize>,
    /// Each variable's expanded value, computed once (`None`: too long).
    cache: HashMap<String, Option<String>>,
}

/// Extract every recipe line of a Makefile.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let lines = lines_with_offsets(&text);
    // make expands a recipe's variables when it runs the recipe, after reading the whole
    // Makefile: a variable assigned below the recipe counts too, and the last assignment wins.
    let mut vars: HashMap<String, String> = HashMap::new();
    for (_, line) in &lines {
        if !line.starts_with('\t')
            && let Some((name, value)) = assignment(line.trim())
        {
            vars.insert(name, value);
        }
    }
    let mut target: Option<String> = None;
    let mut budget = Budget {
        left: MAX_EXPANSION_BYTES,
        hit: None,
        cache: HashMap::new(),
    };
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        i += 1;
        if let Some(recipe) = line.strip_prefix('\t') {
            let Some(name) = target.clone() else {
                continue;
            };
            // Join continuations: `\` at the end keeps going on the next line.
            let mut parts = vec![(start + 1, recipe)];
            while parts
                .last()
                .is_some_and(|(_, l)| l.trim_end_matches('\r').ends_with('\\'))
                && i < lines.len()
            {
                let (s, l) = lines[i];
                i += 1;
                match l.strip_prefix('\t') {
                    Some(rest) => parts.push((s + 1, rest)),
                    None => parts.push((s, l)),
                }
            }
            let (shell, map) = recipe_text(&parts, &vars, &name, &mut budget);
            // A target named for a test run or a local environment (`test`, `e2e`,
            // `reset-dev-db`) is that context, as a script so named would be.
            if let (Some(context), Some(&(first, _)), Some(&(last, text))) = (
                crate::levels::name_context(&name),
                parts.first(),
                parts.last(),
            ) {
                facts.regions.push(crate::model::Region {
                    span: Span::new(first, last + text.len()),
                    context: Some(context),
                    guard: None,
                });
            }
            if !shell.trim().is_empty() {
                facts.shell.add_source_in(
                    &shell,
                    &map,
                    ShellOrigin::MakeTarget { target: name },
                    Dir::ScriptDir(String::new()),
                );
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if assignment(trimmed).is_some() {
            continue;
        }
        // A rule line: `clean: deps` (not `a := b`).
        if let Some((targets, _)) = trimmed.split_once(':') {
            let first = targets.split_whitespace().next().unwrap_or("");
            target = (!first.is_empty() && !first.starts_with('.')).then(|| first.to_string());
        } else {
            target = None;
        }
    }
    budget_notice(facts, &budget);
}

/// Say once where the expansion limits were reached.
fn budget_notice(facts: &mut FileFacts, budget: &Budget) {
    if let Some(at) = budget.hit {
        let line = facts.file.position(at).line;
        facts.notices.push(
            Notice::file(
                &facts.file.path,
                NoticeKind::ParseError,
                format!(
                    "make variables expanding past {} KiB (or {} MiB in all) are read as unknown",
                    MAX_VALUE_LEN >> 10,
                    MAX_EXPANSION_BYTES >> 20
                ),
            )
            .at_line(line),
        );
    }
}

/// `VAR = value`, `VAR := value`, `VAR ?= value`, `VAR ::= value`, `export VAR = value`.
fn assignment(line: &str) -> Option<(String, String)> {
    let line = line.strip_prefix("export ").unwrap_or(line);
    let at = line.find('=')?;
    let (left, value) = (&line[..at], &line[at + 1..]);
    let name = left.trim_end_matches([':', '?', '+', '!']).trim();
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    valid.then(|| (name.to_string(), value.trim().to_string()))
}

/// A variable's value with the make variables it refers to substituted (`DOWN = $(COMPOSE)
/// down -v`), `$$` made `$`; unknown references are left as they are. `None` when the value
/// grows past [`MAX_VALUE_LEN`].
fn expand(value: &str, vars: &HashMap<String, String>, depth: usize) -> Option<String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        if out.len() > MAX_VALUE_LEN {
            return None;
        }
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let close = match after.chars().next() {
            Some('(') => Some(')'),
            Some('{') => Some('}'),
            _ => None,
        };
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
            continue;
        }
        if let Some(close) = close
            && let Some(len) = after[1..].find(close)
            && let Some(inner) = vars.get(&after[1..1 + len])
            && depth < MAX_DEPTH
        {
            out.push_str(&expand(inner, vars, depth + 1)?);
            rest = &after[len + 2..];
            continue;
        }
        out.push('$');
        rest = after;
    }
    out.push_str(rest);
    (out.len() <= MAX_VALUE_LEN).then_some(out)
}

fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        out.push((at, line.trim_end_matches('\n')));
        at += line.len();
    }
    out
}

/// Build the shell text of one logical recipe line and its map to the Makefile.
fn recipe_text(
    parts: &[(usize, &str)],
    vars: &HashMap<String, String>,
    target: &str,
    budget: &mut Budget,
) -> (String, OffsetMap) {
    let mut out = String::new();
    let mut map = OffsetMap::default();
    for (k, &(host, line)) in parts.iter().enumerate() {
        let mut line = line;
        let mut host = host;
        if k == 0 {
            // `@`, `-`, `+` prefixes (any order, with spaces between).
            let stripped = line.trim_start_matches(['@', '-', '+', ' ', '\t']);
            host += line.len() - stripped.len();
            line = stripped;
        }
        let bytes = line.as_bytes();
        let mut j = 0;
        let mut verbatim_from = 0;
        let flush = |out: &mut String, map: &mut OffsetMap, from: usize, to: usize| {
            if to > from {
                map.push(out.len(), host + from, to - from);
                out.push_str(&line[from..to]);
            }
        };
        while j < bytes.len() {
            if bytes[j] != b'$' {
                j += 1;
                continue;
            }
            flush(&mut out, &mut map, verbatim_from, j);
            let next = bytes.get(j + 1).copied();
            match next {
                Some(b'$') => {
                    map.push(out.len(), host + j, 1);
                    out.push('$');
                    j += 2;
                }
                Some(open @ (b'(' | b'{')) => {
                    let close = if open == b'(' { ')' } else { '}' };
                    let Some(len) = line[j + 2..].find(close) else {
                        j += 1;
                        verbatim_from = j - 1;
                        continue;
                    };
                    let name = &line[j + 2..j + 2 + len];
                    let whole = len + 3;
                    let expanded = match budget.cache.get(name) {
                        Some(cached) => cached.clone(),
                        None => {
                            let value = vars.get(name).and_then(|v| expand(v, vars, 0));
                            budget.cache.insert(name.to_string(), value.clone());
                            value
                        }
                    };
                    let known = expanded.filter(|value| value.len() <= budget.left);
                    if known.is_none() && vars.contains_key(name) && budget.hit.is_none() {
                        budget.hit = Some(host + j);
                    }
                    match known {
                        Some(value) => {
                            budget.left -= value.len();
                            map.push(out.len(), host + j, 0);
                            out.push_str(&value);
                            // The value's last byte stands for the reference's `)`, so a command
                            // made of the whole value covers all of `$(VAR)`.
                            if value.len() > 1 {
                                map.push(out.len() - 1, host + j + whole - 1, 1);
                            }
                        }
                        // Unknown, or a make function (`$(shell …)`): a shell expansion in its place.
                        None if name.contains(' ') => {
                            map.push(out.len(), host + j, 0);
                            out.push_str("${MAKE_FUNCTION}");
                        }
                        None => {
                            map.push(out.len(), host + j, whole);
                            out.push_str("${");
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    j += whole;
                }
                Some(b'@') => {
                    map.push(out.len(), host + j, 0);
                    out.push_str(target);
                    j += 2;
                }
                Some(_) => {
                    // `$<`, `$^`, `$*`, `$X`: make variables with one-character names.
                    let width = line[j + 1..].chars().next().map_or(1, char::len_utf8);
                    map.push(out.len(), host + j, 1 + width);
                    out.push_str("${MAKE_AUTO}");
                    j += 1 + width;
                }
                None => j += 1,
            }
            verbatim_from = j;
        }
        flush(
            &mut out,
            &mut map,
            verbatim_from.min(bytes.len()),
            bytes.len(),
        );
        out.push('\n');
    }
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::source::SourceFile;

    #[test]
    fn recipes_become_shell() {
        let text = "COMPOSE := docker compose -p shop\n\n.PHONY: clean\nclean:\n\t@echo cleaning\n\t-$(COMPOSE) down \\\n\t  -v\n\tfor v in $$(docker volume ls -q); do echo $$v; done\nbuild:\n\t$(UNKNOWN) build\n";
        let f = FileFacts::extract(
            SourceFile::new("Makefile", text),
            FileKind::Makefile,
            Context::Production,
        );
        let down = f
            .shell
            .commands
            .iter()
            .find(|c| c.argv.iter().any(|w| w.is("down")))
            .expect("down");
        let words: Vec<String> = down.argv.iter().map(|w| w.display()).collect();
        assert_eq!(words, ["docker", "compose", "-p", "shop", "down", "-v"]);
        let v = down.argv.last().expect("-v");
        assert_eq!(&text[v.span.start()..v.span.end()], "-v");
        assert!(
            f.shell
                .commands
                .iter()
                .any(|c| c.program().as_deref() == Some("docker")
                    && c.argv.iter().any(|w| w.is("ls")))
        );
        // Non-ASCII after `$` and in indentation never splits a character.
        let odd = "x:\n\techo $é $(NAME)é\n";
        let g = FileFacts::extract(
            SourceFile::new("Makefile", odd),
            FileKind::Makefile,
            Context::Production,
        );
        assert_eq!(g.shell.commands.len(), 1);
        assert!(f.shell.sources.iter().all(|s| !matches!(
            &s.origin,
            ShellOrigin::MakeTarget { target } if target == ".PHONY"
        )));
    }
}
