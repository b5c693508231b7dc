//! PowerShell scripts and modules (`.ps1`, `.psm1`), read with tree-sitter-powershell and lowered
//! to the POSIX shell the command model is built from, with an offset map back to the `.ps1`.
//! Every command rule then reads a PowerShell script as it reads a shell script.
//!
//! What is lowered, and how:
//! - commands with their words (`&` and `.` invocation, `docker.exe` → `docker`, `.\x.ps1` →
//!   `./x.ps1`), pipelines (a leading value is `echo`; `| Out-File f`/`Set-Content f` is `> f`),
//!   `&&`/`||` chains, redirections, `--%`;
//! - the cmdlets the rules know under their POSIX names: `Remove-Item -Recurse -Force p` → `rm -r
//!   -f p` (`-WhatIf` runs nothing), `Set-Location` → `cd`, `Get-Content` → `cat`, `Write-Output`
//!   → `echo`, `Invoke-Expression "…"` and `cmd /c "…"` → the string read as a script,
//!   `Start-Process x -ArgumentList …` → `x …`, `Invoke-Command { … }` / `ForEach-Object { … }`
//!   → their block;
//! - variables (case-insensitive, `$script:`/`$env:` scopes) and their assignments, strings with
//!   `$var`/`$(…)` inside, `param(…)` defaults; `$x = Read-Host …` → `read x` (so a check of `$x`
//!   is a confirmation guard, as in shell), `$PSCmdlet.ShouldContinue(…)`/`ShouldProcess` →
//!   an interactive answer;
//! - `if`/`elseif`/`else`, `switch` (→ `case`), `foreach`/`for`/`while`/`do`, `try`/`catch` (→
//!   `{ try; } || { catch; }`), `function` (→ a shell function), `exit`/`return`/`throw`;
//! - `$ErrorActionPreference = "Stop"` stops on cmdlet errors only: a failing native command
//!   (`pg_dump`, `docker`) goes on unless `$PSNativeCommandUseErrorActionPreference = $true` too;
//!   then it is `set -e`.
//!
//! Text that is not executed (comments, strings only assigned, classes) produces no command.

mod commands;
mod words;

use std::collections::HashMap;

use tree_sitter::Node;

use crate::syntax::{child_of_kind as child_of, first_error};

use crate::model::FileFacts;
use crate::model::command::ShellOrigin;
use crate::notice::{Notice, NoticeKind};
use crate::source::{OffsetMap, Span};
use crate::syntax::{Grammar, parse_tree};
use words::{Part, PsWord, literal, string_body, unwrap};

/// Nesting deeper than this (statements in statements, strings run as scripts) is not followed.
const MAX_DEPTH: usize = 200;

/// Lowered text past this size stops the lowering (a notice says so).
const MAX_OUTPUT: usize = 16 * 1024 * 1024;

/// Extract the commands of a PowerShell file.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let (out, problems) = lower(&text);
    if out.full {
        let line = facts.file.position(text.len()).line;
        facts.notices.push(
            Notice::file(
                &facts.file.path,
                NoticeKind::ParseError,
                format!(
                    "this PowerShell script was read up to {} MiB of commands",
                    MAX_OUTPUT >> 20
                ),
            )
            .at_line(line),
        );
    }
    for (offset, message, info) in problems {
        let line = facts.file.position(offset).line;
        let notice = Notice::file(&facts.file.path, NoticeKind::ParseError, message).at_line(line);
        facts
            .notices
            .push(if info { notice.info() } else { notice });
    }
    if !out.text.trim().is_empty() {
        facts
            .shell
            .add_source(&out.text, &out.map, ShellOrigin::Script);
    }
}

/// A whole PowerShell file as shell, with the problems met (host offset, message, info-only).
fn lower(text: &str) -> (Out, Vec<(usize, String, bool)>) {
    let map = OffsetMap::verbatim(0, text.len());
    let mut out = Out::default();
    let mut problems = Vec::new();
    let mut state = State::default();
    lower_text(text, &map, &mut out, &mut state, &mut problems, 0);
    (out, problems)
}

/// Lower the PowerShell `text` (mapped to the host by `map`) into `out`.
fn lower_text(
    text: &str,
    map: &OffsetMap,
    out: &mut Out,
    state: &mut State,
    problems: &mut Vec<(usize, String, bool)>,
    depth: usize,
) {
    let Some(tree) = parse_tree(Grammar::PowerShell, text) else {
        problems.push((
            map.to_host(0),
            "the PowerShell grammar could not be loaded".into(),
            false,
        ));
        return;
    };
    let root = tree.root_node();
    if root.has_error() {
        let at = first_error(root).map_or(0, |n| n.start_byte());
        problems.push((
            map.to_host(at),
            "part of this PowerShell script could not be parsed; the statements around it were still read"
                .into(),
            true,
        ));
    }
    let mut lower = Lower {
        text,
        map,
        out,
        st: state,
        problems,
    };
    lower.collect_functions(root, 0);
    lower.block(root, depth);
}

/// The lowered shell text and its map to the host.
#[derive(Default)]
struct Out {
    text: String,
    map: OffsetMap,
    /// The output reached [`MAX_OUTPUT`].
    full: bool,
}

impl Out {
    /// Shell syntax made up here, placed at host offset `host`.
    fn syn(&mut self, s: &str, host: usize) {
        if s.is_empty() || self.full {
            return;
        }
        self.map.push(self.text.len(), host, 0);
        self.text.push_str(s);
        self.check();
    }

    /// Text copied from host bytes `host..host + s.len()`.
    fn verbatim(&mut self, s: &str, host: usize) {
        if s.is_empty() || self.full {
            return;
        }
        self.map.push(self.text.len(), host, s.len());
        self.text.push_str(s);
        self.check();
    }

    fn check(&mut self) {
        if self.text.len() > MAX_OUTPUT {
            self.full = true;
        }
    }
}

/// What carries across the whole file (and strings run as scripts in it).
#[derive(Default)]
struct State {
    /// Lower-case variable name → the spelling used for it in the lowered shell.
    names: HashMap<String, String>,
    /// Lower-case function name → its spelling where it is defined.
    functions: HashMap<String, String>,
    error_stop: bool,
    native_stop: bool,
    set_e: bool,
}

struct Lower<'a> {
    text: &'a str,
    map: &'a OffsetMap,
    out: &'a mut Out,
    st: &'a mut State,
    problems: &'a mut Vec<(usize, String, bool)>,
}

/// A word of a command with the host span of its source, for placing synthesized syntax.
type Arg = (PsWord, Span);

impl<'a> Lower<'a> {
    fn host(&self, offset: usize) -> usize {
        self.map.to_host(offset)
    }

    fn node_text(&self, node: Node) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn span(&self, node: Node) -> Span {
        self.map
            .span_to_host(Span::new(node.start_byte(), node.end_byte()))
    }

    fn syn_at(&mut self, s: &str, node: Node) {
        let at = self.host(node.start_byte());
        self.out.syn(s, at);
    }

    fn syn_end(&mut self, s: &str, node: Node) {
        let at = self.host(node.end_byte().saturating_sub(1).max(node.start_byte()));
        self.out.syn(s, at);
    }

    /// The spelling a variable gets in the shell (PowerShell names ignore case).
    fn var_name(&mut self, name: &str) -> String {
        self.st
            .names
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| name.to_string())
            .clone()
    }

    fn deep(&mut self, node: Node, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            let at = self.host(node.start_byte());
            self.problems.push((
                at,
                format!("PowerShell nesting deeper than {MAX_DEPTH} levels was not analysed"),
                false,
            ));
            return true;
        }
        self.out.full
    }

    /// Function names defined anywhere in the file (calls may come before the definition).
    fn collect_functions(&mut self, node: Node, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if node.kind() == "function_statement"
            && let Some(name) = child_of(node, "function_name")
        {
            let name = self.node_text(name).to_string();
            self.st
                .functions
                .entry(name.to_ascii_lowercase())
                .or_insert(name);
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.collect_functions(child, depth + 1);
        }
    }

    /// Lower every statement under `node` (a program, block or statement list).
    fn block(&mut self, node: Node, depth: usize) {
        if self.deep(node, depth) {
            return;
        }
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        for child in children {
            self.statement(child, depth + 1);
        }
    }

    /// Lower a block that must hold at least one command in the shell (`then`, `do`, `{ }`).
    fn body(&mut self, node: Option<Node>, at: Node, depth: usize) {
        let before = self.out.text.len();
        if let Some(node) = node {
            self.block(node, depth);
        }
        if self.out.text.len() == before {
            self.syn_at(":\n", at);
        }
    }

    fn statement(&mut self, node: Node, depth: usize) {
        if self.deep(node, depth) {
            return;
        }
        match node.kind() {
            "comment" | "empty_statement" | "class_statement" | "enum_statement"
            | "trap_statement" | "data_statement" => {}
            "param_block" => self.param_block(node),
            "statement_list" | "statement_block" | "script_block" | "script_block_body"
            | "named_block_list" | "named_block" | "ERROR" => self.block(node, depth),
            "pipeline" => {
                let inner = node
                    .named_child(0)
                    .filter(|_| node.named_child_count() == 1);
                match inner.map(|n| (n, n.kind())) {
                    Some((n, "assignment_expression")) => self.assignment(n, depth),
                    _ => {
                        self.chain(node, depth);
                        self.syn_end("\n", node);
                    }
                }
            }
            "assignment_expression" => self.assignment(node, depth),
            "if_statement" => self.if_statement(node, depth),
            "switch_statement" => self.switch_statement(node, depth),
            "foreach_statement" => {
                let var = child_of(node, "variable")
                    .and_then(|v| words::variable_name(self.node_text(v)))
                    .map_or_else(|| "item".to_string(), |(n, _)| n);
                let var = self.var_name(&var);
                self.syn_at(&format!("for {var} in "), node);
                let list = node
                    .named_children(&mut node.walk())
                    .find(|c| c.kind() == "pipeline");
                match list {
                    Some(list) => {
                        let args = self.expr_words(list, depth);
                        self.render_args(&args, depth);
                    }
                    None => self.syn_at("x", node),
                }
                self.syn_at("; do\n", node);
                self.body(child_of(node, "statement_block"), node, depth);
                self.syn_end("done\n", node);
            }
            "while_statement" | "do_statement" | "for_statement" => {
                self.syn_at("while ", node);
                let cond = child_of(node, "while_condition")
                    .or_else(|| child_of(node, "for_condition"))
                    .or_else(|| {
                        node.named_children(&mut node.walk())
                            .find(|c| c.kind() == "pipeline")
                    });
                match cond {
                    Some(cond) => self.condition(cond, depth),
                    None => self.syn_at(":", node),
                }
                self.syn_at("; do\n", node);
                self.body(child_of(node, "statement_block"), node, depth);
                self.syn_end("done\n", node);
            }
            "try_statement" => {
                self.syn_at("{\n", node);
                self.body(child_of(node, "statement_block"), node, depth);
                self.syn_at("}", node);
                if let Some(catches) = child_of(node, "catch_clauses") {
                    self.syn_at(" || {\n", catches);
                    let before = self.out.text.len();
                    let mut cursor = catches.walk();
                    let clauses: Vec<Node> = catches.named_children(&mut cursor).collect();
                    for clause in clauses {
                        self.block_of(clause, depth);
                    }
                    if self.out.text.len() == before {
                        self.syn_at(":\n", catches);
                    }
                    self.syn_end("}", catches);
                }
                self.syn_end("\n", node);
                if let Some(finally) = child_of(node, "finally_clause") {
                    self.block_of(finally, depth);
                }
            }
            "function_statement" => {
                let name = child_of(node, "function_name")
                    .map(|n| self.node_text(n).to_string())
                    .unwrap_or_default();
                if name.is_empty() || name.contains(['$', '(', ')', '{', '}', ' ']) {
                    return;
                }
                self.syn_at(&format!("{name}() {{\n"), node);
                let before = self.out.text.len();
                let mut cursor = node.walk();
                let parts: Vec<Node> = node.named_children(&mut cursor).collect();
                for part in parts {
                    match part.kind() {
                        "script_block" | "statement_block" => self.block(part, depth),
                        "ERROR" => self.block(part, depth),
                        _ => {}
                    }
                }
                if self.out.text.len() == before {
                    self.syn_at(":\n", node);
                }
                self.syn_end("}\n", node);
            }
            "flow_control_statement" => {
                let keyword = node.child(0).map(|k| k.kind()).unwrap_or("");
                let code = node
                    .named_children(&mut node.walk())
                    .find(|c| c.kind() == "pipeline")
                    .and_then(|p| {
                        let v = unwrap(p);
                        (v.kind() == "integer_literal").then(|| self.node_text(v).to_string())
                    })
                    .filter(|c| c.chars().all(|ch| ch.is_ascii_digit()));
                let line = match keyword {
                    "exit" => format!("exit {}\n", code.as_deref().unwrap_or("0")),
                    "throw" => "exit 1\n".to_string(),
                    "return" => "return\n".to_string(),
                    "break" => "break\n".to_string(),
                    "continue" => "continue\n".to_string(),
                    _ => return,
                };
                self.syn_at(&line, node);
            }
            _ => {
                // Anything else: statements nested in it still run.
                self.block(node, depth);
            }
        }
    }

    /// The statement block of a clause (`catch`, `finally`, `else`).
    fn block_of(&mut self, clause: Node, depth: usize) {
        if let Some(block) = child_of(clause, "statement_block") {
            self.block(block, depth);
        }
    }

    /// `param(...)` at the top of a script: parameters with a default are assigned it.
    fn param_block(&mut self, node: Node) {
        let Some(list) = child_of(node, "parameter_list") else {
            return;
        };
        let mut cursor = list.walk();
        let params: Vec<Node> = list.named_children(&mut cursor).collect();
        for param in params {
            let (Some(var), Some(default)) = (
                child_of(param, "variable"),
                child_of(param, "script_parameter_default"),
            ) else {
                continue;
            };
            let Some((name, _)) = words::variable_name(self.node_text(var)) else {
                continue;
            };
            let Some(value) = default.named_child(0) else {
                continue;
            };
            let word = self.expr_word(value, 0);
            if !matches!(word.first(), Some(Part::Lit { .. })) || literal(&word).is_none() {
                continue;
            }
            let name = self.var_name(&name);
            self.syn_at(&format!("{name}="), var);
            self.render_word(&word, self.span(value), 0);
            self.syn_end("\n", param);
        }
    }

    fn assignment(&mut self, node: Node, depth: usize) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        let [left, op, value, ..] = children.as_slice() else {
            return;
        };
        let target = unwrap(*left);
        if target.kind() != "variable" {
            // `$cfg.Name = …`, `$a[0] = …`: commands in the value still run.
            self.statement(*value, depth + 1);
            return;
        }
        let Some((name, env)) = words::variable_name(self.node_text(target)) else {
            return;
        };
        let lower = name.to_ascii_lowercase();
        let value_literal = {
            let v = unwrap(*value);
            let w = self.expr_word(v, depth);
            literal(&w)
        };
        if lower == "erroractionpreference" {
            self.st.error_stop = value_literal
                .as_deref()
                .is_some_and(|v| v.eq_ignore_ascii_case("stop"));
            self.maybe_set_e(target);
            return;
        }
        if lower == "psnativecommanduseerroractionpreference" {
            self.st.native_stop = self.node_text(unwrap(*value)).eq_ignore_ascii_case("$true");
            self.maybe_set_e(target);
            return;
        }
        let name = if env { name } else { self.var_name(&name) };
        let command = unwrap(*value);
        let is_command = matches!(command.kind(), "command" | "pipeline_chain" | "pipeline");
        if self.node_text(*op).trim() != "=" {
            // `$x += …`: the value is not known any more.
            self.syn_at(&format!("{name}=\"${{{name}_UPDATED}}\"\n"), node);
            return;
        }
        if is_command && self.command_name_of(command).as_deref() == Some("read-host") {
            self.syn_at(&format!("read -r {name}\n"), node);
            return;
        }
        if env {
            self.syn_at("export ", node);
        }
        self.syn_at(&format!("{name}="), node);
        if is_command {
            self.syn_at("\"$(", *value);
            self.chain(*value, depth + 1);
            self.syn_end(")\"", *value);
        } else {
            let word = self.expr_word(command, depth);
            self.render_word(&word, self.span(command), depth);
        }
        self.syn_end("\n", node);
    }

    /// `set -e` once both stop settings are on.
    fn maybe_set_e(&mut self, at: Node) {
        if self.st.error_stop && self.st.native_stop && !self.st.set_e {
            self.st.set_e = true;
            self.syn_at("set -e\n", at);
        }
    }

    /// The lower-case name of the command a pipeline runs, when it is one command.
    fn command_name_of(&self, node: Node) -> Option<String> {
        let node = unwrap(node);
        if node.kind() != "command" {
            return None;
        }
        let name = child_of(node, "command_name")
            .or_else(|| child_of(node, "command_name_expr").map(unwrap))?;
        Some(self.node_text(name).to_ascii_lowercase())
    }

    fn if_statement(&mut self, node: Node, depth: usize) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        self.syn_at("if ", node);
        let mut first = true;
        for child in children {
            match child.kind() {
                "pipeline" if first => {
                    self.condition(child, depth);
                    self.syn_end("; then\n", child);
                    first = false;
                }
                "statement_block" => self.body(Some(child), child, depth),
                "elseif_clauses" => {
                    let mut c2 = child.walk();
                    let clauses: Vec<Node> = child.named_children(&mut c2).collect();
                    for clause in clauses {
                        self.syn_at("elif ", clause);
                        match child_of(clause, "pipeline") {
                            Some(cond) => self.condition(cond, depth),
                            None => self.syn_at(":", clause),
                        }
                        self.syn_at("; then\n", clause);
                        self.body(child_of(clause, "statement_block"), clause, depth);
                    }
                }
                "else_clause" => {
                    self.syn_at("else\n", child);
                    self.body(child_of(child, "statement_block"), child, depth);
                }
                _ => {}
            }
        }
        self.syn_end("fi\n", node);
    }

    /// A condition as a shell command list: comparisons as `[ … ]`, commands as themselves,
    /// `-not`/`-and`/`-or` as `!`/`&&`/`||`, any other value as `[ -n value ]`.
    fn condition(&mut self, node: Node, depth: usize) {
        if self.deep(node, depth) {
            return;
        }
        let node = unwrap(node);
        match node.kind() {
            "parenthesized_expression" => {
                if let Some(inner) = node.named_child(0) {
                    self.condition(inner, depth + 1);
                }
            }
            "command" | "pipeline_chain" => self.chain(node, depth + 1),
            "expression_with_unary_operator" => {
                let op = node
                    .child(0)
                    .map(|c| self.node_text(c).to_ascii_lowercase());
                let operand = node.named_child(
                    u32::try_from(node.named_child_count().saturating_sub(1)).unwrap_or(0),
                );
                match (op.as_deref(), operand) {
                    (Some("-not" | "!"), Some(operand)) => {
                        self.syn_at("! ", node);
                        self.condition(operand, depth + 1);
                    }
                    _ => self.test_value(node, depth),
                }
            }
            "logical_expression" => {
                let mut cursor = node.walk();
                let children: Vec<Node> = node.children(&mut cursor).collect();
                for child in children {
                    if child.is_named() {
                        self.condition(child, depth + 1);
                    } else {
                        let op = self.node_text(child).to_ascii_lowercase();
                        let shell = if op == "-or" { " || " } else { " && " };
                        self.syn_at(shell, child);
                    }
                }
            }
            "comparison_expression" => {
                let mut cursor = node.walk();
                let children: Vec<Node> = node.named_children(&mut cursor).collect();
                let [left, op, right] = children.as_slice() else {
                    return self.test_value(node, depth);
                };
                let op = self.node_text(*op).to_ascii_lowercase();
                let op = op.trim_start_matches('-');
                let op = op
                    .strip_prefix(['i', 'c'])
                    .filter(|o| o.len() >= 2)
                    .unwrap_or(op);
                let shell = match op {
                    "ne" | "notlike" | "notmatch" | "notcontains" | "notin" => "!=".to_string(),
                    "gt" | "ge" | "lt" | "le" => format!("-{op}"),
                    _ => "=".to_string(),
                };
                self.syn_at("[ ", node);
                let l = self.expr_word(*left, depth);
                self.render_word(&l, self.span(*left), depth);
                self.syn_at(&format!(" {shell} "), *right);
                let r = self.expr_word(*right, depth);
                self.render_word(&r, self.span(*right), depth);
                self.syn_end(" ]", node);
            }
            "invokation_expression" => {
                let text = self.node_text(node).to_ascii_lowercase();
                let asks = ["shouldcontinue", "shouldprocess", "promptforchoice"]
                    .into_iter()
                    .find(|m| text.contains(&format!(".{m}(")));
                match asks {
                    Some(method) => {
                        let name = match method {
                            "shouldcontinue" => "ShouldContinue",
                            "shouldprocess" => "ShouldProcess",
                            _ => "PromptForChoice",
                        };
                        self.syn_at(&format!("read -r {name} && [ \"${name}\" = y ]"), node);
                    }
                    None => self.test_value(node, depth),
                }
            }
            _ => self.test_value(node, depth),
        }
    }

    /// `[ -n value ]`: a value used as a condition.
    fn test_value(&mut self, node: Node, depth: usize) {
        self.syn_at("[ -n ", node);
        let word = self.expr_word(node, depth);
        self.render_word(&word, self.span(node), depth);
        self.syn_end(" ]", node);
    }

    fn switch_statement(&mut self, node: Node, depth: usize) {
        let subject = child_of(node, "switch_condition").and_then(|c| c.named_child(0));
        self.syn_at("case ", node);
        match subject {
            Some(s) => {
                let w = self.expr_word(s, depth);
                self.render_word(&w, self.span(s), depth);
            }
            None => self.syn_at("x", node),
        }
        self.syn_at(" in\n", node);
        let clauses = child_of(node, "switch_body").and_then(|b| child_of(b, "switch_clauses"));
        if let Some(clauses) = clauses {
            let mut cursor = clauses.walk();
            let list: Vec<Node> = clauses.named_children(&mut cursor).collect();
            for clause in list {
                let Some(cond) = child_of(clause, "switch_clause_condition") else {
                    continue;
                };
                let pattern = self.node_text(cond);
                if pattern.eq_ignore_ascii_case("default") {
                    self.syn_at("*", cond);
                } else {
                    let value = cond.named_child(0).unwrap_or(cond);
                    let w = self.expr_word(value, depth);
                    match literal(&w) {
                        Some(_) => self.render_word(&w, self.span(cond), depth),
                        None => self.syn_at("*", cond),
                    }
                }
                self.syn_end(")\n", cond);
                self.body(child_of(clause, "statement_block"), clause, depth);
                self.syn_end(";;\n", clause);
            }
        }
        self.syn_end("esac\n", node);
    }

    /// A pipeline with its `&&`/`||` chain, without the final newline.
    fn chain(&mut self, node: Node, depth: usize) {
        if self.deep(node, depth) {
            return;
        }
        let node = if node.kind() == "pipeline" {
            node
        } else {
            return self.stages(node, depth);
        };
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        let mut wrote = false;
        for child in children {
            if child.kind() == "pipeline_chain_tail" {
                let op = if self.node_text(child).contains("||") {
                    " || "
                } else {
                    " && "
                };
                self.syn_at(op, child);
                continue;
            }
            self.stages(child, depth + 1);
            wrote = true;
        }
        if !wrote {
            self.syn_at(":", node);
        }
    }

    /// The stages of one `|` pipeline.
    fn stages(&mut self, node: Node, depth: usize) {
        let stages: Vec<Node> = if node.kind() == "pipeline_chain" {
            let mut cursor = node.walk();
            node.named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .collect()
        } else {
            vec![node]
        };
        // `… | Out-File backup.sql` writes the output to a file: `> backup.sql`.
        let (stages, sink) = match stages.split_last() {
            Some((last, rest)) if !rest.is_empty() => match self.sink_file(*last, depth) {
                Some(file) => (rest.to_vec(), Some((file, *last))),
                None => (stages.clone(), None),
            },
            _ => (stages.clone(), None),
        };
        for (k, stage) in stages.iter().enumerate() {
            if k > 0 {
                self.syn_at(" | ", *stage);
            }
            let inner = unwrap(*stage);
            if inner.kind() == "command" {
                self.command(inner, depth + 1);
            } else if matches!(inner.kind(), "parenthesized_expression" | "sub_expression")
                && has_command(inner, 0)
            {
                self.syn_at("{ ", inner);
                self.block(inner, depth + 1);
                self.syn_end("}", inner);
            } else {
                // A value as a pipeline's first stage is its output: `"DROP …" | psql`.
                self.syn_at("echo ", inner);
                let args = self.expr_words(inner, depth);
                self.render_args(&args, depth);
            }
        }
        if let Some(((word, span), at)) = sink {
            self.syn_at(" > ", at);
            self.render_word(&word, span, depth);
        }
    }

    /// The file an `Out-File`/`Set-Content`/`Add-Content`/`Tee-Object` stage writes.
    fn sink_file(&mut self, stage: Node, depth: usize) -> Option<Arg> {
        let name = self.command_name_of(stage)?;
        if !matches!(
            name.as_str(),
            "out-file" | "set-content" | "add-content" | "tee-object" | "tee" | "sc" | "ac"
        ) {
            return None;
        }
        let args = self.command_args(unwrap(stage), depth);
        commands::positional(
            &args,
            &["filepath", "path", "literalpath", "file"],
            &[
                "encoding",
                "width",
                "value",
                "variable",
                "stream",
                "erroraction",
                "ea",
            ],
        )
        .into_iter()
        .next()
    }

    /// The words of a value: an array (`'a','b'`) gives several.
    fn expr_words(&mut self, node: Node, depth: usize) -> Vec<Arg> {
        let node = unwrap(node);
        if node.kind() == "array_literal_expression" {
            let mut cursor = node.walk();
            let items: Vec<Node> = node.named_children(&mut cursor).collect();
            return items
                .into_iter()
                .flat_map(|item| self.expr_words(item, depth + 1))
                .collect();
        }
        vec![(self.expr_word(node, depth), self.span(node))]
    }

    /// One value as a word.
    fn expr_word(&mut self, node: Node, depth: usize) -> PsWord {
        let node = unwrap(node);
        let raw = self.node_text(node);
        let host = self.host(node.start_byte());
        let mut word = PsWord::new();
        if depth > MAX_DEPTH {
            return word;
        }
        match node.kind() {
            "expandable_string_literal" | "expandable_here_string_literal" => {
                let (start, len) = string_body(raw);
                let from = node.start_byte() + start;
                let to = from + len;
                let mut at = from;
                let mut cursor = node.walk();
                let inner: Vec<Node> = node.named_children(&mut cursor).collect();
                for child in inner {
                    if child.start_byte() < from || child.end_byte() > to {
                        continue;
                    }
                    self.literal_run(at, child.start_byte(), &mut word);
                    word.extend(self.expr_word(child, depth + 1));
                    at = child.end_byte();
                }
                self.literal_run(at, to, &mut word);
            }
            "verbatim_string_characters" | "verbatim_here_string_characters" => {
                let (start, len) = string_body(raw);
                let body = raw.get(start..start + len).unwrap_or("");
                words::verbatim_text(body, self.host(node.start_byte() + start), &mut word);
            }
            "generic_token"
            | "command_parameter"
            | "integer_literal"
            | "real_literal"
            | "decimal_integer_literal"
            | "hexadecimal_integer_literal"
            | "simple_name"
            | "type_identifier" => {
                words::expandable_text(raw, host, false, &mut word);
            }
            "variable" | "braced_variable" => {
                let lower = raw.to_ascii_lowercase();
                let end = self.host(node.end_byte());
                match lower.as_str() {
                    "$true" => word.push(Part::Lit {
                        text: "True".into(),
                        host,
                    }),
                    "$false" => word.push(Part::Lit {
                        text: "False".into(),
                        host,
                    }),
                    "$null" => {}
                    "$psscriptroot" | "${psscriptroot}" => word.push(Part::Unknown {
                        name: "$(dirname \"$0\")".into(),
                        host,
                        end,
                    }),
                    "$lastexitcode" | "$?" => word.push(Part::Unknown {
                        name: "?".into(),
                        host,
                        end,
                    }),
                    _ => match words::variable_name(raw) {
                        Some((name, env)) => {
                            let name = if env { name } else { self.var_name(&name) };
                            word.push(Part::Var { name, host, end });
                        }
                        None => word.push(Part::Unknown {
                            name: words::sanitize(raw),
                            host,
                            end,
                        }),
                    },
                }
            }
            "sub_expression" | "parenthesized_expression" if has_command(node, 0) => {
                let mut sub = Out::default();
                let mut inner = Lower {
                    text: self.text,
                    map: self.map,
                    out: &mut sub,
                    st: &mut *self.st,
                    problems: &mut *self.problems,
                };
                inner.block(node, depth + 1);
                word.push(Part::Sub {
                    text: sub.text,
                    map: sub.map,
                });
            }
            "sub_expression" | "parenthesized_expression" => {
                if let Some(inner) = node
                    .named_children(&mut node.walk())
                    .find(|c| c.kind() != "comment")
                {
                    let inner = match inner.kind() {
                        "statement_list" => inner.named_child(0).unwrap_or(inner),
                        _ => inner,
                    };
                    return self.expr_word(inner, depth + 1);
                }
            }
            "additive_expression" => {
                // `"vol" + $n`: string concatenation.
                let mut cursor = node.walk();
                let children: Vec<Node> = node.children(&mut cursor).collect();
                let concat = children
                    .iter()
                    .filter(|c| !c.is_named())
                    .all(|c| self.node_text(*c) == "+");
                if concat {
                    for child in children.into_iter().filter(|c| c.is_named()) {
                        word.extend(self.expr_word(child, depth + 1));
                    }
                } else {
                    word.push(self.unknown(node));
                }
            }
            _ => word.push(self.unknown(node)),
        }
        word
    }

    fn unknown(&self, node: Node) -> Part {
        Part::Unknown {
            name: words::sanitize(self.node_text(node)),
            host: self.host(node.start_byte()),
            end: self.host(node.end_byte()),
        }
    }

    /// The literal text of an expandable string between two of its inner nodes.
    fn literal_run(&self, from: usize, to: usize, word: &mut PsWord) {
        if to > from
            && let Some(text) = self.text.get(from..to)
        {
            words::expandable_text(text, self.host(from), true, word);
        }
    }
}

/// Whether a node holds a command (a sub-expression that runs one).
fn has_command(node: Node, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    if node.kind() == "command" {
        return true;
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.named_children(&mut cursor).collect();
    children.into_iter().any(|c| has_command(c, depth + 1))
}

#[cfg(test)]
mod tests;
