//! Credentials: database passwords written into the repository, classified as a literal, a
//! `${VAR:-literal}` default or a placeholder. Where they are found, by source:
//! - `env`: environment entries (Compose `environment:`, `.env` files): password variables,
//!   Redis server flags in `REDIS_ARGS`, connection URLs;
//! - `compose`: other Compose values (URLs anywhere) and `command:`/`entrypoint:`/
//!   `healthcheck:` words (`redis-server --requirepass …`, `mysqladmin -p…`);
//! - `ci`: CI files' YAML (`env:`, `variables:`, URLs in any value);
//! - `shell`: database clients' password flags and URL arguments in any shell of the file;
//! - `named`: shell found by a variable's name (assignments, `${NAME:=…}`, `docker run -e`);
//!
//! and `found` records each one for all of them (its class, its span masked, once per span).
//!
//! What a password looks like (which variables hold one, placeholders, well-known defaults, URL
//! schemes, which programs take one by which flag) is [`crate::knowledge::credentials`] and
//! [`crate::knowledge::password_flags`]; this front-end only finds where values are written.
//!
//! Every credential's span is added to `FileFacts::secrets` during extraction, whether or not a
//! rule reports it, so every output masks it. Nothing here (or anywhere) puts a secret's value in
//! a message: a [`crate::model::secret::Credential`] carries its length and whether it is a well-known default instead.

mod ci;
mod compose;
mod env;
mod found;
mod named;
mod shell;
#[cfg(test)]
mod tests;

pub use ci::from_ci_yaml;
pub use compose::{from_compose_argv, from_compose_scalar};
pub use env::from_env_entries;
pub use found::{classify_config, classify_raw};
pub use shell::from_shell;

pub use crate::frontends::dotenv::is_env_template;
pub use crate::knowledge::credentials::is_listed;

use crate::classify::FileKind;
use crate::frontends::secrets::found::push;
use crate::knowledge::credentials::is_well_known;
use crate::model::FileFacts;
use crate::model::secret::{Origin, SecretClass};
use crate::model::store::EnvEntry;
use crate::source::Span;
use crate::syntax::yaml::Yaml;

/// Passwords in SQL statements anywhere in the file (`ALTER USER … PASSWORD '…'`,
/// `IDENTIFIED BY '…'`, in a migration or a `psql -c` string): masked in every output. They are
/// not reported as credentials (yet): the value is set on the server, not used to connect.
pub fn mask_sql_passwords(facts: &mut FileFacts) {
    let text = &facts.file.text;
    if !text.contains(['p', 'P', 'i', 'I']) {
        return;
    }
    for (start, end) in crate::knowledge::credentials::sql_passwords(text) {
        let span = crate::source::Span::new(start, end);
        if !facts.secrets.contains(&span) {
            facts.secrets.push(span);
        }
    }
}

/// Passwords a program's or application code's text writes down: connection URLs
/// (`postgres://u:…@h/db`), libpq and ADO.NET/JDBC keyword strings (`password=…`), and string
/// literals given to a key named like a password (`password: '…'`, `password='…'`,
/// `'password' => '…'`, `PASSWORD = "…"`). Masked in every output; not reported (the code is
/// not a configuration file the credential rules read).
pub fn mask_code_passwords(facts: &mut FileFacts) {
    let text = &facts.file.text;
    let lower = text.to_ascii_lowercase();
    if !["://", "pass", "pwd"].iter().any(|n| lower.contains(n)) {
        return;
    }
    let mut spans: Vec<Span> = Vec::new();
    for u in crate::knowledge::credentials::url_passwords(text) {
        spans.push(Span::new(u.start, u.end));
    }
    for u in crate::knowledge::credentials::conninfo_passwords(text) {
        spans.push(Span::new(u.start, u.end));
    }
    for u in crate::knowledge::connection_strings::keyword_passwords(
        text,
        &crate::knowledge::credentials::is_connection_scheme,
    ) {
        spans.push(Span::new(u.start, u.end));
    }
    spans.extend(keyed_literals(text, &lower));
    for span in spans {
        if !span.is_empty() && !facts.secrets.contains(&span) {
            facts.secrets.push(span);
        }
    }
}

/// The contents of quoted literals assigned to a key named like a password: the key is a word
/// holding `pass` or `pwd` (quoted or not), then `:`, `=`, `=>` or `:=`, then a quote.
fn keyed_literals(text: &str, lower: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for needle in ["pass", "pwd"] {
        let mut from = 0;
        while let Some(rel) = lower.get(from..).and_then(|l| l.find(needle)) {
            let at = from + rel;
            from = at + needle.len();
            let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
            let mut end = at + needle.len();
            while end < bytes.len() && word_char(bytes[end]) {
                end += 1;
            }
            let mut start = at;
            while start > 0 && word_char(bytes[start - 1]) {
                start -= 1;
            }
            let Some(key) = text.get(start..end) else {
                continue;
            };
            if !crate::knowledge::credentials::looks_like_password_name(&key.replace('-', "_")) {
                continue;
            }
            // `'password' =>`: past the key's closing quote.
            let mut i = end;
            if matches!(bytes.get(i), Some(b'"' | b'\'')) {
                i += 1;
            }
            while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            let op = match (bytes.get(i), bytes.get(i + 1)) {
                (Some(b'='), Some(b'>')) | (Some(b':'), Some(b'=')) => 2,
                (Some(b':' | b'='), _) => 1,
                _ => continue,
            };
            i += op;
            while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            let Some(&quote) = bytes.get(i).filter(|q| matches!(**q, b'"' | b'\'' | b'`')) else {
                continue;
            };
            let open = i + 1;
            let Some(close) = bytes[open..]
                .iter()
                .position(|&b| b == quote || b == b'\n')
                .map(|p| open + p)
                .filter(|&c| bytes[c] == quote)
            else {
                continue;
            };
            if close > open {
                out.push(Span::new(open, close));
            }
        }
    }
    out
}

/// Credentials held by the extra password variables of the config file (`password-variables`),
/// everywhere a built-in name is read: Compose `environment:`, `.env` files, CI `env:`/`variables:`,
/// shell assignments, `${NAME:=…}` and `docker run -e`. Runs after [`FileFacts::extract`], so the
/// new spans are masked like the others.
pub fn apply_password_variables(facts: &mut FileFacts, names: &[String], ci_yaml: Option<&Yaml>) {
    if names.is_empty() {
        return;
    }
    let is_pw = |n: &str| is_listed(names, n);
    let services: Vec<(String, Vec<EnvEntry>)> = facts
        .compose
        .iter()
        .flat_map(|m| &m.services)
        .map(|s| (s.name.value.clone(), s.environment.clone()))
        .collect();
    for (service, environment) in services {
        env::from_env_entries_with(facts, &environment, &Origin::ComposeEnv { service }, &is_pw);
    }
    if facts.kind == FileKind::DotEnv && !is_env_template(&facts.file.path) {
        let entries = facts.dotenv.clone();
        env::from_env_entries_with(facts, &entries, &Origin::DotEnv, &is_pw);
    }
    if let Some(parsed) = ci_yaml {
        ci::from_ci_yaml_with(facts, parsed, &is_pw);
    }
    for f in named::shell_named(facts, &is_pw) {
        push(facts, f);
    }
}

/// Record a password that a structured front-end (Terraform, Kubernetes, a config file) found
/// written as a literal at `span`: classified (a placeholder is not a secret to rotate), masked in
/// every output. `value` is the literal as the program reading it sees it (decoded), `user` the
/// user name it goes with when known (a password equal to it is a well-known default).
pub fn record_literal(
    facts: &mut FileFacts,
    span: Span,
    value: &str,
    name: String,
    origin: Origin,
    user: Option<&str>,
    otherwise: SecretClass,
) {
    if value.trim().is_empty() {
        return;
    }
    push(
        facts,
        found::Found {
            by_name: true,
            span,
            name,
            origin,
            class: found::class_of(value, otherwise),
            value_chars: value.chars().count(),
            well_known: is_well_known(value, user),
        },
    );
}

/// Record the passwords of connection URLs in a value (`postgres://u:pw@h/db`, JDBC URLs) at
/// their host spans (`map` takes offsets in `value` to host offsets). A password holding a
/// Kubernetes `$(VAR)` reference is not a literal.
pub fn record_urls(
    facts: &mut FileFacts,
    value: &str,
    map: &crate::source::OffsetMap,
    what: &str,
    origin: &Origin,
) {
    for url in found::url_secrets(value) {
        if value
            .get(url.start..url.end)
            .is_none_or(|p| p.contains("$("))
        {
            continue;
        }
        push(
            facts,
            found::Found {
                by_name: true,
                span: map.span_to_host(Span::new(url.start, url.end)),
                name: format!("the {} {what}", url.what),
                origin: origin.clone(),
                class: url.class,
                value_chars: url.chars,
                well_known: url.well_known,
            },
        );
    }
}
