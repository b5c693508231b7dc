//! `db-trust-auth`: see rules/db-trust-auth.toml for what/why/fix.

use super::Ctx;
use crate::facts::FileFacts;
use crate::facts::compose::trust_auth;
use crate::facts::repo::RepoFacts;
use crate::levels::Level;

pub(super) fn check(file: &FileFacts, repo: &RepoFacts, cx: &mut Ctx) {
    let Some(model) = &file.compose else { return };
    for own in &model.services {
        let service = repo
            .merged_service(&file.file.path, &own.name.value)
            .unwrap_or(own);
        let Some((what, span)) = trust_auth(own).or_else(|| {
            // Set in the other file of the project: report at this file's service key.
            trust_auth(service).map(|(w, _)| (w, own.name.span))
        }) else {
            continue;
        };
        if trust_auth(own).is_none() && own.image.is_none() {
            continue;
        }
        let public = service.host_network || service.ports.iter().any(|p| p.is_public());
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
