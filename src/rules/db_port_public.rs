//! `db-port-public`: see rules/db-port-public.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::analysis::stores::database_entry;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::secret::Origin;
use crate::model::secret::SecretClass;
use crate::model::store::Service;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, repo: &RepoFacts, cx: &mut Ctx) {
    let Some(model) = &file.compose else { return };
    let no_vars = std::collections::BTreeMap::new();
    let vars = repo.env_for(&file.file.path).unwrap_or(&no_vars);
    for own in &model.services {
        let service = repo
            .merged_service(&file.file.path, &own.name.value)
            .unwrap_or(own);
        let Some(entry) = database_entry(service) else {
            continue;
        };
        let weak = weak_auth(file, repo, service);
        if own.host_network {
            let ports: Vec<String> = entry.ports.iter().map(u16::to_string).collect();
            let mut message = format!(
                "Service `{}` ({}) uses `network_mode: host`, so its {} port{} {} open on every interface of the host: anyone who can reach the host can connect to the {} database.",
                own.name.value,
                service.image_display(),
                ports.join("/"),
                if ports.len() == 1 { "" } else { "s" },
                if ports.len() == 1 { "is" } else { "are" },
                entry.family
            );
            let level = match &weak {
                Some(why) => {
                    message.push_str(&format!(" Its {why}."));
                    Level::Error
                }
                None => Level::Warning,
            };
            cx.report(own.name.span, message).level(level);
        }
        for port in own.ports.iter().filter(|p| p.is_public_with(vars)) {
            let shown = match &port.published {
                Some(published) => format!("{published}:{}", port.target),
                None => port.target.clone(),
            };
            let mut message = format!(
                "Service `{}` ({}) publishes port `{shown}` on all interfaces: anyone who can reach the host can connect to the {} database.",
                own.name.value,
                service.image_display(),
                entry.family
            );
            let level = if let Some(why) = &weak {
                message.push_str(&format!(" Its {why}."));
                Level::Error
            } else {
                Level::Warning
            };
            cx.report(port.span, message).level(level);
        }
    }
}

/// Why the service is easy to log in to, if it is.
fn weak_auth(file: &FileFacts, repo: &RepoFacts, service: &Service) -> Option<String> {
    let name = &service.name.value;
    for c in &file.credentials {
        let ours = matches!(&c.origin, Origin::ComposeEnv { service } if service == name)
            || matches!(&c.origin, Origin::ComposeUrl { service: Some(s) } if s == name)
            || matches!(&c.origin, Origin::ComposeCommand { service, .. } if service == name);
        let known = if c.well_known { " well-known" } else { "" };
        match c.class {
            SecretClass::Literal if ours => {
                return Some(format!("password is a hardcoded{known} literal"));
            }
            SecretClass::Default if ours => {
                return Some(format!(
                    "password falls back to a hardcoded{known} default when the variable is unset"
                ));
            }
            _ => {}
        }
    }
    let no_vars = std::collections::BTreeMap::new();
    let vars = repo.env_for(&file.file.path).unwrap_or(&no_vars);
    crate::analysis::stores::trust_auth_in(service, service, vars)
        .map(|(what, _)| format!("authentication is off ({what})"))
}
