//! The last line of the secrets contract: whatever a rule wrote, no message, help text or
//! related-location message of a finding holds a secret value found near the places the finding
//! points at. Rules quote the file through [`FileFacts::masked`]; this catches what slips past
//! (a word's value displayed, a string built from raw text), at a cost per finding that does not
//! grow with the file.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::FileFacts;
use crate::model::secret::SecretClass;
use crate::rules::Finding;
use crate::source::{Span, floor_char_boundary};

/// How far around a finding's span secrets are looked for (bytes).
const AROUND: usize = 4096;

/// Secret values shorter than this are not searched for in messages (they would mask ordinary
/// words; the rules' own masking covers them).
const MIN_LEN: usize = 4;

/// Replace every secret value near each finding's places by `*` in its texts.
pub(crate) fn scrub_secrets(findings: &mut [Finding], files: &[FileFacts]) {
    let sorted: BTreeMap<&str, (&FileFacts, Vec<Span>)> = files
        .iter()
        .filter(|f| !f.secrets.is_empty())
        .map(|f| {
            // A well-known default (`postgres`) or a placeholder (`changeme`) is no secret, and
            // is also an image name or an ordinary word in messages: left alone.
            let public: BTreeSet<Span> = f
                .credentials
                .iter()
                .filter(|c| c.well_known || c.class == SecretClass::Placeholder)
                .map(|c| c.span)
                .collect();
            let mut spans: Vec<Span> = f
                .secrets
                .iter()
                .filter(|s| !public.contains(s))
                .copied()
                .collect();
            spans.sort();
            (f.file.path.as_str(), (f, spans))
        })
        .collect();
    if sorted.is_empty() {
        return;
    }
    for finding in findings {
        let mut values: Vec<&str> = Vec::new();
        let places = std::iter::once((finding.path.as_str(), finding.span))
            .chain(finding.related.iter().map(|r| (r.path.as_str(), r.span)));
        for (path, span) in places {
            if let Some((file, spans)) = sorted.get(path) {
                values.extend(near(file, spans, span));
            }
        }
        if values.is_empty() {
            continue;
        }
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        values.dedup();
        let scrub = |text: &mut String| {
            for v in &values {
                if text.contains(v) {
                    *text = text.replace(v, &"*".repeat(v.chars().count()));
                }
            }
        };
        scrub(&mut finding.message);
        if let Some(help) = &mut finding.help {
            scrub(help);
        }
        for related in &mut finding.related {
            scrub(&mut related.message);
        }
    }
}

/// The secret values of `file` within [`AROUND`] bytes of `span`.
fn near<'a>(file: &'a FileFacts, spans: &[Span], span: Span) -> Vec<&'a str> {
    let lo = span.start().saturating_sub(AROUND);
    let hi = span.end().saturating_add(AROUND);
    let first = spans.partition_point(|s| s.start() < lo.saturating_sub(AROUND));
    spans[first..]
        .iter()
        .take_while(|s| s.start() < hi)
        .filter(|s| s.end() > lo && s.len() >= MIN_LEN)
        .map(|s| {
            let text = &file.file.text;
            let end = floor_char_boundary(text, s.end());
            let start = floor_char_boundary(text, s.start().min(end));
            &text[start..end]
        })
        .filter(|v| v.len() >= MIN_LEN)
        .collect()
}
