//! Shell facts: from a tree-sitter-bash tree to the list of commands a script *executes*, each with
//! its argument words (literal values where they can be known), the control flow around it, and
//! spans in host-file coordinates.
//!
//! This is the only place that knows tree-sitter-bash node kinds. Text that is not executed
//! (comments, strings that are only assigned, heredocs fed to `cat`) never becomes a `Command`.

use std::collections::HashMap;

use tree_sitter::Node;

use crate::parse;
use crate::source::{OffsetMap, Span};

/// Nesting deeper than this is not followed (a notice says so).
const MAX_DEPTH: usize = 256;

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
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
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
}

impl Command {
    /// The program name (basename of `argv[0]` when literal).
    pub fn program(&self) -> Option<String> {
        let first = self.argv.first()?.literal()?;
        Some(first.rsplit('/').next().unwrap_or(&first).to_string())
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
}

/// SQL text handed to a database client (`psql <<EOF`, `psql -c "…"`, `mysql -e`, `echo … | psql`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EmbeddedSql {
    /// The SQL as the client receives it; shell expansions appear as written (`$DB_NAME`).
    pub text: String,
    /// Offsets into `text` → host-file offsets.
    #[serde(skip)]
    pub map: OffsetMap,
    /// The client program (`psql`, `mysql`, `sqlite3`, …).
    pub client: String,
    /// Index into [`ShellFacts::commands`] of the command that runs it.
    pub command: usize,
}

/// Everything the shell layer knows about one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ShellFacts {
    pub sources: Vec<ShellSource>,
    pub commands: Vec<Command>,
    pub functions: Vec<FunctionDef>,
    pub assignments: Vec<Assignment>,
    pub embedded_sql: Vec<EmbeddedSql>,
    /// Nesting too deep or other trouble, as messages with a host offset.
    #[serde(skip)]
    pub problems: Vec<(usize, String)>,
}

impl ShellFacts {
    /// Parse `text` (whose bytes map to the host through `map`) and add what it executes.
    pub fn add_source(&mut self, text: &str, map: &OffsetMap, origin: ShellOrigin) {
        let span = map.span_to_host(Span::new(0, text.len()));
        let source = self.sources.len();
        self.sources.push(ShellSource { span, origin });
        let Some(tree) = parse::shell::parse(text) else {
            self.problems
                .push((span.start(), "the shell grammar could not be loaded".into()));
            return;
        };
        let mut walker = Walker {
            text,
            map,
            source,
            vars: HashMap::new(),
            scopes: Vec::new(),
            next_id: 0,
            out: self,
        };
        walker.statement_list(tree.root_node(), 0);
    }
}

struct Walker<'a> {
    text: &'a str,
    map: &'a OffsetMap,
    source: usize,
    vars: HashMap<String, Vec<Piece>>,
    scopes: Vec<Scope>,
    next_id: u32,
    out: &'a mut ShellFacts,
}

impl<'a> Walker<'a> {
    fn host(&self, node: Node) -> Span {
        self.map
            .span_to_host(Span::new(node.start_byte(), node.end_byte()))
    }

    fn node_text(&self, node: Node) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    fn with_scope(&mut self, scope: Scope, f: impl FnOnce(&mut Self)) {
        self.scopes.push(scope);
        f(self);
        self.scopes.pop();
    }

    fn statement_list(&mut self, node: Node, depth: usize) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.statement(child, depth + 1);
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
            "variable_assignment" => self.assignment(node, false),
            "declaration_command" => {
                let exported = self.node_text(node).starts_with("export")
                    || self.node_text(node).starts_with("declare -x");
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() == "variable_assignment" {
                        self.assignment(child, exported);
                    }
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
                    self.with_scope(Scope::Function(name), |w| w.statement(body, depth + 1));
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
            "for_statement" | "c_style_for_statement" => {
                if let Some(body) = node.child_by_field_name("body") {
                    self.with_scope(Scope::Loop, |w| w.statement_list(body, depth));
                }
            }
            "case_statement" => {
                let id = self.id();
                let mut cursor = node.walk();
                for item in node.named_children(&mut cursor) {
                    if item.kind() != "case_item" {
                        continue;
                    }
                    let mut patterns = Vec::new();
                    let mut c2 = item.walk();
                    for value in item.children_by_field_name("value", &mut c2) {
                        patterns.push(self.node_text(value).to_string());
                    }
                    let mut c3 = item.walk();
                    let body: Vec<Node> = item
                        .named_children(&mut c3)
                        .filter(|c| {
                            !patterns.is_empty()
                                && item
                                    .child_by_field_name("value")
                                    .is_none_or(|v| v.id() != c.id())
                        })
                        .collect();
                    let value_ids: Vec<usize> = {
                        let mut c4 = item.walk();
                        item.children_by_field_name("value", &mut c4)
                            .map(|n| n.id())
                            .collect()
                    };
                    self.with_scope(Scope::CaseBranch { id, patterns }, |w| {
                        for child in body.into_iter().filter(|c| !value_ids.contains(&c.id())) {
                            w.statement(child, depth + 1);
                        }
                    });
                }
            }
            "list" => self.and_or_list(node, depth),
            "pipeline" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    self.statement(child, depth + 1);
                }
            }
            "subshell" => {
                self.with_scope(Scope::Subshell, |w| w.statement_list(node, depth));
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
            "command_substitution" | "process_substitution" => {
                self.with_scope(Scope::Subshell, |w| w.statement_list(node, depth));
            }
            _ => {
                // Look inside anything else for command substitutions and nested statements.
                self.statement_list(node, depth);
            }
        }
    }

    fn and_or_list(&mut self, node: Node, depth: usize) {
        // `a && b || c`: b runs after a succeeded, c after a or b failed.
        let mut cursor = node.walk();
        let children: Vec<Node> = node.children(&mut cursor).collect();
        let mut pushed = 0;
        for child in children {
            if !child.is_named() {
                let op = child.kind();
                if op == "&&" || op == "||" {
                    let id = self.id();
                    self.scopes.push(Scope::AndOr {
                        id,
                        op: op.to_string(),
                    });
                    pushed += 1;
                }
                continue;
            }
            self.statement(child, depth + 1);
        }
        for _ in 0..pushed {
            self.scopes.pop();
        }
    }

    fn if_statement(&mut self, node: Node, depth: usize) {
        let id = self.id();
        let mut branch = 0u32;
        let mut condition = String::new();
        let mut in_condition = true;
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            match child.kind() {
                "if" => in_condition = true,
                "then" => in_condition = false,
                "elif_clause" => {
                    branch += 1;
                    self.elif(child, id, branch, depth);
                }
                "else_clause" => {
                    branch += 1;
                    let scope = Scope::IfBranch {
                        id,
                        branch,
                        condition: format!("not ({condition})"),
                    };
                    self.with_scope(scope, |w| w.statement_list(child, depth));
                }
                _ if !child.is_named() => {}
                _ if in_condition => {
                    condition = self.node_text(child).to_string();
                    self.with_scope(Scope::Condition { id }, |w| w.statement(child, depth + 1));
                }
                _ => {
                    let scope = Scope::IfBranch {
                        id,
                        branch: 0,
                        condition: condition.clone(),
                    };
                    self.with_scope(scope, |w| w.statement(child, depth + 1));
                }
            }
        }
    }

    fn elif(&mut self, node: Node, id: u32, branch: u32, depth: usize) {
        // `elif` has no `condition` field: everything before `then` is the condition.
        let mut in_condition = true;
        let mut condition = String::new();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            match child.kind() {
                "then" => in_condition = false,
                _ if !child.is_named() => {}
                _ if in_condition => {
                    condition = self.node_text(child).to_string();
                    self.with_scope(Scope::Condition { id }, |w| w.statement(child, depth + 1));
                }
                _ => {
                    let scope = Scope::IfBranch {
                        id,
                        branch,
                        condition: condition.clone(),
                    };
                    self.with_scope(scope, |w| w.statement(child, depth + 1));
                }
            }
        }
    }

    fn redirected(&mut self, node: Node, depth: usize) {
        let mut stdin = None;
        let mut cursor = node.walk();
        let mut trailing = Vec::new();
        for redirect in node.children_by_field_name("redirect", &mut cursor) {
            if redirect.kind() == "heredoc_redirect" {
                let mut c2 = redirect.walk();
                for part in redirect.named_children(&mut c2) {
                    match part.kind() {
                        "heredoc_body" => {
                            let span = Span::new(part.start_byte(), part.end_byte());
                            stdin = Some(StdinText {
                                text: self.node_text(part).to_string(),
                                span: self.map.span_to_host(span),
                                map: self.map.then(&OffsetMap::verbatim(
                                    part.start_byte(),
                                    part.end_byte() - part.start_byte(),
                                )),
                            });
                        }
                        "heredoc_start" | "heredoc_end" | "file_descriptor" => {}
                        // `cat <<EOF | psql`, `psql <<EOF && next`: the rest of the pipeline
                        // or list sits inside the heredoc redirect.
                        _ => trailing.push(part),
                    }
                }
            } else if redirect.kind() == "herestring_redirect" {
                let mut c2 = redirect.walk();
                if let Some(value) = redirect.named_children(&mut c2).next() {
                    let word = self.word(value);
                    if let Some(text) = word.literal() {
                        stdin = Some(StdinText {
                            map: OffsetMap::verbatim(word.span.start(), text.len()),
                            text,
                            span: word.span,
                        });
                    }
                }
            }
        }
        if let Some(body) = node.child_by_field_name("body") {
            if body.kind() == "command" {
                self.command(body, stdin, depth);
            } else {
                self.statement(body, depth + 1);
            }
        }
        for part in trailing {
            self.statement(part, depth + 1);
        }
    }

    fn assignment(&mut self, node: Node, exported: bool) {
        let Some(name_node) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.node_text(name_node).to_string();
        let value = match node.child_by_field_name("value") {
            Some(value) => self.word(value),
            None => Word {
                span: self.host(node).cover(self.host(name_node)),
                pieces: vec![Piece::Lit(String::new())],
            },
        };
        self.vars.insert(name.clone(), value.pieces.clone());
        self.out.assignments.push(Assignment {
            name,
            name_span: self.host(name_node),
            value,
            exported,
            source: self.source,
        });
    }

    fn command(&mut self, node: Node, stdin: Option<StdinText>, depth: usize) {
        let mut argv: Vec<Word> = Vec::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "variable_assignment" => {
                    // `VAR=x cmd`: in the command's environment only; do not keep it for later words.
                    let saved = self.vars.clone();
                    self.assignment(child, true);
                    self.vars = saved;
                }
                "file_redirect" | "herestring_redirect" | "comment" => {}
                "command_name" => {
                    let mut c2 = child.walk();
                    if let Some(inner) = child.named_children(&mut c2).next() {
                        self.push_words(&mut argv, inner);
                    }
                }
                _ => self.push_words(&mut argv, child),
            }
            // Commands inside `$(…)` in arguments run too.
            self.substitutions(child, depth);
        }
        if argv.is_empty() {
            return;
        }
        self.out.commands.push(Command {
            span: self.host(node),
            argv,
            via: Vec::new(),
            scopes: self.scopes.clone(),
            stdin,
            source: self.source,
        });
    }

    fn substitutions(&mut self, node: Node, depth: usize) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if matches!(n.kind(), "command_substitution" | "process_substitution") {
                self.statement(n, depth + 1);
                continue;
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
    }

    /// Add the words an argument node expands to: an unquoted expansion of a known variable is
    /// split on whitespace the way the shell splits it.
    fn push_words(&mut self, argv: &mut Vec<Word>, node: Node) {
        let word = self.word(node);
        let unquoted_expansion = matches!(node.kind(), "simple_expansion" | "expansion");
        if unquoted_expansion && let Some(value) = word.literal() {
            for part in value.split_whitespace() {
                argv.push(Word::literal_word(word.span, part));
            }
            return;
        }
        argv.push(word);
    }

    /// The value of one word node: quotes removed, known variables expanded.
    fn word(&self, node: Node) -> Word {
        let mut pieces = Vec::new();
        self.pieces(node, &mut pieces);
        Word {
            span: self.host(node),
            pieces: merge(pieces),
        }
    }

    fn pieces(&self, node: Node, out: &mut Vec<Piece>) {
        let text = self.node_text(node);
        match node.kind() {
            "word" | "number" => out.push(Piece::Lit(unescape_word(text))),
            "raw_string" => out.push(Piece::Lit(
                text.strip_prefix('\'')
                    .and_then(|t| t.strip_suffix('\''))
                    .unwrap_or(text)
                    .to_string(),
            )),
            "ansi_c_string" => out.push(Piece::Lit(
                text.strip_prefix("$'")
                    .and_then(|t| t.strip_suffix('\''))
                    .unwrap_or(text)
                    .to_string(),
            )),
            "string_content" => out.push(Piece::Lit(unescape_double(text))),
            "string" | "concatenation" | "translated_string" => {
                let mut cursor = node.walk();
                let mut last_end = node.start_byte() + usize::from(node.kind() == "string");
                for child in node.named_children(&mut cursor) {
                    // Literal text between named children (e.g. `"a $x b"` keeps the spaces).
                    if node.kind() == "string"
                        && child.start_byte() > last_end
                        && let Some(gap) = self.text.get(last_end..child.start_byte())
                    {
                        out.push(Piece::Lit(unescape_double(gap)));
                    }
                    self.pieces(child, out);
                    last_end = child.end_byte();
                }
                if node.kind() == "string" {
                    let close = node.end_byte().saturating_sub(1);
                    if close > last_end
                        && let Some(gap) = self.text.get(last_end..close)
                    {
                        out.push(Piece::Lit(unescape_double(gap)));
                    }
                }
            }
            "simple_expansion" => {
                let name = text.trim_start_matches('$');
                match self.vars.get(name) {
                    Some(value) => out.extend(value.iter().cloned()),
                    None => out.push(Piece::Expansion(text.to_string())),
                }
            }
            "expansion" => self.expansion(node, text, out),
            _ => out.push(Piece::Expansion(text.to_string())),
        }
    }

    fn expansion(&self, node: Node, text: &str, out: &mut Vec<Piece>) {
        // `${VAR}`, `${VAR:-default}`, `${VAR-default}`; anything fancier stays unknown.
        let mut cursor = node.walk();
        let children: Vec<Node> = node.children(&mut cursor).collect();
        let name = children
            .iter()
            .find(|c| c.kind() == "variable_name")
            .map(|c| self.node_text(*c));
        let operator = children
            .iter()
            .find(|c| !c.is_named() && !matches!(c.kind(), "${" | "}"))
            .map(|c| c.kind());
        let Some(name) = name else {
            out.push(Piece::Expansion(text.to_string()));
            return;
        };
        let known = self.vars.get(name);
        match (operator, known) {
            (None, Some(value)) => out.extend(value.iter().cloned()),
            (Some(":-" | "-"), Some(value)) => out.extend(value.iter().cloned()),
            (Some(":-" | "-"), None) => {
                let default: Vec<Node> = children
                    .iter()
                    .skip_while(|c| c.kind() != ":-" && c.kind() != "-")
                    .skip(1)
                    .filter(|c| c.is_named())
                    .copied()
                    .collect();
                if default.is_empty() {
                    out.push(Piece::Lit(String::new()));
                }
                for d in default {
                    self.pieces(d, out);
                }
            }
            _ => out.push(Piece::Expansion(text.to_string())),
        }
    }
}

fn merge(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match (out.last_mut(), piece) {
            (Some(Piece::Lit(prev)), Piece::Lit(next)) => prev.push_str(&next),
            (_, piece) => out.push(piece),
        }
    }
    if out.is_empty() {
        out.push(Piece::Lit(String::new()));
    }
    out
}

/// Backslash escapes in an unquoted word: `\x` is `x`.
fn unescape_word(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next()
                && next != '\n'
            {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Backslash escapes inside double quotes: only `\$`, `` \` ``, `\"`, `\\` and newline.
fn unescape_double(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('$' | '`' | '"' | '\\') => {
                    out.extend(chars.next());
                }
                Some('\n') => {
                    chars.next();
                }
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
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
}
