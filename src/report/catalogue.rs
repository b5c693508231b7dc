//! The rule catalogue for people and machines: `--list-rules` (text or JSON), `--explain ID`, and
//! the README's generated rules table.

use serde_json::json;

use crate::rules::RuleMeta;

pub fn list(meta: &[RuleMeta], as_json: bool) -> Vec<u8> {
    if as_json {
        let rules: Vec<_> = meta
            .iter()
            .map(|m| {
                json!({
                    "id": m.id, "pack": m.pack, "level": m.severity.as_str(),
                    "summary": m.summary, "help": m.help, "tags": m.tags,
                    "aliases": m.aliases,
                })
            })
            .collect();
        let mut out =
            serde_json::to_vec_pretty(&json!({ "version": 1, "rules": rules })).unwrap_or_default();
        out.push(b'\n');
        return out;
    }
    let width = meta.iter().map(|m| m.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for m in meta {
        out.push_str(&format!(
            "{:<width$}  {:<7}  {:<7}  {}\n",
            m.id,
            m.pack,
            m.severity.as_str(),
            m.summary
        ));
    }
    out.into_bytes()
}

/// A rule's documentation, as text or (`as_json`) as a JSON document.
pub fn explain(meta: &[RuleMeta], id: &str, as_json: bool) -> Option<String> {
    let m = meta
        .iter()
        .find(|m| m.id == id || m.aliases.iter().any(|a| a == id))?;
    if as_json {
        let doc = json!({
            "version": 1, "id": m.id, "pack": m.pack, "level": m.severity.as_str(),
            "summary": m.summary, "help": m.help, "tags": m.tags, "aliases": m.aliases,
            "explanation": m.explanation.trim(),
        });
        let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
        out.push('\n');
        return Some(out);
    }
    Some(format!(
        "# {}\n\n{}\n\npack: {} · default level: {}\n\nFix: {}\n\n{}\n",
        m.id,
        m.summary,
        m.pack,
        m.severity.as_str(),
        m.help,
        m.explanation.trim()
    ))
}

/// The Markdown rules table for the README.
pub fn markdown_table(meta: &[RuleMeta]) -> String {
    let mut out =
        String::from("| rule | pack | default level | what it flags |\n|---|---|---|---|\n");
    for m in meta {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            m.id,
            m.pack,
            m.severity.as_str(),
            m.summary.replace('|', "\\|")
        ));
    }
    out
}
