//! Rails (ActiveRecord) migrations, read with tree-sitter-ruby: `change`, `up` and
//! `reversible { dir.up }` run up, `down` and `dir.down` run down. Schema calls
//! (`remove_column`, `drop_table`, `change_table { t.remove … }`, …) become schema changes;
//! `execute "SQL"` (strings, `%{…}`, heredocs, a local variable holding one) is SQL; column types
//! declared by `create_table`/`add_column`/`t.string` are remembered for later `change_column`s.

use tree_sitter::Node;

use super::emit::{self, Call};
use super::literal::{Lit, name_value, span, string_text};
use super::types::{self, RAILS, Written};
use crate::classify::Framework;
use crate::frontends::sql::Session;
use crate::model::FileFacts;
use crate::model::schema::SqlName;
use crate::model::types::TypeSpec;
use crate::syntax::{Grammar, parse_tree};

/// Deeper trees are not walked (stack safety on generated code).
const MAX_DEPTH: usize = 200;

/// Read one Rails migration file into `facts`.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let Some(tree) = parse_tree(Grammar::Ruby, &text) else {
        return;
    };
    let root = tree.root_node();
    let mut layout = Layout::default();
    layout.scan(root, &text, 0);
    let down = std::mem::take(&mut layout.down);
    let mut session = super::session(facts, Framework::Rails, down);
    let mut reader = Reader {
        src: &text,
        session: &mut session,
        layout,
    };
    reader.visit(root, None, 0);
    session.finish(facts);
}

/// What a first pass finds: down sections and heredocs (a heredoc's body is not inside the call
/// that names it; beginnings and bodies pair up in file order).
#[derive(Default)]
pub(in crate::frontends) struct Layout<'t> {
    down: Vec<(usize, usize)>,
    beginnings: Vec<usize>,
    bodies: Vec<Node<'t>>,
}

impl<'t> Layout<'t> {
    pub(in crate::frontends) fn scan(&mut self, node: Node<'t>, src: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match node.kind() {
            "method" | "singleton_method" if field_text(node, "name", src) == Some("down") => {
                self.down.push((node.start_byte(), node.end_byte()));
            }
            // `reversible do |dir| dir.down { … } end`
            "call"
                if field_text(node, "method", src) == Some("down")
                    && node
                        .child_by_field_name("receiver")
                        .is_some_and(|r| r.kind() == "identifier") =>
            {
                if let Some(block) = node.child_by_field_name("block") {
                    self.down.push((block.start_byte(), block.end_byte()));
                }
            }
            "heredoc_beginning" => self.beginnings.push(node.start_byte()),
            "heredoc_body" => self.bodies.push(node),
            _ => {}
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.scan(child, src, depth + 1);
        }
    }

    fn heredoc(&self, beginning: Node) -> Option<Node<'t>> {
        let i = self
            .beginnings
            .iter()
            .position(|&b| b == beginning.start_byte())?;
        self.bodies.get(i).copied()
    }
}

fn field_text<'s>(node: Node, field: &str, src: &'s str) -> Option<&'s str> {
    let n = node.child_by_field_name(field)?;
    src.get(n.start_byte()..n.end_byte())
}

fn text<'s>(node: Node, src: &'s str) -> &'s str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// The table a `create_table`/`change_table` block works on, and its block variable.
struct TableBlock {
    var: String,
    table: SqlName,
}

struct Reader<'a, 't> {
    src: &'t str,
    session: &'a mut Session,
    layout: Layout<'t>,
}

/// A call's parts: positional arguments and `key: value` options.
struct Args<'t> {
    positional: Vec<Node<'t>>,
    options: Vec<(String, Node<'t>)>,
}

impl<'t> Args<'t> {
    fn of(call: Node<'t>, src: &str) -> Self {
        let mut args = Args {
            positional: Vec::new(),
            options: Vec::new(),
        };
        let Some(list) = call.child_by_field_name("arguments") else {
            return args;
        };
        let mut cursor = list.walk();
        for child in list.named_children(&mut cursor) {
            match child.kind() {
                "pair" => args.pair(child, src),
                "hash" => {
                    let mut c = child.walk();
                    for pair in child.named_children(&mut c) {
                        if pair.kind() == "pair" {
                            args.pair(pair, src);
                        }
                    }
                }
                "comment" => {}
                _ => args.positional.push(child),
            }
        }
        args
    }

    fn pair(&mut self, pair: Node<'t>, src: &str) {
        let (Some(key), Some(value)) = (
            pair.child_by_field_name("key"),
            pair.child_by_field_name("value"),
        ) else {
            return;
        };
        let key = text(key, src)
            .trim_start_matches(':')
            .trim_end_matches(':')
            .to_string();
        self.options.push((key, value));
    }

    fn option(&self, key: &str) -> Option<Node<'t>> {
        self.options.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    fn flag(&self, key: &str, src: &str) -> bool {
        self.option(key).is_some_and(|v| text(v, src) != "false")
    }

    fn number(&self, key: &str, src: &str) -> Option<u64> {
        self.option(key)
            .and_then(|v| text(v, src).replace('_', "").parse().ok())
    }

    fn name(&self, i: usize, src: &str) -> Option<SqlName> {
        name_value(*self.positional.get(i)?, src)
    }

    /// Every positional name from `from` on.
    fn names_from(&self, from: usize, src: &str) -> Vec<SqlName> {
        self.positional
            .iter()
            .skip(from)
            .filter_map(|n| name_value(*n, src))
            .collect()
    }
}

impl<'a, 't> Reader<'a, 't> {
    fn visit(&mut self, node: Node<'t>, block: Option<&TableBlock>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if node.kind() == "call" && self.call(node, block, depth) {
            return;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.visit(child, block, depth + 1);
        }
    }

    /// Read a call; `true` when it (and its block) has been read completely.
    fn call(&mut self, node: Node<'t>, block: Option<&TableBlock>, depth: usize) -> bool {
        let src = self.src;
        let Some(method) = field_text(node, "method", src) else {
            return false;
        };
        let receiver = node.child_by_field_name("receiver");
        let args = Args::of(node, src);
        let call = Call::new(node, src);
        if matches!(
            method,
            "execute" | "exec_query" | "exec_update" | "exec_delete"
        ) {
            if let Some(lit) = args
                .positional
                .first()
                .and_then(|a| self.sql_text(*a, node))
            {
                self.session.sql(&lit.text, &lit.map);
            }
            return true;
        }
        if let (Some(receiver), Some(block)) = (receiver, block)
            && text(receiver, src) == block.var
        {
            self.table_call(call, method, &args, block);
            return true;
        }
        if receiver.is_some_and(|r| r.kind() != "self") {
            return false;
        }
        let s = &mut *self.session;
        match method {
            "remove_column" | "remove_columns" => {
                if let Some(table) = args.name(0, src) {
                    emit::drop_columns(
                        s,
                        call,
                        table,
                        args.names_from(1, src)
                            .into_iter()
                            .take(if method == "remove_column" {
                                1
                            } else {
                                usize::MAX
                            })
                            .collect(),
                    );
                }
            }
            "remove_reference" | "remove_belongs_to" | "remove_references" => {
                if let (Some(table), Some(reference)) = (args.name(0, src), args.positional.get(1))
                {
                    let columns = reference_columns(*reference, &args, src);
                    emit::drop_columns(s, call, table, columns);
                }
            }
            "remove_timestamps" => {
                if let Some(table) = args.name(0, src) {
                    let at = span(node);
                    let columns = ["created_at", "updated_at"]
                        .map(|c| emit::derived(c.to_string(), at))
                        .to_vec();
                    emit::drop_columns(s, call, table, columns);
                }
            }
            "drop_table" => {
                let if_exists = args.flag("if_exists", src);
                emit::drop_tables(s, call, args.names_from(0, src), if_exists);
                // The block only restates the columns, for a rollback.
                return true;
            }
            "drop_join_table" => {
                let name = match args.option("table_name").and_then(|v| name_value(v, src)) {
                    Some(name) => Some(name),
                    None => join_table(&args, src, node),
                };
                if let Some(name) = name {
                    emit::drop_tables(s, call, vec![name], args.flag("if_exists", src));
                }
                return true;
            }
            "rename_column" => {
                if let (Some(table), Some(from), Some(to)) =
                    (args.name(0, src), args.name(1, src), args.name(2, src))
                {
                    emit::rename_column(s, call, table, from, to);
                }
            }
            "rename_table" => {
                if let (Some(from), Some(to)) = (args.name(0, src), args.name(1, src)) {
                    emit::rename_table(s, call, from, to);
                }
            }
            "change_column" => {
                if let (Some(table), Some(column), Some(ty)) = (
                    args.name(0, src),
                    args.name(1, src),
                    column_type(args.positional.get(2).copied(), &args, src),
                ) {
                    emit::alter_type(s, call, table, column, ty, None);
                }
            }
            "add_column" => {
                if let (Some(table), Some(column), Some(ty)) = (
                    args.name(0, src),
                    args.name(1, src),
                    column_type(args.positional.get(2).copied(), &args, src),
                ) {
                    s.declare(&table.key, &column.key, &ty, node.start_byte());
                }
            }
            "add_reference" | "add_belongs_to" => {
                if let (Some(table), Some(reference)) = (args.name(0, src), args.name(1, src)) {
                    let column = format!("{}_id", reference.key);
                    s.declare(
                        &table.key,
                        &column,
                        &TypeSpec::framework("references", "bigint"),
                        node.start_byte(),
                    );
                }
            }
            "create_table" | "create_join_table" | "change_table" => {
                let name = match method {
                    "create_join_table" => match args.option("table_name") {
                        Some(v) => name_value(v, src),
                        None => join_table(&args, src, node),
                    },
                    _ => args.name(0, src),
                };
                let Some(name) = name else {
                    return false;
                };
                if method != "change_table" {
                    emit::create_table(s, call, name.clone());
                }
                if let Some(body) = node.child_by_field_name("block") {
                    let var = block_var(body, src).unwrap_or_default();
                    let table = TableBlock { var, table: name };
                    self.visit(body, Some(&table), depth + 1);
                }
                return true;
            }
            _ => return false,
        }
        true
    }

    /// `t.remove :a` / `t.rename :a, :b` / `t.change :a, :string` / `t.string :a` inside a
    /// `create_table` or `change_table` block.
    fn table_call(&mut self, call: Call, method: &str, args: &Args<'t>, block: &TableBlock) {
        let src = self.src;
        let table = block.table.clone();
        let s = &mut *self.session;
        let at = call.node.start_byte();
        match method {
            "remove" => emit::drop_columns(s, call, table, args.names_from(0, src)),
            "remove_references" | "remove_reference" | "remove_belongs_to" => {
                let columns = args
                    .positional
                    .iter()
                    .flat_map(|r| reference_columns(*r, args, src))
                    .collect();
                emit::drop_columns(s, call, table, columns);
            }
            "remove_timestamps" => {
                let columns = ["created_at", "updated_at"]
                    .map(|c| emit::derived(c.to_string(), span(call.node)))
                    .to_vec();
                emit::drop_columns(s, call, table, columns);
            }
            "rename" => {
                if let (Some(from), Some(to)) = (args.name(0, src), args.name(1, src)) {
                    emit::rename_column(s, call, table, from, to);
                }
            }
            "change" => {
                if let (Some(column), Some(ty)) = (
                    args.name(0, src),
                    column_type(args.positional.get(1).copied(), args, src),
                ) {
                    emit::alter_type(s, call, table, column, ty, None);
                }
            }
            "column" => {
                if let (Some(column), Some(ty)) = (
                    args.name(0, src),
                    column_type(args.positional.get(1).copied(), args, src),
                ) {
                    s.declare(&table.key, &column.key, &ty, at);
                }
            }
            "references" | "belongs_to" => {
                for reference in args.names_from(0, src) {
                    let column = format!("{}_id", reference.key);
                    let ty = TypeSpec::framework(method, "bigint");
                    s.declare(&table.key, &column, &ty, at);
                }
            }
            _ => {
                let Some(ty) = typed(method, args, src) else {
                    return;
                };
                for column in args.names_from(0, src) {
                    s.declare(&table.key, &column.key, &ty, at);
                }
            }
        }
    }

    /// The SQL text an `execute` argument holds: a string, a heredoc, `%{…}.squish`, or a local
    /// variable assigned one earlier in the same method.
    fn sql_text(&self, arg: Node<'t>, call: Node<'t>) -> Option<Lit> {
        sql_text_in(&self.layout, self.src, arg, call, 0)
    }
}

/// The SQL text an argument of `call` holds (see [`Reader::sql_text`]), heredocs found through
/// `layout`.
pub(in crate::frontends) fn sql_text_in<'t>(
    layout: &Layout<'t>,
    src: &'t str,
    arg: Node<'t>,
    call: Node<'t>,
    depth: usize,
) -> Option<Lit> {
    if depth > 4 {
        return None;
    }
    match arg.kind() {
        "heredoc_beginning" => string_text(layout.heredoc(arg)?, src),
        "call"
            if field_text(arg, "method", src).is_some_and(|m| {
                matches!(
                    m,
                    "squish" | "strip" | "strip_heredoc" | "freeze" | "dup" | "chomp"
                )
            }) =>
        {
            sql_text_in(
                layout,
                src,
                arg.child_by_field_name("receiver")?,
                call,
                depth + 1,
            )
        }
        "identifier" => {
            let value = assigned_before(arg, call, src)?;
            sql_text_in(layout, src, value, call, depth + 1)
        }
        _ => string_text(arg, src),
    }
}

/// The value last assigned to the local variable `var` before `call`, in the same method.
fn assigned_before<'t>(var: Node<'t>, call: Node<'t>, src: &str) -> Option<Node<'t>> {
    let name = text(var, src);
    let mut scope = call.parent()?;
    while !matches!(scope.kind(), "method" | "singleton_method" | "program") {
        scope = scope.parent()?;
    }
    let mut found = None;
    let mut stack = vec![scope];
    let mut budget = 10_000;
    while let Some(node) = stack.pop() {
        budget -= 1;
        if budget == 0 {
            break;
        }
        if node.start_byte() >= call.start_byte() {
            continue;
        }
        if node.kind() == "assignment"
            && node
                .child_by_field_name("left")
                .is_some_and(|l| text(l, src) == name)
            && let Some(right) = node.child_by_field_name("right")
            && found.is_none_or(|f: Node| f.start_byte() < right.start_byte())
        {
            found = Some(right);
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    found
}

/// The variable of a `do |t| … end` / `{ |t| … }` block.
fn block_var(block: Node, src: &str) -> Option<String> {
    let params = block.child_by_field_name("parameters")?;
    let mut cursor = params.walk();
    let first = params.named_children(&mut cursor).next()?;
    Some(text(first, src).to_string())
}

/// `drop_join_table :products, :categories` → `categories_products` (Rails sorts the names).
fn join_table(args: &Args, src: &str, call: Node) -> Option<SqlName> {
    let a = args.name(0, src)?;
    let b = args.name(1, src)?;
    let mut parts = [a.text, b.text];
    parts.sort();
    Some(emit::derived(parts.join("_"), span(call)))
}

/// The columns a reference stands for: `user` → `user_id` (and `user_type` when polymorphic).
fn reference_columns(reference: Node, args: &Args, src: &str) -> Vec<SqlName> {
    let Some(name) = name_value(reference, src) else {
        return Vec::new();
    };
    let at = name.span;
    let mut out = vec![emit::derived(format!("{}_id", name.text), at)];
    if args.flag("polymorphic", src) {
        out.push(emit::derived(format!("{}_type", name.text), at));
    }
    out
}

/// The type of `add_column`/`change_column`/`t.column`: the type symbol and its options (marked
/// restated: a declaration ignores the mark, a change is judged only against an earlier type).
fn column_type(ty: Option<Node>, args: &Args, src: &str) -> Option<TypeSpec> {
    let name = name_value(ty?, src)?;
    let mut spec = typed(&name.text, args, src)?;
    spec.written = std::iter::once(text(ty?, src).to_string())
        .chain(
            args.options
                .iter()
                .filter(|(k, _)| matches!(k.as_str(), "limit" | "precision" | "scale"))
                .map(|(k, v)| format!("{k}: {}", text(*v, src))),
        )
        .collect::<Vec<_>>()
        .join(", ");
    Some(spec)
}

/// A Rails type name with the `limit:`/`precision:`/`scale:` options of `args`.
fn typed(name: &str, args: &Args, src: &str) -> Option<TypeSpec> {
    // `limit: MAX_LENGTH`: the size is not known, nor the type.
    let sized = ["limit", "precision", "scale"];
    if sized
        .iter()
        .any(|k| args.option(k).is_some() && args.number(k, src).is_none())
    {
        return None;
    }
    let limit = args.number("limit", src);
    let sizes = Written {
        first: limit.or(args.number("precision", src)),
        second: args.number("scale", src),
    };
    let sql = match (name, limit) {
        // An integer's limit is its size in bytes.
        ("integer", Some(1..=2)) => "smallint".to_string(),
        ("integer", Some(5..=8)) => "bigint".to_string(),
        ("integer", _) => "integer".to_string(),
        _ => types::sql_of(RAILS, name, sizes)?,
    };
    let written = match limit {
        Some(n) => format!(":{name}, limit: {n}"),
        None => format!(":{name}"),
    };
    // `change_column` restates the column (`limit:`, `null:`, `collation:` along with the
    // type), so the type is often the one the column has: judged against an earlier one.
    Some(TypeSpec::restated(written, sql))
}
