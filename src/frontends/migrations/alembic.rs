//! Alembic (and Flask-Migrate) revisions, read with tree-sitter-python: `upgrade()` runs up,
//! `downgrade()` down. `op.drop_table`, `op.drop_column`, `op.rename_table`,
//! `op.alter_column(type_=…, existing_type=…, new_column_name=…)` and the same calls on a
//! `with op.batch_alter_table('t') as batch_op:` variable become schema changes; `op.execute`
//! (and any `.execute` of a string or `text("…")`) is SQL; `op.create_table`/`op.add_column`
//! declare column types (`sa.String(50)` reads as `varchar(50)`). `revision`/`down_revision`
//! place the file in its set's chain (the set is ordered by it, not by the hex file names).

use tree_sitter::Node;

use super::emit::{self, Call};
use super::py::{self, MAX_DEPTH, PyCall, text};
use super::types::{self, SQLALCHEMY, Written};
use crate::classify::Framework;
use crate::frontends::sql::Session;
use crate::model::FileFacts;
use crate::model::migration::Revision;
use crate::model::schema::SqlName;
use crate::model::types::TypeSpec;
use crate::syntax::{Grammar, parse_tree};

/// Read one Alembic revision into `facts`.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let Some(tree) = parse_tree(Grammar::Python, &text) else {
        return;
    };
    let root = tree.root_node();
    let down = py::functions_named(root, &text, &["downgrade"]);
    let mut session = super::session(facts, Framework::Alembic, down);
    let mut reader = Reader {
        src: &text,
        session: &mut session,
    };
    reader.visit(root, None, 0);
    session.finish(facts);
    if let Some(m) = &mut facts.sql.migration {
        m.revision = revision(root, &text);
    }
}

/// `revision = "ab12"` and `down_revision = "cd34"` (`None` for the first revision, a tuple or
/// list for a merge), plus `depends_on` (revisions or branch labels of another branch that must
/// run first) and `branch_labels` (names of this revision for a `depends_on`): the file's place
/// in the revision graph.
fn revision(root: Node, src: &str) -> Option<Revision> {
    let id = py::string_value(py::assigned(root, src, "revision")?, src)?;
    let names = |variable: &str| -> Vec<String> {
        py::assigned(root, src, variable)
            .map(|value| {
                py::elements(value)
                    .into_iter()
                    .filter_map(|p| py::string_value(p, src))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut parents = names("down_revision");
    parents.extend(names("depends_on"));
    Some(Revision {
        id,
        parents,
        labels: names("branch_labels"),
    })
}

/// `with op.batch_alter_table('t') as batch_op:`: the variable and its table.
struct Batch {
    var: String,
    table: SqlName,
}

struct Reader<'a, 't> {
    src: &'t str,
    session: &'a mut Session,
}

impl<'a, 't> Reader<'a, 't> {
    fn visit(&mut self, node: Node<'t>, batch: Option<&Batch>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if node.kind() == "with_statement"
            && let Some(inner) = self.batch_of(node)
            && let Some(body) = node.child_by_field_name("body")
        {
            self.visit(body, Some(&inner), depth + 1);
            return;
        }
        if let Some(call) = PyCall::of(node, self.src)
            && self.call(&call, batch)
        {
            return;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.visit(child, batch, depth + 1);
        }
    }

    /// The batch a `with` statement opens, if it opens one.
    fn batch_of(&self, with: Node) -> Option<Batch> {
        let src = self.src;
        let mut stack = vec![with.child(1)?];
        while let Some(node) = stack.pop() {
            if node.kind() == "as_pattern" {
                let mut cursor = node.walk();
                let value = node.named_children(&mut cursor).next()?;
                let call = PyCall::of(value, src)?;
                if call.name != "batch_alter_table" {
                    return None;
                }
                let table = call.name(0, "table_name", src)?;
                let alias = node.child_by_field_name("alias")?;
                return Some(Batch {
                    var: text(alias, src).to_string(),
                    table,
                });
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        None
    }

    /// Read one call; `true` when it has been read completely.
    fn call(&mut self, c: &PyCall<'t>, batch: Option<&Batch>) -> bool {
        let src = self.src;
        let receiver = c.receiver_text(src);
        let call = Call::new(c.node, src);
        if c.name == "execute" {
            let mut texts = Vec::new();
            if let Some(sql) = c.arg(0, "sqltext").or(c.keyword("statement")) {
                py::sql_texts(sql, src, &mut texts, 0);
            }
            for lit in texts {
                self.session.sql(&lit.text, &lit.map);
            }
            return true;
        }
        // `op.drop_column('t', 'c')` or `batch_op.drop_column('c')`: the table is the batch's.
        let (table, shift) = match batch {
            Some(b) if receiver == b.var => (Some(b.table.clone()), 0),
            _ if receiver == "op" => (None, 1),
            _ => return false,
        };
        let table_arg = || table.clone().or_else(|| c.name(0, "table_name", src));
        let s = &mut *self.session;
        match c.name {
            "drop_table" if shift == 1 => {
                if let Some(name) = c.name(0, "table_name", src) {
                    emit::drop_tables(s, call, vec![name], false);
                }
            }
            "rename_table" if shift == 1 => {
                if let (Some(from), Some(to)) = (
                    c.name(0, "old_table_name", src),
                    c.name(1, "new_table_name", src),
                ) {
                    emit::rename_table(s, call, from, to);
                }
            }
            "create_table" if shift == 1 => {
                if let Some(name) = c.name(0, "table_name", src) {
                    emit::create_table(s, call, name.clone());
                    for column in c.positional.iter().skip(1) {
                        declare_column(s, &name, *column, src);
                    }
                }
            }
            "add_column" => {
                if let (Some(t), Some(column)) = (table_arg(), c.positional.get(shift)) {
                    declare_column(s, &t, *column, src);
                }
            }
            "drop_column" => {
                if let (Some(t), Some(column)) = (table_arg(), c.name(shift, "column_name", src)) {
                    emit::drop_columns(s, call, t, vec![column]);
                }
            }
            "alter_column" => {
                let (Some(t), Some(column)) = (table_arg(), c.name(shift, "column_name", src))
                else {
                    return true;
                };
                if let Some(ty) = c.keyword("type_").and_then(|n| sa_type(n, src)) {
                    let from = c.keyword("existing_type").and_then(|n| sa_type(n, src));
                    emit::alter_type(s, call, t.clone(), column.clone(), ty, from.as_ref());
                }
                if let Some(to) = c
                    .keyword("new_column_name")
                    .and_then(|n| super::literal::name_value(n, src))
                {
                    emit::rename_column(s, call, t, column, to);
                }
            }
            _ => return false,
        }
        true
    }
}

/// `sa.Column('name', sa.String(50), …)`: declare the column's type.
fn declare_column(s: &mut Session, table: &SqlName, column: Node, src: &str) {
    let Some(call) = PyCall::of(column, src) else {
        return;
    };
    if call.name != "Column" {
        return;
    }
    if let (Some(name), Some(ty)) = (
        call.name(0, "name", src),
        call.positional.get(1).and_then(|t| sa_type(*t, src)),
    ) {
        s.declare(&table.key, &name.key, &ty, column.start_byte());
    }
}

/// A SQLAlchemy type: `sa.String(50)`, `sa.String(length=50)`, `sa.Numeric(10, 2)`,
/// `mysql.VARCHAR(length=255)`, `sa.DateTime(timezone=True)`, `sa.Text()`, `sa.Integer`.
fn sa_type(node: Node, src: &str) -> Option<TypeSpec> {
    let written = text(node, src).to_string();
    let (name, call) = match node.kind() {
        "call" => {
            let call = PyCall::of(node, src)?;
            (call.name, Some(call))
        }
        "attribute" => (text(node.child_by_field_name("attribute")?, src), None),
        "identifier" => (text(node, src), None),
        _ => return None,
    };
    // `sa.String(length=MAX)`: the size is not known, nor the type.
    if let Some(c) = &call {
        let unknown = c.positional.iter().take(2).any(|a| a.kind() != "integer")
            || ["length", "precision", "scale"]
                .iter()
                .any(|k| c.keyword(k).is_some() && c.number(k, src).is_none());
        if unknown {
            return None;
        }
    }
    let positional = |i: usize| {
        call.as_ref()
            .and_then(|c| py::number(c.positional.get(i).copied(), src))
    };
    let keyword = |k: &str| call.as_ref().and_then(|c| c.number(k, src));
    let sizes = Written {
        first: positional(0).or(keyword("length")).or(keyword("precision")),
        second: positional(1).or(keyword("scale")),
    };
    let timezone = call
        .as_ref()
        .and_then(|c| c.keyword("timezone"))
        .is_some_and(|v| text(v, src) == "True");
    let sql = match name {
        "DateTime" | "TIMESTAMP" | "DATETIME" if timezone => "timestamptz".to_string(),
        _ => match types::sql_of(SQLALCHEMY, name, sizes) {
            Some(sql) => sql,
            // An upper-case name is an SQL type already (`sa.TEXT`, `mysql.TINYINT`).
            None if name.chars().all(|c| c.is_ascii_uppercase() || c == '_') => match sizes.first {
                Some(n) if !matches!(name, "TINYINT" | "SMALLINT" | "BIGINT" | "INTEGER") => {
                    format!("{}({n})", name.to_ascii_lowercase())
                }
                _ => name.to_ascii_lowercase(),
            },
            None => return None,
        },
    };
    Some(TypeSpec::framework(written, sql))
}
