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
