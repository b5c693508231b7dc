//! Doctrine Migrations (Symfony), read with tree-sitter-php: `up()` (and `preUp`/`postUp`) runs
//! up, `down()` (`preDown`/`postDown`) down. `$this->addSql('SQL')` and
//! `$this->connection->executeStatement('SQL')` are SQL; the Schema API's `dropTable`,
//! `renameTable`, `createTable`, and on a table (`$schema->getTable('t')`, or a variable holding
//! it) `dropColumn`, `renameColumn`, `changeColumn`/`modifyColumn` and `addColumn` are read too.

use std::collections::HashMap;

use tree_sitter::Node;

use super::emit::{self, Call};
use super::php::{self, MAX_DEPTH, PhpCall, text};
use super::types::{self, Written};
use crate::classify::Framework;
use crate::frontends::sql::Session;
use crate::model::FileFacts;
use crate::model::schema::SqlName;
use crate::model::types::TypeSpec;
use crate::syntax::{Grammar, parse_tree};

/// DBAL type names (`Types::STRING` is `'string'`).
const DBAL: &[types::FrameworkType] = &[
    types::FrameworkType {
        name: "string",
        sql: "varchar",
        size: types::Size::Length { default: Some(255) },
    },
    types::FrameworkType {
        name: "text",
        sql: "text",
        size: types::Size::None,
    },
    types::FrameworkType {
        name: "integer",
        sql: "integer",
        size: types::Size::None,
    },
    types::FrameworkType {
        name: "smallint",
        sql: "smallint",
        size: types::Size::None,
    },
    types::FrameworkType {
        name: "bigint",
        sql: "bigint",
        size: types::Size::None,
    },
    types::FrameworkType {
        name: "decimal",
        sql: "numeric",
        size: types::Size::Decimal {
            default: Some((10, 0)),
        },
    },
    types::FrameworkType {
        name: "float",
        sql: "double precision",
        size: types::Size::None,
    },
    types::FrameworkType {
        name: "boolean",
        sql: "boolean",
        size: types::Size::None,
    },
    types::FrameworkType {
        name: "datetime",
        sql: "timestamp",
        size: types::Size::None,
    },
    types::FrameworkType {
        name: "date",
        sql: "date",
        size: types::Size::None,
    },
    types::FrameworkType {
        name: "json",
        sql: "json",
        size: types::Size::None,
    },
];

/// Read one Doctrine migration file into `facts`.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let Some(tree) = parse_tree(Grammar::Php, &text) else {
        return;
    };
    let root = tree.root_node();
    let down = php::methods_named(root, &text, &["down", "preDown", "postDown"]);
    let mut session = super::session(facts, Framework::Doctrine, down);
    let mut reader = Reader {
        src: &text,
        session: &mut session,
        tables: HashMap::new(),
    };
    reader.visit(root, 0);
    session.finish(facts);
}

struct Reader<'a, 't> {
    src: &'t str,
    session: &'a mut Session,
    /// `$t = $schema->getTable('x')`: variable → table, as assigned so far in file order.
    tables: HashMap<String, SqlName>,
}

impl<'a, 't> Reader<'a, 't> {
    fn visit(&mut self, node: Node<'t>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if node.kind() == "method_declaration" {
            self.tables.clear();
        }
        if node.kind() == "assignment_expression"
            && let (Some(left), Some(right)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            )
            && let Some(table) = self.table_of(right)
        {
            self.tables.insert(text(left, self.src).to_string(), table);
        }
        if let Some(call) = PhpCall::of(node, self.src)
            && self.call(&call)
        {
            return;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.visit(child, depth + 1);
        }
    }

    /// The table an expression stands for: `$schema->getTable('x')`, `createTable('x')`, or a
    /// variable assigned one.
    fn table_of(&self, node: Node) -> Option<SqlName> {
        let src = self.src;
        if node.kind() == "variable_name" {
            return self.tables.get(text(node, src)).cloned();
        }
        let call = PhpCall::of(node, src)?;
        if !matches!(call.name, "getTable" | "createTable") || call.is_static {
            return None;
        }
        table_name(call.arg(0)?, src)
    }

    fn call(&mut self, c: &PhpCall<'t>) -> bool {
        let src = self.src;
        let call = Call::new(c.node, src);
        match c.name {
            "addSql" | "executeStatement" | "executeQuery" | "executeUpdate" | "exec" => {
                if let Some(lit) = c.arg(0).and_then(|a| php::sql_text(a, src)) {
                    self.session.sql(&lit.text, &lit.map);
                }
                true
            }
            "dropTable" => {
                if let Some(name) = c.arg(0).and_then(|a| table_name(a, src)) {
                    emit::drop_tables(self.session, call, vec![name], false);
                }
                true
            }
            "createTable" => {
                if let Some(name) = c.arg(0).and_then(|a| table_name(a, src)) {
                    emit::create_table(self.session, call, name);
                }
                false
            }
            "renameTable" => {
                if let (Some(from), Some(to)) = (
                    c.arg(0).and_then(|a| table_name(a, src)),
                    c.arg(1).and_then(|a| table_name(a, src)),
                ) {
                    emit::rename_table(self.session, call, from, to);
                }
                true
            }
            "dropColumn" | "renameColumn" | "changeColumn" | "modifyColumn" | "addColumn" => {
                let Some(table) = self.table_of(c.target) else {
                    return false;
                };
                let s = &mut *self.session;
                let Some(column) = c.name_arg(0, src) else {
                    return true;
                };
                match c.name {
                    "dropColumn" => emit::drop_columns(s, call, table, vec![column]),
                    "renameColumn" => {
                        if let Some(to) = c.name_arg(1, src) {
                            emit::rename_column(s, call, table, column, to);
                        }
                    }
                    "addColumn" => {
                        if let Some(ty) = dbal_type(c.arg(1), c.arg(2), src) {
                            s.declare(&table.key, &column.key, &ty, c.node.start_byte());
                        }
                    }
                    _ => {
                        // `changeColumn('c', ['type' => Type::getType('string'), 'length' => 50])`
                        let options = c.arg(1);
                        let ty = options.and_then(|o| php::array_value(o, "type", src));
                        if let Some(ty) = dbal_type(ty, options, src) {
                            emit::alter_type(s, call, table, column, ty, None);
                        }
                    }
                }
                true
            }
            _ => false,
        }
    }
}

/// A table name argument: a string, or a helper call with one (`$this->getTable('entry')`).
fn table_name(arg: Node, src: &str) -> Option<SqlName> {
    if let Some(name) = super::literal::name_value(arg, src) {
        return Some(name);
    }
    let lit = php::helper_name(arg, src)?;
    Some(SqlName::new(lit.text, super::literal::span(arg)))
}

/// A DBAL type (`'string'`, `Types::STRING`, `Type::getType('string')`) with the `length`,
/// `precision` and `scale` of an options array.
fn dbal_type(ty: Option<Node>, options: Option<Node>, src: &str) -> Option<TypeSpec> {
    let ty = ty?;
    let written = text(ty, src);
    let name = if let Some(name) = super::literal::name_value(ty, src) {
        name.text
    } else if let Some(call) = PhpCall::of(ty, src) {
        call.name_arg(0, src)?.text
    } else if ty.kind() == "class_constant_access_expression" {
        written.rsplit("::").next()?.to_ascii_lowercase()
    } else {
        return None;
    };
    let option = |key: &str| {
        options
            .and_then(|o| php::array_value(o, key, src))
            .and_then(|v| php::number(Some(v), src))
    };
    let sizes = Written {
        first: option("length").or(option("precision")),
        second: option("scale"),
    };
    let sql = types::sql_of(DBAL, &name, sizes)?;
    Some(TypeSpec::framework(written, sql))
}
