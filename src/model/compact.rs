//! Releasing what no rule reads once a file's facts are extracted, so that memory follows the
//! files that matter, not the size of the repository (a monorepo of SQL dumps and seed files).

use super::FileFacts;
use super::schema::{ObjectKind, SchemaOp};
use crate::source::{LineIndex, SourceFile};

/// The marker of an inline suppression: a file that holds one keeps its text for the audit.
const SUPPRESSION_MARKER: &str = "dataloss-scan:";

impl FileFacts {
    /// Drop what only extraction needed. `CREATE` statements served the file's own scratch-object
    /// and type bookkeeping (already folded into the other statements and `column_types`); no
    /// rule reports on them. Declared column types outlive extraction only in migrations. A file left with no fact any rule or cross-file analysis reads
    /// cannot be quoted by a finding, so its text goes too (its path, kind and context stay).
    pub fn compact(&mut self) {
        if self.sql.migration.is_some() {
            self.sql.created = self.sql.created_objects();
        }
        // A migration keeps its table creations: the set's order tells which migration creates
        // a table first (a drop-if-exists right before it drops nothing).
        let migration = self.sql.migration.is_some();
        self.sql.statements.retain(|s| match s.kind {
            SchemaOp::Create { object, .. } => migration && object == ObjectKind::Table,
            _ => true,
        });
        self.sql.statements.shrink_to_fit();
        // Declared types are looked up across the migration set only (a later migration's type
        // change); a file outside it keeps none.
        if self.sql.migration.is_none() {
            self.sql.column_types = Vec::new();
        }
        self.sql.column_types.shrink_to_fit();
        if self.holds_nothing_to_quote() && !self.file.text.contains(SUPPRESSION_MARKER) {
            // Regions give a context to the findings inside them: with nothing to find, none
            // (a README's code blocks that run no command).
            self.regions = Vec::new();
            self.shell.sources = Vec::new();
            let SourceFile {
                text, line_index, ..
            } = &mut self.file;
            *text = String::new();
            *line_index = LineIndex::new("");
        }
        // Fact groups left empty give their allocation back: a file without shell, SQL or
        // infrastructure facts costs one word for each.
        self.shell.release_if_empty();
        self.sql.release_if_empty();
        self.infra.release_if_empty();
    }

    /// No fact that a rule reads, quotes or points into. Every field is named (no `..`), so a new
    /// kind of fact has to be placed here before it compiles.
    fn holds_nothing_to_quote(&self) -> bool {
        let FileFacts {
            file: _,
            kind: _,
            context: _,
            // Contexts of the findings in them, and nothing of their own to quote.
            regions: _,
            shell,
            sql,
            compose,
            compose_fragment,
            secrets,
            credentials,
            dotenv,
            settings,
            infra,
            job_needs,
            base_image: _,
            notices,
            region_cache: _,
        } = self;
        let super::command::ShellFacts {
            // A unit of shell (a code block) is quoted through its commands, functions and
            // assignments, not by itself.
            sources: _,
            commands,
            functions,
            assignments,
            embedded_sql,
            regions: shell_regions,
            runs,
            entry_files,
            task_deps,
            problems,
        } = &**shell;
        let super::schema::SqlFacts {
            dialect: _,
            dialect_setting: _,
            dump: _,
            migration: _,
            statements,
            column_types: _,
            created: _,
            cli_drops,
            unparsed,
            problems: sql_problems,
        } = &**sql;
        let super::infra::InfraFacts {
            resources,
            workloads,
            helm,
            // Read by kind, name and namespace (what a deletion of the file loses), never quoted.
            objects: _,
            variables,
            tfvars,
        } = &**infra;
        commands.is_empty()
            && functions.is_empty()
            && assignments.is_empty()
            && embedded_sql.is_empty()
            && shell_regions.is_empty()
            && runs.is_empty()
            && entry_files.is_empty()
            && task_deps.is_empty()
            && problems.is_empty()
            && statements.is_empty()
            && cli_drops.is_empty()
            && unparsed.is_empty()
            && sql_problems.is_empty()
            && compose.is_none()
            && compose_fragment.is_none()
            && secrets.is_empty()
            && credentials.is_empty()
            && dotenv.is_empty()
            && settings.is_empty()
            && resources.is_empty()
            // A workload is quoted only where it runs a database (a missing volume, what a
            // deletion loses).
            && workloads.iter().all(|w| w.database().is_none())
            && helm.is_empty()
            && variables.is_empty()
            && tfvars.is_empty()
            && job_needs.is_empty()
            && notices.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::FileFacts;
    use crate::source::SourceFile;

    fn compacted(path: &str, kind: FileKind, text: &str) -> FileFacts {
        let mut f = FileFacts::extract(SourceFile::new(path, text), kind, Context::Production);
        f.compact();
        f
    }

    #[test]
    fn text_stays_only_where_a_finding_can_point() {
        // A manifest of an application and its Service: objects are read by kind and name, the
        // workload runs no database; nothing in it is ever quoted.
        let app = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n---\nkind: PersistentVolumeClaim\nmetadata:\n  name: uploads\n";
        let f = compacted("k8s/web.yaml", FileKind::Yaml, app);
        assert_eq!(f.infra.objects.len(), 2);
        assert!(f.file.text.is_empty());
        // A database workload can be reported (no volume at its data directory): kept.
        let db = app.replace("nginx:1.27", "postgres:16");
        let f = compacted("k8s/db.yaml", FileKind::Yaml, &db);
        assert_eq!(f.file.text, db);
        // A README whose code block runs nothing gives up its text and its regions; one that
        // runs a command keeps both.
        let quiet = "# App\n\n```sh\n# nothing here\n```\n";
        let f = compacted("README.md", FileKind::Markdown, quiet);
        assert!(f.file.text.is_empty() && f.regions.is_empty());
        let loud = "# App\n\n```sh\ndocker compose down -v\n```\n";
        let f = compacted("README.md", FileKind::Markdown, loud);
        assert_eq!(f.file.text, loud);
        assert!(!f.regions.is_empty());
    }
}
