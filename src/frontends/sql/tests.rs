//! Facts-level tests of the SQL layer: files, embedded SQL (built by hand until the shell pack
//! fills `embedded_sql`), spans on non-ASCII lines, scratch objects, migrations and dumps.

use super::*;
use crate::analysis::migrations::{MigrationOrder, pending_non_additive};
use crate::classify::FileKind;
use crate::levels::path_context;
use crate::model::injection::EmbeddedSql;
use crate::source::SourceFile;

fn facts(path: &str, text: &str) -> FileFacts {
    FileFacts::extract(
        SourceFile::new(path, text),
        FileKind::Sql,
        path_context(path),
    )
}

fn kinds(f: &FileFacts) -> Vec<String> {
    f.sql
        .statements
        .iter()
        .map(|s| match &s.kind {
            SchemaOp::Drop { object, names, .. } => format!(
                "drop {object:?} {}",
                names
                    .iter()
                    .map(|n| n.text.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            SchemaOp::DropOwned { .. } => "drop owned".into(),
            SchemaOp::Truncate { names, .. } => format!("truncate {}", names.len()),
            SchemaOp::Delete { table, bounded } => format!("delete {} {bounded}", table.text),
            SchemaOp::Update { table, bounded } => format!("update {} {bounded}", table.text),
            SchemaOp::AlterTable { table, actions } => {
                format!("alter {} {}", table.text, actions.len())
            }
            SchemaOp::Create { object, name, .. } => format!("create {object:?} {}", name.text),
        })
        .collect()
}

#[test]
fn an_unparsable_statement_does_not_hide_the_next() {
    let f = facts(
        "restore.sql",
        "CREATE FOO BAR BAZ 'x';\nSELECT 1 +;\nDROP DATABASE shop;\n",
    );
    assert_eq!(kinds(&f), vec!["drop Database shop"]);
    assert!(f.sql.statements[0].parsed);
    let notice = f
        .notices
        .iter()
        .find(|n| n.kind == crate::notice::NoticeKind::ParseError);
    assert!(
        notice.is_some(),
        "an info notice says a statement was not parsed"
    );
}

#[test]
fn unparsable_drop_is_still_read_by_tokens() {
    let f = facts("x.sql", "DROP DATABASE shop WITH (FORCE, BOGUS);\n");
    assert_eq!(kinds(&f), vec!["drop Database shop"]);
}

#[test]
fn pg_dump_output_yields_nothing() {
    let dump = r#"--
-- PostgreSQL database dump
--
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
\connect shop
CREATE FUNCTION public.cleanup() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
  DELETE FROM sessions;
  DROP TABLE old_stuff;
END;
$$;
ALTER FUNCTION public.cleanup() OWNER TO shop;
CREATE TABLE public.users (id integer NOT NULL, name character varying(80));
ALTER TABLE public.users OWNER TO shop;
COPY public.users (id, name) FROM stdin;
1	DROP TABLE users;
2	TRUNCATE x;
\.
ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
"#;
    let f = facts("backup/shop.sql", dump);
    assert!(
        f.sql.statements.iter().all(|s| !s.is_non_additive()),
        "{:?}",
        kinds(&f)
    );
}

#[test]
fn do_blocks_are_read() {
    let f = facts(
        "x.sql",
        "DO $$ BEGIN IF EXISTS (SELECT 1) THEN DROP TABLE legacy; END IF; END $$;\n",
    );
    assert_eq!(kinds(&f), vec!["drop Table legacy"]);
    assert!(f.sql.statements[0].in_do_block);
}

#[test]
fn scratch_objects() {
    let f = facts(
        "x.sql",
        "CREATE TEMP TABLE t AS SELECT 1;\nDROP TABLE t;\nCREATE TABLE staging (a int);\nTRUNCATE staging;\nDROP TABLE users;\n",
    );
    let scratch: Vec<bool> = f
        .sql
        .statements
        .iter()
        .filter(|s| !matches!(s.kind, SchemaOp::Create { .. }))
        .map(|s| s.scratch)
        .collect();
    assert_eq!(scratch, vec![true, true, false]);
}

#[test]
fn alter_table_actions_and_old_types() {
    let f = facts(
        "db/migrations/002_users.up.sql",
        "CREATE TABLE users (name varchar(200), age bigint);\nALTER TABLE users ALTER COLUMN name TYPE varchar(50), DROP COLUMN email, RENAME COLUMN a TO b;\n",
    );
    let alter = f
        .sql
        .statements
        .iter()
        .find_map(|s| match &s.kind {
            SchemaOp::AlterTable { actions, .. } => Some((s, actions)),
            _ => None,
        })
        .expect("alter");
    assert!(alter.0.up_migration());
    assert!(alter.0.scratch, "the table was created in the same file");
    match &alter.1[0] {
        AlterAction::AlterType { from, to, .. } => {
            assert_eq!(
                from.as_deref().map(str::to_lowercase).as_deref(),
                Some("varchar(200)")
            );
            assert_eq!(to.sql, "varchar(50)");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(alter.1[1], AlterAction::DropColumn { .. }));
    assert!(matches!(alter.1[2], AlterAction::RenameColumn { .. }));
}

#[test]
fn mysql_forms() {
    let f = facts(
        "schema.sql",
        "CREATE TABLE `a` (x int) ENGINE=InnoDB;\nALTER TABLE `users` DROP `email`, CHANGE `nm` `name` varchar(20), MODIFY age tinyint;\nRENAME TABLE old_orders TO orders_archive;\nDROP SCHEMA shop;\n",
    );
    assert_eq!(f.sql.dialect, SqlDialect::MySql);
    let k = kinds(&f);
    assert!(k.contains(&"alter `users` 4".to_string()), "{k:?}");
    assert!(k.contains(&"alter old_orders 1".to_string()), "{k:?}");
    assert!(k.contains(&"drop Database shop".to_string()), "{k:?}");
}

#[test]
fn goose_down_sections_become_regions() {
    let text = "-- +goose Up\nALTER TABLE a ADD COLUMN b int;\n-- +goose Down\nALTER TABLE a DROP COLUMN b;\n";
    let f = facts("db/00003_b.sql", text);
    let drop = f.sql.statements.last().expect("drop column");
    assert!(!drop.up_migration());
    assert_eq!(f.context_at(drop.clause_span), Context::DownMigration);
    assert!(f.sql.non_additive().next().is_none());
    assert!(f.sql.is_pending_up_migration());
}

#[test]
fn non_additive_for_the_backup_pack() {
    let f = facts(
        "migrations/V3__slim.sql",
        "ALTER TABLE users ALTER COLUMN bio TYPE text;\nALTER TABLE users DROP COLUMN legacy;\n",
    );
    assert!(f.sql.is_pending_up_migration());
    assert_eq!(f.sql.non_additive().count(), 1);
}

#[test]
fn commented_out_sql_is_not_sql() {
    let f = facts(
        "x.sql",
        "-- DROP TABLE users;\n/* TRUNCATE orders; */\nSELECT 'DELETE FROM x';\n",
    );
    assert!(kinds(&f).is_empty());
}

#[test]
fn clause_spans_on_non_ascii_lines() {
    let text = "-- Überprüfung ✓\nSELECT 'café'; DROP TABLE \"Bestellungen\"; -- ärger\n";
    let f = facts("x.sql", text);
    let s = &f.sql.statements[0];
    let pos = f.file.position(s.clause_span.start());
    assert_eq!((pos.line, pos.column_chars), (2, 16));
    assert_eq!(f.file.slice(s.clause_span), "DROP TABLE \"Bestellungen\"");
}

/// Embedded SQL as the shell pack will hand it over: `psql <<EOF` body with expansions.
#[test]
fn embedded_sql_with_placeholders_maps_to_the_host() {
    let host = "#!/bin/sh\n# Wiederherstellung für café\ndocker exec -i db psql -U postgres <<EOF\nDROP DATABASE $DB_NAME;\nCREATE DATABASE ${DB_NAME};\nDROP SCHEMA '${SCHEMA}' CASCADE;\nEOF\n";
    let body_start = host.find("DROP DATABASE").expect("body");
    let body_end = host
        .find("EOF\n")
        .and_then(|i| host[i + 4..].find("EOF").map(|j| i + 4 + j))
        .expect("end");
    let text = host[body_start..body_end].to_string();
    let mut f = FileFacts::extract(
        SourceFile::new("restore.sh", host),
        FileKind::Shell,
        Context::Production,
    );
    f.shell.embedded_sql = vec![EmbeddedSql {
        map: OffsetMap::verbatim(body_start, text.len()),
        text,
        client: "psql".into(),
        command: 0,
    }];
    f.sql = SqlFacts::default().into();
    extract_embedded(&mut f);
    let drop = &f.sql.statements[0];
    let SchemaOp::Drop { object, names, .. } = &drop.kind else {
        panic!("{:?}", drop.kind);
    };
    assert_eq!(*object, ObjectKind::Database);
    assert_eq!(names[0].text, "$DB_NAME");
    assert!(drop.parsed, "placeholders are substituted before parsing");
    assert!(!drop.scratch);
    assert_eq!(f.file.slice(drop.clause_span), "DROP DATABASE $DB_NAME");
    let pos = f.file.position(drop.clause_span.start());
    assert_eq!((pos.line, pos.column_chars), (4, 1));
    let schema = f
        .sql
        .statements
        .iter()
        .find(|s| {
            matches!(
                &s.kind,
                SchemaOp::Drop {
                    object: ObjectKind::Schema,
                    ..
                }
            )
        })
        .expect("drop schema");
    let SchemaOp::Drop { names, cascade, .. } = &schema.kind else {
        unreachable!()
    };
    assert_eq!(names[0].text, "'${SCHEMA}'");
    assert!(*cascade);
}

#[test]
fn placeholders_keep_length_and_dollar_quotes() {
    let text = "SELECT $$ $x $$, ${A:-b}, $(date +%F), $1, $tag$ body $tag$, 'é$X';";
    let sub = substitute_placeholders(text);
    assert_eq!(sub.len(), text.len());
    assert!(sub.contains("$$ _x $$"));
    assert!(sub.contains("$tag$ body $tag$"));
    assert!(!sub.contains("${"));
    assert!(sub.contains("'é_X'"));
}

#[test]
fn non_sql_clients_are_not_read_as_sql() {
    let host = "mongosh --eval 'db.users.deleteMany({})'\n";
    let mut f = FileFacts::extract(
        SourceFile::new("x.sh", host),
        FileKind::Shell,
        Context::Production,
    );
    f.shell.embedded_sql = vec![EmbeddedSql {
        text: "DELETE FROM users".into(),
        map: OffsetMap::verbatim(0, 17),
        client: "mongosh".into(),
        command: 0,
    }];
    f.sql = SqlFacts::default().into();
    extract_embedded(&mut f);
    assert!(f.sql.statements.is_empty());
}

/// The house style's cheap stand-in for fuzzing: every prefix of every SQL fixture (cut at a
/// character boundary) is read without a panic.
#[test]
fn every_prefix_of_every_sql_fixture_is_read_without_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut stack = vec![root];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "sql") {
                files.push(path);
            }
        }
    }
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let cuts: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .step_by(5)
            .collect();
        for cut in cuts {
            let _ = facts("db/migrations/001_x.up.sql", &text[..cut]);
        }
    }
}

#[test]
fn deletes_after_a_cte_are_read() {
    let f = facts(
        "x.sql",
        "WITH old AS (SELECT id FROM users WHERE deleted) DELETE FROM sessions;\nWITH x AS (DELETE FROM a RETURNING *) SELECT * FROM x;\nWITH ids AS (SELECT 1) UPDATE t SET a = 1 WHERE id IN (SELECT * FROM ids);\n",
    );
    assert_eq!(
        kinds(&f),
        vec!["delete sessions false", "delete a false", "update t true"]
    );
}

#[test]
fn pending_non_additive_across_files() {
    let files = vec![
        facts(
            "db/migrations/000002_b.up.sql",
            "ALTER TABLE users DROP COLUMN fax;\nALTER TABLE users ADD COLUMN x int;\n",
        ),
        facts("db/migrations/000002_b.down.sql", "DROP TABLE users;\n"),
        facts(
            "db/migrations/000001_a.up.sql",
            "CREATE TABLE users (id int);\n",
        ),
        facts("scripts/cleanup.sql", "TRUNCATE sessions;\n"),
    ];
    let pending = pending_non_additive(&files);
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].0, "db/migrations/000002_b.up.sql");
}

#[test]
fn psql_variables_and_template_placeholders_name_objects() {
    let f = facts(
        "reset.sql",
        "\\set schema billing\nDROP SCHEMA :\"schema\" CASCADE;\nDROP DATABASE ${DB_NAME};\nSELECT a::int, b[1:2] FROM t;\n",
    );
    assert_eq!(
        kinds(&f),
        vec!["drop Schema :\"schema\"", "drop Database ${DB_NAME}"]
    );
}

#[test]
fn earlier_migrations_declare_old_types_down_sections_do_not() {
    let files = vec![
        facts(
            "db/migrations/000001_users.up.sql",
            "CREATE TABLE users (title varchar(200));\n",
        ),
        facts(
            "db/migrations/000002_x.down.sql",
            "ALTER TABLE users ALTER COLUMN title TYPE varchar(10);\n",
        ),
        facts(
            "db/migrations/000002_x.up.sql",
            "ALTER TABLE users ALTER COLUMN title TYPE varchar(80);\n",
        ),
        facts(
            "db/other/000001_users.up.sql",
            "CREATE TABLE users (title text);\n",
        ),
        facts(
            "db/migrations/000003_y.up.sql",
            "ALTER TABLE users ALTER COLUMN title TYPE varchar(20);\n",
        ),
    ];
    let order = MigrationOrder::build(&files);
    assert_eq!(
        order.earlier_column_type("db/migrations/000003_y.up.sql", "users", "title"),
        Some(("varchar(80)", "db/migrations/000002_x.up.sql"))
    );
    assert_eq!(
        order.earlier_column_type("db/migrations/000002_x.up.sql", "users", "title"),
        Some(("varchar(200)", "db/migrations/000001_users.up.sql"))
    );
}

#[test]
fn backticks_in_comments_and_strings_do_not_make_mysql() {
    let prisma_sqlite = "/*\n  - You are about to drop the column `tag` on the `Prompt` table.\n*/\nPRAGMA foreign_keys=OFF;\nCREATE TABLE \"new_Prompt\" (\"id\" TEXT NOT NULL);\n";
    assert_eq!(
        detect_dialect("prisma/migrations/1_x/migration.sql", prisma_sqlite),
        SqlDialect::Sqlite
    );
    let commented = "-- renames `nm` to `name`\nCOMMENT ON TABLE t IS 'see `docs`';\nALTER TABLE t RENAME COLUMN nm TO name;\n";
    assert_eq!(
        detect_dialect("db/migrations/2_x.sql", commented),
        SqlDialect::Postgres
    );
    assert_eq!(
        detect_dialect("db/migrations/3_x.sql", "ALTER TABLE `t` DROP `c`;\n"),
        SqlDialect::MySql
    );
    assert_eq!(
        detect_dialect("db/migrations/4_x.sql", "/*!40101 SET NAMES utf8 */;\n"),
        SqlDialect::MySql
    );
}

#[test]
fn long_flag_with_equals_maps_the_sql_to_the_host() {
    // `psql --command="…"`: the SQL is the string after `=`, reported where it is written.
    let host = "#!/bin/sh\n# Zoë's reset\npsql -v ON_ERROR_STOP=1 --command=\"UPDATE users SET active = false\"\npsql --command='DROP TABLE café'\nmysql --execute=\"DELETE FROM \\`logs\\`\"\n";
    let f = FileFacts::extract(
        SourceFile::new("reset.sh", host),
        FileKind::Shell,
        Context::Production,
    );
    let clauses: Vec<(&str, u32, u32)> = f
        .sql
        .statements
        .iter()
        .map(|s| {
            let pos = f.file.position(s.clause_span.start());
            (f.file.slice(s.clause_span), pos.line, pos.column_chars)
        })
        .collect();
    assert_eq!(
        clauses,
        vec![
            ("UPDATE users", 3, 36),
            ("DROP TABLE café", 4, 17),
            ("DELETE FROM \\`logs\\`", 5, 18),
        ]
    );
}

#[test]
fn lasting_verbs_are_found_as_words_in_any_case() {
    for text in [
        "DROP TABLE x;",
        "drop table x;",
        "  Truncate t;",
        "with d as (delete from t returning *) select 1;",
        "x;\nUPDATE t SET a = 1;",
        "ALTER TABLE t ADD c int;",
        "RENAME TABLE a TO b;",
        "/*!40000DROP DATABASE x*/;",
        "select 'drop';",
    ] {
        assert!(spells_a_lasting_verb(text), "{text}");
    }
    for text in [
        "CREATE TABLE t (updated_at timestamp, deleted boolean, dropped int);",
        "INSERT INTO t VALUES (1, 'updates'), (2, 'alteration');",
        "CREATE TABLE droptable_log (id int);",
        "SELECT x_drop, é_drop FROM t;",
        "",
    ] {
        assert!(!spells_a_lasting_verb(text), "{text}");
    }
}

/// A `.sql` file that is not split (no lasting verb, outside a migration set) keeps, once
/// compacted, exactly the facts a split would have left: on every SQL fixture (and the files
/// under `$DLS_SQL_CORPUS`, when set), each read at its path below `fixtures/`.
#[test]
fn files_not_split_lose_nothing_a_rule_reads() {
    let files = crate::syntax::sql::corpus();
    assert!(files.len() > 50);
    let mut skipped = 0;
    for (path, rel) in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let read = |every_file: bool| {
            let mut f = facts(rel, "");
            f.file = SourceFile::new(rel.as_str(), text.as_str());
            extract_file_reading(&mut f, every_file);
            f.compact();
            format!(
                "{:?}\n{:?}\n{:?}\n{:?}",
                f.sql.statements, f.sql.column_types, f.sql.dump, f.sql.migration
            )
        };
        let (fast, whole) = (read(false), read(true));
        assert_eq!(fast, whole, "{rel}");
        skipped += usize::from(!spells_a_lasting_verb(&text));
    }
    assert!(skipped > 5, "the fixtures hold files that are not split");
}
