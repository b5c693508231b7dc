//! Django migrations, read with tree-sitter-python: the operations run up; `RunSQL`'s
//! `reverse_sql` runs down. `RemoveField`, `DeleteModel`, `RenameField`, `RenameModel`,
//! `AlterField` (the field restated: judged only against the type an earlier migration declared)
//! and `RunSQL(sql)` become schema changes; `CreateModel` and `AddField` declare column types.
//! `SeparateDatabaseAndState(state_operations=…)` never touches the database and is skipped.
//! Tables are named the way Django names them: `<app>_<model>` (or the model's `db_table`).
//! The file's own name (`<app>.<file stem>`) and its `dependencies` place it in its app's set.

use tree_sitter::Node;

use super::emit::{self, Call};
use super::literal::name_value;
use super::py::{self, MAX_DEPTH, PyCall, text};
use super::types::{self, DJANGO, Written};
use crate::classify::Framework;
use crate::frontends::sql::Session;
use crate::model::FileFacts;
use crate::model::migration::Revision;
use crate::model::schema::SqlName;
use crate::model::types::TypeSpec;
use crate::syntax::{Grammar, parse_tree};

/// Read one Django migration file into `facts`.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let Some(tree) = parse_tree(Grammar::Python, &text) else {
        return;
    };
    let root = tree.root_node();
    let mut down = Vec::new();
    // A reverse section is an argument of a call named `RunSQL`: no such name, no walk.
    if text.contains("RunSQL") {
        reverse_sections(root, &text, &mut down, 0);
    }
    let app = app_label(&facts.file.path);
    let reader_app = app.clone();
    let mut session = super::session(facts, Framework::Django, down);
    let mut reader = Reader {
        src: &text,
        session: &mut session,
        app,
    };
    reader.visit(root, 0);
    session.finish(facts);
    let name = file_stem(&facts.file.path);
    if let Some(m) = &mut facts.sql.migration
        && !reader_app.is_empty()
        && !name.is_empty()
    {
        m.revision = Some(Revision {
            id: format!("{reader_app}.{name}"),
            parents: dependencies(root, &text),
            labels: Vec::new(),
        });
    }
}

/// A migration's name: its file name without `.py`.
fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".py").unwrap_or(name).to_string()
}

/// `dependencies = [("shop", "0001_initial"), ("auth", "0012_x")]` as `shop.0001_initial`,
/// `auth.0012_x`; `swappable_dependency(...)`, `__first__`/`__latest__` and computed entries
/// name no file and are left out.
fn dependencies(root: Node, src: &str) -> Vec<String> {
    let Some(list) = py::assigned(root, src, "dependencies") else {
        return Vec::new();
    };
    py::elements(list)
        .into_iter()
        .filter(|d| matches!(d.kind(), "tuple" | "list" | "parenthesized_expression"))
        .filter_map(|d| match py::elements(d).as_slice() {
            [app, name] => Some((py::string_value(*app, src)?, py::string_value(*name, src)?)),
            _ => None,
        })
        .filter(|(_, name)| !name.starts_with("__"))
        .map(|(app, name)| format!("{}.{name}", app.to_lowercase()))
        .collect()
}

/// The app a migration belongs to: the folder holding its `migrations` folder.
fn app_label(path: &str) -> String {
    let mut dirs = path.rsplit('/').skip(1);
    let _migrations = dirs.next();
    dirs.next().unwrap_or("").to_lowercase()
}

/// `RunSQL(…, reverse_sql=…)`: the reverse SQL runs only on rollback.
fn reverse_sections(node: Node, src: &str, out: &mut Vec<(usize, usize)>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(call) = PyCall::of(node, src)
        && call.name == "RunSQL"
        && let Some(reverse) = call.arg(1, "reverse_sql")
    {
        out.push((reverse.start_byte(), reverse.end_byte()));
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        reverse_sections(child, src, out, depth + 1);
    }
}

struct Reader<'a, 't> {
    src: &'t str,
    session: &'a mut Session,
    app: String,
}

impl<'a, 't> Reader<'a, 't> {
    fn visit(&mut self, node: Node<'t>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(call) = PyCall::of(node, self.src)
            && self.operation(&call)
        {
            return;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            // Model state only: nothing runs against the database.
            if child.kind() == "keyword_argument"
                && child
                    .child_by_field_name("name")
                    .is_some_and(|n| text(n, self.src) == "state_operations")
            {
                continue;
            }
            self.visit(child, depth + 1);
        }
    }

    /// The table of a model: `<app>_<model>`, lower-case, placed at the model name.
    fn table(&self, model: SqlName) -> SqlName {
        let model_key = model.text.to_lowercase();
        let text = if self.app.is_empty() {
            model_key
        } else {
            format!("{}_{model_key}", self.app)
        };
        emit::derived(text, model.span)
    }

    /// Read one operation; `true` when it has been read completely.
    fn operation(&mut self, c: &PyCall<'t>) -> bool {
        let src = self.src;
        let receiver = c.receiver_text(src);
        if !(receiver.is_empty() || receiver == "migrations" || receiver.ends_with(".migrations")) {
            return false;
        }
        let call = Call::new(c.node, src);
        match c.name {
            "RemoveField" => {
                if let (Some(model), Some(field)) =
                    (c.name(0, "model_name", src), c.name(1, "name", src))
                {
                    let table = self.table(model);
                    emit::drop_columns(self.session, call, table, vec![field]);
                }
            }
            "DeleteModel" => {
                if let Some(model) = c.name(0, "name", src) {
                    let table = self.table(model);
                    emit::drop_tables(self.session, call, vec![table], false);
                }
            }
            "RenameField" => {
                if let (Some(model), Some(from), Some(to)) = (
                    c.name(0, "model_name", src),
                    c.name(1, "old_name", src),
                    c.name(2, "new_name", src),
                ) {
                    let table = self.table(model);
                    emit::rename_column(self.session, call, table, from, to);
                }
            }
            "RenameModel" => {
                if let (Some(from), Some(to)) =
                    (c.name(0, "old_name", src), c.name(1, "new_name", src))
                {
                    let (from, to) = (self.table(from), self.table(to));
                    emit::rename_table(self.session, call, from, to);
                }
            }
            "AlterField" => {
                if let (Some(model), Some(field), Some(ty)) = (
                    c.name(0, "model_name", src),
                    c.name(1, "name", src),
                    c.arg(2, "field").and_then(|f| field_type(f, src, true)),
                ) {
                    let table = self.table(model);
                    emit::alter_type(self.session, call, table, field, ty, None);
                }
            }
            "AddField" => {
                if let (Some(model), Some(field), Some(ty)) = (
                    c.name(0, "model_name", src),
                    c.name(1, "name", src),
                    c.arg(2, "field").and_then(|f| field_type(f, src, false)),
                ) {
                    let table = self.table(model);
                    self.session
                        .declare(&table.key, &field.key, &ty, c.node.start_byte());
                }
            }
            "CreateModel" => self.create_model(c, call),
            "RunSQL" => {
                let mut texts = Vec::new();
                if let Some(sql) = c.arg(0, "sql") {
                    py::sql_texts(sql, src, &mut texts, 0);
                }
                if let Some(reverse) = c.arg(1, "reverse_sql") {
                    py::sql_texts(reverse, src, &mut texts, 0);
                }
                for lit in texts {
                    self.session.sql(&lit.text, &lit.map);
                }
            }
            _ => return false,
        }
        true
    }

    /// `CreateModel(name, fields=[("x", models.CharField(max_length=50)), …],
    /// options={"db_table": "…"})`.
    fn create_model(&mut self, c: &PyCall<'t>, call: Call) {
        let src = self.src;
        let Some(model) = c.name(0, "name", src) else {
            return;
        };
        let db_table = c
            .arg(2, "options")
            .and_then(|o| dict_value(o, "db_table", src))
            .and_then(|v| name_value(v, src));
        let table = db_table.unwrap_or_else(|| self.table(model));
        emit::create_table(self.session, call, table.clone());
        let Some(fields) = c.arg(1, "fields") else {
            return;
        };
        let mut cursor = fields.walk();
        for field in fields.named_children(&mut cursor) {
            if field.kind() != "tuple" {
                continue;
            }
            let mut c2 = field.walk();
            let parts: Vec<Node> = field.named_children(&mut c2).collect();
            if let [name, ty, ..] = parts.as_slice()
                && let (Some(name), Some(ty)) =
                    (name_value(*name, src), field_type(*ty, src, false))
            {
                self.session
                    .declare(&table.key, &name.key, &ty, field.start_byte());
            }
        }
    }
}

/// The value of `"key": value` in a dict literal.
fn dict_value<'t>(dict: Node<'t>, key: &str, src: &str) -> Option<Node<'t>> {
    if dict.kind() != "dictionary" {
        return None;
    }
    let mut cursor = dict.walk();
    for pair in dict.named_children(&mut cursor) {
        if pair.kind() == "pair"
            && pair
                .child_by_field_name("key")
                .and_then(|k| name_value(k, src))
                .is_some_and(|k| k.text == key)
        {
            return pair.child_by_field_name("value");
        }
    }
    None
}

/// The column type of a field: `models.CharField(max_length=50)` → `varchar(50)`.
fn field_type(field: Node, src: &str, restated: bool) -> Option<TypeSpec> {
    let call = PyCall::of(field, src)?;
    // `max_length=settings.CODE_LENGTH`: the size is not known, nor the type.
    let sized = ["max_length", "max_digits", "decimal_places"];
    if sized
        .iter()
        .any(|k| call.keyword(k).is_some() && call.number(k, src).is_none())
    {
        return None;
    }
    let sizes = Written {
        first: call
            .number("max_length", src)
            .or(call.number("max_digits", src)),
        second: call.number("decimal_places", src),
    };
    let sql = types::sql_of(DJANGO, call.name, sizes)?;
    let written = written_field(&call, src);
    Some(if restated {
        TypeSpec::restated(written, sql)
    } else {
        TypeSpec::framework(written, sql)
    })
}

/// `CharField(max_length=50)`: the field class with its size arguments.
fn written_field(call: &PyCall, src: &str) -> String {
    let sizes: Vec<String> = call
        .keywords
        .iter()
        .filter(|(k, _)| matches!(*k, "max_length" | "max_digits" | "decimal_places"))
        .map(|(k, v)| format!("{k}={}", text(*v, src)))
        .collect();
    format!("{}({})", call.name, sizes.join(", "))
}
