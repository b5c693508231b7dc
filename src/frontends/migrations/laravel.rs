//! Laravel migrations, read with tree-sitter-php: `up()` runs up, `down()` down.
//! `Schema::drop(IfExists)`, `Schema::rename`, `Schema::dropColumns`, and inside a
//! `Schema::table`/`Schema::create` closure `$table->dropColumn(…)` (a string, an array or several
//! strings), `renameColumn`, `rename`, `dropMorphs`, `dropTimestamps`, `dropSoftDeletes`,
//! `dropRememberToken`, `dropConstrainedForeignId` and a column restated with `->change()`;
//! `DB::statement`/`DB::unprepared('SQL')` is SQL; `DB::table('t')->delete()`/`truncate()`/
//! `update(…)` without a `where` touch every row. Columns declared in closures are remembered.

use tree_sitter::Node;

use super::emit::{self, Call};
use super::literal::span;
use super::php::{self, MAX_DEPTH, PhpCall, text};
use super::types::{self, LARAVEL, Written};
use crate::classify::Framework;
use crate::frontends::sql::Session;
use crate::model::FileFacts;
use crate::model::schema::{SchemaOp, SqlName};
use crate::model::types::TypeSpec;
use crate::syntax::{Grammar, parse_tree};

/// Read one Laravel migration file into `facts`.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let Some(tree) = parse_tree(Grammar::Php, &text) else {
        return;
    };
    let root = tree.root_node();
    let down = php::methods_named(root, &text, &["down"]);
    let mut session = super::session(facts, Framework::Laravel, down);
    let mut reader = Reader {
        src: &text,
        session: &mut session,
    };
    reader.visit(root, None, 0);
    session.finish(facts);
}

/// The table a `Schema::table`/`Schema::create` closure works on, and its Blueprint variable.
struct Blueprint {
    var: String,
    table: SqlName,
}

struct Reader<'a, 't> {
    src: &'t str,
    session: &'a mut Session,
}

impl<'a, 't> Reader<'a, 't> {
    fn visit(&mut self, node: Node<'t>, blueprint: Option<&Blueprint>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(call) = PhpCall::of(node, self.src)
            && self.call(&call, blueprint, depth)
        {
            return;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.visit(child, blueprint, depth + 1);
        }
    }

    /// Read a call; `true` when it has been read completely.
    fn call(&mut self, c: &PhpCall<'t>, blueprint: Option<&Blueprint>, depth: usize) -> bool {
        let src = self.src;
        let call = Call::new(c.node, src);
        if let Some(bp) = blueprint
            && !c.is_static
            && text(c.target, src) == bp.var
        {
            return self.blueprint_call(c, bp);
        }
        if c.name == "change"
            && let Some(bp) = blueprint
        {
            return self.change(c, bp);
        }
        if is_schema(c, src) {
            return self.schema_call(c, call, depth);
        }
        if matches!(c.name, "statement" | "unprepared")
            && (c.class(src) == Some("DB") || is_db_connection(c.target, src))
        {
            if let Some(lit) = c.arg(0).and_then(|a| php::sql_text(a, src)) {
                self.session.sql(&lit.text, &lit.map);
            }
            return true;
        }
        if matches!(c.name, "delete" | "truncate" | "update")
            && let Some((table, bounded)) = query_table(c.target, src)
        {
            let kind = match c.name {
                "delete" => SchemaOp::Delete { table, bounded },
                "update" => SchemaOp::Update { table, bounded },
                _ => SchemaOp::Truncate {
                    names: vec![table],
                    cascade: false,
                },
            };
            emit::rows(self.session, call, kind);
            return false;
        }
        false
    }

    fn schema_call(&mut self, c: &PhpCall<'t>, call: Call, depth: usize) -> bool {
        let src = self.src;
        let s = &mut *self.session;
        match c.name {
            "drop" | "dropIfExists" => {
                let names = c.name_arg(0, src).into_iter().collect();
                emit::drop_tables(s, call, names, c.name == "dropIfExists");
            }
            "rename" => {
                if let (Some(from), Some(to)) = (c.name_arg(0, src), c.name_arg(1, src)) {
                    emit::rename_table(s, call, from, to);
                }
            }
            "dropColumns" | "dropColumn" => {
                if let (Some(table), Some(columns)) = (c.name_arg(0, src), c.arg(1)) {
                    emit::drop_columns(s, call, table, php::names(columns, src));
                }
            }
            "create" | "table" | "createIfNotExists" => {
                let Some(table) = c.name_arg(0, src) else {
                    return false;
                };
                if c.name != "table" {
                    emit::create_table(s, call, table.clone());
                }
                if let Some((var, body)) = c.arg(1).and_then(|a| php::closure(a, src)) {
                    let bp = Blueprint { var, table };
                    self.visit(body, Some(&bp), depth + 1);
                }
            }
            _ => return false,
        }
        true
    }

    /// `$table->dropColumn('fax')`, `$table->string('name', 50)`, … in a Schema closure.
    fn blueprint_call(&mut self, c: &PhpCall<'t>, bp: &Blueprint) -> bool {
        let src = self.src;
        let call = Call::new(c.node, src);
        let table = bp.table.clone();
        let s = &mut *self.session;
        let at = span(c.node);
        let fixed = |names: &[&str]| -> Vec<SqlName> {
            names
                .iter()
                .map(|n| emit::derived(n.to_string(), at))
                .collect()
        };
        match c.name {
            "dropColumn" | "dropColumns" => {
                let columns = c.args.iter().flat_map(|a| php::names(*a, src)).collect();
                emit::drop_columns(s, call, table, columns);
            }
            "dropConstrainedForeignId" => {
                emit::drop_columns(s, call, table, c.name_arg(0, src).into_iter().collect());
            }
            "dropMorphs" | "dropNullableMorphs" => {
                if let Some(name) = c.name_arg(0, src) {
                    let columns = vec![
                        emit::derived(format!("{}_type", name.text), name.span),
                        emit::derived(format!("{}_id", name.text), name.span),
                    ];
                    emit::drop_columns(s, call, table, columns);
                }
            }
            "dropTimestamps" | "dropTimestampsTz" => {
                emit::drop_columns(s, call, table, fixed(&["created_at", "updated_at"]));
            }
            "dropSoftDeletes" | "dropSoftDeletesTz" => {
                let columns = match c.name_arg(0, src) {
                    Some(name) => vec![name],
                    None => fixed(&["deleted_at"]),
                };
                emit::drop_columns(s, call, table, columns);
            }
            "dropRememberToken" => {
                emit::drop_columns(s, call, table, fixed(&["remember_token"]));
            }
            "renameColumn" => {
                if let (Some(from), Some(to)) = (c.name_arg(0, src), c.name_arg(1, src)) {
                    emit::rename_column(s, call, table, from, to);
                }
            }
            "rename" => {
                if let Some(to) = c.name_arg(0, src) {
                    emit::rename_table(s, call, table, to);
                }
            }
            _ => {
                if let (Some(column), Some(ty)) = (c.name_arg(0, src), column_type(c, src, false)) {
                    s.declare(&table.key, &column.key, &ty, c.node.start_byte());
                }
            }
        }
        true
    }

    /// `$table->string('name', 50)->nullable()->change()`: the column's whole definition again.
    fn change(&mut self, c: &PhpCall<'t>, bp: &Blueprint) -> bool {
        let src = self.src;
        // Down the chain to `$table->type('column', …)`.
        let mut inner = c.target;
        let mut budget = 32;
        let base = loop {
            let Some(call) = PhpCall::of(inner, src) else {
                return false;
            };
            if !call.is_static && text(call.target, src) == bp.var {
                break call;
            }
            inner = call.target;
            budget -= 1;
            if budget == 0 {
                return false;
            }
        };
        let (Some(column), Some(ty)) = (base.name_arg(0, src), column_type(&base, src, true))
        else {
            return true;
        };
        let call = Call::new(c.node, src);
        emit::alter_type(self.session, call, bp.table.clone(), column, ty, None);
        true
    }
}

/// `Schema::…`, `Schema::connection('x')->…`, `$this->schema->…`.
fn is_schema(c: &PhpCall, src: &str) -> bool {
    if let Some(class) = c.class(src) {
        return class == "Schema";
    }
    let target = text(c.target, src);
    if target.ends_with("->schema") || target.ends_with("getSchemaBuilder()") {
        return true;
    }
    PhpCall::of(c.target, src)
        .is_some_and(|inner| inner.name == "connection" && inner.class(src) == Some("Schema"))
}

/// `DB::connection('x')`.
fn is_db_connection(target: Node, src: &str) -> bool {
    PhpCall::of(target, src)
        .is_some_and(|inner| inner.name == "connection" && inner.class(src) == Some("DB"))
}

/// The table of a query-builder chain that starts at `DB::table('t')`, and whether a `where…`
/// (or another row-limiting call) bounds it.
fn query_table(target: Node, src: &str) -> Option<(SqlName, bool)> {
    let mut node = target;
    let mut bounded = false;
    for _ in 0..32 {
        let call = PhpCall::of(node, src)?;
        if call.name == "table" && call.class(src) == Some("DB") {
            return Some((call.name_arg(0, src)?, bounded));
        }
        if call.name.starts_with("where")
            || matches!(call.name, "find" | "limit" | "take" | "join" | "orWhere")
        {
            bounded = true;
        }
        node = call.target;
    }
    None
}

/// The type of `$table->string('name', 50)` (or `->decimal('x', 8, 2)`).
fn column_type(c: &PhpCall, src: &str, restated: bool) -> Option<TypeSpec> {
    // `$table->string('code', self::LENGTH)`: the size is not known, nor the type.
    if c.args.iter().skip(1).take(2).any(|a| a.kind() != "integer") {
        return None;
    }
    let sizes = Written {
        first: php::number(c.arg(1), src),
        second: php::number(c.arg(2), src),
    };
    let sql = types::sql_of(LARAVEL, c.name, sizes)?;
    let args: Vec<&str> = c.args.iter().skip(1).map(|a| text(*a, src)).collect();
    let written = if args.is_empty() {
        c.name.to_string()
    } else {
        format!("{}({})", c.name, args.join(", "))
    };
    Some(if restated {
        TypeSpec::restated(written, sql)
    } else {
        TypeSpec::framework(written, sql)
    })
}
