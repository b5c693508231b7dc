//! PowerShell values as shell words: string literals (expandable `"…"` with backtick escapes and
//! `$var`/`$(…)` inside, verbatim `'…'`, here-strings), barewords, numbers, variables, `+`
//! concatenations and sub-expressions, each piece keeping the host offset it came from. The
//! lowering in `mod.rs` renders them as POSIX words with an exact offset map.

use tree_sitter::Node;

use crate::source::OffsetMap;

/// One piece of a PowerShell word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// Literal text; its bytes came from consecutive host bytes starting at `host` (an escape
    /// is a part of its own, at the escape's place).
    Lit { text: String, host: usize },
    /// A variable reference, by its shell name, over `host..end` in the host file.
    Var {
        name: String,
        host: usize,
        end: usize,
    },
    /// Statements whose output is the value (`$(…)`, `(Get-Content x)`), already lowered to
    /// shell `text` with its map to the host.
    Sub { text: String, map: OffsetMap },
    /// Text the scanner cannot know (`$cfg.Database`), named for messages.
    Unknown {
        name: String,
        host: usize,
        end: usize,
    },
}

/// A word: its parts, in order.
pub(super) type PsWord = Vec<Part>;

/// Wrapper kinds of the expression grammar that hold a single operand.
pub(super) fn is_wrapper(kind: &str) -> bool {
    matches!(
        kind,
        "logical_expression"
            | "bitwise_expression"
            | "comparison_expression"
            | "additive_expression"
            | "multiplicative_expression"
            | "format_expression"
            | "range_expression"
            | "array_literal_expression"
            | "unary_expression"
            | "pipeline_chain"
            | "pipeline"
            | "argument_expression"
            | "logical_argument_expression"
            | "bitwise_argument_expression"
            | "comparison_argument_expression"
            | "additive_argument_expression"
            | "multiplicative_argument_expression"
            | "format_argument_expression"
            | "range_argument_expression"
            | "string_literal"
            | "command_name_expr"
            | "left_assignment_expression"
    )
}

/// The node under a chain of single-operand wrappers.
pub(super) fn unwrap(mut node: Node) -> Node {
    while is_wrapper(node.kind()) && node.named_child_count() == 1 {
        match node.named_child(0) {
            Some(child) => node = child,
            None => break,
        }
    }
    node
}

/// A shell-safe variable name for a PowerShell variable as written (`$Db`, `${db}`,
/// `$script:db`, `$env:PGPASSWORD`). `None` for splatting (`@params`).
pub(super) fn variable_name(raw: &str) -> Option<(String, bool)> {
    let raw = raw.strip_prefix('$')?;
    let raw = raw
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(raw);
    let lower = raw.to_ascii_lowercase();
    let (name, env) = match lower.split_once(':') {
        Some(("env", _)) => (&raw[4..], true),
        Some(("script" | "global" | "local" | "private" | "using", _)) => {
            (raw.split_once(':').map_or(raw, |(_, n)| n), false)
        }
        _ => (raw, false),
    };
    Some((sanitize(name), env))
}

/// Letters, digits and `_` only (a shell variable name); never empty or starting with a digit.
pub(super) fn sanitize(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(48)
        .collect();
    let trimmed = out.trim_matches('_').to_string();
    out = if trimmed.is_empty() {
        "PS_VALUE".into()
    } else {
        trimmed
    };
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// The value of a backtick escape (`` `n `` → newline, `` `" `` → `"`).
fn escaped(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        other => other,
    }
}

/// The literal pieces of `text` (a slice of an expandable string or a bareword starting at host
/// offset `host`), backtick escapes applied, `""` doubled quotes halved when `quoted`; `$name`
/// references found in barewords (the grammar leaves them inside the token) become variables.
pub(super) fn expandable_text(text: &str, host: usize, quoted: bool, out: &mut PsWord) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    let flush = |out: &mut PsWord, from: usize, to: usize| {
        if to > from {
            out.push(Part::Lit {
                text: text[from..to].to_string(),
                host: host + from,
            });
        }
    };
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                flush(out, run_start, i);
                let Some(c) = text[i + 1..].chars().next() else {
                    i += 1;
                    run_start = i;
                    continue;
                };
                if c == '\n' || c == '\r' {
                    // A line continuation inside a bareword's gap: nothing.
                } else {
                    out.push(Part::Lit {
                        text: escaped(c).to_string(),
                        host: host + i + 1,
                    });
                }
                i += 1 + c.len_utf8();
                run_start = i;
            }
            b'"' if quoted && bytes.get(i + 1) == Some(&b'"') => {
                flush(out, run_start, i + 1);
                i += 2;
                run_start = i;
            }
            b'$' if !quoted => {
                let len = text[i + 1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                    .unwrap_or(text.len() - i - 1);
                let name = text[i + 1..i + 1 + len].trim_end_matches(':');
                if name.is_empty() {
                    i += 1;
                    continue;
                }
                flush(out, run_start, i);
                let end = i + 1 + name.len();
                if let Some((name, _)) = variable_name(&text[i..end]) {
                    out.push(Part::Var {
                        name,
                        host: host + i,
                        end: host + end,
                    });
                }
                i = end;
                run_start = i;
            }
            _ => i += 1,
        }
    }
    flush(out, run_start, bytes.len());
}

/// The literal value of a verbatim string's inside (`''` → `'`).
pub(super) fn verbatim_text(text: &str, host: usize, out: &mut PsWord) {
    let mut from = 0;
    while let Some(at) = text[from..].find("''") {
        let split = from + at + 1;
        out.push(Part::Lit {
            text: text[from..split].to_string(),
            host: host + from,
        });
        from = split + 1;
    }
    if from < text.len() {
        out.push(Part::Lit {
            text: text[from..].to_string(),
            host: host + from,
        });
    }
}

/// The inside of a string literal's node text: (offset of the value in the node, its length).
/// `"…"`/`'…'` lose their quotes; here-strings (`@"⏎…⏎"@`) their header and footer lines.
pub(super) fn string_body(raw: &str) -> (usize, usize) {
    if raw.starts_with("@\"") || raw.starts_with("@'") {
        let start = raw.find('\n').map_or(raw.len(), |n| n + 1);
        let end = raw[..raw.len().saturating_sub(2)]
            .rfind('\n')
            .filter(|&e| e >= start)
            .map_or(start, |e| if raw[..e].ends_with('\r') { e - 1 } else { e });
        return (start, end.saturating_sub(start));
    }
    let quote = |c: char| {
        matches!(
            c,
            '"' | '\'' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}'
        )
    };
    let start = raw
        .chars()
        .next()
        .filter(|&c| quote(c))
        .map_or(0, char::len_utf8);
    let end_len = raw[start..]
        .chars()
        .next_back()
        .filter(|&c| quote(c))
        .map_or(0, char::len_utf8);
    (start, raw.len().saturating_sub(start + end_len))
}

/// The literal value of a word when every part is literal.
pub(super) fn literal(word: &PsWord) -> Option<String> {
    let mut out = String::new();
    for part in word {
        match part {
            Part::Lit { text, .. } => out.push_str(text),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables() {
        assert_eq!(variable_name("$Db"), Some(("Db".into(), false)));
        assert_eq!(variable_name("${db}"), Some(("db".into(), false)));
        assert_eq!(variable_name("$script:db"), Some(("db".into(), false)));
        assert_eq!(
            variable_name("$env:PGPASSWORD"),
            Some(("PGPASSWORD".into(), true))
        );
        assert_eq!(variable_name("@params"), None);
        assert_eq!(sanitize("$cfg.Database"), "cfg_Database");
        assert_eq!(sanitize("1x"), "_1x");
    }

    #[test]
    fn escapes_and_bodies() {
        let mut w = Vec::new();
        expandable_text("it`\"s \"\"q\"\"", 10, true, &mut w);
        assert_eq!(literal(&w).as_deref(), Some("it\"s \"q\""));
        let mut w = Vec::new();
        verbatim_text("it''s", 0, &mut w);
        assert_eq!(literal(&w).as_deref(), Some("it's"));
        let mut w = Vec::new();
        expandable_text("postgres:$tag", 0, false, &mut w);
        assert_eq!(w.len(), 2);
        assert!(matches!(&w[1], Part::Var { name, .. } if name == "tag"));
        let raw = "@\"\nDROP DATABASE x;\n\"@";
        let (s, l) = string_body(raw);
        assert_eq!(&raw[s..s + l], "DROP DATABASE x;");
        assert_eq!(string_body("'abc'"), (1, 3));
    }
}
