//! The Compose front-end: a Compose file (by name, or other YAML by content) parsed once into the
//! generic YAML model of [`crate::syntax::yaml`] (anchors, aliases and merge keys resolved
//! there), then turned into the model of [`crate::model::store::compose`] with spans on every
//! key and value. Shell run by `command:`/`entrypoint:` through `sh -c` is handed to the shell
//! front-end, and credentials in the file to [`crate::frontends::secrets`].
//!
//! By concern:
//! - `build`: the model from the YAML tree (services, volumes, secrets, environment, labels);
//! - `mounts` and `ports`: short and long syntax of service volumes and published ports;
//! - `command`: command/entrypoint words and the `sh -c` script for the shell front-end;
//! - `merge`: documents and override files merged the way Compose merges them;
//! - `stateful`: which services run a stateful image, and where it keeps data;
//! - `nodes`: small readers of YAML nodes the others share.
//!
//! Interpolation (`${VAR:-default}`) is [`crate::syntax::interp`]'s. This front-end decides
//! nothing about risk: rules do.

mod build;
mod command;
mod merge;
mod mounts;
mod nodes;
mod ports;
mod stateful;
#[cfg(test)]
mod tests;

pub use merge::merge_into;
pub use stateful::{apply_table, resolve_builds};

use crate::classify::FileKind;
use crate::frontends::compose::build::{
    is_compose_document, model_of_parsed, scheduler_commands, service_nodes, value_scalars,
};
use crate::frontends::compose::command::{argv_of, shell_script};
use crate::frontends::secrets;
use crate::model::FileFacts;
use crate::model::command::ShellOrigin;
use crate::model::secret::Origin;
use crate::model::store::ComposeFile;
use crate::notice::{Notice, NoticeKind};
use crate::syntax::yaml::{self, Node};

/// Build the compose model of a YAML file, when it is a Compose file (by name, or by content for
/// other YAML), hand `sh -c` command lines to the shell layer, and report YAML problems. Other
/// YAML that holds Compose keys keeps its Compose reading in `FileFacts::compose_fragment`, for a
/// command that names it with `-f` next to Compose files. Returns the parsed YAML of a file that
/// is not a Compose file, for the other YAML readers (Kubernetes manifests).
pub fn extract_file(facts: &mut FileFacts) -> Option<yaml::Yaml> {
    let by_name = facts.kind == FileKind::Compose;
    if !by_name && !may_hold_compose_or_objects(&facts.file.text) {
        return None;
    }
    let parsed = if by_name {
        yaml::parse(&facts.file.text)
    } else {
        // Other YAML may be Kubernetes objects: those of kinds no reader uses (an operator's
        // release manifest's CRDs, RBAC, Services) are not parsed.
        yaml::parse_skipping_kinds(
            &facts.file.text,
            &crate::frontends::infra::kubernetes::unread_kind,
        )
    };
    let looks_like_compose = parsed
        .documents
        .iter()
        .filter_map(|d| d.root.as_ref())
        .any(is_compose_document);
    if !by_name && !looks_like_compose {
        // Other YAML: problems are shown only with --verbose (it may not be ours to judge).
        for p in &parsed.problems {
            let line = facts.file.position(p.offset).line;
            facts.notices.push(
                Notice::file(&facts.file.path, NoticeKind::ParseError, p.message.clone())
                    .at_line(line)
                    .info(),
            );
        }
        let fragment = model_of_parsed(&parsed);
        if fragment != ComposeFile::default() {
            facts.compose_fragment = Some(Box::new(fragment));
        }
        return Some(parsed);
    }
    for p in &parsed.problems {
        let line = facts.file.position(p.offset).line;
        facts.notices.push(
            Notice::file(&facts.file.path, NoticeKind::ParseError, p.message.clone()).at_line(line),
        );
    }
    interpolation_limits(facts, &parsed);
    let mut model = model_of_parsed(&parsed);
    model.scheduled = scheduler_commands(&parsed);
    // `command: sh -c "…"` runs a shell script: the shell layer reads it.
    let mut scripts = Vec::new();
    for (name, service) in service_nodes(&parsed) {
        for key in ["entrypoint", "command"] {
            if let Some(node) = service.get(key) {
                scripts.extend(shell_script(node).map(|(text, map)| (text, map, name.to_string())));
            }
        }
    }
    scripts.sort_by_key(|(_, map, _)| map.to_host(0));
    scripts.dedup_by_key(|(_, map, _)| map.to_host(0));
    for (script, map, service) in scripts {
        facts
            .shell
            .add_source(&script, &map, ShellOrigin::ComposeCommand { service });
    }
    credentials(facts, &parsed, &model);
    facts.compose = Some(Box::new(model));
    None
}

/// Top-level keys that make other YAML worth parsing: Compose (`services`, `volumes`, `name`,
/// `secrets`) and Kubernetes objects (`apiVersion`).
const TOP_LEVEL_KEYS: &[&str] = &["services", "volumes", "name", "secrets", "apiVersion"];

/// Whether other YAML (not named as Compose) can hold a Compose model or Kubernetes objects: one
/// of [`TOP_LEVEL_KEYS`] starts a line (plain or quoted), or the file is in flow style (`{`).
/// Translations, fixtures and data files (megabytes in some repositories) are not parsed.
fn may_hold_compose_or_objects(text: &str) -> bool {
    let first = text.lines().map(str::trim_start).find(|l| {
        !l.is_empty() && !l.starts_with('#') && !l.starts_with("---") && !l.starts_with('%')
    });
    if first.is_some_and(|l| l.starts_with('{') || l.starts_with('[')) {
        return true;
    }
    text.lines().any(|line| {
        let line = line.trim_start_matches(['"', '\'']);
        TOP_LEVEL_KEYS.iter().any(|key| {
            line.strip_prefix(key)
                .map(|rest| rest.trim_start_matches(['"', '\'']))
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    })
}

/// A value whose `${…:-${…}}` defaults nest past the interpolation limit is read as unknown: say
/// so, once per value.
fn interpolation_limits(facts: &mut FileFacts, parsed: &yaml::Yaml) {
    use crate::syntax::interp::{MAX_NESTING, too_deep};
    for root in parsed.documents.iter().filter_map(|d| d.root.as_ref()) {
        let mut scalars = Vec::new();
        value_scalars(root, &mut scalars);
        for scalar in scalars.iter().filter(|s| too_deep(&s.value)) {
            let line = facts.file.position(scalar.content_span.start()).line;
            facts.notices.push(
                Notice::file(
                    &facts.file.path,
                    NoticeKind::ParseError,
                    format!(
                        "interpolation nested deeper than {MAX_NESTING} levels was not followed"
                    ),
                )
                .at_line(line),
            );
        }
    }
}

/// Credentials: password variables of every service, passwords on command lines and health
/// checks, URLs in any value.
fn credentials(facts: &mut FileFacts, parsed: &yaml::Yaml, model: &ComposeFile) {
    for service in &model.services {
        let origin = Origin::ComposeEnv {
            service: service.name.value.clone(),
        };
        secrets::from_env_entries(facts, &service.environment, &origin);
        for (key, argv) in [
            ("entrypoint", &service.entrypoint_argv),
            ("command", &service.command_argv),
        ] {
            secrets::from_compose_argv(facts, argv, &service.name.value, key);
        }
    }
    // `healthcheck: test: ["CMD", "redis-cli", "-a", "…"]` (or `CMD-SHELL` / a string): its words.
    for (name, service) in service_nodes(parsed) {
        let Some(test) = service.get("healthcheck").and_then(|h| h.get("test")) else {
            continue;
        };
        let argv = match test.as_sequence() {
            Some([kind, script]) if kind.as_str() == Some("CMD-SHELL") => argv_of(script),
            _ => argv_of(test),
        };
        secrets::from_compose_argv(facts, &argv, name, "healthcheck");
    }
    for doc in &parsed.documents {
        let Some(root) = &doc.root else { continue };
        let mut scalars = Vec::new();
        if let Some(services) = root.get("services").and_then(Node::as_mapping) {
            for pair in services {
                let name = pair.key_str().map(str::to_string);
                let mut found = Vec::new();
                value_scalars(&pair.value, &mut found);
                scalars.extend(found.into_iter().map(|s| (name.clone(), s)));
            }
        }
        let mut found = Vec::new();
        value_scalars(root, &mut found);
        scalars.extend(found.into_iter().map(|s| (None, s)));
        for (service, scalar) in scalars {
            secrets::from_compose_scalar(facts, &scalar.value, &scalar.map, service.as_deref());
        }
    }
}
