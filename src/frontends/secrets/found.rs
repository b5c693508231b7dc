//! Recording a credential, for every source of [`crate::frontends::secrets`]: how a value as
//! written holds a secret (a literal, a `${VAR:-literal}` default, a placeholder, or none), the
//! passwords of connection URLs in it, a shell word's literal traced to where it was assigned,
//! and the record itself (once per span, its span masked). Never keeps a secret's text.

use crate::knowledge::credentials::{is_placeholder, is_well_known, url_passwords};
use crate::model::FileFacts;
use crate::model::command::Word;
use crate::model::secret::{Credential, Origin, SecretClass};
use crate::source::Span;
use crate::syntax::interp::{Interp, interpolation};

/// How a value as written (before interpolation) holds a secret: `None` when it holds none
/// (`${VAR}`, `${VAR:?msg}`, empty), else the class and the secret's byte range in `raw`.
pub fn classify_raw(raw: &str) -> Option<(SecretClass, usize, usize)> {
    // `$${VAR}` reaches the container as `${VAR}`, for its own entrypoint to expand: not a literal.
    if raw.trim().is_empty() || raw.contains("$$") {
        return None;
    }
    let pieces = interpolation(raw);
    let has_var = pieces.iter().any(|p| matches!(p, Interp::Var { .. }));
    if !has_var {
        return Some((class_of(raw, SecretClass::Literal), 0, raw.len()));
    }
    // `${VAR:-literal}` alone: the literal is what runs when VAR is unset.
    if let [
        Interp::Var {
            op: Some(op),
            arg,
            end,
            ..
        },
    ] = pieces.as_slice()
        && matches!(op.as_str(), ":-" | "-")
        && !arg.is_empty()
        && !arg.contains('$')
    {
        let arg_start = end - 1 - arg.len();
        return Some((class_of(arg, SecretClass::Default), arg_start, end - 1));
    }
    None
}

/// How a value of an application's configuration file holds a secret, by the file formats'
/// own reference syntaxes: `None` for none (empty, `${VAR}`, Spring/Flyway `${env.VAR}`, ERB
/// `<%= … %>`, `{{ … }}`, `#{…}`, Maven's `@name@`, Jasypt `ENC(…)`, Spring Cloud `{cipher}…`),
/// else the class and the secret's byte range in `raw`. `${VAR:default}` (Spring) and
/// `${VAR:-default}` hold their default: what the application gets when VAR is unset.
pub fn classify_config(raw: &str) -> Option<(SecretClass, usize, usize)> {
    let trimmed = raw.trim();
    if trimmed.is_empty()
        || ["<%", "{{", "#{", "$(", "{cipher}", "ENC(", "%env("]
            .iter()
            .any(|m| trimmed.contains(m))
        || (trimmed.len() > 2 && trimmed.starts_with('@') && trimmed.ends_with('@'))
    {
        return None;
    }
    if !trimmed.contains('$') {
        let start = raw.len() - raw.trim_start().len();
        return Some((
            class_of(trimmed, SecretClass::Literal),
            start,
            start + trimmed.len(),
        ));
    }
    // One `${NAME}` or `${NAME:default}` and nothing else.
    let start = raw.find("${")?;
    let inner_start = start + 2;
    let close = raw[inner_start..].find('}').map(|i| inner_start + i)?;
    if !raw[..start].trim().is_empty() || !raw[close + 1..].trim().is_empty() {
        return None;
    }
    let inner = &raw[inner_start..close];
    let colon = inner.find(':')?;
    let default_start = inner_start + colon + 1 + usize::from(inner[colon + 1..].starts_with('-'));
    let default = &raw[default_start..close];
    if default.is_empty() || default.contains(['$', '{']) {
        return None;
    }
    Some((
        class_of(default, SecretClass::Default),
        default_start,
        close,
    ))
}

/// `secret`'s class: a placeholder, else `otherwise` (a literal or a default).
pub(super) fn class_of(secret: &str, otherwise: SecretClass) -> SecretClass {
    if is_placeholder(secret) {
        SecretClass::Placeholder
    } else {
        otherwise
    }
}

/// A credential found, before it is recorded.
pub(super) struct Found {
    pub(super) by_name: bool,
    pub(super) span: Span,
    pub(super) name: String,
    pub(super) origin: Origin,
    pub(super) class: SecretClass,
    pub(super) value_chars: usize,
    pub(super) well_known: bool,
}

/// Record a credential (once per span) and mask its span.
pub(super) fn push(facts: &mut FileFacts, f: Found) {
    if f.span.is_empty() {
        return;
    }
    // Credentials stay sorted by span: one look-up per credential, not a scan of the file's.
    let at = match facts.credentials.binary_search_by_key(&f.span, |c| c.span) {
        Ok(at) => {
            // A `.env` entry first seen by its secret-looking name, then named by the config.
            facts.credentials[at].by_name |= f.by_name;
            return;
        }
        Err(at) => at,
    };
    facts.secrets.push(f.span);
    facts.credentials.insert(
        at,
        Credential {
            span: f.span,
            name: f.name,
            origin: f.origin,
            class: f.class,
            chars: f.value_chars,
            well_known: f.well_known,
            by_name: f.by_name,
        },
    );
}

/// A password in a connection URL, classified.
pub(super) struct UrlSecret {
    /// How messages name it: `postgres:// URL`, `libpq connection string`.
    pub(super) what: String,
    pub(super) class: SecretClass,
    /// The secret's byte range in the text searched.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) chars: usize,
    pub(super) well_known: bool,
}

/// The passwords of the connection URLs in `text` (as written) that hold a secret.
pub(super) fn url_secrets(text: &str) -> Vec<UrlSecret> {
    let mut out = Vec::new();
    for url in url_passwords(text) {
        let pw = &text[url.start..url.end];
        let Some((class, ps, pe)) = classify_raw(pw) else {
            continue;
        };
        let secret = &pw[ps..pe];
        out.push(UrlSecret {
            what: url.what(),
            class,
            start: url.start + ps,
            end: url.start + pe,
            chars: secret.chars().count(),
            well_known: is_well_known(secret, Some(&url.user)),
        });
    }
    out
}

/// The span of `needle` inside the host text under `within` (the whole span when not verbatim).
pub(super) fn locate(facts: &FileFacts, within: Span, needle: &str) -> Span {
    let host = facts.file.slice(within);
    match host.find(needle) {
        Some(at) => Span::new(within.start() + at, within.start() + at + needle.len()),
        None => within,
    }
}

/// The host text of a shell word and the class of a secret it holds.
pub(super) fn shell_secret(
    facts: &FileFacts,
    word: &Word,
    literal: &str,
) -> Option<(SecretClass, Span)> {
    if literal.is_empty() {
        return None;
    }
    let host = facts.file.slice(word.span);
    if host.contains('$') {
        // `$VAR` unknown: no literal here.
        word.literal()?;
        if host.contains(literal) {
            // `${VAR:-literal}` resolved by the shell layer to its default.
            let class = class_of(literal, SecretClass::Default);
            return Some((class, locate(facts, word.span, literal)));
        }
        // `PW=secret; mysql -p$PW`: the literal is where the variable was assigned.
        let origin = facts
            .shell
            .assignments
            .iter()
            .find(|a| {
                !facts.file.slice(a.value.span).contains('$')
                    && a.value.literal().is_some_and(|v| v.contains(literal))
            })
            .map_or(word.span, |a| locate(facts, a.value.span, literal));
        return Some((class_of(literal, SecretClass::Literal), origin));
    }
    let class = class_of(literal, SecretClass::Literal);
    Some((class, locate(facts, word.span, literal)))
}

/// Passwords in connection URLs of a shell word, read as written (`$VAR` in a URL's password is
/// not a literal).
pub(super) fn shell_urls(facts: &FileFacts, word: &Word, what: &str, origin: Origin) -> Vec<Found> {
    let host = facts.file.slice(word.span);
    let mut out = Vec::new();
    for url in url_secrets(host) {
        out.push(Found {
            by_name: true,
            span: Span::new(word.span.start() + url.start, word.span.start() + url.end),
            name: format!("the {} {what}", url.what),
            origin: origin.clone(),
            class: url.class,
            value_chars: url.chars,
            well_known: url.well_known,
        });
    }
    out
}
