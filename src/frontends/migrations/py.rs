//! Python shared by the Django and Alembic front-ends (tree-sitter-python): functions by name,
//! calls with their positional and keyword arguments, and the SQL text of an argument (a
//! string, implicit concatenation, `text("…")`/`sa.text("…")`).

use tree_sitter::Node;

use super::literal::{Lit, name_value, string_text};
use crate::model::schema::SqlName;

/// Deeper trees are not walked (stack safety on generated code).
pub const MAX_DEPTH: usize = 200;

pub fn text<'s>(node: Node, src: &'s str) -> &'s str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// Byte ranges of the top-level functions whose name is one of `names` or starts with one of
/// `prefixes` (`downgrade`, `downgrade_engine1`).
pub fn functions_named(root: Node, src: &str, prefixes: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            continue;
        }
        if node.kind() == "function_definition" {
            let name = node
                .child_by_field_name("name")
                .map(|n| text(n, src))
                .unwrap_or("");
            if prefixes
                .iter()
                .any(|p| name == *p || name.strip_prefix(p).is_some_and(|r| r.starts_with('_')))
            {
                out.push((node.start_byte(), node.end_byte()));
            }
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

/// A call: `receiver.name(positional…, key=value…)` or `name(…)`.
pub struct PyCall<'t> {
    pub node: Node<'t>,
    /// What the function is an attribute of (`op`, `migrations`, `batch_op`), when it is one.
    pub receiver: Option<Node<'t>>,
    pub name: &'t str,
    pub positional: Vec<Node<'t>>,
    pub keywords: Vec<(&'t str, Node<'t>)>,
}

impl<'t> PyCall<'t> {
    pub fn of(node: Node<'t>, src: &'t str) -> Option<Self> {
        if node.kind() != "call" {
            return None;
        }
        let function = node.child_by_field_name("function")?;
        let (receiver, name) = match function.kind() {
            "attribute" => (
                function.child_by_field_name("object"),
                text(function.child_by_field_name("attribute")?, src),
            ),
            "identifier" => (None, text(function, src)),
            _ => return None,
        };
        let mut call = PyCall {
            node,
            receiver,
            name,
            positional: Vec::new(),
            keywords: Vec::new(),
        };
        let Some(list) = node.child_by_field_name("arguments") else {
            return Some(call);
        };
        let mut cursor = list.walk();
        for arg in list.named_children(&mut cursor) {
            match arg.kind() {
                "keyword_argument" => {
                    if let (Some(k), Some(v)) = (
                        arg.child_by_field_name("name"),
                        arg.child_by_field_name("value"),
                    ) {
                        call.keywords.push((text(k, src), v));
                    }
                }
                "comment" | "list_splat" | "dictionary_splat" => {}
                _ => call.positional.push(arg),
            }
        }
        Some(call)
    }

    pub fn receiver_text<'s>(&self, src: &'s str) -> &'s str {
        self.receiver.map(|r| text(r, src)).unwrap_or("")
    }

    /// Keyword `key`, else positional argument `i`.
    pub fn arg(&self, i: usize, key: &str) -> Option<Node<'t>> {
        self.keyword(key)
            .or_else(|| self.positional.get(i).copied())
    }

    pub fn keyword(&self, key: &str) -> Option<Node<'t>> {
        self.keywords
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }

    /// The argument as a name, when it is a string literal.
    pub fn name(&self, i: usize, key: &str, src: &str) -> Option<SqlName> {
        name_value(self.arg(i, key)?, src)
    }

    /// A keyword's integer value.
    pub fn number(&self, key: &str, src: &str) -> Option<u64> {
        number(self.keyword(key), src)
    }
}

pub fn number(node: Option<Node>, src: &str) -> Option<u64> {
    text(node?, src).replace('_', "").parse().ok()
}

/// SQL handed to the database: a string, `text("…")`/`sa.text("…")`, a list or tuple of
/// those (Django's `RunSQL([…])`, each item alone or as `(sql, params)`).
pub fn sql_texts(arg: Node, src: &str, out: &mut Vec<Lit>, depth: usize) {
    if depth > 8 {
        return;
    }
    if let Some(lit) = string_text(arg, src) {
        out.push(lit);
        return;
    }
    match arg.kind() {
        "list" | "tuple" => {
            let mut cursor = arg.walk();
            let items: Vec<Node> = arg.named_children(&mut cursor).collect();
            // `(sql, params)`: only the first item is SQL.
            let take = if arg.kind() == "tuple" && depth > 0 {
                1
            } else {
                items.len()
            };
            for item in items.into_iter().take(take) {
                sql_texts(item, src, out, depth + 1);
            }
        }
        "parenthesized_expression" => {
            let mut cursor = arg.walk();
            if let Some(inner) = arg.named_children(&mut cursor).next() {
                sql_texts(inner, src, out, depth + 1);
            }
        }
        "call" => {
            if let Some(call) = PyCall::of(arg, src)
                && matches!(call.name, "text" | "dedent")
                && let Some(first) = call.positional.first()
            {
                sql_texts(*first, src, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The value assigned to `name` at module level or in a class body (`revision = "ab12"`,
/// `down_revision: Union[str, None] = None`, `dependencies = [...]` in `class Migration`); the
/// last such assignment. Function bodies are not looked into.
pub fn assigned<'t>(root: Node<'t>, src: &str, name: &str) -> Option<Node<'t>> {
    let mut found = None;
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH || node.kind() == "function_definition" {
            continue;
        }
        if node.kind() == "assignment" {
            if let Some(left) = node.child_by_field_name("left")
                && left.kind() == "identifier"
                && text(left, src) == name
                && let Some(right) = node.child_by_field_name("right")
                && found.is_none_or(|f: Node| f.start_byte() < right.start_byte())
            {
                found = Some(right);
            }
            continue;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            stack.push((child, depth + 1));
        }
    }
    found
}

/// A plain string literal's value (no interpolation).
pub fn string_value(node: Node, src: &str) -> Option<String> {
    let lit = string_text(node, src)?;
    (!lit.dynamic).then_some(lit.text)
}

/// The elements of a tuple or list literal (a parenthesized value is one element).
pub fn elements(node: Node) -> Vec<Node> {
    let mut node = node;
    for _ in 0..MAX_DEPTH {
        match node.kind() {
            "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => node = inner,
                None => return Vec::new(),
            },
            "tuple" | "list" => {
                let mut cursor = node.walk();
                return node
                    .named_children(&mut cursor)
                    .filter(|n| n.kind() != "comment")
                    .collect();
            }
            _ => return vec![node],
        }
    }
    Vec::new()
}
