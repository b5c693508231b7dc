//! Compose facts: the model of a Compose file (services, images, volumes, bind mounts, ports,
//! environment, command lines, project name), with spans on every key and value, built on the
//! generic YAML model of [`super::yaml`] (anchors, aliases and merge keys are resolved there).
//!
//! Also here: Compose interpolation (`${VAR}`, `$VAR`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `$$`),
//! image references (`registry/namespace/name:tag`), and whether a service is stateful (from the
//! table in `rules/stateful-images.toml`). Shell run by `command:`/`entrypoint:` through `sh -c`
//! is handed to the shell layer. This module decides nothing about risk: rules do.

use std::collections::BTreeMap;

use crate::classify::FileKind;
use crate::notice::{Notice, NoticeKind};
use crate::source::{OffsetMap, Span};

use super::FileFacts;
use super::shell::ShellOrigin;
use super::stateful::{ImageEntry, Persistence, StatefulTable};
use super::yaml::{self, Node, ScalarStyle, Value};

/// A scalar from the YAML with its span (of the value; for a key/value pair, `key_span` too).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Spanned {
    pub value: String,
    pub span: Span,
}

/// The model of one Compose file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ComposeFile {
    /// Top-level `name:` (the project name), when set.
    pub name: Option<Spanned>,
    pub services: Vec<Service>,
    /// Top-level `volumes:` entries.
    pub volumes: Vec<VolumeDecl>,
    /// Top-level `secrets:` keys.
    pub secrets: Vec<Spanned>,
    /// Shell commands a scheduler container runs from services' labels (Ofelia's
    /// `ofelia.job-exec.<name>.command: "pg_dump …"`), at the label's value.
    pub scheduled: Vec<Spanned>,
}

impl ComposeFile {
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name.value == name)
    }

    pub fn volume(&self, key: &str) -> Option<&VolumeDecl> {
        self.volumes.iter().find(|v| v.key.value == key)
    }
}

/// A top-level named volume.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct VolumeDecl {
    /// The key under `volumes:`.
    pub key: Spanned,
    /// An explicit `name:` (used as the Docker volume name as is).
    pub name: Option<Spanned>,
    pub external: bool,
}

/// One service.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Service {
    /// The service key, with its span.
    pub name: Spanned,
    pub image: Option<Spanned>,
    /// The image reference parsed (after interpolation with defaults).
    pub image_ref: Option<ImageRef>,
    /// The service has a `build:` section.
    pub build: bool,
    pub mounts: Vec<Mount>,
    pub environment: Vec<EnvEntry>,
    /// `env_file:` paths, relative to the compose file's directory.
    pub env_files: Vec<Spanned>,
    pub ports: Vec<Port>,
    /// `command:` as written (a string, or list items joined with spaces).
    pub command: Option<Spanned>,
    /// `command:` split into words the way Compose splits it.
    pub command_argv: Vec<Spanned>,
    pub entrypoint_argv: Vec<Spanned>,
    /// `secrets:` the service uses.
    pub secrets: Vec<Spanned>,
    pub profiles: Vec<String>,
    /// `network_mode: host`: every port the container listens on is open on the host.
    pub host_network: bool,
    /// `x-` extension keys of the service.
    pub extensions: Vec<Spanned>,
    /// Set when the image is stateful (from `rules/stateful-images.toml`).
    pub stateful: Option<Stateful>,
}

impl Service {
    /// The value of an environment variable set on the service (decoded, not interpolated).
    pub fn env(&self, key: &str) -> Option<&EnvEntry> {
        self.environment.iter().find(|e| e.key.value == key)
    }

    /// The image as written, or `build` when the service is built.
    pub fn image_display(&self) -> String {
        match &self.image {
            Some(i) => i.value.clone(),
            None if self.build => "built locally".into(),
            None => "no image".into(),
        }
    }

    /// The command and entrypoint words, entrypoint first, as plain strings.
    pub fn argv(&self) -> Vec<&str> {
        self.entrypoint_argv
            .iter()
            .chain(&self.command_argv)
            .map(|s| s.value.as_str())
            .collect()
    }

    /// The mount whose target holds (or is) `dir`, preferring the deepest.
    pub fn mount_at(&self, dir: &str) -> Option<&Mount> {
        self.mounts
            .iter()
            .filter(|m| path_within(dir, &m.target))
            .max_by_key(|m| m.target.len())
    }

    /// Whether the service's data is persisted: a named volume or a bind mount at one of its data
    /// directories (an anonymous volume or a tmpfs is not persistence).
    pub fn data_mount(&self) -> Option<&Mount> {
        let stateful = self.stateful.as_ref()?;
        stateful
            .data_dirs
            .iter()
            .filter_map(|d| self.mount_at(d))
            .find(|m| matches!(m.kind, MountKind::Named | MountKind::Bind))
    }
}

/// The stateful-images entry of a service's image, whether or not its data is persisted (a Redis
/// cache is still a database server that listens on a port).
pub fn database_entry(service: &Service) -> Option<&'static ImageEntry> {
    StatefulTable::builtin().lookup(&service.image_ref.as_ref()?.path())
}

/// Authentication switched off on a database service: what says so, and where.
pub fn trust_auth(service: &Service) -> Option<(String, Span)> {
    trust_auth_in(service, service, &BTreeMap::new())
}

/// Authentication switched off, as written in one file's part (`own`) of a service that Compose
/// runs merged with its other files (`merged`: the image, the passwords set anywhere). Only
/// what `own` writes is reported, at its span in that file, so an override's
/// `POSTGRES_HOST_AUTH_METHOD: trust` is reported in the override with the override's context.
/// Values are interpolated with `vars` (the `.env` next to the file) and their defaults.
pub fn trust_auth_in(
    merged: &Service,
    own: &Service,
    vars: &BTreeMap<String, String>,
) -> Option<(String, Span)> {
    let entry = database_entry(merged)?;
    let resolved = |service: &Service, key: &str| -> Option<(String, Span)> {
        let e = service.env(key)?;
        let v = e.value.as_ref()?;
        let value = interpolate(&v.value, vars)?;
        Some((value.trim().to_ascii_lowercase(), e.key.span))
    };
    if let Some((v, span)) = resolved(own, "POSTGRES_HOST_AUTH_METHOD")
        && v == "trust"
    {
        return Some(("`POSTGRES_HOST_AUTH_METHOD=trust`".into(), span));
    }
    // An "allow empty password" switch only takes effect when no password is given: the
    // image uses the password when there is one (Bitnami's replication example sets both).
    const MYSQL_ROOT: &[&str] = &[
        "MYSQL_ROOT_PASSWORD",
        "MYSQL_RANDOM_ROOT_PASSWORD",
        "MARIADB_ROOT_PASSWORD",
        "MARIADB_RANDOM_ROOT_PASSWORD",
    ];
    const BITNAMI: &[&str] = &[
        "POSTGRESQL_PASSWORD",
        "POSTGRESQL_POSTGRES_PASSWORD",
        "POSTGRES_PASSWORD",
        "MYSQL_ROOT_PASSWORD",
        "MARIADB_ROOT_PASSWORD",
        "REDIS_PASSWORD",
        "VALKEY_PASSWORD",
        "MONGODB_ROOT_PASSWORD",
    ];
    let password_given = |keys: &[&str]| {
        keys.iter().any(|k| {
            let set = |name: &str| {
                merged
                    .env(name)
                    .and_then(|e| e.value.as_ref())
                    .is_some_and(|v| !v.value.trim().is_empty())
            };
            set(k) || set(&format!("{k}_FILE"))
        })
    };
    for (key, passwords) in [
        ("MYSQL_ALLOW_EMPTY_PASSWORD", MYSQL_ROOT),
        ("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", MYSQL_ROOT),
        ("MARIADB_ALLOW_EMPTY_PASSWORD", MYSQL_ROOT),
        ("ALLOW_EMPTY_PASSWORD", BITNAMI),
    ] {
        if let Some((v, span)) = resolved(own, key)
            && !matches!(v.as_str(), "" | "no" | "false" | "0")
            && !password_given(passwords)
        {
            return Some((format!("`{key}`"), span));
        }
    }
    let joined = merged.argv().join(" ");
    if entry.family == "redis" {
        let words: Vec<&str> = joined.split_whitespace().collect();
        let off = words
            .windows(2)
            .position(|w| w[0] == "--protected-mode" && w[1].trim_matches(['"', '\'']) == "no");
        let has_password = joined.contains("--requirepass")
            || merged.env("REDIS_PASSWORD").is_some()
            || merged.env("REDIS_PASSWORD_FILE").is_some()
            || !merged.env_files.is_empty();
        // Reported where the command line is written.
        let span = own
            .command_argv
            .iter()
            .chain(&own.entrypoint_argv)
            .find(|w| w.value.contains("--protected-mode"))
            .map(|w| w.span);
        if let (Some(_), false, Some(span)) = (off, has_password, span) {
            return Some(("`--protected-mode no` without a password".into(), span));
        }
    }
    let official_mongo = entry.family == "mongo"
        && merged
            .image_ref
            .as_ref()
            .is_some_and(|i| i.path() == "mongo");
    // Something missing is reported at the service in the file that names the image.
    if official_mongo
        && own.image.is_some()
        && merged.env_files.is_empty()
        && !merged
            .environment
            .iter()
            .any(|e| e.key.value.starts_with("MONGO_INITDB_ROOT_"))
        && !joined.contains("--auth")
        && !joined.contains("--keyFile")
    {
        return Some((
            "no `MONGO_INITDB_ROOT_USERNAME`/`MONGO_INITDB_ROOT_PASSWORD`".into(),
            own.name.span,
        ));
    }
    None
}

/// `dir` is `root` or inside it.
pub fn path_within(dir: &str, root: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    let root = root.trim_end_matches('/');
    if root.is_empty() {
        return true;
    }
    dir == root || dir.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
}

/// A parsed image reference: `[registry/][namespace/]name[:tag][@digest]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImageRef {
    pub registry: Option<String>,
    pub namespace: Option<String>,
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parse an image reference (already interpolated).
    pub fn parse(image: &str) -> Option<ImageRef> {
        let image = image.trim();
        if image.is_empty() || image.contains(char::is_whitespace) {
            return None;
        }
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (image, None),
        };
        // A tag is after the last `:` that follows the last `/` (a registry port has a `/` after it).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            None => (rest, None),
        };
        let mut parts: Vec<&str> = path.split('/').collect();
        let registry = if parts.len() > 1
            && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost")
        {
            Some(parts.remove(0).to_string())
        } else {
            None
        };
        let name = parts.pop()?.to_string();
        if name.is_empty() {
            return None;
        }
        let namespace = (!parts.is_empty()).then(|| parts.join("/"));
        Some(ImageRef {
            registry,
            namespace,
            name,
            tag,
            digest,
        })
    }

    /// `namespace/name` (Docker Hub's `library/` left out), or `registry/namespace/name` for
    /// other registries: the key of the stateful-images table.
    pub fn path(&self) -> String {
        let mut out = String::new();
        let hub = matches!(
            self.registry.as_deref(),
            None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io")
        );
        if let (false, Some(r)) = (hub, &self.registry) {
            out.push_str(r);
            out.push('/');
        }
        match self.namespace.as_deref() {
            Some("library") if hub => {}
            Some(ns) => {
                out.push_str(ns);
                out.push('/');
            }
            None => {}
        }
        out.push_str(&self.name);
        out
    }

    /// The major version in the tag (`16`, `16.2-alpine`, `16-3.4` → 16). Images that package an
    /// extension name the server in a `pgNN` part (`pgvector/pgvector:0.8.0-pg18`,
    /// `timescale/timescaledb:2.17.2-pg17`, `…:latest-pg16`): that is the major version.
    pub fn major(&self) -> Option<u32> {
        let tag = self.tag.as_deref()?;
        let pg = tag
            .split(|c: char| !c.is_ascii_alphanumeric())
            .find_map(|part| {
                let digits = part.strip_prefix("pg")?;
                let digits: String = digits.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            });
        if pg.is_some() {
            return pg;
        }
        let digits: String = tag.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    }
}

/// What makes a service stateful: its image family and where it keeps data.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stateful {
    /// e.g. `postgres`, `mysql`, `redis`.
    pub family: String,
    /// Container paths holding the data (e.g. `/var/lib/postgresql/data`).
    pub data_dirs: Vec<String>,
    /// The dump tool that backs it up (`pg_dump`, `mysqldump`, `mongodump`, …).
    pub dump_tool: String,
    /// Container ports the database listens on.
    pub ports: Vec<u16>,
    /// Variables whose presence means authentication is configured.
    pub password_env: Vec<String>,
    /// Why the service counts as stateful when that depends on its command line (Redis `--appendonly yes`).
    pub persistence: Option<String>,
}

/// A volume, bind mount or tmpfs on a service.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Mount {
    pub kind: MountKind,
    /// Volume key (named), host path (bind), empty (anonymous, tmpfs).
    pub source: String,
    pub target: String,
    pub read_only: bool,
    /// The whole entry.
    pub span: Span,
    /// The source as written (may hold `${VAR}`), for named volumes and binds.
    pub source_raw: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MountKind {
    #[default]
    Named,
    Anonymous,
    Bind,
    Tmpfs,
}

/// One `environment:` entry (map or list form).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct EnvEntry {
    pub key: Spanned,
    /// The value as written (not interpolated); `None` for `- KEY` / `KEY:` (taken from the shell).
    pub value: Option<Spanned>,
    /// Offsets in `value` → host offsets.
    #[serde(skip)]
    pub map: OffsetMap,
}

/// One published port.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Port {
    /// The host IP, interpolated with defaults; `None` means all interfaces.
    pub host_ip: Option<String>,
    /// The host IP could not be known (`${BIND_IP}` without a default).
    pub host_ip_unknown: bool,
    /// The host IP as written, when it could not be known (for `.env` interpolation).
    pub host_ip_raw: Option<String>,
    pub published: Option<String>,
    pub target: String,
    pub span: Span,
}

impl Port {
    /// Reachable from other machines: no host IP, `0.0.0.0` or `::` (an unknown IP is given the
    /// benefit of the doubt).
    pub fn is_public(&self) -> bool {
        self.is_public_with(&BTreeMap::new())
    }

    /// Like [`Port::is_public`], with a host IP written as `${VAR}` resolved from `vars` (the
    /// `.env` next to the Compose file).
    pub fn is_public_with(&self, vars: &BTreeMap<String, String>) -> bool {
        let resolved;
        let ip = if self.host_ip_unknown {
            let Some(ip) = self
                .host_ip_raw
                .as_deref()
                .and_then(|raw| interpolate(raw, vars))
            else {
                return false;
            };
            resolved = ip;
            Some(resolved.as_str()).filter(|ip| !ip.is_empty())
        } else {
            self.host_ip.as_deref()
        };
        match ip {
            None => true,
            Some(ip) => {
                let ip = ip.trim_start_matches('[').trim_end_matches(']');
                matches!(ip, "" | "0.0.0.0" | "::" | "*")
            }
        }
    }

    /// The target port number (the first of a range).
    pub fn target_number(&self) -> Option<u16> {
        self.target
            .split(['-', '/'])
            .next()
            .and_then(|p| p.trim().parse().ok())
    }
}

// ---------------------------------------------------------------------------------------------
// Interpolation

/// One piece of an interpolated string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Interp {
    /// Literal text (with `$$` already turned into `$`); `start..end` in the raw string.
    Lit {
        text: String,
        start: usize,
        end: usize,
    },
    /// A variable reference; `start..end` in the raw string.
    Var {
        name: String,
        /// `None`, `:-`, `-`, `:?`, `?`, `:+`, `+`.
        op: Option<String>,
        /// The default, error message or alternative, as written.
        arg: String,
        start: usize,
        end: usize,
    },
}

/// Split a Compose value into literal text and variable references.
pub fn interpolation(raw: &str) -> Vec<Interp> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut lit_start = 0;
    let bytes = raw.as_bytes();
    let mut i = 0;
    let flush = |out: &mut Vec<Interp>, lit: &mut String, start: usize, end: usize| {
        if !lit.is_empty() {
            out.push(Interp::Lit {
                text: std::mem::take(lit),
                start,
                end,
            });
        }
    };
    while i < bytes.len() {
        if bytes[i] != b'$' {
            let ch = raw[i..].chars().next().unwrap_or('\u{fffd}');
            if lit.is_empty() {
                lit_start = i;
            }
            lit.push(ch);
            i += ch.len_utf8().max(1);
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'$') => {
                if lit.is_empty() {
                    lit_start = i;
                }
                lit.push('$');
                i += 2;
            }
            Some(b'{') => {
                // Find the matching `}` (defaults may nest `${A:-${B}}`).
                let mut depth = 0;
                let mut j = i + 1;
                let mut close = None;
                while j < bytes.len() {
                    match bytes[j] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                close = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let Some(close) = close else {
                    if lit.is_empty() {
                        lit_start = i;
                    }
                    lit.push_str(&raw[i..]);
                    i = bytes.len();
                    continue;
                };
                flush(&mut out, &mut lit, lit_start, i);
                let inner = &raw[i + 2..close];
                let name_len = inner
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(inner.len());
                let name = inner[..name_len].to_string();
                let rest = &inner[name_len..];
                let (op, arg) = [":-", ":?", ":+", "-", "?", "+"]
                    .iter()
                    .find(|op| rest.starts_with(**op))
                    .map_or((None, rest.to_string()), |op| {
                        (Some((*op).to_string()), rest[op.len()..].to_string())
                    });
                out.push(Interp::Var {
                    name,
                    op,
                    arg,
                    start: i,
                    end: close + 1,
                });
                i = close + 1;
            }
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                flush(&mut out, &mut lit, lit_start, i);
                let len = raw[i + 1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(raw.len() - i - 1);
                out.push(Interp::Var {
                    name: raw[i + 1..i + 1 + len].to_string(),
                    op: None,
                    arg: String::new(),
                    start: i,
                    end: i + 1 + len,
                });
                i += 1 + len;
            }
            _ => {
                if lit.is_empty() {
                    lit_start = i;
                }
                lit.push('$');
                i += 1;
            }
        }
    }
    flush(&mut out, &mut lit, lit_start, raw.len());
    out
}

/// Interpolate with known variables and defaults. `None` when a variable without a default is not
/// in `vars` (the value cannot be known).
pub fn interpolate(raw: &str, vars: &BTreeMap<String, String>) -> Option<String> {
    let mut out = String::new();
    for piece in interpolation(raw) {
        match piece {
            Interp::Lit { text, .. } => out.push_str(&text),
            Interp::Var { name, op, arg, .. } => {
                let value = vars.get(&name);
                match (op.as_deref(), value) {
                    (Some(":-"), Some(v)) if v.is_empty() => {
                        out.push_str(&interpolate(&arg, vars)?)
                    }
                    (Some(":+"), Some(v)) if !v.is_empty() => {
                        out.push_str(&interpolate(&arg, vars)?)
                    }
                    (Some("+"), Some(_)) => out.push_str(&interpolate(&arg, vars)?),
                    (Some(":+" | "+"), _) => {}
                    (_, Some(v)) => out.push_str(v),
                    (Some(":-" | "-"), None) => out.push_str(&interpolate(&arg, vars)?),
                    (_, None) => return None,
                }
            }
        }
    }
    Some(out)
}

fn with_defaults(raw: &str) -> Option<String> {
    interpolate(raw, &BTreeMap::new())
}

// ---------------------------------------------------------------------------------------------
// Extraction

/// Build the compose model of a YAML file, when it is a Compose file (by name, or by content for
/// other YAML), hand `sh -c` command lines to the shell layer, and report YAML problems.
pub fn extract_file(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let parsed = yaml::parse(&text);
    let by_name = facts.kind == FileKind::Compose;
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
        return;
    }
    for p in &parsed.problems {
        let line = facts.file.position(p.offset).line;
        facts.notices.push(
            Notice::file(&facts.file.path, NoticeKind::ParseError, p.message.clone()).at_line(line),
        );
    }
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
    // Credentials: password variables of every service, URLs in any value.
    for service in &model.services {
        let origin = super::secrets::Origin::ComposeEnv {
            service: service.name.value.clone(),
        };
        super::secrets::from_env_entries(facts, &service.environment, &origin);
        for (key, argv) in [
            ("entrypoint", &service.entrypoint_argv),
            ("command", &service.command_argv),
        ] {
            super::secrets::from_compose_argv(facts, argv, &service.name.value, key);
        }
    }
    // `healthcheck: test: ["CMD", "redis-cli", "-a", "…"]` (or `CMD-SHELL` / a string): its words.
    for (name, service) in service_nodes(&parsed) {
        let Some(test) = service.get("healthcheck").and_then(|h| h.get("test")) else {
            continue;
        };
        let argv = match test.as_sequence() {
            Some([kind, script]) if kind.as_str() == Some("CMD-SHELL") => argv_of(script),
            _ => argv_of(test),
        };
        super::secrets::from_compose_argv(facts, &argv, name, "healthcheck");
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
            super::secrets::from_compose_scalar(
                facts,
                &scalar.value,
                &scalar.map,
                service.as_deref(),
            );
        }
    }
    facts.compose = Some(model);
}

/// The Compose model of YAML text, documents merged, stateful services decided (for a file
/// that is Compose only because a command names it with `-f`).
pub fn model_of_text(text: &str) -> ComposeFile {
    model_of_parsed(&yaml::parse(text))
}

/// The Compose model of parsed YAML: documents merged, stateful services decided.
fn model_of_parsed(parsed: &yaml::Yaml) -> ComposeFile {
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
fn is_compose_document(root: &Node) -> bool {
    root.get("services")
        .and_then(Node::as_mapping)
        .is_some_and(|services| {
            services
                .iter()
                .any(|s| s.value.get("image").is_some() || s.value.get("build").is_some())
        })
}

fn spanned_scalar(node: &Node) -> Option<Spanned> {
    let s = node.as_scalar()?;
    if node.is_null() {
        return None;
    }
    Some(Spanned {
        value: s.value.clone(),
        span: node.span,
    })
}

fn key_spanned(pair: &yaml::Pair) -> Option<Spanned> {
    Some(Spanned {
        value: pair.key_str()?.to_string(),
        span: pair.key.span,
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
                service.image_ref = service
                    .image
                    .as_ref()
                    .and_then(|i| with_defaults(&i.value))
                    .and_then(|i| ImageRef::parse(&i));
            }
            "build" => service.build = !value.is_null(),
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

/// The words of `command:`/`entrypoint:`: a list as is, a string split the way Compose splits it
/// (shell-like quoting, no expansion).
fn argv_of(node: &Node) -> Vec<Spanned> {
    if let Some(items) = node.as_sequence() {
        return items.iter().filter_map(spanned_scalar).collect();
    }
    let Some(s) = node.as_scalar() else {
        return Vec::new();
    };
    split_words(&s.value)
        .into_iter()
        .map(|(word, start, end)| Spanned {
            value: word,
            span: s.host_span(start, end),
        })
        .collect()
}

/// Split a command line into words with shell-like quoting: `(word, start, end)` in `text`.
fn split_words(text: &str) -> Vec<(String, usize, usize)> {
    split_words_mapped(text)
        .into_iter()
        .map(|(word, _, start, end)| (word, start, end))
        .collect()
}

/// Like [`split_words`], with each word's map from its decoded offsets into `text`.
fn split_words_mapped(text: &str) -> Vec<(String, OffsetMap, usize, usize)> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut map = OffsetMap::default();
    let mut start = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    out.push((std::mem::take(&mut word), std::mem::take(&mut map), s, i));
                }
            }
            (None, '\'' | '"') => {
                start.get_or_insert(i);
                quote = Some(c);
            }
            (Some(q), c) if c == q => quote = None,
            (None | Some('"'), '\\') => {
                start.get_or_insert(i);
                if let Some((j, next)) = chars.next() {
                    map.push(word.len(), j, next.len_utf8());
                    word.push(next);
                }
            }
            _ => {
                start.get_or_insert(i);
                map.push(word.len(), i, c.len_utf8());
                word.push(c);
            }
        }
    }
    if let Some(s) = start {
        out.push((word, map, s, text.len()));
    }
    out
}

/// The shell script of `sh -c "…"` (list or string form), with its map to host offsets; `$$` is
/// Compose's escape for `$` and is undone.
fn shell_script(node: &Node) -> Option<(String, OffsetMap)> {
    const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];
    let is_shell = |w: &str| SHELLS.contains(&w.rsplit('/').next().unwrap_or(w));
    if let Some(items) = node.as_sequence() {
        let words: Vec<&str> = items.iter().map(|i| i.as_str().unwrap_or("")).collect();
        let shell_at = words.iter().position(|w| is_shell(w))?;
        let c_at = words[shell_at + 1..]
            .iter()
            .position(|w| w.starts_with('-') && w.contains('c'))?
            + shell_at
            + 1;
        let script = items.get(c_at + 1)?.as_scalar()?;
        return Some(unescape_dollars(&script.value, &script.map));
    }
    let s = node.as_scalar()?;
    let words = split_words_mapped(&s.value);
    let shell_at = words.iter().position(|(w, ..)| is_shell(w))?;
    let c_at = words[shell_at + 1..]
        .iter()
        .position(|(w, ..)| w.starts_with('-') && w.contains('c'))?
        + shell_at
        + 1;
    let (script, map, _, _) = words.get(c_at + 1)?;
    let map = s.map.then(map);
    Some(unescape_dollars(script, &map))
}

fn unescape_dollars(text: &str, map: &OffsetMap) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len());
    let mut runs = OffsetMap::default();
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    while i <= bytes.len() {
        let at_escape = i < bytes.len() && bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'$');
        if at_escape || i == bytes.len() {
            // Keep the first `$` of `$$`, drop the second.
            let end = if at_escape { i + 1 } else { i };
            if let Some(run) = text.get(run_start..end) {
                runs.push(out.len(), run_start, run.len());
                out.push_str(run);
            }
            run_start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    (out, map.then(&runs))
}

fn mount_of(item: &Node) -> Option<Mount> {
    if let Some(s) = item.as_str() {
        return short_mount(s, item.span);
    }
    let ty = item.get_str("type").unwrap_or("volume");
    let target = item.get_str("target")?.to_string();
    let source_raw = item.get_str("source").unwrap_or("").to_string();
    let source = with_defaults(&source_raw).unwrap_or_else(|| source_raw.clone());
    let read_only = item.get("read_only").and_then(Node::as_bool) == Some(true);
    let kind = match ty {
        "bind" => MountKind::Bind,
        "tmpfs" => MountKind::Tmpfs,
        "volume" if source.is_empty() => MountKind::Anonymous,
        _ => MountKind::Named,
    };
    Some(Mount {
        kind,
        source,
        target,
        read_only,
        span: first_pair_span(item),
        source_raw,
    })
}

/// The first `key: value` line of a long-syntax entry (a whole mapping would span many lines).
fn first_pair_span(item: &Node) -> Span {
    item.as_mapping()
        .and_then(|pairs| pairs.iter().find(|p| !p.merged))
        .map_or(item.span, |p| p.key.span.cover(p.value.span))
}

/// Split a short-syntax entry at its `:` separators, keeping `${VAR:-default}` whole and a
/// Windows drive letter (`C:\data`, `C:/data`) with its path.
fn split_colons(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                let piece = &s[start..i];
                // `C:\\data:/target`, `C:/data:/target`; but `m:/data` is volume `m`.
                let drive = parts.is_empty()
                    && piece.len() == 1
                    && piece.as_bytes()[0].is_ascii_alphabetic()
                    && match bytes.get(i + 1) {
                        Some(b'\\') => true,
                        Some(b'/') => s[i + 1..].contains(":/"),
                        _ => false,
                    };
                if !drive {
                    parts.push(piece);
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// `[SOURCE:]TARGET[:MODE]`.
fn short_mount(s: &str, span: Span) -> Option<Mount> {
    let parts: Vec<&str> = split_colons(s);
    let (source_raw, target, mode) = match parts.as_slice() {
        [target] => ("", *target, ""),
        [a, b] if b.starts_with('/') => (*a, *b, ""),
        [target, mode] => ("", *target, *mode),
        [a, b, mode, ..] => (*a, *b, *mode),
        [] => return None,
    };
    if target.is_empty() {
        return None;
    }
    let source = with_defaults(source_raw).unwrap_or_else(|| source_raw.to_string());
    let unknown = with_defaults(source_raw).is_none();
    let kind = if source_raw.is_empty() {
        MountKind::Anonymous
    } else if unknown
        || source.starts_with(['/', '.', '~'])
        || source.contains('/')
        || source.contains('\\')
    {
        MountKind::Bind
    } else {
        MountKind::Named
    };
    Some(Mount {
        kind,
        source,
        target: target.to_string(),
        read_only: mode.split(',').any(|m| m == "ro"),
        span,
        source_raw: source_raw.to_string(),
    })
}

fn port_of(item: &Node) -> Option<Port> {
    if let Some(s) = item.as_str() {
        return short_port(s, item.span);
    }
    let target = item.get_str("target")?.to_string();
    let published = item.get_str("published").map(str::to_string);
    let raw_ip = item.get_str("host_ip");
    let host_ip = raw_ip.and_then(with_defaults);
    let unknown = raw_ip.is_some() && host_ip.is_none();
    Some(Port {
        host_ip_unknown: unknown,
        host_ip_raw: raw_ip.filter(|_| unknown).map(str::to_string),
        host_ip: host_ip.filter(|ip| !ip.is_empty()),
        published,
        target,
        span: first_pair_span(item),
    })
}

/// `[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]`, IPv6 host IPs in brackets.
fn short_port(raw: &str, span: Span) -> Option<Port> {
    let resolved = with_defaults(raw);
    let unknown = resolved.is_none();
    let s = resolved.unwrap_or_else(|| raw.to_string());
    let s = s.split('/').next().unwrap_or(&s).trim();
    let (ip, rest) = if let Some(r) = s.strip_prefix('[') {
        let (ip, rest) = r.split_once(']')?;
        (Some(ip.to_string()), rest.trim_start_matches(':'))
    } else {
        (None, s)
    };
    let parts: Vec<&str> = rest.rsplitn(3, ':').collect();
    let (ip, published, target) = match parts.as_slice() {
        [target] => (ip, None, *target),
        [target, published] => (ip, Some(*published), *target),
        [target, published, host] => (Some(host.to_string()), Some(*published), *target),
        _ => return None,
    };
    // Which part is unknown matters: only an unknown host IP hides where the port is published.
    let pieces: Vec<&str> = raw.rsplitn(3, ':').collect();
    let ip_unknown = unknown && pieces.len() == 3 && with_defaults(pieces[2]).is_none();
    Some(Port {
        host_ip: ip.filter(|i| !i.is_empty()),
        host_ip_unknown: ip_unknown,
        host_ip_raw: ip_unknown.then(|| pieces[2].to_string()),
        published: published.map(str::to_string),
        target: target.to_string(),
        span,
    })
}

/// Later documents (and override files) merge onto earlier ones the way Compose merges files.
pub fn merge_into(base: &mut ComposeFile, over: ComposeFile) {
    if over.name.is_some() {
        base.name = over.name;
    }
    for v in over.volumes {
        match base.volumes.iter_mut().find(|b| b.key.value == v.key.value) {
            Some(b) => *b = v,
            None => base.volumes.push(v),
        }
    }
    for s in over.secrets {
        if !base.secrets.iter().any(|b| b.value == s.value) {
            base.secrets.push(s);
        }
    }
    for s in over.services {
        match base
            .services
            .iter_mut()
            .find(|b| b.name.value == s.name.value)
        {
            Some(b) => merge_service(b, s),
            None => base.services.push(s),
        }
    }
}

fn merge_service(base: &mut Service, over: Service) {
    if over.image.is_some() {
        base.image = over.image;
        base.image_ref = over.image_ref;
    }
    base.build |= over.build;
    if over.command.is_some() {
        base.command = over.command;
        base.command_argv = over.command_argv;
    }
    if !over.entrypoint_argv.is_empty() {
        base.entrypoint_argv = over.entrypoint_argv;
    }
    // Environment merges by key; mounts by target; ports add up (as Compose does).
    for e in over.environment {
        match base
            .environment
            .iter_mut()
            .find(|b| b.key.value == e.key.value)
        {
            Some(b) => *b = e,
            None => base.environment.push(e),
        }
    }
    for m in over.mounts {
        match base.mounts.iter_mut().find(|b| b.target == m.target) {
            Some(b) => *b = m,
            None => base.mounts.push(m),
        }
    }
    for p in over.ports {
        if !base.ports.contains(&p) {
            base.ports.push(p);
        }
    }
    base.env_files.extend(over.env_files);
    base.secrets.extend(over.secrets);
    if !over.profiles.is_empty() {
        base.profiles = over.profiles;
    }
    base.host_network |= over.host_network;
    base.extensions.extend(over.extensions);
    if over.stateful.is_some() {
        base.stateful = over.stateful;
    }
}

/// Decide again which services are stateful, with another table (the shipped one extended by
/// the user's config).
pub fn apply_table(facts: &mut FileFacts, table: &StatefulTable) {
    let Some(model) = facts.compose.as_mut() else {
        return;
    };
    for service in &mut model.services {
        service.stateful = stateful_of(service, table);
    }
}

/// Whether a service is stateful, by its image and (for Redis-like images) its command line.
pub fn stateful_of(service: &Service, table: &StatefulTable) -> Option<Stateful> {
    let image = service.image_ref.as_ref()?;
    let entry = table.lookup(&image.path())?;
    let argv: Vec<&str> = service.argv();
    let persistence = match entry.persistence {
        Persistence::Always => None,
        Persistence::Flags => Some(persistence_reason(service, entry, &argv)?),
    };
    let mut data_dirs = entry.data_dirs_for(image.major());
    // `PGDATA=/srv/pg` moves the data: the image's default directory no longer holds it.
    if let Some(var) = &entry.data_dir_env
        && let Some(dirs) = service
            .env(var)
            .and_then(|e| e.value.as_ref())
            .and_then(|v| with_defaults(&v.value))
            .map(|v| {
                v.split(',')
                    .map(|d| d.trim().to_string())
                    .filter(|d| d.starts_with('/'))
                    .collect::<Vec<_>>()
            })
            .filter(|dirs| !dirs.is_empty())
    {
        data_dirs = dirs;
    }
    // `minio server /data`, `etcd --data-dir /etcd-data` (or `--data-dir=/etcd-data`).
    if let Some(word) = &entry.data_dir_arg {
        let mut from_args = Vec::new();
        for (at, w) in argv.iter().enumerate() {
            if let Some(dir) = w
                .strip_prefix(word.as_str())
                .and_then(|rest| rest.strip_prefix('='))
            {
                from_args.push(dir.to_string());
            } else if w == word {
                from_args.extend(
                    argv[at + 1..]
                        .iter()
                        .take_while(|w| !w.starts_with('-'))
                        .filter(|w| w.starts_with('/'))
                        .map(|w| (*w).to_string()),
                );
            }
        }
        from_args.retain(|d| d.starts_with('/'));
        if !from_args.is_empty() {
            data_dirs = from_args;
        }
    }
    Some(Stateful {
        family: entry.family.clone(),
        data_dirs,
        dump_tool: entry.dump_tool.clone(),
        ports: entry.ports.clone(),
        password_env: entry.password_env.clone(),
        persistence,
    })
}

/// Why a Redis-like service persists its data, or `None` when it does not.
fn persistence_reason(service: &Service, entry: &ImageEntry, argv: &[&str]) -> Option<String> {
    let mut lines: Vec<String> = vec![argv.join(" ")];
    // `sh -c "redis-server --appendonly yes"`: the flags are inside the script.
    lines.extend(argv.iter().map(|w| (*w).to_string()));
    for var in &entry.persistence_env {
        if let Some(v) = service.env(var).and_then(|e| e.value.as_ref()) {
            lines.push(v.value.clone());
        }
    }
    for line in &lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        for flag in &entry.persistence_flags {
            let flag_words: Vec<&str> = flag.split_whitespace().collect();
            for (i, window) in words.windows(flag_words.len()).enumerate() {
                if window != flag_words.as_slice() {
                    continue;
                }
                if flag_words == ["--save"] {
                    // `--save ""` turns snapshots off; `--save 60 1` turns them on.
                    let arg = words.get(i + 1).copied().unwrap_or("");
                    let arg = arg.trim_matches(['"', '\'']);
                    if arg.is_empty() || arg.starts_with("--") {
                        continue;
                    }
                    return Some(format!("`--save {arg}`"));
                }
                return Some(format!("`{flag}`"));
            }
        }
    }
    None
}

/// Scalars of a YAML tree that are values (not keys), for scans of every compose value.
pub fn value_scalars(node: &Node, out: &mut Vec<yaml::Scalar>) {
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

/// Commands in Ofelia scheduler labels (`ofelia.job-exec|job-run|job-local.<name>.command`), in
/// map or `KEY=value` list form.
fn scheduler_commands(parsed: &yaml::Yaml) -> Vec<Spanned> {
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
fn service_nodes(parsed: &yaml::Yaml) -> impl Iterator<Item = (&str, &Node)> {
    parsed
        .documents
        .iter()
        .filter_map(|doc| doc.root.as_ref())
        .filter_map(|root| root.get("services").and_then(Node::as_mapping))
        .flatten()
        .filter_map(|pair| Some((pair.key_str()?, &pair.value)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levels::Context;
    use crate::source::SourceFile;

    fn model(text: &str) -> (FileFacts, ComposeFile) {
        let facts = FileFacts::extract(
            SourceFile::new("docker-compose.yml", text),
            FileKind::Compose,
            Context::Production,
        );
        let model = facts.compose.clone().expect("compose model");
        (facts, model)
    }

    #[test]
    fn image_references() {
        let r = ImageRef::parse("docker.io/library/postgres:17").expect("ref");
        assert_eq!(r.registry.as_deref(), Some("docker.io"));
        assert_eq!(r.namespace.as_deref(), Some("library"));
        assert_eq!(r.name, "postgres");
        assert_eq!(r.path(), "postgres");
        assert_eq!(r.major(), Some(17));
        let r = ImageRef::parse("bitnami/postgresql:16").expect("ref");
        assert_eq!(r.path(), "bitnami/postgresql");
        let r = ImageRef::parse("postgis/postgis:16-3.4").expect("ref");
        assert_eq!(
            (r.path().as_str(), r.major()),
            ("postgis/postgis", Some(16))
        );
        for (image, major) in [
            ("pgvector/pgvector:0.8.0-pg18", Some(18)),
            ("pgvector/pgvector:pg16", Some(16)),
            ("timescale/timescaledb:2.17.2-pg17", Some(17)),
            ("timescale/timescaledb:latest-pg18", Some(18)),
            ("postgres:18.1-bookworm", Some(18)),
            ("postgres:latest", None),
            ("postgres", None),
        ] {
            let r = ImageRef::parse(image).expect("ref");
            assert_eq!(r.major(), major, "{image}");
        }
        let r = ImageRef::parse("localhost:5000/team/db@sha256:abc").expect("ref");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.tag, None);
        assert_eq!(r.path(), "localhost:5000/team/db");
    }

    #[test]
    fn interpolation_forms() {
        let vars: BTreeMap<String, String> = [("A".to_string(), "x".to_string())].into();
        assert_eq!(interpolate("${A}-$A", &vars).as_deref(), Some("x-x"));
        assert_eq!(interpolate("${B:-d}", &vars).as_deref(), Some("d"));
        assert_eq!(interpolate("${B-d}", &vars).as_deref(), Some("d"));
        assert_eq!(interpolate("${B:?need B}", &vars), None);
        assert_eq!(interpolate("$$HOME", &vars).as_deref(), Some("$HOME"));
        assert_eq!(interpolate("${B:-${A}}", &vars).as_deref(), Some("x"));
        let pieces = interpolation("pre${V:?msg}");
        assert!(
            matches!(&pieces[1], Interp::Var { name, op: Some(op), .. } if name == "V" && op == ":?")
        );
    }

    #[test]
    fn services_volumes_ports_environment() {
        let text = r#"
name: Shop
x-db-env: &dbenv
  POSTGRES_USER: shop
services:
  db:
    image: postgres:16
    environment:
      <<: *dbenv
      POSTGRES_PASSWORD: "s3cret"
    volumes:
      - pgdata:/var/lib/postgresql/data
      - ./init:/docker-entrypoint-initdb.d:ro
      - /var/run/x
      - type: tmpfs
        target: /tmp
    tmpfs: /run
    ports:
      - "127.0.0.1:5432:5432"
      - 6543:5432
      - target: 5432
        published: 7000
        host_ip: 0.0.0.0
    secrets: [db_pw]
    profiles: [prod]
  cache:
    image: redis:7
    command: redis-server --appendonly yes
  worker:
    build: .
    environment:
      - DATABASE_URL=postgres://u:p@db/shop
      - EMPTY
volumes:
  pgdata:
    name: shop_pg
  other:
    external: true
"#;
        let (_, m) = model(text);
        assert_eq!(m.name.as_ref().map(|n| n.value.as_str()), Some("Shop"));
        let db = m.service("db").expect("db");
        assert_eq!(
            db.env("POSTGRES_USER")
                .and_then(|e| e.value.as_ref())
                .map(|v| v.value.as_str()),
            Some("shop")
        );
        let pw = db
            .env("POSTGRES_PASSWORD")
            .and_then(|e| e.value.as_ref())
            .expect("pw");
        assert_eq!(&text[pw.span.start()..pw.span.end()], "s3cret");
        let kinds: Vec<MountKind> = db.mounts.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                MountKind::Named,
                MountKind::Bind,
                MountKind::Anonymous,
                MountKind::Tmpfs,
                MountKind::Tmpfs
            ]
        );
        assert!(db.mounts[1].read_only);
        assert!(!db.ports[0].is_public());
        assert!(db.ports[1].is_public());
        assert!(db.ports[2].is_public());
        assert_eq!(db.secrets[0].value, "db_pw");
        assert_eq!(db.profiles, ["prod"]);
        let st = db.stateful.as_ref().expect("stateful");
        assert_eq!(st.family, "postgres");
        assert!(db.data_mount().is_some());
        let cache = m.service("cache").expect("cache");
        assert!(
            cache
                .stateful
                .as_ref()
                .is_some_and(|s| s.persistence.is_some())
        );
        let worker = m.service("worker").expect("worker");
        let url = worker
            .env("DATABASE_URL")
            .and_then(|e| e.value.as_ref())
            .expect("url");
        assert_eq!(
            &text[url.span.start()..url.span.end()],
            "postgres://u:p@db/shop"
        );
        assert!(worker.env("EMPTY").is_some_and(|e| e.value.is_none()));
        assert_eq!(
            m.volume("pgdata")
                .and_then(|v| v.name.as_ref())
                .map(|n| n.value.as_str()),
            Some("shop_pg")
        );
        assert!(m.volume("other").is_some_and(|v| v.external));
    }

    #[test]
    fn redis_without_persistence_is_a_cache() {
        let (_, m) = model(
            "services:\n  cache:\n    image: redis:7-alpine\n    command: [\"redis-server\", \"--save\", \"\"]\n",
        );
        assert!(m.services[0].stateful.is_none());
        let (_, m) = model(
            "services:\n  cache:\n    image: valkey/valkey\n    command: valkey-server --save 60 1\n",
        );
        assert!(m.services[0].stateful.is_some());
    }

    #[test]
    fn minio_data_dir_comes_from_its_command() {
        let (_, m) = model(
            "services:\n  s3:\n    image: minio/minio\n    command: server /export --console-address :9001\n",
        );
        let st = m.services[0].stateful.as_ref().expect("stateful");
        assert!(st.data_dirs.contains(&"/export".to_string()));
    }

    #[test]
    fn pgdata_moves_the_data_dir() {
        let (_, m) = model(
            "services:\n  db:\n    image: postgres:15\n    environment:\n      PGDATA: /var/lib/postgresql/data/pgdata\n    volumes:\n      - db:/var/lib/postgresql/data\n",
        );
        assert!(m.services[0].data_mount().is_some());
    }

    #[test]
    fn sh_c_commands_reach_the_shell_layer() {
        let text = "services:\n  tool:\n    image: postgres:16\n    command: sh -c \"pg_dump -d $$DB > /backup/x.sql && echo ok\"\n  other:\n    image: alpine\n    entrypoint: [\"/bin/bash\", \"-c\", \"rm -rf /data/*\"]\n";
        let (facts, _) = model(text);
        let progs: Vec<String> = facts
            .shell
            .commands
            .iter()
            .filter_map(|c| c.program())
            .collect();
        assert!(progs.contains(&"pg_dump".to_string()), "{progs:?}");
        assert!(progs.contains(&"rm".to_string()), "{progs:?}");
        let rm = facts
            .shell
            .commands
            .iter()
            .find(|c| c.program().as_deref() == Some("rm"))
            .expect("rm");
        assert_eq!(&text[rm.span.start()..rm.span.end()], "rm -rf /data/*");
        let dump = facts
            .shell
            .commands
            .iter()
            .find(|c| c.program().as_deref() == Some("pg_dump"))
            .expect("dump");
        assert!(text[dump.span.start()..dump.span.end()].starts_with("pg_dump -d"));
    }

    #[test]
    fn yaml_by_content_and_broken_yaml() {
        let facts = FileFacts::extract(
            SourceFile::new("deploy/stack.yml", "services:\n  db:\n    image: mysql:8\n"),
            FileKind::Yaml,
            Context::Production,
        );
        assert!(facts.compose.is_some());
        let facts = FileFacts::extract(
            SourceFile::new("k8s/values.yml", "replicas: 3\nservices: {}\n"),
            FileKind::Yaml,
            Context::Production,
        );
        assert!(facts.compose.is_none());
        let (facts, _) = model("services:\n  db:\n    image: postgres\n     bad: [\n");
        assert!(!facts.notices.is_empty());
    }

    #[test]
    fn multiple_documents_merge() {
        let (_, m) = model(
            "services:\n  db:\n    image: postgres:16\n---\nservices:\n  db:\n    volumes:\n      - pg:/var/lib/postgresql/data\n",
        );
        assert_eq!(m.services.len(), 1);
        assert!(m.services[0].data_mount().is_some());
    }

    #[test]
    fn port_forms() {
        let public = |raw: &str| short_port(raw, Span::default()).map(|p| p.is_public());
        assert_eq!(public("5432"), Some(true));
        assert_eq!(public("5432:5432/tcp"), Some(true));
        assert_eq!(public("5432-5433:5432-5433"), Some(true));
        assert_eq!(public("${DB_PORT:-5432}:5432"), Some(true));
        assert_eq!(public("127.0.0.1:5432:5432"), Some(false));
        assert_eq!(public("[::1]:5432:5432"), Some(false));
        assert_eq!(public("[::]:5432:5432"), Some(true));
        assert_eq!(public("0.0.0.0:5432:5432"), Some(true));
        assert_eq!(public("${BIND:-127.0.0.1}:5432:5432"), Some(false));
        assert_eq!(public("${BIND}:5432:5432"), Some(false));
        let vars: BTreeMap<String, String> = [("BIND".to_string(), "0.0.0.0".to_string())].into();
        let with_env =
            |raw: &str| short_port(raw, Span::default()).map(|p| p.is_public_with(&vars));
        assert_eq!(with_env("${BIND}:5432:5432"), Some(true));
        assert_eq!(with_env("${LOCAL}:5432:5432"), Some(false));
        let p = short_port("127.0.0.1:6543:5432", Span::default()).expect("port");
        assert_eq!(
            (p.published.as_deref(), p.target_number()),
            (Some("6543"), Some(5432))
        );
    }

    #[test]
    fn mount_forms() {
        let kind = |raw: &str| short_mount(raw, Span::default()).map(|m| (m.kind, m.read_only));
        assert_eq!(
            kind("pgdata:/var/lib/postgresql/data"),
            Some((MountKind::Named, false))
        );
        assert_eq!(kind("./data:/data:ro"), Some((MountKind::Bind, true)));
        assert_eq!(
            kind("/srv/pg:/var/lib/postgresql/data:rw,z"),
            Some((MountKind::Bind, false))
        );
        assert_eq!(kind("~/pg:/data"), Some((MountKind::Bind, false)));
        assert_eq!(kind("/data"), Some((MountKind::Anonymous, false)));
        assert_eq!(
            kind("${PGDATA_VOLUME:-pgdata}:/var/lib/postgresql/data"),
            Some((MountKind::Named, false))
        );
        assert_eq!(kind("${DATA_DIR}:/data"), Some((MountKind::Bind, false)));
        let target = |raw: &str| short_mount(raw, Span::default()).map(|m| (m.kind, m.target));
        assert_eq!(
            target("${PG_VOLUME:-pgdata}:/var/lib/postgresql/data:rw"),
            Some((MountKind::Named, "/var/lib/postgresql/data".to_string()))
        );
        assert_eq!(
            target("${DATA_DIR:-./data}/postgres:/var/lib/postgresql/data"),
            Some((MountKind::Bind, "/var/lib/postgresql/data".to_string()))
        );
        assert_eq!(
            target(r"C:\pgdata:/var/lib/postgresql/data"),
            Some((MountKind::Bind, "/var/lib/postgresql/data".to_string()))
        );
        assert_eq!(
            target("m:/data/db"),
            Some((MountKind::Named, "/data/db".to_string()))
        );
        assert_eq!(
            target("c:/pg:/var/lib/postgresql/data:ro"),
            Some((MountKind::Bind, "/var/lib/postgresql/data".to_string()))
        );
    }
}
