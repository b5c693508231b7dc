//! Backup facts: which shell commands are backup steps (`pg_dump`, `restic backup`, a cloud
//! snapshot, a `tar` of a data volume), migration runs (`flyway migrate`, `alembic upgrade`, …),
//! restores that replace a database (`pg_restore --clean`, a drop followed by a load) and calls
//! that may lead to a backup (a function, another script, a make target); the table of backup
//! sidecar images (`rules/backup-images.toml`, extended by the config file); crontab and systemd
//! command extraction ([`cron`]); and the "does a backup precede this step on its path" analysis
//! ([`path`]).
//!
//! This layer reads shell facts (words, scopes, spans) and the host text around a command (for
//! redirections and pipes); it never sees parser node kinds, and it reports nothing itself.

mod database;
mod fresh;
mod host_text;
pub mod path;
mod services;
mod sql_files;
mod words;

pub use database::*;
pub use fresh::*;
pub use host_text::*;
pub use services::*;
pub use sql_files::*;
pub use words::*;

use crate::knowledge::backup::Catalog;
use crate::model::command::{Command, Scope};

/// What a command does, as far as backups are concerned.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "step", rename_all = "kebab-case")]
pub enum StepKind {
    /// Takes a backup; `family` is the database family it covers (`None`: any, e.g. a volume
    /// snapshot).
    Backup { family: Option<String> },
    /// Runs the pending migrations.
    Migration,
    /// Replaces a database's content by itself (`pg_restore --clean`, `mongorestore --drop`).
    Restore,
    /// Drops a database, with a restore in mind when a load follows.
    Drop,
    /// Loads a dump into a database (`psql < dump.sql`, `pg_restore`, `mongorestore`).
    Load,
    /// Calls something that may back up.
    Call(Callee),
    /// Deploys or updates the application (`docker compose pull`, `kubectl apply`, `git pull`).
    Deploy,
}

/// Something a command calls, resolved later against the repository.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Callee {
    /// A function, by name (resolved in the same file).
    Function { name: String },
    /// A script: its path as written (expansions as written), and the literal arguments.
    Script { path: String, args: Vec<String> },
    /// Make targets, with `-C dir` when given.
    Make {
        targets: Vec<String>,
        dir: Option<String>,
    },
    /// A task runner entry or service (`npm run backup`, `docker compose run backup`): only its
    /// name can be judged.
    Named { name: String },
}

/// A command, classified.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub kind: StepKind,
    /// The program (after wrappers) with its first argument, for messages (`pg_dump`, `flyway migrate`).
    pub label: String,
}

/// Classify one command. `host` is the text of the file the command lives in (to see `< file`
/// and `… |` around it); `functions` are the names of the file's shell functions.
pub fn classify(
    command: &Command,
    host: &str,
    functions: &[String],
    catalog: &Catalog,
) -> Option<Step> {
    let argv = inner_argv(command);
    let first = argv.first()?;
    let program = basename(first).to_string();
    let words: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let label = match words.iter().find(|w| !w.starts_with('-')) {
        Some(sub) if is_subcommand_tool(&program) => format!("{program} {sub}"),
        _ => program.clone(),
    };
    let step = |kind: StepKind| {
        Some(Step {
            kind,
            label: label.clone(),
        })
    };
    for extra in &catalog.commands {
        let matches = extra.iter().enumerate().all(|(i, want)| {
            argv.get(i)
                .is_some_and(|have| have == want || (i == 0 && basename(have) == want.as_str()))
        });
        if matches {
            return step(StepKind::Backup { family: None });
        }
    }
    if let Some(kind) = backup_kind(&program, &words, command, host) {
        if dump_discarded(&program, &words, command) {
            return None;
        }
        return step(kind);
    }
    if is_migration_run(&program, &words, command, host) {
        return step(StepKind::Migration);
    }
    if let Some(kind) = restore_kind(&program, &words, command) {
        return step(kind);
    }
    if is_deploy(&program, &words) {
        return step(StepKind::Deploy);
    }
    // `node tools/nuke.js`, `npx tsx scripts/reset.ts`: a call of a program of the repository.
    if let Some(path) = crate::knowledge::programs::ProgramTable::builtin().program_run(
        &argv,
        crate::knowledge::framework::FrameworkTable::builtin(),
    ) {
        return step(StepKind::Call(Callee::Script {
            path,
            args: Vec::new(),
        }));
    }
    callee(first, &program, &words, functions).map(|c| Step {
        kind: StepKind::Call(c),
        label: first.clone(),
    })
}

fn is_subcommand_tool(program: &str) -> bool {
    matches!(
        program,
        "restic"
            | "borg"
            | "aws"
            | "gcloud"
            | "az"
            | "doctl"
            | "flyway"
            | "alembic"
            | "prisma"
            | "goose"
            | "dbmate"
            | "sqitch"
            | "migrate"
            | "pgbackrest"
            | "wal-g"
            | "barman"
            | "heroku"
            | "velero"
            | "kopia"
            | "liquibase"
            | "knex"
            | "sequelize"
            | "rails"
            | "rake"
            | "manage.py"
    )
}

fn has(words: &[&str], w: &str) -> bool {
    words.contains(&w)
}

/// Short or long flag present (`-s` also inside a cluster like `-sx` when `cluster`).
fn flag(words: &[&str], short: Option<char>, long: &str) -> bool {
    words.iter().any(|w| {
        w.split('=').next() == Some(long)
            || short.is_some_and(|c| {
                w.len() >= 2
                    && w.starts_with('-')
                    && !w.starts_with("--")
                    && w[1..].chars().all(|x| x.is_ascii_alphabetic())
                    && w[1..].contains(c)
            })
    })
}

fn seq(words: &[&str], want: &[&str]) -> bool {
    let positional: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect();
    positional.windows(want.len()).any(|win| win == want)
}

fn backup_kind(program: &str, words: &[&str], command: &Command, host: &str) -> Option<StepKind> {
    let fam = |f: &str| {
        Some(StepKind::Backup {
            family: Some(f.to_string()),
        })
    };
    let any = Some(StepKind::Backup { family: None });
    if flag(words, None, "--help") || flag(words, None, "--version") {
        return None;
    }
    match program {
        "pg_dump" => {
            (!flag(words, Some('s'), "--schema-only") && !flag(words, None, "--section"))
                .then_some(())?;
            fam("postgres")
        }
        "pg_dumpall" => {
            (!flag(words, Some('s'), "--schema-only")
                && !flag(words, Some('g'), "--globals-only")
                && !flag(words, Some('r'), "--roles-only"))
            .then_some(())?;
            fam("postgres")
        }
        "pg_basebackup" => fam("postgres"),
        "pgbackrest" => has(words, "backup").then_or_none(fam("postgres")),
        "wal-g" | "wal-e" => words
            .iter()
            .any(|w| *w == "backup-push" || *w == "backup")
            .then_or_none(fam("postgres")),
        "barman" => has(words, "backup").then_or_none(fam("postgres")),
        "mysqldump" | "mysqlpump" | "mydumper" => {
            (!flag(words, Some('d'), "--no-data")).then_some(())?;
            fam("mysql")
        }
        "mariadb-dump" => {
            (!flag(words, Some('d'), "--no-data")).then_some(())?;
            fam("mariadb")
        }
        "mariadb-backup" | "mariabackup" | "xtrabackup" => {
            flag(words, None, "--backup").then_some(())?;
            fam("mysql")
        }
        "mongodump" => fam("mongo"),
        "redis-cli" | "valkey-cli" => (words.contains(&"--rdb")
            || !words.iter().any(|w| w.eq_ignore_ascii_case("config"))
                && words
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case("bgsave") || w.eq_ignore_ascii_case("save")))
        .then_or_none(fam("redis")),
        "sqlite3" => words
            .iter()
            .any(|w| w.starts_with(".backup") || w.starts_with(".dump"))
            .then_or_none(fam("sqlite")),
        "etcdctl" => seq(words, &["snapshot", "save"]).then_or_none(any),
        "restic" => has(words, "backup").then_or_none(any),
        "borg" => has(words, "create").then_or_none(any),
        "borgmatic" => (!has(words, "extract") && !has(words, "restore") && !has(words, "list"))
            .then_or_none(any),
        "duplicity" => (!has(words, "restore")).then_or_none(any),
        "kopia" => seq(words, &["snapshot", "create"]).then_or_none(any),
        "velero" => seq(words, &["backup", "create"]).then_or_none(any),
        "heroku" => words
            .iter()
            .any(|w| *w == "pg:backups:capture" || *w == "pg:backups")
            .then_or_none(fam("postgres")),
        "aws" => (seq(words, &["rds", "create-db-snapshot"])
            || seq(words, &["rds", "create-db-cluster-snapshot"])
            || seq(words, &["ec2", "create-snapshot"])
            || seq(words, &["ec2", "create-snapshots"])
            || seq(words, &["backup", "start-backup-job"])
            || seq(words, &["dynamodb", "create-backup"])
            || seq(words, &["lightsail", "create-relational-database-snapshot"]))
        .then_or_none(any),
        "gcloud" => (seq(words, &["sql", "backups", "create"])
            || seq(words, &["sql", "export"])
            || seq(words, &["compute", "disks", "snapshot"])
            || seq(words, &["compute", "snapshots", "create"])
            || seq(words, &["firestore", "export"]))
        .then_or_none(any),
        "az" => {
            let backup = words.iter().any(|w| w.contains("backup"))
                && words
                    .iter()
                    .any(|w| matches!(*w, "create" | "now" | "start" | "backup-now"));
            (backup || seq(words, &["snapshot", "create"]) || seq(words, &["export"]))
                .then_some(())?;
            any
        }
        "doctl" => (words.contains(&"snapshot") || words.contains(&"snapshots")).then_or_none(any),
        "tar" | "cp" | "rsync" => copy_of_data(program, words, command),
        "docker" | "podman" if words.first() == Some(&"cp") => docker_cp_out(words, command, host),
        _ => None,
    }
}

/// `docker cp CONTAINER:SRC DEST` copies out of a container: a backup when the source is a
/// database's data (`db:/var/lib/postgresql/data`) or the destination, as written, is a backup
/// folder (`"$ctr:$dir/." "$BACKUP_FOLDER/pgdata"`). A copy into a container (`docker cp
/// dump.sql db:/tmp/`, the first step of a restore) backs nothing up, whatever the container is
/// called.
fn docker_cp_out(words: &[&str], command: &Command, host: &str) -> Option<StepKind> {
    let positional = |words: &mut dyn Iterator<Item = &str>| -> Option<(String, String)> {
        let mut p = words.filter(|w| !w.starts_with('-') && !w.contains(['<', '>']));
        Some((p.next()?.to_string(), p.next()?.to_string()))
    };
    let (source, dest) = positional(&mut words.iter().skip(1).copied())?;
    let in_container = |w: &str| {
        let w = w.trim_matches(['"', '\'']);
        !w.starts_with(['/', '.', '~']) && w.split_once(':').is_some_and(|(c, _)| !c.is_empty())
    };
    if !in_container(&source) || in_container(&dest) {
        return None;
    }
    let path = source.split_once(':').map_or("", |(_, p)| p);
    // The destination as written: `"$BACKUP_FOLDER/x"` says backup even when the variable was
    // substituted by a function's `$1`.
    let written = host
        .get(command.span.start()..command.span.end())
        .unwrap_or("");
    let mut raw = written
        .split_whitespace()
        .skip_while(|w| *w != "cp")
        .skip(1);
    let written_dest = positional(&mut raw).map(|(_, d)| d).unwrap_or_default();
    let says_backup = |w: &str| w.to_ascii_lowercase().contains("backup");
    (data_like(&source) || data_like(path) || says_backup(&dest) || says_backup(&written_dest))
        .then_some(StepKind::Backup { family: None })
}

/// `cond.then_or_none(value)`: `value` when the condition holds, keeping the table above flat.
trait ThenOrNone {
    fn then_or_none(self, value: Option<StepKind>) -> Option<StepKind>;
}

impl ThenOrNone for bool {
    fn then_or_none(self, value: Option<StepKind>) -> Option<StepKind> {
        if self { value } else { None }
    }
}

/// A path or volume name that looks like a database's data.
pub fn data_like(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let lower = lower.split(':').next().unwrap_or(&lower);
    const KNOWN: &[&str] = &[
        "/var/lib/postgresql",
        "/var/lib/mysql",
        "/data/db",
        "/var/lib/docker/volumes",
        "/bitnami/",
        "pgdata",
        "$pgdata",
        "${pgdata}",
        "postgres",
        "mysql",
        "mariadb",
        "mongo",
        "redis",
        "db_data",
        "db-data",
        "dbdata",
        "database",
    ];
    if KNOWN.iter().any(|k| lower.contains(k)) {
        return true;
    }
    lower.split('/').any(|seg| {
        matches!(seg, "data" | "db" | "volumes")
            || seg.ends_with("_data")
            || seg.ends_with("-data")
            || seg.ends_with("_db")
            || seg.ends_with("-db")
    })
}

fn copy_of_data(program: &str, words: &[&str], command: &Command) -> Option<StepKind> {
    let any = Some(StepKind::Backup { family: None });
    let creates = match program {
        "tar" => {
            words.contains(&"--create")
                || words.first().is_some_and(|w| {
                    let w = w.trim_start_matches('-');
                    !w.is_empty()
                        && w.chars().all(|c| c.is_ascii_alphabetic())
                        && w.contains('c')
                        && !w.contains('x')
                        && !w.contains('t')
                })
                || words.iter().any(|w| {
                    w.starts_with('-')
                        && !w.starts_with("--")
                        && w[1..].chars().all(|c| c.is_ascii_alphabetic())
                        && w.contains('c')
                        && !w.contains('x')
                })
        }
        "cp" => words.iter().any(|w| {
            matches!(*w, "--recursive" | "--archive")
                || (w.starts_with('-')
                    && !w.starts_with("--")
                    && w[1..].chars().any(|c| matches!(c, 'r' | 'R' | 'a')))
        }),
        _ => true,
    };
    if !creates {
        return None;
    }
    let positional: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect();
    if positional.iter().any(|w| data_like(w)) {
        return any;
    }
    // `docker run -v pgdata:/data alpine tar czf /backup/x.tgz /data`: the mounted volume.
    let all: Vec<String> = command.argv.iter().map(|w| w.display()).collect();
    let mounts_data = all
        .windows(2)
        .any(|w| matches!(w[0].as_str(), "-v" | "--volume") && data_like(&w[1]));
    mounts_data.then_some(())?;
    any
}

/// Package binaries that run migrations, as `yarn <tool>` / `pnpm <tool>` call them.
const JS_MIGRATION_TOOLS: &[&str] = &[
    "prisma",
    "knex",
    "sequelize",
    "sequelize-cli",
    "typeorm",
    "drizzle-kit",
    "node-pg-migrate",
];

fn is_migration_run(program: &str, words: &[&str], command: &Command, host: &str) -> bool {
    // Runners in front of the tool: `npx prisma …`, `bundle exec rake …`, `python manage.py …`.
    let (program, words): (String, Vec<&str>) = {
        let mut p = program.to_string();
        let mut w: Vec<&str> = words.to_vec();
        loop {
            match (p.as_str(), w.first().copied()) {
                ("npx" | "bunx" | "pnpx", Some(next)) => {
                    let at = w.iter().position(|x| !x.starts_with('-')).unwrap_or(0);
                    p = basename(w.get(at).copied().unwrap_or(next)).to_string();
                    w = w.get(at + 1..).map(<[&str]>::to_vec).unwrap_or_default();
                }
                ("bundle" | "poetry" | "pipenv" | "uv" | "pnpm" | "yarn", Some("exec" | "run"))
                    if w.len() > 1 =>
                {
                    p = basename(w[1]).to_string();
                    w = w[2..].to_vec();
                }
                ("python" | "python3" | "php" | "node", Some(next)) if !next.starts_with('-') => {
                    p = basename(next).to_string();
                    w = w[1..].to_vec();
                }
                // `yarn prisma db push`, `pnpm knex migrate:latest`: a package binary.
                ("yarn" | "pnpm" | "bun", Some(next)) if JS_MIGRATION_TOOLS.contains(&next) => {
                    p = next.to_string();
                    w = w[1..].to_vec();
                }
                ("python" | "python3", Some("-m")) if w.len() > 1 => {
                    p = basename(w[1]).to_string();
                    w = w[2..].to_vec();
                }
                _ => break,
            }
        }
        (p, w)
    };
    let words = words.as_slice();
    match program.as_str() {
        "migrate" | "goose" | "node-pg-migrate" => words
            .iter()
            .any(|w| matches!(*w, "up" | "up-by-one" | "up-to" | "goto")),
        "flyway" => has(words, "migrate"),
        "alembic" => has(words, "upgrade"),
        "prisma" => seq(words, &["migrate", "deploy"]) || seq(words, &["db", "push"]),
        "rails" | "rake" => words.iter().any(|w| w.starts_with("db:migrate")),
        "manage.py" | "django-admin" => has(words, "migrate"),
        "artisan" => has(words, "migrate"),
        "dbmate" => has(words, "up") || has(words, "migrate"),
        "sqitch" => has(words, "deploy"),
        "knex" => words
            .iter()
            .any(|w| w.starts_with("migrate:latest") || *w == "migrate:up"),
        "sequelize" | "sequelize-cli" => has(words, "db:migrate"),
        "typeorm" | "typeorm-ts-node-commonjs" => has(words, "migration:run"),
        "diesel" => seq(words, &["migration", "run"]),
        "sqlx" => seq(words, &["migrate", "run"]),
        "liquibase" => has(words, "update"),
        "mix" => has(words, "ecto.migrate"),
        "atlas" => seq(words, &["migrate", "apply"]) || seq(words, &["schema", "apply"]),
        "drizzle-kit" => has(words, "migrate") || has(words, "push"),
        "flask" => seq(words, &["db", "upgrade"]),
        "dotnet" => seq(words, &["ef", "database", "update"]),
        "npm" | "yarn" | "pnpm" | "bun" => words
            .iter()
            .filter(|w| !w.starts_with('-') && **w != "run")
            .take(1)
            .any(|w| w.starts_with("migrate") || w.starts_with("db:migrate")),
        "psql" | "mysql" | "mariadb" | "sqlite3" => {
            let file = file_arg(words);
            match file {
                Some(f) if f.to_ascii_lowercase().contains("migrat") => true,
                Some(f) if f.starts_with('$') => {
                    in_loop(command) && preceding(host, command, 400).contains("migrat")
                }
                _ => {
                    redirected_from(command).is_some_and(|f| f.contains("migrat"))
                        || (in_loop(command)
                            && redirected_from(command).is_some_and(|f| f.starts_with('$'))
                            && preceding(host, command, 400).contains("migrat"))
                }
            }
        }
        _ => false,
    }
}

fn restore_kind(program: &str, words: &[&str], command: &Command) -> Option<StepKind> {
    match program {
        "pg_restore" => {
            let clean = words.iter().any(|w| {
                *w == "--clean"
                    || (w.starts_with('-')
                        && !w.starts_with("--")
                        && short_cluster_has(w, 'c', "dfFIjLnNPStTUhpW"))
            });
            Some(if clean {
                StepKind::Restore
            } else {
                StepKind::Load
            })
        }
        "mongorestore" => Some(if has(words, "--drop") {
            StepKind::Restore
        } else {
            StepKind::Load
        }),
        "dropdb" => Some(StepKind::Drop),
        "mysqladmin" | "mariadb-admin" => has(words, "drop").then_some(StepKind::Drop),
        "psql" | "mysql" | "mariadb" => {
            let sql = sql_text(words, command).to_ascii_uppercase();
            let squashed: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            if squashed.contains("DROP DATABASE") || squashed.contains("DROP SCHEMA") {
                return Some(StepKind::Drop);
            }
            let file = file_arg(words);
            let loads = redirected_from(command).is_some_and(|f| dump_like(&f))
                || piped_into(command)
                || file.is_some_and(|f| dump_like(&f))
                || squashed.contains("SOURCE ")
                || squashed.contains("\\I ");
            loads.then_some(StepKind::Load)
        }
        _ => None,
    }
}

/// Whether a short-flag cluster (`-cC`, `-Fc`) holds `flag` before any value-taking flag.
fn short_cluster_has(word: &str, flag: char, value_flags: &str) -> bool {
    for c in word.chars().skip(1) {
        if c == flag {
            return true;
        }
        if value_flags.contains(c) {
            return false;
        }
    }
    false
}

/// The SQL a client runs from its arguments (`-c`, `-e`, `--command`) and standard input.
fn sql_text(words: &[&str], command: &Command) -> String {
    let mut out = String::new();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if matches!(*w, "-c" | "-e" | "--command" | "--execute") {
            if let Some(v) = it.next() {
                out.push_str(v);
                out.push('\n');
            }
        } else if let Some(v) = w
            .strip_prefix("--command=")
            .or_else(|| w.strip_prefix("--execute="))
        {
            out.push_str(v);
            out.push('\n');
        }
    }
    if let Some(stdin) = &command.stdin {
        out.push_str(&stdin.text);
    }
    out
}

fn is_deploy(program: &str, words: &[&str]) -> bool {
    match program {
        "docker" | "podman" | "docker-compose" | "podman-compose" => {
            // `compose up --build` alone rebuilds what is checked out: a dev loop or a test run
            // (`--abort-on-container-exit`) as often as a deploy; fetching new code or images
            // (`git pull`, `compose pull`) is what says the application is being updated.
            (words.contains(&"compose") || program.ends_with("compose")) && has(words, "pull")
                || has(words, "stack") && has(words, "deploy")
        }
        "kubectl" | "oc" => {
            has(words, "apply") || seq(words, &["rollout", "restart"]) || has(words, "set")
        }
        "helm" => has(words, "upgrade") || has(words, "install"),
        "git" => has(words, "pull"),
        _ => false,
    }
}

const CALL_WORDS: &[&str] = &["backup", "dump", "snapshot"];

/// Whether a name says it backs up (`backup_db`, `db-snapshot`, `dump.sh`).
pub fn name_says_backup(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // Tools whose name says dump but that dump something else.
    const OTHER_DUMPS: &[&str] = &[
        "tcpdump", "hexdump", "objdump", "coredump", "dumpe2fs", "dumpsys",
    ];
    let base = lower.rsplit('/').next().unwrap_or(&lower);
    CALL_WORDS.iter().any(|w| lower.contains(w))
        && !lower.contains("restore")
        && !OTHER_DUMPS.iter().any(|o| base.starts_with(o))
}

fn callee(first: &str, program: &str, words: &[&str], functions: &[String]) -> Option<Callee> {
    if functions.iter().any(|f| f == first) {
        return Some(Callee::Function {
            name: first.to_string(),
        });
    }
    let literal_args = |from: &[&str]| from.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match program {
        "bash" | "sh" | "zsh" | "dash" | "ksh" | "source" | "." => {
            let at = words.iter().position(|w| !w.starts_with('-'))?;
            if words.get(at.wrapping_sub(1)) == Some(&"-c") {
                return None;
            }
            return Some(Callee::Script {
                path: words[at].to_string(),
                args: literal_args(&words[at + 1..]),
            });
        }
        "make" | "gmake" | "$(MAKE)" | "${MAKE}" | "$MAKE" => {
            let mut targets = Vec::new();
            let mut dir = None;
            let mut it = words.iter();
            while let Some(w) = it.next() {
                if *w == "-C" || *w == "--directory" {
                    dir = it.next().map(|s| s.to_string());
                } else if *w == "-f" || *w == "--file" {
                    it.next();
                } else if !w.starts_with('-') && !w.contains('=') {
                    targets.push(w.to_string());
                }
            }
            return Some(Callee::Make { targets, dir });
        }
        "npm" | "yarn" | "pnpm" | "bun" | "just" | "task" | "invoke" | "fab" => {
            let name = words
                .iter()
                .find(|w| !w.starts_with('-') && **w != "run")?
                .to_string();
            return Some(Callee::Named { name });
        }
        "docker" | "podman" | "docker-compose" | "podman-compose" => {
            // `docker compose run --rm backup` with no command: the service's own entry point.
            let at = words.iter().position(|w| *w == "run")?;
            let service = words[at + 1..].iter().find(|w| !w.starts_with('-'))?;
            return Some(Callee::Named {
                name: service.to_string(),
            });
        }
        _ => {}
    }
    if first.contains('/') || first.ends_with(".sh") || first == "$0" {
        return Some(Callee::Script {
            path: first.to_string(),
            args: literal_args(words),
        });
    }
    // A database's own dump tool that `backup_kind` did not take (`pg_dump --schema-only`,
    // `mysqldump --no-data`) dumps no data, whatever its name says.
    (name_says_backup(program) && program_family(program).is_none()).then(|| Callee::Named {
        name: program.to_string(),
    })
}

/// The classified commands of one file, as (command index, step), for `--debug-facts`.
pub fn steps_of(facts: &crate::model::FileFacts, catalog: &Catalog) -> Vec<(usize, Step)> {
    let functions: Vec<String> = facts
        .shell
        .functions
        .iter()
        .map(|f| f.name.clone())
        .collect();
    facts
        .shell
        .commands
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, classify(c, &facts.file.text, &functions, catalog)?)))
        .collect()
}

#[cfg(test)]
mod tests;
