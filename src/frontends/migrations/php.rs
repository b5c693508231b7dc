//! PHP shared by the Laravel and Doctrine front-ends (tree-sitter-php): method bodies by name,
//! call parts (`Schema::drop(…)`, `$table->dropColumn(…)`), arguments, closures and the SQL text
//! of an argument (a string, a heredoc, a concatenation whose table-name helper calls are read
//! as the names they return).

use tree_sitter::Node;

use super::literal::{Lit, name_value, string_text, string_text_with};
use crate::model::schema::SqlName;

/// Deeper trees are not walked (stack safety on generated code).
pub const MAX_DEPTH: usize = 200;

pub fn text<'s>(node: Node, src: &'s str) -> &'s str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// Byte ranges of the methods named in `names` (a migration's `down()`).
pub fn methods_named(root: Node, src: &str, names: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            continue;
        }
        if node.kind() == "method_declaration"
            && node
                .child_by_field_name("name")
                .is_some_and(|n| names.contains(&text(n, src)))
        {
            out.push((node.start_byte(), node.end_byte()));
            continue;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            stack.push((child, depth + 1));
        }
    }
    out.sort_unstable();
    out
}

/// A call: `Scope::name(args)` or `object->name(args)`.
pub struct PhpCall<'t> {
    pub node: Node<'t>,
    /// `Schema` for a static call, the object for a method call.
    pub target: Node<'t>,
    pub is_static: bool,
    pub name: &'t str,
    pub args: Vec<Node<'t>>,
}

impl<'t> PhpCall<'t> {
    pub fn of(node: Node<'t>, src: &'t str) -> Option<Self> {
        let (target, is_static) = match node.kind() {
            "scoped_call_expression" => (node.child_by_field_name("scope")?, true),
            "member_call_expression" | "nullsafe_member_call_expression" => {
                (node.child_by_field_name("object")?, false)
            }
            _ => return None,
        };
        let name = text(node.child_by_field_name("name")?, src);
        let mut args = Vec::new();
        if let Some(list) = node.child_by_field_name("arguments") {
            let mut cursor = list.walk();
            for arg in list.named_children(&mut cursor) {
                if arg.kind() != "argument" {
                    continue;
                }
                // A named argument (`columns: […]`) keeps its value as the last child.
                let mut c = arg.walk();
                if let Some(value) = arg.named_children(&mut c).last() {
                    args.push(value);
                }
            }
        }
        Some(PhpCall {
            node,
            target,
            is_static,
            name,
            args,
        })
    }

    /// The static class or facade called (`Schema`, `DB`), without a leading namespace.
    pub fn class<'s>(&self, src: &'s str) -> Option<&'s str> {
        if !self.is_static {
            return None;
        }
        let full = text(self.target, src);
        Some(full.rsplit('\\').next().unwrap_or(full))
    }

    pub fn arg(&self, i: usize) -> Option<Node<'t>> {
        self.args.get(i).copied()
    }

    /// Argument `i` as a name (`'users'`), when it is a literal.
    pub fn name_arg(&self, i: usize, src: &str) -> Option<SqlName> {
        name_value(self.arg(i)?, src)
    }
}

/// The names of an argument that is a string or an array of strings (`'fax'`, `['fax', 'pager']`).
pub fn names(arg: Node, src: &str) -> Vec<SqlName> {
    if arg.kind() == "array_creation_expression" {
        let mut cursor = arg.walk();
        return arg
            .named_children(&mut cursor)
            .filter_map(|element| {
                let mut c = element.walk();
                let value = element.named_children(&mut c).last()?;
                name_value(value, src)
            })
            .collect();
    }
    name_value(arg, src).into_iter().collect()
}

/// A closure's first parameter (`function (Blueprint $table)` → `$table`) and its body.
pub fn closure<'t>(node: Node<'t>, src: &str) -> Option<(String, Node<'t>)> {
    if !matches!(node.kind(), "anonymous_function" | "arrow_function") {
        return None;
    }
    let params = node.child_by_field_name("parameters")?;
    let mut cursor = params.walk();
    let first = params.named_children(&mut cursor).next()?;
    let var = first.child_by_field_name("name")?;
    Some((
        text(var, src).to_string(),
        node.child_by_field_name("body")?,
    ))
}

/// The value of `'key' => value` in an array literal.
pub fn array_value<'t>(array: Node<'t>, key: &str, src: &str) -> Option<Node<'t>> {
    if array.kind() != "array_creation_expression" {
        return None;
    }
    let mut cursor = array.walk();
    for element in array.named_children(&mut cursor) {
        let mut c = element.walk();
        let parts: Vec<Node> = element.named_children(&mut c).collect();
        if let [k, v] = parts.as_slice()
            && name_value(*k, src).is_some_and(|n| n.text == key)
        {
            return Some(*v);
        }
    }
    None
}

/// A number literal.
pub fn number(node: Option<Node>, src: &str) -> Option<u64> {
    text(node?, src).replace('_', "").parse().ok()
}

/// The SQL text of an argument: a string or heredoc, or a `.` concatenation of strings and
/// other expressions (a call with one string argument, such as a table-prefix helper
/// `$this->getTable('entry')`, reads as that string; anything else as a placeholder).
pub fn sql_text(arg: Node, src: &str) -> Option<Lit> {
    let resolve = |node: Node| variable_value(node, src).map(|l| l.text);
    if let Some(lit) = string_text_with(arg, src, &resolve) {
        return Some(lit);
    }
    // `$sql = "…"; $pdo->exec($sql);`: the string, where it was written.
    if let Some(lit) = variable_value(arg, src) {
        return Some(lit);
    }
    if arg.kind() != "binary_expression" {
        return None;
    }
    let mut parts = Vec::new();
    flatten(arg, src, &mut parts, 0);
    if !parts.iter().any(|p| string_text(*p, src).is_some()) {
        return None;
    }
    let mut lit = Lit::default();
    for part in parts {
        if let Some(inner) = string_text_with(part, src, &resolve) {
            lit.append(inner);
        } else if let Some(value) = variable_value(part, src) {
            // A variable's value was written elsewhere: mapped to the variable.
            lit.append_at(&value.text, super::literal::span(part));
        } else if let Some(name) = helper_name(part, src) {
            lit.append(name);
        } else {
            lit.placeholder(part, src);
        }
    }
    Some(lit)
}

/// The constant a variable holds: the string or table-helper call last assigned to it.
fn variable_value(node: Node, src: &str) -> Option<Lit> {
    if node.kind() != "variable_name" {
        return None;
    }
    let value = assigned_before(node, src)?;
    string_text(value, src)
        .filter(|l| !l.dynamic)
        .or_else(|| helper_name(value, src))
}

fn flatten<'t>(node: Node<'t>, src: &str, out: &mut Vec<Node<'t>>, depth: usize) {
    let is_concat = node.kind() == "binary_expression"
        && node
            .child_by_field_name("operator")
            .is_some_and(|o| text(o, src) == ".");
    if !is_concat || depth > 64 {
        out.push(node);
        return;
    }
    for side in ["left", "right"] {
        if let Some(part) = node.child_by_field_name(side) {
            flatten(part, src, out, depth + 1);
        }
    }
}

/// `$this->getTable('entry')`, `$this->getTable('entry', true)`: a call whose first argument is
/// a string literal and whose others are constants, read as that string (a table-prefix helper).
pub fn helper_name(node: Node, src: &str) -> Option<Lit> {
    let call = PhpCall::of(node, src)?;
    let constants = call
        .args
        .iter()
        .skip(1)
        .all(|a| matches!(a.kind(), "boolean" | "null" | "integer"));
    if call.args.is_empty() || !constants {
        return None;
    }
    let lit = string_text(call.arg(0)?, src)?;
    (!lit.dynamic).then_some(lit)
}

/// The value last assigned to the variable `var` before it is used, in the same method.
fn assigned_before<'t>(var: Node<'t>, src: &str) -> Option<Node<'t>> {
    let name = text(var, src);
    let mut scope = var.parent()?;
    // A migration's method; a standalone program's function or the program itself.
    while !matches!(
        scope.kind(),
        "method_declaration" | "function_definition" | "program"
    ) {
        scope = scope.parent()?;
    }
    let mut found: Option<Node> = None;
    let mut stack = vec![scope];
    let mut budget = 20_000;
    while let Some(node) = stack.pop() {
        budget -= 1;
        if budget == 0 {
            break;
        }
        if node.start_byte() >= var.start_byte() {
            continue;
        }
        if node.kind() == "assignment_expression"
            && node
                .child_by_field_name("left")
                .is_some_and(|l| text(l, src) == name)
            && let Some(right) = node.child_by_field_name("right")
            && found.is_none_or(|f| f.start_byte() < right.start_byte())
        {
            found = Some(right);
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    found
}
