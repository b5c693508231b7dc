//! Control flow around commands: `if`/`elif`, `case`, `&&`/`||` lists, and which branches end the script or only talk (the guards and scopes a command runs under).

use super::*;

impl<'a> Walker<'a> {
    pub(super) fn case_statement(&mut self, node: Node, depth: usize) {
        let id = self.id();
        let subject = node.child_by_field_name("value");
        let subject_guard = subject.and_then(|s| {
            let cond = self.condition(s);
            guards::classify(&cond, &self.st.read_vars, &self.st.confirm_fns)
        });
        let mut cursor = node.walk();
        let items: Vec<Node> = node
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "case_item")
            .collect();
        for item in items {
            let mut c2 = item.walk();
            let value_nodes: Vec<Node> = item.children_by_field_name("value", &mut c2).collect();
            let patterns: Vec<String> = value_nodes
                .iter()
                .map(|v| self.node_text(*v).to_string())
                .collect();
            let value_ids: Vec<usize> = value_nodes.iter().map(|n| n.id()).collect();
            let mut c3 = item.walk();
            let body: Vec<Node> = item
                .named_children(&mut c3)
                .filter(|c| !value_ids.contains(&c.id()))
                .collect();
            // `case "$answer" in y|yes) …`: the branch that runs on a "yes" answer is guarded.
            if let (Some(guard), Some(first), Some(last)) =
                (subject_guard.as_ref(), body.first(), body.last())
                && patterns.iter().any(|p| guards::is_yes_pattern(p))
            {
                self.out.regions.push(Region {
                    span: self
                        .map
                        .span_to_host(Span::new(first.start_byte(), last.end_byte())),
                    context: None,
                    guard: Some(guard.clone()),
                });
            }
            self.with_scope(Scope::CaseBranch { id, patterns }, |w| {
                for child in body {
                    w.statement(child, depth + 1);
                }
            });
        }
    }

    pub(super) fn and_or_list(&mut self, node: Node, depth: usize) {
        // `a && b || c`: b runs after a succeeded, c after a or b failed.
        let mut cursor = node.walk();
        let children: Vec<Node> = node.children(&mut cursor).collect();
        // `[ "$CONFIRM" = yes ] && docker volume rm x`: the right side runs only behind the check.
        if let [left, op, right] = children.as_slice()
            && op.kind() == "&&"
        {
            let cond = self.condition(*left);
            if let Some(guard) = guards::classify(&cond, &self.st.read_vars, &self.st.confirm_fns) {
                self.out.regions.push(Region {
                    span: self.host(*right),
                    context: None,
                    guard: Some(guard),
                });
            }
        }
        let mut pushed = 0;
        let mut from = self.out.commands.len();
        for (k, child) in children.iter().copied().enumerate() {
            if !child.is_named() {
                let op = child.kind();
                // What follows the commands of the left side.
                let after = match op {
                    "&&" => Some(After::And),
                    "||" => Some(After::Or {
                        handler: children
                            .get(k + 1)
                            .map(|n| self.node_text(*n).to_string())
                            .unwrap_or_default(),
                    }),
                    _ => None,
                };
                if let Some(after) = after {
                    self.mark_after(from, &after);
                }
                if op == "&&" || op == "||" {
                    let id = self.id();
                    self.st.scopes.push(Scope::AndOr {
                        id,
                        op: op.to_string(),
                    });
                    pushed += 1;
                }
                continue;
            }
            from = self.out.commands.len();
            self.statement(child, depth + 1);
        }
        for _ in 0..pushed {
            self.st.scopes.pop();
        }
    }

    pub(super) fn if_statement(&mut self, node: Node, depth: usize) {
        let id = self.id();
        let mut branch = 0u32;
        let mut condition = String::new();
        let mut guard: Option<String> = None;
        let mut in_condition = true;
        let mut then_span: Option<Span> = None;
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            match child.kind() {
                "if" => in_condition = true,
                "then" => {
                    in_condition = false;
                    // A positive check (`if [ "$answer" = y ]; then …`) guards its branch; a check
                    // that exits (`if [ "$CONFIRM" != yes ]; then exit 1; fi`) guards what follows.
                    if !self.branch_exits(node)
                        && let Some(cond) = node.child_by_field_name("condition")
                    {
                        let info = self.condition(cond);
                        guard = guards::classify(&info, &self.st.read_vars, &self.st.confirm_fns);
                    }
                }
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
                    let span = self.host(child);
                    then_span = Some(then_span.map_or(span, |s| s.cover(span)));
                    let scope = Scope::IfBranch {
                        id,
                        branch: 0,
                        condition: condition.clone(),
                    };
                    self.with_scope(scope, |w| w.statement(child, depth + 1));
                }
            }
        }
        if let (Some(guard), Some(span)) = (guard, then_span) {
            self.out.regions.push(Region {
                span,
                context: None,
                guard: Some(guard),
            });
        }
    }

    /// Whether the `then` branch of an `if` without `else` leaves the script (`exit`, `return`).
    pub(super) fn branch_exits(&self, if_node: Node) -> bool {
        let mut cursor = if_node.walk();
        let mut after_then = false;
        let mut exits = false;
        for child in if_node.children(&mut cursor) {
            match child.kind() {
                "then" => after_then = true,
                "elif_clause" | "else_clause" => return false,
                "fi" => {}
                _ if after_then && child.is_named() => {
                    // A refusal only talks and leaves; a branch that does work and then exits
                    // (`then docker volume rm x; exit 0`) is the guarded branch itself.
                    if !self.only_talks(child) {
                        return false;
                    }
                    exits |= self.leaves(child);
                }
                _ => {}
            }
        }
        exits
    }

    /// Whether every command in a statement only prints or leaves (`echo …; exit 1`).
    pub(super) fn only_talks(&self, node: Node) -> bool {
        let mut stack = vec![(node, 0usize)];
        while let Some((n, d)) = stack.pop() {
            if n.kind() == "command" {
                let name = n
                    .child_by_field_name("name")
                    .map(|c| self.node_text(c))
                    .unwrap_or("");
                let talks = matches!(
                    name,
                    "echo"
                        | "printf"
                        | "exit"
                        | "return"
                        | "die"
                        | "abort"
                        | "fail"
                        | "usage"
                        | "log"
                        | "error"
                        | "warn"
                        | "err"
                        | "fatal"
                        | "cat"
                        | "logger"
                );
                if !talks {
                    return false;
                }
                continue;
            }
            if d > 8 {
                continue;
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor).map(|c| (c, d + 1)));
        }
        true
    }

    /// Whether a statement ends in `exit`/`return` (or a `die`-style helper).
    pub(super) fn leaves(&self, node: Node) -> bool {
        let mut stack = vec![(node, 0usize)];
        while let Some((n, d)) = stack.pop() {
            if n.kind() == "command" {
                let name = n
                    .child_by_field_name("name")
                    .map(|c| self.node_text(c))
                    .unwrap_or("");
                if matches!(name, "exit" | "return" | "die" | "abort" | "fail" | "usage") {
                    return true;
                }
                continue;
            }
            if d > 8 || matches!(n.kind(), "if_statement" | "function_definition") {
                continue;
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor).map(|c| (c, d + 1)));
        }
        false
    }

    /// A statement that exits unless a confirmation holds: its guard's name.
    pub(super) fn exit_guard(&self, node: Node) -> Option<String> {
        let cond = match node.kind() {
            "list" => {
                let mut cursor = node.walk();
                let children: Vec<Node> = node.children(&mut cursor).collect();
                let [left, op, right] = children.as_slice() else {
                    return None;
                };
                if op.kind() != "||" || !self.leaves(*right) {
                    return None;
                }
                *left
            }
            "if_statement" => {
                if !self.branch_exits(node) {
                    return None;
                }
                node.child_by_field_name("condition")?
            }
            _ => return None,
        };
        let info = self.condition(cond);
        guards::classify(&info, &self.st.read_vars, &self.st.confirm_fns)
    }

    /// The variables, literal words and commands a condition mentions.
    pub(super) fn condition(&self, node: Node) -> guards::Condition {
        let mut info = guards::Condition::default();
        let mut stack = vec![(node, 0usize)];
        while let Some((n, d)) = stack.pop() {
            match n.kind() {
                "simple_expansion" | "expansion" => {
                    // `$answer`, `${CONFIRM:-no}`, `${1:-}` → `answer`, `CONFIRM`, `1`.
                    // In `" $1 "` the grammar starts the expansion at the space before it.
                    let text = self.node_text(n).trim_start().trim_start_matches('$');
                    let text = text.strip_prefix('{').unwrap_or(text);
                    let name: String = text
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let name = if name.is_empty() {
                        text.chars().take(1).collect()
                    } else {
                        name
                    };
                    info.vars.push(name);
                    continue;
                }
                "word" | "raw_string" | "string_content" | "regex" | "extglob_pattern" => {
                    info.words
                        .push(self.node_text(n).trim_matches(['\'', '"']).to_string());
                    continue;
                }
                "command" => {
                    if let Some(name) = n.child_by_field_name("name") {
                        info.commands.push(self.node_text(name).to_string());
                    }
                }
                _ => {}
            }
            if d > 16 {
                continue;
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor).map(|c| (c, d + 1)));
        }
        info
    }

    pub(super) fn elif(&mut self, node: Node, id: u32, branch: u32, depth: usize) {
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
}
