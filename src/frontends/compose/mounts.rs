//! Service volumes in Compose's short syntax (`[SOURCE:]TARGET[:MODE]`, with `${VAR:-default}`
//! sources and Windows drive letters) and long syntax (`type:`, `source:`, `target:`,
//! `read_only:`): named volume, bind mount, anonymous volume or tmpfs.

use crate::frontends::compose::nodes::first_pair_span;
use crate::model::store::{Mount, MountKind};
use crate::source::Span;
use crate::syntax::interp::with_defaults;
use crate::syntax::yaml::Node;

pub(super) fn mount_of(item: &Node) -> Option<Mount> {
    if let Some(s) = item.as_str() {
        return short_mount(s, item.span);
    }
    let ty = item.get_str("type").unwrap_or("volume");
    let target = item.get_str("target")?.to_string();
    let source_raw = item.get_str("source").unwrap_or("").to_string();
    let source = with_defaults(&source_raw).unwrap_or_else(|| source_raw.clone());
    let read_only = item.get("read_only").and_then(Node::as_bool) == Some(true);
    let kind = match ty {
        "bind" => MountKind::Bind,
        "tmpfs" => MountKind::Tmpfs,
        "volume" if source.is_empty() => MountKind::Anonymous,
        _ => MountKind::Named,
    };
    Some(Mount {
        kind,
        source,
        target,
        read_only,
        span: first_pair_span(item),
        source_raw,
        implied: false,
    })
}

/// Split a short-syntax entry at its `:` separators, keeping `${VAR:-default}` whole and a
/// Windows drive letter (`C:\data`, `C:/data`) with its path.
fn split_colons(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                let piece = &s[start..i];
                // `C:\\data:/target`, `C:/data:/target`; but `m:/data` is volume `m`.
                let drive = parts.is_empty()
                    && piece.len() == 1
                    && piece.as_bytes()[0].is_ascii_alphabetic()
                    && match bytes.get(i + 1) {
                        Some(b'\\') => true,
                        Some(b'/') => s[i + 1..].contains(":/"),
                        _ => false,
                    };
                if !drive {
                    parts.push(piece);
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// `[SOURCE:]TARGET[:MODE]`.
pub(super) fn short_mount(s: &str, span: Span) -> Option<Mount> {
    let parts: Vec<&str> = split_colons(s);
    let (source_raw, target, mode) = match parts.as_slice() {
        [target] => ("", *target, ""),
        [a, b] if b.starts_with('/') => (*a, *b, ""),
        [target, mode] => ("", *target, *mode),
        [a, b, mode, ..] => (*a, *b, *mode),
        [] => return None,
    };
    if target.is_empty() {
        return None;
    }
    let source = with_defaults(source_raw).unwrap_or_else(|| source_raw.to_string());
    let unknown = with_defaults(source_raw).is_none();
    let kind = if source_raw.is_empty() {
        MountKind::Anonymous
    } else if unknown
        || source.starts_with(['/', '.', '~'])
        || source.contains('/')
        || source.contains('\\')
    {
        MountKind::Bind
    } else {
        MountKind::Named
    };
    Some(Mount {
        kind,
        source,
        target: target.to_string(),
        read_only: mode.split(',').any(|m| m == "ro"),
        span,
        source_raw: source_raw.to_string(),
        implied: false,
    })
}
