//! A migration file's schema changes, built in file order by a framework front-end: its DSL
//! calls (`remove_column`, `$table->dropColumn`, `op.drop_column`) and the SQL it runs through
//! the framework (`execute`, `DB::statement`, `op.execute`) share one record of the objects and
//! column types created so far, so a table the same migration creates is scratch whichever way
//! it was written, and a type change is judged against the type declared earlier.

use super::*;
use crate::model::types::TypeSpec;

/// The schema changes of one framework migration file, in the making.
pub struct Session {
    migration: MigrationFile,
    framework: String,
    dialect: SqlDialect,
    state: State,
    changes: Vec<SchemaChange>,
}

impl Session {
    /// A session for a migration file laid out as `migration` (its down sections say which calls
    /// run on rollback), written with `framework` (`rails`, `laravel`, …). `text` is the host
    /// file, read only to guess the SQL dialect of raw SQL.
    pub fn new(migration: MigrationFile, framework: &str, path: &str, text: &str) -> Self {
        Session {
            migration,
            framework: framework.to_string(),
            dialect: detect_dialect(path, text),
            state: State::default(),
            changes: Vec::new(),
        }
    }

    /// The migration layout the session was made with.
    pub fn migration(&self) -> &MigrationFile {
        &self.migration
    }

    /// Record one DSL operation. `span` is the call in the host file, `clause` the part a finding
    /// points at (usually the same), `written` the call as written, for messages.
    pub fn push(&mut self, kind: SchemaOp, span: Span, clause: Span, written: &str) {
        let offset = span.start();
        let up = self.migration.is_up_at(offset);
        let kind = fill_old_types(kind, &mut self.state, up);
        let scratch = is_scratch(&kind, &self.state, offset);
        record(&kind, &mut self.state, offset, scratch);
        self.changes.push(SchemaChange {
            kind,
            span,
            clause_span: clause,
            parsed: true,
            scratch,
            direction: if up {
                ChangeDirection::Up
            } else {
                ChangeDirection::Down
            },
            in_do_block: false,
            replaced: false,
            origin: ChangeOrigin::Framework {
                name: self.framework.clone(),
            },
            written: Some(written.to_string()),
        });
    }

    /// A column the migration declares (`t.string :name, limit: 50`), for later type changes.
    pub fn declare(&mut self, table: &str, column: &str, ty: &TypeSpec, at: usize) {
        let public = self.migration.is_up_at(at);
        self.state
            .added
            .insert((table.to_lowercase(), column.to_lowercase()));
        self.state.declare(
            &table.to_lowercase(),
            &column.to_lowercase(),
            &ty.sql.to_lowercase(),
            public,
        );
    }

    /// A new deployment unit starts in the same file (a Liquibase changeSet): objects created
    /// before it were created by an earlier deployment, so they are no longer scratch. Declared
    /// column types stay known.
    pub fn next_unit(&mut self) {
        self.state.created.clear();
    }

    /// `INSERT INTO into SELECT … FROM from` written in the DSL (a rebuild's copy of the rows).
    pub fn copy_rows(&mut self, into: &str, from: &str, at: usize) {
        self.state
            .copies
            .push((into.to_lowercase(), from.to_lowercase(), at));
    }

    /// SQL the migration runs through the framework: `text` is the SQL (unescaped), `map` takes
    /// its offsets to the host file.
    pub fn sql(&mut self, text: &str, map: &OffsetMap) {
        let sub = substitute_placeholders(text);
        let unit = Unit {
            orig: text,
            sub: &sub,
            dialect: self.dialect,
            map,
            migration: Some(&self.migration),
            origin: ChangeOrigin::Framework {
                name: self.framework.clone(),
            },
            expanded: false,
        };
        analyse(&unit, &mut self.state, &mut self.changes);
    }

    /// Store the changes, the declared column types and the layout in the file's facts.
    pub fn finish(mut self, facts: &mut FileFacts) {
        mark_rebuilds(&mut self.changes, &self.state);
        for &(start, end) in &self.migration.down_sections {
            facts.regions.push(Region {
                span: Span::new(start, end),
                context: Some(Context::DownMigration),
                guard: None,
            });
        }
        facts.sql.statements.extend(self.changes);
        facts.sql.column_types = std::mem::take(&mut self.state.declared);
        facts.sql.dialect = self.dialect;
        report_unparsed(&mut facts.sql, &self.state);
        facts.sql.migration = Some(self.migration);
    }
}
