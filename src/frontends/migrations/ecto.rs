//! Ecto migrations (`priv/repo/migrations/*.exs`), read with tree-sitter-elixir: `def change`
//! and `def up` run on the way up, `def down` on rollback. `drop table(:t)`,
//! `drop_if_exists table(:t)`, `rename table(:a), to: table(:b)`, `rename table(:t), :a, to: :b`,
//! `alter table(:t) do remove :c; modify :c, :type, size: n, from: … end` become schema changes;
//! `create table(:t) do add :c, :type … end` and `add` in `alter` declare types; `execute "SQL"`
//! (the first argument of `execute(up, down)`) and `repo().query!("SQL")` are SQL.

use tree_sitter::Node;

use super::lit::{Lit, children, lookup, sized, span, text, walk, written};
use crate::classify::Framework;
use crate::frontends::sql::Session;
use crate::model::FileFacts;
use crate::model::schema::{AlterAction, ObjectKind, SchemaOp, SqlName};
use crate::model::types::TypeSpec;
use crate::source::Span;
use crate::syntax::{Grammar, parse_tree};

/// Ecto migration types in SQL (Postgres adapter); `%` takes `size:`/`precision:`(+`scale:`).
const ECTO_TYPES: &[(&str, &str)] = &[
    ("string", "varchar(%255)"),
    ("text", "text"),
    ("citext", "citext"),
    ("integer", "integer"),
    ("bigint", "bigint"),
    ("id", "bigint"),
    ("smallint", "smallint"),
    ("serial", "serial"),
    ("bigserial", "bigserial"),
    ("decimal", "numeric(%)"),
    ("numeric", "numeric(%)"),
    ("float", "double precision"),
    ("boolean", "boolean"),
    ("date", "date"),
    ("time", "time"),
    ("naive_datetime", "timestamp"),
    ("naive_datetime_usec", "timestamp"),
    ("utc_datetime", "timestamp"),
    ("utc_datetime_usec", "timestamp"),
    ("timestamp", "timestamp"),
    ("timestamptz", "timestamptz"),
    ("map", "jsonb"),
    ("jsonb", "jsonb"),
    ("json", "json"),
    ("binary", "bytea"),
    ("uuid", "uuid"),
    ("binary_id", "uuid"),
];

/// Read one Ecto migration file into `facts`.
pub fn extract(facts: &mut FileFacts) {
    let src = facts.file.text.clone();
    let Some(tree) = parse_tree(Grammar::Elixir, &src) else {
        return;
    };
    let mut down = Vec::new();
    let mut calls = Vec::new();
    walk(tree.root_node(), |node| {
        if node.kind() != "call" {
            return true;
        }
        if target(node, &src) == Some("def") {
            let name = args(node).first().map(|a| {
                let n = if a.kind() == "call" {
                    a.child_by_field_name("target").unwrap_or(*a)
                } else {
                    *a
                };
                text(n, &src)
            });
            if name == Some("down") {
                down.push((node.start_byte(), node.end_byte()));
            }
        }
        calls.push(node);
        true
    });
    let mut session = super::session(facts, Framework::Ecto, down);
    // Calls inside an `alter`/`create` block are read with their table, not on their own.
    let mut inside: Vec<(usize, usize)> = Vec::new();
    for node in calls {
        if inside
            .iter()
            .any(|&(s, e)| s <= node.start_byte() && node.end_byte() <= e && node.start_byte() != s)
        {
            continue;
        }
        if let Some(block) = call(node, &src, &mut session) {
            inside.push(block);
        }
    }
    session.finish(facts);
}

fn target<'s>(node: Node, src: &'s str) -> Option<&'s str> {
    let t = node.child_by_field_name("target")?;
    (t.kind() == "identifier").then(|| text(t, src))
}

/// A call's arguments, keyword lists flattened into their pairs at the end.
fn args(node: Node) -> Vec<Node> {
    children(node)
        .into_iter()
        .find(|c| c.kind() == "arguments")
        .map(children)
        .unwrap_or_default()
}

/// The `key:` value of a call's keyword arguments.
fn keyword<'t>(list: &[Node<'t>], key: &str, src: &str) -> Option<Node<'t>> {
    list.iter()
        .filter(|n| n.kind() == "keywords")
        .flat_map(|k| children(*k))
        .find_map(|pair| {
            let k = pair.child_by_field_name("key")?;
            (text(k, src).trim().trim_end_matches(':') == key)
                .then(|| pair.child_by_field_name("value"))
                .flatten()
        })
}

/// An atom (`:orders`) or a string (`"orders"`) as a name.
fn name(node: Node, src: &str) -> Option<SqlName> {
    match node.kind() {
        "atom" => {
            let t = text(node, src);
            let bare = t.trim_start_matches(':');
            let start = node.end_byte() - bare.len();
            Some(SqlName::new(
                bare.to_string(),
                Span::new(start, node.end_byte()),
            ))
        }
        "string" | "quoted_atom" => {
            let lit = string(node, src)?;
            Some(SqlName::new(lit.text, lit.span))
        }
        _ => None,
    }
}

/// `table(:orders)` (or `table("orders", prefix: …)`): the table's name.
fn table(node: Node, src: &str) -> Option<SqlName> {
    if node.kind() != "call" || target(node, src) != Some("table") {
        return None;
    }
    name(*args(node).first()?, src)
}

/// An Elixir string or sigil, decoded: escapes, `#{…}` read as a `${…}` placeholder.
fn string(node: Node, src: &str) -> Option<Lit> {
    if !matches!(node.kind(), "string" | "sigil" | "quoted_atom") {
        return None;
    }
    let raw_sigil = node.kind() == "sigil"
        && children(node)
            .iter()
            .any(|c| c.kind() == "sigil_name" && text(*c, src).starts_with(char::is_uppercase));
    let parts = children(node);
    let first = parts.iter().find(|p| p.kind() != "sigil_name");
    let last = parts.iter().rev().find(|p| p.kind() != "sigil_modifiers");
    let mut lit = Lit {
        span: match (first, last) {
            (Some(f), Some(l)) => Span::new(f.start_byte(), l.end_byte().max(f.start_byte())),
            _ => span(node),
        },
        ..Lit::default()
    };
    for part in parts {
        match part.kind() {
            "quoted_content" => lit.push_verbatim(src, part.start_byte(), part.end_byte()),
            "escape_sequence" if raw_sigil => {
                lit.push_verbatim(src, part.start_byte(), part.end_byte());
            }
            "escape_sequence" => lit.push_escaped(src, part.start_byte(), part.end_byte()),
            "interpolation" => {
                lit.push_char('$', part.start_byte());
                lit.push_verbatim(src, part.start_byte() + 1, part.end_byte());
            }
            _ => {}
        }
    }
    Some(lit)
}

/// An Ecto type (`:string` with `size: 50`) in SQL; `opts` are the keyword arguments.
fn ecto_type(ty: Node, opts: &[Node], src: &str) -> Option<TypeSpec> {
    // `from: {:text, null: true}`: the type is the tuple's first element.
    if ty.kind() == "tuple" {
        let items = children(ty);
        return ecto_type(*items.first()?, &items[1..], src);
    }
    if ty.kind() != "atom" {
        return None;
    }
    let atom = text(ty, src).trim_start_matches(':');
    let pattern = lookup(ECTO_TYPES, atom)?;
    let size = keyword(opts, "size", src).or_else(|| keyword(opts, "precision", src));
    let scale = keyword(opts, "scale", src);
    let sql = sized(
        pattern,
        size.map(|s| text(s, src)),
        scale.map(|s| text(s, src)),
    );
    let shown = match size {
        Some(size) => format!(":{atom}, size: {}", text(size, src)),
        None => format!(":{atom}"),
    };
    Some(TypeSpec::framework(shown, sql))
}

fn drop_op(name: SqlName, if_exists: bool) -> SchemaOp {
    SchemaOp::Drop {
        object: ObjectKind::Table,
        names: vec![name],
        if_exists,
        cascade: false,
        temporary: false,
    }
}

/// Read one call; returns the span of its `do` block when the calls inside were read with it.
fn call(node: Node, src: &str, session: &mut Session) -> Option<(usize, usize)> {
    let method = target(node, src)?;
    let list = args(node);
    let at = span(node);
    let shown = || written(text(node, src).lines().next().unwrap_or(""));
    match method {
        "drop" | "drop_if_exists" => {
            let name = table(*list.first()?, src)?;
            session.push(drop_op(name, method == "drop_if_exists"), at, at, &shown());
        }
        "rename" => {
            let table = table(*list.first()?, src)?;
            let to = keyword(&list, "to", src)?;
            let action = match (list.get(1).filter(|n| n.kind() != "keywords"), to.kind()) {
                (Some(column), _) => AlterAction::RenameColumn {
                    from: name(*column, src)?,
                    to: name(to, src)?,
                    span: at,
                },
                (None, "call") => AlterAction::RenameTable {
                    to: self::table(to, src)?,
                    span: at,
                },
                _ => return None,
            };
            let op = SchemaOp::AlterTable {
                table,
                actions: vec![action],
            };
            session.push(op, at, at, &shown());
        }
        "execute" => {
            let lit = string(*list.first()?, src)?;
            session.sql(&lit.text, &lit.map);
        }
        "query" | "query!" => {
            let lit = list.iter().find_map(|a| string(*a, src))?;
            session.sql(&lit.text, &lit.map);
        }
        "alter" | "create" | "create_if_not_exists" => {
            let table = table(*list.first()?, src)?;
            let block = children(node).into_iter().find(|c| c.kind() == "do_block");
            if method != "alter" {
                let op = SchemaOp::Create {
                    object: ObjectKind::Table,
                    name: table.clone(),
                    temporary: false,
                };
                session.push(op, at, at, &shown());
            }
            let block = block?;
            walk(block, |inner| {
                if inner.kind() == "call" {
                    column_call(inner, &table, src, session);
                    return false;
                }
                true
            });
            return Some((node.start_byte(), node.end_byte()));
        }
        _ => {}
    }
    None
}

/// A call inside `alter table(…) do … end`: `remove`, `modify`, `add`.
fn column_call(node: Node, table: &SqlName, src: &str, session: &mut Session) {
    let Some(method) = target(node, src) else {
        return;
    };
    let list = args(node);
    let at = span(node);
    let shown = written(text(node, src));
    let Some(column) = list.first().and_then(|c| name(*c, src)) else {
        return;
    };
    match method {
        "remove" | "remove_if_exists" => {
            let action = AlterAction::DropColumn { column, span: at };
            let op = SchemaOp::AlterTable {
                table: table.clone(),
                actions: vec![action],
            };
            session.push(op, at, at, &shown);
        }
        "modify" => {
            let Some(to) = list.get(1).and_then(|t| ecto_type(*t, &list, src)) else {
                return;
            };
            if let Some(from) = keyword(&list, "from", src).and_then(|f| ecto_type(f, &[], src)) {
                session.declare(&table.key, &column.key, &from, at.start());
            }
            let action = AlterAction::AlterType {
                column,
                from: None,
                to,
                span: at,
            };
            let op = SchemaOp::AlterTable {
                table: table.clone(),
                actions: vec![action],
            };
            session.push(op, at, at, &shown);
        }
        "add" | "add_if_not_exists" => {
            if let Some(ty) = list.get(1).and_then(|t| ecto_type(*t, &list, src)) {
                session.declare(&table.key, &column.key, &ty, at.start());
            }
        }
        _ => {}
    }
}
