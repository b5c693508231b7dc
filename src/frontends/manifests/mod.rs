//! Manifests: files that name commands a platform or a package manager runs, each read with a
//! real parser (JSON and YAML through the spanned YAML model, TOML through `toml`'s spanned
//! document): `package.json` scripts ([`package_json`]), Procfiles ([`procfile`]) and platform
//! deploy files ([`platforms`]: `app.json`, `heroku.yml`, `render.yaml`, `fly.toml`,
//! `railway.json`/`.toml`, `nixpacks.toml`).
//!
//! Every command becomes shell with an exact offset map, and the moment it runs (every start,
//! every deploy or build) is recorded on its span.

pub mod package_json;
pub mod platforms;
pub mod procfile;

use crate::classify::FileKind;
use crate::frontends::{ExtractOptions, Frontend};
use crate::model::FileFacts;
use crate::model::command::{RunSpan, RunsWhen, ShellOrigin};
use crate::notice::{Notice, NoticeKind};
use crate::source::{OffsetMap, Span};
use crate::syntax::yaml::Yaml;

/// The manifests front-end.
pub struct Manifests;

impl Frontend for Manifests {
    fn name(&self) -> &'static str {
        "manifests"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[
            FileKind::PackageJson,
            FileKind::Procfile,
            FileKind::Platform,
        ]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        match facts.kind {
            FileKind::PackageJson => package_json::extract(facts),
            FileKind::Procfile => procfile::extract(facts),
            _ => platforms::extract(facts),
        }
        None
    }
}

/// Add one command of a manifest as shell, with when it runs.
pub(crate) fn add_command(
    facts: &mut FileFacts,
    text: &str,
    map: &OffsetMap,
    host: &str,
    name: &str,
    when: RunsWhen,
) {
    if text.trim().is_empty() {
        return;
    }
    let span = map.span_to_host(Span::new(0, text.len()));
    if when != RunsWhen::Unknown {
        facts.shell.runs.push(RunSpan { span, when });
    }
    facts.shell.add_source(
        text,
        map,
        ShellOrigin::Task {
            host: host.to_string(),
            name: name.to_string(),
        },
    );
}

/// A parse problem of a manifest, as a notice on its line (never quoting the content).
pub(crate) fn problem(facts: &mut FileFacts, offset: usize, message: &str) {
    let line = facts.file.position(offset).line;
    facts.notices.push(
        Notice::file(
            &facts.file.path,
            NoticeKind::ParseError,
            message.to_string(),
        )
        .at_line(line),
    );
}
