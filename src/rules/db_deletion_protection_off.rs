//! `db-deletion-protection-off`: see rules/db-deletion-protection-off.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::knowledge::managed_db::risks_with;
use crate::model::FileFacts;
use crate::model::infra::SettingValue;
use crate::rules::Ctx;

const ID: &str = "db-deletion-protection-off";

pub(super) fn check(file: &FileFacts, repo: &RepoFacts, cx: &mut Ctx) {
    report_risks(file, repo, ID, cx);
}

/// Report the settings of the file's database resources that the managed-databases table
/// ties to rule `id` (shared with `db-backups-disabled`). A setting that is a variable
/// (`var.skip_final_snapshot`) is judged by the variable's literal value in the module: a
/// `terraform.tfvars`/`*.auto.tfvars` assignment, else its default; unknown stays quiet.
pub(super) fn report_risks(file: &FileFacts, repo: &RepoFacts, id: &str, cx: &mut Ctx) {
    let path = &file.file.path;
    let resolve = |name: &str| repo.terraform_var(path, name).map(|v| v.value.clone());
    for resource in &file.infra.resources {
        for risk in risks_with(resource, &resolve)
            .into_iter()
            .filter(|r| r.rule == id)
        {
            let written = risk.setting.written(&file.file.text);
            let var = risk
                .setting
                .var_ref
                .as_ref()
                .filter(|_| risk.setting.value == SettingValue::Expr)
                .and_then(|name| Some((name, repo.terraform_var(path, name)?)));
            let source = var.map(|(name, v)| {
                let how = if v.from_tfvars {
                    "is set to"
                } else {
                    "defaults to"
                };
                let file_name = v.path.rsplit('/').next().unwrap_or(&v.path);
                format!(
                    " (variable `{name}` {how} `{}` in {file_name})",
                    literal(&v.value)
                )
            });
            let finding = cx.report(
                risk.setting.span,
                format!(
                    "{} `{}` sets `{written}`{}: {}.",
                    risk.what,
                    resource.address(),
                    source.unwrap_or_default(),
                    risk.says
                ),
            );
            finding.related(path, resource.span, "the database declared here");
            if let Some((name, v)) = var {
                finding.related(&v.path, v.span, format!("`{name}` set here"));
            }
        }
    }
}

/// A variable's literal value as Terraform writes it.
fn literal(value: &SettingValue) -> String {
    match value {
        SettingValue::Bool(b) => b.to_string(),
        SettingValue::Number(n) => n.to_string(),
        SettingValue::Str(s) => format!("\"{s}\""),
        SettingValue::Secret | SettingValue::Expr => "…".into(),
    }
}
