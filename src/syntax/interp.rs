//! Variable interpolation syntax shared by Compose files and `.env` files: `$VAR`, `${VAR}`,
//! `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR:+alt}` and `$$` escapes, read
//! into pieces, and resolved against known values.

use std::collections::BTreeMap;

/// One piece of an interpolated string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Interp {
    /// Literal text (with `$$` already turned into `$`); `start..end` in the raw string.
    Lit {
        text: String,
        start: usize,
        end: usize,
    },
    /// A variable reference; `start..end` in the raw string.
    Var {
        name: String,
        /// `None`, `:-`, `-`, `:?`, `?`, `:+`, `+`.
        op: Option<String>,
        /// The default, error message or alternative, as written.
        arg: String,
        start: usize,
        end: usize,
    },
}

/// Split a Compose value into literal text and variable references.
pub fn interpolation(raw: &str) -> Vec<Interp> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut lit_start = 0;
    let bytes = raw.as_bytes();
    let mut i = 0;
    let flush = |out: &mut Vec<Interp>, lit: &mut String, start: usize, end: usize| {
        if !lit.is_empty() {
            out.push(Interp::Lit {
                text: std::mem::take(lit),
                start,
                end,
            });
        }
    };
    while i < bytes.len() {
        if bytes[i] != b'$' {
            let ch = raw[i..].chars().next().unwrap_or('\u{fffd}');
            if lit.is_empty() {
                lit_start = i;
            }
            lit.push(ch);
            i += ch.len_utf8().max(1);
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'$') => {
                if lit.is_empty() {
                    lit_start = i;
                }
                lit.push('$');
                i += 2;
            }
            Some(b'{') => {
                // Find the matching `}` (defaults may nest `${A:-${B}}`).
                let mut depth = 0;
                let mut j = i + 1;
                let mut close = None;
                while j < bytes.len() {
                    match bytes[j] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                close = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let Some(close) = close else {
                    if lit.is_empty() {
                        lit_start = i;
                    }
                    lit.push_str(&raw[i..]);
                    i = bytes.len();
                    continue;
                };
                flush(&mut out, &mut lit, lit_start, i);
                let inner = &raw[i + 2..close];
                let name_len = inner
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(inner.len());
                let name = inner[..name_len].to_string();
                let rest = &inner[name_len..];
                let (op, arg) = [":-", ":?", ":+", "-", "?", "+"]
                    .iter()
                    .find(|op| rest.starts_with(**op))
                    .map_or((None, rest.to_string()), |op| {
                        (Some((*op).to_string()), rest[op.len()..].to_string())
                    });
                out.push(Interp::Var {
                    name,
                    op,
                    arg,
                    start: i,
                    end: close + 1,
                });
                i = close + 1;
            }
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                flush(&mut out, &mut lit, lit_start, i);
                let len = raw[i + 1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(raw.len() - i - 1);
                out.push(Interp::Var {
                    name: raw[i + 1..i + 1 + len].to_string(),
                    op: None,
                    arg: String::new(),
                    start: i,
                    end: i + 1 + len,
                });
                i += 1 + len;
            }
            _ => {
                if lit.is_empty() {
                    lit_start = i;
                }
                lit.push('$');
                i += 1;
            }
        }
    }
    flush(&mut out, &mut lit, lit_start, raw.len());
    out
}

/// Defaults nested deeper than this (`${A:-${B:-…}}`) are not followed: the value is unknown.
pub const MAX_NESTING: usize = 32;

/// An interpolated value longer than this is unknown (`$A$A$A…` over values that hold the same).
pub const MAX_VALUE_LEN: usize = 64 * 1024;

/// Whether `${…}` references in `raw` nest deeper than [`MAX_NESTING`] (a linear scan; the
/// front-ends say so in a notice, interpolation gives up there).
pub fn too_deep(raw: &str) -> bool {
    let mut depth = 0usize;
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'$') => i += 1,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return true;
                }
                i += 1;
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

/// Interpolate with known variables and defaults. `None` when a variable without a default is not
/// in `vars` (the value cannot be known), when defaults nest deeper than [`MAX_NESTING`] or the
/// value would be longer than [`MAX_VALUE_LEN`].
pub fn interpolate(raw: &str, vars: &BTreeMap<String, String>) -> Option<String> {
    interpolate_at(raw, vars, 0)
}

fn interpolate_at(raw: &str, vars: &BTreeMap<String, String>, depth: usize) -> Option<String> {
    if depth > MAX_NESTING {
        return None;
    }
    let interpolate =
        |arg: &str, vars: &BTreeMap<String, String>| interpolate_at(arg, vars, depth + 1);
    let mut out = String::new();
    for piece in interpolation(raw) {
        if out.len() > MAX_VALUE_LEN {
            return None;
        }
        match piece {
            Interp::Lit { text, .. } => out.push_str(&text),
            Interp::Var { name, op, arg, .. } => {
                let value = vars.get(&name);
                match (op.as_deref(), value) {
                    (Some(":-"), Some(v)) if v.is_empty() => {
                        out.push_str(&interpolate(&arg, vars)?)
                    }
                    (Some(":+"), Some(v)) if !v.is_empty() => {
                        out.push_str(&interpolate(&arg, vars)?)
                    }
                    (Some("+"), Some(_)) => out.push_str(&interpolate(&arg, vars)?),
                    (Some(":+" | "+"), _) => {}
                    (_, Some(v)) => out.push_str(v),
                    (Some(":-" | "-"), None) => out.push_str(&interpolate(&arg, vars)?),
                    (_, None) => return None,
                }
            }
        }
    }
    (out.len() <= MAX_VALUE_LEN).then_some(out)
}

pub fn with_defaults(raw: &str) -> Option<String> {
    interpolate(raw, &BTreeMap::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_forms() {
        let vars: BTreeMap<String, String> = [("A".to_string(), "x".to_string())].into();
        assert_eq!(interpolate("${A}-$A", &vars).as_deref(), Some("x-x"));
        assert_eq!(interpolate("${B:-d}", &vars).as_deref(), Some("d"));
        assert_eq!(interpolate("${B-d}", &vars).as_deref(), Some("d"));
        assert_eq!(interpolate("${B:?need B}", &vars), None);
        assert_eq!(interpolate("$$HOME", &vars).as_deref(), Some("$HOME"));
        assert_eq!(interpolate("${B:-${A}}", &vars).as_deref(), Some("x"));
        let pieces = interpolation("pre${V:?msg}");
        assert!(
            matches!(&pieces[1], Interp::Var { name, op: Some(op), .. } if name == "V" && op == ":?")
        );
    }

    #[test]
    fn deep_nesting_is_unknown_not_a_stack_overflow() {
        // Ten times the limit and far more: a thread with a small stack must survive it.
        let deep = |n: usize| format!("{}x{}", "${a:-".repeat(n), "}".repeat(n));
        assert_eq!(with_defaults(&deep(MAX_NESTING)).as_deref(), Some("x"));
        assert!(!too_deep(&deep(MAX_NESTING)));
        let handle = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let raw = deep(10_000);
                (with_defaults(&raw), too_deep(&raw))
            })
            .expect("spawn");
        assert_eq!(handle.join().expect("no overflow"), (None, true));
    }

    #[test]
    fn values_past_the_size_cap_are_unknown() {
        let vars: BTreeMap<String, String> = [("A".to_string(), "x".repeat(1024))].into();
        assert!(interpolate(&"$A".repeat(64), &vars).is_some());
        assert_eq!(interpolate(&"$A".repeat(65), &vars), None);
    }
}
