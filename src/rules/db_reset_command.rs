//! `db-reset-command`: see rules/db-reset-command.toml for what/why/fix. Also reports for
//! `schema-push-data-loss` ([`report`] with the other kind): the two differ only in the table
//! entries they read.

use crate::analysis::operations::{entry_moments, operations};
use crate::analysis::repo::RepoFacts;
use crate::knowledge::framework::FrameworkTable;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::command::{OperationKind, RunsWhen};
use crate::rules::Ctx;

pub(super) fn check(repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    report(OperationKind::Reset, repo, files, cx);
}

/// Report every framework command of `kind`: at warning, at error when it runs on every start
/// or deploy, not at all when it runs only on an empty data directory.
pub(super) fn report(kind: OperationKind, repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    let table = repo
        .framework
        .as_ref()
        .unwrap_or_else(|| FrameworkTable::builtin());
    let moments = entry_moments(files);
    for (i, file) in files.iter().enumerate() {
        for op in operations(file, table, moments.get(&i)) {
            if op.entry.kind != kind || op.when == RunsWhen::FirstInit {
                continue;
            }
            let mut message = format!("`{}` {} ({})", op.written, op.entry.effect, op.entry.tool);
            if let Some(when) = op.when.describe() {
                message.push_str(&format!(
                    ", and it runs {when}, against whatever database the deployment points it at"
                ));
            }
            if let Some(flag) = &op.unguarded {
                message.push_str(&format!(
                    "; `{flag}` switches off the framework's own confirmation"
                ));
            }
            let finding = cx.report_in(&file.file.path, op.command.span, message);
            if op.when.every_time() {
                finding.level(Level::Error);
            }
            if let Some((host, span)) = &op.started_by {
                finding.related(host, *span, "it is started here");
            }
        }
    }
}
