//! The model: language-independent facts about one file, with spans in host-file coordinates.
//! Front-ends produce it from syntax; analyses and rules read it. It holds no parser types and
//! imports nothing above `syntax`.
//!
//! - [`command`]: executed commands (words, wrappers, control flow, when they run);
//! - [`schema`]: schema changes (drops, truncates, column changes, creates), [`types`] judges a
//!   column type change, [`migration`] says which way a migration file runs;
//! - [`store`]: data stores (Compose services today), their images, mounts, ports, and the
//!   questions every kind of store answers;
//! - [`secret`]: credentials (never their values);
//! - [`infra`]: Terraform resources and module calls with their settings;
//! - [`injection`]: text of one language inside another, with its offset map.

pub mod cold;
pub mod command;
mod compact;
pub mod infra;
pub mod injection;
pub mod migration;
pub mod regions;
pub mod schema;
pub mod secret;
pub mod store;
pub mod types;

use crate::classify::FileKind;
use crate::levels::Context;
use crate::notice::Notice;
use crate::source::{SourceFile, Span};

/// A part of a file that is in a different context than the file (a Markdown fence, a CI job on a
/// hosted runner, a goose `Down` section) or that only runs behind a guard.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Region {
    pub span: Span,
    pub context: Option<Context>,
    /// Words naming the guard ("an interactive confirmation", "the CONFIRM_DESTROY_DB check").
    pub guard: Option<String>,
}

/// Everything known about one file.
#[derive(Debug)]
pub struct FileFacts {
    pub file: SourceFile,
    pub kind: FileKind,
    /// The file's context, by its path.
    pub context: Context,
    pub regions: Vec<Region>,
    pub shell: cold::Cold<command::ShellFacts>,
    pub sql: cold::Cold<schema::SqlFacts>,
    pub compose: Option<Box<store::ComposeFile>>,
    /// Other YAML holding Compose keys (a `prod.yml` with only `volumes:`): its Compose reading,
    /// for a command that names it with `-f` next to Compose files. `None` when it holds none.
    pub compose_fragment: Option<Box<store::ComposeFile>>,
    /// Spans of secret values (passwords) found in the file: masked in every output.
    pub secrets: Vec<Span>,
    /// Database credentials written in the file (values never kept; spans are in `secrets`).
    pub credentials: Vec<secret::Credential>,
    /// Entries of a dotenv file (`FileKind::DotEnv`).
    pub dotenv: Vec<store::EnvEntry>,
    /// Settings of an application configuration file (`FileKind::AppConfig`: Spring
    /// `application*.properties`/`.yml`, `hibernate.properties`), YAML flattened to dotted keys.
    pub settings: Vec<store::EnvEntry>,
    /// Infrastructure as code: Terraform resources and their settings.
    pub infra: cold::Cold<infra::InfraFacts>,
    /// A Dockerfile's final stage's base image (`mysql:5.7`; `ARG` defaults substituted, a
    /// stage built `FROM` an earlier stage followed to that stage's image).
    pub base_image: Option<String>,
    /// A GitHub Actions workflow's `needs:` per job (the jobs that ran to success first).
    pub job_needs: std::collections::BTreeMap<String, Vec<String>>,
    pub notices: Vec<Notice>,
    /// The regions indexed by position, built on first use (see [`FileFacts::context_at`]).
    pub region_cache: regions::RegionCache,
}

impl FileFacts {
    /// The statement is MySQL/MariaDB SQL: handed to the `mysql`/`mariadb` client, or in a
    /// `.sql` file read as MySQL.
    pub fn statement_is_mysql(&self, stmt: &schema::SchemaChange) -> bool {
        match &stmt.origin {
            schema::ChangeOrigin::Embedded { index } => self
                .shell
                .embedded_sql
                .get(*index)
                .is_some_and(|e| matches!(e.client.as_str(), "mysql" | "mariadb")),
            schema::ChangeOrigin::Sql => self.sql.dialect == crate::syntax::sql::SqlDialect::MySql,
            schema::ChangeOrigin::Framework { .. } => false,
        }
    }

    /// The file's text with every secret value replaced by `*` (byte length kept, so spans hold).
    pub fn redacted_text(&self) -> String {
        if self.secrets.is_empty() {
            return self.file.text.clone();
        }
        let mut bytes = self.file.text.clone().into_bytes();
        for span in &self.secrets {
            let end = span.end().min(bytes.len());
            for b in &mut bytes[span.start().min(end)..end] {
                // Keep UTF-8 valid: continuation bytes become `*` too, as every byte does. Line
                // ends stay, so line numbers in the masked text are the file's.
                if !matches!(*b, b'\n' | b'\r') {
                    *b = b'*';
                }
            }
        }
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// The text of `span` as every output may quote it: each secret value in it replaced by
    /// `*` (one per byte, as in [`FileFacts::redacted_text`]). Rules that quote the file (a
    /// command, a statement) read it through here, never through `file.slice`.
    pub fn masked(&self, span: Span) -> String {
        let text = self.file.slice(span);
        let start = span.start().min(self.file.text.len());
        let mut bytes: Option<Vec<u8>> = None;
        for secret in &self.secrets {
            let (s, e) = (
                secret.start().max(start),
                secret.end().min(start + text.len()),
            );
            if s >= e {
                continue;
            }
            let bytes = bytes.get_or_insert_with(|| text.as_bytes().to_vec());
            for b in &mut bytes[s - start..e - start] {
                if !matches!(*b, b'\n' | b'\r') {
                    *b = b'*';
                }
            }
        }
        match bytes {
            None => text.to_string(),
            // Whole characters become `*` byte by byte: still valid UTF-8 unless a secret span
            // cut a character, which the lossy conversion covers.
            Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// The context at a byte offset: the innermost region that sets one, else the file's.
    pub fn context_at(&self, span: Span) -> Context {
        self.region_cache
            .containing(&self.regions, span)
            .into_iter()
            .map(|i| &self.regions[i])
            .filter(|r| r.context.is_some())
            .min_by_key(|r| r.span.len())
            .and_then(|r| r.context)
            .unwrap_or(self.context)
    }

    /// The guard around a span, if any.
    pub fn guard_at(&self, span: Span) -> Option<&str> {
        self.region_cache
            .containing(&self.regions, span)
            .into_iter()
            .map(|i| &self.regions[i])
            .filter(|r| r.guard.is_some())
            .min_by_key(|r| r.span.len())
            .and_then(|r| r.guard.as_deref())
    }
}
