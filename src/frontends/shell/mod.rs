//! Shell facts: from a tree-sitter-bash tree to the list of commands a script *executes*, each with
//! its argument words (literal values where they can be known), the control flow around it, and
//! spans in host-file coordinates.
//!
//! This is the only place that knows tree-sitter-bash node kinds. Text that is not executed
//! (comments, strings that are only assigned, heredocs fed to `cat`) never becomes a `Command`.
//!
//! What rules get, per file ([`ShellFacts`]):
//! - `commands`: every executed command after its wrappers are peeled off (`via` lists them:
//!   `sudo`, `bash -c`, `ssh prod`, `docker exec db`, …), with `argv` words (known variables
//!   expanded, `Word::literal`/`could_be` for partly known ones), `scopes` (function, if-branch,
//!   case pattern, loop, `&&`/`||`, subshell), `stdin` (heredoc, here-string or piped text),
//!   per-command `env`, and `cwd` (from `cd`); shell strings (`bash -c`, `ssh host '…'`,
//!   `eval '…'`) are parsed again with spans mapped into the host file;
//! - `functions`, `assignments`, [`ShellFacts::calls`] (functions, scripts, make targets) and
//!   [`ShellFacts::function_body`];
//! - `embedded_sql`: SQL handed to `psql`/`mysql`/`sqlite3`/`mongosh`/… for the sql layer;
//! - `regions`: spans that run only behind a confirmation guard (moved into `FileFacts::regions`,
//!   read through `FileFacts::guard_at`).

mod calls;
mod flow;
mod limits;
mod loops;
mod redirects;
mod sql;
mod words;

use redirects::{unescape_double, unescape_double_mapped, unescape_word};
mod guards;
mod wrappers;

pub use calls::{Call, CallTarget};

use std::cell::Cell;

use limits::{Limits, MAX_EXPANSION_BYTES, MAX_EXPANSION_DEPTH, MAX_VALUE_LEN};
use std::collections::{BTreeSet, HashMap, VecDeque};

use tree_sitter::Node;

use crate::model::Region;
use crate::model::command::Assignment;
use crate::model::command::Command;
use crate::model::command::Dir;
use crate::model::command::FunctionDef;
use crate::model::command::Scope;
use crate::model::command::ShellFacts;
use crate::model::command::ShellOrigin;
use crate::model::command::ShellSource;
use crate::model::command::StdinText;
use crate::model::command::Word;
use crate::model::command::{After, Feeder, Redirect};
use crate::model::command::{Piece, normalize};
use crate::model::injection::EmbeddedSql;
use crate::source::{OffsetMap, Span};
use crate::syntax::{Grammar, parse_tree};

/// Nesting deeper than this is not followed (a notice says so).
const MAX_DEPTH: usize = 256;

impl ShellFacts {
    /// Parse `text` (whose bytes map to the host through `map`) and add what it executes.
    pub fn add_source(&mut self, text: &str, map: &OffsetMap, origin: ShellOrigin) {
        let state = State::default();
        self.add_nested(text, map, origin, state, 0);
    }

    /// Like [`ShellFacts::add_source`], for shell that starts in a known directory (a CI step's
    /// `working-directory`).
    pub fn add_source_in(&mut self, text: &str, map: &OffsetMap, origin: ShellOrigin, cwd: Dir) {
        let state = State {
            cwd,
            ..State::default()
        };
        self.add_nested(text, map, origin, state, 0);
    }

    fn add_nested(
        &mut self,
        text: &str,
        map: &OffsetMap,
        origin: ShellOrigin,
        state: State,
        depth: usize,
    ) -> State {
        let span = map.span_to_host(Span::new(0, text.len()));
        let source = self.sources.len();
        self.sources.push(ShellSource { span, origin });
        let Some(tree) = parse_tree(Grammar::Bash, text) else {
            self.problems
                .push((span.start(), "the shell grammar could not be loaded".into()));
            return state;
        };
        let mut walker = Walker {
            text,
            map,
            source,
            st: state,
            out: self,
            limits: Limits::default(),
            bodies: HashMap::new(),
        };
        walker.statement_list(tree.root_node(), depth);
        walker.report_limits();
        walker.st
    }
}

/// Walker state that carries over into nested shell strings (`bash -c '…'`).
#[derive(Clone, Debug, Default)]
struct State {
    vars: HashMap<String, Vec<Piece>>,
    /// Indexed arrays assigned element by element in the file (`args=(down -v)`, `args+=(-v)`).
    arrays: HashMap<String, Vec<Vec<Piece>>>,
    scopes: Vec<Scope>,
    next_id: u32,
    /// Wrappers of the string being walked (`ssh prod`, `bash -c`).
    via: Vec<String>,
    cwd: Dir,
    /// Text piped into the next command (`echo "…" | psql`, `cat <<EOF | psql`).
    pipe_in: Option<StdinText>,
    /// What the last command writes to its standard output, when it is known text.
    payload: Option<StdinText>,
    /// Variables filled by `read` (answers to a prompt).
    read_vars: BTreeSet<String>,
    /// Functions whose body asks the user (`confirm() { read -p …; }`).
    confirm_fns: BTreeSet<String>,
    /// Heredoc bodies carved out of a misparsed heredoc, waiting for their command.
    pending_heredocs: VecDeque<StdinText>,
    /// Bytes of known values copied into words so far (see [`MAX_EXPANSION_BYTES`]).
    expanded: Cell<usize>,
    /// Second walks of loop bodies and called functions so far, shared by every nested walk of
    /// one source (see `loops`): nested loops must not multiply without bound.
    rewalks: std::rc::Rc<Cell<usize>>,
}

struct Walker<'a> {
    text: &'a str,
    map: &'a OffsetMap,
    source: usize,
    st: State,
    out: &'a mut ShellFacts,
    limits: Limits,
    /// Function bodies of this source by name (byte ranges in `text`), for calls with known
    /// arguments.
    bodies: HashMap<String, (usize, usize)>,
}

/// Programs that take SQL (or a database shell language) on stdin or in an argument.
const SQL_CLIENTS: &[&str] = &[
    "psql",
    "mysql",
    "mariadb",
    "sqlite3",
    "mongosh",
    "mongo",
    "clickhouse-client",
    "cockroach",
];

impl<'a> Walker<'a> {
    fn host(&self, node: Node) -> Span {
        self.map
            .span_to_host(Span::new(node.start_byte(), node.end_byte()))
    }

    fn node_text(&self, node: Node) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn id(&mut self) -> u32 {
        self.st.next_id += 1;
        self.st.next_id
    }

    fn with_scope(&mut self, scope: Scope, f: impl FnOnce(&mut Self)) {
        self.st.scopes.push(scope);
        f(self);
        self.st.scopes.pop();
    }

    /// Record what follows the commands pushed since `from` that have nothing recorded yet.
    fn mark_after(&mut self, from: usize, after: &After) {
        for command in self.out.commands.iter_mut().skip(from) {
            if command.after == After::Nothing {
                command.after = after.clone();
            }
        }
    }

    fn statement_list(&mut self, node: Node, depth: usize) {
        let mut cursor = node.walk();
        let all: Vec<Node> = node.children(&mut cursor).collect();
        let named: Vec<usize> = (0..all.len()).filter(|&k| all[k].is_named()).collect();
        for (n, &k) in named.iter().enumerate() {
            let child = all[k];
            let from = self.out.commands.len();
            self.statement(child, depth + 1);
            // `pg_dump … > x.sql &` runs in the background; `a; b` or a newline: a sequence.
            let backgrounded = all.get(k + 1).is_some_and(|t| t.kind() == "&");
            if backgrounded {
                self.mark_after(from, &After::Background);
            } else if n + 1 < named.len() && child.kind() != "comment" {
                self.mark_after(from, &After::Sequence);
            }
            // `[ "$CONFIRM" = yes ] || exit 1`: the rest of this block runs only behind the check.
            if let Some(guard) = self.exit_guard(child) {
                let span = self
                    .map
                    .span_to_host(Span::new(child.end_byte(), node.end_byte()));
                if !span.is_empty() {
                    self.out.regions.push(Region {
                        span,
                        context: None,
                        guard: Some(guard),
                    });
                }
            }
        }
    }

    fn statement(&mut self, node: Node, depth: usize) {
        if depth > MAX_DEPTH {
            let at = self.host(node).start();
            self.out.problems.push((
                at,
                format!("shell nesting deeper than {MAX_DEPTH} levels was not analysed"),
            ));
            return;
        }
        match node.kind() {
            "comment" | "heredoc_body" | "heredoc_start" | "heredoc_end" => {}
            "command" => self.command(node, None, depth),
            "variable_assignment" => {
                // `out=$(docker volume rm …)`: the substitution runs.
                self.substitutions(node, depth);
                self.assignment(node, false);
            }
            "declaration_command" => {
                let exported = self.node_text(node).starts_with("export")
                    || self.node_text(node).starts_with("declare -x");
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() == "variable_assignment" {
                        self.assignment(child, exported);
                    }
                    self.substitutions(child, depth);
                }
            }
            "function_definition" => {
                let name = node
                    .child_by_field_name("name")
                    .map(|n| self.node_text(n).to_string())
                    .unwrap_or_default();
                self.out.functions.push(FunctionDef {
                    name: name.clone(),
                    span: self.host(node),
                    source: self.source,
                });
                if let Some(body) = node.child_by_field_name("body") {
                    self.bodies
                        .insert(name.clone(), (body.start_byte(), body.end_byte()));
                    let before = self.out.commands.len();
                    let saved_cwd = self.st.cwd.clone();
                    self.with_scope(Scope::Function(name.clone()), |w| {
                        w.statement(body, depth + 1)
                    });
                    self.st.cwd = saved_cwd;
                    let asks = self.out.commands[before..]
                        .iter()
                        .any(|c| c.program_name().as_deref() == Some("read"));
                    if asks {
                        self.st.confirm_fns.insert(name);
                    }
                }
            }
            "if_statement" => self.if_statement(node, depth),
            "while_statement" | "until_statement" => {
                let id = self.id();
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() == "do_group" {
                        self.with_scope(Scope::Loop, |w| w.statement_list(child, depth));
                    } else {
                        self.with_scope(Scope::Condition { id }, |w| w.statement(child, depth + 1));
                    }
                }
            }
            "for_statement" | "c_style_for_statement" => self.for_loop(node, depth),
            "case_statement" => self.case_statement(node, depth),
            "list" => self.and_or_list(node, depth),
            "pipeline" => {
                let mut cursor = node.walk();
                let stages: Vec<Node> = node.named_children(&mut cursor).collect();
                let mut feeder: Option<Feeder> = None;
                for (k, child) in stages.into_iter().enumerate() {
                    if k > 0 {
                        self.st.pipe_in = self.st.payload.take();
                    }
                    self.st.payload = None;
                    let from = self.out.commands.len();
                    self.statement(child, depth + 1);
                    self.st.pipe_in = None;
                    let pushed = &mut self.out.commands[from..];
                    if k > 0 {
                        for command in pushed.iter_mut() {
                            if command.piped_from.is_none() {
                                command.piped_from = Some(feeder.clone().unwrap_or_default());
                            }
                        }
                    }
                    feeder = Some(match pushed.last() {
                        Some(c) => Feeder {
                            argv: c.argv.iter().map(Word::display).collect(),
                            heredoc: c.stdin.is_some(),
                        },
                        None => Feeder::default(),
                    });
                }
                self.st.payload = None;
            }
            "subshell" | "command_substitution" | "process_substitution" => {
                let saved_cwd = self.st.cwd.clone();
                self.with_scope(Scope::Subshell, |w| w.statement_list(node, depth));
                self.st.cwd = saved_cwd;
            }
            "negated_command"
            | "compound_statement"
            | "do_group"
            | "program"
            | "else_clause"
            | "test_command"
            | "binary_expression"
            | "unary_expression"
            | "parenthesized_expression" => self.statement_list(node, depth),
            "redirected_statement" => self.redirected(node, depth),
            _ => {
                // Look inside anything else for command substitutions and nested statements.
                self.statement_list(node, depth);
            }
        }
    }

    fn assignment(&mut self, node: Node, exported: bool) {
        let Some(name_node) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.node_text(name_node).to_string();
        // `args=(down -v)`, `args+=(--volumes)`: an array of words. An append inside a branch
        // is kept: the command runs with it whenever the branch is taken.
        if let Some(array) = node
            .child_by_field_name("value")
            .filter(|v| v.kind() == "array")
        {
            let mut cursor = node.walk();
            let append = node.children(&mut cursor).any(|c| c.kind() == "+=");
            let mut c2 = array.walk();
            let elements: Vec<Vec<Piece>> = array
                .named_children(&mut c2)
                .filter(|e| e.kind() != "comment")
                .map(|e| self.word(e).pieces)
                .collect();
            let entry = self.st.arrays.entry(name).or_default();
            if !append {
                entry.clear();
            }
            entry.extend(elements);
            return;
        }
        let value = match node.child_by_field_name("value") {
            Some(value) => self.word(value),
            None => Word {
                span: self.host(node).cover(self.host(name_node)),
                pieces: vec![Piece::Lit(String::new())],
            },
        };
        if value.pieces.iter().map(words::piece_len).sum::<usize>() > MAX_VALUE_LEN {
            // Too long to carry: the variable is unknown from here on.
            self.limits.hit(&self.limits.value, value.span.start());
            self.st.vars.remove(&name);
        } else {
            self.st.vars.insert(name.clone(), value.pieces.clone());
        }
        self.out.assignments.push(Assignment {
            name,
            name_span: self.host(name_node),
            value,
            exported,
            source: self.source,
            scopes: self.st.scopes.clone(),
        });
    }

    fn command(&mut self, node: Node, stdin: Option<StdinText>, depth: usize) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        // tree-sitter-bash #347: after a pipeline of two or more stages, the first command of a
        // next line that goes on with `&&`/`||` is parsed as more arguments of the pipeline's
        // last command. Words of one simple command are never separated by an unescaped newline:
        // split there, and walk each part as the command it is.
        let mut parts: Vec<&[Node]> = Vec::new();
        let mut from = 0;
        for k in 1..children.len() {
            let gap = self
                .text
                .get(children[k - 1].end_byte()..children[k].start_byte())
                .unwrap_or("");
            if ends_command(gap) {
                parts.push(&children[from..k]);
                from = k;
            }
        }
        if from == 0 {
            self.simple_command(node, &children, stdin, depth);
            return;
        }
        parts.push(&children[from..]);
        let mut stdin = stdin;
        for (k, part) in parts.into_iter().enumerate() {
            if k > 0 {
                self.st.pipe_in = None;
            }
            self.simple_command(node, part, stdin.take(), depth);
        }
    }

    /// One simple command made of `children` (all of `node`'s, or one part of a misparse).
    fn simple_command(
        &mut self,
        node: Node,
        children: &[Node],
        stdin: Option<StdinText>,
        depth: usize,
    ) {
        let mut argv: Vec<Word> = Vec::new();
        let mut raws: Vec<Option<Node>> = Vec::new();
        let mut env: Vec<(String, Word)> = Vec::new();
        let piped = self.st.pipe_in.take();
        let mut here = None;
        let mut redirects = Vec::new();
        for &child in children {
            match child.kind() {
                "variable_assignment" => {
                    // `VAR=x cmd`: in the command's environment only; do not keep it for later words.
                    let name = child
                        .child_by_field_name("name")
                        .map(|n| self.node_text(n).to_string())
                        .unwrap_or_default();
                    let saved = self.st.vars.get(&name).cloned();
                    self.assignment(child, true);
                    match saved {
                        Some(value) => self.st.vars.insert(name, value),
                        None => self.st.vars.remove(&name),
                    };
                    if let (Some(name), Some(last)) = (
                        child.child_by_field_name("name"),
                        self.out.assignments.last(),
                    ) {
                        env.push((self.node_text(name).to_string(), last.value.clone()));
                    }
                }
                "herestring_redirect" => here = self.herestring(child),
                "file_redirect" => redirects.extend(self.redirect(child)),
                "comment" => {}
                "command_name" => {
                    let mut c2 = child.walk();
                    if let Some(inner) = child.named_children(&mut c2).next() {
                        self.push_words(&mut argv, &mut raws, inner);
                    }
                }
                _ => self.push_words(&mut argv, &mut raws, child),
            }
            // Commands inside `$(…)` in arguments run too.
            self.substitutions(child, depth);
        }
        if argv.is_empty() {
            return;
        }
        let stdin = stdin.or(here).or(piped);
        let whole = children.len() == node.named_child_count();
        let span = match (children.first(), children.last()) {
            (Some(first), Some(last)) if !whole => self
                .map
                .span_to_host(Span::new(first.start_byte(), last.end_byte())),
            _ => self.host(node),
        };
        match wrappers::unwrap(&argv) {
            wrappers::Unwrapped::Nothing => self.st.payload = None,
            wrappers::Unwrapped::StdinScript { via, remote, .. } => {
                // `ssh host <<'EOF'`, `bash -s <<EOF`, `echo "…" | sh`: stdin is the script.
                if let Some(stdin) = stdin {
                    self.walk_script(&stdin.text, &stdin.map, via, remote, depth);
                }
                self.st.payload = None;
            }
            wrappers::Unwrapped::Script {
                at,
                via,
                env: more,
                remote,
            } => {
                env.extend(more);
                let raw = raws.get(at).copied().flatten();
                self.nested_script(raw, &argv[at], via, remote, depth);
                self.st.payload = None;
            }
            wrappers::Unwrapped::Command {
                start,
                via,
                env: more,
            } => {
                env.extend(more);
                let argv = argv.split_off(start);
                let raws = raws.split_off(start.min(raws.len()));
                // A wrapped command starts at its own program (`sudo docker …` → `docker …`).
                let span = match argv.first() {
                    Some(first) if start > 0 && first.span.start() >= span.start() => {
                        Span::new(first.span.start(), span.end())
                    }
                    _ => span,
                };
                let mut all_via = self.st.via.clone();
                all_via.extend(via);
                let remote = all_via
                    .iter()
                    .any(|v| !v.ends_with(" -c") && v.contains(' '));
                let cwd = if remote {
                    Dir::Unknown
                } else {
                    self.st.cwd.clone()
                };
                let command = Command {
                    span,
                    argv,
                    via: all_via,
                    scopes: self.st.scopes.clone(),
                    stdin,
                    source: self.source,
                    env,
                    cwd,
                    redirects,
                    after: After::Nothing,
                    piped_from: None,
                };
                self.after_command(&command, &raws);
                self.out.commands.push(command);
                self.call_function(self.out.commands.len() - 1, depth);
            }
        }
    }

    /// What a command changes for the commands after it: `cd`, `read`, its output, its SQL.
    fn after_command(&mut self, command: &Command, raws: &[Option<Node>]) {
        let program = command.program_name().unwrap_or_default();
        self.st.payload = None;
        match program.as_ref() {
            "cd" | "pushd" => {
                let target = command.args().find(|w| !w.display().starts_with('-'));
                self.st.cwd = match target {
                    None => Dir::Unknown,
                    Some(word) => self.cd_target(word),
                };
            }
            "popd" => self.st.cwd = Dir::Unknown,
            "read" => {
                let names: Vec<String> = wrappers_read_vars(command);
                if names.is_empty() {
                    self.st.read_vars.insert("REPLY".into());
                }
                self.st.read_vars.extend(names);
            }
            "echo" | "printf" => {
                let first = command
                    .argv
                    .iter()
                    .enumerate()
                    .skip(1)
                    .find(|(_, w)| !(program == "echo" && w.display().starts_with('-')));
                if let Some((i, word)) = first {
                    let (text, map) = self.word_text(raws.get(i).copied().flatten(), word);
                    self.st.payload = Some(StdinText {
                        text,
                        span: word.span,
                        map,
                    });
                }
            }
            "cat" if command.argv.len() == 1 => self.st.payload = command.stdin.clone(),
            _ => {}
        }
        if SQL_CLIENTS.contains(&program.as_ref()) {
            self.embedded_sql(command, raws, &program);
        }
    }

    /// `cd` target → directory.
    fn cd_target(&self, word: &Word) -> Dir {
        if let Some(path) = word.literal() {
            if path == "-" || path.starts_with('~') {
                return Dir::Unknown;
            }
            return self.st.cwd.join(&path);
        }
        // `cd "$(dirname "$0")/.."`, `cd "$SCRIPT_DIR"` (assigned from `$(dirname "$0")`).
        let mut pieces = word.pieces.iter();
        if let Some(Piece::Expansion(first)) = pieces.next()
            && is_script_dir(first)
        {
            let mut rest = String::new();
            for piece in pieces {
                match piece {
                    Piece::Lit(s) => rest.push_str(s),
                    Piece::Expansion(_) => return Dir::Unknown,
                }
            }
            return Dir::ScriptDir(normalize(rest.trim_start_matches('/')));
        }
        Dir::Unknown
    }

    /// Walk a shell string that runs (`bash -c '…'`, `ssh host '…'`) as shell of its own.
    fn nested_script(
        &mut self,
        raw: Option<Node>,
        word: &Word,
        via: Vec<String>,
        remote: bool,
        depth: usize,
    ) {
        let (text, map) = self.word_text(raw, word);
        self.walk_script(&text, &map, via, remote, depth);
    }

    /// Walk `text` (mapped by `map`) as a shell script run by this command.
    fn walk_script(
        &mut self,
        text: &str,
        map: &OffsetMap,
        via: Vec<String>,
        remote: bool,
        depth: usize,
    ) {
        let mut state = self.st.clone();
        state.via.extend(via);
        state.pipe_in = None;
        state.payload = None;
        state.pending_heredocs.clear();
        if remote {
            state.cwd = Dir::Unknown;
        }
        let after = self
            .out
            .add_nested(text, map, ShellOrigin::Nested, state, depth + 8);
        self.st.next_id = after.next_id;
    }

    fn substitutions(&mut self, node: Node, depth: usize) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if matches!(n.kind(), "command_substitution" | "process_substitution") {
                let payload = self.st.payload.take();
                self.statement(n, depth + 1);
                self.st.payload = payload;
                continue;
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
    }
}

/// Whether an expansion stands for the directory of the running script: `$(dirname "$0")`,
/// `$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)`, `${0%/*}`, `${BASH_SOURCE%/*}`.
pub fn is_script_dir(expansion: &str) -> bool {
    expansion.contains("dirname") && (expansion.contains("$0") || expansion.contains("BASH_SOURCE"))
        || matches!(
            expansion,
            "${0%/*}" | "${BASH_SOURCE%/*}" | "${BASH_SOURCE[0]%/*}"
        )
}

/// Whether the text between two words of a command holds an unescaped newline: bash ends the
/// command there.
fn ends_command(gap: &str) -> bool {
    let bytes = gap.as_bytes();
    let escaped = |at: usize| at > 0 && bytes[at - 1] == b'\\';
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'\n' && !(escaped(i) || (i > 0 && bytes[i - 1] == b'\r' && escaped(i - 1)))
    })
}

/// A map that sends every offset to the start of `span` (text that is not a verbatim slice).
/// A text of `len` bytes that stands for the whole of `span` (a variable's value at the word
/// that expands it): a statement from the text's start maps onto the whole word.
fn stretched(span: Span, len: usize) -> OffsetMap {
    let mut map = coarse(span);
    if len > 1 && span.len() > 1 {
        map.push(1, span.end() - 1, 0);
    }
    map
}

fn coarse(span: Span) -> OffsetMap {
    let mut map = OffsetMap::default();
    map.push(0, span.start(), 0);
    map
}

/// The variable names a `read` command fills (`read -r -p "…" answer`).
fn wrappers_read_vars(command: &Command) -> Vec<String> {
    let mut names = Vec::new();
    let mut i = 1;
    while let Some(word) = command.argv.get(i) {
        let text = word.display();
        if text.starts_with('-') {
            // Options with a value: -p prompt, -t timeout, -n count, -d delim, -u fd, -a array, -N, -i, -e.
            // A cluster (`-rp`) takes a value when its last flag does.
            let takes = !text.starts_with("--")
                && text.chars().last().is_some_and(|c| "ptnNduai".contains(c));
            i += if takes { 2 } else { 1 };
            continue;
        }
        names.push(text);
        i += 1;
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands(text: &str) -> Vec<Command> {
        let mut facts = ShellFacts::default();
        facts.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        facts.commands
    }

    fn argv(cmd: &Command) -> Vec<String> {
        cmd.argv.iter().map(Word::display).collect()
    }

    #[test]
    fn quoting_and_variables() {
        let cmds = commands(
            "DOWN_FLAGS=\"--volumes\"\nCOMPOSE='docker compose -p x'\n$COMPOSE down $DOWN_FLAGS\n",
        );
        assert_eq!(cmds.len(), 1);
        assert_eq!(
            argv(&cmds[0]),
            ["docker", "compose", "-p", "x", "down", "--volumes"]
        );
    }

    #[test]
    fn defaults_and_unknowns() {
        let cmds = commands("docker volume rm \"${PROJECT:-shop}_pgdata\" \"$OTHER\"_x\n");
        assert_eq!(
            argv(&cmds[0]),
            ["docker", "volume", "rm", "shop_pgdata", "$OTHER_x"]
        );
        assert!(cmds[0].argv[4].could_be("anything_x"));
        assert!(!cmds[0].argv[4].could_be("anything_y"));
    }

    #[test]
    fn comments_and_echo_text_are_not_commands() {
        let cmds = commands("# docker compose down -v\necho \"docker compose down -v\"\n");
        assert_eq!(cmds.len(), 1);
        assert_eq!(cmds[0].program().as_deref(), Some("echo"));
    }

    #[test]
    fn control_flow_scopes() {
        let cmds = commands(
            "case \"$1\" in\n  -v|--full) docker compose down -v ;;\nesac\nif [ \"$a\" = y ]; then\n  rm -rf x\nfi\nf() { ls; }\n",
        );
        let down = cmds
            .iter()
            .find(|c| c.program().as_deref() == Some("docker"))
            .expect("docker");
        assert!(
            matches!(&down.scopes[0], Scope::CaseBranch { patterns, .. } if patterns == &["-v", "--full"])
        );
        let rm = cmds
            .iter()
            .find(|c| c.program().as_deref() == Some("rm"))
            .expect("rm");
        assert!(matches!(&rm.scopes[0], Scope::IfBranch { branch: 0, .. }));
        let ls = cmds
            .iter()
            .find(|c| c.program().as_deref() == Some("ls"))
            .expect("ls");
        assert_eq!(ls.scopes, vec![Scope::Function("f".into())]);
    }

    #[test]
    fn heredoc_reaches_the_command() {
        let text = "psql -U app <<'SQL'\nDROP DATABASE shop;\nSQL\n";
        let cmds = commands(text);
        let stdin = cmds[0].stdin.as_ref().expect("heredoc");
        assert!(stdin.text.contains("DROP DATABASE shop;"));
        assert_eq!(&text[stdin.span.start()..stdin.span.start() + 4], "DROP");
    }

    fn facts(text: &str) -> ShellFacts {
        let mut facts = ShellFacts::default();
        facts.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        facts
    }

    #[test]
    fn wrappers_and_nested_strings() {
        let text = "sudo -u root bash -c 'cd /srv && docker compose down -v'\nssh prod \"docker volume rm shop_pgdata\"\n";
        let f = facts(text);
        let down = f.commands_named("docker").next().expect("docker");
        assert_eq!(argv(down), ["docker", "compose", "down", "-v"]);
        assert_eq!(down.via, ["sudo", "bash -c"]);
        assert_eq!(down.cwd, Dir::Absolute("/srv".into()));
        assert_eq!(
            &text[down.span.start()..down.span.end()],
            "docker compose down -v"
        );
        let rm = f.commands_named("docker").nth(1).expect("volume rm");
        assert_eq!(rm.via, ["ssh prod"]);
        assert_eq!(rm.cwd, Dir::Unknown);
        assert_eq!(
            &text[rm.argv[3].span.start()..rm.argv[3].span.end()],
            "shop_pgdata"
        );
    }

    #[test]
    fn sql_reaches_the_sql_layer() {
        let text = "docker exec -i db psql -U app <<'SQL'\nDROP TABLE a;\nSQL\n\
echo \"DROP DATABASE $DB\" | psql\n\
cat <<EOF | docker compose exec -T db mysql\nTRUNCATE t;\nEOF\n\
psql -c 'DELETE FROM users' shop\n\
cat <<EOF > notes.txt\nDROP TABLE not_sql;\nEOF\n\
mysql --execute=\"DROP TABLE x\"\nsqlite3 app.db 'DROP TABLE y'\n";
        let f = facts(text);
        let sql: Vec<(&str, &str)> = f
            .embedded_sql
            .iter()
            .map(|e| (e.client.as_str(), e.text.trim()))
            .collect();
        assert_eq!(
            sql,
            [
                ("psql", "DROP TABLE a;"),
                ("psql", "DROP DATABASE $DB"),
                ("mysql", "TRUNCATE t;"),
                ("psql", "DELETE FROM users"),
                ("mysql", "DROP TABLE x"),
                ("sqlite3", "DROP TABLE y"),
            ]
        );
        let delete = &f.embedded_sql[3];
        let at = delete.map.to_host(0);
        assert_eq!(&text[at..at + 6], "DELETE");
        let db = &f.embedded_sql[1];
        let at = db.map.to_host(14);
        assert_eq!(&text[at..at + 3], "$DB");
    }

    #[test]
    fn option_clusters_and_attached_values_carry_sql() {
        let text = "psql -h db -tAc 'DROP TABLE a'\n\
mysql -uroot -p\"$PW\" -e\"DROP TABLE b\"\n\
psql --command=\"DROP TABLE c\"\n\
psql -Uc -d app -f x.sql\n\
mysql -pexecute -D e -N < q.sql\n";
        let f = facts(text);
        let sql: Vec<&str> = f.embedded_sql.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(sql, ["DROP TABLE a", "DROP TABLE b", "DROP TABLE c"]);
        for e in &f.embedded_sql {
            let at = e.map.to_host(0);
            assert_eq!(&text[at..at + 10], "DROP TABLE");
        }
    }

    #[test]
    fn a_line_after_a_pipeline_is_its_own_command() {
        // tree-sitter-bash #347 folds `echo B` into `head`'s arguments.
        let text = "a | grep x | head -30\ndocker compose down -v && cd s\nls \\\n  -l\n";
        let cmds = commands(text);
        let all: Vec<Vec<String>> = cmds.iter().map(argv).collect();
        assert_eq!(
            all,
            [
                vec!["a"],
                vec!["grep", "x"],
                vec!["head", "-30"],
                vec!["docker", "compose", "down", "-v"],
                vec!["cd", "s"],
                vec!["ls", "-l"],
            ]
        );
        let down = &cmds[3];
        assert_eq!(
            &text[down.span.start()..down.span.end()],
            "docker compose down -v"
        );
        assert!(down.stdin.is_none());
    }

    #[test]
    fn an_expansion_after_a_leading_space_in_a_string() {
        let cmds = commands("V=pg\nrm -rf \" $V\" \"a $V\"\n");
        assert_eq!(argv(&cmds[0]), ["rm", "-rf", " pg", "a pg"]);
    }

    #[test]
    fn arrays_expand_to_their_elements() {
        let cmds = commands(
            "a=(down)\nif x; then a+=(-v \"--rmi all\"); fi\ndocker compose \"${a[@]}\"\n\
c=(docker compose)\n${c[*]} ps\nb=(x)\nb=(y)\nls \"${b[@]}\" \"${b[0]}\" \"${z[@]}\"\n",
        );
        let all: Vec<Vec<String>> = cmds.iter().map(argv).collect();
        assert_eq!(all[1], ["docker", "compose", "down", "-v", "--rmi all"]);
        assert_eq!(all[2], ["docker", "compose", "ps"]);
        assert_eq!(all[3], ["ls", "y", "${b[0]}", "${z[@]}"]);
    }

    #[test]
    fn substitutions_in_assignments_run() {
        let cmds = commands("out=$(docker volume rm pg)\nif x=$(dropdb app); then :; fi\n");
        let names: Vec<String> = cmds.iter().filter_map(Command::program).collect();
        assert_eq!(names, ["docker", "dropdb", ":"]);
    }

    #[test]
    fn two_heredocs_in_one_list() {
        let text =
            "psql <<A && psql <<B\nDROP TABLE one;\nA\nDROP TABLE two;\nB\nrm -rf /var/lib/mysql\n";
        let f = facts(text);
        let sql: Vec<&str> = f.embedded_sql.iter().map(|e| e.text.trim()).collect();
        assert_eq!(sql, ["DROP TABLE one;", "DROP TABLE two;"]);
        let rm = f
            .commands_named("rm")
            .next()
            .expect("rm after the heredocs");
        assert_eq!(
            &text[rm.span.start()..rm.span.end()],
            "rm -rf /var/lib/mysql"
        );
    }

    #[test]
    fn guards_become_regions() {
        let text = "read -r -p 'Delete? ' answer\nif [ \"$answer\" = y ]; then\n  docker volume rm a\nfi\n\
[ \"$CONFIRM_DESTROY_DB\" = yes ] || exit 1\ndocker volume rm b\n";
        let f = facts(text);
        let spans: Vec<&str> = f
            .regions
            .iter()
            .map(|r| text[r.span.start()..r.span.end()].trim())
            .collect();
        assert_eq!(spans, ["docker volume rm a", "docker volume rm b"]);
        assert!(
            f.regions[0]
                .guard
                .as_deref()
                .is_some_and(|g| g.contains("read answer"))
        );
        assert!(
            f.regions[1]
                .guard
                .as_deref()
                .is_some_and(|g| g.contains("CONFIRM_DESTROY_DB"))
        );
    }

    #[test]
    fn flags_are_not_guards() {
        let text = "case \"$1\" in\n  -v|--volumes|--full) docker compose down -v ;;\nesac\nif [ \"$1\" = --full ]; then docker volume rm x; fi\n";
        assert!(facts(text).regions.is_empty());
        let forced =
            "if [ \"$1\" != --force ]; then echo 'pass --force'; exit 1; fi\ndocker volume rm x\n";
        let f = facts(forced);
        assert_eq!(f.regions.len(), 1);
        assert!(
            f.regions[0]
                .guard
                .as_deref()
                .is_some_and(|g| g.contains("--force"))
        );
    }

    #[test]
    fn cd_is_followed() {
        let text = "cd \"$(dirname \"$0\")/..\"\ncd deploy\ndocker compose down -v\n(cd /tmp && ls)\npwd\n";
        let f = facts(text);
        let down = f.commands_named("docker").next().expect("docker");
        assert_eq!(down.cwd, Dir::ScriptDir("../deploy".into()));
        let pwd = f.commands_named("pwd").next().expect("pwd");
        assert_eq!(pwd.cwd, Dir::ScriptDir("../deploy".into()));
    }

    #[test]
    fn clients_through_containers_and_here_strings() {
        let text = "kubectl exec -i -n prod pg-0 -- psql -U app <<SQL\nTRUNCATE events;\nSQL\n\
docker compose exec -T db mysql -uroot <<< 'DROP TABLE t'\n\
mongosh --eval 'db.dropDatabase()'\n";
        let f = facts(text);
        let sql: Vec<(&str, &str)> = f
            .embedded_sql
            .iter()
            .map(|e| (e.client.as_str(), e.text.trim()))
            .collect();
        assert_eq!(
            sql,
            [
                ("psql", "TRUNCATE events;"),
                ("mysql", "DROP TABLE t"),
                ("mongosh", "db.dropDatabase()"),
            ]
        );
        assert_eq!(f.commands[0].via, ["kubectl exec pg-0"]);
        let here = &f.embedded_sql[1];
        let at = here.map.to_host(0);
        assert_eq!(&text[at..at + 4], "DROP");
    }

    #[test]
    fn elif_and_else_branches_are_executed() {
        let text = "if [ -z \"$1\" ]; then\n  a\nelif [ \"$1\" = x ]; then\n  b\nelse\n  c\nfi\n";
        let f = facts(text);
        let names: Vec<String> = f.commands.iter().filter_map(Command::program).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert!(matches!(
            f.commands[1].scopes.last(),
            Some(Scope::IfBranch { branch: 1, .. })
        ));
    }

    #[test]
    fn unknown_cd_and_remote_commands() {
        let text = "cd \"$WORKDIR\"\ndocker compose down -v\n";
        let f = facts(text);
        assert_eq!(f.commands[1].cwd, Dir::Unknown);
        let text = "docker exec db sh -c 'rm -rf /var/lib/postgresql/data'\n";
        let f = facts(text);
        let rm = f.commands_named("rm").next().expect("rm");
        assert_eq!(rm.via, ["docker exec db", "sh -c"]);
        assert_eq!(rm.cwd, Dir::Unknown);
    }

    #[test]
    fn a_branch_that_works_and_exits_is_guarded_itself() {
        let text = "if [ \"$CONFIRM_RESET\" = yes ]; then\n  docker volume rm a\n  exit 0\nfi\ndocker volume rm b\n";
        let f = facts(text);
        assert_eq!(f.regions.len(), 1);
        let r = &f.regions[0];
        assert!(text[r.span.start()..r.span.end()].contains("rm a"));
        assert!(!text[r.span.start()..r.span.end()].contains("rm b"));
    }

    #[test]
    fn eval_of_literal_text_runs() {
        let text = "CMD=\"docker compose down -v\"\neval \"$CMD\"\neval 'rm -rf /var/lib/mysql'\n";
        let f = facts(text);
        let programs: Vec<String> = f.commands.iter().filter_map(Command::program).collect();
        assert_eq!(programs, ["docker", "rm"]);
        assert_eq!(f.commands[0].via, ["eval"]);
    }

    #[test]
    fn case_answers_and_confirm_functions_are_guards() {
        let text = "read -r -p 'Wipe? [y/N] ' reply\ncase \"$reply\" in\n  y|Y) docker volume rm a ;;\n  *) echo skipped ;;\nesac\n\
confirm() { read -r -p \"$1 [y/N] \" r; [ \"$r\" = y ]; }\nconfirm 'Really delete?' || exit 1\ndocker volume rm b\n";
        let f = facts(text);
        let guarded: Vec<&str> = f
            .regions
            .iter()
            .map(|r| text[r.span.start()..r.span.end()].trim())
            .collect();
        assert_eq!(guarded, ["docker volume rm a", "docker volume rm b"]);
        assert!(
            f.regions[1]
                .guard
                .as_deref()
                .is_some_and(|g| g.contains("confirm"))
        );
    }

    #[test]
    fn and_guard_covers_its_right_side_only() {
        let text =
            "[ \"$I_KNOW_WHAT_I_AM_DOING\" = 1 ] && docker volume rm a\ndocker volume rm b\n";
        let f = facts(text);
        assert_eq!(f.regions.len(), 1);
        let r = &f.regions[0];
        assert_eq!(&text[r.span.start()..r.span.end()], "docker volume rm a");
    }
}

#[cfg(test)]
mod list_tests;
