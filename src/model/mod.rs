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

pub mod command;
pub mod infra;
pub mod injection;
pub mod migration;
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
    pub shell: command::ShellFacts,
    pub sql: schema::SqlFacts,
    pub compose: Option<store::ComposeFile>,
    /// Other YAML holding Compose keys (a `prod.yml` with only `volumes:`): its Compose reading,
    /// for a command that names it with `-f` next to Compose files. `None` when it holds none.
    pub compose_fragment: Option<store::ComposeFile>,
    /// Spans of secret values (passwords) found in the file: masked in every output.
    pub secrets: Vec<Span>,
    /// Database credentials written in the file (values never kept; spans are in `secrets`).
    pub credentials: Vec<secret::Credential>,
    /// Entries of a dotenv file (`FileKind::DotEnv`).
    pub dotenv: Vec<store::EnvEntry>,
    /// Infrastructure as code: Terraform resources and their settings.
    pub infra: infra::InfraFacts,
    /// A GitHub Actions workflow's `needs:` per job (the jobs that ran to success first).
    pub job_needs: std::collections::BTreeMap<String, Vec<String>>,
    pub notices: Vec<Notice>,
}

impl FileFacts {
    /// The file's text with every secret value replaced by `*` (byte length kept, so spans hold).
    pub fn redacted_text(&self) -> String {
        if self.secrets.is_empty() {
            return self.file.text.clone();
        }
        let mut bytes = self.file.text.clone().into_bytes();
        for span in &self.secrets {
            let end = span.end().min(bytes.len());
            for b in &mut bytes[span.start().min(end)..end] {
                // Keep UTF-8 valid: continuation bytes become `*` too, as every byte does.
                *b = b'*';
            }
        }
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// The context at a byte offset: the innermost region that sets one, else the file's.
    pub fn context_at(&self, span: Span) -> Context {
        self.regions
            .iter()
            .filter(|r| r.context.is_some() && r.span.contains(span))
            .min_by_key(|r| r.span.len())
            .and_then(|r| r.context)
            .unwrap_or(self.context)
    }

    /// The guard around a span, if any.
    pub fn guard_at(&self, span: Span) -> Option<&str> {
        self.regions
            .iter()
            .filter(|r| r.guard.is_some() && r.span.contains(span))
            .min_by_key(|r| r.span.len())
            .and_then(|r| r.guard.as_deref())
    }
}
