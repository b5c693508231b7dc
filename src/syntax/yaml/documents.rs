//! Skipping whole documents of a multi-document YAML stream before parsing: a release manifest
//! of an operator is mostly `CustomResourceDefinition`s (megabytes of OpenAPI schema that hold no
//! workload, volume or credential), and parsing them dominated the scan of such repositories.

use std::borrow::Cow;

/// `text` with every document whose top-level `kind:` is one of `kinds` replaced by spaces, line
/// ends kept, so that every offset and line of the other documents is unchanged. Borrowed as is
/// when no document is skipped (the common case costs one substring search per kind).
pub fn blank_documents_of_kind<'a>(text: &'a str, kinds: &[&str]) -> Cow<'a, str> {
    if !kinds.iter().any(|k| text.contains(k)) {
        return Cow::Borrowed(text);
    }
    let mut blank: Vec<(usize, usize)> = Vec::new();
    let mut doc_start = 0;
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
        } else if let Some(value) = bare.strip_prefix("kind:") {
            let value = value.split(" #").next().unwrap_or("").trim();
            let value = value.trim_matches(['"', '\'']);
            skip = kinds.contains(&value);
        }
        offset += line.len();
    }
    if skip {
        blank.push((doc_start, text.len()));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // A `kind:` key nested in a document is not its kind.
        let nested = "spec:\n  kind: CustomResourceDefinition\n";
        assert_eq!(
            blank_documents_of_kind(nested, &["CustomResourceDefinition"]),
            nested
        );
    }
}
