//! Migration files as the model sees them: which tool's layout a file follows, which way it (or a
//! section of it) runs, and where its down sections are. Front-ends decide this from paths and
//! annotations; rules and analyses read it.

use crate::classify::Framework;

/// The migration tool layout a file follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `N_name.up.sql` / `N_name.down.sql`.
    GolangMigrate,
    /// `V1__name.sql` (versioned), `U1__name.sql` (undo), `R__name.sql` (repeatable).
    Flyway,
    /// `-- +goose Up` / `-- +goose Down` sections.
    Goose,
    /// `-- migrate:up` / `-- migrate:down` sections.
    Dbmate,
    /// `deploy/`, `revert/`, `verify/` folders.
    Sqitch,
    /// `migrations/<name>/migration.sql`.
    Prisma,
    /// Drizzle Kit: numbered `NNNN_name.sql` files in its output folder (`drizzle/` by default,
    /// configurable), statements separated by `--> statement-breakpoint` comments.
    Drizzle,
    /// A Liquibase formatted-SQL changelog (`--liquibase formatted sql`); its `--rollback` lines
    /// are comments.
    Liquibase,
    /// A `.sql` file in a migrations folder (Rails/Knex/TypeORM/Alembic style, numbered files).
    Folder,
    /// A framework's migration in its own language (Rails, Laravel, Django, …); its down
    /// sections are the rollback methods (`down`, `downgrade()`, `Down`, `<rollback>`).
    Framework(Framework),
}

/// Which way a file (or section) runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Up,
    Down,
    /// Sqitch `verify/` scripts: checks, not changes.
    Verify,
}

/// A migration file: its layout and the byte ranges of its down sections.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MigrationFile {
    pub layout: Layout,
    /// The file's direction; for goose/dbmate, the direction of text outside any section.
    pub direction: Direction,
    /// Byte ranges (in the file) of goose `Down` / dbmate `migrate:down` sections.
    pub down_sections: Vec<(usize, usize)>,
    /// Byte ranges of `Up` sections (goose/dbmate).
    pub up_sections: Vec<(usize, usize)>,
    /// The file's place in its set's revision graph, when the framework names it (Alembic's
    /// `revision`/`down_revision`, Django's own name and `dependencies`); `None` where the file
    /// name's version prefix is the order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<Revision>,
    /// A Liquibase master changelog's `include`/`includeAll`, in document order: the order its
    /// changelogs run in.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<Include>,
    /// The SQL files a Liquibase changelog's changesets run (`sqlFile`), with their direction.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sql_files: Vec<SqlFileRef>,
}

/// A Liquibase `include file="…"` (or `includeAll path="…"`: every changelog under a folder, in
/// path order), as written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Include {
    pub path: String,
    /// `includeAll`: a folder.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub all: bool,
    /// `relativeToChangelogFile="true"`: relative to the including file's folder only (else the
    /// classpath, tried as that folder first, then as the end of a path).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub relative: bool,
}

/// A Liquibase `sqlFile path="…"` in a changeset: the SQL file runs when the changeset does (up),
/// or only on rollback when it sits in `<rollback>`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SqlFileRef {
    pub path: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub relative: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub down: bool,
}

/// A migration's name in its set and the names of the migrations it runs after: Alembic's
/// `revision = "ab12"` with `down_revision = "cd34"` (a tuple for a merge, `None` for the first);
/// Alembic's `depends_on` are parents too; Django's `app.0002_x` with its `dependencies`
/// (`app.0001_initial`, other apps' too).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Revision {
    pub id: String,
    pub parents: Vec<String>,
    /// Other names parents may use for this file: Alembic's `branch_labels` (a `depends_on`
    /// may name a branch by its label).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

impl MigrationFile {
    /// A framework migration that runs up, except in `down_sections` (its rollback methods).
    pub fn framework(framework: Framework, down_sections: Vec<(usize, usize)>) -> Self {
        MigrationFile {
            layout: Layout::Framework(framework),
            direction: Direction::Up,
            down_sections,
            up_sections: Vec::new(),
            revision: None,
            includes: Vec::new(),
            sql_files: Vec::new(),
        }
    }

    /// Whether the byte at `offset` runs on the way up.
    pub fn is_up_at(&self, offset: usize) -> bool {
        if self
            .down_sections
            .iter()
            .any(|&(s, e)| s <= offset && offset < e)
        {
            return false;
        }
        if self
            .up_sections
            .iter()
            .any(|&(s, e)| s <= offset && offset < e)
        {
            return true;
        }
        self.direction == Direction::Up
    }
}
