//! SQL facts: the statements of `.sql` files and of SQL embedded in shell, typed (`DROP`,
//! `TRUNCATE`, `DELETE`, `UPDATE`, `ALTER TABLE` actions, `CREATE`), with spans in the host file,
//! whether they run in an up-migration, and whether they act on a scratch object created earlier
//! in the same file or script. Also the CLI forms of dropping a database (`dropdb`, `mysqladmin
//! drop`, `redis-cli FLUSHALL`, `mongosh --eval 'db.dropDatabase()'`).
//!
//! Pipeline per text: substitute shell expansions (same byte length) → split into statements
//! (`split.rs`) → read each by tokens (`tokens.rs`, names as written) → parse each with sqlparser
//! (`parse.rs`) to confirm and refine. A statement the parser cannot read keeps its token reading
//! and counts toward an info notice. Rules read [`SqlFacts`]; they never see sqlparser.

pub mod layout;
mod parse;
mod split;
mod tokens;
pub mod types;

use std::collections::{BTreeMap, HashMap};

use super::{FileFacts, Region};
use crate::levels::Context;
use crate::source::{OffsetMap, Span};
use layout::MigrationFile;
use parse::Parsed;
use split::{PieceKind, TokenKind};
use types::TypeChange;

/// The SQL dialect a text is read in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SqlDialect {
    #[default]
    Postgres,
    MySql,
    Sqlite,
}

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
        /// The new type as written.
        to: String,
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
            AlterAction::AlterType { from, to, .. } => Some(types::judge(from.as_deref(), to)),
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
pub enum StmtKind {
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

/// One statement that matters to the sql pack.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SqlStatement {
    pub kind: StmtKind,
    /// The whole statement in the host file (for embedded SQL, where the statement text starts).
    pub span: Span,
    /// The offending clause (`DROP TABLE users`), for findings.
    pub clause_span: Span,
    /// Whether sqlparser read it (otherwise only the token reading is known).
    pub parsed: bool,
    /// It acts only on objects created earlier in the same file or script, or on a temp table.
    pub scratch: bool,
    /// It runs when the file's migration is applied (an up-migration or up section).
    pub up_migration: bool,
    /// It sits in a `DO $$ … $$` block.
    pub in_do_block: bool,
    /// The dropped object is rebuilt by the same file: a dump's own drop-then-recreate of what it
    /// restores (`pg_dump --clean`, mysqldump's `DROP TABLE IF EXISTS` before each `CREATE
    /// TABLE`), or a table rebuild that copies the rows into a new table and renames it back
    /// (the SQLite/Prisma way to change a column).
    pub replaced: bool,
    /// For SQL embedded in shell: the index into `shell.embedded_sql`.
    pub embedded: Option<usize>,
}

impl SqlStatement {
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
            StmtKind::Drop { object, .. } => matches!(
                object,
                ObjectKind::Database | ObjectKind::Schema | ObjectKind::Table
            ),
            StmtKind::DropOwned { .. } | StmtKind::Truncate { .. } => true,
            StmtKind::Delete { bounded, .. } | StmtKind::Update { bounded, .. } => !bounded,
            StmtKind::AlterTable { actions, .. } => actions.iter().any(|a| a.is_non_additive()),
            StmtKind::Create { .. } => false,
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
    pub statements: Vec<SqlStatement>,
    /// Column types the file declares, in order (`.sql` files).
    pub column_types: Vec<ColumnType>,
    pub cli_drops: Vec<CliDrop>,
    /// Statements sqlparser could not read (their start in the host file).
    pub unparsed: Vec<Span>,
    /// Problems as (host offset, message), turned into info notices.
    #[serde(skip)]
    pub problems: Vec<(usize, String)>,
}

impl SqlFacts {
    /// Whether the file is an up-migration (or has an up section). Every up-migration in the
    /// repository counts as pending: the scanner cannot see which ones a database has applied.
    pub fn is_pending_up_migration(&self) -> bool {
        self.migration
            .as_ref()
            .is_some_and(|m| m.direction == layout::Direction::Up || !m.up_sections.is_empty())
    }

    /// Non-additive statements of the file's up-migration parts (for the backup pack).
    pub fn non_additive(&self) -> impl Iterator<Item = &SqlStatement> {
        self.statements
            .iter()
            .filter(|s| s.up_migration && s.is_non_additive())
    }
}

/// The repository's pending non-additive migration changes, as (path, statement), in path order:
/// what a backup rule asks before a `migrate up` step ("is there anything to lose?").
pub fn pending_non_additive(files: &[FileFacts]) -> Vec<(&str, &SqlStatement)> {
    let mut out: Vec<(&str, &SqlStatement)> = files
        .iter()
        .filter(|f| f.sql.is_pending_up_migration())
        .flat_map(|f| f.sql.non_additive().map(|s| (f.file.path.as_str(), s)))
        .collect();
    out.sort_by_key(|(path, s)| (*path, s.span.start));
    out
}

/// The type an earlier migration of the same set declared for `table.column` (the last one
/// before `path` in migration order), with the declaring file's path.
pub fn earlier_column_type<'a>(
    files: &'a [FileFacts],
    path: &str,
    table: &str,
    column: &str,
) -> Option<(&'a str, &'a str)> {
    let here = layout::order_key(path);
    let mut earlier: Vec<(_, &FileFacts)> = files
        .iter()
        .filter(|f| f.sql.migration.is_some() && f.file.path != path)
        .filter_map(|f| {
            let key = layout::order_key(&f.file.path);
            (key.0 == here.0 && key < here).then_some((key, f))
        })
        .collect();
    earlier.sort_by(|a, b| a.0.cmp(&b.0));
    earlier.iter().rev().find_map(|(_, f)| {
        f.sql
            .column_types
            .iter()
            .rev()
            .find(|c| c.table == table && c.column == column)
            .map(|c| (c.ty.as_str(), f.file.path.as_str()))
    })
}

/// Guess the dialect of a `.sql` file from its path and content.
pub fn detect_dialect(path: &str, text: &str) -> SqlDialect {
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    for line in head.lines().take(20) {
        if let Some(rest) = line.trim().strip_prefix("-- dialect:") {
            match rest.trim() {
                "mysql" | "mariadb" => return SqlDialect::MySql,
                "sqlite" => return SqlDialect::Sqlite,
                "postgres" | "postgresql" => return SqlDialect::Postgres,
                _ => {}
            }
        }
    }
    let lower_path = path.to_ascii_lowercase();
    if lower_path.contains("mysql") || lower_path.contains("mariadb") {
        return SqlDialect::MySql;
    }
    if lower_path.contains("sqlite") {
        return SqlDialect::Sqlite;
    }
    let mysql_hints = [
        "-- mysql dump",
        "-- mariadb dump",
        "/*!40101",
        "engine=",
        "auto_increment",
        "lock tables",
    ];
    let sample: String = text
        .chars()
        .take(65536)
        .collect::<String>()
        .to_ascii_lowercase();
    // Backticks quote identifiers only in MySQL code; in comments and strings they are prose
    // (Prisma's SQLite migrations open with a `/* Warnings: … the column `tag` … */` block).
    if mysql_hints.iter().any(|h| sample.contains(h))
        || code_outside_comments(&sample).contains('`')
    {
        return SqlDialect::MySql;
    }
    if sample.contains("pragma ") || sample.contains("autoincrement") {
        return SqlDialect::Sqlite;
    }
    SqlDialect::Postgres
}

/// `text` without `--` line comments, `/* … */` block comments (MySQL's `/*! … */` versioned
/// comments are code and stay) and single-quoted strings: what a dialect guess may look at.
fn code_outside_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("--") {
            rest = rest.find('\n').map_or("", |i| &rest[i..]);
        } else if rest.starts_with("/*") && !rest.starts_with("/*!") {
            rest = rest[2..].find("*/").map_or("", |i| &rest[i + 4..]);
        } else if c == '\'' {
            rest = rest[1..].find('\'').map_or("", |i| &rest[i + 2..]);
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Replace shell expansions (`$DB`, `${DB}`, `$(cmd)`, `$1`) with identifier characters of the
/// same byte length, so the SQL lexes and parses and every offset stays put. `$$` and `$tag$`
/// dollar quotes are kept.
pub fn substitute_placeholders(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for byte in &mut out[from..to.min(b.len())] {
            if !(byte.is_ascii_alphanumeric() || *byte == b'_') {
                *byte = b'_';
            }
        }
    };
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        let next = b.get(i + 1).copied();
        match next {
            Some(b'{') | Some(b'(') => {
                let (open, close) = if next == Some(b'{') {
                    (b'{', b'}')
                } else {
                    (b'(', b')')
                };
                let mut depth = 0;
                let mut j = i + 1;
                while j < b.len() {
                    if b[j] == open {
                        depth += 1;
                    } else if b[j] == close {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                let end = (j + 1).min(b.len());
                blank(&mut out, i, end);
                i = end;
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                if b.get(j) == Some(&b'$') {
                    // `$tag$`: a dollar quote, not an expansion.
                    i = j + 1;
                    continue;
                }
                blank(&mut out, i, j);
                i = j;
            }
            Some(c) if c.is_ascii_digit() => {
                blank(&mut out, i, i + 2);
                i += 2;
            }
            Some(b'$') => i += 2,
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced by ASCII, so the text stays valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Per-file (or per-script) state: objects created so far and the column types declared.
#[derive(Default)]
struct State {
    /// (object kind, key) → host offset of the first CREATE. A map, not a list: a file of
    /// 100,000 statements asks it once per drop.
    created: HashMap<(ObjectKind, String), usize>,
    /// (table key, column key) → type as written.
    columns: BTreeMap<(String, String), String>,
    /// Every declaration, in order.
    declared: Vec<ColumnType>,
    /// `INSERT INTO into … SELECT … FROM from`: (into key, from key, host offset).
    copies: Vec<(String, String, usize)>,
    unparsed_first: Option<(usize, String)>,
    unparsed_count: usize,
}

impl State {
    /// Remember a column's type; `public` declarations (not in a down section) are kept for
    /// later migrations to look up.
    fn declare(&mut self, table: &str, column: &str, ty: &str, public: bool) {
        self.columns
            .insert((table.to_string(), column.to_string()), ty.to_string());
        if !public {
            return;
        }
        self.declared.push(ColumnType {
            table: table.to_string(),
            column: column.to_string(),
            ty: ty.to_string(),
        });
    }

    /// Remember that `object` `key` is created at host offset `at` (the first creation counts).
    fn create(&mut self, object: ObjectKind, key: String, at: usize) {
        let first = self.created.entry((object, key)).or_insert(at);
        *first = (*first).min(at);
    }

    fn created_before(&self, object: ObjectKind, key: &str, offset: usize) -> bool {
        // A database and a schema are the same thing in MySQL, and close enough elsewhere.
        let kinds: &[ObjectKind] = match object {
            ObjectKind::Database | ObjectKind::Schema => {
                &[ObjectKind::Database, ObjectKind::Schema]
            }
            _ => std::slice::from_ref(&object),
        };
        let key = key.to_string();
        kinds.iter().any(|&k| {
            self.created
                .get(&(k, key.clone()))
                .is_some_and(|&at| at < offset)
        })
    }
}

/// One run of SQL text and how its offsets reach the host file.
struct Unit<'a> {
    orig: &'a str,
    sub: &'a str,
    dialect: SqlDialect,
    map: &'a OffsetMap,
    migration: Option<&'a MigrationFile>,
    embedded: Option<usize>,
}

/// Extract the statements of a `.sql` file.
pub fn extract_file(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let dialect = facts
        .sql
        .dialect_setting
        .unwrap_or_else(|| detect_dialect(&facts.file.path, &text));
    let migration = layout::detect(&facts.file.path, &text);
    if let Some(m) = &migration {
        for &(start, end) in &m.down_sections {
            facts.regions.push(Region {
                span: Span::new(start, end),
                context: Some(Context::DownMigration),
                guard: None,
            });
        }
    }
    let map = OffsetMap::verbatim(0, text.len());
    let mut state = State::default();
    // `.sql` files can be templates too (`envsubst`, `${DB_NAME}`).
    let sub = substitute_placeholders(&text);
    let unit = Unit {
        orig: &text,
        sub: &sub,
        dialect,
        map: &map,
        migration: migration.as_ref(),
        embedded: None,
    };
    analyse(&unit, &mut state, &mut facts.sql.statements);
    mark_rebuilds(&mut facts.sql.statements, &state);
    facts.sql.column_types = std::mem::take(&mut state.declared);
    facts.sql.dump = is_dump(&text);
    if facts.sql.dump {
        mark_dump_replacements(&mut facts.sql.statements);
    }
    facts.sql.dialect = dialect;
    facts.sql.migration = migration;
    report_unparsed(&mut facts.sql, &state);
}

/// Clients whose scripts are not SQL (their drops are read from the command line instead).
const NOT_SQL_CLIENTS: &[&str] = &["mongosh", "mongo", "redis-cli", "valkey-cli", "keydb-cli"];

/// Extract the statements of SQL embedded in the file's shell (`facts.shell.embedded_sql`), and
/// the CLI forms of dropping a database.
pub fn extract_embedded(facts: &mut FileFacts) {
    let mut state = State::default();
    // `createdb x` / `mysqladmin create x` earlier in the script make `x` a scratch database.
    for command in &facts.shell.commands {
        if let Some(name) = cli_created_database(command) {
            state.create(ObjectKind::Database, name, command.span.start());
        }
    }
    let mut order: Vec<usize> = (0..facts.shell.embedded_sql.len()).collect();
    order.sort_by_key(|&i| facts.shell.embedded_sql[i].map.to_host(0));
    let mut statements = Vec::new();
    for i in order {
        let embedded = &facts.shell.embedded_sql[i];
        if NOT_SQL_CLIENTS.contains(&embedded.client.as_str()) {
            continue;
        }
        let dialect = match embedded.client.as_str() {
            "mysql" | "mariadb" => SqlDialect::MySql,
            "sqlite3" | "sqlite" => SqlDialect::Sqlite,
            _ => SqlDialect::Postgres,
        };
        let sub = substitute_placeholders(&embedded.text);
        let unit = Unit {
            orig: &embedded.text,
            sub: &sub,
            dialect,
            map: &embedded.map,
            migration: None,
            embedded: Some(i),
        };
        analyse(&unit, &mut state, &mut statements);
    }
    mark_rebuilds(&mut statements, &state);
    facts.sql.statements.extend(statements);
    let drops: Vec<CliDrop> = facts
        .shell
        .commands
        .iter()
        .filter_map(|c| cli_drop(c, &state))
        .collect();
    facts.sql.cli_drops.extend(drops);
    report_unparsed(&mut facts.sql, &state);
}

/// `INSERT INTO new … SELECT … FROM old; DROP TABLE old; ALTER TABLE new RENAME TO old`: the
/// rows live on in the rebuilt table.
fn mark_rebuilds(statements: &mut [SqlStatement], state: &State) {
    if state.copies.is_empty() {
        return;
    }
    // Copies by source table: a drop asks only about copies of the table it drops.
    let mut copies_of: HashMap<&str, Vec<(&str, usize)>> = HashMap::new();
    for (into, from, copied) in &state.copies {
        copies_of
            .entry(from.as_str())
            .or_default()
            .push((into.as_str(), *copied));
    }
    let renames: Vec<(String, String, usize)> = statements
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::AlterTable { table, actions } => {
                Some(actions.iter().filter_map(|a| match a {
                    AlterAction::RenameTable { to, .. } => {
                        Some((table.key.clone(), to.key.clone(), s.span.start()))
                    }
                    _ => None,
                }))
            }
            _ => None,
        })
        .flatten()
        .collect();
    for stmt in statements.iter_mut() {
        let StmtKind::Drop {
            object: ObjectKind::Table,
            names,
            ..
        } = &stmt.kind
        else {
            continue;
        };
        let at = stmt.span.start();
        let rebuilt = |old: &str| {
            copies_of.get(old).is_some_and(|copies| {
                copies.iter().any(|(into, copied)| {
                    *copied < at
                        && renames
                            .iter()
                            .any(|(t, to, renamed)| t == into && to == old && *renamed > at)
                })
            })
        };
        if !names.is_empty() && names.iter().all(|n| rebuilt(&n.key)) {
            stmt.replaced = true;
        }
    }
}

/// Whether the text starts like a pg_dump or mysqldump/mariadb-dump file.
fn is_dump(text: &str) -> bool {
    let head: String = text.chars().take(2048).collect();
    [
        "-- PostgreSQL database dump",
        "-- PostgreSQL database cluster dump",
        "-- MySQL dump",
        "-- MariaDB dump",
    ]
    .iter()
    .any(|h| head.contains(h))
}

/// In a dump, a drop of an object the dump creates again later is how the dump restores it.
/// mysqldump drops a view's name as a table first (`DROP TABLE IF EXISTS v` in its "Temporary
/// view structure" block, then `CREATE VIEW v`): a table dropped and created again as a view
/// is restored too.
fn mark_dump_replacements(statements: &mut [SqlStatement]) {
    // (kind, key) → offset of the last CREATE: one look-up per drop, however long the dump.
    let mut last_create: HashMap<(ObjectKind, &str), usize> = HashMap::new();
    for s in statements.iter() {
        if let StmtKind::Create { object, name, .. } = &s.kind {
            let at = last_create.entry((*object, name.key.as_str())).or_insert(0);
            *at = (*at).max(s.span.start());
        }
    }
    let replaced: Vec<bool> = statements
        .iter()
        .map(|stmt| {
            let StmtKind::Drop { object, names, .. } = &stmt.kind else {
                return stmt.replaced;
            };
            let kinds: &[ObjectKind] = match object {
                ObjectKind::Table => &[ObjectKind::Table, ObjectKind::View],
                other => std::slice::from_ref(other),
            };
            let recreated_later = |key: &str| {
                kinds.iter().any(|&k| {
                    last_create
                        .get(&(k, key))
                        .is_some_and(|&at| at > stmt.span.start())
                })
            };
            stmt.replaced || (!names.is_empty() && names.iter().all(|n| recreated_later(&n.key)))
        })
        .collect();
    for (stmt, replaced) in statements.iter_mut().zip(replaced) {
        stmt.replaced = replaced;
    }
}

fn report_unparsed(sql: &mut SqlFacts, state: &State) {
    if let Some((offset, error)) = &state.unparsed_first {
        let more = if state.unparsed_count > 1 {
            format!(" and {} more", state.unparsed_count - 1)
        } else {
            String::new()
        };
        sql.problems.push((
            *offset,
            format!(
                "an SQL statement could not be parsed ({error}){more}; such statements were checked by keywords only"
            ),
        ));
    }
}

/// Statements starting with these keywords are parsed; the rest are only tokenized.
const PARSED_VERBS: &[&str] = &[
    "drop", "truncate", "delete", "update", "alter", "rename", "create",
];

/// Split, read and parse one unit of SQL, appending its statements.
fn analyse(unit: &Unit, state: &mut State, out: &mut Vec<SqlStatement>) {
    let mut pieces = split::pieces(unit.sub, unit.dialect).peekable();
    while let Some(piece) = pieces.next() {
        if piece.kind != PieceKind::Statement {
            continue;
        }
        // psql runs what a query followed by `\gexec` returns.
        let gexec = pieces.peek().is_some_and(|p| {
            p.kind == PieceKind::Meta
                && unit
                    .sub
                    .get(p.start..p.end)
                    .is_some_and(|m| m.starts_with("\\gexec"))
        });
        let Some(last) = piece.tokens.last() else {
            continue;
        };
        let stmt_range = (piece.start, last.end);
        let first_is_do = piece.tokens[0].is_kw(unit.sub, "do");
        if let Some((into, from)) = tokens::insert_select(&piece.tokens, unit.sub, unit.orig) {
            state
                .copies
                .push((into, from, unit.map.to_host(stmt_range.0)));
        }
        let (readings, parsed, in_do) = if first_is_do {
            (read_do_block(unit, &piece.tokens), None, true)
        } else {
            let mut readings = tokens::read(&piece.tokens, unit.sub, unit.orig, unit.dialect);
            if gexec {
                readings.extend(tokens::generated(
                    &piece.tokens,
                    unit.sub,
                    unit.orig,
                    unit.dialect,
                ));
            }
            // Only statements that can change structure or delete rows are worth the parser's
            // time: a dump's INSERT and COPY lines are most of its bytes (the tokenizer is 3-4x
            // faster than the parser).
            let worth_parsing = PARSED_VERBS
                .iter()
                .any(|kw| piece.tokens[0].is_kw(unit.sub, kw));
            let parsed = worth_parsing
                .then(|| parse::parse(&unit.sub[stmt_range.0..stmt_range.1], unit.dialect));
            (readings, parsed, false)
        };
        let parsed_ok = match &parsed {
            Some(Ok(p)) => Some(p),
            Some(Err(error)) => {
                state.unparsed_count += 1;
                if state.unparsed_first.is_none() {
                    let host = unit.map.to_host(stmt_range.0);
                    state.unparsed_first = Some((host, error.clone()));
                }
                None
            }
            None => None,
        };
        let in_down = unit
            .migration
            .is_some_and(|m| !m.is_up_at(unit.map.to_host(stmt_range.0)));
        let declared = match (parsed_ok, readings.first().map(|r| &r.kind)) {
            (Some(Parsed::CreateTable { columns, .. }), Some(StmtKind::Create { name, .. })) => {
                Some((name, columns))
            }
            (Some(Parsed::AlterTable { added, .. }), Some(StmtKind::AlterTable { table, .. })) => {
                Some((table, added))
            }
            _ => None,
        };
        if let Some((table, columns)) = declared {
            for (col, ty) in columns {
                state.declare(
                    &table.key,
                    &col.to_lowercase(),
                    &ty.to_lowercase(),
                    !in_down,
                );
            }
        }
        let host_stmt = unit.map.span_to_host(Span::new(stmt_range.0, stmt_range.1));
        for reading in readings {
            let Some(kind) = refine(reading.kind, parsed_ok) else {
                continue;
            };
            let kind = fill_old_types(kind, state, !in_down);
            let host_offset = host_stmt.start();
            let scratch = is_scratch(&kind, state, host_offset);
            record(&kind, state, host_offset, scratch);
            let up_migration = unit
                .migration
                .is_some_and(|m| m.is_up_at(unit.map.to_host(reading.clause.0)));
            let clause = Span::new(reading.clause.0, reading.clause.1);
            out.push(SqlStatement {
                kind: remap(kind, unit.map),
                span: host_stmt,
                clause_span: unit.map.span_to_host(clause),
                parsed: parsed_ok.is_some(),
                scratch,
                up_migration,
                in_do_block: in_do,
                replaced: false,
                embedded: unit.embedded,
            });
        }
    }
}

/// `DO [LANGUAGE x] $$ body $$`: read the body's statements by tokens.
fn read_do_block(unit: &Unit, toks: &[split::Token]) -> Vec<tokens::Reading> {
    let Some(body) = toks
        .iter()
        .find(|t| matches!(t.kind, TokenKind::Dollar { .. }))
    else {
        return Vec::new();
    };
    let TokenKind::Dollar { tag_len } = body.kind else {
        return Vec::new();
    };
    let start = body.start + tag_len;
    let end = body.end.saturating_sub(tag_len).max(start);
    let Some(slice) = unit.sub.get(start..end) else {
        return Vec::new();
    };
    let inner: Vec<split::Token> = split::tokenize(slice, unit.dialect)
        .into_iter()
        .map(|t| split::Token {
            start: t.start + start,
            end: t.end + start,
            ..t
        })
        .collect();
    tokens::read_body(&inner, unit.sub, unit.orig, unit.dialect)
}

/// Combine the token reading with what the parser says; `None` drops a reading the parser
/// contradicts (the statement is something else).
fn refine(kind: StmtKind, parsed: Option<&Parsed>) -> Option<StmtKind> {
    let Some(parsed) = parsed else {
        return Some(kind);
    };
    match (kind, parsed) {
        (
            StmtKind::Drop {
                object,
                names,
                if_exists: _,
                cascade: _,
                temporary: t,
            },
            Parsed::Drop {
                if_exists,
                cascade,
                temporary,
                ..
            },
        ) => Some(StmtKind::Drop {
            object,
            names,
            if_exists: *if_exists,
            cascade: *cascade,
            temporary: t || *temporary,
        }),
        (StmtKind::Truncate { names, cascade: c }, Parsed::Truncate { cascade }) => {
            Some(StmtKind::Truncate {
                names,
                cascade: c || *cascade,
            })
        }
        // The parser sees a WHERE the tokens may miss; the tokens see a `JOIN … ON` bound.
        (StmtKind::Delete { table, bounded: b }, Parsed::Delete { bounded }) => {
            Some(StmtKind::Delete {
                table,
                bounded: b || *bounded,
            })
        }
        (StmtKind::Update { table, bounded: b }, Parsed::Update { bounded }) => {
            Some(StmtKind::Update {
                table,
                bounded: b || *bounded,
            })
        }
        (
            StmtKind::Create {
                object,
                name,
                temporary: t,
            },
            Parsed::CreateTable { temporary, .. },
        ) => Some(StmtKind::Create {
            object,
            name,
            temporary: t || *temporary,
        }),
        (k @ StmtKind::DropOwned { .. }, _) => Some(k),
        (k @ StmtKind::AlterTable { .. }, Parsed::AlterTable { .. } | Parsed::RenameTable) => {
            Some(k)
        }
        (k @ StmtKind::Create { .. }, Parsed::CreateDatabase | Parsed::CreateSchema) => Some(k),
        (
            k @ StmtKind::Create {
                object: ObjectKind::View,
                ..
            },
            Parsed::CreateView,
        ) => Some(k),
        // The parser read something else (e.g. `ALTER TABLE` of another object kind).
        (_, _) => None,
    }
}

/// Fill `from` of type changes from columns declared earlier in the file; remember new types.
fn fill_old_types(kind: StmtKind, state: &mut State, public: bool) -> StmtKind {
    let StmtKind::AlterTable { table, actions } = kind else {
        return kind;
    };
    let actions = actions
        .into_iter()
        .map(|action| match action {
            AlterAction::AlterType {
                column, to, span, ..
            } => {
                let key = (table.key.clone(), column.key.clone());
                let from = state.columns.get(&key).cloned();
                state.declare(&key.0, &key.1, &to, public);
                AlterAction::AlterType {
                    column,
                    from,
                    to,
                    span,
                }
            }
            other => other,
        })
        .collect();
    StmtKind::AlterTable { table, actions }
}

fn is_scratch(kind: &StmtKind, state: &State, offset: usize) -> bool {
    let all_created = |object: ObjectKind, names: &[SqlName]| {
        !names.is_empty()
            && names
                .iter()
                .all(|n| state.created_before(object, &n.key, offset))
    };
    match kind {
        StmtKind::Drop {
            object,
            names,
            temporary,
            ..
        } => *temporary || all_created(*object, names),
        StmtKind::Truncate { names, .. } => all_created(ObjectKind::Table, names),
        StmtKind::Delete { table, .. }
        | StmtKind::Update { table, .. }
        | StmtKind::AlterTable { table, .. } => {
            state.created_before(ObjectKind::Table, &table.key, offset)
        }
        StmtKind::DropOwned { .. } | StmtKind::Create { .. } => false,
    }
}

/// Remember objects a statement creates (a renamed scratch table stays scratch).
fn record(kind: &StmtKind, state: &mut State, offset: usize, scratch: bool) {
    match kind {
        StmtKind::Create { object, name, .. } => {
            state.create(*object, name.key.clone(), offset);
        }
        StmtKind::AlterTable { actions, .. } if scratch => {
            for action in actions {
                if let AlterAction::RenameTable { to, .. } = action {
                    state.create(ObjectKind::Table, to.key.clone(), offset);
                }
            }
        }
        _ => {}
    }
}

/// Map every span of a statement kind from unit offsets to host offsets.
fn remap(kind: StmtKind, map: &OffsetMap) -> StmtKind {
    let name = |n: SqlName| SqlName {
        span: map.span_to_host(n.span),
        ..n
    };
    let names = |v: Vec<SqlName>| v.into_iter().map(name).collect::<Vec<_>>();
    match kind {
        StmtKind::Drop {
            object,
            names: n,
            if_exists,
            cascade,
            temporary,
        } => StmtKind::Drop {
            object,
            names: names(n),
            if_exists,
            cascade,
            temporary,
        },
        StmtKind::DropOwned { roles } => StmtKind::DropOwned {
            roles: names(roles),
        },
        StmtKind::Truncate { names: n, cascade } => StmtKind::Truncate {
            names: names(n),
            cascade,
        },
        StmtKind::Delete { table, bounded } => StmtKind::Delete {
            table: name(table),
            bounded,
        },
        StmtKind::Update { table, bounded } => StmtKind::Update {
            table: name(table),
            bounded,
        },
        StmtKind::Create {
            object,
            name: n,
            temporary,
        } => StmtKind::Create {
            object,
            name: name(n),
            temporary,
        },
        StmtKind::AlterTable { table, actions } => StmtKind::AlterTable {
            table: name(table),
            actions: actions
                .into_iter()
                .map(|a| match a {
                    AlterAction::DropColumn { column, span } => AlterAction::DropColumn {
                        column: name(column),
                        span: map.span_to_host(span),
                    },
                    AlterAction::RenameColumn { from, to, span } => AlterAction::RenameColumn {
                        from: name(from),
                        to: name(to),
                        span: map.span_to_host(span),
                    },
                    AlterAction::RenameTable { to, span } => AlterAction::RenameTable {
                        to: name(to),
                        span: map.span_to_host(span),
                    },
                    AlterAction::AlterType {
                        column,
                        from,
                        to,
                        span,
                    } => AlterAction::AlterType {
                        column: name(column),
                        from,
                        to,
                        span: map.span_to_host(span),
                    },
                })
                .collect(),
        },
    }
}

/// Positional arguments of a command, skipping flags and the values of flags that take one.
fn positionals<'a>(
    command: &'a super::shell::Command,
    with_value: &[&str],
) -> Vec<&'a super::shell::Word> {
    let mut out = Vec::new();
    let mut skip = false;
    for word in command.args() {
        if skip {
            skip = false;
            continue;
        }
        let shown = word.display();
        if shown.starts_with('-') {
            skip = !shown.contains('=') && with_value.contains(&shown.as_str());
            continue;
        }
        out.push(word);
    }
    out
}

const PG_VALUE_FLAGS: &[&str] = &[
    "-h",
    "--host",
    "-p",
    "--port",
    "-U",
    "--username",
    "--maintenance-db",
    "-T",
    "--template",
    "-O",
    "--owner",
    "-E",
    "--encoding",
    "-l",
    "--locale",
    "-D",
    "--tablespace",
];
const MYSQL_VALUE_FLAGS: &[&str] = &[
    "-h", "--host", "-P", "--port", "-u", "--user", "-S", "--socket",
];

const REDIS_VALUE_FLAGS: &[&str] = &[
    "-h",
    "-p",
    "-s",
    "-a",
    "-u",
    "-r",
    "-i",
    "-n",
    "-d",
    "-D",
    "--user",
    "--pass",
    "--rdb",
    "--functions-rdb",
    "--pipe-timeout",
    "--cacert",
    "--cacertdir",
    "--cert",
    "--key",
    "--sni",
    "--tls-ciphers",
];

/// `createdb NAME`, `mysqladmin create NAME`: the database created, as written.
fn cli_created_database(command: &super::shell::Command) -> Option<String> {
    let program = command.program()?;
    match program.as_str() {
        "createdb" => positionals(command, PG_VALUE_FLAGS)
            .first()
            .map(|w| w.display()),
        "mysqladmin" | "mariadb-admin" => {
            let args = positionals(command, MYSQL_VALUE_FLAGS);
            let at = args.iter().position(|w| w.is("create"))?;
            args.get(at + 1).map(|w| w.display())
        }
        _ => None,
    }
    .map(|name| name.to_lowercase())
}

/// The CLI forms of dropping a database.
fn cli_drop(command: &super::shell::Command, state: &State) -> Option<CliDrop> {
    let program = command.program()?;
    let tool = command.argv.first()?.display();
    let scratch_db = |name: &str| {
        state.created_before(
            ObjectKind::Database,
            &name.to_lowercase(),
            command.span.start(),
        )
    };
    match program.as_str() {
        "dropdb" => {
            let target = positionals(command, PG_VALUE_FLAGS).first()?.display();
            Some(CliDrop {
                shown: format!("dropdb {target}"),
                scratch: scratch_db(&target),
                target: Some(target),
                tool,
                span: command.span,
            })
        }
        "mysqladmin" | "mariadb-admin" => {
            let args = positionals(command, MYSQL_VALUE_FLAGS);
            let at = args.iter().position(|w| w.is("drop"))?;
            let target = args.get(at + 1).map(|w| w.display())?;
            Some(CliDrop {
                shown: format!("{program} drop {target}"),
                scratch: scratch_db(&target),
                target: Some(target),
                tool,
                span: command.span,
            })
        }
        "redis-cli" | "valkey-cli" | "keydb-cli" => {
            // The first positional is the command; later ones are its arguments.
            let word = *positionals(command, REDIS_VALUE_FLAGS).first()?;
            let is_flush = word.literal().is_some_and(|v| {
                v.eq_ignore_ascii_case("flushall") || v.eq_ignore_ascii_case("flushdb")
            });
            if !is_flush {
                return None;
            }
            let verb = word.display().to_uppercase();
            Some(CliDrop {
                shown: format!("{program} {verb}"),
                target: None,
                tool,
                span: command.span,
                scratch: false,
            })
        }
        "mongosh" | "mongo" => {
            let mut args = command.args().peekable();
            let mut eval = None;
            while let Some(word) = args.next() {
                let shown = word.display();
                if let Some(v) = shown.strip_prefix("--eval=") {
                    eval = Some(v.to_string());
                } else if shown == "--eval" {
                    eval = args.peek().map(|w| w.display());
                }
            }
            let eval = eval?;
            eval.contains("dropDatabase(").then(|| CliDrop {
                shown: format!("{program} --eval '…dropDatabase()'"),
                target: None,
                tool,
                span: command.span,
                scratch: false,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
