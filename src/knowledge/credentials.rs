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

/// Settings of one configuration format that hold a password or a connection URL.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingKeys {
    pub passwords: Vec<String>,
    pub urls: Vec<String>,
}

/// `[config-settings]`: by configuration format.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSettings {
    pub spring: SettingKeys,
    pub flyway: SettingKeys,
    pub liquibase: SettingKeys,
}

/// What a configuration setting holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingRole {
    Password,
    Url,
}

impl SettingKeys {
    /// What the setting `key` holds, if it is listed (compared as Spring's relaxed binding
    /// does: without case, `-` or `_`; `*` is one segment).
    pub fn role(&self, key: &str) -> Option<SettingRole> {
        let norm = |k: &str| -> String {
            k.chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let key = norm(key);
        let segments: Vec<&str> = key.split('.').collect();
        let matches = |pattern: &String| {
            let pattern = norm(pattern);
            let parts: Vec<&str> = pattern.split('.').collect();
            parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| *p == "*" || p == s)
        };
        if self.passwords.iter().any(matches) {
            Some(SettingRole::Password)
        } else if self.urls.iter().any(matches) {
            Some(SettingRole::Url)
        } else {
            None
        }
    }
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
    pub config_settings: ConfigSettings,
}

/// The settings of configuration formats that hold passwords (`[config-settings]`).
pub fn config_settings() -> &'static ConfigSettings {
    &CredentialTable::builtin().config_settings
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

/// A password inside a database connection URL or libpq connection string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlPassword {
    /// The scheme, driver suffix and `jdbc:` prefix left out (`postgresql`, `mongodb+srv`);
    /// empty for a libpq keyword/value string (`host=db password=…`).
    pub scheme: String,
    /// The user name before the password (for the "password equals user name" check).
    pub user: String,
    /// The password's byte range in the text searched.
    pub start: usize,
    pub end: usize,
}

impl UrlPassword {
    /// How a message names where the password is: `postgres:// URL`, `libpq connection string`.
    pub fn what(&self) -> String {
        if self.scheme.is_empty() {
            "libpq connection string".to_string()
        } else if self.scheme == crate::knowledge::connection_strings::KEYWORD_STRING {
            "connection string".to_string()
        } else if self.scheme == crate::knowledge::connection_strings::ORACLE_THIN {
            "Oracle JDBC connection string".to_string()
        } else {
            format!("{}:// URL", self.scheme)
        }
    }
}

/// libpq connection keywords: a `password=` among them is a connection string's password.
const LIBPQ_KEYWORDS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "sslmode",
    "connect_timeout",
    "application_name",
    "service",
    "options",
    "target_session_attrs",
];

/// The passwords of libpq keyword/value connection strings in `text`
/// (`host=db user=app password=secret dbname=shop`, values bare or in single quotes): a
/// `password=` counts when another libpq keyword stands next to it in the same string.
pub fn conninfo_passwords(text: &str) -> Vec<UrlPassword> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(rel) = lower[from..].find("password") {
        let key = from + rel;
        from = key + "password".len();
        // A keyword of its own: at the start, or after whitespace or a quote.
        let before = lower[..key].chars().next_back();
        if before.is_some_and(|c| !(c.is_whitespace() || matches!(c, '"' | '\'' | '=' | ':'))) {
            continue;
        }
        let after = &text[from..];
        let eq = after.len() - after.trim_start_matches([' ', '\t']).len();
        if !after[eq..].starts_with('=') {
            continue;
        }
        let value_at = from + eq + 1;
        let value = text[value_at..].trim_start_matches([' ', '\t']);
        let value_at = text.len() - value.len();
        let (start, end) = if let Some(quoted) = value.strip_prefix('\'') {
            let close = quoted.find('\'').unwrap_or(quoted.len());
            (value_at + 1, value_at + 1 + close)
        } else {
            let len = value
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | ','))
                .unwrap_or(value.len());
            (value_at, value_at + len)
        };
        // Another libpq keyword in the same run of `key=value` words.
        let line_start = lower[..key].rfind(['\n', '"']).map_or(0, |i| i + 1);
        let line_end = lower[end..]
            .find(['\n', '"'])
            .map_or(lower.len(), |i| end + i);
        let around = &lower[line_start..line_end];
        let has_keyword = LIBPQ_KEYWORDS.iter().any(|k| {
            around.match_indices(&format!("{k}=")).any(|(i, _)| {
                i == 0 || around[..i].ends_with(|c: char| c.is_whitespace() || c == '\'')
            })
        });
        if end > start && has_keyword {
            let user = around
                .split_whitespace()
                .find_map(|w| w.strip_prefix("user="))
                .unwrap_or("")
                .trim_matches('\'')
                .to_string();
            out.push(UrlPassword {
                scheme: String::new(),
                user,
                start,
                end,
            });
        }
        from = from.max(end);
    }
    out
}

/// The quoted passwords of SQL statements in `text`: `PASSWORD 'secret'` (PostgreSQL
/// `CREATE|ALTER USER|ROLE … [WITH] [ENCRYPTED] PASSWORD '…'`, MySQL `SET PASSWORD … = '…'`,
/// `PASSWORD('…')`) and `IDENTIFIED BY '…'` / `IDENTIFIED WITH plugin BY '…'` (MySQL, Oracle),
/// as byte ranges of the values inside their quotes.
pub fn sql_passwords(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let word_at = |i: usize, w: &str| {
        lower[i..].starts_with(w)
            && (i == 0
                || !(bytes[i - 1].is_ascii_alphanumeric()
                    || matches!(bytes[i - 1], b'_' | b'-' | b'$')))
            && bytes
                .get(i + w.len())
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
    };
    let skip_ws = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    // Only the two keywords can start a password: visit their occurrences (a substring search),
    // not every `p` and `i` of the text.
    let mut keywords: Vec<usize> = memchr::memmem::find_iter(bytes, b"password")
        .chain(memchr::memmem::find_iter(bytes, b"identified"))
        .collect();
    keywords.sort_unstable();
    let mut from = 0;
    for k in keywords {
        if k < from {
            continue;
        }
        from = k + 1;
        let mut i = if word_at(k, "password") {
            let i = skip_ws(k + "password".len());
            let i = if bytes.get(i) == Some(&b'=') {
                skip_ws(i + 1)
            } else {
                i
            };
            // `PASSWORD('…')`, or `= PASSWORD('…')` after the keyword.
            let i = if word_at(i, "password") {
                skip_ws(i + "password".len())
            } else {
                i
            };
            if bytes.get(i) == Some(&b'(') {
                skip_ws(i + 1)
            } else {
                i
            }
        } else if word_at(k, "identified") {
            let mut i = skip_ws(k + "identified".len());
            if word_at(i, "with") {
                // `IDENTIFIED WITH mysql_native_password BY '…'`
                i = skip_ws(i + 4);
                while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace()) {
                    i += 1;
                }
                i = skip_ws(i);
            }
            if !(word_at(i, "by") || word_at(i, "as")) {
                continue;
            }
            let i = skip_ws(i + 2);
            if word_at(i, "password") {
                skip_ws(i + 8)
            } else {
                i
            }
        } else {
            continue;
        };
        let Some(&quote) = bytes.get(i).filter(|b| matches!(b, b'\'' | b'"')) else {
            continue;
        };
        // `PASSWORD 'x'`, `= 'x'`, `('x')`: the quote stands apart (`…password"` ends a string).
        if i == 0 || !(bytes[i - 1].is_ascii_whitespace() || matches!(bytes[i - 1], b'=' | b'(')) {
            continue;
        }
        i += 1;
        let start = i;
        // `''` inside a quoted string is one quote.
        while i < bytes.len() && bytes[i] != b'\n' {
            if bytes[i] == quote {
                if bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                    continue;
                }
                break;
            }
            i += 1;
        }
        if i > start && bytes.get(i) == Some(&quote) {
            out.push((start, i));
        }
        from = from.max(i);
    }
    out
}

/// The passwords of the database connection URLs in `text` (`postgres://u:pw@h/db`) and of
/// libpq connection strings in it (`host=db password=…`), and of ADO.NET/JDBC connection strings
/// (`Server=…;Password=…`, `?password=…`, Oracle thin URLs), in order.
pub fn url_passwords(text: &str) -> Vec<UrlPassword> {
    let mut out = urls_only(text);
    if text.len() > 8 {
        let lower = text.to_ascii_lowercase();
        if lower.contains("password") {
            out.extend(conninfo_passwords(text));
        }
        if lower.contains("password") || lower.contains("pwd") || lower.contains("jdbc:oracle") {
            let found = crate::knowledge::connection_strings::keyword_passwords(
                text,
                &is_connection_scheme,
            );
            out.extend(found.into_iter().map(|f| UrlPassword {
                scheme: f.scheme,
                user: f.user,
                start: f.start,
                end: f.end,
            }));
        }
        out.sort_by_key(|u| u.start);
        out.dedup_by_key(|u| u.start);
    }
    out
}

/// A scheme of database connection URLs (`[connection-urls]`), driver suffix left out.
pub fn is_connection_scheme(base: &str) -> bool {
    listed(&CredentialTable::builtin().connection_urls.schemes, base)
}

fn urls_only(text: &str) -> Vec<UrlPassword> {
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
    fn sql_statements_hold_passwords() {
        let text = "ALTER USER app WITH ENCRYPTED PASSWORD 'one';\nCREATE USER 'u'@'%' IDENTIFIED BY 'two';\nCREATE ROLE r LOGIN PASSWORD 'it''s';\nALTER USER x IDENTIFIED WITH mysql_native_password BY 'four';\nSET PASSWORD FOR u = PASSWORD('five');\nSELECT password FROM users WHERE x = 'no';\n-- old_password 'no'\necho \"the password\"\nelse\n  x=\"y\"\n";
        let found: Vec<&str> = sql_passwords(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(found, ["one", "two", "it''s", "four", "five"]);
    }

    #[test]
    fn libpq_connection_strings_hold_passwords() {
        let text = "psql \"host=db user=app password=s3cret dbname=shop\" -c 'x'";
        let found = url_passwords(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "s3cret");
        assert_eq!(found[0].user, "app");
        let quoted = "host=db password='two words' port=5432";
        let found = conninfo_passwords(quoted);
        assert_eq!(&quoted[found[0].start..found[0].end], "two words");
        // Without another libpq keyword, `password=` is not a connection string.
        assert!(conninfo_passwords("--password=x").is_empty());
        assert!(conninfo_passwords("PGPASSWORD=x").is_empty());
    }

    #[test]
    fn builtin_table_parses() {
        let t: CredentialTable = toml::from_str(TABLE).expect("rules/credentials.toml parses");
        assert!(t.password_variables.names.len() > 20);
        assert!(!t.placeholders.words.is_empty());
        assert!(!t.well_known_passwords.values.is_empty());
        assert!(!t.connection_urls.schemes.is_empty());
        assert!(!t.password_flags.mysql.is_empty());
        let spring = &t.config_settings.spring;
        assert_eq!(
            spring.role("spring.datasource.password"),
            Some(SettingRole::Password)
        );
        assert_eq!(
            spring.role("spring.datasource.reporting.jdbcUrl"),
            Some(SettingRole::Url)
        );
        assert_eq!(spring.role("spring.mail.password"), None);
        assert_eq!(
            t.config_settings.liquibase.role("reference-password"),
            Some(SettingRole::Password)
        );
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
