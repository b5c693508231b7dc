//! `db-backups-disabled`: see rules/db-backups-disabled.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::model::FileFacts;
use crate::rules::Ctx;
use crate::rules::db_deletion_protection_off::report_risks;

const ID: &str = "db-backups-disabled";

pub(super) fn check(file: &FileFacts, repo: &RepoFacts, cx: &mut Ctx) {
    report_risks(file, repo, ID, cx);
    for h in file.infra.helm.iter().filter(|h| h.what == "backup") {
        cx.report(
            h.span,
            format!(
                "The values of the {} chart turn its backup job off (`{}: false`): nothing dumps the {} data, so a bad migration, a deleted table or a lost volume cannot be restored.",
                h.chart, h.path, h.family
            ),
        )
        .help("Turn the chart's backup on (`backup.enabled: true` with a schedule and a volume or bucket that outlives the release), or back the database up another way");
    }
}
