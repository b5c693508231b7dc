//! Credentials in Compose values other than environment entries: connection URLs in any value
//! (labels, commands, `x-` fields), and password flags on the words of a `command:`,
//! `entrypoint:` or `healthcheck:` run without a shell (`redis-server --requirepass …`,
//! `mysqladmin ping -p…`, `mongosh -p …`). The Compose front-end hands over the words and
//! scalars; environment entries are [`super::env`]'s.

use crate::frontends::secrets::found::{Found, classify_raw, locate, push, url_secrets};
use crate::knowledge::credentials::is_well_known;
use crate::knowledge::password_flags::{
    basename, is_mongo_program, is_mysql_client, is_redis_program, mongo_password_at,
    mysql_password_in, redis_password_at, setup_password_at,
};
use crate::model::FileFacts;
use crate::model::secret::Origin;
use crate::model::store::Spanned;
use crate::source::{OffsetMap, Span};

/// Credentials in a Compose value scalar that is not an environment entry (labels, commands,
/// `x-` fields): connection URLs only.
pub fn from_compose_scalar(
    facts: &mut FileFacts,
    value: &str,
    map: &OffsetMap,
    service: Option<&str>,
) {
    for url in url_secrets(value) {
        push(
            facts,
            Found {
                by_name: true,
                span: map.span_to_host(Span::new(url.start, url.end)),
                name: format!("a {}", url.what),
                origin: Origin::ComposeUrl {
                    service: service.map(str::to_string),
                },
                class: url.class,
                value_chars: url.chars,
                well_known: url.well_known,
            },
        );
    }
}

/// A password on a Compose `command:`/`entrypoint:`/`healthcheck:` run without a shell
/// (`redis-server --requirepass SECRET`, `mysqladmin ping -pSECRET`, string or list form).
/// Compose interpolates the words, so `${REDIS_PASSWORD:?}` is no literal, `${REDIS_PASSWORD:-dev}`
/// is a default, and `$$REDIS_PASSWORD` is left to the container.
pub fn from_compose_argv(facts: &mut FileFacts, argv: &[Spanned], service: &str, key: &str) {
    let words: Vec<Option<String>> = argv.iter().map(|w| Some(w.value.clone())).collect();
    // (word index, byte offset of the value in the word, what names it)
    let mut hits: Vec<(usize, usize, String)> = redis_password_at(&words)
        .into_iter()
        .map(|(at, flag)| {
            // Name the program when the words say it (`redis-cli -a`), else the flag alone.
            let program = argv[..at.saturating_sub(1)]
                .iter()
                .rev()
                .map(|w| basename(&w.value))
                .find(|p| is_redis_program(p));
            let what = match program {
                Some(p) => format!("{p} {flag}"),
                None => flag,
            };
            (at, 0, what)
        })
        .collect();
    if let Some(client) = argv
        .iter()
        .position(|w| is_mysql_client(basename(&w.value)))
    {
        let program = basename(&argv[client].value);
        for (i, word) in argv.iter().enumerate().skip(client + 1) {
            if let Some((flag, offset)) = mysql_password_in(&word.value) {
                hits.push((i, offset, format!("{program} {flag}")));
            }
        }
    }
    if let Some(client) = argv
        .iter()
        .position(|w| is_mongo_program(basename(&w.value)))
    {
        let program = basename(&argv[client].value);
        for (at, offset, flag) in mongo_password_at(&words[client + 1..]) {
            hits.push((client + 1 + at, offset, format!("{program} {flag}")));
        }
    }
    // `bench new-site --db-root-password=admin`: a setup option of any program.
    hits.extend(setup_password_at(&words));
    let mut found = Vec::new();
    for (at, offset, flag) in hits {
        let Some(word) = argv.get(at) else { continue };
        let Some(value) = word.value.get(offset..) else {
            continue;
        };
        // `--requirepass ${PW:?set it}` in the string form: Compose interpolates before it
        // splits, so a `${` left open here is a variable cut by the split, not a literal.
        if value.matches("${").count() > value.matches('}').count() {
            continue;
        }
        let Some((class, s, e)) = classify_raw(value) else {
            continue;
        };
        let secret = &value[s..e];
        let span = locate(facts, word.span, secret);
        found.push(Found {
            by_name: true,
            span,
            name: format!("given with `{flag}`"),
            origin: Origin::ComposeCommand {
                service: service.to_string(),
                key: key.to_string(),
            },
            class,
            value_chars: secret.chars().count(),
            well_known: is_well_known(secret, None),
        });
    }
    for f in found {
        push(facts, f);
    }
}
