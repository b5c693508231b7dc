//! Shell credentials found by a variable's name: assignments (`export PGPASSWORD=…`, a literal
//! assigned only when the variable is unset counts as a default), `${NAME:=default}` expansions,
//! `env NAME=… cmd` prefixes and `docker run -e NAME=…`. Connection URLs in any assignment are
//! found here too. Which names are password variables is the caller's `is_pw` (the knowledge
//! table, or the config's extra names).

use crate::frontends::secrets::found::{Found, class_of, shell_secret, shell_urls};
use crate::knowledge::credentials::is_well_known;
use crate::model::FileFacts;
use crate::model::command::{Assignment, Command, Scope, Word};
use crate::model::secret::{Origin, SecretClass};
use crate::source::Span;

/// Shell credentials found by a variable's name (`is_pw`): assignments, `${NAME:=default}`
/// expansions and `docker run -e NAME=…`.
pub(super) fn shell_named(facts: &FileFacts, is_pw: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let mut found = Vec::new();
    for a in &facts.shell.assignments {
        // URLs are read as written, so `postgres://u:pw@${HOST}/db` is found too.
        found.extend(shell_urls(
            facts,
            &a.value,
            &format!("in `{}`", a.name),
            Origin::ShellAssignment,
        ));
        let Some(literal) = a.value.literal() else {
            continue;
        };
        if is_pw(&a.name)
            && let Some((mut class, span)) = shell_secret(facts, &a.value, &literal)
        {
            // `if [ -z "$X" ]; then X=root; fi`: a default, as `${X:-root}` is.
            if class == SecretClass::Literal && is_unset_fallback(facts, a) {
                class = SecretClass::Default;
            }
            found.push(Found {
                by_name: true,
                span,
                name: a.name.clone(),
                origin: Origin::ShellAssignment,
                class,
                value_chars: literal.chars().count(),
                well_known: is_well_known(&literal, None),
            });
        }
    }
    // `: "${MYSQL_ROOT_PASSWORD:=root}"` assigns its default when the variable is unset.
    let words = facts
        .shell
        .commands
        .iter()
        .flat_map(|c| c.argv.iter())
        .chain(facts.shell.assignments.iter().map(|a| &a.value));
    for word in words {
        let host = facts.file.slice(word.span);
        if !host.contains("${") {
            continue;
        }
        // Only real expansions: `'${PGPASSWORD:=x}'` in single quotes is text.
        let expandable = blank_single_quoted(host);
        for (name, s, e) in assign_defaults(&expandable) {
            let Some(secret) = host.get(s..e) else {
                continue;
            };
            if !is_pw(name) {
                continue;
            }
            let class = class_of(secret, SecretClass::Default);
            found.push(Found {
                by_name: true,
                span: Span::new(word.span.start() + s, word.span.start() + e),
                name: name.to_string(),
                origin: Origin::ShellAssignment,
                class,
                value_chars: secret.chars().count(),
                well_known: is_well_known(secret, None),
            });
        }
    }
    for command in &facts.shell.commands {
        // `env MYSQL_PWD=… mysql`, `sudo PGPASSWORD=… psql` (a plain prefix is an assignment too:
        // the same span is kept once).
        for (name, value) in &command.env {
            let Some(literal) = value.literal() else {
                continue;
            };
            if is_pw(name)
                && let Some((class, span)) = shell_secret(facts, value, &literal)
            {
                found.push(Found {
                    by_name: true,
                    span,
                    name: name.clone(),
                    origin: Origin::ShellAssignment,
                    class,
                    value_chars: literal.chars().count(),
                    well_known: is_well_known(&literal, None),
                });
            }
        }
        let Some(program) = command.program_name() else {
            continue;
        };
        if matches!(program.as_ref(), "docker" | "podman" | "nerdctl") {
            found.extend(container_env(facts, command, &program, is_pw));
        }
    }
    found.sort_by_key(|f| f.span);
    found
}

/// `docker run -e POSTGRES_PASSWORD=secret` (also `--env NAME=…`, `--env=NAME=…`, `-eNAME=…`).
fn container_env(
    facts: &FileFacts,
    command: &Command,
    program: &str,
    is_pw: &dyn Fn(&str) -> bool,
) -> Vec<Found> {
    let mut out = Vec::new();
    let args: Vec<&Word> = command.args().collect();
    for (i, word) in args.iter().enumerate() {
        let Some(text) = word.literal() else { continue };
        let (assignment, value_word) = if text == "-e" || text == "--env" {
            match args.get(i + 1) {
                Some(next) => (next.literal(), *next),
                None => continue,
            }
        } else if let Some(rest) = text.strip_prefix("--env=") {
            (Some(rest.to_string()), *word)
        } else if let Some(rest) = text.strip_prefix("-e").filter(|r| r.contains('=')) {
            (Some(rest.to_string()), *word)
        } else {
            continue;
        };
        let Some(assignment) = assignment else {
            continue;
        };
        let Some((name, value)) = assignment.split_once('=') else {
            continue;
        };
        if !is_pw(name) || value.is_empty() {
            continue;
        }
        if let Some((class, span)) = shell_secret(facts, value_word, value) {
            out.push(Found {
                by_name: true,
                span,
                name: format!("`{name}` given to `{program}`"),
                origin: Origin::ShellFlag {
                    program: program.to_string(),
                },
                class,
                value_chars: value.chars().count(),
                well_known: is_well_known(value, None),
            });
        }
    }
    out
}

/// A shell word's text with its single-quoted parts (quotes included) blanked out, byte for
/// byte, so offsets still match: what is left is where the shell expands `${…}`.
pub(super) fn blank_single_quoted(word: &str) -> String {
    let mut out = Vec::with_capacity(word.len());
    let (mut single, mut double, mut escaped) = (false, false, false);
    for &b in word.as_bytes() {
        if single {
            single = b != b'\'';
            out.push(b' ');
            continue;
        }
        if escaped {
            escaped = false;
        } else if b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            double = !double;
        } else if b == b'\'' && !double {
            single = true;
            out.push(b' ');
            continue;
        }
        out.push(b);
    }
    // Only ASCII bytes were replaced, and by ASCII: the text stays UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// `${NAME:=literal}` / `${NAME=literal}` in shell text: `(name, default range)`. A default
/// that expands anything (`${A:=$B}`) is not a literal.
pub(super) fn assign_defaults(text: &str) -> Vec<(&str, usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text[from..].find("${") {
        let open = from + rel;
        from = open + 2;
        let inner = &text[from..];
        let name_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let rest = &inner[name_len..];
        let op = if rest.starts_with(":=") {
            2
        } else if rest.starts_with('=') {
            1
        } else {
            continue;
        };
        let arg = &rest[op..];
        let Some(close) = arg.find('}') else { continue };
        let value = &arg[..close];
        let value = value
            .strip_prefix(['"', '\''])
            .and_then(|v| v.strip_suffix(['"', '\'']))
            .unwrap_or(value);
        if name_len == 0 || value.is_empty() || value.contains(['$', '{', '`']) {
            continue;
        }
        let at = from + name_len + op + arg[..close].find(value).unwrap_or(0);
        out.push((&inner[..name_len], at, at + value.len()));
    }
    out
}

/// The assignment runs only when its variable is unset or empty: in the `then` branch of
/// `if [ -z "$X" ]`, the `else` of `if [ -n "$X" ]`, or after `[ -z "$X" ] &&` / `[ -n "$X" ] ||`.
fn is_unset_fallback(facts: &FileFacts, a: &Assignment) -> bool {
    match a.scopes.last() {
        Some(Scope::IfBranch {
            branch, condition, ..
        }) => {
            if let Some(negated) = condition
                .strip_prefix("not (")
                .and_then(|c| c.strip_suffix(')'))
            {
                *branch > 0 && tests_variable(negated, &a.name) == Some(true)
            } else {
                *branch == 0 && tests_variable(condition, &a.name) == Some(false)
            }
        }
        Some(Scope::AndOr { op, .. }) => {
            // The left side is on the same line before the operator, or on the line above
            // (`[ -z "$X" ] &&` then `  X=root`).
            let text = &facts.file.text;
            let start = a.name_span.start().min(text.len());
            let mut line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            if text[line_start..start].trim().is_empty() && line_start > 0 {
                line_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
            }
            let mut left = text[line_start..start].trim_end();
            // `… && export PGPASSWORD=…`: the declaration keyword is not the operator.
            while let Some((before, last)) = left.rsplit_once(char::is_whitespace)
                && (matches!(
                    last,
                    "export" | "local" | "readonly" | "declare" | "typeset"
                ) || (last.starts_with('-') && last.len() > 1))
            {
                left = before.trim_end();
            }
            let (left, want_set) = if let Some(l) = left.strip_suffix("&&") {
                (l, false)
            } else if let Some(l) = left.strip_suffix("||") {
                (l, true)
            } else {
                return false;
            };
            op == if want_set { "||" } else { "&&" }
                && tests_variable(left, &a.name) == Some(want_set)
        }
        _ => false,
    }
}

/// What a test condition says about variable `name`: `Some(false)` when it holds if the
/// variable is empty (`-z "$X"`, `! -n "$X"`, `"$X" = ""`), `Some(true)` when it holds if the
/// variable is set (`-n "$X"`, `"$X" != ""`), `None` when it says neither.
pub(super) fn tests_variable(condition: &str, name: &str) -> Option<bool> {
    let words: Vec<&str> = condition
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'', ';']))
        .collect();
    let is_ref = |w: &str| {
        w.strip_prefix('$') == Some(name)
            || w.strip_prefix("${").is_some_and(|r| {
                r.strip_prefix(name)
                    .is_some_and(|t| t.starts_with(['}', ':', '-', '+']))
            })
    };
    for (i, w) in words.iter().enumerate() {
        let Some(next) = words.get(i + 1) else { break };
        let negated = i > 0 && words[i - 1] == "!";
        if (*w == "-z" || *w == "-n") && is_ref(next) {
            return Some((*w == "-n") != negated);
        }
        let next2 = words.get(i + 2).copied();
        if matches!(*next, "=" | "==" | "!=") {
            let other = match (is_ref(w), next2) {
                (true, Some(o)) => Some(o),
                (false, Some(o)) if w.is_empty() && is_ref(o) => Some(*w),
                _ => None,
            };
            if other == Some("") {
                return Some((*next == "!=") != negated);
            }
        }
    }
    None
}
