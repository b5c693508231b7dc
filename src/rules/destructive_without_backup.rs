//! `destructive-without-backup`: see rules/destructive-without-backup.toml for what/why/fix.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::backup;
use crate::analysis::backup::DataService;
use crate::analysis::backup::SqlFileVia;
use crate::analysis::backup::StepKind;
use crate::analysis::backup::dump_example;
use crate::analysis::backup::dump_tool_of;
use crate::analysis::backup::path::Analysis;
use crate::analysis::backup::path::At;
use crate::analysis::operations::{INITDB_DIR, entry_moments};
use crate::analysis::programs;
use crate::analysis::repo::RepoFacts;
use crate::analysis::targets::host_paths_of_text;
use crate::classify::FileKind;
use crate::levels::{Context, Level};
use crate::model::FileFacts;
use crate::model::command::{Command, Dir, RunsWhen};
use crate::model::migration::Direction;
use crate::rules::{Ctx, Finding};
use crate::source::Span;

/// Findings of the shell and sql packs that destroy data, with what they lose.
const DESTRUCTIVE: &[(&str, &str)] = &[
    ("compose-down-volumes", "deletes the project's volumes"),
    ("docker-volume-remove", "deletes Docker volumes"),
    ("data-dir-delete", "deletes a database's data directory"),
    ("db-reset-command", "wipes the database"),
    (
        "infra-destroy-command",
        "deletes a managed database with the infrastructure",
    ),
    (
        "kubectl-delete-data",
        "deletes persistent volume claims with their data",
    ),
    (
        "schema-push-data-loss",
        "drops whatever the schema no longer lists",
    ),
    ("drop-database", "drops a whole database"),
    ("drop-schema", "drops a schema and everything in it"),
    ("drop-table", "drops a table with its rows"),
    ("truncate-table", "empties a table"),
    ("unbounded-delete", "deletes every row of a table"),
    (
        "unbounded-update",
        "overwrites a column in every row of a table",
    ),
    ("drop-column", "drops a column with its values"),
    ("rename-column", "renames a column under running code"),
    ("rename-table", "renames a table under running code"),
    (
        "alter-column-type",
        "changes a column's type in a way that can lose values",
    ),
];

struct Destructive {
    at: At,
    span: Span,
    /// What the step loses.
    what: String,
    /// The step as a message quotes it (`` `dropdb shop` ``, `` `DROP TABLE users` ``).
    step: String,
    /// A related location (the migration holding the non-additive change).
    related: Option<(String, Span, String)>,
    /// The step acts on remote infrastructure (a cloud database, a cluster): a hosted CI
    /// runner being thrown away does not make it a note.
    remote: bool,
    /// The step runs on every start, release or deploy (a container's start command, a release
    /// phase), as its host says.
    every_run: bool,
}

pub(super) fn check(repo: &RepoFacts, files: &[FileFacts], findings: &[Finding], cx: &mut Ctx) {
    let analysis = Analysis::new(files, &repo.backup_catalog);
    let mut steps: BTreeMap<At, Destructive> = BTreeMap::new();
    let mut intended: BTreeSet<At> = BTreeSet::new();
    for f in findings {
        let Some(&(_, what)) = DESTRUCTIVE.iter().find(|(id, _)| *id == f.rule) else {
            continue;
        };
        if f.level < Level::Warning {
            continue;
        }
        let Some(file) = analysis.file_index(&f.path) else {
            continue;
        };
        let Some(command) = analysis.command_at(file, f.span) else {
            continue;
        };
        let at = At { file, command };
        // A step whose own finding is suppressed was judged intended: no backup is asked for.
        if f.suppressed.is_some() {
            intended.insert(at);
            continue;
        }
        if analysis.in_compose_command(at) {
            continue;
        }
        let entry = steps.entry(at).or_insert_with(|| Destructive {
            at,
            span: f.span,
            what: what.to_string(),
            step: step_label(&files[file], f.span, command),
            related: None,
            remote: f.remote,
            every_run: false,
        });
        if f.span.start < entry.span.start {
            entry.span = f.span;
            entry.what = what.to_string();
            entry.step = step_label(&files[file], f.span, command);
        }
    }
    // The pending non-additive change a migration command applies: (path, span, clause).
    let migration_of = |command: &Command| {
        backup::pending_non_additive(files, command).map(|(file, span)| {
            (
                files[file].file.path.clone(),
                span,
                shown(&files[file], span),
            )
        })
    };
    // Drops of scratch databases, per file (few), looked up once rather than per step.
    let scratch_drops: Vec<Vec<Span>> = files
        .iter()
        .map(|f| {
            f.sql
                .cli_drops
                .iter()
                .filter(|d| d.scratch)
                .map(|d| d.span)
                .collect()
        })
        .collect();
    for (at, step) in analysis.all_steps() {
        let restore = matches!(step.kind, StepKind::Drop) && analysis.loads_later(at);
        if let Some(existing) = steps.get_mut(&at) {
            // `dropdb` is the sql pack's finding; say what it is for.
            if restore {
                existing.what = "drops the database to load a dump into it".to_string();
            }
            continue;
        }
        if intended.contains(&at) || analysis.in_compose_command(at) {
            continue;
        }
        let Some(command) = files[at.file].shell.commands.get(at.command) else {
            continue;
        };
        // Like the packs' findings below warning, steps in test, local, docs or ephemeral CI
        // contexts are not what this rule is about.
        if files[at.file].context_at(command.span) != Context::Production {
            continue;
        }
        let scratch = scratch_drops[at.file]
            .iter()
            .any(|&span| command.span.contains(span));
        // `createdb check … pg_restore --clean -d check`: a restore test into a scratch database.
        if scratch || matches!(step.kind, StepKind::Restore) && analysis.on_scratch_database(at) {
            continue;
        }
        let what = match &step.kind {
            StepKind::Restore => "replaces the database's content with a dump".to_string(),
            StepKind::Drop if restore => "drops the database to load a dump into it".to_string(),
            // Drop, create, migrate: the migrations build a fresh database; the drop before
            // them is the step that loses data.
            StepKind::Migration if analysis.dropped_before(at) => continue,
            StepKind::Migration => match &migration_of(command) {
                Some((path, _, clause)) => {
                    format!(
                        "applies pending migrations that include a non-additive change (`{clause}` in `{path}`)"
                    )
                }
                None => continue,
            },
            _ => continue,
        };
        let related = match (&step.kind, migration_of(command)) {
            (StepKind::Migration, Some((path, span, _))) => Some((
                path,
                span,
                "non-additive change in a pending migration".to_string(),
            )),
            _ => None,
        };
        steps.insert(
            at,
            Destructive {
                at,
                span: command.span,
                what,
                step: format!("`{}`", shown(&files[at.file], command.span)),
                related,
                remote: false,
                every_run: false,
            },
        );
    }
    sql_files_run(files, findings, &analysis, &intended, &mut steps);
    let services = backup::data_services(repo, files);
    for d in steps.values() {
        // A make target `test`, a CI job `e2e`, a function `reset_dev_db`: like the test and
        // local files the packs already report as notes, not where a backup is expected (and a
        // test run is never raised above its own finding's level by this rule).
        if analysis.name_context(d.at) != Context::Production {
            continue;
        }
        if analysis.covered(d.at).is_some() {
            continue;
        }
        let Some(unit) = analysis.unit(d.at) else {
            continue;
        };
        let file = &files[d.at.file];
        let purpose = analysis.purpose(d.at).map(|p| {
            let noun = unit.key.noun(files[d.at.file].kind);
            if p.by_name {
                format!("{} {} {noun}, by its name", article(p.kind), p.kind)
            } else if p.kind == "restore" {
                format!("a restore {noun}: it loads a dump")
            } else {
                format!("a deploy {noun}: it updates the application")
            }
        });
        let advice = advice(files, d.at, &services);
        let kind = purpose
            .as_ref()
            .map_or(String::new(), |p| format!(" ({p})"));
        // A backup that runs first but does not count (`pg_dump … || true`, another database).
        let before = match analysis.near_miss(d.at) {
            Some((cover, why)) => format!(
                "the backup before it in {} ({}) {why}",
                unit.description, cover.label
            ),
            None => format!("no backup step runs before it in {}", unit.description),
        };
        let finding = cx.report_in(
            &file.file.path,
            d.span,
            format!("{} {}, and {before}{kind}: {advice}", d.step, d.what),
        );
        if purpose.is_some() || d.every_run {
            finding.level(Level::Error);
        }
        if d.remote {
            finding.remote();
        }
        if unit.entry.start != d.span.start {
            finding.related(
                &file.file.path,
                unit.entry,
                format!("entry point of {}", unit.description),
            );
        }
        if let Some((path, span, message)) = &d.related {
            finding.related(path, *span, message.clone());
        }
    }
}

/// How a message quotes the step a finding reports: its text, or for SQL held in a variable
/// (`mysql -e "$SQL"`), the statement and the command that runs it.
fn step_label(file: &FileFacts, span: Span, command: usize) -> String {
    let statement = file
        .sql
        .statements
        .iter()
        .find(|s| s.clause_span == span && s.embedded().is_some());
    if let (Some(written), Some(command)) = (
        statement.and_then(|s| s.written.as_deref()),
        file.shell.commands.get(command),
    ) {
        let written = written.trim_end_matches(';').trim_end();
        return format!("`{written}` (run by `{}`)", shown(file, command.span));
    }
    format!("`{}`", shown(file, span))
}

/// Commands that run a SQL file of the repository (`psql -f reset.sql`, `mysql shop <
/// reset.sql`, `\\i reset.sql`) perform its destructive statements: the first one the sql pack
/// reported in that file (at warning or above, not suppressed, outside down sections) becomes
/// the command's step. Quiet for a file that runs only on an empty data directory
/// (`/docker-entrypoint-initdb.d`) and for a load into a database the unit just created.
fn sql_files_run(
    files: &[FileFacts],
    findings: &[Finding],
    analysis: &Analysis,
    intended: &BTreeSet<At>,
    steps: &mut BTreeMap<At, Destructive>,
) {
    let mut by_file: BTreeMap<usize, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        if f.level < Level::Warning
            || f.suppressed.is_some()
            || !SQL_STATEMENT_RULES.contains(&f.rule)
        {
            continue;
        }
        if let Some(file) = analysis.file_index(&f.path) {
            by_file.entry(file).or_default().push(f);
        }
    }
    if by_file.is_empty() {
        return;
    }
    let moments = entry_moments(files);
    let programs = programs::PathIndex::new(
        files
            .iter()
            .filter(|f| f.kind == FileKind::Program)
            .map(|f| f.file.path.as_str()),
    );
    for (i, host) in files.iter().enumerate() {
        for (c, command) in host.shell.commands.iter().enumerate() {
            let at = At {
                file: i,
                command: c,
            };
            if steps.contains_key(&at) || intended.contains(&at) {
                continue;
            }
            let runs = backup::sql_files_run(command);
            let program = programs::program_written(command);
            if (runs.is_empty() && program.is_none())
                || analysis.in_compose_command(at)
                || host.context_at(command.span) != Context::Production
                || analysis.on_scratch_database(at)
            {
                continue;
            }
            let from_sql_file = runs.iter().find_map(|(written, via)| {
                host_paths_of_text(host, &on_host(host, c, *via), written)
                    .iter()
                    .filter(|p| !p.contains(INITDB_DIR))
                    .filter_map(|p| analysis.file_index(p))
                    .filter(|&f| !matches!(moments.get(&f), Some((RunsWhen::FirstInit, _, _))))
                    .find_map(|f| {
                        first_statement(&files[f], by_file.get(&f)?)
                            .map(|x| (f, x, shown_with_file(host, command.span, written, *via)))
                    })
            });
            // `node tools/nuke.js`: a program whose SQL the sql pack reported.
            let from_program = || {
                let f = programs.resolve(host, command, program.as_deref()?)?;
                let f = analysis.file_index(f)?;
                first_statement(&files[f], by_file.get(&f)?)
                    .map(|x| (f, x, shown(host, command.span)))
            };
            let Some((file, finding, step)) = from_sql_file.or_else(from_program) else {
                continue;
            };
            let Some(&(_, what)) = DESTRUCTIVE.iter().find(|(id, _)| *id == finding.rule) else {
                continue;
            };
            let sql = &files[file];
            let line = sql.file.line_index.line_of(finding.span.start()) + 1;
            let own = host.shell.runs_when(command.span);
            let every_run = own.every_time()
                || own == RunsWhen::Unknown
                    && moments
                        .get(&i)
                        .is_some_and(|(when, _, _)| when.every_time());
            steps.insert(
                at,
                Destructive {
                    at,
                    span: command.span,
                    what: format!(
                        "runs `{}` ({}:{line}), which {what}",
                        shown(sql, finding.span),
                        sql.file.path
                    ),
                    step: format!("`{step}`"),
                    related: Some((
                        sql.file.path.clone(),
                        finding.span,
                        "the statement it runs".to_string(),
                    )),
                    remote: false,
                    every_run,
                },
            );
        }
    }
}

/// The command as far as resolving a file it reads on the host goes: `docker exec -i db psql <
/// f.sql` runs psql in the container (its directory unknown) but the shell opens `f.sql` where
/// the script is, the directory of the script's commands before it.
fn on_host(host: &FileFacts, c: usize, via: SqlFileVia) -> std::borrow::Cow<'_, Command> {
    let command = &host.shell.commands[c];
    let host_side = matches!(via, SqlFileVia::Stdin | SqlFileVia::Pipe);
    if !host_side || command.cwd != Dir::Unknown || command.via.is_empty() {
        return std::borrow::Cow::Borrowed(command);
    }
    let cwd = host.shell.commands[..c]
        .iter()
        .rev()
        .find(|e| e.source == command.source && e.via.is_empty())
        .map_or(Dir::Invocation, |e| e.cwd.clone());
    let mut local = command.clone();
    local.cwd = cwd;
    std::borrow::Cow::Owned(local)
}

/// The sql pack's rules whose findings sit on a statement of a SQL file.
const SQL_STATEMENT_RULES: &[&str] = &[
    "drop-database",
    "drop-schema",
    "drop-table",
    "truncate-table",
    "unbounded-delete",
    "unbounded-update",
    "drop-column",
    "rename-column",
    "rename-table",
    "alter-column-type",
];

/// The first of a SQL file's reported statements that runs up (not in a down section).
fn first_statement<'f>(file: &FileFacts, reported: &[&'f Finding]) -> Option<&'f Finding> {
    let down = |start: usize| {
        file.sql.migration.as_ref().is_some_and(|m| {
            m.direction == Direction::Down
                && m.up_sections.iter().all(|&(s, e)| start < s || start >= e)
                || m.down_sections
                    .iter()
                    .any(|&(s, e)| start >= s && start < e)
        })
    };
    reported
        .iter()
        .copied()
        .filter(|f| !down(f.span.start()))
        .min_by_key(|f| f.span.start())
}

/// The step as a reader sees it: its first line, shortened.
fn shown(file: &FileFacts, span: Span) -> String {
    let mut text = file.masked(span);
    // A Dockerfile's exec form (`CMD ["python3", "x.py"]`): the words, not the JSON between.
    if file.kind == FileKind::Dockerfile && text.contains("\", \"") {
        text = text.replace("\", \"", " ").trim_matches('"').to_string();
    }
    let line = text.lines().next().unwrap_or("").trim();
    let line = line.trim_end_matches(['\\', ';']).trim_end();
    if line.chars().count() > 60 {
        let cut: String = line.chars().take(57).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// [`shown`], with the file when the command's own span leaves it out (a redirection, the
/// `cat` feeding the pipe).
fn shown_with_file(file: &FileFacts, span: Span, written: &str, via: SqlFileVia) -> String {
    let step = shown(file, span);
    if step.contains(written) {
        return step;
    }
    match via {
        SqlFileVia::Stdin => format!("{step} < {written}"),
        SqlFileVia::Pipe => format!("cat {written} | {step}"),
        SqlFileVia::Include => format!("{step} … \\i {written}"),
        SqlFileVia::Argument => format!("{step} ({written})"),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// What a backup would look like for the database the step acts on.
fn advice(files: &[FileFacts], at: At, services: &[DataService]) -> String {
    let Some(command) = files[at.file].shell.commands.get(at.command) else {
        return "take a backup first".into();
    };
    let (service, family) = backup::database_of(command, services);
    match service {
        Some(s) => {
            let image = s
                .image
                .as_deref()
                .map_or(String::new(), |i| format!(" ({i})"));
            let tool = if s.dump_tool.is_empty() {
                dump_tool_of(&s.family)
            } else {
                s.dump_tool.as_str()
            };
            format!(
                "back up service `{}`{image} first (such as `docker compose exec -T {} {}`) and stop if it fails",
                s.name,
                s.name,
                dump_example(tool)
            )
        }
        None => match family {
            Some(f) => format!(
                "take a backup first (such as `{}`) and stop if it fails",
                dump_example(dump_tool_of(f))
            ),
            None => "take a backup first (a dump of the database or a snapshot of its volume) and stop if it fails".into(),
        },
    }
}
