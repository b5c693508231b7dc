//! Levels and contexts, in one place: which context a path (or a region of a file) is in, and how
//! a rule's level moves with that context and with guards (the catalogue's *Levels and contexts*).
//!
//! Rules never decide context themselves: they report at their natural level and this module
//! lowers it (or drops the finding for down-migrations).

use serde::Serialize;

/// A finding's level, ordered `Note < Warning < Error`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "note" => Some(Level::Note),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }

    /// One step down, never below `note`.
    pub fn lowered(self) -> Level {
        match self {
            Level::Error => Level::Warning,
            Level::Warning | Level::Note => Level::Note,
        }
    }
}

/// Where a piece of code runs, which decides how much its findings matter.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    Production,
    Local,
    Test,
    EphemeralCi,
    Docs,
    DownMigration,
}

impl Context {
    pub fn as_str(self) -> &'static str {
        match self {
            Context::Production => "production",
            Context::Local => "local",
            Context::Test => "test",
            Context::EphemeralCi => "ephemeral-ci",
            Context::Docs => "docs",
            Context::DownMigration => "down-migration",
        }
    }

    /// Words for a message suffix ("this is a test setup": a file, target or project).
    pub fn describe(self) -> &'static str {
        match self {
            Context::Production => "production",
            Context::Local => "a local/dev setup",
            Context::Test => "a test setup",
            Context::EphemeralCi => "an ephemeral CI job",
            Context::Docs => "documentation",
            Context::DownMigration => "a down-migration",
        }
    }
}

/// The context a repo-relative path is in, by its name alone.
pub fn path_context(path: &str) -> Context {
    let lower = path.to_ascii_lowercase();
    let segments: Vec<&str> = lower.split('/').collect();
    let (dirs, name) = segments.split_at(segments.len().saturating_sub(1));
    let name = name.first().copied().unwrap_or("");

    if is_down_migration(dirs, name) {
        return Context::DownMigration;
    }
    const TEST_DIRS: &[&str] = &[
        "test",
        "tests",
        "spec",
        "specs",
        "e2e",
        "testdata",
        "__tests__",
        "fixtures",
        "integration-tests",
    ];
    if dirs.iter().any(|d| TEST_DIRS.contains(d)) {
        return Context::Test;
    }
    // A GitLab CI file runs in CI jobs throughout: its top-level `variables:`, `default:` and
    // `before_script:` too, which no job region covers (jobs get theirs in `facts::ci`). Its
    // `ci` name token does not make it a test fixture.
    if name == ".gitlab-ci.yml"
        || name == ".gitlab-ci.yaml"
        || name.ends_with(".gitlab-ci.yml")
        || name.ends_with(".gitlab-ci.yaml")
    {
        return Context::EphemeralCi;
    }
    let tokens = name_tokens(name);
    if tokens
        .iter()
        .any(|t| matches!(*t, "test" | "tests" | "testing" | "e2e" | "ci"))
        && !name.ends_with(".md")
        // `.github/workflows/ci.yml` is the project's CI, not a test fixture: its jobs get their
        // context from the runner (see `facts::ci`).
        && !lower.contains(".github/workflows/")
    {
        // `docker-compose.ci.yml`, `*.test.yml`, `*-test.*`, `*_test.*`, `test-db-reset.sh`.
        return Context::Test;
    }
    const LOCAL_DIRS: &[&str] = &[
        "local", "dev", "example", "examples", "sample", "samples", "demo", "sandbox",
    ];
    if dirs.iter().any(|d| LOCAL_DIRS.contains(d)) {
        return Context::Local;
    }
    if name.starts_with("docker-compose.override.") || name.starts_with("compose.override.") {
        return Context::Local;
    }
    if tokens.iter().any(|t| {
        matches!(
            *t,
            "local"
                | "localhost"
                | "dev"
                | "develop"
                | "development"
                | "localdev"
                | "devcontainer"
                | "example"
                | "sample"
        )
    }) {
        return Context::Local;
    }
    Context::Production
}

/// The context a file's header comment declares: a Compose file or script that opens with
/// "for development only", "local development", "do not use in production" is a local setup,
/// like `docker-compose.override.yml`. Only the comment block before the first line of content
/// is read (`#` or `//` comments), so a remark further down does not change the file's context.
pub fn header_context(text: &str) -> Option<Context> {
    const LOCAL: &[&str] = &[
        "for development only",
        "for local development",
        "local development",
        "development only",
        "development environment",
        "dev environment",
        "dev only",
        "for development purposes",
        "for local use",
        "local use only",
        "do not use in production",
        "don't use in production",
        "do not use this in production",
        "don't use this in production",
        "not for production",
        "not intended for production",
        "not meant for production",
        "not suitable for production",
        "not production ready",
        "not production-ready",
    ];
    let mut header = String::new();
    for line in text.lines().take(40) {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed == "---" {
            continue;
        }
        let Some(comment) = trimmed
            .strip_prefix('#')
            .or_else(|| trimmed.strip_prefix("//"))
        else {
            break;
        };
        header.push_str(&comment.to_lowercase());
        header.push(' ');
    }
    let header = header.split_whitespace().collect::<Vec<_>>().join(" ");
    LOCAL
        .iter()
        .any(|phrase| header.contains(phrase))
        .then_some(Context::Local)
}

fn is_down_migration(dirs: &[&str], name: &str) -> bool {
    if name.ends_with(".down.sql") || name.ends_with("_down.sql") || name == "down.sql" {
        return true;
    }
    if dirs.iter().any(|d| *d == "down" || *d == "revert") && name.ends_with(".sql") {
        return true;
    }
    // Flyway undo migrations: U1__name.sql, U1.2__name.sql.
    if let Some(rest) = name.strip_prefix('u')
        && let Some((version, _)) = rest.split_once("__")
    {
        return !version.is_empty()
            && version
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '_')
            && name.ends_with(".sql");
    }
    false
}

/// Split a file name into words at `.`, `-` and `_`.
fn name_tokens(name: &str) -> Vec<&str> {
    name.split(['.', '-', '_'])
        .filter(|t| !t.is_empty())
        .collect()
}

/// The level a finding is shown at: context first, then a guard lowers it one step.
/// `None` means the finding is not reported at all (down-migrations).
pub fn resolve(level: Level, context: Context, guarded: bool) -> Option<Level> {
    let level = match context {
        Context::DownMigration => return None,
        Context::Production => level,
        Context::Local | Context::Test | Context::EphemeralCi | Context::Docs => Level::Note,
    };
    Some(if guarded { level.lowered() } else { level })
}

/// Words in a unit, function or `case` verb name that say it is a test run or a throwaway
/// local environment (`test`, `e2e`, `reset-dev-db`, `seed`, `demo`).
const THROWAWAY_WORDS: &[(&str, Context)] = &[
    ("test", Context::Test),
    ("tests", Context::Test),
    ("testing", Context::Test),
    ("e2e", Context::Test),
    ("ci", Context::Test),
    ("spec", Context::Test),
    ("fixture", Context::Test),
    ("fixtures", Context::Test),
    ("dev", Context::Local),
    ("develop", Context::Local),
    ("development", Context::Local),
    ("local", Context::Local),
    ("localdev", Context::Local),
    ("demo", Context::Local),
    ("example", Context::Local),
    ("examples", Context::Local),
    ("sample", Context::Local),
    ("sandbox", Context::Local),
    ("seed", Context::Local),
    ("seeds", Context::Local),
    ("seeding", Context::Local),
];

/// The lower-case words of a name, split at punctuation and camelCase boundaries
/// (`reset-dev-db` → reset, dev, db; `resetDevDb.sh` → reset, dev, db, sh).
pub fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Word beginnings in a name that say the unit ends in production, whatever else it says
/// (`test-and-deploy`, `build_test_release`, `restore`).
const PRODUCTION_WORDS: &[&str] = &[
    "restore", "recover", "rollback", "deploy", "release", "rollout", "update", "upgrade", "migrat",
];

/// The context a unit's name gives it: a make target, CI job, function, `case` verb or script
/// named for a test run (`test`, `e2e-test`: test, unless a word says it deploys too) or for a
/// throwaway local environment (`reset-dev-db`, `seed`, `demo`: local). `None`: the name says
/// neither.
pub fn name_context(name: &str) -> Option<Context> {
    let words = name_words(name);
    let deploys = words
        .iter()
        .any(|w| PRODUCTION_WORDS.iter().any(|p| w.starts_with(p)));
    let mut found = None;
    for token in &words {
        match THROWAWAY_WORDS.iter().find(|(w, _)| w == token) {
            Some((_, Context::Test)) if !deploys => return Some(Context::Test),
            Some((_, Context::Test)) => {}
            Some((_, context)) => found = Some(*context),
            None => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_contexts() {
        use Context::*;
        let table = [
            ("stop.sh", Production),
            ("scripts/deploy.sh", Production),
            ("docker-compose.yml", Production),
            ("docker-compose.prod.yml", Production),
            ("docker-compose.override.yml", Local),
            ("docker-compose.dev.yml", Local),
            ("compose.local.yaml", Local),
            ("backend/docker-compose.localhost.yml", Local),
            ("backend/.env.localhost", Local),
            ("docker-compose.production.yml", Production),
            ("scripts/reset-local-db.sh", Local),
            ("scripts/dev_reset.sh", Local),
            ("examples/demo/stop.sh", Local),
            ("tests/e2e/teardown.sh", Test),
            ("spec/support/db.sql", Test),
            ("docker-compose.ci.yml", Test),
            ("docker-compose.test.yml", Test),
            ("scripts/db_test.sh", Test),
            ("migrations/0001_init.down.sql", DownMigration),
            ("db/migrations/V2__add.sql", Production),
            ("db/migrations/U2__add.sql", DownMigration),
            ("sqitch/revert/users.sql", DownMigration),
            ("scripts/devops-restore.sh", Production),
            ("latest.sh", Production),
            ("docs/CONTRIBUTING.md", Production),
            (".github/workflows/ci.yml", Production),
            (".gitlab-ci.yml", EphemeralCi),
            ("ci/deploy.gitlab-ci.yml", EphemeralCi),
            ("tests/.gitlab-ci.yml", Test),
        ];
        for (path, want) in table {
            assert_eq!(path_context(path), want, "{path}");
        }
    }

    #[test]
    fn resolution() {
        assert_eq!(
            resolve(Level::Error, Context::Production, false),
            Some(Level::Error)
        );
        assert_eq!(
            resolve(Level::Error, Context::Production, true),
            Some(Level::Warning)
        );
        assert_eq!(
            resolve(Level::Error, Context::Test, false),
            Some(Level::Note)
        );
        assert_eq!(
            resolve(Level::Warning, Context::Docs, true),
            Some(Level::Note)
        );
        assert_eq!(resolve(Level::Error, Context::DownMigration, false), None);
    }
    #[test]
    fn name_words_split_punctuation_and_camel_case() {
        assert_eq!(name_words("reset-dev-db"), ["reset", "dev", "db"]);
        assert_eq!(name_words("resetDevDb.sh"), ["reset", "dev", "db", "sh"]);
        assert_eq!(name_words("E2E_tests"), ["e2e", "tests"]);
        assert_eq!(name_words("latest"), ["latest"]);
    }

    #[test]
    fn names_that_say_test_or_local() {
        assert_eq!(name_context("test"), Some(Context::Test));
        assert_eq!(name_context("e2e-test"), Some(Context::Test));
        assert_eq!(name_context("integrationTests"), Some(Context::Test));
        assert_eq!(name_context("reset-dev-db"), Some(Context::Local));
        assert_eq!(name_context("setup-example-db"), Some(Context::Local));
        assert_eq!(name_context("load_sample_data"), Some(Context::Local));
        assert_eq!(name_context("seed"), Some(Context::Local));
        assert_eq!(name_context("test-and-deploy"), None);
        assert_eq!(name_context("deploy"), None);
        assert_eq!(name_context("latest"), None);
        assert_eq!(name_context("clean"), None);
    }

    #[test]
    fn header_comments() {
        let local = "# Development only: do not use in production.\nservices:\n  db:\n    image: postgres\n";
        assert_eq!(header_context(local), Some(Context::Local));
        let wrapped =
            "---\n# This compose file is meant\n# for local\n# development.\nservices: {}\n";
        assert_eq!(header_context(wrapped), Some(Context::Local));
        // A remark below the first line of content does not count.
        let later = "services:\n  db:\n    # for development only\n    image: postgres\n";
        assert_eq!(header_context(later), None);
        assert_eq!(header_context("# Production stack\nservices: {}\n"), None);
    }
}
