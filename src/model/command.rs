//! Executed commands, language-independent: a command's words (literal where they can be known),
//! the wrappers peeled off it, the control flow around it, its input, environment and working
//! directory, and the shell source it came from. Front-ends (shell, CI, Makefile, Markdown, cron,
//! systemd, compose) produce these; analyses and rules read them. No parser types here.

use crate::model::Region;
use crate::model::injection::EmbeddedSql;
use crate::source::{OffsetMap, Span};

/// One piece of a word: literal text, or an expansion whose value is unknown.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Piece {
    Lit(String),
    /// An expansion as written (`$DB_NAME`, `${DB}`, `$(date)`).
    Expansion(String),
}

/// One argument word of a command, with its host-file span.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Word {
    pub span: Span,
    pub pieces: Vec<Piece>,
}

impl Word {
    pub fn literal_word(span: Span, text: &str) -> Self {
        Word {
            span,
            pieces: vec![Piece::Lit(text.to_string())],
        }
    }

    /// The word's value when every piece is known.
    pub fn literal(&self) -> Option<String> {
        if let [Piece::Lit(s)] = self.pieces.as_slice() {
            return Some(s.clone());
        }
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Lit(s) => out.push_str(s),
                Piece::Expansion(_) => return None,
            }
        }
        Some(out)
    }

    /// The word as a person reads it: literal parts plus expansions as written.
    pub fn display(&self) -> String {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Lit(s) | Piece::Expansion(s) => s.as_str(),
            })
            .collect()
    }

    /// True when the literal value equals `s`.
    pub fn is(&self, s: &str) -> bool {
        matches!(self.pieces.as_slice(), [Piece::Lit(v)] if v == s)
            || self.literal().is_some_and(|v| v == s)
    }

    /// Whether a concrete name could be this word: literal parts must appear in order, and
    /// expansions match anything (`${PROJECT}_pgdata` matches `shop_pgdata`).
    pub fn could_be(&self, name: &str) -> bool {
        let mut rest = name;
        let mut anchored = true;
        for (i, piece) in self.pieces.iter().enumerate() {
            match piece {
                Piece::Lit(lit) => {
                    if anchored {
                        let Some(r) = rest.strip_prefix(lit.as_str()) else {
                            return false;
                        };
                        rest = r;
                    } else if i == self.pieces.len() - 1 {
                        return rest.ends_with(lit.as_str());
                    } else {
                        let Some(at) = rest.find(lit.as_str()) else {
                            return false;
                        };
                        rest = &rest[at + lit.len()..];
                    }
                    anchored = true;
                }
                Piece::Expansion(_) => anchored = false,
            }
        }
        !anchored || rest.is_empty()
    }
}

/// A control structure around a command, outermost first in [`Command::scopes`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Scope {
    /// The body of a shell function.
    Function(String),
    /// The condition list of `if`/`elif`/`while`.
    Condition { id: u32 },
    /// Branch `branch` of an `if` (0 = then, then each elif, last = else).
    IfBranch {
        id: u32,
        branch: u32,
        condition: String,
    },
    /// A `case` item with its patterns as written.
    CaseBranch { id: u32, patterns: Vec<String> },
    /// A loop body.
    Loop,
    /// The right side of `&&` / `||`: runs only when the left side succeeded / failed.
    AndOr { id: u32, op: String },
    /// Inside `(…)`, `$(…)` or a pipeline stage.
    Subshell,
}

/// Text fed to a command's standard input (a heredoc or here-string).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StdinText {
    pub text: String,
    /// Where the text sits in the host file.
    pub span: Span,
    /// Offsets into `text` → host offsets.
    #[serde(skip)]
    pub map: OffsetMap,
}

/// A redirection written on a command (`> out.sql`, `>> log`, `< dump.sql`, `2>&1`), from the
/// syntax tree.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Redirect {
    /// The file descriptor written before the operator (`2` in `2>&1`), if any.
    pub fd: Option<String>,
    /// The operator (`>`, `>>`, `<`, `&>`, `>&`, `>|`).
    pub op: String,
    /// The destination as written (quotes removed where the word is literal).
    pub target: String,
}

impl Redirect {
    /// The file standard output is written to (`> f`, `>> f`, `&> f`, `1> f`), if this is one.
    pub fn stdout_file(&self) -> Option<&str> {
        let fd_is_stdout = self.fd.as_deref().is_none_or(|fd| fd == "1");
        let to_file = matches!(self.op.as_str(), ">" | ">>" | ">|" | "&>" | "&>>")
            || (self.op == ">&" && !self.target.chars().all(|c| c.is_ascii_digit() || c == '-'));
        (fd_is_stdout && to_file).then_some(self.target.as_str())
    }

    /// The file standard input is read from (`< f`), if this is one.
    pub fn stdin_file(&self) -> Option<&str> {
        let fd_is_stdin = self.fd.as_deref().is_none_or(|fd| fd == "0");
        (fd_is_stdin && self.op == "<" && !self.target.starts_with(['(', '<']))
            .then_some(self.target.as_str())
    }
}

/// What follows a command in its list, from the syntax tree.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum After {
    /// Nothing: the end of its script, block or line.
    #[default]
    Nothing,
    /// `;` or a newline, then more commands.
    Sequence,
    /// `cmd && next`.
    And,
    /// `cmd || handler`: the handler as written.
    Or { handler: String },
    /// `cmd &`: it runs in the background.
    Background,
}

/// The stage of a pipeline feeding a command's standard input (`gunzip -c x.gz | psql`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Feeder {
    /// The feeding command's words (program first), when it is a simple command.
    pub argv: Vec<String>,
    /// The feeder's input is a heredoc or here-string written in the script (`cat <<EOF | psql`).
    pub heredoc: bool,
}

/// One executed command.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Command {
    /// The whole command in the host file.
    pub span: Span,
    /// The command as executed after wrappers (`sudo`, `env X=1`, …) are removed; `argv[0]` is the program.
    pub argv: Vec<Word>,
    /// Wrappers that were removed, outermost first (`sudo`, `env`, `docker exec db`).
    pub via: Vec<String>,
    /// Control structures around the command, outermost first.
    pub scopes: Vec<Scope>,
    /// Heredoc or here-string fed to the command.
    pub stdin: Option<StdinText>,
    /// Index of the [`ShellSource`] it came from.
    pub source: usize,
    /// Variables set for this command only (`VAR=x cmd`, `env VAR=x cmd`, `sudo VAR=x cmd`).
    pub env: Vec<(String, Word)>,
    /// The directory the command runs in, as far as `cd` in the script tells.
    pub cwd: Dir,
    /// Redirections written on it (or on the block it is in), in order.
    pub redirects: Vec<Redirect>,
    /// What follows it in its list (`&&`, `||`, `&`, `;`).
    pub after: After,
    /// The pipeline stage feeding its standard input, if it is not the first stage.
    pub piped_from: Option<Feeder>,
}

/// The working directory of a command, from the `cd` commands before it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "base", content = "path", rename_all = "kebab-case")]
pub enum Dir {
    /// Wherever the script was started (no `cd` seen).
    #[default]
    Invocation,
    /// Relative to the invocation directory (`cd deploy`).
    Relative(String),
    /// Relative to the script's own directory (`cd "$(dirname "$0")/.."`): `""` is the directory itself.
    ScriptDir(String),
    /// An absolute path.
    Absolute(String),
    /// A `cd` whose target cannot be known, or a command run on another machine or in a container.
    Unknown,
}

impl Dir {
    /// The directory after `cd <path>` from here.
    pub fn join(&self, path: &str) -> Dir {
        if path.starts_with('/') {
            return Dir::Absolute(normalize(path));
        }
        match self {
            Dir::Invocation => Dir::Relative(normalize(path)),
            Dir::Relative(p) => Dir::Relative(normalize(&format!("{p}/{path}"))),
            Dir::ScriptDir(p) if p.is_empty() => Dir::ScriptDir(normalize(path)),
            Dir::ScriptDir(p) => Dir::ScriptDir(normalize(&format!("{p}/{path}"))),
            Dir::Absolute(p) => Dir::Absolute(normalize(&format!("{p}/{path}"))),
            Dir::Unknown => Dir::Unknown,
        }
    }
}

/// `a/./b/../c/` → `a/c`; leading `..` kept.
pub fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

impl Command {
    /// The program name (basename of `argv[0]` when literal).
    pub fn program(&self) -> Option<String> {
        self.program_name().map(std::borrow::Cow::into_owned)
    }

    /// [`Command::program`] without allocating when `argv[0]` is one literal (the usual case):
    /// facts and rules ask every command for its program, often several times.
    pub fn program_name(&self) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        let first = self.argv.first()?;
        let basename = |s: &str| s.rsplit('/').next().unwrap_or(s).len();
        match first.pieces.as_slice() {
            [Piece::Lit(s)] => Some(Cow::Borrowed(&s[s.len() - basename(s)..])),
            _ => {
                let s = first.literal()?;
                let keep = basename(&s);
                Some(Cow::Owned(s[s.len() - keep..].to_string()))
            }
        }
    }

    /// Literal values of the arguments after the program (unknown words as `None`).
    pub fn args(&self) -> impl Iterator<Item = &Word> {
        self.argv.iter().skip(1)
    }
}

/// Where a piece of shell came from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ShellOrigin {
    Script,
    WorkflowStep {
        job: String,
    },
    GitlabJob {
        job: String,
    },
    MakeTarget {
        target: String,
    },
    MarkdownFence,
    ComposeCommand {
        service: String,
    },
    Cron,
    /// A named task of a manifest: a `package.json` script, a Procfile process, a platform
    /// file's build/release/start command. `host` names the file kind (`package.json`).
    Task {
        host: String,
        name: String,
    },
    /// A string run by `bash -c`, `ssh host`, … inside another source.
    Nested,
}

/// One run of shell text: a script, a CI step, a Makefile recipe, a Markdown fence.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ShellSource {
    pub span: Span,
    pub origin: ShellOrigin,
}

/// A shell function defined in a source.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FunctionDef {
    pub name: String,
    pub span: Span,
    pub source: usize,
}

/// A variable assignment (`X=1`, `export X=1`, `local X=1`, `readonly X=1`, or a `VAR=1 cmd` prefix).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Assignment {
    pub name: String,
    /// Span of the name in the host file.
    pub name_span: Span,
    pub value: Word,
    /// `export` / `declare -x`, or a prefix of a command (then in its environment).
    pub exported: bool,
    pub source: usize,
    /// Control structures around the assignment, outermost first (a default set only when the
    /// variable is unset sits in `if [ -z "$X" ]; then X=…; fi` or after `[ -z "$X" ] &&`).
    pub scopes: Vec<Scope>,
}

/// Everything the shell layer knows about one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ShellFacts {
    pub sources: Vec<ShellSource>,
    pub commands: Vec<Command>,
    pub functions: Vec<FunctionDef>,
    pub assignments: Vec<Assignment>,
    pub embedded_sql: Vec<EmbeddedSql>,
    /// Parts of the file that run only behind a confirmation guard.
    pub regions: Vec<Region>,
    /// When the shell of a part of the file runs (a Dockerfile `CMD`, a release phase), where
    /// its host says so; innermost wins.
    pub runs: Vec<RunSpan>,
    /// Files of the repository that this file runs at a known moment (the script a Dockerfile's
    /// `ENTRYPOINT` starts, a file copied into `/docker-entrypoint-initdb.d`).
    pub entry_files: Vec<EntryFile>,
    /// Named tasks of the file (a just recipe, a go-task task) and the tasks that run before
    /// each of them (just dependencies, go-task `deps:`), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub task_deps: Vec<(String, Vec<String>)>,
    /// Nesting too deep or other trouble, as messages with a host offset.
    #[serde(skip)]
    pub problems: Vec<(usize, String)>,
}

impl crate::model::cold::Empty for ShellFacts {
    fn empty() -> &'static Self {
        static EMPTY: ShellFacts = ShellFacts {
            sources: Vec::new(),
            commands: Vec::new(),
            functions: Vec::new(),
            assignments: Vec::new(),
            embedded_sql: Vec::new(),
            regions: Vec::new(),
            runs: Vec::new(),
            entry_files: Vec::new(),
            task_deps: Vec::new(),
            problems: Vec::new(),
        };
        &EMPTY
    }
}

/// When a command runs, as far as its host tells.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "when", rename_all = "kebab-case")]
pub enum RunsWhen {
    /// By hand, in CI, or the host does not say.
    #[default]
    Unknown,
    /// Every time a container or the application starts: a Dockerfile `CMD`/`ENTRYPOINT`, a
    /// Compose `command:`, a Procfile `web:` process. `what` names it for messages.
    EveryStart { what: String },
    /// On every deploy or build, against the production database: a release phase, a
    /// pre-deploy or build command of a platform.
    EveryDeploy { what: String },
    /// Only when a database's data directory is empty (`/docker-entrypoint-initdb.d`).
    FirstInit,
}

impl RunsWhen {
    /// Whether it runs on every start or deploy.
    pub fn every_time(&self) -> bool {
        matches!(
            self,
            RunsWhen::EveryStart { .. } | RunsWhen::EveryDeploy { .. }
        )
    }

    /// Words for a message: "on every container start (Dockerfile `ENTRYPOINT`)".
    pub fn describe(&self) -> Option<String> {
        match self {
            RunsWhen::EveryStart { what } => Some(format!("on every start ({what})")),
            RunsWhen::EveryDeploy { what } => Some(format!("on every deploy ({what})")),
            RunsWhen::Unknown | RunsWhen::FirstInit => None,
        }
    }
}

/// A part of a file whose shell runs at a known moment.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RunSpan {
    pub span: Span,
    pub when: RunsWhen,
}

/// A file of the repository run at a known moment, named by a host file (a Dockerfile, a
/// Compose file) with a path relative to the host file's directory.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EntryFile {
    /// The file's path relative to the host's directory (`docker-entrypoint.sh`, `scripts/x.sh`),
    /// or only its name when the host names it by a path in the image (`/usr/local/bin/x.sh`).
    pub path: String,
    /// True when `path` is only the name (matched against every file of that name).
    pub by_name: bool,
    pub when: RunsWhen,
    /// Where the host names it.
    pub span: Span,
}

/// A framework command's effect on the data (the two `framework` pack rules).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OperationKind {
    /// Drops, recreates or wipes the database (`db-reset-command`).
    #[default]
    Reset,
    /// Applies the model by dropping whatever differs (`schema-push-data-loss`).
    SchemaPush,
}

impl ShellFacts {
    /// Commands whose program (after wrappers) is `name`.
    pub fn commands_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Command> + 's {
        self.commands
            .iter()
            .filter(move |c| c.program_name().as_deref() == Some(name))
    }

    /// When the shell holding `span` runs: the innermost [`RunSpan`] around it, else what its
    /// source's origin says (a Compose `command:` runs on every container start).
    pub fn runs_when(&self, span: Span) -> RunsWhen {
        if let Some(run) = self
            .runs
            .iter()
            .filter(|r| r.span.contains(span))
            .min_by_key(|r| r.span.len())
        {
            return run.when.clone();
        }
        let origin = self
            .sources
            .iter()
            .filter(|s| s.span.contains(span) && s.origin != ShellOrigin::Nested)
            .min_by_key(|s| s.span.len())
            .map(|s| &s.origin);
        match origin {
            Some(ShellOrigin::ComposeCommand { service }) => RunsWhen::EveryStart {
                what: format!("the start command of Compose service `{service}`"),
            },
            _ => RunsWhen::Unknown,
        }
    }

    /// The function a command is defined in, innermost first.
    pub fn enclosing_function(command: &Command) -> Option<&str> {
        command.scopes.iter().rev().find_map(|s| match s {
            Scope::Function(name) => Some(name.as_str()),
            _ => None,
        })
    }
}

/// The variable an expansion reads when its value is the variable's own (set): `$X`, `${X}`,
/// `${X:?msg}`, `${X:-default}`, `${X:=default}`. `None` for anything else (`${X:+y}`, `${X%/}`).
pub fn expansion_variable(expansion: &str) -> Option<&str> {
    let name = match expansion.strip_prefix("${") {
        Some(inner) => {
            let inner = inner.strip_suffix('}')?;
            let end = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            let rest = &inner[end..];
            let keeps = rest.is_empty()
                || [":?", "?", ":-", "-", ":=", "="]
                    .iter()
                    .any(|op| rest.starts_with(op));
            keeps.then_some(&inner[..end])?
        }
        None => expansion.strip_prefix('$')?,
    };
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_variables() {
        assert_eq!(expansion_variable("$PGDATA"), Some("PGDATA"));
        assert_eq!(expansion_variable("${PGDATA}"), Some("PGDATA"));
        assert_eq!(expansion_variable("${PGDATA:?unset}"), Some("PGDATA"));
        assert_eq!(expansion_variable("${PGDATA:-/x}"), Some("PGDATA"));
        assert_eq!(expansion_variable("${PGDATA:+/x}"), None);
        assert_eq!(expansion_variable("${PGDATA%/}"), None);
        assert_eq!(expansion_variable("$(pwd)"), None);
        assert_eq!(expansion_variable("$1"), None);
    }
}
