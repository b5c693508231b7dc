//! "Does a backup precede this step on the path that reaches it?"
//!
//! Commands are grouped into *units* that run as one sequence: a script (with the `bash -c`
//! strings nested in it), one CI job's steps, one make target's recipe, a runbook's fences, one
//! cron line. Within a unit, a backup step `b` covers a destructive step `d` when `b` comes first
//! and every control structure around `b` that is not also around `d` lets the path through:
//! an `if` condition, a loop body, a subshell or the right side of `&&` do; a `case` branch, the
//! right side of `||`, a function body (the *call* of the function is what counts), and an `if`
//! branch do not, unless every other branch of that `if` ends in `exit`/`return`. When `d` sits in
//! a function, the backup may also precede every call of that function; when `d` is at a script's
//! top level, it may precede every call of the script from another production file (a CI job, a
//! make target, another script) that reaches `d` with its verb; in a make recipe, a prerequisite
//! that backs up runs first. Calls count as backup
//! steps when their callee backs up: a function of the file, a script of the repository (with
//! its `case` verb), a make target; a callee that cannot be resolved counts when its name says
//! backup, dump or snapshot.

mod callees;
mod unit;

use callees::prerequisites;
use rayon::prelude::*;
pub use unit::UnitKey;

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::analysis::backup::{Callee, Step, StepKind, classify, classify_in, name_says_backup};
use crate::classify::FileKind;
use crate::knowledge::backup::Catalog;
use crate::levels::Context;
use crate::model::FileFacts;
use crate::model::command::Command;
use crate::model::command::Dir;
use crate::model::command::Scope;
use crate::model::command::ShellOrigin;
use crate::source::Span;

/// How deep calls are followed.
const MAX_DEPTH: usize = 6;

/// A command of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct At {
    pub file: usize,
    pub command: usize,
}

/// What a unit is for, when it says so by its name or shows it by what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Purpose {
    /// `restore`, `deploy`, `update` or `maintenance`.
    pub kind: &'static str,
    /// Told by a name (file, job, target, function, `case` verb) rather than by what it runs.
    pub by_name: bool,
}

/// Words in a script, job, target, function or `case` verb that say it deploys, updates,
/// restores or maintains.
const PURPOSE_WORDS: &[(&str, &str)] = &[
    ("restore", "restore"),
    ("recover", "restore"),
    ("rollback", "restore"),
    ("deploy", "deploy"),
    ("release", "deploy"),
    ("rollout", "deploy"),
    ("update", "update"),
    ("upgrade", "update"),
    ("migrat", "update"),
    ("maint", "maintenance"),
    ("cleanup", "maintenance"),
    ("housekeeping", "maintenance"),
];

/// Backups that a scheduler container runs from a Compose service's labels (the compose layer
/// collects Ofelia's `ofelia.job-exec.<name>.command: "pg_dump …"` and the like).
fn scheduler_label_backups(facts: &FileFacts, catalog: &Catalog) -> Vec<Mechanism> {
    use crate::model::command::ShellFacts;
    let mut out = Vec::new();
    let scheduled = facts.compose.iter().flat_map(|c| &c.scheduled);
    for command in scheduled {
        let text = &command.value;
        let mut shell = ShellFacts::default();
        shell.add_source(
            text,
            &crate::source::OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Cron,
        );
        for c in &shell.commands {
            if let Some(Step {
                kind: StepKind::Backup { family },
                label,
            }) = classify(c, text, &[], catalog)
            {
                out.push(Mechanism {
                    path: facts.file.path.clone(),
                    span: command.span,
                    label: format!("`{label}`"),
                    family,
                });
            }
        }
    }
    out
}

/// A unit, described for messages.
#[derive(Clone, Debug)]
pub struct Unit {
    pub key: UnitKey,
    /// "the script `scripts/restore.sh`", "the CI job `deploy` of `…`", "the make target `reset` of `…`".
    pub description: String,
    /// The name words that tell its purpose (file name, job, target).
    pub name: String,
    /// Where it starts (the file's first line, the job's first step).
    pub entry: Span,
    pub commands: Vec<usize>,
    /// The commands of `commands` that can back up (a backup, or a call of a function or
    /// script): the only ones a step's cover is looked for among.
    pub may_back_up: Vec<usize>,
}

/// The commands of a unit that run with a command (see [`Analysis::alongside`]), with what
/// they do summed up once, so that questions per step do not walk the unit again.
#[derive(Debug, Default)]
pub struct Alongside {
    pub commands: Vec<usize>,
    /// Those that load or restore a dump, in order.
    loads: Vec<usize>,
    /// Those that create a database (`createdb x`), in order.
    creates: Vec<usize>,
    drops: bool,
    deploys: bool,
    migrates: bool,
}
#[derive(Clone, Debug)]
pub struct Cover {
    pub at: At,
    pub label: String,
}

/// A backup mechanism somewhere in the repository.
#[derive(Clone, Debug)]
pub struct Mechanism {
    pub path: String,
    pub span: Span,
    pub label: String,
    /// `None`: covers any database.
    pub family: Option<String>,
}

/// A scope, qualified by the shell source that numbered it (ids restart per source).
type QScope<'f> = (usize, &'f Scope);

/// The backup analysis over every file of a scan.
pub struct Analysis<'a> {
    files: &'a [FileFacts],
    catalog: &'a Catalog,
    by_path: BTreeMap<&'a str, usize>,
    steps: Vec<Vec<Option<Step>>>,
    /// The unit of every command, per file.
    units: Vec<Vec<Option<UnitKey>>>,
    /// Scripts already judged: (file, verb) → what backs up.
    scripts: RefCell<BTreeMap<ScriptCall, Option<Found>>>,
    /// Commands already judged.
    commands: RefCell<BTreeMap<At, Option<Found>>>,
    /// Who runs each script: script file → calling commands with their verb.
    callers: RefCell<Option<Callers>>,
    /// `if` branches already judged: (file, source, id, branch) → the others exit.
    branches: RefCell<BTreeMap<(usize, usize, u32, u32), bool>>,
    /// [`Analysis::alongside`] already worked out: (file, unit, the function and `case` scopes
    /// the command is in) → the commands that run with it.
    alongside: RefCell<BTreeMap<AlongsideKey, std::rc::Rc<Alongside>>>,
    /// Per file: command and heredoc spans sorted by start, for [`Analysis::command_at`].
    span_index: RefCell<BTreeMap<usize, std::rc::Rc<SpanIndex>>>,
    /// Per file: function name → the commands inside it (at any depth), in order.
    function_commands: RefCell<BTreeMap<usize, FunctionCommands>>,
    /// [`Analysis::separate_scopes`] per file.
    separate: RefCell<BTreeMap<usize, SeparateScopes>>,
    /// Units already gathered: (file, unit) → the unit.
    unit_cache: RefCell<BTreeMap<(usize, UnitKey), std::rc::Rc<Unit>>>,
    /// Per file: the database each command creates, worked out once (not once per unit asked).
    created: RefCell<BTreeMap<usize, CreatedDatabases>>,
}

/// Per command of a file: the database it creates, when it creates one.
type CreatedDatabases = std::rc::Rc<Vec<Option<String>>>;

type AlongsideKey = (usize, UnitKey, Vec<(usize, Scope)>);

/// Function name → the commands inside it, per file.
type FunctionCommands = std::rc::Rc<std::collections::HashMap<String, Vec<usize>>>;

/// Spans of a file's commands sorted by start, with the furthest end reached so far at each.
#[derive(Debug)]
struct SpanIndex {
    /// (span, command, order of the span among the file's).
    spans: Vec<(Span, usize, usize)>,
    reach: Vec<usize>,
}

/// Per command of a file, the function and `case` scopes (qualified by source) it runs in.
type SeparateScopes = std::rc::Rc<Vec<Vec<(usize, Scope)>>>;

/// What backs up: a label for messages and the family it covers (`None`: any).
type Found = (String, Option<String>);

/// Script file → the commands that run it, with their verb.
type Callers = BTreeMap<usize, Vec<(At, Option<String>)>>;

/// A script called with a verb (its first argument).
type ScriptCall = (usize, Option<String>);

impl<'a> Analysis<'a> {
    pub fn new(files: &'a [FileFacts], catalog: &'a Catalog) -> Self {
        let by_path: BTreeMap<&str, usize> = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.file.path.as_str(), i))
            .collect();
        // Each command is classified on its own: in parallel, gathered in file order.
        let steps = files
            .par_iter()
            .map(|f| {
                let functions: Vec<String> =
                    f.shell.functions.iter().map(|d| d.name.clone()).collect();
                f.shell
                    .commands
                    .iter()
                    .map(|c| classify_in(files, &by_path, f, c, &functions, catalog))
                    .collect()
            })
            .collect();
        let mut analysis = Analysis {
            files,
            catalog,
            by_path,
            steps,
            units: Vec::new(),
            scripts: RefCell::new(BTreeMap::new()),
            commands: RefCell::new(BTreeMap::new()),
            branches: RefCell::new(BTreeMap::new()),
            callers: RefCell::new(None),
            alongside: RefCell::new(BTreeMap::new()),
            span_index: RefCell::new(BTreeMap::new()),
            function_commands: RefCell::new(BTreeMap::new()),
            unit_cache: RefCell::new(BTreeMap::new()),
            separate: RefCell::new(BTreeMap::new()),
            created: RefCell::new(BTreeMap::new()),
        };
        analysis.units = files
            .iter()
            .enumerate()
            .map(|(file, f)| {
                (0..f.shell.commands.len())
                    .map(|command| analysis.compute_unit_key(At { file, command }))
                    .collect()
            })
            .collect();
        analysis
    }

    pub fn catalog(&self) -> &Catalog {
        self.catalog
    }

    pub fn file_index(&self, path: &str) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    fn command(&self, at: At) -> Option<&'a Command> {
        self.files.get(at.file)?.shell.commands.get(at.command)
    }

    pub fn step(&self, at: At) -> Option<&Step> {
        self.steps.get(at.file)?.get(at.command)?.as_ref()
    }

    /// Every classified command of every file.
    pub fn all_steps(&self) -> impl Iterator<Item = (At, &Step)> {
        self.steps.iter().enumerate().flat_map(|(file, cmds)| {
            cmds.iter()
                .enumerate()
                .filter_map(move |(command, s)| s.as_ref().map(|s| (At { file, command }, s)))
        })
    }

    /// The command a span (a finding) belongs to: the smallest command whose span, heredoc or
    /// embedded SQL holds it.
    pub fn command_at(&self, file: usize, span: Span) -> Option<usize> {
        let index = self.span_index(file)?;
        // The smallest span holding it; among equal ones, the first in command order.
        let mut best: Option<((usize, usize), usize)> = None;
        // Candidates starting at or before the span, nearest first, while one of them (or an
        // earlier one) still reaches past its end.
        let upto = index
            .spans
            .partition_point(|(s, _, _)| s.start() <= span.start());
        for k in (0..upto).rev() {
            if index.reach[k] < span.end() {
                break;
            }
            let (outer, i, order) = index.spans[k];
            let rank = (outer.len(), order);
            if outer.contains(span) && best.is_none_or(|(r, _)| rank < r) {
                best = Some((rank, i));
            }
        }
        best.map(|(_, i)| i)
    }

    /// The commands of a file inside each function (at any depth), built once per file.
    pub(super) fn function_commands(&self, file: usize) -> FunctionCommands {
        if let Some(known) = self.function_commands.borrow().get(&file) {
            return known.clone();
        }
        let mut map: std::collections::HashMap<String, Vec<usize>> = Default::default();
        for (i, c) in self.files[file].shell.commands.iter().enumerate() {
            for scope in &c.scopes {
                if let Scope::Function(name) = scope {
                    let list = map.entry(name.clone()).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        let map = std::rc::Rc::new(map);
        self.function_commands
            .borrow_mut()
            .insert(file, map.clone());
        map
    }

    /// A file's command, heredoc and embedded-SQL spans sorted by start, built once.
    fn span_index(&self, file: usize) -> Option<std::rc::Rc<SpanIndex>> {
        if let Some(known) = self.span_index.borrow().get(&file) {
            return Some(known.clone());
        }
        let facts = self.files.get(file)?;
        let mut spans: Vec<(Span, usize, usize)> = Vec::new();
        for (i, c) in facts.shell.commands.iter().enumerate() {
            spans.push((c.span, i, spans.len()));
            if let Some(stdin) = &c.stdin {
                spans.push((stdin.span, i, spans.len()));
            }
        }
        for e in &facts.shell.embedded_sql {
            let host = e.map.span_to_host(Span::new(0, e.text.len()));
            spans.push((host, e.command, spans.len()));
        }
        spans.sort_by_key(|(s, _, order)| (s.start(), *order));
        let mut reach = Vec::with_capacity(spans.len());
        let mut furthest = 0;
        for (s, _, _) in &spans {
            furthest = furthest.max(s.end());
            reach.push(furthest);
        }
        let index = std::rc::Rc::new(SpanIndex { spans, reach });
        self.span_index.borrow_mut().insert(file, index.clone());
        Some(index)
    }

    /// The source a command's source is nested in, followed to a non-nested one.
    fn root_source(&self, file: usize, source: usize) -> usize {
        let sources = &self.files[file].shell.sources;
        let mut current = source;
        for _ in 0..MAX_DEPTH {
            let Some(s) = sources.get(current) else {
                return current;
            };
            if s.origin != ShellOrigin::Nested {
                return current;
            }
            let outer = sources
                .iter()
                .enumerate()
                .filter(|(i, o)| *i != current && o.span.contains(s.span) && o.span != s.span)
                .min_by_key(|(_, o)| o.span.len())
                .map(|(i, _)| i);
            match outer {
                Some(o) => current = o,
                None => return current,
            }
        }
        current
    }

    /// The command a nested source (`bash -c '…'`) runs inside.
    fn outer_command(&self, at: At) -> Option<usize> {
        let facts = &self.files[at.file];
        let c = facts.shell.commands.get(at.command)?;
        let source = facts.shell.sources.get(c.source)?;
        if source.origin != ShellOrigin::Nested {
            return None;
        }
        facts
            .shell
            .commands
            .iter()
            .enumerate()
            .filter(|(i, o)| {
                *i != at.command && o.source != c.source && o.span.contains(source.span)
            })
            .min_by_key(|(_, o)| o.span.len())
            .map(|(i, _)| i)
    }

    /// Scopes around a command, outermost first, through nested sources.
    fn scopes(&self, at: At) -> Vec<QScope<'a>> {
        let mut chain = vec![at.command];
        let mut current = at;
        for _ in 0..MAX_DEPTH {
            match self.outer_command(current) {
                Some(o) => {
                    chain.push(o);
                    current = At {
                        file: at.file,
                        command: o,
                    };
                }
                None => break,
            }
        }
        let commands = &self.files[at.file].shell.commands;
        let mut out = Vec::new();
        for &i in chain.iter().rev() {
            let c = &commands[i];
            out.extend(c.scopes.iter().map(|s| (c.source, s)));
        }
        out
    }

    fn unit_key(&self, at: At) -> Option<UnitKey> {
        self.units.get(at.file)?.get(at.command)?.clone()
    }

    fn compute_unit_key(&self, at: At) -> Option<UnitKey> {
        let facts = &self.files[at.file];
        let c = facts.shell.commands.get(at.command)?;
        let root = self.root_source(at.file, c.source);
        let source = facts.shell.sources.get(root)?;
        Some(match &source.origin {
            ShellOrigin::Script | ShellOrigin::Nested => UnitKey::Script,
            ShellOrigin::WorkflowStep { job } | ShellOrigin::GitlabJob { job } => {
                UnitKey::Job(job.clone())
            }
            ShellOrigin::MakeTarget { target } => UnitKey::Target(target.clone()),
            ShellOrigin::Task { name, .. } => UnitKey::Target(name.clone()),
            ShellOrigin::MarkdownFence => UnitKey::Runbook,
            ShellOrigin::Cron | ShellOrigin::ComposeCommand { .. } => UnitKey::Source(root),
        })
    }

    /// Whether the command comes from a compose `command:` (not a script the team runs).
    pub fn in_compose_command(&self, at: At) -> bool {
        let facts = &self.files[at.file];
        facts
            .shell
            .commands
            .get(at.command)
            .and_then(|c| facts.shell.sources.get(self.root_source(at.file, c.source)))
            .is_some_and(|s| matches!(s.origin, ShellOrigin::ComposeCommand { .. }))
    }

    /// The unit a command runs in.
    pub fn unit(&self, at: At) -> Option<std::rc::Rc<Unit>> {
        let key = self.unit_key(at)?;
        let cache_key = (at.file, key);
        if let Some(known) = self.unit_cache.borrow().get(&cache_key) {
            return Some(known.clone());
        }
        let unit = std::rc::Rc::new(self.build_unit(at, cache_key.1.clone()));
        self.unit_cache.borrow_mut().insert(cache_key, unit.clone());
        Some(unit)
    }

    fn build_unit(&self, at: At, key: UnitKey) -> Unit {
        let facts = &self.files[at.file];
        let commands: Vec<usize> = (0..facts.shell.commands.len())
            .filter(|&i| {
                self.unit_key(At {
                    file: at.file,
                    command: i,
                })
                .as_ref()
                    == Some(&key)
            })
            .collect();
        let path = &facts.file.path;
        let file_name = path.rsplit('/').next().unwrap_or(path).to_string();
        let first_source_span = |pred: &dyn Fn(&ShellOrigin) -> bool| {
            facts
                .shell
                .sources
                .iter()
                .filter(|s| pred(&s.origin))
                .map(|s| s.span)
                .min()
                .unwrap_or_default()
        };
        let (description, name, entry) = match &key {
            UnitKey::Script => {
                let first_line = facts.file.text.find('\n').unwrap_or(facts.file.text.len());
                let description = match facts.kind {
                    FileKind::Dockerfile => format!("the commands of `{path}`"),
                    _ => format!("the script `{path}`"),
                };
                (description, file_name, Span::new(0, first_line))
            }
            UnitKey::Job(job) => (
                format!("the CI job `{job}` of `{path}`"),
                job.clone(),
                first_source_span(
                    &|o| matches!(o, ShellOrigin::WorkflowStep { job: j } | ShellOrigin::GitlabJob { job: j } if j == job),
                ),
            ),
            UnitKey::Target(target) => {
                // Make targets, and the named tasks of other hosts (a just recipe, a go-task
                // task, a package.json script).
                let noun = key.noun(facts.kind);
                (
                    format!("the {noun} `{target}` of `{path}`"),
                    target.clone(),
                    first_source_span(&|o| match o {
                        ShellOrigin::MakeTarget { target: t }
                        | ShellOrigin::Task { name: t, .. } => t == target,
                        _ => false,
                    }),
                )
            }
            UnitKey::Runbook => (
                format!("the runbook `{path}`"),
                file_name,
                first_source_span(&|o| *o == ShellOrigin::MarkdownFence),
            ),
            UnitKey::Source(i) => (
                format!("the scheduled command of `{path}`"),
                file_name,
                facts
                    .shell
                    .sources
                    .get(*i)
                    .map(|s| s.span)
                    .unwrap_or_default(),
            ),
        };
        let may_back_up = commands
            .iter()
            .copied()
            .filter(|&command| {
                self.step(At {
                    file: at.file,
                    command,
                })
                .is_some_and(|s| matches!(s.kind, StepKind::Backup { .. } | StepKind::Call(_)))
            })
            .collect();
        Unit {
            key,
            description,
            name,
            entry,
            commands,
            may_back_up,
        }
    }

    /// The commands of the unit that run with `at`: not in a function or `case` branch that
    /// `at` is not in (a dispatcher's `restore)` branch says nothing about its `wipe)` branch).
    fn alongside(&self, at: At, unit: &Unit) -> std::rc::Rc<Alongside> {
        let separate = self.separate_scopes(at.file);
        let own = separate.get(at.command).cloned().unwrap_or_default();
        let key = (at.file, unit.key.clone(), own);
        if let Some(known) = self.alongside.borrow().get(&key) {
            return known.clone();
        }
        let commands: Vec<usize> = unit
            .commands
            .iter()
            .copied()
            .filter(|&c| {
                separate
                    .get(c)
                    .is_none_or(|theirs| theirs.iter().all(|q| key.2.contains(q)))
            })
            .collect();
        let mut found = Alongside::default();
        let created = self.created_databases(at.file);
        for &c in &commands {
            let here = At {
                file: at.file,
                command: c,
            };
            match self.step(here).map(|s| &s.kind) {
                Some(StepKind::Load | StepKind::Restore) => found.loads.push(c),
                Some(StepKind::Drop) => found.drops = true,
                Some(StepKind::Deploy) => found.deploys = true,
                Some(StepKind::Migration) => found.migrates = true,
                _ => {}
            }
            if created.get(c).is_some_and(Option::is_some) {
                found.creates.push(c);
            }
        }
        found.commands = commands;
        let found = std::rc::Rc::new(found);
        self.alongside.borrow_mut().insert(key, found.clone());
        found
    }

    /// Per command of a file, the functions and `case` branches it runs in (outer commands'
    /// included): what sets it apart from the rest of its unit. Worked out once per file.
    fn separate_scopes(&self, file: usize) -> SeparateScopes {
        if let Some(known) = self.separate.borrow().get(&file) {
            return known.clone();
        }
        let count = self.files[file].shell.commands.len();
        let all: Vec<Vec<(usize, Scope)>> = (0..count)
            .map(|command| {
                self.scopes(At { file, command })
                    .into_iter()
                    .filter(|q| matches!(q.1, Scope::Function(_) | Scope::CaseBranch { .. }))
                    .map(|(source, scope)| (source, scope.clone()))
                    .collect()
            })
            .collect();
        let all = std::rc::Rc::new(all);
        self.separate.borrow_mut().insert(file, all.clone());
        all
    }

    /// Whether the command acts on a database that its unit created before it
    /// (`createdb shop_check … pg_restore --clean -d shop_check`): a scratch database.
    pub fn on_scratch_database(&self, at: At) -> bool {
        let (Some(unit), Some(command)) = (self.unit(at), self.command(at)) else {
            return false;
        };
        let Some(name) = crate::analysis::backup::database_name(command) else {
            return false;
        };
        let alongside = self.alongside(at, &unit);
        let created = self.created_databases(at.file);
        alongside.creates.iter().copied().any(|c| {
            c < at.command
                && created.get(c).and_then(Option::as_deref) == Some(name.as_str())
                // `createdb x || true` keeps going when `x` exists: not a fresh database.
                && self
                    .command(At {
                        file: at.file,
                        command: c,
                    })
                    .is_some_and(|c| !self.failure_ignored(at.file, c))
        })
    }

    /// [`CreatedDatabases`] of a file.
    fn created_databases(&self, file: usize) -> CreatedDatabases {
        if let Some(known) = self.created.borrow().get(&file) {
            return known.clone();
        }
        let created: CreatedDatabases = std::rc::Rc::new(
            self.files
                .get(file)
                .map(|f| {
                    f.shell
                        .commands
                        .iter()
                        .map(crate::analysis::backup::created_database)
                        .collect()
                })
                .unwrap_or_default(),
        );
        self.created.borrow_mut().insert(file, created.clone());
        created
    }

    /// Whether a load (`psql < dump.sql`, `pg_restore`) follows the command in its unit.
    pub fn loads_later(&self, at: At) -> bool {
        let Some(unit) = self.unit(at) else {
            return false;
        };
        self.alongside(at, &unit)
            .loads
            .last()
            .is_some_and(|&c| c > at.command)
    }

    /// The names around a command, as written: its unit's (file, job, target), then the
    /// functions and `case` verbs it sits in.
    fn names_around(&self, unit: &Unit, at: At) -> Vec<String> {
        let mut names = vec![unit.name.clone()];
        for (_, scope) in self.scopes(at) {
            match scope {
                Scope::Function(f) => names.push(f.clone()),
                Scope::CaseBranch { patterns, .. } => {
                    names.extend(patterns.iter().cloned());
                }
                _ => {}
            }
        }
        names
    }

    /// The context a command's unit says it runs in by its name: a make target `test`, a CI
    /// job `e2e`, a function `reset_dev_db`, a `case` verb `seed`, a script `seed-demo.sh`. A
    /// test run or a local/dev environment is not where a backup is expected, whatever the file
    /// around it is.
    pub fn name_context(&self, at: At) -> Context {
        let Some(unit) = self.unit(at) else {
            return Context::Production;
        };
        let mut found = Context::Production;
        for name in self.names_around(&unit, at) {
            match crate::levels::name_context(&name) {
                Some(Context::Test) => return Context::Test,
                Some(context) => found = context,
                None => {}
            }
        }
        found
    }

    /// Whether the command's unit drops a database (or schema) before it: a migration run after
    /// that builds a fresh database, the drop is what loses data.
    pub fn dropped_before(&self, at: At) -> bool {
        let Some(unit) = self.unit(at) else {
            return false;
        };
        unit.commands.iter().any(|&c| {
            c < at.command
                && self
                    .step(At {
                        file: at.file,
                        command: c,
                    })
                    .is_some_and(|s| matches!(s.kind, StepKind::Drop))
        })
    }

    /// What the unit of a command is for: by its name (or the function or `case` verb around
    /// the command), else by what it runs (a load: restore; a deploy command: deploy; migrations
    /// that do not follow a drop of the database: deploy).
    pub fn purpose(&self, at: At) -> Option<Purpose> {
        let unit = self.unit(at)?;
        let names: Vec<String> = self
            .names_around(&unit, at)
            .iter()
            .map(|n| n.to_ascii_lowercase())
            .collect();
        for (word, kind) in PURPOSE_WORDS {
            if names.iter().any(|n| n.contains(word)) {
                return Some(Purpose {
                    kind,
                    by_name: true,
                });
            }
        }
        let alongside = self.alongside(at, &unit);
        if !alongside.loads.is_empty() {
            return Some(Purpose {
                kind: "restore",
                by_name: false,
            });
        }
        // Drop, create, migrate: a reset of the database, not an update of the application.
        if alongside.deploys || !alongside.drops && alongside.migrates {
            return Some(Purpose {
                kind: "deploy",
                by_name: false,
            });
        }
        None
    }

    /// A backup step that precedes the command on every path that reaches it.
    pub fn covered(&self, at: At) -> Option<Cover> {
        self.covered_at(at, 0, true)
    }

    /// A backup before the command that does not cover it, with why (its failure is ignored:
    /// `pg_dump … || true`; it dumps another database): for the message when
    /// [`Analysis::covered`] finds none.
    pub fn near_miss(&self, at: At) -> Option<(Cover, String)> {
        let cover = self.covered_at(at, 0, false)?;
        let why = match self.command(cover.at) {
            Some(c) if self.failure_ignored(cover.at.file, c) => {
                "lets the script go on when it fails".to_string()
            }
            Some(_) if self.runs_alongside(cover.at, at, &*self.unit(at)?) => {
                "runs in the background, so the step does not wait for it".to_string()
            }
            Some(c) if self.other_database(cover.at, at) => {
                let name =
                    |c: &Command| crate::analysis::backup::database_name(c).unwrap_or_default();
                let acted_on = self.command(at).map(name).unwrap_or_default();
                format!("dumps database `{}`, not `{acted_on}`", name(c))
            }
            _ => return None,
        };
        Some((cover, why))
    }

    /// `strict`: a backup whose failure is explicitly ignored (`|| true`) does not count.
    fn covered_at(&self, at: At, depth: usize, strict: bool) -> Option<Cover> {
        if depth > MAX_DEPTH {
            return None;
        }
        let unit = self.unit(at)?;
        let target = self.command(at)?;
        let sd = self.scopes(at);
        for &b in &unit.may_back_up {
            let bat = At {
                file: at.file,
                command: b,
            };
            let Some(bc) = self.command(bat) else {
                continue;
            };
            if bc.span.start() >= target.span.start() || b == at.command {
                continue;
            }
            // Whether it backs up at all first: memoised, and false for nearly every command,
            // so a long script does not pay for path checks step × command.
            let Some((label, _)) = self.backs_up(bat, depth + 1) else {
                continue;
            };
            if !self.on_path(at.file, &self.scopes(bat), &sd) {
                continue;
            }
            if strict && self.failure_ignored(at.file, bc) {
                continue;
            }
            if strict && self.runs_alongside(bat, at, &unit) {
                continue;
            }
            if strict && self.other_database(bat, at) {
                continue;
            }
            return Some(Cover { at: bat, label });
        }
        // Inside a function: a backup before every call of it covers the step too.
        let function = sd.iter().rev().find_map(|(src, s)| match s {
            Scope::Function(name) => Some((*src, name.clone())),
            _ => None,
        });
        if let Some((source, name)) = function {
            return self.all_covered(self.calls_of(at.file, source, &name), depth, strict);
        }
        // In a GitHub Actions job: a job it `needs:` (directly or not) ran to success first.
        if let UnitKey::Job(job) = &unit.key
            && let Some(cover) = self.needed_jobs_back_up(at.file, job, depth, strict)
        {
            return Some(cover);
        }
        // In a just recipe or a go-task task: its dependencies ran first (and theirs).
        if let UnitKey::Target(target) = &unit.key
            && matches!(
                self.files[at.file].kind,
                FileKind::Justfile | FileKind::Taskfile
            )
        {
            let deps = &self.files[at.file].shell.task_deps;
            let of = |name: &str| -> Vec<String> {
                deps.iter()
                    .find(|(t, _)| t == name)
                    .map(|(_, d)| d.clone())
                    .unwrap_or_default()
            };
            let mut seen: Vec<String> = Vec::new();
            let mut queue = of(target);
            queue.reverse();
            while let Some(dep) = queue.pop() {
                if seen.contains(&dep) || seen.len() > 32 {
                    continue;
                }
                let mut more = of(&dep);
                more.reverse();
                queue.extend(more);
                seen.push(dep.clone());
                let found = self
                    .task_backs_up(at.file, &dep, depth + 1)
                    .or_else(|| name_says_backup(&dep).then(|| (String::new(), None)));
                if found.is_some() {
                    return Some(Cover {
                        at,
                        label: format!("the `{dep}` dependency"),
                    });
                }
            }
            return None;
        }
        // In a make target: prerequisites run before the recipe, and theirs before them.
        if let UnitKey::Target(target) = &unit.key {
            let text = &self.files[at.file].file.text;
            let mut seen: Vec<String> = Vec::new();
            let mut queue = prerequisites(text, target);
            queue.reverse();
            while let Some(prerequisite) = queue.pop() {
                if seen.contains(&prerequisite) || seen.len() > 32 {
                    continue;
                }
                let mut more = prerequisites(text, &prerequisite);
                more.reverse();
                queue.extend(more);
                seen.push(prerequisite.clone());
                let found = self
                    .make_target_backs_up(at.file, None, &prerequisite, depth + 1)
                    .or_else(|| name_says_backup(&prerequisite).then(|| (String::new(), None)));
                if found.is_some() {
                    return Some(Cover {
                        at,
                        label: format!("`make {prerequisite}`"),
                    });
                }
            }
            return None;
        }
        // At a script's top level: a backup before every call of the script from elsewhere in
        // the repository (a CI job, a make target, another script) that reaches the step.
        if unit.key != UnitKey::Script {
            return None;
        }
        let callers: Vec<At> = self
            .script_callers(at.file)
            .into_iter()
            .filter(|(_, verb)| self.reachable(at, verb.as_deref(), depth + 1))
            .map(|(caller, _)| caller)
            .collect();
        self.all_covered(callers, depth, strict)
    }

    /// Whether a command's failure is explicitly ignored (`|| true`), knowing which functions of
    /// its file exit (a handler `|| on_backup_error` that exits stops the script).
    fn failure_ignored(&self, file: usize, command: &Command) -> bool {
        let facts = &self.files[file];
        let exits = |name: &str| {
            facts.shell.commands.iter().any(|c| {
                c.scopes
                    .iter()
                    .any(|s| matches!(s, Scope::Function(f) if f == name))
                    && c.argv.first().is_some_and(|w| w.display() == "exit")
            })
        };
        crate::analysis::backup::failure_ignored(command, &exits)
    }

    /// Whether `b` runs in the background (`pg_dump … &`) and no `wait` comes between it and
    /// `d`: the step does not wait for the backup to finish.
    fn runs_alongside(&self, b: At, d: At, unit: &Unit) -> bool {
        let Some(bc) = self.command(b) else {
            return false;
        };
        if !crate::analysis::backup::backgrounded(bc) {
            return false;
        }
        !unit.commands.iter().any(|&c| {
            c > b.command
                && c < d.command
                && self
                    .command(At {
                        file: b.file,
                        command: c,
                    })
                    .and_then(|c| c.argv.first())
                    .is_some_and(|w| w.display() == "wait")
        })
    }

    /// Whether the backup step `b` dumps a database other than the one the step `d` acts on,
    /// both named literally (`pg_dump analytics` before `psql shop -c 'TRUNCATE orders'`). A
    /// `DROP DATABASE` sent through a client names its target in SQL, not in the connection.
    fn other_database(&self, b: At, d: At) -> bool {
        if !matches!(self.step(b).map(|s| &s.kind), Some(StepKind::Backup { .. })) {
            return false;
        }
        let sql_drop = matches!(self.step(d).map(|s| &s.kind), Some(StepKind::Drop))
            && self
                .command(d)
                .and_then(|c| c.argv.first())
                .is_some_and(|p| !p.display().ends_with("dropdb"));
        if sql_drop {
            return false;
        }
        let (Some(bc), Some(dc)) = (self.command(b), self.command(d)) else {
            return false;
        };
        match (
            crate::analysis::backup::database_name(bc),
            crate::analysis::backup::database_name(dc),
        ) {
            (Some(backed_up), Some(acted_on)) => backed_up != acted_on,
            _ => false,
        }
    }

    /// A backup in a job that the workflow job `job` needs (`needs: backup`, transitively): the
    /// job runs only after those succeeded.
    fn needed_jobs_back_up(
        &self,
        file: usize,
        job: &str,
        depth: usize,
        strict: bool,
    ) -> Option<Cover> {
        let facts = &self.files[file];
        if !facts
            .shell
            .sources
            .iter()
            .any(|s| matches!(s.origin, ShellOrigin::WorkflowStep { .. }))
        {
            return None;
        }
        let needs = &facts.job_needs;
        let mut seen: Vec<&str> = Vec::new();
        let mut queue: Vec<&str> = needs
            .get(job)
            .map_or(Vec::new(), |n| n.iter().map(String::as_str).collect());
        while let Some(needed) = queue.pop() {
            if seen.contains(&needed) || seen.len() > 32 {
                continue;
            }
            seen.push(needed);
            if let Some(more) = needs.get(needed) {
                queue.extend(more.iter().map(String::as_str));
            }
        }
        for (command, c) in facts.shell.commands.iter().enumerate() {
            let bat = At { file, command };
            if !matches!(self.unit_key(bat), Some(UnitKey::Job(j)) if seen.contains(&j.as_str())) {
                continue;
            }
            if !self.on_path(file, &self.scopes(bat), &[]) {
                continue;
            }
            if strict && self.failure_ignored(file, c) {
                continue;
            }
            if let Some((label, _)) = self.backs_up(bat, depth + 1) {
                return Some(Cover { at: bat, label });
            }
        }
        None
    }

    /// The first cover when every one of `calls` is covered (none when there are no calls).
    fn all_covered(&self, calls: Vec<At>, depth: usize, strict: bool) -> Option<Cover> {
        let mut first = None;
        for call in calls {
            let cover = self.covered_at(call, depth + 1, strict)?;
            first.get_or_insert(cover);
        }
        first
    }

    /// Whether a command with scopes `sb` runs on every path to a later command with scopes `sd`.
    fn on_path(&self, file: usize, sb: &[QScope], sd: &[QScope]) -> bool {
        let common = sb
            .iter()
            .zip(sd)
            .take_while(|(a, b)| a.0 == b.0 && a.1 == b.1)
            .count();
        sb[common..].iter().all(|(src, s)| match s {
            Scope::Function(_) | Scope::CaseBranch { .. } => false,
            Scope::AndOr { op, .. } => op == "&&",
            Scope::IfBranch { id, branch, .. } => {
                self.other_branches_exit(file, *src, *id, *branch)
            }
            Scope::Condition { .. } | Scope::Loop | Scope::Subshell => true,
        })
    }

    /// Whether the `if` numbered `id` in `source` has an `else`, and every branch but `branch`
    /// ends the script (`exit`/`return` directly in the branch).
    fn other_branches_exit(&self, file: usize, source: usize, id: u32, branch: u32) -> bool {
        let key = (file, source, id, branch);
        if let Some(&known) = self.branches.borrow().get(&key) {
            return known;
        }
        let answer = self.judge_branches(file, source, id, branch);
        self.branches.borrow_mut().insert(key, answer);
        answer
    }

    fn judge_branches(&self, file: usize, source: usize, id: u32, branch: u32) -> bool {
        let facts = &self.files[file];
        let mut branches: BTreeMap<u32, bool> = BTreeMap::new();
        let mut has_else = false;
        for c in facts.shell.commands.iter().filter(|c| c.source == source) {
            let Some(pos) = c
                .scopes
                .iter()
                .position(|s| matches!(s, Scope::IfBranch { id: i, .. } if *i == id))
            else {
                continue;
            };
            let Scope::IfBranch {
                branch: k,
                condition,
                ..
            } = &c.scopes[pos]
            else {
                continue;
            };
            has_else |= condition.starts_with("not (");
            let exits = pos + 1 == c.scopes.len()
                && matches!(c.program().as_deref(), Some("exit" | "return"));
            let entry = branches.entry(*k).or_insert(false);
            *entry |= exits;
        }
        let Some(&last) = branches.keys().next_back() else {
            return false;
        };
        has_else
            && (0..=last)
                .filter(|k| *k != branch)
                .all(|k| branches.get(&k).copied().unwrap_or(false))
    }

    /// Every backup mechanism of the repository: backup steps (or calls to one) in scripts, CI,
    /// Makefiles, cron and systemd, compose commands; not in tests, local helpers or documentation.
    pub fn mechanisms(&self) -> Vec<Mechanism> {
        let mut out = Vec::new();
        for (at, _) in self.all_steps() {
            let facts = &self.files[at.file];
            let Some(c) = self.command(at) else {
                continue;
            };
            // A backup in a test, an example or a local helper does not protect production; a
            // scheduled job on a hosted CI runner may (it reaches the database over the network).
            if matches!(
                facts.context_at(c.span),
                Context::Test | Context::Docs | Context::Local
            ) {
                continue;
            }
            let root = self.root_source(at.file, c.source);
            if facts
                .shell
                .sources
                .get(root)
                .is_some_and(|s| s.origin == ShellOrigin::MarkdownFence)
            {
                continue;
            }
            if let Some((label, family)) = self.backs_up(at, 0) {
                out.push(Mechanism {
                    path: facts.file.path.clone(),
                    span: c.span,
                    label,
                    family,
                });
            }
        }
        for facts in self.files {
            if facts.compose.is_none()
                || matches!(
                    facts.context,
                    Context::Test | Context::Docs | Context::Local
                )
            {
                continue;
            }
            out.extend(scheduler_label_backups(facts, self.catalog));
        }
        out
    }
}

#[cfg(test)]
mod tests;
