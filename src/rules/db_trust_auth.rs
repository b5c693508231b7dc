//! `db-trust-auth`: see rules/db-trust-auth.toml for what/why/fix.

use std::collections::BTreeMap;

use crate::analysis::repo::RepoFacts;
use crate::analysis::stores::trust_auth_in;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, repo: &RepoFacts, cx: &mut Ctx) {
    let Some(model) = &file.compose else { return };
    let no_vars = BTreeMap::new();
    let vars = repo.env_for(&file.file.path).unwrap_or(&no_vars);
    for own in &model.services {
        let service = repo
            .merged_service(&file.file.path, &own.name.value)
            .unwrap_or(own);
        // What this file writes is reported here, with this file's context (an override that
        // switches authentication off is reported in the override).
        let Some((what, span)) = trust_auth_in(service, own, vars) else {
            continue;
        };
        let public = service.host_network || service.ports.iter().any(|p| p.is_public_with(vars));
        let (consequence, level) = if public {
            (
                "and its port is published beyond localhost: anyone who can reach the host can read, change or drop the data",
                Level::Error,
            )
        } else {
            (
                "so every container on its network can connect without a password",
                Level::Note,
            )
        };
        cx.report(
            span,
            format!(
                "Service `{}` ({}) has authentication switched off ({what}), {consequence}.",
                own.name.value,
                service.image_display()
            ),
        )
        .level(level);
    }
}
