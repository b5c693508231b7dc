//! Skipping whole documents of a multi-document YAML stream before parsing, by their top-level
//! `kind:` (the caller says which kinds no reader uses): a release manifest of an operator is
//! mostly `CustomResourceDefinition`s (megabytes of OpenAPI schema that hold no workload, volume
//! or credential) and RBAC, and parsing them dominated the scan of such repositories.
//! The documents kept are parsed as one shorter stream and every span is moved back to where it
//! is in the file (blanking them to spaces kept offsets but left the grammar megabytes of
//! whitespace to scan: 12 ms against 3 ms for a 1.2 MB cloudnative-pg release).

use super::{Node, Value, Yaml, parse};

/// Parse `text` without its documents whose top-level `kind:` is a literal name that `skip`
/// accepts: as if they were blank, with every span, scalar map and problem offset in `text`'s
/// coordinates. A document whose `kind:` is empty (a blanked template action) is kept.
pub fn parse_skipping_kinds(text: &str, skip: &dyn Fn(&str) -> bool) -> Yaml {
    parse_skipping(text, skipped_ranges(text, skip))
}

/// Parse `text` as if the byte ranges `skipped` (sorted, apart, on line boundaries) were blank,
/// with every span, scalar map and problem offset in `text`'s coordinates.
pub fn parse_skipping(text: &str, skipped: Vec<(usize, usize)>) -> Yaml {
    if skipped.is_empty() {
        return parse(text);
    }
    // The kept pieces, each as (start in the shorter text, start in `text`, length).
    let mut pieces: Vec<(usize, usize, usize)> = Vec::new();
    let mut kept = String::with_capacity(text.len() / 4);
    let mut from = 0;
    for (start, end) in skipped.into_iter().chain([(text.len(), text.len())]) {
        if start > from
            && let Some(piece) = text.get(from..start)
        {
            pieces.push((kept.len(), from, piece.len()));
            kept.push_str(piece);
        }
        from = end;
    }
    let mut parsed = parse(&kept);
    let shift = |at: usize| -> usize {
        // The last piece starting at or before `at` (an end offset may equal its end).
        let i = pieces.partition_point(|p| p.0 <= at).saturating_sub(1);
        pieces.get(i).map_or(at, |p| at + (p.1 - p.0))
    };
    for doc in &mut parsed.documents {
        doc.span = crate::source::Span::new(shift(doc.span.start()), shift(doc.span.end()));
        if let Some(root) = &mut doc.root {
            // A node never spans two pieces: one shift moves it whole.
            let delta = shift(root.span.start()) - root.span.start();
            shift_node(root, delta, 0);
        }
    }
    for problem in &mut parsed.problems {
        problem.offset = shift(problem.offset);
    }
    parsed
}

/// Move every offset of `node` and its children `delta` bytes on.
fn shift_node(node: &mut Node, delta: usize, depth: usize) {
    // The tree is as deep as the YAML, which `parse` bounds; this bound only guards the stack.
    if depth > 1_000 {
        return;
    }
    node.span = node.span.offset(delta);
    node.alias = node.alias.map(|a| a.offset(delta));
    match &mut node.value {
        Value::Mapping(pairs) => {
            for pair in pairs {
                shift_node(&mut pair.key, delta, depth + 1);
                shift_node(&mut pair.value, delta, depth + 1);
            }
        }
        Value::Sequence(items) => {
            for item in items {
                shift_node(item, delta, depth + 1);
            }
        }
        Value::Scalar(scalar) => {
            scalar.content_span = scalar.content_span.offset(delta);
            scalar.map.shift_host(delta);
        }
    }
}

/// The value of a top-level `kind: X` line (comment and quotes removed; empty when a blanked
/// template wrote it), or `None` for any other line.
pub fn top_level_kind(line: &str) -> Option<&str> {
    let value = line.strip_prefix("kind:")?;
    let value = value.split(" #").next().unwrap_or("").trim();
    Some(value.trim_matches(['"', '\'']))
}

/// The byte ranges of the documents whose top-level `kind:` is a name `skip` accepts (without
/// the separator line that ends them).
fn skipped_ranges(text: &str, skip: &dyn Fn(&str) -> bool) -> Vec<(usize, usize)> {
    if memchr::memmem::find(text.as_bytes(), b"kind:").is_none() {
        return Vec::new();
    }
    let mut blank: Vec<(usize, usize)> = Vec::new();
    let mut doc_start = 0;
    let skip_kind = skip;
    let mut skip = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let separator = bare == "---" || bare.starts_with("--- ") || bare == "...";
        if separator {
            if skip {
                blank.push((doc_start, offset));
            }
            doc_start = offset + line.len();
            skip = false;
        } else if let Some(value) = top_level_kind(bare) {
            skip = !value.is_empty() && skip_kind(value);
        }
        offset += line.len();
    }
    if skip {
        blank.push((doc_start, text.len()));
    }
    blank
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    /// `text` with every document whose top-level `kind:` is one of `kinds` replaced by spaces, line
    /// ends kept, so that every offset and line of the other documents is unchanged. Borrowed as is
    /// when no document is skipped (the common case costs one substring search per kind).
    fn blank_documents_of_kind<'a>(text: &'a str, kinds: &[&str]) -> Cow<'a, str> {
        let blank = skipped_ranges(text, &|k| kinds.contains(&k));
        if blank.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut bytes = text.as_bytes().to_vec();
        for (start, end) in blank {
            for b in &mut bytes[start..end] {
                if !matches!(*b, b'\n' | b'\r') {
                    *b = b' ';
                }
            }
        }
        // Only whole lines of the original became ASCII spaces: still UTF-8.
        Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
    }

    #[test]
    fn only_the_named_kinds_are_blanked_and_offsets_hold() {
        let text = "apiVersion: v1\nkind: CustomResourceDefinition\nspec:\n  é: x\n---\napiVersion: apps/v1\nkind: StatefulSet # db\nmetadata:\n  name: db\n--- \nkind: \"CustomResourceDefinition\"\n";
        let out = blank_documents_of_kind(text, &["CustomResourceDefinition"]);
        assert_eq!(out.len(), text.len());
        let at = text.find("kind: StatefulSet").expect("kept");
        assert_eq!(&out[at..at + 17], "kind: StatefulSet");
        assert!(!out.contains("CustomResourceDefinition"));
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(out.starts_with("              \n"));
        // Nothing to skip: the text itself, not a copy.
        let plain = "kind: Deployment\n";
        assert!(matches!(
            blank_documents_of_kind(plain, &["CustomResourceDefinition"]),
            Cow::Borrowed(_)
        ));
        // Parsed without them: the same tree, spans and all, as parsing the blanked text.
        assert_eq!(
            parse_skipping_kinds(text, &|k| k == "CustomResourceDefinition"),
            super::super::parse(&out)
        );
        // A `kind:` key nested in a document is not its kind.
        let nested = "spec:\n  kind: CustomResourceDefinition\n";
        assert_eq!(
            blank_documents_of_kind(nested, &["CustomResourceDefinition"]),
            nested
        );
        // A kind a template writes (blanked to spaces) is never skipped.
        let templated = "kind:                 \nmetadata:\n  name: x\n";
        assert_eq!(blank_documents_of_kind(templated, &[""]), templated);
    }
}
