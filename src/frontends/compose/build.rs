//! Building the Compose model from the YAML tree: top-level `name:`, `volumes:` and `secrets:`,
//! each service's keys (image, build, environment in map or list form, `env_file:`, command and
//! entrypoint words, volumes, tmpfs, ports, secrets, profiles, host networking, `x-` keys), and
//! the commands scheduler containers run from labels. Documents of one file merge in order.
//!
//! Reads a tree [`crate::syntax::yaml`] already parsed; never parses, and decides nothing about
//! risk. Which images are stateful is [`super::stateful`]'s, short/long syntax of volumes and
//! ports is [`super::mounts`]' and [`super::ports`]'.

use crate::frontends::compose::command::argv_of;
use crate::frontends::compose::merge::merge_into;
use crate::frontends::compose::mounts::mount_of;
use crate::frontends::compose::nodes::{key_spanned, spanned_scalar};
use crate::frontends::compose::ports::port_of;
use crate::frontends::compose::stateful::stateful_of;
use crate::knowledge::stateful::StatefulTable;
use crate::model::store::{
    ComposeFile, EnvEntry, ImageRef, Mount, MountKind, Service, Spanned, VolumeDecl,
};
use crate::source::{OffsetMap, Span};
use crate::syntax::interp::with_defaults;
use crate::syntax::yaml::{self, Node, ScalarStyle, Value};

/// The Compose model of parsed YAML: documents merged, stateful services decided.
pub(super) fn model_of_parsed(parsed: &yaml::Yaml) -> ComposeFile {
    let mut model = ComposeFile::default();
    for root in parsed.documents.iter().filter_map(|d| d.root.as_ref()) {
        merge_into(&mut model, model_of(root));
    }
    let table = StatefulTable::builtin();
    for service in &mut model.services {
        service.stateful = stateful_of(service, table);
    }
    model
}

/// A top-level `services:` mapping whose entries have `image:` or `build:`.
pub(super) fn is_compose_document(root: &Node) -> bool {
    root.get("services")
        .and_then(Node::as_mapping)
        .is_some_and(|services| {
            services
                .iter()
                .any(|s| s.value.get("image").is_some() || s.value.get("build").is_some())
        })
}

/// The model of one document.
fn model_of(root: &Node) -> ComposeFile {
    let mut model = ComposeFile {
        name: root.get("name").and_then(spanned_scalar),
        ..ComposeFile::default()
    };
    if let Some(volumes) = root.get("volumes").and_then(Node::as_mapping) {
        for pair in volumes {
            let Some(key) = key_spanned(pair) else {
                continue;
            };
            let name = pair.value.get("name").and_then(spanned_scalar);
            let external = match pair.value.get("external") {
                Some(x) => x.as_bool().unwrap_or(x.as_mapping().is_some()),
                None => false,
            };
            model.volumes.push(VolumeDecl {
                key,
                name,
                external,
            });
        }
    }
    if let Some(secrets) = root.get("secrets").and_then(Node::as_mapping) {
        model.secrets.extend(secrets.iter().filter_map(key_spanned));
    }
    if let Some(services) = root.get("services").and_then(Node::as_mapping) {
        for pair in services {
            let Some(name) = key_spanned(pair) else {
                continue;
            };
            model.services.push(service_of(name, &pair.value));
        }
    }
    model
}

/// The Dockerfile a `build:` value names, relative to the Compose file: `build: ./db` is
/// `db/Dockerfile`; the long form's `dockerfile:` is inside its `context:` (default `.`). A
/// remote context (a Git URL) or an interpolated path names no file of the repository.
fn build_file_of(value: &Node) -> Option<String> {
    let (context, dockerfile) = match value.as_str() {
        Some(context) => (context.to_string(), "Dockerfile".to_string()),
        None => {
            let text = |key: &str| value.get(key).and_then(Node::as_str).map(str::to_string);
            (
                text("context").unwrap_or_else(|| ".".into()),
                text("dockerfile").unwrap_or_else(|| "Dockerfile".into()),
            )
        }
    };
    let remote = context.contains("://") || context.starts_with("git@");
    if remote || context.contains('$') || dockerfile.contains('$') || dockerfile.starts_with('/') {
        return None;
    }
    Some(crate::model::command::normalize(&format!(
        "{context}/{dockerfile}"
    )))
}

/// One service's keys (unknown keys are skipped).
fn service_of(name: Spanned, node: &Node) -> Service {
    let mut service = Service {
        name,
        ..Service::default()
    };
    let Some(pairs) = node.as_mapping() else {
        return service;
    };
    for pair in pairs {
        let Some(key) = pair.key_str() else { continue };
        let value = &pair.value;
        match key {
            "image" => {
                service.image = spanned_scalar(value);
                service.image_ref =
                    service
                        .image
                        .as_ref()
                        .and_then(|i| match with_defaults(&i.value) {
                            Some(image) => ImageRef::parse(&image),
                            // `postgres:${PG_VERSION}`: the image is known, its version is not.
                            None => ImageRef::parse_unknown_version(&i.value),
                        });
            }
            "build" => {
                service.build = !value.is_null();
                service.build_file = build_file_of(value);
            }
            "environment" => service.environment = environment_of(value),
            "env_file" => service.env_files = env_files_of(value),
            "command" => {
                service.command_argv = argv_of(value);
                service.command = command_text(value);
            }
            "entrypoint" => service.entrypoint_argv = argv_of(value),
            "volumes" => {
                for item in value.as_sequence().unwrap_or_default() {
                    service.mounts.extend(mount_of(item));
                }
            }
            "tmpfs" => {
                let items: Vec<&Node> = match value.as_sequence() {
                    Some(items) => items.iter().collect(),
                    None => vec![value],
                };
                for item in items {
                    let Some(s) = item.as_str() else { continue };
                    let target = s.split(':').next().unwrap_or(s).to_string();
                    service.mounts.push(Mount {
                        kind: MountKind::Tmpfs,
                        source: String::new(),
                        target,
                        read_only: false,
                        span: item.span,
                        source_raw: String::new(),
                        implied: false,
                    });
                }
            }
            "ports" => {
                for item in value.as_sequence().unwrap_or_default() {
                    service.ports.extend(port_of(item));
                }
            }
            "secrets" => {
                for item in value.as_sequence().unwrap_or_default() {
                    let name = item
                        .as_str()
                        .map(|_| item)
                        .or_else(|| item.get("source"))
                        .and_then(spanned_scalar);
                    service.secrets.extend(name);
                }
            }
            "profiles" => {
                service.profiles = value
                    .as_sequence()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|p| p.as_str().map(str::to_string))
                    .collect();
            }
            "network_mode" => service.host_network = value.as_str() == Some("host"),
            k if k.starts_with("x-") => service.extensions.extend(key_spanned(pair)),
            _ => {}
        }
    }
    service
}

/// `environment:` in map form (`KEY: value`) or list form (`- KEY=value`, `- KEY`), each value
/// with its offset map into the file.
fn environment_of(node: &Node) -> Vec<EnvEntry> {
    let mut out = Vec::new();
    if let Some(pairs) = node.as_mapping() {
        for pair in pairs {
            let Some(key) = key_spanned(pair) else {
                continue;
            };
            let (value, map) = match pair.value.as_scalar() {
                Some(s) if !pair.value.is_null() => (
                    Some(Spanned {
                        value: s.value.clone(),
                        span: s.content_span,
                    }),
                    s.map.clone(),
                ),
                _ => (None, OffsetMap::default()),
            };
            out.push(EnvEntry { key, value, map });
        }
    } else if let Some(items) = node.as_sequence() {
        for item in items {
            let Some(s) = item.as_scalar() else { continue };
            if item.is_null() {
                continue;
            }
            let (key, value) = match s.value.split_once('=') {
                Some((k, v)) => {
                    let at = k.len() + 1;
                    let span = s.host_span(at, s.value.len());
                    let value = Spanned {
                        value: v.to_string(),
                        span: if v.is_empty() {
                            Span::new(span.start(), span.start())
                        } else {
                            span
                        },
                    };
                    (k, Some((value, at)))
                }
                None => (s.value.as_str(), None),
            };
            let key = Spanned {
                value: key.trim().to_string(),
                span: s.host_span(0, key.len()),
            };
            match value {
                Some((value, at)) => {
                    // The value's own offsets: the scalar's map shifted past `KEY=`.
                    let map = s.map.then(&OffsetMap::verbatim(at, value.value.len()));
                    out.push(EnvEntry {
                        key,
                        value: Some(value),
                        map,
                    });
                }
                None => out.push(EnvEntry {
                    key,
                    value: None,
                    map: OffsetMap::default(),
                }),
            }
        }
    }
    out
}

/// `env_file:` as a string, a list of strings, or a list of `path:` entries.
fn env_files_of(node: &Node) -> Vec<Spanned> {
    let items: Vec<&Node> = match node.as_sequence() {
        Some(items) => items.iter().collect(),
        None => vec![node],
    };
    items
        .into_iter()
        .filter_map(|i| spanned_scalar(i).or_else(|| i.get("path").and_then(spanned_scalar)))
        .collect()
}

/// `command:` as written: a string, or list items joined with spaces.
fn command_text(node: &Node) -> Option<Spanned> {
    if let Some(s) = spanned_scalar(node) {
        return Some(s);
    }
    let items = node.as_sequence()?;
    let words: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
    Some(Spanned {
        value: words.join(" "),
        span: node.span,
    })
}

/// Commands in Ofelia scheduler labels (`ofelia.job-exec|job-run|job-local.<name>.command`), in
/// map or `KEY=value` list form.
pub(super) fn scheduler_commands(parsed: &yaml::Yaml) -> Vec<Spanned> {
    let is_job_command = |key: &str| {
        ["ofelia.job-exec.", "ofelia.job-run.", "ofelia.job-local."]
            .iter()
            .any(|p| key.starts_with(p))
            && key.ends_with(".command")
    };
    let mut out = Vec::new();
    for (_, service) in service_nodes(parsed) {
        let Some(labels) = service.get("labels") else {
            continue;
        };
        for pair in labels.as_mapping().unwrap_or_default() {
            if pair.key_str().is_some_and(is_job_command)
                && let Some(value) = pair.value.as_str()
            {
                out.push(Spanned {
                    value: value.to_string(),
                    span: pair.value.span,
                });
            }
        }
        for item in labels.as_sequence().unwrap_or_default() {
            if let Some((key, value)) = item.as_str().and_then(|t| t.split_once('='))
                && is_job_command(key)
            {
                out.push(Spanned {
                    value: value.to_string(),
                    span: item.span,
                });
            }
        }
    }
    out
}

/// Every named service of every document: (name, its mapping).
pub(super) fn service_nodes(parsed: &yaml::Yaml) -> impl Iterator<Item = (&str, &Node)> {
    parsed
        .documents
        .iter()
        .filter_map(|doc| doc.root.as_ref())
        .filter_map(|root| root.get("services").and_then(Node::as_mapping))
        .flatten()
        .filter_map(|pair| Some((pair.key_str()?, &pair.value)))
}

/// Scalars of a YAML tree that are values (not keys), for scans of every compose value.
pub(super) fn value_scalars(node: &Node, out: &mut Vec<yaml::Scalar>) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Mapping(pairs) => stack.extend(pairs.iter().map(|p| &p.value)),
            Value::Sequence(items) => stack.extend(items),
            Value::Scalar(s) if s.style != ScalarStyle::Plain || !n.is_null() => {
                out.push(s.clone())
            }
            Value::Scalar(_) => {}
        }
    }
}
