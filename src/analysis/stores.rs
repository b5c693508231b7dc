//! Questions about data stores that need the knowledge tables: which stateful image a service
//! runs, and whether its authentication is switched off (values interpolated the way Compose
//! does).

use std::collections::BTreeMap;

use crate::knowledge::stateful::{ImageEntry, StatefulTable};
use crate::model::store::{Service, StoreKind};
use crate::source::Span;
use crate::syntax::interp::interpolate;

/// The stateful-images entry of a service's image, whether or not its data is persisted (a Redis
/// cache is still a database server that listens on a port).
/// Applications that embed their database (Grafana, Gitea, …) are not database servers: their
/// port is meant to be reached and they take no database password.
pub fn database_entry(service: &Service) -> Option<&'static ImageEntry> {
    StatefulTable::builtin()
        .lookup(&service.image_ref.as_ref()?.path())
        .filter(|e| e.kind == StoreKind::Database)
}

/// Authentication switched off on a database service: what says so, and where.
pub fn trust_auth(service: &Service) -> Option<(String, Span)> {
    trust_auth_in(service, service, &BTreeMap::new())
}

/// Authentication switched off, as written in one file's part (`own`) of a service that Compose
/// runs merged with its other files (`merged`: the image, the passwords set anywhere). Only
/// what `own` writes is reported, at its span in that file, so an override's
/// `POSTGRES_HOST_AUTH_METHOD: trust` is reported in the override with the override's context.
/// Values are interpolated with `vars` (the `.env` next to the file) and their defaults.
pub fn trust_auth_in(
    merged: &Service,
    own: &Service,
    vars: &BTreeMap<String, String>,
) -> Option<(String, Span)> {
    let entry = database_entry(merged)?;
    let resolved = |service: &Service, key: &str| -> Option<(String, Span)> {
        let e = service.env(key)?;
        let v = e.value.as_ref()?;
        let value = interpolate(&v.value, vars)?;
        Some((value.trim().to_ascii_lowercase(), e.key.span))
    };
    if let Some((v, span)) = resolved(own, "POSTGRES_HOST_AUTH_METHOD")
        && v == "trust"
    {
        return Some(("`POSTGRES_HOST_AUTH_METHOD=trust`".into(), span));
    }
    // An "allow empty password" switch only takes effect when no password is given: the
    // image uses the password when there is one (Bitnami's replication example sets both).
    const MYSQL_ROOT: &[&str] = &[
        "MYSQL_ROOT_PASSWORD",
        "MYSQL_RANDOM_ROOT_PASSWORD",
        "MARIADB_ROOT_PASSWORD",
        "MARIADB_RANDOM_ROOT_PASSWORD",
    ];
    const BITNAMI: &[&str] = &[
        "POSTGRESQL_PASSWORD",
        "POSTGRESQL_POSTGRES_PASSWORD",
        "POSTGRES_PASSWORD",
        "MYSQL_ROOT_PASSWORD",
        "MARIADB_ROOT_PASSWORD",
        "REDIS_PASSWORD",
        "VALKEY_PASSWORD",
        "MONGODB_ROOT_PASSWORD",
    ];
    let password_given = |keys: &[&str]| {
        keys.iter().any(|k| {
            let set = |name: &str| {
                merged
                    .env(name)
                    .and_then(|e| e.value.as_ref())
                    .is_some_and(|v| !v.value.trim().is_empty())
            };
            set(k) || set(&format!("{k}_FILE"))
        })
    };
    for (key, passwords) in [
        ("MYSQL_ALLOW_EMPTY_PASSWORD", MYSQL_ROOT),
        ("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", MYSQL_ROOT),
        ("MARIADB_ALLOW_EMPTY_PASSWORD", MYSQL_ROOT),
        ("ALLOW_EMPTY_PASSWORD", BITNAMI),
    ] {
        if let Some((v, span)) = resolved(own, key)
            && !matches!(v.as_str(), "" | "no" | "false" | "0")
            && !password_given(passwords)
        {
            return Some((format!("`{key}`"), span));
        }
    }
    let joined = merged.argv().join(" ");
    if entry.family == "redis" {
        let words: Vec<&str> = joined.split_whitespace().collect();
        let off = words
            .windows(2)
            .position(|w| w[0] == "--protected-mode" && w[1].trim_matches(['"', '\'']) == "no");
        let has_password = joined.contains("--requirepass")
            || merged.env("REDIS_PASSWORD").is_some()
            || merged.env("REDIS_PASSWORD_FILE").is_some()
            || !merged.env_files.is_empty();
        // Reported where the command line is written.
        let span = own
            .command_argv
            .iter()
            .chain(&own.entrypoint_argv)
            .find(|w| w.value.contains("--protected-mode"))
            .map(|w| w.span);
        if let (Some(_), false, Some(span)) = (off, has_password, span) {
            return Some(("`--protected-mode no` without a password".into(), span));
        }
    }
    let official_mongo = entry.family == "mongo"
        && merged
            .image_ref
            .as_ref()
            .is_some_and(|i| i.path() == "mongo");
    // Something missing is reported at the service in the file that names the image.
    if official_mongo
        && own.image.is_some()
        && merged.env_files.is_empty()
        && !merged
            .environment
            .iter()
            .any(|e| e.key.value.starts_with("MONGO_INITDB_ROOT_"))
        && !joined.contains("--auth")
        && !joined.contains("--keyFile")
    {
        return Some((
            "no `MONGO_INITDB_ROOT_USERNAME`/`MONGO_INITDB_ROOT_PASSWORD`".into(),
            own.name.span,
        ));
    }
    None
}
