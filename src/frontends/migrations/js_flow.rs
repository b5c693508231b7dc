//! What a JavaScript/TypeScript migration's `up` and `down` reach besides their own bodies:
//! helper methods and functions they call (`await this.postgresDownQueryRunner(queryRunner)`,
//! a per-database split TypeORM projects generate), and SQL held in a local `const` before it
//! is run (`const sql = \`…\`; await queryRunner.query(sql)`).

use std::collections::{BTreeMap, BTreeSet};

use tree_sitter::Node;

use super::lit::{text, walk};

/// A named function of the file: a class method, a function declaration or `const f = () => …`.
struct Callable {
    range: (usize, usize),
    /// Names it calls as `this.name(…)` or `name(…)`.
    calls: BTreeSet<String>,
}

/// The file's callables by name, each name's callables in file order.
fn callables(root: Node, src: &str) -> BTreeMap<String, Vec<Callable>> {
    let mut found: Vec<(String, Node)> = Vec::new();
    walk(root, |node| {
        let name = |field: &str| node.child_by_field_name(field).map(|n| text(n, src));
        match node.kind() {
            "method_definition" | "function_declaration" => {
                if let Some(n) = name("name") {
                    found.push((n.to_string(), node));
                }
            }
            "variable_declarator"
                if node.child_by_field_name("value").is_some_and(|v| {
                    matches!(
                        v.kind(),
                        "arrow_function" | "function_expression" | "function"
                    )
                }) =>
            {
                if let Some(n) = name("name") {
                    found.push((n.to_string(), node));
                }
            }
            _ => {}
        }
        true
    });
    let mut out: BTreeMap<String, Vec<Callable>> = BTreeMap::new();
    for (name, node) in found {
        let mut calls = BTreeSet::new();
        walk(node, |n| {
            if n.kind() == "call_expression"
                && let Some(callee) = n.child_by_field_name("function")
            {
                let called = match callee.kind() {
                    "identifier" => Some(text(callee, src)),
                    "member_expression"
                        if callee
                            .child_by_field_name("object")
                            .is_some_and(|o| o.kind() == "this") =>
                    {
                        callee.child_by_field_name("property").map(|p| text(p, src))
                    }
                    _ => None,
                };
                if let Some(called) = called {
                    calls.insert(called.to_string());
                }
            }
            true
        });
        out.entry(name).or_default().push(Callable {
            range: (node.start_byte(), node.end_byte()),
            calls,
        });
    }
    out
}

/// The names reachable by calls from `start` (itself included).
fn reachable(graph: &BTreeMap<String, Vec<Callable>>, start: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![start.to_string()];
    while let Some(name) = todo.pop() {
        if !graph.contains_key(&name) || !seen.insert(name.clone()) {
            continue;
        }
        for c in &graph[&name] {
            todo.extend(c.calls.iter().filter(|n| !seen.contains(*n)).cloned());
        }
    }
    seen
}

/// The byte ranges of helpers that only `down` calls (directly or through other helpers): they
/// run on rollback. A helper `up` also reaches stays an up part.
pub fn rollback_helpers(root: Node, src: &str) -> Vec<(usize, usize)> {
    let graph = callables(root, src);
    if !graph.contains_key("down") {
        return Vec::new();
    }
    let from_up = reachable(&graph, "up");
    let from_down = reachable(&graph, "down");
    from_down
        .iter()
        .filter(|n| n.as_str() != "down" && n.as_str() != "up" && !from_up.contains(*n))
        .flat_map(|n| graph[n].iter().map(|c| c.range))
        .collect()
}

/// A `const`/`let` holding a string in a function body: its name, scope and value.
pub struct Binding<'t> {
    name: String,
    /// The declaration's start (a use before it does not see it).
    at: usize,
    /// The innermost function or program holding the declaration.
    scope: (usize, usize),
    pub value: Node<'t>,
}

/// Every `const name = <string>` / `let name = <string>` of the file (`var` too) with a
/// string, template or concatenation value (`is_string` decides).
pub fn string_bindings<'t>(
    root: Node<'t>,
    src: &str,
    is_string: impl Fn(Node<'t>) -> bool,
) -> Vec<Binding<'t>> {
    let mut out = Vec::new();
    walk(root, |node| {
        if node.kind() == "variable_declarator"
            && let (Some(name), Some(value)) = (
                node.child_by_field_name("name"),
                node.child_by_field_name("value"),
            )
            && name.kind() == "identifier"
            && is_string(value)
        {
            let mut scope = node;
            while let Some(p) = scope.parent() {
                scope = p;
                if matches!(
                    p.kind(),
                    "function_declaration"
                        | "function_expression"
                        | "function"
                        | "arrow_function"
                        | "method_definition"
                        | "generator_function"
                ) {
                    break;
                }
            }
            out.push(Binding {
                name: text(name, src).to_string(),
                at: node.start_byte(),
                scope: (scope.start_byte(), scope.end_byte()),
                value,
            });
        }
        true
    });
    out
}

/// The string an identifier argument at `use_at` names: the nearest earlier binding of that name
/// whose scope holds the use. `None` for anything else (a parameter, a reassigned `let` is still
/// read at its declaration).
pub fn resolve<'t>(bindings: &[Binding<'t>], arg: Node, src: &str) -> Option<Node<'t>> {
    if arg.kind() != "identifier" {
        return None;
    }
    let name = text(arg, src);
    let at = arg.start_byte();
    bindings
        .iter()
        .filter(|b| b.name == name && b.at < at && b.scope.0 <= at && at < b.scope.1)
        .max_by_key(|b| b.at)
        .map(|b| b.value)
}
