//! Schema operations as the framework front-ends emit them: one helper per kind of call
//! (drop tables, drop columns, rename, change a type, create), each pushing a `SchemaOp` with the
//! call's span and the call as written, so every framework maps its DSL onto the model the same
//! way.

use tree_sitter::Node;

use super::literal::{span, written};
use crate::frontends::sql::Session;
use crate::model::schema::{AlterAction, ObjectKind, SchemaOp, SqlName};
use crate::model::types::TypeSpec;
use crate::source::Span;

/// A call being read: its node and the host text.
#[derive(Clone, Copy)]
pub struct Call<'t> {
    pub node: Node<'t>,
    pub src: &'t str,
}

impl<'t> Call<'t> {
    pub fn new(node: Node<'t>, src: &'t str) -> Self {
        Call { node, src }
    }

    fn span(&self) -> Span {
        span(self.node)
    }

    /// The call as written, without a Ruby block (`drop_table :t do |t| … end` restates the
    /// columns for a rollback; the message names the call).
    fn written(&self) -> String {
        match self.node.child_by_field_name("block") {
            Some(block) => {
                let head = self.src.get(self.node.start_byte()..block.start_byte());
                let head = head.unwrap_or("").split_whitespace().collect::<Vec<_>>();
                head.join(" ")
            }
            None => written(self.node, self.src),
        }
    }
}

/// `drop_table :a` / `Schema::drop('a')` / `op.drop_table('a')`.
pub fn drop_tables(s: &mut Session, call: Call, names: Vec<SqlName>, if_exists: bool) {
    if names.is_empty() {
        return;
    }
    let kind = SchemaOp::Drop {
        object: ObjectKind::Table,
        names,
        if_exists,
        cascade: false,
        temporary: false,
    };
    s.push(kind, call.span(), call.span(), &call.written());
}

/// The span an action points at: the whole call when it names one column, else the column.
fn action_span(call: Call, many: bool, name: &SqlName) -> Span {
    if many { name.span } else { call.span() }
}

/// `remove_column :t, :c` / `$table->dropColumn(['a', 'b'])` / `op.drop_column('t', 'c')`.
pub fn drop_columns(s: &mut Session, call: Call, table: SqlName, columns: Vec<SqlName>) {
    if columns.is_empty() {
        return;
    }
    let many = columns.len() > 1;
    let actions = columns
        .into_iter()
        .map(|column| AlterAction::DropColumn {
            span: action_span(call, many, &column),
            column,
        })
        .collect();
    s.push(
        SchemaOp::AlterTable { table, actions },
        call.span(),
        call.span(),
        &call.written(),
    );
}

/// `rename_column :t, :a, :b`.
pub fn rename_column(s: &mut Session, call: Call, table: SqlName, from: SqlName, to: SqlName) {
    let action = AlterAction::RenameColumn {
        from,
        to,
        span: call.span(),
    };
    s.push(
        SchemaOp::AlterTable {
            table,
            actions: vec![action],
        },
        call.span(),
        call.span(),
        &call.written(),
    );
}

/// `rename_table :a, :b`.
pub fn rename_table(s: &mut Session, call: Call, from: SqlName, to: SqlName) {
    let action = AlterAction::RenameTable {
        to,
        span: call.span(),
    };
    s.push(
        SchemaOp::AlterTable {
            table: from,
            actions: vec![action],
        },
        call.span(),
        call.span(),
        &call.written(),
    );
}

/// `change_column :t, :c, :string, limit: 50`; `from` when the call itself states the old type
/// (Alembic's `existing_type=`).
pub fn alter_type(
    s: &mut Session,
    call: Call,
    table: SqlName,
    column: SqlName,
    to: TypeSpec,
    from: Option<&TypeSpec>,
) {
    if let Some(from) = from {
        s.declare(&table.key, &column.key, from, call.node.start_byte());
    }
    let action = AlterAction::AlterType {
        column,
        from: None,
        to,
        span: call.span(),
    };
    s.push(
        SchemaOp::AlterTable {
            table,
            actions: vec![action],
        },
        call.span(),
        call.span(),
        &call.written(),
    );
}

/// `create_table :t` / `Schema::create('t', …)` / `CreateModel` / `op.create_table('t', …)`.
pub fn create_table(s: &mut Session, call: Call, name: SqlName) {
    let kind = SchemaOp::Create {
        object: ObjectKind::Table,
        name,
        temporary: false,
    };
    s.push(kind, call.span(), call.span(), &call.written());
}

/// Rows deleted or changed by a query builder call (`DB::table('t')->delete()`).
pub fn rows(s: &mut Session, call: Call, kind: SchemaOp) {
    s.push(kind, call.span(), call.span(), &call.written());
}

/// A name the framework derives rather than writes (a join table, `user_id` of a reference),
/// placed at the node that implies it.
pub fn derived(text: String, at: Span) -> SqlName {
    SqlName::new(text, at)
}
