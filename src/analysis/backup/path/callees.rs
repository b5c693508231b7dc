//! Callees that back up: a function of the file, a script of the repository (with its `case` verb), a make target and its prerequisites, followed to a depth limit.

use super::*;

impl<'a> Analysis<'a> {
    /// Commands of other production files that run the script `file` (with their verb), not
    /// counting documentation.
    pub(super) fn script_callers(&self, file: usize) -> Vec<(At, Option<String>)> {
        if self.callers.borrow().is_none() {
            let mut map = Callers::new();
            for (at, step) in self.all_steps() {
                let StepKind::Call(Callee::Script { path, args }) = &step.kind else {
                    continue;
                };
                let facts = &self.files[at.file];
                let Some(command) = self.command(at) else {
                    continue;
                };
                let in_docs = facts
                    .shell
                    .sources
                    .get(self.root_source(at.file, command.source))
                    .is_some_and(|s| s.origin == ShellOrigin::MarkdownFence);
                if facts.context_at(command.span) != Context::Production || in_docs {
                    continue;
                }
                let Some(target) = self.resolve_script(at.file, path, &command.cwd) else {
                    continue;
                };
                if target != at.file {
                    map.entry(target)
                        .or_default()
                        .push((at, args.first().cloned()));
                }
            }
            *self.callers.borrow_mut() = Some(map);
        }
        self.callers
            .borrow()
            .as_ref()
            .and_then(|m| m.get(&file).cloned())
            .unwrap_or_default()
    }

    /// Every script of the repository that other files call, with the context of each call:
    /// the caller's own (a file under `tests/`), or the one its unit's name gives (a make
    /// target `test`, a CI job `e2e`). Calls from documentation are not counted: a runbook
    /// that names a script says nothing about where it runs.
    pub fn script_call_contexts(&self) -> BTreeMap<usize, Vec<Context>> {
        let mut out: BTreeMap<usize, Vec<Context>> = BTreeMap::new();
        for (at, step) in self.all_steps() {
            let StepKind::Call(Callee::Script { path, .. }) = &step.kind else {
                continue;
            };
            let facts = &self.files[at.file];
            let Some(command) = self.command(at) else {
                continue;
            };
            let own = facts.context_at(command.span);
            let in_docs = facts
                .shell
                .sources
                .get(self.root_source(at.file, command.source))
                .is_some_and(|s| s.origin == ShellOrigin::MarkdownFence);
            if in_docs || own == Context::Docs {
                continue;
            }
            let Some(target) = self.resolve_script(at.file, path, &command.cwd) else {
                continue;
            };
            if target == at.file {
                continue;
            }
            let context = match (own, self.name_context(at)) {
                (Context::Test, _) | (_, Context::Test) => Context::Test,
                (Context::Local, _) | (_, Context::Local) => Context::Local,
                _ => Context::Production,
            };
            out.entry(target).or_default().push(context);
        }
        out
    }

    /// Calls of function `name` (defined in `source`) in the file, outside its own body.
    pub(super) fn calls_of(&self, file: usize, source: usize, name: &str) -> Vec<At> {
        let facts = &self.files[file];
        let root = self.root_source(file, source);
        facts
            .shell
            .commands
            .iter()
            .enumerate()
            .filter(|(_, c)| self.root_source(file, c.source) == root)
            .filter(|(_, c)| c.argv.first().is_some_and(|w| w.is(name)))
            .map(|(i, _)| At { file, command: i })
            .filter(|&at| {
                !self
                    .scopes(at)
                    .iter()
                    .any(|(_, s)| matches!(s, Scope::Function(f) if f == name))
            })
            .collect()
    }

    /// Whether a command backs up (itself, or through what it calls): a label and the family.
    pub fn backs_up(&self, at: At, depth: usize) -> Option<Found> {
        if depth > MAX_DEPTH {
            return None;
        }
        // Only a backup or a call can back up: no look-up for every other command.
        if !self
            .step(at)
            .is_some_and(|s| matches!(s.kind, StepKind::Backup { .. } | StepKind::Call(_)))
        {
            return None;
        }
        if let Some(known) = self.commands.borrow().get(&at).cloned() {
            return known;
        }
        let found = self.judge(at, depth);
        // A miss deep in a chain of calls may be the depth limit speaking: keep only sure answers.
        if found.is_some() || depth <= 1 {
            self.commands.borrow_mut().insert(at, found.clone());
        }
        found
    }

    pub(super) fn judge(&self, at: At, depth: usize) -> Option<Found> {
        let step = self.step(at)?;
        let via = |inner: &str| format!("`{}` (which runs {inner})", step.label);
        match &step.kind {
            StepKind::Backup { family } => Some((format!("`{}`", step.label), family.clone())),
            StepKind::Call(Callee::Function { name }) => {
                let (label, family) = self.function_backs_up(at, name, depth + 1)?;
                Some((via(&label), family))
            }
            StepKind::Call(Callee::Script { path, args }) => {
                let cwd = self.command(at).map(|c| c.cwd.clone()).unwrap_or_default();
                match self.resolve_script(at.file, path, &cwd) {
                    Some(target) => {
                        let (label, family) = self.script_backs_up(
                            target,
                            args.first().map(String::as_str),
                            depth + 1,
                        )?;
                        Some((via(&label), family))
                    }
                    None => {
                        let name = path.rsplit('/').next().unwrap_or(path);
                        name_says_backup(name).then(|| (format!("`{}`", step.label), None))
                    }
                }
            }
            StepKind::Call(Callee::Make { targets, dir }) => {
                for t in targets {
                    if let Some((label, family)) =
                        self.make_target_backs_up(at.file, dir.as_deref(), t, depth + 1)
                    {
                        return Some((format!("`make {t}` (which runs {label})"), family));
                    }
                    if name_says_backup(t) {
                        return Some((format!("`make {t}`"), None));
                    }
                }
                None
            }
            StepKind::Call(Callee::Named { name }) => {
                name_says_backup(name).then(|| (format!("`{}`", step.label), None))
            }
            _ => None,
        }
    }

    pub(super) fn function_backs_up(&self, at: At, name: &str, depth: usize) -> Option<Found> {
        let facts = &self.files[at.file];
        let root = self.root_source(at.file, facts.shell.commands.get(at.command)?.source);
        let inside = self.function_commands(at.file);
        inside
            .get(name)?
            .iter()
            .map(|&i| At {
                file: at.file,
                command: i,
            })
            .filter(|&c| {
                let cmd = &facts.shell.commands[c.command];
                self.root_source(at.file, cmd.source) == root
                    && cmd
                        .scopes
                        .iter()
                        .any(|s| matches!(s, Scope::Function(f) if f == name))
                    && !cmd
                        .scopes
                        .iter()
                        .any(|s| matches!(s, Scope::AndOr { op, .. } if op == "||"))
            })
            .find_map(|c| self.backs_up(c, depth + 1))
    }

    /// A script of the repository a command calls (`./scripts/backup.sh`, `"$DIR/backup.sh"`,
    /// `$0` for the script itself).
    pub(super) fn resolve_script(&self, from: usize, written: &str, cwd: &Dir) -> Option<usize> {
        let caller = &self.files[from].file.path;
        if matches!(
            written,
            "$0" | "${0}" | "${BASH_SOURCE[0]}" | "$BASH_SOURCE"
        ) {
            return Some(from);
        }
        let caller_dir = caller.rsplit_once('/').map_or("", |(d, _)| d);
        // The literal tail after the last expansion.
        let tail = match written.rfind(['}', ')']) {
            Some(at) if written.contains('$') => &written[at + 1..],
            _ if written.starts_with('$') => match written.find('/') {
                Some(at) => &written[at..],
                None => return None,
            },
            _ => written,
        };
        let tail = tail.trim_start_matches("./").trim_start_matches('/');
        if tail.is_empty() {
            return None;
        }
        let join = |dir: &str, rel: &str| -> String {
            let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
            for p in rel.split('/') {
                match p {
                    "" | "." => {}
                    ".." => {
                        parts.pop();
                    }
                    p => parts.push(p),
                }
            }
            parts.join("/")
        };
        let is_script = |i: &usize| {
            matches!(
                self.files[*i].kind,
                FileKind::Shell | FileKind::PowerShell | FileKind::Program
            )
        };
        // Where the call runs, as far as `cd` in the caller tells; then the caller's directory
        // and the repository root.
        let mut dirs: Vec<String> = Vec::new();
        match cwd {
            Dir::ScriptDir(p) => dirs.push(join(caller_dir, p)),
            Dir::Relative(p) => dirs.push(join("", p)),
            _ => {}
        }
        dirs.push(caller_dir.to_string());
        dirs.push(String::new());
        for candidate in dirs.iter().map(|d| join(d, tail)) {
            if let Some(i) = self.file_index(&candidate).filter(is_script) {
                return Some(i);
            }
        }
        // `/opt/app/scripts/backup.sh`, `$ROOT/scripts/backup.sh`: match by the path's end.
        let suffix = format!("/{tail}");
        self.files
            .iter()
            .enumerate()
            .filter(|(i, f)| {
                is_script(i) && (f.file.path.ends_with(&suffix) || f.file.path == tail)
            })
            .map(|(i, _)| i)
            .min_by_key(|i| self.files[*i].file.path.len())
    }

    /// Whether a script backs up when called with `verb` as its first argument: a backup step
    /// (or a call leading to one) outside `case` branches of other verbs, outside `||`, and
    /// outside functions that the same verb does not call.
    pub(super) fn script_backs_up(
        &self,
        file: usize,
        verb: Option<&str>,
        depth: usize,
    ) -> Option<Found> {
        if depth > MAX_DEPTH {
            return None;
        }
        let key = (file, verb.map(str::to_string));
        if let Some(known) = self.scripts.borrow().get(&key) {
            return known.clone();
        }
        let facts = &self.files[file];
        let found = (0..facts.shell.commands.len())
            .map(|i| At { file, command: i })
            .filter(|&at| self.unit_key(at) == Some(UnitKey::Script))
            .filter(|&at| self.reachable(at, verb, depth + 1))
            .find_map(|at| self.backs_up(at, depth + 1));
        // A miss deep in a chain of calls may be the depth limit speaking: keep only sure answers.
        if found.is_some() || depth <= 2 {
            self.scripts.borrow_mut().insert(key, found.clone());
        }
        found
    }

    pub(super) fn reachable(&self, at: At, verb: Option<&str>, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let scopes = self.scopes(at);
        scopes.iter().all(|(src, s)| match s {
            Scope::CaseBranch { patterns, .. } => patterns.iter().any(|p| pattern_matches(p, verb)),
            Scope::AndOr { op, .. } => op == "&&",
            Scope::Function(name) => self
                .calls_of(at.file, *src, name)
                .into_iter()
                .any(|c| self.reachable(c, verb, depth + 1)),
            _ => true,
        })
    }

    pub(super) fn make_target_backs_up(
        &self,
        from: usize,
        dir: Option<&str>,
        target: &str,
        depth: usize,
    ) -> Option<Found> {
        let caller_dir = self.files[from]
            .file
            .path
            .rsplit_once('/')
            .map_or("", |(d, _)| d);
        let wanted_dir = match dir {
            Some(d) if caller_dir.is_empty() => d.trim_start_matches("./").to_string(),
            Some(d) => format!("{caller_dir}/{}", d.trim_start_matches("./")),
            None => caller_dir.to_string(),
        };
        let mut makefiles: Vec<usize> = (0..self.files.len())
            .filter(|&i| self.files[i].kind == FileKind::Makefile)
            .collect();
        // Prefer the Makefile of the directory the call runs in.
        makefiles.sort_by_key(|&i| {
            let p = &self.files[i].file.path;
            let d = p.rsplit_once('/').map_or("", |(d, _)| d);
            (d != wanted_dir, p.len())
        });
        for m in makefiles {
            let facts = &self.files[m];
            for (i, c) in facts.shell.commands.iter().enumerate() {
                let Some(source) = facts.shell.sources.get(self.root_source(m, c.source)) else {
                    continue;
                };
                if !matches!(&source.origin, ShellOrigin::MakeTarget { target: t } if t == target) {
                    continue;
                }
                if let Some(found) = self.backs_up(
                    At {
                        file: m,
                        command: i,
                    },
                    depth + 1,
                ) {
                    return Some(found);
                }
            }
        }
        None
    }
}

impl Analysis<'_> {
    /// Whether the named task `name` of the same file (a just recipe, a go-task task) backs up.
    pub(super) fn task_backs_up(&self, file: usize, name: &str, depth: usize) -> Option<Found> {
        let facts = &self.files[file];
        for (i, c) in facts.shell.commands.iter().enumerate() {
            let Some(source) = facts.shell.sources.get(self.root_source(file, c.source)) else {
                continue;
            };
            if !matches!(&source.origin, ShellOrigin::Task { name: t, .. } if t == name) {
                continue;
            }
            if let Some(found) = self.backs_up(At { file, command: i }, depth + 1) {
                return Some(found);
            }
        }
        None
    }
}

/// The prerequisites of a make target, from its rule lines (`reset: backup stop`); variables
/// and pattern rules are not expanded.
pub(super) fn prerequisites(makefile: &str, target: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in makefile.split('\n') {
        if line.starts_with('\t') || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((targets, rest)) = line.split_once(':') else {
            continue;
        };
        // `X := y`, `X ::= y` are assignments, not rules.
        if rest.starts_with('=') || rest.starts_with(":=") || targets.contains('=') {
            continue;
        }
        if !targets.split_whitespace().any(|t| t == target) {
            continue;
        }
        let rest = rest.trim_start_matches(':');
        let rest = rest.split([';', '#']).next().unwrap_or("");
        out.extend(
            rest.split_whitespace()
                .filter(|w| *w != "|" && !w.contains('$') && !w.contains('%'))
                .map(str::to_string),
        );
    }
    out
}

/// Whether a `case` pattern matches the verb (`backup`, `"backup"`, `backup|dump`, `b*`, `*`).
pub(super) fn pattern_matches(pattern: &str, verb: Option<&str>) -> bool {
    let p = pattern.trim_matches(|c| c == '"' || c == '\'');
    if p == "*" {
        return true;
    }
    let Some(verb) = verb else {
        return false;
    };
    p.split('|').any(|alt| {
        let alt = alt.trim().trim_matches(|c| c == '"' || c == '\'');
        match alt.split_once('*') {
            Some((head, tail)) => {
                verb.starts_with(head)
                    && verb.ends_with(tail)
                    && verb.len() >= head.len() + tail.len()
            }
            None => alt == verb,
        }
    })
}
