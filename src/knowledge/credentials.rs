//! What a database password looks like where a repository writes one: the variables that hold
//! one, names that merely look secret, placeholders, passwords everyone tries first, and the
//! connection URLs that carry one (`rules/credentials.toml`, shipped as data and read once), plus
//! the config file's extra `password-variables`.
//!
//! Every front-end that finds credentials asks these questions (Compose, `.env`, CI YAML, shell,
//! and config files next); none of them keeps its own list. This module only judges names and
//! values handed to it: where they are written is the front-ends' business, and it never keeps or
//! returns a secret's text, only ranges into text the caller already holds.

use std::sync::OnceLock;

use serde::Deserialize;

const TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/credentials.toml"
));

/// A name or value that starts with `prefix` and ends with `suffix` (either may be empty).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
}

impl Pattern {
    fn matches(&self, text: &str) -> bool {
        text.starts_with(&self.prefix) && text.ends_with(&self.suffix)
    }
}

/// `[password-variables]`: which variable names hold a database password.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PasswordVariables {
    pub names: Vec<String>,
    pub patterns: Vec<Pattern>,
    pub not_ending: Vec<String>,
    pub not_containing: Vec<String>,
    pub secret_words: Vec<String>,
    pub user_slash_password: Vec<String>,
    pub redis_flag_variables: Vec<String>,
}

/// `[placeholders]`: values that stand for a password to be filled in.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placeholders {
    pub words: Vec<String>,
    pub patterns: Vec<Pattern>,
}

/// `[well-known-passwords]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WellKnown {
    pub values: Vec<String>,
}

/// `[connection-urls]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionUrls {
    pub schemes: Vec<String>,
}

/// `[password-flags]`: programs that take a password on their command line, by family (how each
/// family reads its words is [`crate::knowledge::password_flags`]).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PasswordPrograms {
    pub mysql: Vec<String>,
    pub redis: Vec<String>,
    pub mongo: Vec<String>,
    /// Long options of any program that set a database password (`--db-root-password`).
    pub setup_options: Vec<String>,
    pub url_clients: Vec<String>,
}

/// The credentials table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CredentialTable {
    pub password_variables: PasswordVariables,
    pub placeholders: Placeholders,
    pub well_known_passwords: WellKnown,
    pub connection_urls: ConnectionUrls,
    pub password_flags: PasswordPrograms,
}

impl CredentialTable {
    /// The shipped table (parsed once; a broken table is a build-time bug caught by the tests).
    pub fn builtin() -> &'static CredentialTable {
        static BUILTIN: OnceLock<CredentialTable> = OnceLock::new();
        BUILTIN.get_or_init(|| toml::from_str(TABLE).unwrap_or_default())
    }
}

fn listed(list: &[String], name: &str) -> bool {
    list.iter().any(|x| x == name)
}

/// Variables that hold a database password.
pub fn is_password_var(name: &str) -> bool {
    let t = &CredentialTable::builtin().password_variables;
    let n = name.to_ascii_uppercase();
    if t.not_ending.iter().any(|s| n.ends_with(s.as_str()))
        || t.not_containing.iter().any(|s| n.contains(s.as_str()))
    {
        return false;
    }
    listed(&t.names, &n) || t.patterns.iter().any(|p| p.matches(&n))
}

/// A name that may hold a password (`DB_PASS_PROD`, `PG_PWD`, `APP_SECRET`): masked in `.env`
/// files, reported when Compose uses it for a database password.
pub fn looks_like_password_name(name: &str) -> bool {
    let t = &CredentialTable::builtin().password_variables;
    let n = name.to_ascii_uppercase();
    !t.not_ending.iter().any(|s| n.ends_with(s.as_str()))
        && t.secret_words
            .iter()
            .any(|w| n.split('_').any(|part| part == w) || n.contains("PASSWORD"))
}

/// A variable whose value is `user/password` (`NEO4J_AUTH`).
pub fn is_user_slash_password(name: &str) -> bool {
    let t = &CredentialTable::builtin().password_variables;
    t.user_slash_password
        .iter()
        .any(|x| x.eq_ignore_ascii_case(name))
}

/// A variable holding a Redis server's command-line flags (`REDIS_ARGS: "--requirepass …"`).
pub fn is_redis_flag_variable(name: &str) -> bool {
    let t = &CredentialTable::builtin().password_variables;
    listed(&t.redis_flag_variables, &name.to_ascii_uppercase())
}

/// `name` is one of the config file's `password-variables` (compared as [`is_password_var`]
/// does, without regard to case).
pub fn is_listed(names: &[String], name: &str) -> bool {
    let name = name.trim();
    names.iter().any(|x| x.trim().eq_ignore_ascii_case(name))
}

/// An obvious placeholder rather than a real secret.
pub fn is_placeholder(value: &str) -> bool {
    let t = &CredentialTable::builtin().placeholders;
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if v.starts_with('<') && v.ends_with('>') {
        return true;
    }
    if lower.len() >= 3 && lower.chars().all(|c| c == 'x' || c == '*' || c == '.') {
        return true;
    }
    let squashed: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    if listed(&t.words, &squashed) || t.patterns.iter().any(|p| p.matches(&squashed)) {
        return true;
    }
    // `SOME_SECRET`, `YOUR_DB_PASSWORD`: an upper-case name standing for a value.
    v.len() > 3
        && v.contains('_')
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
}

/// A password everyone tries first (or the user name it goes with).
pub fn is_well_known(value: &str, user: Option<&str>) -> bool {
    let t = &CredentialTable::builtin().well_known_passwords;
    let lower = value.to_ascii_lowercase();
    listed(&t.values, &lower) || user.is_some_and(|u| !u.is_empty() && u == value)
}

/// A password inside a database connection URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlPassword {
    /// The scheme, driver suffix and `jdbc:` prefix left out (`postgresql`, `mongodb+srv`).
    pub scheme: String,
    /// The user name before the password (for the "password equals user name" check).
    pub user: String,
    /// The password's byte range in the text searched.
    pub start: usize,
    pub end: usize,
}

/// The passwords of the database connection URLs in `text` (`postgres://u:pw@h/db`), in order.
pub fn url_passwords(text: &str) -> Vec<UrlPassword> {
    let schemes = &CredentialTable::builtin().connection_urls.schemes;
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
        if !listed(schemes, base) {
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
            out.push(UrlPassword {
                scheme: base.to_string(),
                user: userinfo[..colon].to_string(),
                start,
                end: stop,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses() {
        let t: CredentialTable = toml::from_str(TABLE).expect("rules/credentials.toml parses");
        assert!(t.password_variables.names.len() > 20);
        assert!(!t.placeholders.words.is_empty());
        assert!(!t.well_known_passwords.values.is_empty());
        assert!(!t.connection_urls.schemes.is_empty());
        assert!(!t.password_flags.mysql.is_empty());
    }

    #[test]
    fn password_names() {
        for n in [
            "POSTGRES_PASSWORD",
            "MARIADB_ROOT_PASSWORD",
            "APP_DB_PASSWORD",
            "PGPASSWORD",
            "NEO4J_AUTH",
            "mysql_password",
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
        assert!(looks_like_password_name("DB_PASS_PROD"));
        assert!(looks_like_password_name("pg_pwd"));
        assert!(!looks_like_password_name("APP_SECRET_FILE"));
        assert!(!looks_like_password_name("PASSPORT_URL"));
        assert!(is_user_slash_password("neo4j_auth"));
        assert!(is_redis_flag_variable("REDIS_ARGS"));
    }

    #[test]
    fn placeholders_and_defaults() {
        for v in [
            "changeme",
            "Change-Me!",
            "<password>",
            "xxxx",
            "your_db_password",
            "SOME_SECRET",
            "replace-with-a-real-one",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        for v in ["hunter2", "s3cret-pw", "Secret_1"] {
            assert!(!is_placeholder(v), "{v}");
        }
        assert!(is_well_known("Postgres", None));
        assert!(is_well_known("app", Some("app")));
        assert!(!is_well_known("app", Some("")));
        assert!(!is_well_known("k7#Qz", None));
    }

    #[test]
    fn urls() {
        let t = "DATABASE_URL=postgresql+psycopg2://app:pw1@db:5432/app?x=1 redis://:pw2@cache:6379 mongodb+srv://u@h/x jdbc:mysql://r:pw3@h/db";
        let found = url_passwords(t);
        let pws: Vec<&str> = found.iter().map(|u| &t[u.start..u.end]).collect();
        assert_eq!(pws, ["pw1", "pw2", "pw3"]);
        assert_eq!(found[0].scheme, "postgresql");
        assert_eq!(found[0].user, "app");
        assert_eq!(found[2].scheme, "mysql");
        assert!(url_passwords("https://user:pw@example.com/").is_empty());
    }
}
