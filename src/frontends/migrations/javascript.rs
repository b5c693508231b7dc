//! Sequelize, Knex and TypeORM migrations (`.js`/`.ts` in a `migrations` folder), read with
//! tree-sitter-javascript / tree-sitter-typescript.
//!
//! Up versus down: whatever function is named `down` (an `exports.down =` assignment, a `down`
//! key or method of the exported object, TypeORM's `down(queryRunner)` method, `export function
//! down`) runs on rollback; the rest runs up. The three DSLs share most method names, so calls
//! are read by method and argument shape, not by receiver:
//!
//! - Sequelize `queryInterface.removeColumn(t, c)`, `dropTable`, `renameColumn(t, a, b)`,
//!   `renameTable(a, b)`, `changeColumn(t, c, {type})`, `bulkDelete(t, where)`,
//!   `createTable(t, {c: {type}})`, `addColumn`, `sequelize.query('SQL')`;
//! - Knex `knex.schema.dropTable(IfExists)`, `renameTable`, `table('t', t => { t.dropColumn(s),
//!   t.renameColumn, t.string('c', 50).alter() })`, `createTable` builders (declared types),
//!   `knex('t').del()`/`.update()`/`.truncate()` without a `where`, `knex.raw('SQL')`;
//! - TypeORM `queryRunner.query('SQL')`, `dropColumn(t, c)`, `dropColumns`, `dropTable`,
//!   `renameColumn`, `renameTable`, `changeColumn(t, c, new TableColumn({…}))`, `clearTable`,
//!   `createTable(new Table({…}))`, `addColumn`.

use tree_sitter::Node;

use super::js_flow;
use super::lit::{Lit, children, lookup, sized, span, text, walk, written};
use crate::classify::Framework;
use crate::frontends::sql::Session;
use crate::model::FileFacts;
use crate::model::migration::MigrationFile;
use crate::model::schema::{AlterAction, ObjectKind, SchemaOp, SqlName};
use crate::model::types::TypeSpec;
use crate::source::Span;
use crate::syntax::parse_tree;

/// Sequelize `DataTypes.X` in SQL; `%` takes the call's arguments (`STRING(50)`).
const SEQUELIZE_TYPES: &[(&str, &str)] = &[
    ("STRING", "varchar(%255)"),
    ("CHAR", "char(%255)"),
    ("TEXT", "text"),
    ("CITEXT", "citext"),
    ("INTEGER", "integer"),
    ("BIGINT", "bigint"),
    ("SMALLINT", "smallint"),
    ("TINYINT", "tinyint"),
    ("MEDIUMINT", "mediumint"),
    ("FLOAT", "float"),
    ("REAL", "real"),
    ("DOUBLE", "double precision"),
    ("DECIMAL", "numeric(%)"),
    ("NUMERIC", "numeric(%)"),
    ("BOOLEAN", "boolean"),
    ("DATE", "timestamptz"),
    ("DATEONLY", "date"),
    ("TIME", "time"),
    ("UUID", "uuid"),
    ("JSON", "json"),
    ("JSONB", "jsonb"),
    ("BLOB", "bytea"),
    ("ENUM", "enum"),
];

/// Knex column builders (`table.string('name', 50)`) in SQL; `%` takes the arguments after the
/// column name.
const KNEX_TYPES: &[(&str, &str)] = &[
    ("string", "varchar(%255)"),
    ("text", "text"),
    ("integer", "integer"),
    ("int", "integer"),
    ("increments", "integer"),
    ("bigInteger", "bigint"),
    ("bigint", "bigint"),
    ("bigIncrements", "bigint"),
    ("tinyint", "tinyint"),
    ("smallint", "smallint"),
    ("mediumint", "mediumint"),
    ("float", "real"),
    ("double", "double precision"),
    ("decimal", "numeric(%8,2)"),
    ("boolean", "boolean"),
    ("date", "date"),
    ("datetime", "timestamp"),
    ("timestamp", "timestamp"),
    ("time", "time"),
    ("json", "json"),
    ("jsonb", "jsonb"),
    ("uuid", "uuid"),
    ("binary", "bytea"),
    ("enum", "enum"),
    ("enu", "enum"),
];

/// Read one JavaScript/TypeScript migration file into `facts`.
pub fn extract(facts: &mut FileFacts) {
    let src = facts.file.text.clone();
    let grammar = crate::syntax::javascript_grammar(&facts.file.path);
    let Some(tree) = parse_tree(grammar, &src) else {
        return;
    };
    let root = tree.root_node();
    let mut down = Vec::new();
    let mut calls = Vec::new();
    walk(root, |node| {
        if is_down(node, &src) {
            down.push((node.start_byte(), node.end_byte()));
        }
        if node.kind() == "call_expression" {
            calls.push(node);
        }
        true
    });
    // Helpers only `down` calls (`this.postgresDownQueryRunner(queryRunner)`) roll back too.
    down.extend(js_flow::rollback_helpers(root, &src));
    // A chain `a.dropTable('x').dropTable('y')` is visited outside-in; read it in file order.
    calls.sort_by_key(|c| anchor(*c));
    let migration = MigrationFile::framework(Framework::JavaScript, down);
    let mut reader = Reader {
        src: &src,
        session: Session::new(migration, flavour(&src), &facts.file.path, &src),
        builders: Vec::new(),
        bindings: js_flow::string_bindings(root, &src, |v| string(v, &src).is_some()),
    };
    for node in calls {
        reader.call(node);
    }
    reader.session.finish(facts);
}

/// Which DSL the file is written in, for the changes' origin.
fn flavour(src: &str) -> &'static str {
    if src.contains("MigrationInterface") || src.contains("queryRunner") {
        "typeorm"
    } else if src.contains("queryInterface") || src.contains("Sequelize") {
        "sequelize"
    } else {
        "knex"
    }
}

fn is_function(node: Node) -> bool {
    matches!(
        node.kind(),
        "function_expression" | "function" | "arrow_function" | "generator_function"
    )
}

/// A function named `down`: its whole node runs on rollback.
fn is_down(node: Node, src: &str) -> bool {
    let name = |field: &str| node.child_by_field_name(field).map(|n| text(n, src));
    match node.kind() {
        "method_definition" | "function_declaration" => name("name") == Some("down"),
        "pair" => {
            name("key").map(|k| k.trim_matches(['"', '\''])) == Some("down")
                && node.child_by_field_name("value").is_some_and(is_function)
        }
        "variable_declarator" => {
            name("name") == Some("down")
                && node.child_by_field_name("value").is_some_and(is_function)
        }
        "assignment_expression" => {
            let left = node.child_by_field_name("left");
            left.is_some_and(|l| {
                l.kind() == "member_expression"
                    && l.child_by_field_name("property").map(|p| text(p, src)) == Some("down")
            })
        }
        _ => false,
    }
}

/// Where a call sits in file order: its method name (`dropTable` in `a.b().dropTable('x')`).
fn anchor(call: Node) -> usize {
    call.child_by_field_name("function")
        .and_then(|f| f.child_by_field_name("property"))
        .map_or(call.start_byte(), |p| p.start_byte())
}

/// A Knex table builder: `knex.schema.table('users', (t) => { … })` — calls on `param` inside
/// `body` act on `table`.
struct Builder {
    body: (usize, usize),
    param: String,
    table: SqlName,
}

struct Reader<'s, 't> {
    src: &'s str,
    session: Session,
    builders: Vec<Builder>,
    /// `const sql = `…`` in the file, for `queryRunner.query(sql)`.
    bindings: Vec<js_flow::Binding<'t>>,
}

/// A string argument: quotes, template literal (substitutions read as `${…}` placeholders) or a
/// concatenation of those.
pub(in crate::frontends) fn string(node: Node, src: &str) -> Option<Lit> {
    match node.kind() {
        "string" => {
            let (start, end) = (node.start_byte() + 1, node.end_byte().saturating_sub(1));
            let mut lit = Lit {
                span: Span::new(start, end.max(start)),
                ..Lit::default()
            };
            lit.push_escaped(src, start, end.max(start));
            Some(lit)
        }
        "template_string" => {
            let (start, end) = (node.start_byte() + 1, node.end_byte().saturating_sub(1));
            let mut lit = Lit {
                span: Span::new(start, end.max(start)),
                ..Lit::default()
            };
            let mut at = start;
            for part in children(node) {
                if part.kind() == "template_substitution" {
                    lit.push_escaped(src, at, part.start_byte());
                    lit.push_verbatim(src, part.start_byte(), part.end_byte());
                    at = part.end_byte();
                }
            }
            lit.push_escaped(src, at, end.max(at));
            Some(lit)
        }
        "parenthesized_expression" => string(*children(node).first()?, src),
        "binary_expression" => {
            let op = node.child_by_field_name("operator").map(|o| text(o, src));
            if op != Some("+") {
                return None;
            }
            let mut left = string(node.child_by_field_name("left")?, src)?;
            let right = string(node.child_by_field_name("right")?, src)?;
            left.append(&right, src);
            Some(left)
        }
        _ => None,
    }
}

fn name_of(lit: Lit) -> SqlName {
    SqlName::new(lit.text, lit.span)
}

/// A `{ key: value }` object's value for `key`.
fn property<'t>(object: Node<'t>, key: &str, src: &str) -> Option<Node<'t>> {
    if object.kind() != "object" {
        return None;
    }
    children(object).into_iter().find_map(|pair| {
        let k = pair.child_by_field_name("key")?;
        (pair.kind() == "pair" && text(k, src).trim_matches(['"', '\'']) == key)
            .then(|| pair.child_by_field_name("value"))
            .flatten()
    })
}

/// `new Table({…})` / `new TableColumn({…})`: the options object.
fn constructed<'t>(node: Node<'t>, class: &str, src: &str) -> Option<Node<'t>> {
    if node.kind() != "new_expression" {
        return None;
    }
    let ctor = node.child_by_field_name("constructor")?;
    if text(ctor, src) != class {
        return None;
    }
    let args = node.child_by_field_name("arguments")?;
    children(args).into_iter().next()
}

/// A table named by a string, `{ tableName: 'x' }` (Sequelize) or `new Table({ name })`.
fn table_name(node: Node, src: &str) -> Option<SqlName> {
    if let Some(lit) = string(node, src) {
        return Some(name_of(lit));
    }
    let object = constructed(node, "Table", src).unwrap_or(node);
    let value = property(object, "tableName", src).or_else(|| property(object, "name", src))?;
    string(value, src).map(name_of)
}

/// A column named by a string or `new TableColumn({ name })`.
fn column_name(node: Node, src: &str) -> Option<SqlName> {
    if let Some(lit) = string(node, src) {
        return Some(name_of(lit));
    }
    let object = constructed(node, "TableColumn", src).unwrap_or(node);
    string(property(object, "name", src)?, src).map(name_of)
}

/// A Sequelize type expression (`Sequelize.STRING(50)`, `DataTypes.TEXT`, `{ type: … }`).
fn sequelize_type(node: Node, src: &str) -> Option<TypeSpec> {
    if node.kind() == "object" {
        return sequelize_type(property(node, "type", src)?, src);
    }
    // `type: "CHARACTER VARYING"`: a type written in SQL.
    if let Some(lit) = string(node, src) {
        return Some(TypeSpec::sql(lit.text));
    }
    let (callee, args) = if node.kind() == "call_expression" {
        (
            node.child_by_field_name("function")?,
            node.child_by_field_name("arguments"),
        )
    } else {
        (node, None)
    };
    let name = match callee.kind() {
        "member_expression" => text(callee.child_by_field_name("property")?, src),
        "identifier" => text(callee, src),
        _ => return None,
    };
    let pattern = lookup(SEQUELIZE_TYPES, name)?;
    let nums: Vec<&str> = args
        .map(|a| children(a).into_iter().map(|n| text(n, src)).collect())
        .unwrap_or_default();
    let sql = sized(pattern, nums.first().copied(), nums.get(1).copied());
    Some(TypeSpec::framework(written(text(node, src)), sql))
}

/// A TypeORM column's type: `{ type: 'varchar', length: '50' }` (or precision/scale).
fn typeorm_type(node: Node, src: &str) -> Option<TypeSpec> {
    let object = constructed(node, "TableColumn", src).unwrap_or(node);
    let ty = string(property(object, "type", src)?, src)?.text;
    let value = |key: &str| {
        property(object, key, src).map(|v| text(v, src).trim_matches(['"', '\'', '`']).to_string())
    };
    let sql = match (value("length"), value("precision"), value("scale")) {
        (Some(len), _, _) if !len.is_empty() => format!("{ty}({len})"),
        (None, Some(p), Some(s)) => format!("{ty}({p},{s})"),
        (None, Some(p), None) => format!("{ty}({p})"),
        _ => ty,
    };
    Some(TypeSpec::sql(sql))
}

/// The receiver's root identifier (`t` in `t.string('x').notNullable()`).
fn root_identifier<'s>(mut node: Node, src: &'s str) -> Option<&'s str> {
    loop {
        match node.kind() {
            "identifier" | "this" => return Some(text(node, src)),
            "member_expression" => node = node.child_by_field_name("object")?,
            "call_expression" => node = node.child_by_field_name("function")?,
            "await_expression" | "parenthesized_expression" => node = *children(node).first()?,
            _ => return None,
        }
    }
}

impl<'t> Reader<'_, 't> {
    fn push(&mut self, op: SchemaOp, at: Span, shown: &str) {
        self.session.push(op, at, at, shown);
    }

    fn alter(&mut self, table: SqlName, actions: Vec<AlterAction>, at: Span, shown: &str) {
        if !actions.is_empty() {
            self.push(SchemaOp::AlterTable { table, actions }, at, shown);
        }
    }

    fn call(&mut self, node: Node) {
        let src = self.src;
        let Some(function) = node.child_by_field_name("function") else {
            return;
        };
        let args: Vec<Node> = node
            .child_by_field_name("arguments")
            .map(children)
            .unwrap_or_default();
        if function.kind() != "member_expression" {
            return;
        }
        let (Some(object), Some(property)) = (
            function.child_by_field_name("object"),
            function.child_by_field_name("property"),
        ) else {
            return;
        };
        let method = text(property, src);
        // A chained call is shown from its method on; a plain one whole.
        // A chained call (`knex.schema\n  .dropTable('a')`) is placed and shown from its method.
        let chained = object.kind() == "call_expression"
            || src
                .get(node.start_byte()..property.start_byte())
                .is_some_and(|head| head.contains('\n'));
        let at = if chained {
            Span::new(property.start_byte(), node.end_byte())
        } else {
            span(node)
        };
        let shown = written(&src[at.start()..at.end()]);
        let shown = if chained { format!(".{shown}") } else { shown };
        if let Some(builder) = self.builder_for(node, object) {
            self.builder_call(builder, node, method, object, &args, at, &shown);
            return;
        }
        let arg = |i: usize| args.get(i).copied();
        match method {
            "query" | "raw" => {
                let sql = arg(0).and_then(|a| {
                    string(a, src).or_else(|| {
                        js_flow::resolve(&self.bindings, a, src).and_then(|v| string(v, src))
                    })
                });
                if let Some(lit) = sql {
                    self.session.sql(&lit.text, &lit.map);
                }
            }
            "table" | "alterTable" | "createTable" | "createTableIfNotExists" => {
                let Some(first) = arg(0) else { return };
                if let Some(function) = arg(1).filter(|f| is_function(*f)) {
                    // Knex: a table builder.
                    let Some(table) = string(first, src).map(name_of) else {
                        return;
                    };
                    let param = function
                        .child_by_field_name("parameters")
                        .and_then(|p| children(p).into_iter().next())
                        .or_else(|| function.child_by_field_name("parameter"))
                        .and_then(|p| root_param(p, src));
                    if method.starts_with("create") {
                        self.create(table.clone(), at, &shown);
                    }
                    if let Some(param) = param {
                        self.builders.push(Builder {
                            body: (function.start_byte(), function.end_byte()),
                            param,
                            table,
                        });
                    }
                } else if method == "createTable" {
                    self.create_with_columns(first, arg(1), at, &shown);
                }
            }
            "dropTable" | "dropTableIfExists" => {
                let Some(name) = arg(0).and_then(|a| table_name(a, src)) else {
                    return;
                };
                // TypeORM `dropTable(name, ifExist)`.
                let if_exists =
                    method == "dropTableIfExists" || arg(1).is_some_and(|a| text(a, src) == "true");
                let op = SchemaOp::Drop {
                    object: ObjectKind::Table,
                    names: vec![name],
                    if_exists,
                    cascade: false,
                    temporary: false,
                };
                self.push(op, at, &shown);
            }
            "clearTable" => {
                let Some(name) = arg(0).and_then(|a| table_name(a, src)) else {
                    return;
                };
                let op = SchemaOp::Truncate {
                    names: vec![name],
                    cascade: false,
                };
                self.push(op, at, &shown);
            }
            "removeColumn" | "dropColumn" => {
                let (Some(table), Some(column)) = (
                    arg(0).and_then(|a| table_name(a, src)),
                    arg(1).and_then(|a| column_name(a, src)),
                ) else {
                    return;
                };
                let action = AlterAction::DropColumn { column, span: at };
                self.alter(table, vec![action], at, &shown);
            }
            "dropColumns" => {
                let (Some(table), Some(list)) = (arg(0).and_then(|a| table_name(a, src)), arg(1))
                else {
                    return;
                };
                let actions = children(list)
                    .into_iter()
                    .filter_map(|c| column_name(c, src))
                    .map(|column| AlterAction::DropColumn { column, span: at })
                    .collect();
                self.alter(table, actions, at, &shown);
            }
            "renameColumn" => {
                let (Some(table), Some(from), Some(to)) = (
                    arg(0).and_then(|a| table_name(a, src)),
                    arg(1).and_then(|a| column_name(a, src)),
                    arg(2).and_then(|a| column_name(a, src)),
                ) else {
                    return;
                };
                let action = AlterAction::RenameColumn { from, to, span: at };
                self.alter(table, vec![action], at, &shown);
            }
            "renameTable" => {
                let (Some(table), Some(to)) = (
                    arg(0).and_then(|a| table_name(a, src)),
                    arg(1).and_then(|a| table_name(a, src)),
                ) else {
                    return;
                };
                let action = AlterAction::RenameTable { to, span: at };
                self.alter(table, vec![action], at, &shown);
            }
            "changeColumn" => self.change_column(&args, at, &shown),
            "addColumn" => {
                let Some(table) = arg(0).and_then(|a| table_name(a, src)) else {
                    return;
                };
                // Sequelize `addColumn(t, 'c', type)`, TypeORM `addColumn(t, new TableColumn)`.
                let (column, ty) = match arg(2) {
                    Some(ty) => (
                        arg(1).and_then(|a| column_name(a, src)),
                        sequelize_type(ty, src),
                    ),
                    None => (
                        arg(1).and_then(|a| column_name(a, src)),
                        arg(1).and_then(|a| typeorm_type(a, src)),
                    ),
                };
                if let (Some(column), Some(ty)) = (column, ty) {
                    self.session
                        .declare(&table.key, &column.key, &ty, node.start_byte());
                }
            }
            "bulkDelete" | "bulkUpdate" => {
                let Some(table) = arg(0).and_then(|a| table_name(a, src)) else {
                    return;
                };
                let where_at = if method == "bulkDelete" { 1 } else { 2 };
                let bounded = arg(where_at).is_some_and(|w| {
                    let empty = matches!(text(w, src), "null" | "undefined" | "{}")
                        || (w.kind() == "object" && children(w).is_empty());
                    !empty
                });
                let op = if method == "bulkDelete" {
                    SchemaOp::Delete { table, bounded }
                } else {
                    SchemaOp::Update { table, bounded }
                };
                self.push(op, at, &shown);
            }
            "del" | "delete" | "update" | "truncate" => {
                // `knex('t').del()` on one line is shown whole.
                let whole = span(node);
                if !text(node, src).contains('\n') {
                    self.knex_query(node, method, whole, &written(text(node, src)));
                } else {
                    self.knex_query(node, method, at, &shown);
                }
            }
            _ => {}
        }
    }

    /// The innermost Knex table builder whose parameter is the call's receiver.
    fn builder_for(&self, node: Node, object: Node) -> Option<usize> {
        let root = root_identifier(object, self.src)?;
        self.builders.iter().rposition(|b| {
            b.param == root && b.body.0 <= node.start_byte() && node.end_byte() <= b.body.1
        })
    }

    fn create(&mut self, table: SqlName, at: Span, shown: &str) {
        let op = SchemaOp::Create {
            object: ObjectKind::Table,
            name: table,
            temporary: false,
        };
        self.push(op, at, shown);
    }

    /// Sequelize `createTable('t', { c: { type } })`, TypeORM `createTable(new Table({…}))`.
    fn create_with_columns(&mut self, first: Node, second: Option<Node>, at: Span, shown: &str) {
        let src = self.src;
        let Some(table) = table_name(first, src) else {
            return;
        };
        let key = table.key.clone();
        self.create(table, at, shown);
        if let Some(columns) = second.filter(|s| s.kind() == "object") {
            for pair in children(columns) {
                let (Some(k), Some(v)) = (
                    pair.child_by_field_name("key"),
                    pair.child_by_field_name("value"),
                ) else {
                    continue;
                };
                if let Some(ty) = sequelize_type(v, src) {
                    let column = text(k, src).trim_matches(['"', '\'']).to_lowercase();
                    self.session.declare(&key, &column, &ty, pair.start_byte());
                }
            }
        } else if let Some(list) =
            constructed(first, "Table", src).and_then(|options| property(options, "columns", src))
        {
            for column in children(list) {
                if let (Some(name), Some(ty)) =
                    (column_name(column, src), typeorm_type(column, src))
                {
                    self.session
                        .declare(&key, &name.key, &ty, column.start_byte());
                }
            }
        }
    }

    /// Sequelize `changeColumn(t, c, { type })`; TypeORM `changeColumn(t, old, new TableColumn)`.
    fn change_column(&mut self, args: &[Node], at: Span, shown: &str) {
        let src = self.src;
        let (Some(table), Some(old), Some(new)) = (
            args.first().and_then(|a| table_name(*a, src)),
            args.get(1),
            args.get(2),
        ) else {
            return;
        };
        let Some(column) = column_name(*old, src) else {
            return;
        };
        let to = sequelize_type(*new, src).or_else(|| typeorm_type(*new, src));
        if let Some(from) = typeorm_type(*old, src) {
            self.session
                .declare(&table.key, &column.key, &from, at.start());
        }
        let mut actions = Vec::new();
        if let Some(renamed) = column_name(*new, src).filter(|n| n.key != column.key) {
            actions.push(AlterAction::RenameColumn {
                from: column.clone(),
                to: renamed,
                span: at,
            });
        }
        if let Some(to) = to {
            actions.push(AlterAction::AlterType {
                column,
                from: None,
                to,
                span: at,
            });
        }
        self.alter(table, actions, at, shown);
    }

    /// `knex('t').del()`, `.update({…})`, `.truncate()`: bounded when the chain has a `where`.
    fn knex_query(&mut self, node: Node, method: &str, at: Span, shown: &str) {
        let src = self.src;
        let mut bounded = false;
        let mut table = None;
        let mut cur = node.child_by_field_name("function");
        while let Some(n) = cur {
            match n.kind() {
                "member_expression" => {
                    let prop = n.child_by_field_name("property").map(|p| text(p, src));
                    if prop.is_some_and(|p| p.starts_with("where") || p.ends_with("Where")) {
                        bounded = true;
                    }
                    cur = n.child_by_field_name("object");
                }
                "call_expression" => {
                    let function = n.child_by_field_name("function");
                    let first = n
                        .child_by_field_name("arguments")
                        .and_then(|a| children(a).into_iter().next());
                    let from = function.and_then(|f| match f.kind() {
                        "identifier" => Some(f),
                        "member_expression" => f
                            .child_by_field_name("property")
                            .filter(|p| matches!(text(*p, src), "from" | "table" | "into")),
                        _ => None,
                    });
                    if from.is_some() && table.is_none() {
                        table = first.and_then(|f| string(f, src)).map(name_of);
                    }
                    cur = function;
                }
                _ => break,
            }
        }
        let Some(table) = table else { return };
        let op = match method {
            "truncate" => SchemaOp::Truncate {
                names: vec![table],
                cascade: false,
            },
            "update" => SchemaOp::Update { table, bounded },
            _ => SchemaOp::Delete { table, bounded },
        };
        self.push(op, at, shown);
    }

    /// A call on a Knex table builder's parameter.
    #[allow(clippy::too_many_arguments)]
    fn builder_call(
        &mut self,
        builder: usize,
        node: Node,
        method: &str,
        object: Node,
        args: &[Node],
        at: Span,
        shown: &str,
    ) {
        let src = self.src;
        let Some(table) = self.builders.get(builder).map(|b| b.table.clone()) else {
            return;
        };
        match method {
            "dropColumn" | "dropColumns" => {
                let mut actions = Vec::new();
                for arg in args {
                    let names = if arg.kind() == "array" {
                        children(*arg)
                    } else {
                        vec![*arg]
                    };
                    for name in names {
                        if let Some(lit) = string(name, src) {
                            let span = if args.len() > 1 || arg.kind() == "array" {
                                lit.span
                            } else {
                                at
                            };
                            actions.push(AlterAction::DropColumn {
                                column: name_of(lit),
                                span,
                            });
                        }
                    }
                }
                self.alter(table, actions, at, shown);
            }
            "renameColumn" => {
                let (Some(from), Some(to)) = (
                    args.first().and_then(|a| string(*a, src)),
                    args.get(1).and_then(|a| string(*a, src)),
                ) else {
                    return;
                };
                let action = AlterAction::RenameColumn {
                    from: name_of(from),
                    to: name_of(to),
                    span: at,
                };
                self.alter(table, vec![action], at, shown);
            }
            "alter" => {
                // `t.string('title', 50).notNullable().alter()`: find the type call.
                let Some((column, ty)) = knex_column_in_chain(object, src) else {
                    return;
                };
                let written_at = Span::new(object.start_byte(), node.end_byte());
                let action = AlterAction::AlterType {
                    column,
                    from: None,
                    to: ty,
                    span: written_at,
                };
                self.session.push(
                    SchemaOp::AlterTable {
                        table,
                        actions: vec![action],
                    },
                    written_at,
                    written_at,
                    &written(&src[written_at.start()..written_at.end()]),
                );
            }
            _ => {
                if chain_has_alter(node, src) {
                    return;
                }
                if let Some((column, ty)) = knex_type(method, args, src) {
                    self.session
                        .declare(&table.key, &column.key, &ty, node.start_byte());
                }
            }
        }
    }
}

/// The parameter name of a builder callback (`t`, `(table: Knex.TableBuilder)`).
fn root_param(param: Node, src: &str) -> Option<String> {
    match param.kind() {
        "identifier" => Some(text(param, src).to_string()),
        "required_parameter" | "optional_parameter" => param
            .child_by_field_name("pattern")
            .map(|p| text(p, src).to_string()),
        _ => None,
    }
}

/// A Knex column builder call `string('name', 50)` as (column, type).
fn knex_type(method: &str, args: &[Node], src: &str) -> Option<(SqlName, TypeSpec)> {
    let column = name_of(string(*args.first()?, src)?);
    let ty = if method == "specificType" {
        TypeSpec::sql(string(*args.get(1)?, src)?.text)
    } else {
        let pattern = lookup(KNEX_TYPES, method)?;
        let nums: Vec<&str> = args[1..]
            .iter()
            .map(|a| text(*a, src))
            .filter(|t| t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty())
            .collect();
        let sql = sized(pattern, nums.first().copied(), nums.get(1).copied());
        let shown = if nums.is_empty() {
            method.to_string()
        } else {
            format!("{method}({})", nums.join(", "))
        };
        TypeSpec::framework(shown, sql)
    };
    Some((column, ty))
}

/// The column type call at the start of a Knex chain (`t.string('x', 50).nullable()`).
fn knex_column_in_chain(mut node: Node, src: &str) -> Option<(SqlName, TypeSpec)> {
    loop {
        match node.kind() {
            "call_expression" => {
                let function = node.child_by_field_name("function")?;
                if function.kind() == "member_expression" {
                    let object = function.child_by_field_name("object")?;
                    if object.kind() == "identifier" {
                        let method = text(function.child_by_field_name("property")?, src);
                        let args = node
                            .child_by_field_name("arguments")
                            .map(children)
                            .unwrap_or_default();
                        return knex_type(method, &args, src);
                    }
                    node = object;
                } else {
                    return None;
                }
            }
            "member_expression" => node = node.child_by_field_name("object")?,
            _ => return None,
        }
    }
}

/// Whether a column call is part of a chain ending in `.alter()` (read by the `alter` call).
fn chain_has_alter(mut node: Node, src: &str) -> bool {
    while let Some(parent) = node.parent() {
        match parent.kind() {
            "member_expression" => {
                if parent
                    .child_by_field_name("property")
                    .is_some_and(|p| text(p, src) == "alter")
                {
                    return true;
                }
            }
            "call_expression" => {}
            _ => return false,
        }
        node = parent;
    }
    false
}
