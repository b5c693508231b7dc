//! EF Core migrations (`Migrations/*.cs`), read with tree-sitter-c-sharp: the `Up` method runs on
//! the way up, `Down` on rollback. `migrationBuilder.DropTable/DropColumn/RenameColumn/
//! RenameTable/AlterColumn<T>/DropSchema` become schema changes, `CreateTable` and `AddColumn<T>`
//! declare tables and column types (so a later `AlterColumn` is judged against them), and
//! `Sql("…")` is SQL at its place in the file (also `Sql(sql)` with `sql` a string local of the
//! method or a string field). `DeleteData`/`UpdateData` name their rows by key (seed data):
//! bounded changes, not reported. Arguments are read by name (`table: "Users"`) or
//! by position, as EF's method signatures order them.

use std::collections::HashMap;

use tree_sitter::Node;

use super::lit::{self, Lit, lookup, sized, span, text, walk, written};
use crate::classify::Framework;
use crate::frontends::sql::Session;
use crate::model::FileFacts;
use crate::model::schema::{AlterAction, ObjectKind, SchemaOp, SqlName};
use crate::model::types::TypeSpec;
use crate::source::Span;
use crate::syntax::{Grammar, parse_tree};

/// CLR types (`AlterColumn<T>`, `oldClrType: typeof(T)`) in the SQL spelling the type judge
/// reads; `%` takes `maxLength` (or `precision`, `scale`).
const CLR_TYPES: &[(&str, &str)] = &[
    ("string", "varchar(%)"),
    ("int", "integer"),
    ("Int32", "integer"),
    ("long", "bigint"),
    ("Int64", "bigint"),
    ("short", "smallint"),
    ("Int16", "smallint"),
    ("byte", "tinyint"),
    ("bool", "boolean"),
    ("Boolean", "boolean"),
    ("decimal", "numeric(%)"),
    ("Decimal", "numeric(%)"),
    ("double", "double precision"),
    ("Double", "double precision"),
    ("float", "real"),
    ("Single", "real"),
    ("DateTime", "timestamp"),
    ("DateTimeOffset", "timestamptz"),
    ("DateOnly", "date"),
    ("Guid", "uuid"),
    ("byte[]", "bytea"),
    ("TimeSpan", "interval"),
    ("TimeOnly", "time"),
];

/// Read one EF Core migration file into `facts`.
pub fn extract(facts: &mut FileFacts) {
    let src = facts.file.text.clone();
    let Some(tree) = parse_tree(Grammar::CSharp, &src) else {
        return;
    };
    let mut bodies = Vec::new();
    let mut down = Vec::new();
    walk(tree.root_node(), |node| {
        if node.kind() != "method_declaration" {
            return true;
        }
        let name = node.child_by_field_name("name").map(|n| text(n, &src));
        if let (Some(name @ ("Up" | "Down")), Some(body)) = (name, node.child_by_field_name("body"))
        {
            if name == "Down" {
                down.push((node.start_byte(), node.end_byte()));
            }
            bodies.push(body);
        }
        false
    });
    let mut session = super::session(facts, Framework::EfCore, down);
    let strings = string_bindings(tree.root_node(), &src);
    for body in bodies {
        walk(body, |node| {
            if node.kind() == "invocation_expression" {
                return !call(node, &src, &strings, &mut session);
            }
            true
        });
    }
    session.finish(facts);
}

/// A string held in a local (`var sql = @"…";`) or a field (`const string Sql = "…";`).
struct Binding<'t> {
    name: String,
    at: usize,
    /// The method body holding a local; `None` for a field (seen by every method).
    scope: Option<(usize, usize)>,
    value: Node<'t>,
}

/// Every variable or field of the file initialised with a string literal.
fn string_bindings<'t>(root: Node<'t>, src: &str) -> Vec<Binding<'t>> {
    let mut out = Vec::new();
    walk(root, |node| {
        if node.kind() != "variable_declarator" {
            return true;
        }
        let Some(name) = node.child_by_field_name("name") else {
            return true;
        };
        let value = lit::children(node)
            .into_iter()
            .rfind(|c| *c != name && string(*c, src).is_some());
        if let Some(value) = value {
            let mut scope = None;
            let mut up = node.parent();
            while let Some(p) = up {
                if matches!(
                    p.kind(),
                    "block" | "method_declaration" | "constructor_declaration"
                ) {
                    scope = Some((p.start_byte(), p.end_byte()));
                    break;
                }
                if p.kind() == "field_declaration" {
                    break;
                }
                up = p.parent();
            }
            out.push(Binding {
                name: text(name, src).to_string(),
                at: node.start_byte(),
                scope,
                value,
            });
        }
        true
    });
    out
}

/// The string an identifier argument names: the nearest earlier local of that name in the
/// same method, else a field of that name.
fn resolve<'t>(bindings: &[Binding<'t>], arg: Node, src: &str) -> Option<Node<'t>> {
    if arg.kind() != "identifier" {
        return None;
    }
    let (name, at) = (text(arg, src), arg.start_byte());
    let local = bindings
        .iter()
        .filter(|b| b.name == name && b.at < at)
        .filter(|b| b.scope.is_some_and(|(s, e)| s <= at && at < e))
        .max_by_key(|b| b.at);
    local
        .or_else(|| {
            bindings
                .iter()
                .find(|b| b.name == name && b.scope.is_none())
        })
        .map(|b| b.value)
}

/// An invocation's method name, its generic argument and its arguments (positional, named).
struct Call<'t> {
    method: String,
    generic: Option<String>,
    positional: Vec<Node<'t>>,
    named: HashMap<String, Node<'t>>,
}

impl<'t> Call<'t> {
    fn read(node: Node<'t>, src: &str) -> Option<Call<'t>> {
        let function = node.child_by_field_name("function")?;
        if function.kind() != "member_access_expression" {
            return None;
        }
        let name = function.child_by_field_name("name")?;
        let (method, generic) = if name.kind() == "generic_name" {
            let kids = lit::children(name);
            let id = kids.iter().find(|k| k.kind() == "identifier")?;
            let generic = kids
                .iter()
                .find(|k| k.kind() == "type_argument_list")
                .and_then(|l| lit::children(*l).first().map(|t| text(*t, src).to_string()));
            (text(*id, src).to_string(), generic)
        } else {
            (text(name, src).to_string(), None)
        };
        let mut positional = Vec::new();
        let mut named = HashMap::new();
        if let Some(args) = node.child_by_field_name("arguments") {
            for arg in lit::children(args) {
                let value = lit::children(arg)
                    .into_iter()
                    .rfind(|c| Some(*c) != arg.child_by_field_name("name"));
                let Some(value) = value else { continue };
                match arg.child_by_field_name("name") {
                    Some(n) => {
                        named.insert(text(n, src).to_string(), value);
                    }
                    None => positional.push(value),
                }
            }
        }
        Some(Call {
            method,
            generic,
            positional,
            named,
        })
    }

    fn arg(&self, name: &str, position: usize) -> Option<Node<'t>> {
        self.named
            .get(name)
            .copied()
            .or_else(|| self.positional.get(position).copied())
    }

    fn string(&self, name: &str, position: usize, src: &str) -> Option<Lit> {
        string(self.arg(name, position)?, src)
    }

    fn name(&self, name: &str, position: usize, src: &str) -> Option<SqlName> {
        let lit = self.string(name, position, src)?;
        Some(SqlName::new(lit.text, lit.span))
    }

    /// A literal argument as written (`50`, `true`), not strings.
    fn raw(&self, name: &str, src: &str) -> Option<String> {
        let node = self.named.get(name)?;
        Some(text(*node, src).trim().to_string())
    }
}

/// A C# string literal (regular, verbatim `@"…"`, raw `"""…"""`, interpolated `$"…{x}…"`),
/// decoded; `span` is its content.
fn string(node: Node, src: &str) -> Option<Lit> {
    let (start, end) = (node.start_byte(), node.end_byte());
    let raw = text(node, src);
    match node.kind() {
        "string_literal" => {
            let open = raw.find('"')? + 1;
            let close = raw.rfind('"')?;
            let mut lit = Lit {
                span: Span::new(start + open, start + close.max(open)),
                ..Lit::default()
            };
            lit.push_escaped(src, start + open, start + close.max(open));
            Some(lit)
        }
        "verbatim_string_literal" => {
            let open = raw.find('"')? + 1;
            let close = raw.rfind('"')?.max(open);
            let mut lit = Lit {
                span: Span::new(start + open, start + close),
                ..Lit::default()
            };
            let body = &raw[open..close];
            let mut run = 0;
            let mut i = 0;
            while let Some(q) = body[i..].find("\"\"") {
                let at = i + q;
                lit.push_verbatim(src, start + open + run, start + open + at);
                lit.push_char('"', start + open + at);
                run = at + 2;
                i = run;
            }
            lit.push_verbatim(src, start + open + run, start + close);
            Some(lit)
        }
        "raw_string_literal" => {
            let content = lit::children(node)
                .into_iter()
                .find(|c| c.kind() == "raw_string_content")?;
            Some(Lit::verbatim(src, content.start_byte(), content.end_byte()))
        }
        "interpolated_string_expression" => {
            let mut lit = Lit {
                span: Span::new(start, end),
                ..Lit::default()
            };
            let verbatim = raw.starts_with("$@") || raw.starts_with("@$");
            for part in lit::children(node) {
                match part.kind() {
                    "string_content" if verbatim => {
                        lit.push_verbatim(src, part.start_byte(), part.end_byte());
                    }
                    "string_content" | "escape_sequence" => {
                        lit.push_escaped(src, part.start_byte(), part.end_byte());
                    }
                    "interpolation" => {
                        // `{x}` reads as the placeholder `${x}`.
                        lit.push_char('$', part.start_byte());
                        lit.push_verbatim(src, part.start_byte(), part.end_byte());
                    }
                    _ => {}
                }
            }
            Some(lit)
        }
        "parenthesized_expression" => string(*lit::children(node).first()?, src),
        "binary_expression" => {
            let kids = lit::children(node);
            let mut lit = string(*kids.first()?, src)?;
            let right = string(*kids.last()?, src)?;
            lit.append(&right, src);
            Some(lit)
        }
        _ => None,
    }
}

/// A CLR type name (`string`, `int?`, `typeof(long)`) with its size arguments, in SQL.
fn clr_sql(clr: &str, size: Option<&str>, scale: Option<&str>) -> Option<String> {
    let clr = clr
        .trim()
        .trim_start_matches("typeof(")
        .trim_end_matches(')')
        .trim_end_matches('?')
        .rsplit('.')
        .next()
        .unwrap_or("");
    let pattern = lookup(CLR_TYPES, clr)?;
    Some(sized(pattern, size, scale))
}

/// The new and the old type of `AlterColumn<T>` / `AddColumn<T>` / `table.Column<T>`: `type:`
/// when written, else the CLR type with `maxLength`/`precision`/`scale`.
fn types(call: &Call, src: &str, old: bool) -> Option<TypeSpec> {
    let key = |k: &str| {
        if old {
            let mut c = k.chars();
            let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or_default();
            format!("old{first}{}", c.as_str())
        } else {
            k.to_string()
        }
    };
    if let Some(lit) = call.named.get(&key("type")).and_then(|n| string(*n, src)) {
        return Some(TypeSpec::sql(lit.text));
    }
    let clr = if old {
        call.raw("oldClrType", src)?
    } else {
        call.generic.clone()?
    };
    let size = call
        .raw(&key("maxLength"), src)
        .or_else(|| call.raw(&key("precision"), src));
    let scale = call.raw(&key("scale"), src);
    let sql = clr_sql(&clr, size.as_deref(), scale.as_deref())?;
    let shown = match &size {
        Some(size) => format!(
            "{}({size})",
            clr.trim_start_matches("typeof(").trim_end_matches(')')
        ),
        None => clr
            .trim_start_matches("typeof(")
            .trim_end_matches(')')
            .to_string(),
    };
    Some(TypeSpec::framework(shown, sql))
}

/// Read one `migrationBuilder.X(…)` call; true when it was a migration call (its arguments are
/// not visited again).
fn call(node: Node, src: &str, strings: &[Binding], session: &mut Session) -> bool {
    let Some(call) = Call::read(node, src) else {
        return false;
    };
    let at = span(node);
    let shown = written(text(node, src));
    match call.method.as_str() {
        "DropTable" => {
            let Some(name) = call.name("name", 0, src) else {
                return false;
            };
            let op = SchemaOp::Drop {
                object: ObjectKind::Table,
                names: vec![name],
                if_exists: false,
                cascade: false,
                temporary: false,
            };
            session.push(op, at, at, &shown);
        }
        "DropSchema" => {
            let Some(name) = call.name("name", 0, src) else {
                return false;
            };
            let op = SchemaOp::Drop {
                object: ObjectKind::Schema,
                names: vec![name],
                if_exists: false,
                cascade: false,
                temporary: false,
            };
            session.push(op, at, at, &shown);
        }
        "DropColumn" => {
            let (Some(column), Some(table)) =
                (call.name("name", 0, src), call.name("table", 1, src))
            else {
                return false;
            };
            let action = AlterAction::DropColumn { column, span: at };
            let op = SchemaOp::AlterTable {
                table,
                actions: vec![action],
            };
            session.push(op, at, at, &shown);
        }
        "RenameColumn" => {
            let (Some(from), Some(table), Some(to)) = (
                call.name("name", 0, src),
                call.name("table", 1, src),
                call.name("newName", 2, src),
            ) else {
                return false;
            };
            let action = AlterAction::RenameColumn { from, to, span: at };
            let op = SchemaOp::AlterTable {
                table,
                actions: vec![action],
            };
            session.push(op, at, at, &shown);
        }
        "RenameTable" => {
            // `RenameTable(name, schema, newName, newSchema)`: a move to another schema only
            // keeps the name.
            let (Some(table), Some(to)) = (call.name("name", 0, src), call.name("newName", 2, src))
            else {
                return false;
            };
            if to.key == table.key {
                // Same name, another schema (`schema:`/`newSchema:`): EF moves the table.
                return true;
            }
            let action = AlterAction::RenameTable { to, span: at };
            let op = SchemaOp::AlterTable {
                table,
                actions: vec![action],
            };
            session.push(op, at, at, &shown);
        }
        "AlterColumn" => {
            let (Some(column), Some(table)) =
                (call.name("name", 0, src), call.name("table", 1, src))
            else {
                return false;
            };
            let Some(to) = types(&call, src, false) else {
                return false;
            };
            if let Some(old) = types(&call, src, true) {
                session.declare(&table.key, &column.key, &old, at.start());
            }
            let action = AlterAction::AlterType {
                column,
                from: None,
                to,
                span: at,
            };
            let op = SchemaOp::AlterTable {
                table,
                actions: vec![action],
            };
            session.push(op, at, at, &shown);
        }
        "AddColumn" => {
            let (Some(column), Some(table)) =
                (call.name("name", 0, src), call.name("table", 1, src))
            else {
                return false;
            };
            if let Some(ty) = types(&call, src, false) {
                session.declare(&table.key, &column.key, &ty, at.start());
            }
        }
        "CreateTable" => {
            let Some(name) = call.name("name", 0, src) else {
                return false;
            };
            let table = name.key.clone();
            let op = SchemaOp::Create {
                object: ObjectKind::Table,
                name,
                temporary: false,
            };
            session.push(op, at, at, &shown);
            if let Some(columns) = call.arg("columns", 1) {
                declare_columns(columns, src, &table, session);
            }
        }
        "Sql" => {
            let lit = call.string("sql", 0, src).or_else(|| {
                let value = resolve(strings, call.arg("sql", 0)?, src)?;
                string(value, src)
            });
            let Some(lit) = lit else {
                return false;
            };
            session.sql(&lit.text, &lit.map);
        }
        // Seed rows by key (`keyColumn: "Id", keyValue: 3`): the rows the model's `HasData`
        // named, never the whole table; kept as bounded changes (not reported).
        "DeleteData" | "UpdateData" => {
            let Some(table) = call.name("table", 0, src) else {
                return false;
            };
            let keyed = ["keyColumn", "keyColumns", "keyValue", "keyValues"]
                .iter()
                .any(|k| call.named.contains_key(*k))
                || call.positional.len() >= 3;
            let op = if call.method == "DeleteData" {
                SchemaOp::Delete {
                    table,
                    bounded: keyed,
                }
            } else {
                SchemaOp::Update {
                    table,
                    bounded: keyed,
                }
            };
            session.push(op, at, at, &shown);
        }
        _ => return false,
    }
    true
}

/// `columns: table => new { Id = table.Column<int>(type: "INTEGER", nullable: false), … }`.
fn declare_columns(columns: Node, src: &str, table: &str, session: &mut Session) {
    walk(columns, |node| {
        if node.kind() != "anonymous_object_creation_expression" {
            return true;
        }
        let kids = lit::children(node);
        let mut member: Option<&str> = None;
        for kid in kids {
            match kid.kind() {
                "identifier" => member = Some(text(kid, src)),
                "invocation_expression" => {
                    let Some(call) = Call::read(kid, src) else {
                        continue;
                    };
                    if call.method != "Column" {
                        continue;
                    }
                    let column = call
                        .named
                        .get("name")
                        .and_then(|n| string(*n, src))
                        .map(|l| l.text)
                        .or(member.map(str::to_string));
                    if let (Some(column), Some(ty)) = (column, types(&call, src, false)) {
                        let key = SqlName::new(column, span(kid)).key;
                        session.declare(table, &key, &ty, kid.start_byte());
                    }
                    member = None;
                }
                _ => member = None,
            }
        }
        false
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clr_types_map_to_sql() {
        assert_eq!(
            clr_sql("string", Some("50"), None).as_deref(),
            Some("varchar(50)")
        );
        assert_eq!(clr_sql("string", None, None).as_deref(), Some("varchar"));
        assert_eq!(
            clr_sql("typeof(long)", None, None).as_deref(),
            Some("bigint")
        );
        assert_eq!(clr_sql("int?", None, None).as_deref(), Some("integer"));
        assert_eq!(
            clr_sql("System.Decimal", Some("18"), Some("2")).as_deref(),
            Some("numeric(18,2)")
        );
        assert_eq!(clr_sql("Widget", None, None), None);
    }
}
