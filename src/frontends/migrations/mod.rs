//! Framework migrations: Rails, Laravel, Doctrine, Django, Alembic, Sequelize/Knex/TypeORM,
//! EF Core, Liquibase and Ecto files, read with their language's real parser into the same
//! [`SchemaChange`](crate::model::schema::SchemaChange)s the SQL front-end makes, so the SQL rules
//! fire on them unchanged. Files reach this front-end only when their path follows a framework's
//! layout (`classify`); each framework module reads one file:
//!
//! 1. finds the migration's up and down parts by the framework's own semantics and gives the down
//!    parts to [`MigrationFile::framework`] (they become the down-migration context);
//! 2. turns each schema call into a `SchemaOp` through a [`Session`] (`session.push`), with the
//!    call as written for messages and the same scratch-object logic the SQL front-end uses;
//! 3. hands raw SQL run through the framework (`execute`, `DB::statement`, `op.execute`, …) to
//!    `session.sql` with the offset map of the string in the host file.

mod alembic;
mod django;
mod doctrine;
mod ecto;
mod ef_core;
mod emit;
pub(in crate::frontends) mod javascript;
pub(in crate::frontends) mod js_flow;
mod laravel;
mod liquibase;
pub(in crate::frontends) mod lit;
pub(in crate::frontends) mod literal;
pub(in crate::frontends) mod php;
pub(in crate::frontends) mod py;
pub(in crate::frontends) mod rails;
mod types;

use crate::classify::{FileKind, Framework};
use crate::frontends::sql::Session;
use crate::frontends::{ExtractOptions, Frontend};
use crate::model::FileFacts;
use crate::model::migration::MigrationFile;
use crate::syntax::yaml::Yaml;

/// The front-end of every framework migration kind.
pub struct Migrations;

impl Frontend for Migrations {
    fn name(&self) -> &'static str {
        "migrations"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[
            FileKind::Migration(Framework::Rails),
            FileKind::Migration(Framework::Laravel),
            FileKind::Migration(Framework::Doctrine),
            FileKind::Migration(Framework::Django),
            FileKind::Migration(Framework::Alembic),
            FileKind::Migration(Framework::JavaScript),
            FileKind::Migration(Framework::EfCore),
            FileKind::Migration(Framework::Liquibase),
            FileKind::Migration(Framework::Ecto),
        ]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        let FileKind::Migration(framework) = facts.kind else {
            return None;
        };
        // One arm per framework module; each finishes its `Session` into `facts`.
        match framework {
            Framework::EfCore => ef_core::extract(facts),
            Framework::JavaScript => javascript::extract(facts),
            Framework::Liquibase => liquibase::extract(facts),
            Framework::Ecto => ecto::extract(facts),
            Framework::Rails => rails::extract(facts),
            Framework::Laravel => laravel::extract(facts),
            Framework::Doctrine => doctrine::extract(facts),
            Framework::Django => django::extract(facts),
            Framework::Alembic => alembic::extract(facts),
        }
        None
    }
}

/// A session for `facts`' file as a `framework` migration whose rollback parts are `down`.
pub fn session(facts: &FileFacts, framework: Framework, down: Vec<(usize, usize)>) -> Session {
    Session::new(
        MigrationFile::framework(framework, down),
        framework.kind_name(),
        &facts.file.path,
        &facts.file.text,
    )
}

#[cfg(test)]
mod tests;
