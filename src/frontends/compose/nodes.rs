//! Small readers of YAML nodes shared by the Compose model's builders: a scalar or a key with its
//! span, and the span that stands for a long-syntax entry. Read-only helpers over
//! [`crate::syntax::yaml`] nodes.

use crate::model::store::Spanned;
use crate::source::Span;
use crate::syntax::yaml::{self, Node};

/// A non-null scalar with the span of its node.
pub(super) fn spanned_scalar(node: &Node) -> Option<Spanned> {
    let s = node.as_scalar()?;
    if node.is_null() {
        return None;
    }
    Some(Spanned {
        value: s.value.clone(),
        span: node.span,
    })
}

/// A mapping key as text, with its span.
pub(super) fn key_spanned(pair: &yaml::Pair) -> Option<Spanned> {
    Some(Spanned {
        value: pair.key_str()?.to_string(),
        span: pair.key.span,
    })
}

/// The first `key: value` line of a long-syntax entry (a whole mapping would span many lines).
pub(super) fn first_pair_span(item: &Node) -> Span {
    item.as_mapping()
        .and_then(|pairs| pairs.iter().find(|p| !p.merged))
        .map_or(item.span, |p| p.key.span.cover(p.value.span))
}
