//! Credentials in environment entries: a Compose service's `environment:` or a `.env` file.
//! Password variables by name (in `.env` files also names that only look secret), `user/password`
//! values (`NEO4J_AUTH`), Redis server flags in `REDIS_ARGS`-like variables, and connection URLs
//! in any value.

use crate::frontends::secrets::found::{Found, classify_raw, push, url_secrets};
use crate::knowledge::credentials::{
    is_password_var, is_redis_flag_variable, is_user_slash_password, is_well_known,
    looks_like_password_name,
};
use crate::knowledge::password_flags::redis_password_at;
use crate::model::FileFacts;
use crate::model::secret::Origin;
use crate::model::store::EnvEntry;
use crate::source::Span;

/// Credentials in environment entries (Compose `environment:` or a `.env` file). The user name
/// set next to them (`*_USER`) counts as a well-known password.
pub fn from_env_entries(facts: &mut FileFacts, entries: &[EnvEntry], origin: &Origin) {
    from_env_entries_with(facts, entries, origin, &is_password_var);
}

/// [`from_env_entries`] with the password variables named by `is_pw`.
pub(super) fn from_env_entries_with(
    facts: &mut FileFacts,
    entries: &[EnvEntry],
    origin: &Origin,
    is_pw: &dyn Fn(&str) -> bool,
) {
    let user = entries
        .iter()
        .find(|e| {
            let k = e.key.value.to_ascii_uppercase();
            k.ends_with("_USER") || k.ends_with("_USERNAME")
        })
        .and_then(|e| e.value.as_ref())
        .map(|v| v.value.clone());
    for entry in entries {
        let Some(value) = &entry.value else { continue };
        let raw = &value.value;
        let by_name = is_pw(&entry.key.value);
        let looks_secret = *origin == Origin::DotEnv && looks_like_password_name(&entry.key.value);
        if by_name || looks_secret {
            // NEO4J_AUTH is `user/password` (or `none`).
            let (raw_pw, shift) = if is_user_slash_password(&entry.key.value) {
                match raw.split_once('/') {
                    Some((_, pw)) => (pw, raw.len() - pw.len()),
                    None => continue,
                }
            } else {
                (raw.as_str(), 0)
            };
            if let Some((class, s, e)) = classify_raw(raw_pw) {
                let secret = &raw_pw[s..e];
                push(
                    facts,
                    Found {
                        by_name,
                        span: entry.map.span_to_host(Span::new(shift + s, shift + e)),
                        name: entry.key.value.clone(),
                        origin: origin.clone(),
                        class,
                        value_chars: secret.chars().count(),
                        well_known: is_well_known(secret, user.as_deref()),
                    },
                );
            }
        }
        // `REDIS_ARGS: "--requirepass …"` (redis-stack), `REDIS_EXTRA_FLAGS` (Bitnami): server flags.
        if is_redis_flag_variable(&entry.key.value) {
            redis_flags(facts, entry, raw, origin);
        }
        for url in url_secrets(raw) {
            let url_origin = match origin {
                Origin::ComposeEnv { service } => Origin::ComposeUrl {
                    service: Some(service.clone()),
                },
                other => other.clone(),
            };
            push(
                facts,
                Found {
                    by_name: true,
                    span: entry.map.span_to_host(Span::new(url.start, url.end)),
                    name: format!("the {} of `{}`", url.what, entry.key.value),
                    origin: url_origin,
                    class: url.class,
                    value_chars: url.chars,
                    well_known: url.well_known,
                },
            );
        }
    }
}

/// Passwords among the Redis server flags of a `REDIS_ARGS`-like value (`raw`, as written).
fn redis_flags(facts: &mut FileFacts, entry: &EnvEntry, raw: &str, origin: &Origin) {
    let mut words = Vec::new();
    let mut at = 0;
    for token in raw.split(|c: char| c.is_ascii_whitespace()) {
        words.push((at, token));
        at += token.len() + 1;
    }
    let literals: Vec<Option<String>> = words.iter().map(|(_, w)| Some(w.to_string())).collect();
    for (i, _) in redis_password_at(&literals) {
        let Some((start, token)) = words.get(i) else {
            continue;
        };
        // `${PW:?set it}` cut by the split is a variable, not a literal.
        if token.matches("${").count() > token.matches('}').count() {
            continue;
        }
        let Some((class, s, e)) = classify_raw(token) else {
            continue;
        };
        let secret = &token[s..e];
        push(
            facts,
            Found {
                by_name: true,
                span: entry.map.span_to_host(Span::new(start + s, start + e)),
                name: entry.key.value.clone(),
                origin: origin.clone(),
                class,
                value_chars: secret.chars().count(),
                well_known: is_well_known(secret, None),
            },
        );
    }
}
