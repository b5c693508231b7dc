//! `schema-push-data-loss`: see rules/schema-push-data-loss.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::model::FileFacts;
use crate::model::command::OperationKind;
use crate::rules::Ctx;

pub(super) fn check(repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    super::db_reset_command::report(OperationKind::SchemaPush, repo, files, cx);
}
