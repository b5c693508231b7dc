//! The framework-commands table: which framework commands wipe a database or push a schema by
//! dropping what differs (`rules/framework-commands.toml`, shipped as data and read once), the
//! runners in front of them (`npx`, `bundle exec`, `poetry run`, `python manage.py`), plus the
//! user's `[[framework-commands]]` from the config file.
//!
//! [`FrameworkTable::match_words`] answers "is this command line one of them": it peels runners,
//! then looks for an entry's program and positional words.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::config::FrameworkCommand;

const TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/framework-commands.toml"
));

/// A word (or two) in front of a tool that runs it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Runner {
    pub program: String,
    /// One of these must follow the program (`bundle exec`).
    #[serde(default)]
    pub then: Vec<String>,
    /// One of these may follow it (`yarn run`).
    #[serde(default)]
    pub optional: Vec<String>,
    /// Everything up to and including this word is the runner's (`dotenv -e .env --`).
    pub until: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    interpreters: Vec<String>,
    #[serde(default)]
    runner: Vec<Runner>,
    #[serde(default)]
    command: Vec<FrameworkCommand>,
}

/// The table of framework commands.
#[derive(Clone, Debug, Default)]
pub struct FrameworkTable {
    pub interpreters: Vec<String>,
    pub runners: Vec<Runner>,
    pub commands: Vec<FrameworkCommand>,
}

/// A command line that matched an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matched<'t> {
    pub entry: &'t FrameworkCommand,
    /// Index into the words of the tool's program (after runners).
    pub program_at: usize,
    /// The flag or variable that switched off the framework's own guard, as written.
    pub unguarded: Option<String>,
}

impl FrameworkTable {
    /// The shipped table (parsed once; a broken table is a build-time bug caught by the tests).
    pub fn builtin() -> &'static FrameworkTable {
        static BUILTIN: OnceLock<FrameworkTable> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let file: TableFile = toml::from_str(TABLE).unwrap_or_default();
            FrameworkTable {
                interpreters: file.interpreters,
                runners: file.runner,
                commands: file.command,
            }
        })
    }

    /// The shipped table with the user's commands in front.
    pub fn with_config(extra: &[FrameworkCommand]) -> FrameworkTable {
        let builtin = Self::builtin();
        let mut commands = extra.to_vec();
        commands.extend(builtin.commands.iter().cloned());
        FrameworkTable {
            interpreters: builtin.interpreters.clone(),
            runners: builtin.runners.clone(),
            commands,
        }
    }

    /// The index of the tool's program in `words` once runners are peeled (`npx prisma …` → 1).
    /// Whether [`FrameworkTable::peel`] can move past a command whose first word is `first`
    /// (a runner or an interpreter): for any other, it returns 0 without reading further.
    pub fn peels(&self, first: &str) -> bool {
        let program = basename(first);
        self.interpreters.iter().any(|i| i == program)
            || self.runners.iter().any(|r| r.program == program)
    }

    /// Whether [`FrameworkTable::match_words`] can match a command whose first word is `first`:
    /// a runner or an interpreter to peel, or a program some entry names.
    pub fn may_match(&self, first: &str) -> bool {
        let program = basename(first);
        self.peels(first)
            || self
                .commands
                .iter()
                .any(|e| e.programs.iter().any(|p| p == program))
    }

    pub fn peel(&self, words: &[String]) -> usize {
        let mut at = 0;
        // Each step moves forward, so this ends; the bound keeps a pathological line cheap.
        for _ in 0..8 {
            let Some(program) = words.get(at).map(|w| basename(w)) else {
                return at;
            };
            if self.interpreters.iter().any(|i| i == program) {
                let mut next = at + 1;
                while let Some(w) = words.get(next) {
                    if w == "-m" {
                        // `python -m alembic`: the module is the tool.
                        return next + 1;
                    }
                    if !w.starts_with('-') {
                        break;
                    }
                    next += 1;
                }
                if next >= words.len() {
                    return at;
                }
                return next;
            }
            let Some(runner) = self.runners.iter().find(|r| r.program == program) else {
                return at;
            };
            let mut next = at + 1;
            if let Some(until) = &runner.until {
                match words[next.min(words.len())..]
                    .iter()
                    .position(|w| w == until)
                {
                    Some(p) => next += p + 1,
                    None => {
                        // `dotenv -e .env prisma …` without `--`: skip its flags and values.
                        next = skip_flags(words, next);
                    }
                }
            } else {
                let follows = words.get(next).map(String::as_str);
                if !runner.then.is_empty() {
                    match follows {
                        Some(w) if runner.then.iter().any(|t| t == w) => next += 1,
                        _ => return at,
                    }
                } else if follows.is_some_and(|w| runner.optional.iter().any(|t| t == w)) {
                    next += 1;
                }
                next = skip_flags(words, next);
            }
            if next >= words.len() {
                return at;
            }
            at = next;
        }
        at
    }

    /// The entry a command line (literal words, program first) matches, if any.
    pub fn match_words<'t>(&'t self, words: &[String], env: &[String]) -> Option<Matched<'t>> {
        let at = self.peel(words);
        let program = basename(words.get(at)?);
        let rest = &words[at + 1..];
        let positional: Vec<&str> = rest
            .iter()
            .map(String::as_str)
            .filter(|w| !w.starts_with('-'))
            .collect();
        let flag = |names: &[String]| -> Option<String> {
            rest.iter()
                .find(|w| {
                    let name = w.split('=').next().unwrap_or(w);
                    names.iter().any(|n| n == name)
                })
                .cloned()
        };
        self.commands.iter().find_map(|entry| {
            if !entry.programs.iter().any(|p| p == program) {
                return None;
            }
            let n = entry.args.len();
            let found = n > 0
                && positional.windows(n).any(|window| {
                    window
                        .iter()
                        .zip(&entry.args)
                        .all(|(w, a)| a == "*" || w == a)
                });
            if !found {
                return None;
            }
            if !entry.requires_flag.is_empty() && flag(&entry.requires_flag).is_none() {
                return None;
            }
            let unguarded = flag(&entry.unguard_flags).or_else(|| {
                env.iter()
                    .find(|e| {
                        let name = e.split('=').next().unwrap_or(e);
                        let value = e.split_once('=').map_or("", |(_, v)| v);
                        entry.unguard_env.iter().any(|u| u == name)
                            && !matches!(value, "" | "0" | "false")
                    })
                    .cloned()
            });
            Some(Matched {
                entry,
                program_at: at,
                unguarded,
            })
        })
    }
}

/// Skip flags and `VAR=value` words from `at`.
fn skip_flags(words: &[String], mut at: usize) -> usize {
    while let Some(w) = words.get(at) {
        let assignment = w.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if w.starts_with('-') || assignment {
            at += 1;
        } else {
            break;
        }
    }
    at
}

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peels_says_whether_peel_can_move() {
        let table = FrameworkTable::builtin();
        for line in [
            "npx cdk destroy",
            "/usr/local/bin/npx prisma db push",
            "python3 -m alembic downgrade base",
            "kubectl delete pvc data",
            "psql -f x.sql",
            "",
        ] {
            let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            let first = words.first().map_or("", String::as_str);
            // When `peels` is false, `peel` stays at the first word.
            assert!(table.peels(first) || table.peel(&words) == 0, "{line}");
        }
        assert!(table.peels("npx") && table.peels("/usr/bin/python3"));
        assert!(!table.peels("kubectl") && !table.peels("psql"));
        // A program some entry names may match without peeling; another never does.
        assert!(table.may_match("prisma") && table.may_match("npx"));
        assert!(!table.may_match("psql"));
        assert!(
            table
                .match_words(&["psql".into(), "-f".into(), "x".into()], &[])
                .is_none()
        );
    }

    fn m(line: &str) -> Option<(String, Option<String>)> {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        FrameworkTable::builtin()
            .match_words(&words, &[])
            .map(|m| (m.entry.args.join(" "), m.unguarded))
    }

    #[test]
    fn table_loads() {
        let t = FrameworkTable::builtin();
        assert!(t.commands.len() > 30);
        assert!(t.runners.iter().any(|r| r.program == "npx"));
        assert!(toml::from_str::<TableFile>(TABLE).is_ok());
    }

    #[test]
    fn destructive_commands_through_runners() {
        let fire = [
            (
                "npx prisma migrate reset --force --skip-seed",
                "migrate reset",
            ),
            ("npx prisma db push --accept-data-loss", "db push"),
            ("yarn prisma db push --force-reset", "db push"),
            ("pnpm exec prisma db push --accept-data-loss", "db push"),
            ("bundle exec rails db:schema:load", "db:schema:load"),
            ("bin/rails db:drop db:create db:migrate", "db:drop"),
            ("php artisan migrate:fresh --seed --force", "migrate:fresh"),
            ("php artisan db:wipe --force", "db:wipe"),
            ("python manage.py reset_db --noinput", "reset_db"),
            ("poetry run python manage.py flush --no-input", "flush"),
            ("python3 manage.py migrate shop zero", "migrate * zero"),
            ("python -m alembic downgrade base", "downgrade base"),
            ("sequelize db:drop", "db:drop"),
            (
                "npx sequelize-cli db:migrate:undo:all",
                "db:migrate:undo:all",
            ),
            ("knex migrate:rollback --all", "migrate:rollback"),
            ("dotnet ef database drop --force", "ef database drop"),
            (
                "dotenv -e ../../.env -- prisma migrate reset",
                "migrate reset",
            ),
            (
                "php bin/console doctrine:schema:update --force",
                "doctrine:schema:update",
            ),
            ("mix ecto.reset", "ecto.reset"),
            ("flyway -url=jdbc:x clean", "clean"),
        ];
        for (line, args) in fire {
            assert_eq!(m(line).map(|x| x.0), Some(args.to_string()), "{line}");
        }
        let quiet = [
            "npx prisma migrate deploy",
            "npx prisma generate",
            "npx prisma db push",
            "bundle exec rails db:migrate",
            "php artisan migrate --force",
            "python manage.py migrate",
            "python manage.py migrate shop 0003",
            "knex migrate:rollback",
            "php bin/console doctrine:schema:update --dump-sql",
            "php bin/console doctrine:database:drop",
            "alembic downgrade -1",
            "yarn build",
            "npx",
            "drizzle-kit push",
        ];
        for line in quiet {
            assert_eq!(m(line), None, "{line}");
        }
    }

    #[test]
    fn guards_switched_off() {
        assert_eq!(
            m("php artisan migrate:fresh --force").and_then(|x| x.1),
            Some("--force".to_string())
        );
        let words: Vec<String> = ["rails", "db:drop"].map(String::from).to_vec();
        let env = vec!["DISABLE_DATABASE_ENVIRONMENT_CHECK=1".to_string()];
        let found = FrameworkTable::builtin().match_words(&words, &env);
        assert_eq!(
            found.and_then(|x| x.unguarded),
            Some("DISABLE_DATABASE_ENVIRONMENT_CHECK=1".to_string())
        );
    }
}
