//! Dotenv facts: the `KEY=value` entries of a `.env` file (the syntax Compose reads: `export `
//! prefixes, single and double quotes, `#` comments), with host spans of keys and values.
//!
//! It only reads entries (and says which files are templates by their name); which entries are
//! secrets is [`crate::frontends::secrets`]' job.

use crate::source::{OffsetMap, Span};

use crate::model::store::EnvEntry;
use crate::model::store::Spanned;

/// Every entry of a dotenv file, in order.
pub fn entries(text: &str) -> Vec<EnvEntry> {
    let mut out = Vec::new();
    let mut at = 0;
    for raw_line in text.split_inclusive('\n') {
        let line_start = at;
        at += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start().len();
        let mut body = &line[indent..];
        let mut offset = line_start + indent;
        if body.starts_with('#') || body.is_empty() {
            continue;
        }
        if let Some(rest) = body.strip_prefix("export ") {
            let skipped = body.len() - rest.trim_start().len();
            offset += skipped;
            body = &body[skipped..];
        }
        let Some(eq) = body.find('=') else {
            continue;
        };
        let key = body[..eq].trim_end();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            continue;
        }
        let key = Spanned {
            value: key.to_string(),
            span: Span::new(offset, offset + key.len()),
        };
        let after = &body[eq + 1..];
        let lead = after.len() - after.trim_start_matches([' ', '\t']).len();
        let value_text = &after[lead..];
        let value_at = offset + eq + 1 + lead;
        let (value, map) = decode_value(value_text, value_at);
        let span = if value.is_empty() {
            Span::new(value_at, value_at)
        } else {
            map.span_to_host(Span::new(0, value.len()))
        };
        out.push(EnvEntry {
            key,
            value: Some(Spanned { value, span }),
            map,
        });
    }
    out
}

/// A `.env.example`/`.sample`/`.template`/`.dist` file: documentation, not configuration.
pub fn is_env_template(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    [
        "example", "sample", "template", "dist", "tmpl", "tpl", "defaults",
    ]
    .iter()
    .any(|t| name.split(['.', '-', '_']).any(|p| p == *t))
}

/// A value: quoted (`'…'` literal, `"…"` with `\n`, `\"`, `\\`), or unquoted up to ` #`.
fn decode_value(text: &str, host: usize) -> (String, OffsetMap) {
    let mut map = OffsetMap::default();
    let mut out = String::new();
    if let Some(q @ ('\'' | '"')) = text.chars().next() {
        let inner = &text[1..];
        let mut end = inner.len();
        let mut escaped = false;
        for (i, c) in inner.char_indices() {
            if c == q && !escaped {
                end = i;
                break;
            }
            escaped = q == '"' && c == '\\' && !escaped;
        }
        let inner = &inner[..end];
        if q == '\'' {
            map.push(0, host + 1, inner.len());
            return (inner.to_string(), map);
        }
        let mut chars = inner.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\\'
                && let Some(&(j, next)) = chars.peek()
            {
                chars.next();
                let decoded = match next {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                };
                map.push(out.len(), host + 1 + j, decoded.len_utf8());
                out.push(decoded);
                continue;
            }
            map.push(out.len(), host + 1 + i, c.len_utf8());
            out.push(c);
        }
        return (out, map);
    }
    let end = text
        .find(" #")
        .or_else(|| text.find("\t#"))
        .unwrap_or(text.len());
    let value = text[..end].trim_end();
    map.push(0, host, value.len());
    (value.to_string(), map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let text =
            "# comment\nA=1\nexport B = 'two words'\nC=\"x\\\"y\" # note\nD=plain # comment\nE=\n";
        let e = entries(text);
        let kv: Vec<(&str, &str)> = e
            .iter()
            .map(|e| {
                (
                    e.key.value.as_str(),
                    e.value.as_ref().map_or("", |v| v.value.as_str()),
                )
            })
            .collect();
        assert_eq!(
            kv,
            [
                ("A", "1"),
                ("B", "two words"),
                ("C", "x\"y"),
                ("D", "plain"),
                ("E", "")
            ]
        );
        let b = e[1].value.as_ref().expect("b");
        assert_eq!(&text[b.span.start()..b.span.end()], "two words");
        let d = e[3].value.as_ref().expect("d");
        assert_eq!(&text[d.span.start()..d.span.end()], "plain");
    }

    #[test]
    fn templates() {
        assert!(is_env_template(".env.example"));
        assert!(is_env_template("config/.env.sample"));
        assert!(is_env_template("env.template"));
        assert!(!is_env_template(".env"));
        assert!(!is_env_template(".env.production"));
    }
}
