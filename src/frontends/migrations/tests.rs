//! Extraction snapshots: one representative migration per framework (`tests/frontends/<framework>/`),
//! read into the model, rendered one change per line (line, direction, operation, the call as
//! written), with the declared column types and the down sections.

use std::fmt::Write as _;

use crate::classify::{FileKind, Framework, NameClass, classify_name};
use crate::levels::path_context;
use crate::model::FileFacts;
use crate::model::schema::{AlterAction, SchemaChange, SchemaOp};
use crate::source::{LineIndex, SourceFile};

fn kind_of(path: &str) -> FileKind {
    match classify_name(path) {
        NameClass::Kind(kind) => kind,
        other => panic!("{path}: {other:?}"),
    }
}

fn facts(case: &str) -> FileFacts {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/frontends");
    let text = std::fs::read_to_string(root.join(case)).expect("case file");
    // The path inside the case folder, as a repository would hold it.
    let path = case.split_once('/').map_or(case, |(_, rest)| rest);
    let kind = kind_of(path);
    assert!(matches!(kind, FileKind::Migration(_)), "{path}: {kind:?}");
    FileFacts::extract(SourceFile::new(path, text), kind, path_context(path))
}

fn op(change: &SchemaChange) -> String {
    let names = |v: &[crate::model::schema::SqlName]| {
        v.iter()
            .map(|n| n.text.as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    match &change.kind {
        SchemaOp::Drop {
            object, names: n, ..
        } => format!("drop {object:?} {}", names(n)),
        SchemaOp::DropOwned { roles } => format!("drop owned {}", names(roles)),
        SchemaOp::Truncate { names: n, .. } => format!("truncate {}", names(n)),
        SchemaOp::Delete { table, bounded } => format!("delete {} bounded={bounded}", table.text),
        SchemaOp::Update { table, bounded } => format!("update {} bounded={bounded}", table.text),
        SchemaOp::Create { object, name, .. } => format!("create {object:?} {}", name.text),
        SchemaOp::AlterTable { table, actions } => {
            let actions: Vec<String> = actions
                .iter()
                .map(|a| match a {
                    AlterAction::DropColumn { column, .. } => {
                        format!("drop-column {}", column.text)
                    }
                    AlterAction::RenameColumn { from, to, .. } => {
                        format!("rename-column {} -> {}", from.text, to.text)
                    }
                    AlterAction::RenameTable { to, .. } => format!("rename-table -> {}", to.text),
                    AlterAction::AlterType {
                        column, from, to, ..
                    } => format!(
                        "alter-type {} {} -> {} ({}){}",
                        column.text,
                        from.as_deref().unwrap_or("?"),
                        to.sql,
                        to.written,
                        if to.restated { " restated" } else { "" }
                    ),
                })
                .collect();
            format!("alter {}: {}", table.text, actions.join("; "))
        }
    }
}

fn render(f: &FileFacts) -> String {
    let index = LineIndex::new(&f.file.text);
    let mut out = String::new();
    for change in &f.sql.statements {
        let line = index.position(&f.file.text, change.span.start()).line;
        let mut flags = Vec::new();
        if change.scratch {
            flags.push("scratch");
        }
        if change.replaced {
            flags.push("replaced");
        }
        let _ = writeln!(
            out,
            "L{line} {:?} {}{} | {}",
            change.direction,
            op(change),
            if flags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", flags.join(","))
            },
            change.written.as_deref().unwrap_or("(SQL)")
        );
    }
    for c in &f.sql.column_types {
        let _ = writeln!(out, "declared {}.{} {}", c.table, c.column, c.ty);
    }
    if let Some(m) = &f.sql.migration {
        let downs: Vec<String> = m
            .down_sections
            .iter()
            .map(|&(s, e)| {
                let a = index.position(&f.file.text, s).line;
                let b = index.position(&f.file.text, e).line;
                format!("L{a}-L{b}")
            })
            .collect();
        let _ = writeln!(out, "down sections: {}", downs.join(", "));
        if let Some(r) = &m.revision {
            let _ = writeln!(out, "revision {} after [{}]", r.id, r.parents.join(", "));
        }
    }
    out
}

#[test]
fn rails() {
    let f = facts("rails/db/migrate/20240301120000_reshape_accounts.rb");
    assert_eq!(f.kind, FileKind::Migration(Framework::Rails));
    insta::assert_snapshot!(render(&f));
}

#[test]
fn laravel() {
    let f = facts("laravel/database/migrations/2024_03_01_120000_reshape_users.php");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn doctrine() {
    let f = facts("doctrine/migrations/Version20240301120000.php");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn django() {
    let f = facts("django/shop/migrations/0002_reshape_orders.py");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn alembic() {
    let f = facts("alembic/migrations/versions/3f2a9c1d_reshape_users.py");
    insta::assert_snapshot!(render(&f));
}

/// SQL inside a string literal is reported where it is written, escapes and all.
#[test]
fn raw_sql_spans_map_into_the_host_file() {
    let f = facts("laravel/database/migrations/2024_03_01_120000_reshape_users.php");
    let drop = f
        .sql
        .statements
        .iter()
        .find(|s| s.written.is_none() && matches!(s.kind, SchemaOp::AlterTable { .. }))
        .expect("the DB::statement");
    let SchemaOp::AlterTable { table, actions } = &drop.kind else {
        unreachable!()
    };
    assert_eq!(f.file.slice(table.span), "\"invoices\\\"");
    assert_eq!(f.file.slice(actions[0].span()), "DROP COLUMN notes");
}

/// Broken input is read as far as it goes, never a crash.
#[test]
fn broken_files_do_not_crash() {
    for (path, text) in [
        (
            "db/migrate/1_x.rb",
            "class X < ActiveRecord::Migration\n  def change\n    remove_column :a, \n",
        ),
        (
            "database/migrations/x.php",
            "<?php Schema::table('a', function ($t) { $t->dropColumn(",
        ),
        ("migrations/Version1.php", "<?php $this->addSql('DROP TABLE"),
        (
            "shop/migrations/0001_x.py",
            "operations = [migrations.RemoveField(model_name=",
        ),
        (
            "migrations/versions/x.py",
            "def upgrade(:\n    op.drop_table(",
        ),
        ("db/migrate/2_x.rb", &"[".repeat(5000)),
    ] {
        let kind = kind_of(path);
        let _ = FileFacts::extract(SourceFile::new(path, text), kind, path_context(path));
    }
}
