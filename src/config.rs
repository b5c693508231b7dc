//! The configuration file (`dataloss-scan.toml`, `.dataloss-scan.toml`, or the same in `.github/`):
//! rule selection, levels, excludes, contexts and data tables users extend. Unknown keys are
//! rejected with the line they are on. Command-line flags win over the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::levels::{Context, Level};
use crate::syntax::sql::SqlDialect;

/// Names looked for at the scan root, then in `.github/`.
pub const FILE_NAMES: &[&str] = &["dataloss-scan.toml", ".dataloss-scan.toml"];

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub exclude: Vec<String>,
    pub fail_on: Option<String>,
    /// Files larger than this many bytes are skipped with a notice.
    pub max_file_size: Option<u64>,
    pub rules: BTreeMap<String, RuleConfig>,
    pub contexts: ContextConfig,
    /// Extra stateful images: `[[stateful-images]] image = "acme/db" data-dirs = ["/srv/data"]`.
    pub stateful_images: Vec<StatefulImage>,
    /// Extra framework commands that wipe a database (`[[framework-commands]]`, the fields of
    /// `rules/framework-commands.toml`'s `[[command]]`).
    pub framework_commands: Vec<FrameworkCommand>,
    pub password_variables: Vec<String>,
    pub backup_commands: Vec<String>,
    pub backup_images: Vec<String>,
    /// SQL dialect by path: `[sql-dialects] mysql = ["db/mysql/**"]` (else guessed from the file).
    pub sql_dialects: SqlDialectConfig,
}

/// The file as written: rule ids keep their place in the text, so that an unknown one is reported
/// with its line once the engine says which ids exist ([`RuleNames`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    select: Vec<toml::Spanned<String>>,
    #[serde(default)]
    ignore: Vec<toml::Spanned<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default, deserialize_with = "fail_on")]
    fail_on: Option<String>,
    max_file_size: Option<u64>,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, RuleConfig>,
    #[serde(default)]
    contexts: ContextConfig,
    #[serde(default)]
    stateful_images: Vec<StatefulImage>,
    #[serde(default)]
    framework_commands: Vec<FrameworkCommand>,
    #[serde(default)]
    password_variables: Vec<String>,
    #[serde(default)]
    backup_commands: Vec<String>,
    #[serde(default)]
    backup_images: Vec<String>,
    #[serde(default)]
    sql_dialects: SqlDialectConfig,
}

/// The rule ids (with their aliases) and packs a configuration may name. The engine fills it
/// from the rule registry, so that this module depends on nothing above it.
#[derive(Clone, Debug, Default)]
pub struct RuleNames {
    pub rules: Vec<String>,
    pub packs: Vec<String>,
}

impl RuleNames {
    fn is_rule(&self, id: &str) -> bool {
        self.rules.iter().any(|r| r == id)
    }

    fn is_rule_or_pack(&self, id: &str) -> bool {
        self.is_rule(id) || self.packs.iter().any(|p| p == id)
    }
}

// Values are checked while the TOML is read, so that a wrong one is reported with its line, as an
// unknown key is.

fn fail_on<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = String::deserialize(d)?;
    if matches!(value.as_str(), "error" | "warning" | "note" | "never") {
        Ok(Some(value))
    } else {
        Err(serde::de::Error::custom(format!(
            "invalid fail-on `{value}`, expected one of `error`, `warning`, `note`, `never`"
        )))
    }
}

/// Globs (gitignore-style, repo-relative) that fix the SQL dialect of `.sql` files.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SqlDialectConfig {
    #[serde(default)]
    pub postgres: Vec<String>,
    #[serde(default)]
    pub mysql: Vec<String>,
    #[serde(default)]
    pub sqlite: Vec<String>,
}

/// SQL dialect settings compiled to glob sets.
#[derive(Clone, Debug, Default)]
pub struct DialectOverrides {
    sets: Vec<(globset::GlobSet, SqlDialect)>,
}

impl DialectOverrides {
    pub fn new(config: &SqlDialectConfig) -> Result<Self, String> {
        let mut sets = Vec::new();
        for (globs, dialect) in [
            (&config.postgres, SqlDialect::Postgres),
            (&config.mysql, SqlDialect::MySql),
            (&config.sqlite, SqlDialect::Sqlite),
        ] {
            if globs.is_empty() {
                continue;
            }
            sets.push((glob_set(globs, "sql-dialects")?, dialect));
        }
        Ok(DialectOverrides { sets })
    }

    pub fn dialect_for(&self, path: &str) -> Option<SqlDialect> {
        self.sets
            .iter()
            .find(|(set, _)| set.is_match(path))
            .map(|(_, d)| *d)
    }
}

fn glob_set(globs: &[String], what: &str) -> Result<globset::GlobSet, String> {
    let mut builder = globset::GlobSetBuilder::new();
    for glob in globs {
        let pattern = glob.trim_start_matches('/');
        let g = globset::GlobBuilder::new(pattern)
            .literal_separator(false)
            .build()
            .map_err(|e| format!("invalid {what} glob `{glob}`: {e}"))?;
        builder.add(g);
    }
    builder
        .build()
        .map_err(|e| format!("invalid {what} globs: {e}"))
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleConfig {
    pub level: Option<Level>,
}

/// Globs (gitignore-style, repo-relative) that put paths in a context.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ContextConfig {
    #[serde(default)]
    pub production: Vec<String>,
    #[serde(default)]
    pub test: Vec<String>,
    #[serde(default)]
    pub local: Vec<String>,
    #[serde(default)]
    pub docs: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StatefulImage {
    pub image: String,
    #[serde(default)]
    pub data_dirs: Vec<String>,
    pub dump_tool: Option<String>,
}

/// A framework command that wipes a database or pushes a schema by dropping what differs: one
/// `[[command]]` of `rules/framework-commands.toml`, or a user's `[[framework-commands]]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FrameworkCommand {
    pub tool: String,
    pub programs: Vec<String>,
    pub args: Vec<String>,
    pub kind: crate::model::command::OperationKind,
    #[serde(default)]
    pub requires_flag: Vec<String>,
    #[serde(default)]
    pub unguard_flags: Vec<String>,
    #[serde(default)]
    pub unguard_env: Vec<String>,
    pub effect: String,
}

impl Config {
    /// Parse a config file's text. Unknown keys, wrong values and rule ids that `names` does not
    /// know are errors that name their line.
    pub fn parse(text: &str, path: &Path, names: &RuleNames) -> Result<Config, String> {
        let at = |span: std::ops::Range<usize>, message: String| {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!(
                "{}: line {line}, column {column}: {message}",
                path.display()
            )
        };
        // toml's own rendering quotes the offending line: say where and what, never the text.
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = without_values(e.message());
            match e.span() {
                Some(span) => at(span, message),
                None => format!("{}: {message}", path.display()),
            }
        })?;
        let all = || names.rules.iter().chain(&names.packs).map(String::as_str);
        for id in raw.select.iter().chain(&raw.ignore) {
            if !names.is_rule_or_pack(id.get_ref()) {
                let hint = crate::notice::did_you_mean_hint(id.get_ref(), all());
                let message = format!(
                    "unknown rule or pack `{}`{hint} (see --list-rules)",
                    id.get_ref()
                );
                return Err(at(id.span(), message));
            }
        }
        for id in raw.rules.keys() {
            if !names.is_rule(id.get_ref()) {
                let name = id.get_ref();
                let hint =
                    crate::notice::did_you_mean_hint(name, names.rules.iter().map(String::as_str));
                let message =
                    format!("unknown rule `{name}` in [rules.{name}]{hint} (see --list-rules)");
                return Err(at(id.span(), message));
            }
        }
        let ids =
            |v: Vec<toml::Spanned<String>>| v.into_iter().map(toml::Spanned::into_inner).collect();
        Ok(Config {
            select: ids(raw.select),
            ignore: ids(raw.ignore),
            exclude: raw.exclude,
            fail_on: raw.fail_on,
            max_file_size: raw.max_file_size,
            rules: raw
                .rules
                .into_iter()
                .map(|(k, v)| (k.into_inner(), v))
                .collect(),
            contexts: raw.contexts,
            stateful_images: raw.stateful_images,
            framework_commands: raw.framework_commands,
            password_variables: raw.password_variables,
            backup_commands: raw.backup_commands,
            backup_images: raw.backup_images,
            sql_dialects: raw.sql_dialects,
        })
    }

    /// Read a config file; an unreadable or invalid file is an error (exit 2). Only a regular
    /// file of at most [`MAX_CONFIG_SIZE`] bytes is read, and no message quotes its text.
    pub fn load(path: &Path, names: &RuleNames) -> Result<Config, String> {
        let text = read_config(path)?;
        Config::parse(&text, path, names)
    }

    /// A config file found by discovery must be a regular file inside the directory it was
    /// found for (the one holding it, or holding its `.github/`): a symbolic link out of it
    /// (`.github/dataloss-scan.toml` → `/proc/self/environ`) is an error, and the file is never
    /// read. The link itself is not followed to find that directory.
    pub fn check_discovered(path: &Path) -> Result<(), String> {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir = absolute(dir);
        let root = if dir.file_name().is_some_and(|n| n == ".github") {
            dir.parent().map_or(dir.clone(), Path::to_path_buf)
        } else {
            dir
        };
        match crate::walk::named_file_notice(path, &root, "") {
            None => Ok(()),
            Some(notice) => Err(format!(
                "config {} not read: {}",
                path.display(),
                notice.message.trim_start_matches("skipped: ")
            )),
        }
    }

    /// The config file in a directory (or in its `.github/`), if any.
    pub fn discover(root: &Path) -> Option<PathBuf> {
        let dirs = [root.to_path_buf(), root.join(".github")];
        dirs.iter()
            .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
            .find(|p| p.is_file())
    }

    /// The config file that applies to a scanned directory: the nearest one from `start` up to
    /// the repository's root (the nearest directory holding `.git`), as ruff and gitleaks look.
    /// Outside a repository only `start` itself is looked at, so that a scan never picks up a
    /// stray file from a home directory.
    pub fn discover_upward(start: &Path) -> Option<PathBuf> {
        let abs = absolute(start);
        let top = repository_root(&abs).unwrap_or_else(|| abs.clone());
        let found = abs
            .ancestors()
            .filter(|d| d.starts_with(&top))
            .find_map(Config::discover)?;
        // Named from the working directory when it is below it (`./dataloss-scan.toml`), as
        // messages about it should.
        let cwd = std::env::current_dir().ok().map(|c| absolute(&c));
        match cwd.as_deref().and_then(|c| found.strip_prefix(c).ok()) {
            Some(rel) => Some(Path::new(".").join(rel)),
            None => Some(found),
        }
    }

    /// The directory a config file's globs are relative to: its own, or the repository's for
    /// one in `.github/`.
    pub fn base_dir(config: &Path) -> PathBuf {
        let config = absolute(config);
        let dir = config.parent().unwrap_or(Path::new("/"));
        if dir.file_name().is_some_and(|n| n == ".github") {
            dir.parent().unwrap_or(dir).to_path_buf()
        } else {
            dir.to_path_buf()
        }
    }
}

/// Whether `dir` holds `.git` (a directory, or the file of a worktree or submodule).
fn is_repository_root(dir: &Path) -> bool {
    dir.join(".git").exists()
}

/// The nearest directory at or above `start` holding `.git`.
pub fn repository_root(start: &Path) -> Option<PathBuf> {
    absolute(start)
        .ancestors()
        .find(|d| is_repository_root(d))
        .map(Path::to_path_buf)
}

/// The root a file list is scanned from (pre-commit, editors, `-`): the nearest directory at or
/// above `start` holding `.git` or a config file.
pub fn project_root(start: &Path) -> Option<PathBuf> {
    absolute(start)
        .ancestors()
        .find(|d| is_repository_root(d) || Config::discover(d).is_some())
        .map(Path::to_path_buf)
}

/// `path` made absolute (from the working directory) and, where it exists, without symbolic
/// links, so that ancestors are real directories.
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    // A path that does not exist yet (a file named for standard input): its nearest existing
    // ancestor resolved, the rest kept.
    let mut parts = Vec::new();
    let mut at = joined.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(at) {
            let mut out = real;
            for p in parts.iter().rev() {
                out.push(p);
            }
            return out;
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                parts.push(name.to_os_string());
                at = parent;
            }
            _ => return joined,
        }
    }
}

/// A config file larger than this is refused (it is a few lines of TOML).
pub const MAX_CONFIG_SIZE: u64 = 1024 * 1024;

/// Read a config file without blocking on a FIFO or reading a device, and at most
/// [`MAX_CONFIG_SIZE`] bytes.
fn read_config(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let fail = |why: String| format!("cannot read config {}: {why}", path.display());
    // `--config /dev/null` (`NUL` on Windows): the documented way to say "no config", as with
    // other linters. The null device is the one non-regular file read, as empty.
    if path == Path::new("/dev/null") || path.as_os_str().eq_ignore_ascii_case("nul") {
        return Ok(String::new());
    }
    let file = crate::walk::open_regular(path).map_err(|e| fail(e.to_string()))?;
    let meta = file.metadata().map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail("not a regular file".into()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_CONFIG_SIZE {
        return Err(fail(format!("larger than {MAX_CONFIG_SIZE} bytes")));
    }
    String::from_utf8(bytes).map_err(|_| fail("not valid UTF-8".into()))
}

/// A parser message without the values it quotes from the file (`invalid type: string "…"`,
/// `unknown variant `…``): a file given as a config may hold anything. A misspelt key's name
/// stays (`unknown field `fail_on``) when it looks like a key; what follows `expected` lists
/// the schema's own names and stays; the line and column say where.
fn without_values(message: &str) -> String {
    if let Some(name) = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name)
        .filter(|name| {
            name.len() <= 40
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        })
    {
        let rest = &message["unknown field `".len() + name.len() + 1..];
        return format!("unknown field `{name}`{}", without_values(rest));
    }
    let (found, expected) = message
        .find("expected")
        .map_or((message, ""), |at| message.split_at(at));
    let mut out = String::new();
    let mut rest = found;
    while let Some(open) = rest.find(['"', '\'', '`']) {
        out.push_str(&rest[..open]);
        let quote = &rest[open..open + 1];
        let after = &rest[open + 1..];
        match after.find(quote) {
            Some(close) => {
                out.push_str(quote);
                out.push('…');
                out.push_str(quote);
                rest = &after[close + 1..];
            }
            None => rest = "",
        }
    }
    out.push_str(rest);
    out.push_str(expected);
    out.trim().replace('\n', "; ")
}

/// Context overrides compiled to glob sets.
#[derive(Clone, Debug, Default)]
pub struct ContextOverrides {
    sets: Vec<(globset::GlobSet, Context)>,
}

impl ContextOverrides {
    pub fn new(config: &ContextConfig) -> Result<Self, String> {
        let mut sets = Vec::new();
        for (globs, context) in [
            (&config.production, Context::Production),
            (&config.test, Context::Test),
            (&config.local, Context::Local),
            (&config.docs, Context::Docs),
        ] {
            if globs.is_empty() {
                continue;
            }
            let mut builder = globset::GlobSetBuilder::new();
            for glob in globs {
                let pattern = glob.trim_start_matches('/');
                let g = globset::GlobBuilder::new(pattern)
                    .literal_separator(false)
                    .build()
                    .map_err(|e| format!("invalid context glob `{glob}`: {e}"))?;
                builder.add(g);
            }
            let set = builder
                .build()
                .map_err(|e| format!("invalid context globs: {e}"))?;
            sets.push((set, context));
        }
        Ok(ContextOverrides { sets })
    }

    pub fn context_for(&self, path: &str) -> Option<Context> {
        self.sets
            .iter()
            .find(|(set, _)| set.is_match(path))
            .map(|(_, c)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> RuleNames {
        RuleNames {
            rules: vec!["drop-table".into(), "unused-suppression".into()],
            packs: vec!["shell".into(), "sql".into(), "meta".into()],
        }
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_line() {
        let err = Config::parse(
            "select = [\"sql\"]\nfail_on = \"error\"\n",
            Path::new("x.toml"),
            &names(),
        )
        .expect_err("unknown key");
        assert!(err.contains("fail_on"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn wrong_values_are_rejected_with_their_line() {
        let cases = [
            (
                "# levels\nfail-on = \"sometimes\"\n",
                "line 2",
                "invalid fail-on `…`, expected one of `error`",
            ),
            (
                "\nselect = [\"sql\", \"nope\"]\n",
                "line 2",
                "unknown rule or pack `nope`",
            ),
            (
                "ignore = [\"shel\"]\n",
                "line 1",
                "unknown rule or pack `shel`",
            ),
            (
                "[rules.drop-table]\nlevel = \"note\"\n[rules.drop-tabel]\nlevel = \"note\"\n",
                "line 3",
                "unknown rule `drop-tabel`",
            ),
            // The value itself is not quoted back (a config may be any file); where and what is.
            (
                "[rules.drop-table]\nlevel = \"errr\"\n",
                "line 2",
                "unknown variant `…`, expected one of `note`, `warning`, `error`",
            ),
        ];
        for (text, line, message) in cases {
            let err = Config::parse(text, Path::new("x.toml"), &names()).expect_err(text);
            assert!(err.contains(line) && err.contains(message), "{text}: {err}");
        }
        // Packs, ids and aliases are all accepted.
        let cfg = Config::parse(
            "select = [\"shell\", \"drop-table\"]\nignore = [\"meta\"]\nfail-on = \"never\"\n",
            Path::new("x.toml"),
            &names(),
        )
        .expect("valid");
        assert_eq!(cfg.fail_on.as_deref(), Some("never"));
    }

    #[test]
    fn full_config() {
        let cfg = Config::parse(
            "fail-on = \"error\"\n[rules.drop-table]\nlevel = \"note\"\n[contexts]\ntest = [\"qa/**\"]\n",
            Path::new("x.toml"),
            &names(),
        )
        .expect("valid");
        assert_eq!(cfg.rules["drop-table"].level, Some(Level::Note));
        let o = ContextOverrides::new(&cfg.contexts).expect("globs");
        assert_eq!(o.context_for("qa/reset.sh"), Some(Context::Test));
        assert_eq!(o.context_for("ops/reset.sh"), None);
    }

    #[test]
    fn sql_dialects_by_path() {
        let cfg = Config::parse(
            "[sql-dialects]\nmysql = [\"db/mysql/**\"]\nsqlite = [\"*.sqlite.sql\"]\n",
            Path::new("x.toml"),
            &names(),
        )
        .expect("valid");
        let d = DialectOverrides::new(&cfg.sql_dialects).expect("globs");
        assert_eq!(d.dialect_for("db/mysql/001.sql"), Some(SqlDialect::MySql));
        assert_eq!(d.dialect_for("app.sqlite.sql"), Some(SqlDialect::Sqlite));
        assert_eq!(d.dialect_for("db/pg/001.sql"), None);
    }
}
