//! `db-deletion-protection-off`: see rules/db-deletion-protection-off.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::knowledge::managed_db::risks;
use crate::model::FileFacts;
use crate::rules::Ctx;

const ID: &str = "db-deletion-protection-off";

pub(super) fn check(file: &FileFacts, _: &RepoFacts, cx: &mut Ctx) {
    report_risks(file, ID, cx);
}

/// Report the settings of the file's database resources that the managed-databases table
/// ties to rule `id` (shared with `db-backups-disabled`).
pub(super) fn report_risks(file: &FileFacts, id: &str, cx: &mut Ctx) {
    for resource in &file.infra.resources {
        for risk in risks(resource).into_iter().filter(|r| r.rule == id) {
            let written = risk.setting.written(&file.file.text);
            cx.report(
                risk.setting.span,
                format!(
                    "{} `{}` sets `{written}`: {}.",
                    risk.what,
                    resource.address(),
                    risk.says
                ),
            )
            .related(&file.file.path, resource.span, "the database declared here");
        }
    }
}
