//! Credentials: database passwords written into the repository (Compose environment, connection
//! URLs in any Compose value, `.env` files, shell assignments, `mysql -pSECRET`, URLs given to
//! database clients), classified as a literal, a `${VAR:-literal}` default or a placeholder.
//!
//! Every credential's span is added to `FileFacts::secrets` during extraction, whether or not a
//! rule reports it, so every output masks it. Nothing here (or anywhere) puts a secret's value in
//! a message: a [`Credential`] carries its length and whether it is a well-known default instead.

use crate::source::Span;

use super::FileFacts;
use super::compose::{EnvEntry, Interp, Spanned, interpolation};
use super::shell::{Command, Word};

/// Where a credential was found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// A service's `environment:` entry.
    ComposeEnv { service: String },
    /// A connection URL in a Compose value (`service` when under one).
    ComposeUrl { service: Option<String> },
    /// A password flag on a service's `command:`/`entrypoint:`/`healthcheck:` (`key`), as in
    /// `redis-server --requirepass …`.
    ComposeCommand { service: String, key: String },
    /// A `.env` file entry (a password variable or a URL).
    DotEnv,
    /// An `env:`/`variables:` entry or a URL in a CI file (GitHub Actions, GitLab CI).
    CiYaml,
    /// A shell assignment (`export PGPASSWORD=…`, `DATABASE_URL=…`).
    ShellAssignment,
    /// `mysql -pSECRET` / `--password=SECRET`, `docker run -e POSTGRES_PASSWORD=…`.
    ShellFlag { program: String },
    /// A URL argument of a database client (`psql postgres://u:p@h/db`).
    ShellUrl { program: String },
}

/// How the secret is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretClass {
    /// A literal value.
    Literal,
    /// The default of `${VAR:-literal}`: what runs when the variable is unset.
    Default,
    /// An obvious placeholder (`changeme`, `<password>`): to be replaced before deploying.
    Placeholder,
}

/// A database credential found in the file. Its value is never kept.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Credential {
    /// The secret's own host span (masked in every output).
    pub span: Span,
    /// The variable name (`POSTGRES_PASSWORD`) or a description of the URL (`postgres:// URL`).
    pub name: String,
    pub origin: Origin,
    pub class: SecretClass,
    /// Length of the secret in characters.
    pub chars: usize,
    /// The secret is a well-known default (`postgres`, `password`, `root`, the user name).
    pub well_known: bool,
    /// The variable's name says it is a database password. `false` for a `.env` entry whose name
    /// only looks secret (`DB_PASS_PROD`): it counts when Compose interpolates it into a password
    /// variable (`RepoFacts::password_refs`).
    pub by_name: bool,
}

/// Variables that hold a database password.
pub fn is_password_var(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    if n.ends_with("_FILE") || n.contains("ALLOW_EMPTY") || n.contains("RANDOM") {
        return false;
    }
    const EXACT: &[&str] = &[
        "POSTGRES_PASSWORD",
        "POSTGRESQL_PASSWORD",
        "POSTGRESQL_POSTGRES_PASSWORD",
        "PGPASSWORD",
        "MYSQL_ROOT_PASSWORD",
        "MYSQL_PASSWORD",
        "MYSQL_PWD",
        "MONGO_INITDB_ROOT_PASSWORD",
        "MONGODB_ROOT_PASSWORD",
        "MONGODB_PASSWORD",
        "REDIS_PASSWORD",
        "VALKEY_PASSWORD",
        "ELASTIC_PASSWORD",
        "RABBITMQ_DEFAULT_PASS",
        "RABBITMQ_PASSWORD",
        "MINIO_ROOT_PASSWORD",
        "MINIO_SECRET_KEY",
        "CLICKHOUSE_PASSWORD",
        "NEO4J_AUTH",
        "COUCHDB_PASSWORD",
        "DOCKER_INFLUXDB_INIT_PASSWORD",
        "INFLUXDB_ADMIN_PASSWORD",
        "DB_PASSWORD",
        "DB_PASS",
        "DATABASE_PASSWORD",
    ];
    EXACT.contains(&n.as_str())
        || (n.starts_with("MARIADB_") && n.ends_with("PASSWORD"))
        || (n.starts_with("MYSQL_") && n.ends_with("PASSWORD"))
        || (n.starts_with("POSTGRES") && n.ends_with("_PASSWORD"))
        || n.ends_with("_DB_PASSWORD")
        || n.ends_with("_DB_PASS")
        || n.ends_with("_DATABASE_PASSWORD")
}

/// A name that may hold a password (`DB_PASS_PROD`, `PG_PWD`, `APP_SECRET`): masked in `.env`
/// files, reported when Compose uses it for a database password.
pub fn looks_like_password_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    !n.ends_with("_FILE")
        && ["PASSWORD", "PASSWD", "PWD", "PASS", "SECRET"]
            .iter()
            .any(|w| n.split('_').any(|part| part == *w) || n.contains("PASSWORD"))
}

/// An obvious placeholder rather than a real secret.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if v.starts_with('<') && v.ends_with('>') {
        return true;
    }
    if lower.len() >= 3 && lower.chars().all(|c| c == 'x' || c == '*' || c == '.') {
        return true;
    }
    let squashed: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    const WORDS: &[&str] = &[
        "changeme",
        "changethis",
        "changeit",
        "placeholder",
        "todo",
        "fixme",
        "tbd",
        "somesecret",
        "somepassword",
        "secrethere",
        "passwordhere",
        "insertpasswordhere",
        "enterpassword",
    ];
    if WORDS.contains(&squashed.as_str())
        || squashed.starts_with("replaceme")
        || squashed.starts_with("replacewith")
        || squashed.starts_with("changeme")
        || (squashed.starts_with("your")
            && (squashed.ends_with("password")
                || squashed.ends_with("secret")
                || squashed.ends_with("pass")))
    {
        return true;
    }
    // `SOME_SECRET`, `YOUR_DB_PASSWORD`: an upper-case name standing for a value.
    v.len() > 3
        && v.contains('_')
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
}

/// A password everyone tries first.
pub fn is_well_known(value: &str, user: Option<&str>) -> bool {
    const DEFAULTS: &[&str] = &[
        "postgres",
        "password",
        "secret",
        "root",
        "admin",
        "mysql",
        "example",
        "pass",
        "passwd",
        "123456",
        "12345678",
        "test",
        "mongo",
        "mongodb",
        "redis",
        "guest",
        "minioadmin",
        "neo4j",
        "default",
        "changeit",
        "letmein",
        "qwerty",
        "admin123",
        "password1",
        "postgrespw",
    ];
    let lower = value.to_ascii_lowercase();
    DEFAULTS.contains(&lower.as_str()) || user.is_some_and(|u| !u.is_empty() && u == value)
}

/// A password inside a connection URL: `(scheme, user, password range)` in `text`.
pub fn url_passwords(text: &str) -> Vec<(String, String, usize, usize)> {
    const SCHEMES: &[&str] = &[
        "postgres",
        "postgresql",
        "postgis",
        "pgsql",
        "mysql",
        "mysqlx",
        "mysql2",
        "mariadb",
        "mongodb",
        "mongodb+srv",
        "redis",
        "rediss",
        "valkey",
        "amqp",
        "amqps",
        "clickhouse",
        "neo4j",
        "bolt",
        "cockroachdb",
        "timescaledb",
        "couchdb",
        "influxdb",
    ];
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text[from..].find("://") {
        let sep = from + rel;
        from = sep + 3;
        let scheme_start = text[..sep]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-' | ':')))
            .map_or(0, |i| i + 1);
        let scheme = text[scheme_start..sep].to_ascii_lowercase();
        let base = scheme.rsplit(':').next().unwrap_or(&scheme);
        let base = if base == "mongodb+srv" {
            base
        } else {
            base.split('+').next().unwrap_or(base)
        };
        if !SCHEMES.contains(&base) {
            continue;
        }
        let rest = &text[from..];
        let end = rest
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '/' | '?' | '#' | '"' | '\'' | ',' | ';')
            })
            .unwrap_or(rest.len());
        let authority = &rest[..end];
        let Some(at) = authority.rfind('@') else {
            continue;
        };
        let userinfo = &authority[..at];
        let Some(colon) = userinfo.find(':') else {
            continue;
        };
        let (start, stop) = (from + colon + 1, from + at);
        if stop > start {
            out.push((base.to_string(), userinfo[..colon].to_string(), start, stop));
        }
    }
    out
}

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
        let class = if is_placeholder(raw) {
            SecretClass::Placeholder
        } else {
            SecretClass::Literal
        };
        return Some((class, 0, raw.len()));
    }
    // `${VAR:-literal}` alone: the literal is what runs when VAR is unset.
    if let [
        Interp::Var {
            op: Some(op),
            arg,
            start,
            end,
            ..
        },
    ] = pieces.as_slice()
        && matches!(op.as_str(), ":-" | "-")
        && !arg.is_empty()
        && !arg.contains('$')
    {
        let arg_start = end - 1 - arg.len();
        let _ = start;
        let class = if is_placeholder(arg) {
            SecretClass::Placeholder
        } else {
            SecretClass::Default
        };
        return Some((class, arg_start, end - 1));
    }
    None
}

struct Found {
    by_name: bool,
    span: Span,
    name: String,
    origin: Origin,
    class: SecretClass,
    value_chars: usize,
    well_known: bool,
}

fn push(facts: &mut FileFacts, f: Found) {
    if f.span.is_empty() {
        return;
    }
    if let Some(known) = facts.credentials.iter_mut().find(|c| c.span == f.span) {
        // A `.env` entry first seen by its secret-looking name, then named by the config.
        known.by_name |= f.by_name;
        return;
    }
    facts.secrets.push(f.span);
    facts.credentials.push(Credential {
        span: f.span,
        name: f.name,
        origin: f.origin,
        class: f.class,
        chars: f.value_chars,
        well_known: f.well_known,
        by_name: f.by_name,
    });
}

/// Credentials in environment entries (Compose `environment:` or a `.env` file). `user` is the
/// user name set next to them, for the "password equals user name" check.
pub fn from_env_entries(facts: &mut FileFacts, entries: &[EnvEntry], origin: &Origin) {
    from_env_entries_with(facts, entries, origin, &is_password_var);
}

/// [`from_env_entries`] with the password variables named by `is_pw`.
fn from_env_entries_with(
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
            let (raw_pw, shift) = if entry.key.value.eq_ignore_ascii_case("NEO4J_AUTH") {
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
        let key = entry.key.value.to_ascii_uppercase();
        if matches!(
            key.as_str(),
            "REDIS_ARGS" | "REDIS_EXTRA_FLAGS" | "VALKEY_EXTRA_FLAGS" | "REDIS_EXTRA_ARGS"
        ) {
            let mut words = Vec::new();
            let mut at = 0;
            for token in raw.split(|c: char| c.is_ascii_whitespace()) {
                words.push((at, token));
                at += token.len() + 1;
            }
            let literals: Vec<Option<String>> =
                words.iter().map(|(_, w)| Some(w.to_string())).collect();
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
        for (scheme, user, s, e) in url_passwords(raw) {
            let pw = &raw[s..e];
            let Some((class, ps, pe)) = classify_raw(pw) else {
                continue;
            };
            let secret = &pw[ps..pe];
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
                    span: entry.map.span_to_host(Span::new(s + ps, s + pe)),
                    name: format!("the {scheme}:// URL of `{}`", entry.key.value),
                    origin: url_origin,
                    class,
                    value_chars: secret.chars().count(),
                    well_known: is_well_known(secret, Some(&user)),
                },
            );
        }
    }
}

/// Credentials in a Compose value scalar that is not an environment entry (labels, commands,
/// `x-` fields): connection URLs only.
pub fn from_compose_scalar(
    facts: &mut FileFacts,
    value: &str,
    map: &crate::source::OffsetMap,
    service: Option<&str>,
) {
    for (scheme, user, s, e) in url_passwords(value) {
        let pw = &value[s..e];
        let Some((class, ps, pe)) = classify_raw(pw) else {
            continue;
        };
        let secret = &pw[ps..pe];
        push(
            facts,
            Found {
                by_name: true,
                span: map.span_to_host(Span::new(s + ps, s + pe)),
                name: format!("a {scheme}:// URL"),
                origin: Origin::ComposeUrl {
                    service: service.map(str::to_string),
                },
                class,
                value_chars: secret.chars().count(),
                well_known: is_well_known(secret, Some(&user)),
            },
        );
    }
}

/// Credentials in a CI file's YAML: password variables in any mapping (`env:`, `variables:`,
/// service containers' `env:`) and connection URLs in any value. `${{ secrets.X }}` and `$VAR`
/// are references, not literals.
/// `parsed` is the file's YAML as the CI layer parsed it (each file is parsed once).
pub fn from_ci_yaml(facts: &mut FileFacts, parsed: &super::yaml::Yaml) {
    from_ci_yaml_with(facts, parsed, &is_password_var);
}

/// [`from_ci_yaml`] with the password variables named by `is_pw`.
fn from_ci_yaml_with(
    facts: &mut FileFacts,
    parsed: &super::yaml::Yaml,
    is_pw: &dyn Fn(&str) -> bool,
) {
    use super::yaml::{Node, Value};
    let mut stack: Vec<&Node> = parsed
        .documents
        .iter()
        .filter_map(|d| d.root.as_ref())
        .collect();
    let mut found = Vec::new();
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Mapping(pairs) => {
                for pair in pairs {
                    stack.push(&pair.value);
                    let (Some(key), Some(value)) = (pair.key_str(), pair.value.as_scalar()) else {
                        continue;
                    };
                    if !is_pw(key) || pair.value.is_null() {
                        continue;
                    }
                    if let Some((class, s, e)) = classify_raw(&value.value) {
                        let secret = &value.value[s..e];
                        found.push(Found {
                            by_name: true,
                            span: value.host_span(s, e),
                            name: key.to_string(),
                            origin: Origin::CiYaml,
                            class,
                            value_chars: secret.chars().count(),
                            well_known: is_well_known(secret, None),
                        });
                    }
                }
            }
            Value::Sequence(items) => stack.extend(items),
            Value::Scalar(scalar) => {
                for (scheme, user, s, e) in url_passwords(&scalar.value) {
                    let pw = &scalar.value[s..e];
                    let Some((class, ps, pe)) = classify_raw(pw) else {
                        continue;
                    };
                    let secret = &pw[ps..pe];
                    found.push(Found {
                        by_name: true,
                        span: scalar.host_span(s + ps, s + pe),
                        name: format!("a {scheme}:// URL"),
                        origin: Origin::CiYaml,
                        class,
                        value_chars: secret.chars().count(),
                        well_known: is_well_known(secret, Some(&user)),
                    });
                }
            }
        }
    }
    found.sort_by_key(|f| f.span);
    for f in found {
        push(facts, f);
    }
}

/// The host text of a shell word and the class of a secret it holds.
fn shell_secret(facts: &FileFacts, word: &Word, literal: &str) -> Option<(SecretClass, Span)> {
    if literal.is_empty() {
        return None;
    }
    let host = facts.file.slice(word.span);
    if host.contains('$') {
        // `$VAR` unknown: no literal here.
        word.literal()?;
        if host.contains(literal) {
            // `${VAR:-literal}` resolved by the shell layer to its default.
            let class = if is_placeholder(literal) {
                SecretClass::Placeholder
            } else {
                SecretClass::Default
            };
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
        let class = if is_placeholder(literal) {
            SecretClass::Placeholder
        } else {
            SecretClass::Literal
        };
        return Some((class, origin));
    }
    let class = if is_placeholder(literal) {
        SecretClass::Placeholder
    } else {
        SecretClass::Literal
    };
    Some((class, locate(facts, word.span, literal)))
}

/// The span of `needle` inside the host text under `within` (the whole span when not verbatim).
fn locate(facts: &FileFacts, within: Span, needle: &str) -> Span {
    let host = facts.file.slice(within);
    match host.find(needle) {
        Some(at) => Span::new(within.start() + at, within.start() + at + needle.len()),
        None => within,
    }
}

const MYSQL_CLIENTS: &[&str] = &[
    "mysql",
    "mysqldump",
    "mysqladmin",
    "mysqlimport",
    "mysqlcheck",
    "mysqlpump",
    "mysqlsh",
    "mariadb",
    "mariadb-dump",
    "mariadb-admin",
    "mariadb-import",
    "mariadb-check",
];

const DB_CLIENTS: &[&str] = &[
    "psql",
    "pg_dump",
    "pg_dumpall",
    "pg_restore",
    "pg_basebackup",
    "pgbench",
    "pg_isready",
    "mongosh",
    "mongo",
    "mongodump",
    "mongorestore",
    "mongoexport",
    "mongoimport",
    "redis-cli",
    "migrate",
    "dbmate",
    "goose",
    "atlas",
    "sqitch",
    "usql",
    "pgcli",
    "mycli",
    "liquibase",
    "flyway",
];

/// `name` is one of the config file's `password-variables` (compared as `is_password_var` does,
/// without regard to case).
pub fn is_listed(names: &[String], name: &str) -> bool {
    let name = name.trim();
    names.iter().any(|x| x.trim().eq_ignore_ascii_case(name))
}

/// Credentials held by the extra password variables of the config file (`password-variables`),
/// everywhere a built-in name is read: Compose `environment:`, `.env` files, CI `env:`/`variables:`,
/// shell assignments, `${NAME:=…}` and `docker run -e`. Runs after [`FileFacts::extract`], so the
/// new spans are masked like the others.
pub fn apply_password_variables(facts: &mut FileFacts, names: &[String]) {
    use crate::classify::FileKind;
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
        from_env_entries_with(facts, &environment, &Origin::ComposeEnv { service }, &is_pw);
    }
    if facts.kind == FileKind::DotEnv && !is_env_template(&facts.file.path) {
        let entries = facts.dotenv.clone();
        from_env_entries_with(facts, &entries, &Origin::DotEnv, &is_pw);
    }
    if matches!(facts.kind, FileKind::GithubWorkflow | FileKind::GitlabCi) {
        // The CI layer's tree is not kept; parsing again only happens with the setting.
        let parsed = super::yaml::parse(&facts.file.text);
        from_ci_yaml_with(facts, &parsed, &is_pw);
    }
    for f in shell_named(facts, &is_pw) {
        push(facts, f);
    }
}

/// Credentials in the file's shell (scripts and shell embedded anywhere).
pub fn from_shell(facts: &mut FileFacts) {
    let mut found = shell_named(facts, &is_password_var);
    for command in &facts.shell.commands {
        let Some(program) = command.program() else {
            continue;
        };
        if MYSQL_CLIENTS.contains(&program.as_str()) {
            found.extend(mysql_password(facts, command, &program));
        }
        let args: Vec<&Word> = command.args().collect();
        if REDIS_PROGRAMS.contains(&program.as_str()) {
            found.extend(redis_password(facts, &args, &program));
        }
        if MONGO_PROGRAMS.contains(&program.as_str()) {
            found.extend(mongo_password(facts, &args, &program));
        }
        // `docker run -d redis:7 redis-server --requirepass …`: the container's command.
        if matches!(program.as_str(), "docker" | "podman" | "nerdctl")
            && args.first().is_some_and(|w| w.is("run") || w.is("create"))
            && let Some(at) = args.iter().position(|w| {
                w.literal()
                    .is_some_and(|l| REDIS_PROGRAMS.contains(&l.rsplit('/').next().unwrap_or(&l)))
            })
            && let Some(inner) = args[at].literal()
        {
            let inner = inner.rsplit('/').next().unwrap_or(&inner).to_string();
            found.extend(redis_password(facts, &args[at + 1..], &inner));
        }
        if MYSQL_CLIENTS.contains(&program.as_str()) || DB_CLIENTS.contains(&program.as_str()) {
            for word in command.args() {
                found.extend(shell_urls(
                    facts,
                    word,
                    &format!("given to `{program}`"),
                    Origin::ShellUrl {
                        program: program.clone(),
                    },
                ));
            }
        }
    }
    for f in found {
        push(facts, f);
    }
}

/// Shell credentials found by a variable's name (`is_pw`): assignments, `${NAME:=default}`
/// expansions and `docker run -e NAME=…`.
fn shell_named(facts: &FileFacts, is_pw: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let mut found = Vec::new();
    for a in &facts.shell.assignments {
        // URLs are read as written, so `postgres://u:pw@${HOST}/db` is found too.
        found.extend(shell_urls(
            facts,
            &a.value,
            &format!("in `{}`", a.name),
            Origin::ShellAssignment,
        ));
        let Some(literal) = a.value.literal() else {
            continue;
        };
        if is_pw(&a.name)
            && let Some((mut class, span)) = shell_secret(facts, &a.value, &literal)
        {
            // `if [ -z "$X" ]; then X=root; fi`: a default, as `${X:-root}` is.
            if class == SecretClass::Literal && is_unset_fallback(facts, a) {
                class = SecretClass::Default;
            }
            found.push(Found {
                by_name: true,
                span,
                name: a.name.clone(),
                origin: Origin::ShellAssignment,
                class,
                value_chars: literal.chars().count(),
                well_known: is_well_known(&literal, None),
            });
        }
    }
    // `: "${MYSQL_ROOT_PASSWORD:=root}"` assigns its default when the variable is unset.
    let words = facts
        .shell
        .commands
        .iter()
        .flat_map(|c| c.argv.iter())
        .chain(facts.shell.assignments.iter().map(|a| &a.value));
    for word in words {
        let host = facts.file.slice(word.span);
        if !host.contains("${") {
            continue;
        }
        // Only real expansions: `'${PGPASSWORD:=x}'` in single quotes is text.
        let expandable = blank_single_quoted(host);
        for (name, s, e) in assign_defaults(&expandable) {
            let Some(secret) = host.get(s..e) else {
                continue;
            };
            if !is_pw(name) {
                continue;
            }
            let class = if is_placeholder(secret) {
                SecretClass::Placeholder
            } else {
                SecretClass::Default
            };
            found.push(Found {
                by_name: true,
                span: Span::new(word.span.start() + s, word.span.start() + e),
                name: name.to_string(),
                origin: Origin::ShellAssignment,
                class,
                value_chars: secret.chars().count(),
                well_known: is_well_known(secret, None),
            });
        }
    }
    for command in &facts.shell.commands {
        // `env MYSQL_PWD=… mysql`, `sudo PGPASSWORD=… psql` (a plain prefix is an assignment too:
        // the same span is kept once).
        for (name, value) in &command.env {
            let Some(literal) = value.literal() else {
                continue;
            };
            if is_pw(name)
                && let Some((class, span)) = shell_secret(facts, value, &literal)
            {
                found.push(Found {
                    by_name: true,
                    span,
                    name: name.clone(),
                    origin: Origin::ShellAssignment,
                    class,
                    value_chars: literal.chars().count(),
                    well_known: is_well_known(&literal, None),
                });
            }
        }
        let Some(program) = command.program_name() else {
            continue;
        };
        if matches!(program.as_ref(), "docker" | "podman" | "nerdctl") {
            found.extend(container_env(facts, command, &program, is_pw));
        }
    }
    found.sort_by_key(|f| f.span);
    found
}

/// `${NAME:=literal}` / `${NAME=literal}` in shell text: `(name, default range)`. A default
/// that expands anything (`${A:=$B}`) is not a literal.
/// A shell word's text with its single-quoted parts (quotes included) blanked out, byte for
/// byte, so offsets still match: what is left is where the shell expands `${…}`.
fn blank_single_quoted(word: &str) -> String {
    let mut out = Vec::with_capacity(word.len());
    let (mut single, mut double, mut escaped) = (false, false, false);
    for &b in word.as_bytes() {
        if single {
            single = b != b'\'';
            out.push(b' ');
            continue;
        }
        if escaped {
            escaped = false;
        } else if b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            double = !double;
        } else if b == b'\'' && !double {
            single = true;
            out.push(b' ');
            continue;
        }
        out.push(b);
    }
    // Only ASCII bytes were replaced, and by ASCII: the text stays UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

fn assign_defaults(text: &str) -> Vec<(&str, usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text[from..].find("${") {
        let open = from + rel;
        from = open + 2;
        let inner = &text[from..];
        let name_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let rest = &inner[name_len..];
        let op = if rest.starts_with(":=") {
            2
        } else if rest.starts_with('=') {
            1
        } else {
            continue;
        };
        let arg = &rest[op..];
        let Some(close) = arg.find('}') else { continue };
        let value = &arg[..close];
        let value = value
            .strip_prefix(['"', '\''])
            .and_then(|v| v.strip_suffix(['"', '\'']))
            .unwrap_or(value);
        if name_len == 0 || value.is_empty() || value.contains(['$', '{', '`']) {
            continue;
        }
        let at = from + name_len + op + arg[..close].find(value).unwrap_or(0);
        out.push((&inner[..name_len], at, at + value.len()));
    }
    out
}

/// The assignment runs only when its variable is unset or empty: in the `then` branch of
/// `if [ -z "$X" ]`, the `else` of `if [ -n "$X" ]`, or after `[ -z "$X" ] &&` / `[ -n "$X" ] ||`.
fn is_unset_fallback(facts: &FileFacts, a: &super::shell::Assignment) -> bool {
    use super::shell::Scope;
    match a.scopes.last() {
        Some(Scope::IfBranch {
            branch, condition, ..
        }) => {
            if let Some(negated) = condition
                .strip_prefix("not (")
                .and_then(|c| c.strip_suffix(')'))
            {
                *branch > 0 && tests_variable(negated, &a.name) == Some(true)
            } else {
                *branch == 0 && tests_variable(condition, &a.name) == Some(false)
            }
        }
        Some(Scope::AndOr { op, .. }) => {
            // The left side is on the same line before the operator, or on the line above
            // (`[ -z "$X" ] &&` then `  X=root`).
            let text = &facts.file.text;
            let start = a.name_span.start().min(text.len());
            let mut line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            if text[line_start..start].trim().is_empty() && line_start > 0 {
                line_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
            }
            let mut left = text[line_start..start].trim_end();
            // `… && export PGPASSWORD=…`: the declaration keyword is not the operator.
            while let Some((before, last)) = left.rsplit_once(char::is_whitespace)
                && (matches!(
                    last,
                    "export" | "local" | "readonly" | "declare" | "typeset"
                ) || (last.starts_with('-') && last.len() > 1))
            {
                left = before.trim_end();
            }
            let (left, want_set) = if let Some(l) = left.strip_suffix("&&") {
                (l, false)
            } else if let Some(l) = left.strip_suffix("||") {
                (l, true)
            } else {
                return false;
            };
            op == if want_set { "||" } else { "&&" }
                && tests_variable(left, &a.name) == Some(want_set)
        }
        _ => false,
    }
}

/// What a test condition says about variable `name`: `Some(false)` when it holds if the
/// variable is empty (`-z "$X"`, `! -n "$X"`, `"$X" = ""`), `Some(true)` when it holds if the
/// variable is set (`-n "$X"`, `"$X" != ""`), `None` when it says neither.
fn tests_variable(condition: &str, name: &str) -> Option<bool> {
    let words: Vec<&str> = condition
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'', ';']))
        .collect();
    let is_ref = |w: &str| {
        w.strip_prefix('$') == Some(name)
            || w.strip_prefix("${").is_some_and(|r| {
                r.strip_prefix(name)
                    .is_some_and(|t| t.starts_with(['}', ':', '-', '+']))
            })
    };
    for (i, w) in words.iter().enumerate() {
        let Some(next) = words.get(i + 1) else { break };
        let negated = i > 0 && words[i - 1] == "!";
        if (*w == "-z" || *w == "-n") && is_ref(next) {
            return Some((*w == "-n") != negated);
        }
        let next2 = words.get(i + 2).copied();
        if matches!(*next, "=" | "==" | "!=") {
            let other = match (is_ref(w), next2) {
                (true, Some(o)) => Some(o),
                (false, Some(o)) if w.is_empty() && is_ref(o) => Some(*w),
                _ => None,
            };
            if other == Some("") {
                return Some((*next == "!=") != negated);
            }
        }
    }
    None
}

fn shell_urls(facts: &FileFacts, word: &Word, what: &str, origin: Origin) -> Vec<Found> {
    // Read the word as written: `$VAR` in a URL's password is not a literal.
    let host = facts.file.slice(word.span);
    let mut out = Vec::new();
    for (scheme, user, s, e) in url_passwords(host) {
        let pw = &host[s..e];
        let Some((class, ps, pe)) = classify_raw(pw) else {
            continue;
        };
        let secret = &pw[ps..pe];
        out.push(Found {
            by_name: true,
            span: Span::new(word.span.start() + s + ps, word.span.start() + s + pe),
            name: format!("the {scheme}:// URL {what}"),
            origin: origin.clone(),
            class,
            value_chars: secret.chars().count(),
            well_known: is_well_known(secret, Some(&user)),
        });
    }
    out
}

/// `docker run -e POSTGRES_PASSWORD=secret` (also `--env NAME=…`, `--env=NAME=…`, `-eNAME=…`).
fn container_env(
    facts: &FileFacts,
    command: &Command,
    program: &str,
    is_pw: &dyn Fn(&str) -> bool,
) -> Vec<Found> {
    let mut out = Vec::new();
    let args: Vec<&Word> = command.args().collect();
    for (i, word) in args.iter().enumerate() {
        let Some(text) = word.literal() else { continue };
        let (assignment, value_word) = if text == "-e" || text == "--env" {
            match args.get(i + 1) {
                Some(next) => (next.literal(), *next),
                None => continue,
            }
        } else if let Some(rest) = text.strip_prefix("--env=") {
            (Some(rest.to_string()), *word)
        } else if let Some(rest) = text.strip_prefix("-e").filter(|r| r.contains('=')) {
            (Some(rest.to_string()), *word)
        } else {
            continue;
        };
        let Some(assignment) = assignment else {
            continue;
        };
        let Some((name, value)) = assignment.split_once('=') else {
            continue;
        };
        if !is_pw(name) || value.is_empty() {
            continue;
        }
        if let Some((class, span)) = shell_secret(facts, value_word, value) {
            out.push(Found {
                by_name: true,
                span,
                name: format!("`{name}` given to `{program}`"),
                origin: Origin::ShellFlag {
                    program: program.to_string(),
                },
                class,
                value_chars: value.chars().count(),
                well_known: is_well_known(value, None),
            });
        }
    }
    out
}

const REDIS_PROGRAMS: &[&str] = &[
    "redis-cli",
    "valkey-cli",
    "keydb-cli",
    "redis-server",
    "valkey-server",
    "keydb-server",
    "redis-sentinel",
];

/// The argument that is a Redis password: the word after `-a`/`--pass` (clients),
/// `--requirepass`/`--masterauth` (servers), or `CONFIG SET requirepass|masterauth`.
fn redis_password_at(words: &[Option<String>]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(w) = w.as_deref() else { continue };
        let flag = match w {
            "-a" | "--pass" | "--requirepass" | "--masterauth" => Some(w.to_string()),
            _ if w.eq_ignore_ascii_case("set")
                && i > 0
                && words[i - 1]
                    .as_deref()
                    .is_some_and(|p| p.eq_ignore_ascii_case("config")) =>
            {
                match words.get(i + 1).and_then(|n| n.as_deref()) {
                    Some(key)
                        if key.eq_ignore_ascii_case("requirepass")
                            || key.eq_ignore_ascii_case("masterauth") =>
                    {
                        out.push((i + 2, format!("CONFIG SET {}", key.to_ascii_lowercase())));
                    }
                    _ => {}
                }
                None
            }
            _ => None,
        };
        if let Some(flag) = flag {
            out.push((i + 1, flag));
        }
    }
    out
}

const MONGO_PROGRAMS: &[&str] = &[
    "mongosh",
    "mongo",
    "mongodump",
    "mongorestore",
    "mongoexport",
    "mongoimport",
    "mongostat",
    "mongotop",
    "mongofiles",
];

/// A MongoDB tool's password: `-p SECRET`, `--password SECRET`, `--password=SECRET`
/// (`(word index, byte offset of the value in it, flag)`). `-p` followed by an option or nothing
/// prompts.
fn mongo_password_at(words: &[Option<String>]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(w) = w.as_deref() else { continue };
        if w == "-p" || w == "--password" {
            let next = words.get(i + 1).and_then(|n| n.as_deref());
            if next.is_some_and(|n| !n.is_empty() && !n.starts_with('-')) {
                out.push((i + 1, 0, w.to_string()));
            }
        } else if w.starts_with("--password=") {
            out.push((i, "--password=".len(), "--password".to_string()));
        }
    }
    out
}

/// A password given to `program` with `flag` as the literal `secret` of `word`.
fn flag_secret(
    facts: &FileFacts,
    word: &Word,
    secret: &str,
    program: &str,
    flag: &str,
) -> Option<Found> {
    let (class, span) = shell_secret(facts, word, secret)?;
    Some(Found {
        by_name: true,
        span,
        name: format!("given with `{program} {flag}`"),
        origin: Origin::ShellFlag {
            program: program.to_string(),
        },
        class,
        value_chars: secret.chars().count(),
        well_known: is_well_known(secret, None),
    })
}

/// `mongosh -u root -p SECRET`, `mongodump --password=SECRET`.
fn mongo_password(facts: &FileFacts, args: &[&Word], program: &str) -> Vec<Found> {
    let literals: Vec<Option<String>> = args.iter().map(|w| w.literal()).collect();
    let mut out = Vec::new();
    for (at, offset, flag) in mongo_password_at(&literals) {
        let (Some(word), Some(Some(text))) = (args.get(at), literals.get(at)) else {
            continue;
        };
        let Some(secret) = text.get(offset..).filter(|s| !s.is_empty()) else {
            continue;
        };
        out.extend(flag_secret(facts, word, secret, program, &flag));
    }
    out
}

/// `redis-cli -a SECRET`, `redis-cli --pass SECRET`, `redis-server --requirepass SECRET`,
/// `redis-cli CONFIG SET requirepass SECRET` (`--askpass` prompts; `$REDIS_PASSWORD` is no literal).
fn redis_password(facts: &FileFacts, args: &[&Word], program: &str) -> Vec<Found> {
    let literals: Vec<Option<String>> = args.iter().map(|w| w.literal()).collect();
    let mut out = Vec::new();
    for (at, flag) in redis_password_at(&literals) {
        let (Some(word), Some(Some(secret))) = (args.get(at), literals.get(at)) else {
            continue;
        };
        if secret.is_empty() {
            continue;
        }
        out.extend(flag_secret(facts, word, secret, program, &flag));
    }
    out
}

/// A password on a Compose `command:`/`entrypoint:`/`healthcheck:` run without a shell
/// (`redis-server --requirepass SECRET`, `mysqladmin ping -pSECRET`, string or list form).
/// Compose interpolates the words, so `${REDIS_PASSWORD:?}` is no literal, `${REDIS_PASSWORD:-dev}`
/// is a default, and `$$REDIS_PASSWORD` is left to the container.
pub fn from_compose_argv(facts: &mut FileFacts, argv: &[Spanned], service: &str, key: &str) {
    let words: Vec<Option<String>> = argv.iter().map(|w| Some(w.value.clone())).collect();
    // (word index, byte offset of the value in the word, what names it)
    let basename = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    let mut hits: Vec<(usize, usize, String)> = redis_password_at(&words)
        .into_iter()
        .map(|(at, flag)| {
            // Name the program when the words say it (`redis-cli -a`), else the flag alone.
            let program = argv[..at.saturating_sub(1)]
                .iter()
                .rev()
                .map(|w| basename(&w.value))
                .find(|p| REDIS_PROGRAMS.contains(&p.as_str()));
            let what = match program {
                Some(p) => format!("{p} {flag}"),
                None => flag,
            };
            (at, 0, what)
        })
        .collect();
    if let Some(client) = argv
        .iter()
        .position(|w| MYSQL_CLIENTS.contains(&basename(&w.value).as_str()))
    {
        let program = basename(&argv[client].value);
        for (i, word) in argv.iter().enumerate().skip(client + 1) {
            if word.value.starts_with("--password=") {
                hits.push((i, "--password=".len(), format!("{program} --password")));
            } else if word.value.starts_with("-p") && word.value.len() > 2 {
                hits.push((i, 2, format!("{program} -p")));
            }
        }
    }
    if let Some(client) = argv
        .iter()
        .position(|w| MONGO_PROGRAMS.contains(&basename(&w.value).as_str()))
    {
        let program = basename(&argv[client].value);
        for (at, offset, flag) in mongo_password_at(&words[client + 1..]) {
            hits.push((client + 1 + at, offset, format!("{program} {flag}")));
        }
    }
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

/// `-pSECRET` or `--password=SECRET` (`-p` alone prompts; `-P` is the port).
fn mysql_password(facts: &FileFacts, command: &Command, program: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for word in command.args() {
        // `-p$DB_PASS` with DB_PASS unknown is not a literal.
        let Some(text) = word.literal() else { continue };
        let (flag, secret) = if let Some(v) = text.strip_prefix("--password=") {
            ("--password", v)
        } else if let Some(v) = text.strip_prefix("-p") {
            if text.starts_with("--") {
                continue;
            }
            ("-p", v)
        } else {
            continue;
        };
        if secret.is_empty() {
            continue;
        }
        out.extend(flag_secret(facts, word, secret, program, flag));
    }
    out
}

/// A `.env.example`/`.sample`/`.template`/`.dist` file: documentation, not configuration.
pub fn is_env_template(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    [
        "example", "sample", "template", "dist", "tmpl", "tpl", "defaults",
    ]
    .iter()
    .any(|t| name.split(['.', '-', '_']).any(|p| p == *t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_names() {
        for n in [
            "POSTGRES_PASSWORD",
            "MARIADB_ROOT_PASSWORD",
            "APP_DB_PASSWORD",
            "PGPASSWORD",
            "NEO4J_AUTH",
        ] {
            assert!(is_password_var(n), "{n}");
        }
        for n in [
            "POSTGRES_PASSWORD_FILE",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
            "POSTGRES_USER",
        ] {
            assert!(!is_password_var(n), "{n}");
        }
    }

    #[test]
    fn raw_values() {
        assert_eq!(classify_raw("${PW}"), None);
        assert_eq!(classify_raw("${PW:?set it}"), None);
        assert_eq!(classify_raw(""), None);
        assert_eq!(classify_raw("hunter2"), Some((SecretClass::Literal, 0, 7)));
        assert_eq!(
            classify_raw("${PW:-hunter2}"),
            Some((SecretClass::Default, 6, 13))
        );
        assert_eq!(
            classify_raw("changeme").map(|c| c.0),
            Some(SecretClass::Placeholder)
        );
        assert_eq!(
            classify_raw("<password>").map(|c| c.0),
            Some(SecretClass::Placeholder)
        );
        assert_eq!(
            classify_raw("SOME_SECRET").map(|c| c.0),
            Some(SecretClass::Placeholder)
        );
    }

    #[test]
    fn urls() {
        let t = "DATABASE_URL=postgresql+psycopg2://app:pw1@db:5432/app?x=1 redis://:pw2@cache:6379 mongodb+srv://u@h/x";
        let found = url_passwords(t);
        let pws: Vec<&str> = found.iter().map(|(_, _, s, e)| &t[*s..*e]).collect();
        assert_eq!(pws, ["pw1", "pw2"]);
        assert_eq!(found[0].0, "postgresql");
        assert!(url_passwords("https://user:pw@example.com/").is_empty());
    }

    #[test]
    fn templates() {
        assert!(is_env_template(".env.example"));
        assert!(is_env_template("config/.env.sample"));
        assert!(is_env_template("env.template"));
        assert!(!is_env_template(".env"));
        assert!(!is_env_template(".env.production"));
    }

    #[test]
    fn shell_variables_point_at_their_literal() {
        use crate::classify::FileKind;
        use crate::levels::Context;
        use crate::source::SourceFile;
        let text = "PW=s3cret-pw\nmysql -uroot -p$PW shop\nmysql -p\"${MYSQL_PW:-fallback1}\"\nmysql -p\"$UNKNOWN\"\n";
        let facts = FileFacts::extract(
            SourceFile::new("x.sh", text),
            FileKind::Shell,
            Context::Production,
        );
        let got: Vec<(&str, SecretClass)> = facts
            .credentials
            .iter()
            .map(|c| (&text[c.span.start()..c.span.end()], c.class))
            .collect();
        assert_eq!(
            got,
            [
                ("s3cret-pw", SecretClass::Literal),
                ("fallback1", SecretClass::Default)
            ]
        );
        assert!(!facts.redacted_text().contains("s3cret-pw"));
    }

    #[test]
    fn unset_tests() {
        for c in [
            "[ -z \"$PW\" ]",
            "[[ -z $PW ]]",
            "test -z \"${PW:-}\"",
            "[ ! -n \"$PW\" ]",
            "[ \"$PW\" = \"\" ]",
            "[ \"\" == \"${PW}\" ]",
        ] {
            assert_eq!(tests_variable(c, "PW"), Some(false), "{c}");
        }
        for c in ["[ -n \"$PW\" ]", "[[ $PW != '' ]]", "[ ! -z \"${PW+x}\" ]"] {
            assert_eq!(tests_variable(c, "PW"), Some(true), "{c}");
        }
        for c in [
            "[ -z \"$PW_OLD\" ]",
            "[ \"$ENV\" = prod ]",
            "[ -f /run/secrets/pw ]",
            "[ \"$PW\" = x ]",
        ] {
            assert_eq!(tests_variable(c, "PW"), None, "{c}");
        }
    }

    #[test]
    fn assigned_defaults() {
        let t = ": \"${PGPASSWORD:=hunter2}\" ${A=b} ${C:=$(cat f)} ${D:-x} ${E:='q'}";
        let got: Vec<(&str, &str)> = assign_defaults(t)
            .into_iter()
            .map(|(n, s, e)| (n, &t[s..e]))
            .collect();
        assert_eq!(got, [("PGPASSWORD", "hunter2"), ("A", "b"), ("E", "q")]);
    }

    #[test]
    fn mongo_password_words() {
        let words = |s: &str| -> Vec<Option<String>> {
            s.split(' ').map(|w| Some(w.to_string())).collect()
        };
        assert_eq!(
            mongo_password_at(&words("-u root -p pw --eval x")),
            [(3, 0, "-p".to_string())]
        );
        assert_eq!(
            mongo_password_at(&words("--password=pw --db x")),
            [(0, 11, "--password".to_string())]
        );
        assert!(mongo_password_at(&words("-u root -p --authenticationDatabase admin")).is_empty());
        assert!(mongo_password_at(&words("-u root -p")).is_empty());
    }

    #[test]
    fn redis_password_words() {
        let words = |s: &str| -> Vec<Option<String>> {
            s.split(' ').map(|w| Some(w.to_string())).collect()
        };
        assert_eq!(
            redis_password_at(&words("-h h -a pw ping")),
            [(3, "-a".to_string())]
        );
        assert_eq!(
            redis_password_at(&words("--requirepass pw --masterauth pw2")),
            [
                (1, "--requirepass".to_string()),
                (3, "--masterauth".to_string())
            ]
        );
        assert_eq!(
            redis_password_at(&words("config set requirepass pw")),
            [(3, "CONFIG SET requirepass".to_string())]
        );
        assert!(redis_password_at(&words("--askpass ping")).is_empty());
        assert!(redis_password_at(&words("config set maxmemory 1gb")).is_empty());
    }

    #[test]
    fn single_quoted_text_is_not_expanded() {
        assert_eq!(blank_single_quoted("a'${X}'b"), "a      b");
        assert_eq!(blank_single_quoted("\"'${X:=v}'\""), "\"'${X:=v}'\"");
        assert_eq!(blank_single_quoted("\\'${X}"), "\\'${X}");
        assert_eq!(blank_single_quoted("'é'${X:=v}"), "    ${X:=v}");
    }

    #[test]
    fn extra_password_variables() {
        use crate::classify::FileKind;
        use crate::levels::Context;
        use crate::source::SourceFile;
        let text = "export APP_DB_SECRET=s3cret-pw\nOTHER=x\n: \"${ACME_PW:=dflt-pw}\"\n";
        let mut facts = FileFacts::extract(
            SourceFile::new("x.sh", text),
            FileKind::Shell,
            Context::Production,
        );
        assert!(facts.credentials.is_empty());
        apply_password_variables(&mut facts, &["app_db_secret".into(), "ACME_PW".into()]);
        let got: Vec<(&str, SecretClass)> = facts
            .credentials
            .iter()
            .map(|c| (&text[c.span.start()..c.span.end()], c.class))
            .collect();
        assert_eq!(
            got,
            [
                ("s3cret-pw", SecretClass::Literal),
                ("dflt-pw", SecretClass::Default)
            ]
        );
        assert!(!facts.redacted_text().contains("s3cret-pw"));
    }
}
