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
mod session;
mod tokens;

pub use session::Session;

use std::collections::{BTreeMap, HashMap};

use crate::knowledge::clients;
use crate::levels::Context;
use crate::model::migration::{Direction, MigrationFile};
use crate::model::schema::AlterAction;
use crate::model::schema::CliDrop;
use crate::model::schema::ColumnType;
use crate::model::schema::ObjectKind;
use crate::model::schema::SchemaChange;
use crate::model::schema::SchemaOp;
use crate::model::schema::SqlFacts;
use crate::model::schema::SqlName;
use crate::model::schema::{ChangeDirection, ChangeOrigin};
use crate::model::{FileFacts, Region};
use crate::source::{OffsetMap, Span};
use crate::syntax::sql::SqlDialect;
use crate::syntax::sql::detect_dialect;
use crate::syntax::sql::parse::{self, Parsed};
use crate::syntax::sql::split::{self, PieceKind, TokenKind};
use crate::syntax::sql::substitute_placeholders;

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
    /// Columns the file adds (`CREATE TABLE`, `ADD COLUMN`, a framework's `add_column`), as
    /// (table key, column key): an `UPDATE` that only fills them backfills, it loses nothing.
    added: std::collections::HashSet<(String, String)>,
    /// `UPDATE t SET new = old`: (table key, old column key, host offset): `old` is kept in `new`.
    column_copies: Vec<(String, String, usize)>,
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
    origin: ChangeOrigin,
    /// The text is not written at its host span (a variable's value, `psql -c "$SQL"`): every
    /// statement is reported on the whole word, and names itself in `written`.
    expanded: bool,
}

/// Extract the statements of a `.sql` file.
pub fn extract_file(facts: &mut FileFacts) {
    extract_file_reading(facts, false);
}

/// [`extract_file`]; `every_file` splits even a file no rule could read a statement of (the
/// tests compare the two).
fn extract_file_reading(facts: &mut FileFacts, every_file: bool) {
    let migration = layout::detect(&facts.file.path, &facts.file.text);
    facts.sql.dump = is_dump(&facts.file.text);
    // Outside a migration set only the statements that drop, empty, delete, update, alter or
    // rename outlive extraction (`FileFacts::compact`): a file that never spells one of those
    // verbs is not split at all (a schema or seed file of `CREATE TABLE` and `INSERT`).
    if !every_file && migration.is_none() && !spells_a_lasting_verb(&facts.file.text) {
        facts.sql.dialect = facts.sql.dialect_setting.unwrap_or_default();
        return;
    }
    let text = facts.file.text.clone();
    let dialect = facts
        .sql
        .dialect_setting
        .unwrap_or_else(|| detect_dialect(&facts.file.path, &text));
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
        origin: ChangeOrigin::Sql,
        expanded: false,
    };
    analyse(&unit, &mut state, &mut facts.sql.statements);
    mark_rebuilds(&mut facts.sql.statements, &state);
    facts.sql.column_types = std::mem::take(&mut state.declared);
    if facts.sql.dump {
        mark_dump_replacements(&mut facts.sql.statements);
    }
    facts.sql.dialect = dialect;
    facts.sql.migration = migration;
    report_unparsed(&mut facts.sql, &state);
}

/// Extract the statements of the SQL string literals a standalone program hands to its database
/// client (`text` unescaped, `map` to the host file), read as one script in file order.
pub fn extract_program(
    facts: &mut FileFacts,
    literals: &[(String, OffsetMap)],
    dialect: SqlDialect,
) {
    let dialect = facts.sql.dialect_setting.unwrap_or(dialect);
    let mut state = State::default();
    let mut statements = Vec::new();
    for (text, map) in literals {
        let sub = substitute_placeholders(text);
        let unit = Unit {
            orig: text,
            sub: &sub,
            dialect,
            map,
            migration: None,
            origin: ChangeOrigin::Sql,
            expanded: false,
        };
        analyse(&unit, &mut state, &mut statements);
    }
    mark_rebuilds(&mut statements, &state);
    facts.sql.statements.extend(statements);
    facts.sql.dialect = dialect;
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
            origin: ChangeOrigin::Embedded { index: i },
            expanded: embedded.map.verbatim_len() == 0 && !embedded.text.is_empty(),
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
///
/// Also the copy-out-and-back form (Doctrine's SQLite rebuild): `CREATE TEMPORARY TABLE tmp AS
/// SELECT … FROM old; DROP TABLE old; CREATE TABLE old …; INSERT INTO old SELECT … FROM tmp`;
/// and a column dropped after `UPDATE t SET new = old` copied its values.
fn mark_rebuilds(statements: &mut [SchemaChange], state: &State) {
    mark_copied_columns(statements, state);
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
            SchemaOp::AlterTable { table, actions } => {
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
        let SchemaOp::Drop {
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
                        && (renames
                            .iter()
                            .any(|(t, to, renamed)| t == into && to == old && *renamed > at)
                            || copies_of.get(into).is_some_and(|back| {
                                back.iter().any(|(to, at_back)| *to == old && *at_back > at)
                            }))
                })
            })
        };
        // The rename-out form (TypeORM's SQLite rebuild): `ALTER TABLE old RENAME TO tmp;
        // CREATE TABLE old …; INSERT INTO old SELECT … FROM tmp; DROP TABLE tmp`.
        let renamed_out = |tmp: &str| {
            renames.iter().any(|(old, to, renamed)| {
                to == tmp
                    && *renamed < at
                    && copies_of.get(tmp).is_some_and(|back| {
                        back.iter()
                            .any(|(into, copied)| into == old && *renamed < *copied && *copied < at)
                    })
            })
        };
        if !names.is_empty() && names.iter().all(|n| rebuilt(&n.key) || renamed_out(&n.key)) {
            stmt.replaced = true;
        }
    }
    // That form's rename: the rows come back under the old name before the statement after it.
    for stmt in statements.iter_mut() {
        let SchemaOp::AlterTable { table, actions } = &stmt.kind else {
            continue;
        };
        let at = stmt.span.start();
        let copied_back = |to: &SqlName| {
            copies_of.get(to.key.as_str()).is_some_and(|back| {
                back.iter()
                    .any(|(into, copied)| *into == table.key && *copied > at)
            })
        };
        let all_copied_back = !actions.is_empty()
            && actions.iter().all(|a| match a {
                AlterAction::RenameTable { to, .. } => copied_back(to),
                _ => false,
            });
        if all_copied_back {
            stmt.replaced = true;
        }
    }
}

/// `UPDATE t SET new = old` then `ALTER TABLE t DROP COLUMN old`: the values live on in `new`.
fn mark_copied_columns(statements: &mut [SchemaChange], state: &State) {
    if state.column_copies.is_empty() {
        return;
    }
    for stmt in statements.iter_mut() {
        let SchemaOp::AlterTable { table, actions } = &stmt.kind else {
            continue;
        };
        let at = stmt.span.start();
        let copied = |column: &SqlName| {
            state
                .column_copies
                .iter()
                .any(|(t, c, copied)| *t == table.key && *c == column.key && *copied < at)
        };
        let all_copied = !actions.is_empty()
            && actions.iter().all(|a| match a {
                AlterAction::DropColumn { column, .. } => copied(column),
                _ => false,
            });
        if all_copied {
            stmt.replaced = true;
        }
    }
}

/// Whether the text starts like a pg_dump or mysqldump/mariadb-dump file.
fn is_dump(text: &str) -> bool {
    // The first 2048 bytes, without copying them.
    let head = &text[..crate::source::floor_char_boundary(text, 2048)];
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
fn mark_dump_replacements(statements: &mut [SchemaChange]) {
    // (kind, key) → offset of the last CREATE: one look-up per drop, however long the dump.
    let mut last_create: HashMap<(ObjectKind, &str), usize> = HashMap::new();
    for s in statements.iter() {
        if let SchemaOp::Create { object, name, .. } = &s.kind {
            let at = last_create.entry((*object, name.key.as_str())).or_insert(0);
            *at = (*at).max(s.span.start());
        }
    }
    let replaced: Vec<bool> = statements
        .iter()
        .map(|stmt| {
            let SchemaOp::Drop { object, names, .. } = &stmt.kind else {
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

/// Whether `text` holds the word `alter` in any case (a cheap over-approximation of "has an
/// `ALTER` statement": a type change that a declared column type could decide).
fn mentions_alter(text: &str) -> bool {
    text.as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"alter"))
}

/// The verbs of the statements a rule reads outside a migration set (`WITH … DELETE` and a
/// `\gexec` query's generated `DROP` spell theirs too).
const LASTING_VERBS: &[&str] = &["drop", "truncate", "delete", "update", "alter", "rename"];

/// Statements starting with these keywords are parsed; the rest are only tokenized.
const PARSED_VERBS: &[&str] = &[
    "drop", "truncate", "delete", "update", "alter", "rename", "create",
];

/// Whether `text` holds one of [`LASTING_VERBS`] as a word of its own, in any case: anywhere, in
/// comments and strings too (an over-approximation of "has such a statement"). A word byte
/// (letter, `_`, non-ASCII) before or after makes it part of a longer word, as the splitter
/// reads it; a digit before does not (`/*!40000DROP`, MySQL's versioned comments).
fn spells_a_lasting_verb(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    LASTING_VERBS.iter().any(|verb| {
        memchr::memmem::find_iter(bytes, verb.as_bytes()).any(|i| {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            !before.is_some_and(|b| word(b) && !b.is_ascii_digit())
                && !bytes.get(i + verb.len()).copied().is_some_and(word)
        })
    })
}

/// Split, read and parse one unit of SQL, appending its statements.
fn analyse(unit: &Unit, state: &mut State, out: &mut Vec<SchemaChange>) {
    let needs_columns = unit.migration.is_some() || mentions_alter(unit.sub);
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
        // `UPDATE t SET a = …` filling only columns this file added is a backfill.
        let mut backfill = false;
        if let Some((table, assigned)) =
            tokens::update_assignments(&piece.tokens, unit.sub, unit.orig)
        {
            let host = unit.map.to_host(stmt_range.0);
            backfill = assigned
                .iter()
                .all(|(column, _)| state.added.contains(&(table.clone(), column.clone())));
            for (_, from) in assigned {
                if let Some(from) = from {
                    state.column_copies.push((table.clone(), from, host));
                }
            }
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
            // A `CREATE TABLE` is parsed only for its column types, and those matter only to a
            // later type change: in this text (an `ALTER`) or, for a migration, in a later file.
            // Seed and schema files full of them are read by tokens alone (the parser builds a
            // large tree per table: most of the time on a statement-dense tree).
            let creates_table = readings.first().is_some_and(|r| {
                matches!(
                    r.kind,
                    SchemaOp::Create {
                        object: ObjectKind::Table,
                        ..
                    }
                )
            });
            let worth_parsing = worth_parsing && (needs_columns || !creates_table);
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
            (Some(Parsed::CreateTable { columns, .. }), Some(SchemaOp::Create { name, .. })) => {
                Some((name, columns))
            }
            (Some(Parsed::AlterTable { added, .. }), Some(SchemaOp::AlterTable { table, .. })) => {
                Some((table, added))
            }
            _ => None,
        };
        if let Some((table, columns)) = declared {
            for (col, ty) in columns {
                state.added.insert((table.key.clone(), col.to_lowercase()));
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
            let scratch = is_scratch(&kind, state, host_offset)
                || (backfill && matches!(kind, SchemaOp::Update { .. }));
            record(&kind, state, host_offset, scratch);
            let direction = match unit.migration {
                Some(m) if m.is_up_at(unit.map.to_host(reading.clause.0)) => ChangeDirection::Up,
                Some(m) if m.direction != Direction::Verify => ChangeDirection::Down,
                _ => ChangeDirection::NotMigration,
            };
            let clause = Span::new(reading.clause.0, reading.clause.1);
            let (span, clause_span, written) = if unit.expanded {
                let whole = unit.map.span_to_host(Span::new(0, unit.orig.len()));
                let shown = unit.orig.get(clause.start()..clause.end()).unwrap_or("");
                (whole, whole, Some(one_line(shown)))
            } else {
                (host_stmt, unit.map.span_to_host(clause), None)
            };
            out.push(SchemaChange {
                kind: remap(kind, unit.map),
                span,
                clause_span,
                parsed: parsed_ok.is_some(),
                scratch,
                direction,
                in_do_block: in_do,
                replaced: false,
                origin: unit.origin.clone(),
                written,
            });
        }
    }
}

/// A clause as a message shows it: whitespace runs made one space, long text shortened.
fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        let cut: String = flat.chars().take(57).collect();
        format!("{cut}…")
    } else {
        flat
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
fn refine(kind: SchemaOp, parsed: Option<&Parsed>) -> Option<SchemaOp> {
    let Some(parsed) = parsed else {
        return Some(kind);
    };
    match (kind, parsed) {
        (
            SchemaOp::Drop {
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
        ) => Some(SchemaOp::Drop {
            object,
            names,
            if_exists: *if_exists,
            cascade: *cascade,
            temporary: t || *temporary,
        }),
        (SchemaOp::Truncate { names, cascade: c }, Parsed::Truncate { cascade }) => {
            Some(SchemaOp::Truncate {
                names,
                cascade: c || *cascade,
            })
        }
        // The parser sees a WHERE the tokens may miss; the tokens see a `JOIN … ON` bound.
        (SchemaOp::Delete { table, bounded: b }, Parsed::Delete { bounded }) => {
            Some(SchemaOp::Delete {
                table,
                bounded: b || *bounded,
            })
        }
        (SchemaOp::Update { table, bounded: b }, Parsed::Update { bounded }) => {
            Some(SchemaOp::Update {
                table,
                bounded: b || *bounded,
            })
        }
        (
            SchemaOp::Create {
                object,
                name,
                temporary: t,
            },
            Parsed::CreateTable { temporary, .. },
        ) => Some(SchemaOp::Create {
            object,
            name,
            temporary: t || *temporary,
        }),
        (k @ SchemaOp::DropOwned { .. }, _) => Some(k),
        (k @ SchemaOp::AlterTable { .. }, Parsed::AlterTable { .. } | Parsed::RenameTable) => {
            Some(k)
        }
        (k @ SchemaOp::Create { .. }, Parsed::CreateDatabase | Parsed::CreateSchema) => Some(k),
        (
            k @ SchemaOp::Create {
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
fn fill_old_types(kind: SchemaOp, state: &mut State, public: bool) -> SchemaOp {
    let SchemaOp::AlterTable { table, actions } = kind else {
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
                state.declare(&key.0, &key.1, &to.sql, public);
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
    SchemaOp::AlterTable { table, actions }
}

fn is_scratch(kind: &SchemaOp, state: &State, offset: usize) -> bool {
    let all_created = |object: ObjectKind, names: &[SqlName]| {
        !names.is_empty()
            && names
                .iter()
                .all(|n| state.created_before(object, &n.key, offset))
    };
    match kind {
        SchemaOp::Drop {
            object,
            names,
            temporary,
            ..
        } => *temporary || all_created(*object, names),
        SchemaOp::Truncate { names, .. } => all_created(ObjectKind::Table, names),
        SchemaOp::Delete { table, .. }
        | SchemaOp::Update { table, .. }
        | SchemaOp::AlterTable { table, .. } => {
            state.created_before(ObjectKind::Table, &table.key, offset)
        }
        SchemaOp::DropOwned { .. } | SchemaOp::Create { .. } => false,
    }
}

/// Remember objects a statement creates (a renamed scratch table stays scratch).
fn record(kind: &SchemaOp, state: &mut State, offset: usize, scratch: bool) {
    match kind {
        SchemaOp::Create { object, name, .. } => {
            state.create(*object, name.key.clone(), offset);
        }
        SchemaOp::AlterTable { actions, .. } if scratch => {
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
fn remap(kind: SchemaOp, map: &OffsetMap) -> SchemaOp {
    let name = |n: SqlName| SqlName {
        span: map.span_to_host(n.span),
        ..n
    };
    let names = |v: Vec<SqlName>| v.into_iter().map(name).collect::<Vec<_>>();
    match kind {
        SchemaOp::Drop {
            object,
            names: n,
            if_exists,
            cascade,
            temporary,
        } => SchemaOp::Drop {
            object,
            names: names(n),
            if_exists,
            cascade,
            temporary,
        },
        SchemaOp::DropOwned { roles } => SchemaOp::DropOwned {
            roles: names(roles),
        },
        SchemaOp::Truncate { names: n, cascade } => SchemaOp::Truncate {
            names: names(n),
            cascade,
        },
        SchemaOp::Delete { table, bounded } => SchemaOp::Delete {
            table: name(table),
            bounded,
        },
        SchemaOp::Update { table, bounded } => SchemaOp::Update {
            table: name(table),
            bounded,
        },
        SchemaOp::Create {
            object,
            name: n,
            temporary,
        } => SchemaOp::Create {
            object,
            name: name(n),
            temporary,
        },
        SchemaOp::AlterTable { table, actions } => SchemaOp::AlterTable {
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
    command: &'a crate::model::command::Command,
    with_value: &[&str],
) -> Vec<&'a crate::model::command::Word> {
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

/// `createdb NAME`, `mysqladmin create NAME`: the database created, as written.
fn cli_created_database(command: &crate::model::command::Command) -> Option<String> {
    let program = command.program()?;
    match program.as_str() {
        "createdb" => positionals(command, clients::value_flags("dropdb").unwrap_or_default())
            .first()
            .map(|w| w.display()),
        "mysqladmin" | "mariadb-admin" => {
            let args = positionals(
                command,
                clients::value_flags("mysqladmin").unwrap_or_default(),
            );
            let at = args.iter().position(|w| w.is("create"))?;
            args.get(at + 1).map(|w| w.display())
        }
        _ => None,
    }
    .map(|name| name.to_lowercase())
}

/// The CLI forms of dropping a database.
fn cli_drop(command: &crate::model::command::Command, state: &State) -> Option<CliDrop> {
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
            let target = positionals(command, clients::value_flags("dropdb").unwrap_or_default())
                .first()?
                .display();
            Some(CliDrop {
                shown: format!("dropdb {target}"),
                scratch: scratch_db(&target),
                target: Some(target),
                tool,
                span: command.span,
            })
        }
        "mysqladmin" | "mariadb-admin" => {
            let args = positionals(
                command,
                clients::value_flags("mysqladmin").unwrap_or_default(),
            );
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
            let word = *positionals(
                command,
                clients::value_flags("redis-cli").unwrap_or_default(),
            )
            .first()?;
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
