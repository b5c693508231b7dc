//! Schema changes, language-independent: what a statement or a migration call does to the
//! database's objects (drop, truncate, delete rows, drop or rename a column, change a type,
//! create), with spans in the host file, whether it runs in an up-migration, and whether it acts
//! on a scratch object. SQL files, SQL inside shell and (later) framework migrations all produce
//! these; rules read them and never learn where they came from.

use crate::model::migration::MigrationFile;
use crate::model::types::{self, TypeChange, TypeSpec};
use crate::source::Span;
use crate::syntax::sql::SqlDialect;

/// What kind of object a `DROP`/`CREATE` names, as far as data is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectKind {
    Database,
    Schema,
    Table,
    View,
    Index,
    Sequence,
    /// Functions, triggers, types, roles, extensions…: no rows are lost.
    Other,
}

/// An object name as written (`public.users`, `"Order"`, `$DB_NAME`), with its span.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SqlName {
    /// The name exactly as written in the host file (placeholders included).
    pub text: String,
    /// Its last part, unquoted and lower-cased, to compare names.
    pub key: String,
    pub span: Span,
}

impl SqlName {
    pub fn new(text: String, span: Span) -> Self {
        let last = text.rsplit('.').next().unwrap_or(&text);
        let key = last
            .trim_matches(|c| c == '"' || c == '`' || c == '\'')
            .to_lowercase();
        SqlName { text, key, span }
    }
}

/// `text` as inline code for a message: in backticks, with backticks inside it (MySQL quoting)
/// dropped so the code span is not broken.
pub fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', ""))
}

/// One action of an `ALTER TABLE` (only those the rules care about).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum AlterAction {
    DropColumn {
        column: SqlName,
        span: Span,
    },
    RenameColumn {
        from: SqlName,
        to: SqlName,
        span: Span,
    },
    RenameTable {
        to: SqlName,
        span: Span,
    },
    /// `ALTER COLUMN … TYPE`, MySQL `MODIFY`/`CHANGE` with a type.
    AlterType {
        column: SqlName,
        /// The old type, when the file declared it earlier (`CREATE TABLE`, `ADD COLUMN`).
        from: Option<String>,
        /// The new type.
        to: TypeSpec,
        span: Span,
    },
}

impl AlterAction {
    pub fn span(&self) -> Span {
        match self {
            AlterAction::DropColumn { span, .. }
            | AlterAction::RenameColumn { span, .. }
            | AlterAction::RenameTable { span, .. }
            | AlterAction::AlterType { span, .. } => *span,
        }
    }

    /// For a type change: whether it is a safe widening or can lose data.
    pub fn type_change(&self) -> Option<TypeChange> {
        match self {
            AlterAction::AlterType { from, to, .. } => Some(types::judge(from.as_deref(), &to.sql)),
            _ => None,
        }
    }

    /// Whether the action can lose or strand data (everything but a safe widening).
    pub fn is_non_additive(&self) -> bool {
        match self {
            AlterAction::AlterType { .. } => self.type_change().is_some_and(|c| c.is_risky()),
            _ => true,
        }
    }
}

/// What a statement does.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SchemaOp {
    Drop {
        object: ObjectKind,
        names: Vec<SqlName>,
        if_exists: bool,
        cascade: bool,
        temporary: bool,
    },
    /// `DROP OWNED BY role`: drops every object the roles own.
    DropOwned {
        roles: Vec<SqlName>,
    },
    Truncate {
        names: Vec<SqlName>,
        cascade: bool,
    },
    Delete {
        table: SqlName,
        /// Has a `WHERE`.
        bounded: bool,
    },
    Update {
        table: SqlName,
        bounded: bool,
    },
    AlterTable {
        table: SqlName,
        actions: Vec<AlterAction>,
    },
    Create {
        object: ObjectKind,
        name: SqlName,
        temporary: bool,
    },
}

/// Whether a change runs when its migration is applied, when it is rolled back, or outside any
/// migration (a script, a dump, a runbook).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeDirection {
    /// An up-migration, an up section, a Rails `change`/`up`, an Alembic `upgrade()`…
    Up,
    /// A down-migration or rollback section: runs only when someone rolls back.
    Down,
    /// Not part of a migration.
    #[default]
    NotMigration,
}

/// Where a change was read from: a SQL file, SQL embedded in another language (shell, a
/// framework's raw-SQL call), or a framework's migration DSL.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum ChangeOrigin {
    #[default]
    Sql,
    /// SQL inside a host language; `index` is its entry in `shell.embedded_sql`.
    Embedded { index: usize },
    /// A framework's migration DSL (`rails`, `laravel`, `django`, …).
    Framework { name: String },
}

/// One schema change: what an SQL statement or a migration call does to the database's objects,
/// whatever language wrote it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SchemaChange {
    /// The operation (historically named after SQL statements; a framework call maps onto the
    /// same operations: `remove_column` is an `AlterTable` with a `DropColumn` action).
    pub kind: SchemaOp,
    /// The whole statement in the host file (for embedded SQL, where the statement text starts).
    pub span: Span,
    /// The offending clause (`DROP TABLE users`), for findings.
    pub clause_span: Span,
    /// Whether sqlparser read it (otherwise only the token reading is known).
    pub parsed: bool,
    /// It acts only on objects created earlier in the same file or script, or on a temp table.
    pub scratch: bool,
    /// It runs when the file's migration is applied, rolled back, or outside a migration.
    pub direction: ChangeDirection,
    /// It sits in a `DO $$ … $$` block.
    pub in_do_block: bool,
    /// The dropped object is rebuilt by the same file: a dump's own drop-then-recreate of what it
    /// restores (`pg_dump --clean`, mysqldump's `DROP TABLE IF EXISTS` before each `CREATE
    /// TABLE`), or a table rebuild that copies the rows into a new table and renames it back
    /// (the SQLite/Prisma way to change a column); or a `DROP TABLE IF EXISTS` right before the
    /// first migration of its set to create the table creates it (nothing existed to drop).
    pub replaced: bool,
    /// Where it was read from.
    pub origin: ChangeOrigin,
    /// The change as the code wrote it, when that is not SQL (`remove_column :users, :fax`), for
    /// messages in the framework's own words; `None` for SQL, whose clause is shown instead.
    pub written: Option<String>,
}

impl SchemaChange {
    /// It runs when its migration is applied (an up-migration or up section).
    pub fn up_migration(&self) -> bool {
        self.direction == ChangeDirection::Up
    }

    /// How a message names the change: the framework call as written (`written`), else `sql`
    /// (the SQL keyword or clause), as inline code.
    pub fn shown(&self, sql: &str) -> String {
        code(self.written.as_deref().unwrap_or(sql))
    }

    /// ` (`call as written`)` for a message about a part of the change; empty for SQL.
    pub fn written_note(&self) -> String {
        self.written
            .as_deref()
            .map(|w| format!(" ({})", code(w)))
            .unwrap_or_default()
    }

    /// For SQL embedded in another language: the index into `shell.embedded_sql`.
    pub fn embedded(&self) -> Option<usize> {
        match self.origin {
            ChangeOrigin::Embedded { index } => Some(index),
            _ => None,
        }
    }

    /// False for statements on scratch objects or on objects the same file rebuilds.
    pub fn acts_on_data(&self) -> bool {
        !self.scratch && !self.replaced
    }

    /// Non-additive: it can delete rows or columns, or break the running application
    /// (drop/truncate/unbounded delete/drop column/rename/narrowing type change).
    pub fn is_non_additive(&self) -> bool {
        if !self.acts_on_data() {
            return false;
        }
        match &self.kind {
            SchemaOp::Drop { object, .. } => matches!(
                object,
                ObjectKind::Database | ObjectKind::Schema | ObjectKind::Table
            ),
            SchemaOp::DropOwned { .. } | SchemaOp::Truncate { .. } => true,
            SchemaOp::Delete { bounded, .. } | SchemaOp::Update { bounded, .. } => !bounded,
            SchemaOp::AlterTable { actions, .. } => actions.iter().any(|a| a.is_non_additive()),
            SchemaOp::Create { .. } => false,
        }
    }
}

/// A column type a file declares (`CREATE TABLE`, `ADD COLUMN`, a type change), in file order:
/// lets a later migration's type change be judged against the type an earlier one declared.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ColumnType {
    /// Table and column keys (last name part, unquoted, lower-case).
    pub table: String,
    pub column: String,
    /// The type as written (lower-cased when it came from the parser).
    pub ty: String,
}

/// A database dropped by a command-line tool (`dropdb shop`, `redis-cli FLUSHALL`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CliDrop {
    /// The tool as written (`dropdb`, `mysqladmin`, `redis-cli`, `mongosh`).
    pub tool: String,
    /// What it says, for messages (`dropdb shop`, `redis-cli FLUSHALL`).
    pub shown: String,
    /// The database named, as written, when there is one.
    pub target: Option<String>,
    /// The command's span in the host file.
    pub span: Span,
    /// Created earlier in the same script (`createdb test_restore … dropdb test_restore`).
    pub scratch: bool,
}

/// Everything the SQL layer knows about one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SqlFacts {
    /// The dialect the file was read in (`.sql` files).
    pub dialect: SqlDialect,
    /// The dialect a per-path setting fixes for this file (`[sql-dialects]` in the config).
    #[serde(skip)]
    pub dialect_setting: Option<SqlDialect>,
    /// The file is a dump (pg_dump, mysqldump, mariadb-dump), by its header.
    pub dump: bool,
    /// The file's migration layout, when it is a migration.
    pub migration: Option<MigrationFile>,
    pub statements: Vec<SchemaChange>,
    /// Column types the file declares, in order (`.sql` files).
    pub column_types: Vec<ColumnType>,
    /// Tables and views a migration creates, in order (name key, kind): what the `CREATE`
    /// statements said once they are released, for later migrations of the set.
    pub created: Vec<(String, ObjectKind)>,
    pub cli_drops: Vec<CliDrop>,
    /// Statements sqlparser could not read (their start in the host file).
    pub unparsed: Vec<Span>,
    /// Problems as (host offset, message), turned into info notices.
    #[serde(skip)]
    pub problems: Vec<(usize, String)>,
}

impl crate::model::cold::Empty for SqlFacts {
    fn empty() -> &'static Self {
        static EMPTY: SqlFacts = SqlFacts {
            dialect: SqlDialect::Postgres,
            dialect_setting: None,
            dump: false,
            migration: None,
            statements: Vec::new(),
            column_types: Vec::new(),
            created: Vec::new(),
            cli_drops: Vec::new(),
            unparsed: Vec::new(),
            problems: Vec::new(),
        };
        &EMPTY
    }
}

impl SqlFacts {
    /// Whether the file is an up-migration (or has an up section). Every up-migration in the
    /// repository counts as pending: the scanner cannot see which ones a database has applied.
    pub fn is_pending_up_migration(&self) -> bool {
        self.migration.as_ref().is_some_and(|m| {
            m.direction == crate::model::migration::Direction::Up || !m.up_sections.is_empty()
        })
    }

    /// Tables and views the file creates, in order (from its `CREATE` statements, or what
    /// [`SqlFacts::created`] kept of them).
    pub fn created_objects(&self) -> Vec<(String, ObjectKind)> {
        // Once compaction has recorded them, the statements no longer hold every creation (a
        // migration keeps its tables, not its views).
        if !self.created.is_empty() {
            return self.created.clone();
        }
        self.statements
            .iter()
            .filter_map(|s| match &s.kind {
                SchemaOp::Create {
                    object: object @ (ObjectKind::Table | ObjectKind::View),
                    name,
                    temporary: false,
                } => Some((name.key.clone(), *object)),
                _ => None,
            })
            .collect()
    }

    /// Non-additive statements of the file's up-migration parts (for the backup pack).
    pub fn non_additive(&self) -> impl Iterator<Item = &SchemaChange> {
        self.statements
            .iter()
            .filter(|s| s.up_migration() && s.is_non_additive())
    }
}
