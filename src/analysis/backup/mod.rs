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

pub mod path;

use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::command::{Command, Scope};

const IMAGES_TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/backup-images.toml"
));

/// One `[[image]]` entry of the sidecar table.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SidecarImage {
    pub images: Vec<String>,
    /// Families it backs up; empty means any.
    #[serde(default)]
    pub families: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImagesFile {
    image: Vec<SidecarImage>,
}

/// What counts as a backup mechanism: the shipped sidecar images plus the user's extra commands
/// and images (`backup-commands`, `backup-images` in the config file).
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub images: Vec<SidecarImage>,
    /// Extra backup commands, as words (`["acme-dump"]`, `["bin/db", "snapshot"]`).
    pub commands: Vec<Vec<String>>,
}

impl Catalog {
    /// The shipped table (parsed once; its validity is checked by a unit test).
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let file: ImagesFile = toml::from_str(IMAGES_TABLE).unwrap_or_default();
            Catalog {
                images: file.image,
                commands: Vec::new(),
            }
        })
    }

    /// The shipped table extended by the config file.
    pub fn with_config(commands: &[String], images: &[String]) -> Catalog {
        let mut catalog = Catalog::builtin().clone();
        catalog.commands = commands
            .iter()
            .map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .filter(|c| !c.is_empty())
            .collect();
        if !images.is_empty() {
            catalog.images.insert(
                0,
                SidecarImage {
                    images: images.to_vec(),
                    families: Vec::new(),
                },
            );
        }
        catalog
    }

    /// The families a sidecar image backs up (`Some(empty)` for any), or `None` when the image
    /// is not a backup sidecar. `image` may carry a registry and a tag.
    pub fn sidecar(&self, image: &str) -> Option<&[String]> {
        let path = image_path(image);
        self.images
            .iter()
            .find(|e| {
                e.images.iter().any(|p| {
                    let p = p.to_ascii_lowercase();
                    match p.strip_suffix("/*") {
                        Some(ns) => path.starts_with(&format!("{ns}/")),
                        None => path == p || path.ends_with(&format!("/{p}")),
                    }
                })
            })
            .map(|e| e.families.as_slice())
    }
}

/// `docker.io/library/postgres:16@sha…` → `postgres`; `ghcr.io/a/b:1` → `ghcr.io/a/b`.
fn image_path(image: &str) -> String {
    let lower = image.to_ascii_lowercase();
    let no_digest = lower.split('@').next().unwrap_or(&lower);
    // A tag is a `:` after the last `/`.
    let no_tag = match no_digest.rsplit_once(':') {
        Some((head, tail)) if !tail.contains('/') => head,
        _ => no_digest,
    };
    let trimmed = no_tag
        .strip_prefix("docker.io/")
        .unwrap_or(no_tag)
        .strip_prefix("library/")
        .unwrap_or_else(|| no_tag.strip_prefix("docker.io/").unwrap_or(no_tag));
    trimmed.to_string()
}

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

/// The database family a client program works on (`psql` → postgres).
pub fn program_family(program: &str) -> Option<&'static str> {
    Some(match program {
        "psql" | "pg_dump" | "pg_dumpall" | "pg_restore" | "pg_basebackup" | "dropdb"
        | "createdb" | "pgbackrest" | "wal-g" | "barman" => "postgres",
        "mysql" | "mysqldump" | "mysqladmin" | "mysqlpump" | "mydumper" | "myloader"
        | "xtrabackup" => "mysql",
        "mariadb" | "mariadb-dump" | "mariadb-admin" | "mariadb-backup" | "mariabackup" => {
            "mariadb"
        }
        "mongo" | "mongosh" | "mongodump" | "mongorestore" => "mongo",
        "redis-cli" | "valkey-cli" => "redis",
        _ => return None,
    })
}

/// The program words after wrappers that do not change what runs (`sudo`, `env X=1`, `time`,
/// `docker exec db`, `docker compose exec -T db`, `kubectl exec pod --`, `sh -c '…'`).
///
/// The shell layer strips most wrappers itself (`Command::via`); this covers the rest so a
/// backup behind any of them is still seen.
pub fn inner_argv(command: &Command) -> Vec<String> {
    let words: Vec<String> = command.argv.iter().map(|w| w.display()).collect();
    unwrap_words(words, 0)
}

fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

fn unwrap_words(words: Vec<String>, depth: usize) -> Vec<String> {
    if depth > 8 || words.is_empty() {
        return words;
    }
    let program = basename(&words[0]).to_string();
    let rest = &words[1..];
    let skip_flags = |from: usize, value_flags: &[&str]| -> usize {
        let mut i = from;
        while i < words.len() {
            let w = &words[i];
            if w == "--" {
                return i + 1;
            }
            if !w.starts_with('-') || w == "-" {
                break;
            }
            let name = w.split('=').next().unwrap_or(w);
            i += if value_flags.contains(&name) && !w.contains('=') {
                2
            } else {
                1
            };
        }
        i
    };
    let next = match program.as_str() {
        "sudo" | "doas" => skip_flags(1, &["-u", "-g", "-C", "-h", "-p", "-U", "--user"]),
        "time" | "nohup" | "exec" | "command" | "builtin" => skip_flags(1, &[]),
        "nice" | "ionice" => skip_flags(1, &["-n", "-c"]),
        "timeout" => skip_flags(1, &["-s", "-k"]) + 1,
        "env" => {
            let mut i = skip_flags(1, &["-u", "-C", "-S"]);
            while i < words.len() && words[i].contains('=') && !words[i].starts_with('-') {
                i += 1;
            }
            i
        }
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "ssh" => {
            // `bash -c '…'`, `ssh host '…'`: split the string roughly into words.
            let string = if program == "ssh" {
                let at = skip_flags(1, &["-i", "-p", "-l", "-o", "-F", "-J", "-L", "-R"]);
                words.get(at + 1..).map(|w| w.join(" "))
            } else {
                rest.iter()
                    .position(|w| w == "-c" || (w.starts_with('-') && w.ends_with('c')))
                    .and_then(|at| rest.get(at + 1).cloned())
            };
            let Some(string) = string else {
                return words;
            };
            let split: Vec<String> = string
                .split(|c: char| c.is_whitespace() || c == ';')
                .filter(|w| !w.is_empty())
                .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
                .collect();
            return unwrap_words(split, depth + 1);
        }
        "kubectl" | "oc" => match rest.iter().position(|w| w == "--") {
            Some(at) if rest.first().is_some_and(|w| w == "exec") => at + 2,
            _ => return words,
        },
        "docker" | "podman" | "docker-compose" | "podman-compose" => {
            return unwrap_docker(&words, depth);
        }
        _ => return words,
    };
    match words.get(next..) {
        Some(inner) if !inner.is_empty() => unwrap_words(inner.to_vec(), depth + 1),
        _ => words,
    }
}

/// `docker exec [opts] ctr cmd…`, `docker compose [globals] exec|run [opts] svc cmd…`,
/// `docker run [opts] image cmd…`.
fn unwrap_docker(words: &[String], depth: usize) -> Vec<String> {
    let mut i = 1;
    let program = basename(&words[0]);
    let compose = program.ends_with("compose")
        || words.get(1).is_some_and(|w| w == "compose")
        || words
            .iter()
            .skip(1)
            .take_while(|w| w.starts_with('-'))
            .count()
            > 0
            && words.iter().any(|w| w == "compose");
    const VALUE: &[&str] = &[
        "-u",
        "--user",
        "-e",
        "--env",
        "-w",
        "--workdir",
        "--env-file",
        "-v",
        "--volume",
        "--name",
        "--network",
        "--net",
        "--entrypoint",
        "-p",
        "--publish",
        "--mount",
        "--volumes-from",
        "-l",
        "--label",
        "--index",
        "-f",
        "--file",
        "--project-name",
        "--project-directory",
        "-c",
        "--context",
        "-H",
        "--host",
        "--profile",
        "--platform",
        "--pull",
        "--detach-keys",
        "--link",
        "--hostname",
        "-h",
        "--restart",
        "--memory",
        "-m",
        "--cpus",
        "--tmpfs",
        "--add-host",
    ];
    let skip = |mut i: usize| {
        while i < words.len() {
            let w = &words[i];
            if !w.starts_with('-') || w == "-" {
                break;
            }
            let name = w.split('=').next().unwrap_or(w);
            i += if VALUE.contains(&name) && !w.contains('=') {
                2
            } else {
                1
            };
        }
        i
    };
    i = skip(i);
    if compose && words.get(i).is_some_and(|w| w == "compose") {
        i = skip(i + 1);
    }
    let Some(sub) = words.get(i) else {
        return words.to_vec();
    };
    if !matches!(sub.as_str(), "exec" | "run") {
        return words.to_vec();
    }
    i = skip(i + 1);
    // The container, service or image.
    i += 1;
    match words.get(i..) {
        Some(inner) if !inner.is_empty() => unwrap_words(inner.to_vec(), depth + 1),
        _ => words.to_vec(),
    }
}

/// The service a command runs in (`docker compose exec -T db …` → `db`), when it says so.
pub fn compose_service(command: &Command) -> Option<String> {
    let words: Vec<String> = command.argv.iter().map(|w| w.display()).collect();
    let mut via_words: Vec<String> = command
        .via
        .iter()
        .flat_map(|v| v.split_whitespace().map(str::to_string))
        .collect();
    via_words.extend(words);
    let at = via_words.iter().position(|w| w == "exec" || w == "run")?;
    let before = &via_words[..at];
    if !before
        .iter()
        .any(|w| w == "compose" || w.ends_with("docker-compose") || w.ends_with("podman-compose"))
    {
        return None;
    }
    via_words[at + 1..]
        .iter()
        .find(|w| !w.starts_with('-') && !w.contains('='))
        .cloned()
}

/// The container a `docker exec`/`podman exec` runs in, from the wrappers the shell layer
/// removed or the words themselves.
fn container_of(command: &Command) -> Option<String> {
    let mut words: Vec<String> = command
        .via
        .iter()
        .flat_map(|v| v.split_whitespace().map(str::to_string))
        .collect();
    words.extend(command.argv.iter().map(|w| w.display()));
    let at = words.iter().position(|w| w == "exec")?;
    let before = words.get(at.checked_sub(1)?)?;
    if !(before.ends_with("docker") || before.ends_with("podman")) {
        return None;
    }
    words[at + 1..]
        .iter()
        .find(|w| !w.starts_with('-'))
        .cloned()
}

/// The database a client command connects to or dumps, when written literally
/// (`pg_dump -U app shop` → `shop`, `psql -d postgres://h/shop` → `shop`, `dropdb shop`);
/// `None` when unknown, expanded at run time, or several (`--all-databases`, `pg_dumpall`).
pub fn database_name(command: &Command) -> Option<String> {
    let argv = inner_argv(command);
    let program = basename(argv.first()?).to_string();
    let (value_flags, db_flags): (&[&str], &[&str]) = match program.as_str() {
        "psql" => (
            &[
                "-c",
                "-d",
                "-f",
                "-h",
                "-p",
                "-U",
                "-v",
                "-o",
                "-L",
                "-P",
                "-T",
                "-F",
                "-R",
                "--command",
                "--file",
                "--host",
                "--port",
                "--username",
                "--set",
                "--variable",
                "--output",
                "--log-file",
                "--pset",
                "--field-separator",
                "--record-separator",
            ],
            &["-d", "--dbname"],
        ),
        "pg_dump" | "pg_restore" => (
            &[
                "-d",
                "-f",
                "-F",
                "-h",
                "-p",
                "-U",
                "-n",
                "-N",
                "-t",
                "-T",
                "-j",
                "-Z",
                "-E",
                "-S",
                "-I",
                "-L",
                "-P",
                "--file",
                "--format",
                "--host",
                "--port",
                "--username",
                "--schema",
                "--exclude-schema",
                "--table",
                "--exclude-table",
                "--exclude-table-data",
                "--jobs",
                "--compress",
                "--encoding",
                "--superuser",
                "--role",
                "--lock-wait-timeout",
                "--index",
                "--function",
                "--use-list",
            ],
            &["-d", "--dbname"],
        ),
        "dropdb" | "createdb" => (
            &[
                "-h",
                "-p",
                "-U",
                "-O",
                "-T",
                "-E",
                "-D",
                "--host",
                "--port",
                "--username",
                "--owner",
                "--template",
                "--encoding",
                "--tablespace",
                "--maintenance-db",
            ],
            &[],
        ),
        "mysql" | "mariadb" | "mysqldump" | "mariadb-dump" => (
            &[
                "-u",
                "-h",
                "-P",
                "-e",
                "-D",
                "-S",
                "-r",
                "--user",
                "--host",
                "--port",
                "--execute",
                "--socket",
                "--result-file",
                "--defaults-file",
                "--where",
            ],
            &["-D", "--database"],
        ),
        _ => return None,
    };
    let literal = |v: &str| -> Option<String> {
        let v = v.trim_matches(|c| c == '"' || c == '\'');
        let name = if v.contains("://") {
            let path = v.split('?').next().unwrap_or(v);
            path.rsplit_once('/').map(|(_, db)| db)?
        } else {
            v
        };
        (!name.is_empty() && !name.contains(['$', '`', '=', ' '])).then(|| name.to_string())
    };
    let mut positional = None;
    let mut i = 1;
    while i < argv.len() {
        let w = argv[i].as_str();
        if matches!(w, "--all-databases" | "-A" | "--databases" | "-B") && program.contains("dump")
        {
            return None;
        }
        if db_flags.contains(&w) {
            return argv.get(i + 1).and_then(|v| literal(v));
        }
        if let Some((flag, value)) = w.split_once('=')
            && db_flags.contains(&flag)
        {
            return literal(value);
        }
        if w.starts_with('-') {
            // `-U postgres` takes a value; `-Upostgres`, `--username=x`, `-w` do not.
            i += if value_flags.contains(&w) { 2 } else { 1 };
            continue;
        }
        if positional.is_none() {
            positional = Some(w);
        }
        if program == "pg_restore" {
            // pg_restore's positional is the dump file.
            positional = None;
        }
        i += 1;
    }
    positional.and_then(literal)
}

/// The database a command creates (`createdb shop_check`, `psql -c "CREATE DATABASE
/// shop_check"`), when named literally.
pub fn created_database(command: &Command) -> Option<String> {
    let argv = inner_argv(command);
    let program = basename(argv.first()?).to_string();
    if program == "createdb" {
        return database_name(command);
    }
    if !matches!(program.as_str(), "psql" | "mysql" | "mariadb") {
        return None;
    }
    let words: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let sql = sql_text(&words, command);
    let upper = sql.to_ascii_uppercase();
    let at = upper.find("CREATE DATABASE")? + "CREATE DATABASE".len();
    let rest = sql.get(at..)?.trim_start();
    // `IF NOT EXISTS` keeps a database that was there: not a fresh one.
    if rest.to_ascii_uppercase().starts_with("IF NOT EXISTS") {
        return None;
    }
    let name: String = rest
        .trim_start_matches(['"', '`'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    (!name.is_empty()).then_some(name)
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
    if let Some(kind) = backup_kind(&program, &words, command) {
        if dump_discarded(&program, &words, command, host) {
            return None;
        }
        return step(kind);
    }
    if is_migration_run(&program, &words, command, host) {
        return step(StepKind::Migration);
    }
    if let Some(kind) = restore_kind(&program, &words, command, host) {
        return step(kind);
    }
    if is_deploy(&program, &words) {
        return step(StepKind::Deploy);
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

fn backup_kind(program: &str, words: &[&str], command: &Command) -> Option<StepKind> {
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
        "docker" | "podman" if words.first() == Some(&"cp") => {
            words.iter().skip(1).any(|w| data_like(w)).then_some(())?;
            any
        }
        _ => None,
    }
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
                    redirected_from(host, command).is_some_and(|f| f.contains("migrat"))
                        || (in_loop(command)
                            && redirected_from(host, command).is_some_and(|f| f.starts_with('$'))
                            && preceding(host, command, 400).contains("migrat"))
                }
            }
        }
        _ => false,
    }
}

fn in_loop(command: &Command) -> bool {
    command.scopes.iter().any(|s| matches!(s, Scope::Loop))
}

/// Up to `n` bytes of host text before the command, lowercased.
fn preceding(host: &str, command: &Command, n: usize) -> String {
    let end = command.span.start().min(host.len());
    let mut start = end.saturating_sub(n);
    while start > 0 && !host.is_char_boundary(start) {
        start -= 1;
    }
    host.get(start..end).unwrap_or("").to_ascii_lowercase()
}

/// The `-f FILE` / `--file=FILE` argument of a SQL client.
fn file_arg(words: &[&str]) -> Option<String> {
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if *w == "-f" || *w == "--file" {
            return it.next().map(|s| s.to_string());
        }
        if let Some(v) = w.strip_prefix("--file=") {
            return Some(v.to_string());
        }
        if let Some(v) = w.strip_prefix("-f")
            && !v.is_empty()
        {
            return Some(v.to_string());
        }
    }
    None
}

/// The rest of the command's line after its span (a trailing `< file` sits outside the command
/// node), up to the next command separator.
fn after_on_line<'h>(host: &'h str, command: &Command) -> &'h str {
    let start = command.span.end().min(host.len());
    let rest = host.get(start..).unwrap_or("");
    let end = rest.find(['\n', ';', '|', '&']).unwrap_or(rest.len());
    &rest[..end]
}

/// `psql db < dump.sql`: the file redirected into standard input.
fn redirected_from(host: &str, command: &Command) -> Option<String> {
    let rest = after_on_line(host, command);
    let at = rest.find('<')?;
    let tail = &rest[at + 1..];
    if tail.starts_with('<') || tail.starts_with('(') {
        return None;
    }
    let word = tail.split_whitespace().next()?;
    Some(word.trim_matches(|c| c == '"' || c == '\'').to_string())
}

/// A file a SQL client loads that may be a dump: not a schema, seed or migration file.
fn dump_like(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    !["schema", "init", "seed", "migrat", "fixture", "structure"]
        .iter()
        .any(|w| lower.contains(w))
}

/// What follows a command in its list on its line, after its redirections and pipeline stages.
enum Tail<'h> {
    /// Nothing that changes how it runs (`;`, `&&`, the line end).
    Plain,
    /// `cmd || handler`: the handler's text.
    Or(&'h str),
    /// `cmd &`: it runs in the background.
    Background,
}

fn tail<'h>(host: &'h str, command: &Command) -> Tail<'h> {
    let start = command.span.end().min(host.len());
    let rest = host.get(start..).unwrap_or("");
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let bytes = line.as_bytes();
    let mut quote = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match (quote, c) {
            (None, b'\'' | b'"') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, b';') => return Tail::Plain,
            (None, b'&') if bytes.get(i + 1) == Some(&b'&') => return Tail::Plain,
            // `2>&1` and `&>` are redirections.
            (None, b'&') if (i == 0 || bytes[i - 1] != b'>') && bytes.get(i + 1) != Some(&b'>') => {
                return Tail::Background;
            }
            (None, b'|') if bytes.get(i + 1) == Some(&b'|') => {
                return Tail::Or(line.get(i + 2..).map_or("", str::trim));
            }
            _ => {}
        }
        i += 1;
    }
    Tail::Plain
}

/// Whether a command runs in the background (`pg_dump … > x.sql &`): what follows does not wait
/// for it.
pub fn backgrounded(command: &Command, host: &str) -> bool {
    matches!(tail(host, command), Tail::Background)
}

/// Whether a command's failure is explicitly ignored: `pg_dump … || true`, `|| echo "backup
/// failed"`, `|| :`. A handler that stops (`|| exit 1`, `|| { echo …; exit 1; }`, `|| return 1`,
/// `|| die "…"`, `|| false` under `set -e`) does not ignore it.
///
/// `exits(name)` says whether a function of the file called as the handler exits
/// (`|| fail_backup` where `fail_backup() { …; exit 1; }`).
pub fn failure_ignored(command: &Command, host: &str, exits: &dyn Fn(&str) -> bool) -> bool {
    let Tail::Or(handler) = tail(host, command) else {
        return false;
    };
    let first = handler
        .trim_start_matches(['{', '(', ' '])
        .split_whitespace()
        .next()
        .unwrap_or("");
    let stops = handler
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(|w| matches!(w, "exit" | "return"))
        || matches!(
            first,
            "false" | "die" | "fail" | "fatal" | "abort" | "error" | "panic" | "err" | "bail"
        )
        || exits(first);
    !stops
}

/// Where the command's standard output goes when it is redirected to a file (`> f`, `>> f`,
/// `&> f`), as written.
fn stdout_target(host: &str, command: &Command) -> Option<String> {
    let rest = after_on_line(host, command);
    let bytes = rest.as_bytes();
    let at = (0..bytes.len()).find(|&i| {
        bytes[i] == b'>'
            && (i == 0 || !bytes[i - 1].is_ascii_digit() || bytes[i - 1] == b'1')
            && (i == 0 || bytes[i - 1] != b'>')
    })?;
    let tail = rest[at..].trim_start_matches(['>', '|']);
    let word = tail.split_whitespace().next()?;
    Some(word.trim_matches(|c| c == '"' || c == '\'').to_string())
}

/// A dump written nowhere: `pg_dump shop > /dev/null`, `mysqldump -r /dev/null shop` (a
/// connectivity check, not a backup).
fn dump_discarded(program: &str, words: &[&str], command: &Command, host: &str) -> bool {
    if !matches!(
        program,
        "pg_dump" | "pg_dumpall" | "mysqldump" | "mariadb-dump" | "mysqlpump"
    ) {
        return false;
    }
    let mut file = None;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if matches!(*w, "-f" | "--file" | "-r" | "--result-file") {
            file = it.next().map(|s| s.to_string());
        } else if let Some(v) = w
            .strip_prefix("--file=")
            .or_else(|| w.strip_prefix("--result-file="))
        {
            file = Some(v.to_string());
        }
    }
    let target = file.or_else(|| stdout_target(host, command));
    target.is_some_and(|t| t == "/dev/null")
}

/// `gunzip -c dump.gz | psql`: the command reads a pipe fed by something that may carry a
/// dump. SQL written in the script (`echo "TRUNCATE …" | psql`, `cat <<EOF | psql`) or a schema,
/// seed or migration file (`cat schema.sql | psql`) is not a dump being loaded.
fn piped_into(host: &str, command: &Command) -> bool {
    let end = command.span.start().min(host.len());
    let before = host.get(..end).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or(before);
    let mut trimmed = line.trim_end();
    // `… | docker compose exec -T db psql shop`: the command's span starts after the wrappers
    // the shell layer removed; the pipe feeds the wrapper.
    if !command.via.is_empty()
        && !trimmed.ends_with('|')
        && let Some(at) = trimmed.rfind('|')
        && !trimmed[at + 1..].contains([';', '&', '('])
    {
        trimmed = trimmed[..=at].trim_end();
    }
    let Some(left) = trimmed.strip_suffix('|') else {
        return false;
    };
    if left.ends_with('|') {
        return false;
    }
    // The pipe's left side: the text after the last command separator outside quotes.
    let mut quote = None;
    let mut start = 0;
    for (i, c) in left.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, '|' | ';' | '&' | '(' | '`') => start = i + 1,
            _ => {}
        }
    }
    let feeder = left.get(start..).unwrap_or(left).trim();
    if feeder.contains("<<") {
        return false;
    }
    let mut words = feeder
        .split_whitespace()
        .skip_while(|w| w.contains('=') && !w.starts_with('-'));
    match words.next().map(basename) {
        Some("echo" | "printf") => false,
        Some("cat") => words
            .filter(|w| !w.starts_with('-'))
            .all(|f| dump_like(f.trim_matches(|c| c == '"' || c == '\''))),
        _ => true,
    }
}

fn restore_kind(program: &str, words: &[&str], command: &Command, host: &str) -> Option<StepKind> {
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
            let loads = redirected_from(host, command).is_some_and(|f| dump_like(&f))
                || piped_into(host, command)
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

/// A stateful service whose data outlives its container (a named volume or a bind mount at its
/// data directory), from the repository's Compose projects.
#[derive(Clone, Debug)]
pub struct DataService {
    pub path: String,
    pub name: String,
    pub name_span: crate::source::Span,
    pub image: Option<String>,
    pub family: String,
    pub dump_tool: String,
    /// "volume `pgdata`", "bind mount `./data`".
    pub storage: String,
    /// Where that mount is written (file, span).
    pub storage_at: Option<(String, crate::source::Span)>,
    /// The context of the project's base file.
    pub context: crate::levels::Context,
}

/// Every stateful service with persistent data, in project order.
pub fn data_services(
    repo: &crate::analysis::repo::RepoFacts,
    files: &[crate::model::FileFacts],
) -> Vec<DataService> {
    use crate::model::store::MountKind;
    let mut out: Vec<DataService> = Vec::new();
    for (project, service) in repo.stateful_services() {
        let found = service.data.iter().find_map(|d| {
            let storage = match d.kind {
                MountKind::Named => {
                    format!("volume `{}`", d.docker_name.as_deref().unwrap_or(&d.source))
                }
                MountKind::Bind => format!("bind mount `{}`", d.source),
                _ => return None,
            };
            Some((storage, (d.path.clone(), d.span)))
        });
        let (storage, storage_at) = match found {
            Some((storage, at)) => (storage, Some(at)),
            None => ("a persistent volume".to_string(), None),
        };
        if out
            .iter()
            .any(|o| o.path == service.path && o.name_span == service.span)
        {
            continue;
        }
        out.push(DataService {
            path: service.path.clone(),
            name: service.service.clone(),
            name_span: service.span,
            image: (!service.image.is_empty()).then(|| service.image.clone()),
            family: service.family.clone(),
            dump_tool: service.dump_tool.clone(),
            storage,
            storage_at,
            context: repo.context_of(project, files),
        });
    }
    out
}

/// The database a command acts on: the Compose service it runs in (`docker compose exec db …`),
/// else the only data service of the family its client program works on (or the only one at
/// all); and that family, when the program says it.
pub fn database_of<'s>(
    command: &Command,
    services: &'s [DataService],
) -> (Option<&'s DataService>, Option<&'static str>) {
    let argv = inner_argv(command);
    let family = argv.first().map(|p| basename(p)).and_then(program_family);
    if let Some(named) =
        compose_service(command).and_then(|s| services.iter().find(|d| d.name == s))
    {
        return (Some(named), family);
    }
    // `docker exec shop-db-1 …`: Compose names containers `<project>-<service>-<n>`.
    if let Some(container) = container_of(command) {
        let named = services.iter().find(|d| {
            container == d.name
                || container.contains(&format!("-{}-", d.name))
                || container.contains(&format!("_{}_", d.name))
                || container.ends_with(&format!("-{}", d.name))
        });
        if named.is_some() {
            return (named, family);
        }
    }
    let candidates: Vec<&DataService> = services
        .iter()
        .filter(|s| family.is_none_or(|f| family_covers(Some(f), &s.family)))
        .collect();
    match candidates.as_slice() {
        [only] => (Some(*only), family),
        _ => (None, family),
    }
}

/// The first non-additive statement of the repository's pending up-migrations, as (file index,
/// statement span); migrations of test fixtures do not count.
pub fn pending_non_additive(
    files: &[crate::model::FileFacts],
) -> Option<(usize, crate::source::Span)> {
    files.iter().enumerate().find_map(|(i, f)| {
        if f.kind != crate::classify::FileKind::Sql
            || f.context == crate::levels::Context::Test
            || !f.sql.is_pending_up_migration()
        {
            return None;
        }
        Some((i, f.sql.non_additive().next()?.span))
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

/// Whether a backup of `family` (`None`: any) covers a database of `wanted`.
pub fn family_covers(family: Option<&str>, wanted: &str) -> bool {
    let norm = |f: &str| match f {
        "mariadb" | "percona" => "mysql".to_string(),
        "valkey" | "keydb" => "redis".to_string(),
        "postgresql" | "postgis" | "timescaledb" => "postgres".to_string(),
        "mongodb" => "mongo".to_string(),
        other => other.to_string(),
    };
    family.is_none_or(|f| norm(f) == norm(wanted))
}

/// The dump tool of a family, for advice when no service names one.
pub fn dump_tool_of(family: &str) -> &'static str {
    match family {
        "postgres" => "pg_dump",
        "mysql" => "mysqldump",
        "mariadb" => "mariadb-dump",
        "mongo" => "mongodump",
        "redis" => "redis-cli --rdb",
        "sqlite" => "sqlite3 .backup",
        _ => "a dump",
    }
}

/// A backup command line for a dump tool, as advice (`pg_dump -Fc -f backup.dump <db>`).
pub fn dump_example(tool: &str) -> String {
    match tool {
        "pg_dump" => "pg_dump -Fc <database> > backup.dump".into(),
        "pg_dumpall" => "pg_dumpall -f backup.sql".into(),
        "mysqldump" => "mysqldump --single-transaction <database> > backup.sql".into(),
        "mariadb-dump" => "mariadb-dump --single-transaction <database> > backup.sql".into(),
        "mongodump" => "mongodump --archive=backup.gz --gzip".into(),
        "redis-cli" | "redis-cli --rdb" => "redis-cli --rdb backup.rdb".into(),
        "" => "a dump of the database or a snapshot of its volume".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::command::ShellFacts;
    use crate::model::command::ShellOrigin;
    use crate::source::OffsetMap;

    fn steps(text: &str) -> Vec<Option<StepKind>> {
        let mut facts = ShellFacts::default();
        facts.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        let functions: Vec<String> = facts.functions.iter().map(|f| f.name.clone()).collect();
        facts
            .commands
            .iter()
            .map(|c| classify(c, text, &functions, Catalog::builtin()).map(|s| s.kind))
            .collect()
    }

    fn is_backup(k: &Option<StepKind>) -> bool {
        matches!(k, Some(StepKind::Backup { .. }))
    }

    #[test]
    fn table_parses() {
        let file: ImagesFile = toml::from_str(IMAGES_TABLE).expect("backup-images.toml parses");
        assert!(file.image.len() > 3);
        let c = Catalog::builtin();
        assert_eq!(
            c.sidecar("prodrigestivill/postgres-backup-local:16"),
            Some(&["postgres".to_string()][..])
        );
        assert!(
            c.sidecar("docker.io/offen/docker-volume-backup:v2")
                .is_some()
        );
        assert!(c.sidecar("postgres:16").is_none());
        let extended = Catalog::with_config(&["acme-dump --all".into()], &["acme/pg-saver".into()]);
        assert!(extended.sidecar("acme/pg-saver:1").is_some());
    }

    #[test]
    fn backup_steps() {
        for text in [
            "pg_dump -Fc shop > shop.dump",
            "docker compose exec -T db pg_dump -U app shop > backup.sql",
            "docker exec -i pg pg_dumpall -U postgres > all.sql",
            "sudo -u postgres pg_dump shop",
            "mysqldump --single-transaction shop > shop.sql",
            "mongodump --archive=x.gz",
            "redis-cli --rdb /backup/dump.rdb",
            "redis-cli BGSAVE",
            "restic backup /srv",
            "borg create ::x /srv",
            "aws rds create-db-snapshot --db-instance-identifier prod --db-snapshot-identifier x",
            "gcloud sql backups create --instance=prod",
            "az postgres flexible-server backup create -g rg -n srv --backup-name x",
            "tar czf /backup/pg.tgz /var/lib/postgresql/data",
            "docker run --rm -v pgdata:/data -v $(pwd):/backup alpine tar czf /backup/x.tgz /data",
            "rsync -a ./db-data/ backup:/srv/",
            "bash -c 'pg_dump shop > x.sql'",
            "kubectl exec -n db pg-0 -- pg_dump shop",
        ] {
            let kinds = steps(text);
            assert!(kinds.iter().any(is_backup), "{text}: {kinds:?}");
        }
        for text in [
            "pg_dump --schema-only -U postgres app > schema.sql",
            "mysqldump --no-data app > schema.sql",
            "pg_dump -s shop",
            "pg_dump --schema-only shop",
            "mysqldump --no-data shop",
            "tar xzf backup.tgz -C /var/lib/postgresql/data",
            "cp config.example config",
            "pg_dump --version",
            "echo pg_dump",
        ] {
            let kinds = steps(text);
            assert!(
                !kinds
                    .iter()
                    .any(|k| is_backup(k) || matches!(k, Some(StepKind::Call(_)))),
                "{text}: {kinds:?}"
            );
        }
    }

    #[test]
    fn database_names() {
        let name = |text: &str| {
            let mut facts = ShellFacts::default();
            facts.add_source(
                text,
                &OffsetMap::verbatim(0, text.len()),
                ShellOrigin::Script,
            );
            database_name(&facts.commands[0])
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(name("pg_dump -h db -U app -Fc shop > x\n"), some("shop"));
        assert_eq!(name("pg_dump -U app --dbname=shop\n"), some("shop"));
        assert_eq!(
            name("pg_dump --username app --table orders shop\n"),
            some("shop")
        );
        assert_eq!(name("mysql --user root --host db shop\n"), some("shop"));
        assert_eq!(
            name("psql -h db -U app shop -c 'TRUNCATE t'\n"),
            some("shop")
        );
        assert_eq!(
            name("psql \"postgresql://u@h:5432/shop?sslmode=require\" -c 'x'\n"),
            some("shop")
        );
        assert_eq!(
            name("docker compose exec -T db pg_dump -U app shop\n"),
            some("shop")
        );
        assert_eq!(name("mysqldump -u root -h db shop orders\n"), some("shop"));
        assert_eq!(name("mysqldump --all-databases\n"), None);
        assert_eq!(name("dropdb -U app shop\n"), some("shop"));
        assert_eq!(name("psql \"$DATABASE_URL\" -c 'x'\n"), None);
        assert_eq!(name("psql -U app -c 'x'\n"), None);
        assert_eq!(name("pg_restore -d shop x.dump\n"), some("shop"));
        assert_eq!(name("pg_restore x.dump\n"), None);
        let created = |text: &str| {
            let mut facts = ShellFacts::default();
            facts.add_source(
                text,
                &OffsetMap::verbatim(0, text.len()),
                ShellOrigin::Script,
            );
            created_database(&facts.commands[0])
        };
        assert_eq!(created("createdb -U app shop_check\n"), some("shop_check"));
        assert_eq!(
            created("psql -U app -c 'CREATE DATABASE \"shop_check\" OWNER app'\n"),
            some("shop_check")
        );
        assert_eq!(created("psql -U app -c 'SELECT 1'\n"), None);
        assert_eq!(
            created("mysql -e 'CREATE DATABASE IF NOT EXISTS shop'\n"),
            None
        );
    }

    #[test]
    fn ignored_failures_and_discarded_dumps() {
        let ignored = |text: &str| {
            let mut facts = ShellFacts::default();
            facts.add_source(
                text,
                &OffsetMap::verbatim(0, text.len()),
                ShellOrigin::Script,
            );
            failure_ignored(&facts.commands[0], text, &|f| f == "on_error")
        };
        for text in [
            "pg_dump shop > x.sql || true\n",
            "pg_dump shop | gzip > x.gz || echo 'backup failed'\n",
            "pg_dump shop > x.sql 2>&1 || :\n",
        ] {
            assert!(ignored(text), "{text}");
        }
        for text in [
            "pg_dump shop > x.sql\n",
            "pg_dump shop > x.sql || exit 1\n",
            "pg_dump shop > x.sql || { echo 'backup failed' >&2; exit 1; }\n",
            "pg_dump shop > x.sql || die 'backup failed'\n",
            "pg_dump shop > x.sql && echo ok || false\n",
            "pg_dump shop > x.sql; psql -c 'x' || true\n",
            "pg_dump shop > 'a||b.sql'\n",
            "pg_dump shop > x.sql || on_error\n",
        ] {
            assert!(!ignored(text), "{text}");
        }
        let background = |text: &str| {
            let mut facts = ShellFacts::default();
            facts.add_source(
                text,
                &OffsetMap::verbatim(0, text.len()),
                ShellOrigin::Script,
            );
            backgrounded(&facts.commands[0], text)
        };
        assert!(background("pg_dump shop > x.sql &\n"));
        assert!(background("pg_dump shop | gzip > x.gz &\n"));
        assert!(!background("pg_dump shop > x.sql 2>&1\n"));
        assert!(!background("pg_dump shop > x.sql && echo ok\n"));
        assert!(!steps("pg_dump shop > /dev/null\n").iter().any(is_backup));
        assert!(!steps("mysqldump -r /dev/null shop\n").iter().any(is_backup));
        assert!(
            steps("pg_dump shop > /backups/x.sql 2>/dev/null\n")
                .iter()
                .any(is_backup)
        );
        assert!(
            steps("restic backup /srv > /dev/null\n")
                .iter()
                .any(is_backup)
        );
    }

    #[test]
    fn migrations_restores_calls() {
        let k = |t: &str| steps(t).into_iter().next().flatten();
        assert_eq!(k("flyway -url=x migrate"), Some(StepKind::Migration));
        assert_eq!(k("npx prisma migrate deploy"), Some(StepKind::Migration));
        assert_eq!(k("bundle exec rake db:migrate"), Some(StepKind::Migration));
        assert_eq!(k("python manage.py migrate"), Some(StepKind::Migration));
        for text in [
            "yarn prisma db push --accept-data-loss",
            "pnpm knex migrate:latest",
            "npx drizzle-kit migrate",
            "flask db upgrade",
            "dotnet ef database update",
        ] {
            assert_eq!(k(text), Some(StepKind::Migration), "{text}");
        }
        assert_ne!(k("yarn prisma generate"), Some(StepKind::Migration));
        assert_ne!(k("flask db migrate -m x"), Some(StepKind::Migration));
        assert_eq!(
            k("docker compose run --rm app alembic upgrade head"),
            Some(StepKind::Migration)
        );
        assert_eq!(
            k("migrate -path db/migrations -database $URL up"),
            Some(StepKind::Migration)
        );
        assert_eq!(
            k("pg_restore --clean -d shop x.dump"),
            Some(StepKind::Restore)
        );
        assert_eq!(k("pg_restore -Fc -d shop x.dump"), Some(StepKind::Load));
        assert_eq!(k("pg_restore -cC -d shop x.dump"), Some(StepKind::Restore));
        assert_eq!(k("dropdb shop"), Some(StepKind::Drop));
        assert_eq!(k("psql -d shop < dump.sql"), Some(StepKind::Load));
        assert_eq!(k("psql -d shop -f db/schema.sql"), None);
        assert_eq!(k("redis-cli CONFIG SET save ''"), None);
        assert_eq!(k("psql -c 'DROP DATABASE shop'"), Some(StepKind::Drop));
        assert_eq!(
            k("./scripts/backup.sh"),
            Some(StepKind::Call(Callee::Script {
                path: "./scripts/backup.sh".into(),
                args: vec![]
            }))
        );
        assert_eq!(
            k("make -C ops backup"),
            Some(StepKind::Call(Callee::Make {
                targets: vec!["backup".into()],
                dir: Some("ops".into())
            }))
        );
        assert_eq!(k("tcpdump -i eth0 -w x.pcap"), None);
        let mut facts = ShellFacts::default();
        let text = "docker exec -i shop-db-1 psql -U app shop\n";
        facts.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        assert_eq!(
            container_of(&facts.commands[0]).as_deref(),
            Some("shop-db-1")
        );
        assert_eq!(
            k("backup_database --now"),
            Some(StepKind::Call(Callee::Named {
                name: "backup_database".into()
            }))
        );
        let loaded = steps("gunzip -c x.gz | psql shop\n");
        assert_eq!(loaded[1], Some(StepKind::Load));
        let loaded = steps("cat backups/shop.sql | psql shop\n");
        assert_eq!(loaded[1], Some(StepKind::Load));
        let loaded =
            steps("gunzip -c \"$DUMP\" | docker compose exec -T db psql -U postgres shop\n");
        assert_eq!(loaded[1], Some(StepKind::Load));
        // SQL written in the script is not a dump being loaded.
        for text in [
            "echo \"TRUNCATE TABLE $T\" | psql shop\n",
            "printf 'DELETE FROM s;' | psql shop\n",
            "cat db/schema.sql | psql shop\n",
            "cat <<EOF | PGPASSWORD=x psql -h db shop\nTRUNCATE t;\nEOF\n",
        ] {
            assert!(
                !steps(text).contains(&Some(StepKind::Load)),
                "{text}: {:?}",
                steps(text)
            );
        }
        // Rebuilding what is checked out is not an update of the application.
        assert_eq!(k("docker compose up -d --build"), None);
        assert_eq!(
            k("docker compose up --build --abort-on-container-exit"),
            None
        );
        assert_eq!(k("docker compose pull"), Some(StepKind::Deploy));
        assert_eq!(k("git pull --ff-only"), Some(StepKind::Deploy));
    }
}
