//! Helm values (`values.yaml`, `values-prod.yaml`, …) of database charts: a chart's own values
//! (the file's folder is a database chart, `postgresql/values.yaml`) or a parent chart's values
//! for a database subchart (`postgresql:`, `mongodb:`, `redis:` at the top). Which charts keep a
//! database is the stateful-images table's answer for `bitnami/<chart>`.
//!
//! Read: persistence turned off (`persistence.enabled`, `primary.persistence.enabled`,
//! `master.persistence.enabled: false`) for charts whose data always persists (not Redis-like
//! charts, which run caches as often as stores), `backup.enabled: false` set by a deployment's values (not a chart's own default), and
//! literal passwords (`auth.password`, `auth.postgresPassword`, `rootPassword`, …). Values holding
//! `{{ }}` or empty strings are not literals.

use crate::frontends::secrets::record_literal;
use crate::knowledge::stateful::{Persistence, StatefulTable};
use crate::model::FileFacts;
use crate::model::infra::HelmSetting;
use crate::model::secret::{Origin, SecretClass};
use crate::syntax::yaml::{self, Node, ScalarType};

/// Paths (under the chart's root) that switch a chart's data volume on or off.
const PERSISTENCE: &[&str] = &[
    "persistence.enabled",
    "primary.persistence.enabled",
    "master.persistence.enabled",
];

/// Password keys are followed this deep under a chart's root.
const MAX_DEPTH: usize = 4;

/// Read a Helm values file.
pub fn extract(facts: &mut FileFacts, table: &StatefulTable) {
    let path = facts.file.path.clone();
    let mut dirs: Vec<&str> = path.split('/').collect();
    let file_name = dirs.pop().unwrap_or("");
    let folder = dirs.last().copied().unwrap_or("");
    let own_chart = chart_family(folder, table).map(|f| (folder.to_string(), f));
    // The values of a chart that keeps no database, with no top-level key naming one: nothing
    // here can be read (most charts' values files are long and documented; no parse for them).
    if own_chart.is_none()
        && !top_level_keys(&facts.file.text).any(|k| chart_family(k, table).is_some())
    {
        return;
    }
    // Another chart's values: only the sections of its database subcharts are read.
    let parsed = match &own_chart {
        Some(_) => yaml::parse(&facts.file.text),
        None => match other_sections(&facts.file.text, &|k| chart_family(k, table).is_some()) {
            Some(skipped) => yaml::parse_skipping(&facts.file.text, skipped),
            None => yaml::parse(&facts.file.text),
        },
    };
    for doc in &parsed.documents {
        let Some(root) = &doc.root else { continue };
        let mut roots: Vec<(String, String, &Node, String, bool)> = Vec::new();
        if let Some((chart, family)) = &own_chart {
            // The chart's own `values.yaml` holds its defaults, not a deployment's choice.
            let defaults = file_name == "values.yaml";
            roots.push((chart.clone(), family.clone(), root, String::new(), defaults));
        }
        for pair in root.as_mapping().unwrap_or_default() {
            let Some(key) = pair.key_str() else { continue };
            if pair.value.as_mapping().is_none() {
                continue;
            }
            if let Some(family) = chart_family(key, table) {
                roots.push((
                    key.to_string(),
                    family,
                    &pair.value,
                    format!("{key}."),
                    false,
                ));
            }
        }
        for (chart, family, node, prefix, defaults) in roots {
            read_chart(facts, table, &chart, &family, node, &prefix, defaults);
        }
    }
}

/// The byte ranges of the top-level sections of a block mapping whose key `wanted` does not
/// accept (each from its `key:` line to the next top-level key), when the text is plainly one
/// such mapping: `None` (parse it whole) for anything else at the first column (a sequence, a
/// flow mapping, a second document, a continuation line) and for anchors or aliases, which may
/// reach across sections.
fn other_sections(text: &str, wanted: &dyn Fn(&str) -> bool) -> Option<Vec<(usize, usize)>> {
    if ["&", "*", "<<"]
        .iter()
        .any(|m| text.contains(&format!(": {m}")) || text.contains(&format!("- {m}")))
    {
        return None;
    }
    let mut skipped: Vec<(usize, usize)> = Vec::new();
    // The section being read: its start, and whether it is skipped.
    let mut open: Option<(usize, bool)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare.is_empty() || bare.starts_with([' ', '\t', '#']) {
            continue;
        }
        let key = bare
            .split_once(':')
            .map(|(k, _)| k.trim().trim_matches(['"', '\'']))
            .filter(|k| !k.is_empty() && !k.starts_with(['-', '{', '[', '?', '%', '.']))?;
        match (open, skipped.last_mut()) {
            // Next to the section skipped before it: one range.
            (Some((start, true)), Some(last)) if last.1 == start => last.1 = at,
            (Some((start, true)), _) => skipped.push((start, at)),
            _ => {}
        }
        open = Some((at, !wanted(key)));
    }
    if let Some((start, true)) = open {
        skipped.push((start, text.len()));
    }
    Some(skipped)
}

/// The keys of the lines that start at the first column (`postgresql:`), quotes removed: a
/// superset of a block mapping's top-level keys. A file that is one flow mapping
/// (`{postgresql: {…}}`) offers every word instead, so that no key is missed.
fn top_level_keys(text: &str) -> impl Iterator<Item = &str> {
    let flow = text.trim_start().starts_with(['{', '[']).then_some(text);
    text.lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, _)| k.trim().trim_matches(['"', '\'']))
        })
        .chain(
            flow.into_iter().flat_map(|t| {
                t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            }),
        )
}

/// The database family of a chart name (`postgresql` → postgres), if it keeps a database.
fn chart_family(name: &str, table: &StatefulTable) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let base = ["-ha", "-cluster", "-sharded", "-galera", "-repmgr"]
        .iter()
        .find_map(|s| lower.strip_suffix(s))
        .unwrap_or(&lower);
    [lower.as_str(), base]
        .iter()
        .find_map(|n| table.lookup(&format!("bitnami/{n}")))
        .map(|e| e.family.clone())
}

fn read_chart(
    facts: &mut FileFacts,
    table: &StatefulTable,
    chart: &str,
    family: &str,
    root: &Node,
    prefix: &str,
    defaults: bool,
) {
    // Bitnami's Redis image turns AOF on, but a Redis chart without persistence is how a cache is
    // deployed: judged by the family's plain image, which keeps data only when asked to.
    let always = [format!("bitnami/{chart}"), family.to_string()]
        .iter()
        .filter_map(|image| table.lookup(image))
        .all(|e| e.persistence == Persistence::Always);
    if always {
        for path in PERSISTENCE {
            if let Some(node) = at(root, path).filter(|n| n.as_bool() == Some(false)) {
                facts.infra.helm.push(HelmSetting {
                    chart: chart.to_string(),
                    family: family.to_string(),
                    path: format!("{prefix}{path}"),
                    what: "persistence".into(),
                    span: node.span,
                });
            }
        }
    }
    if !defaults
        && let Some(node) = at(root, "backup.enabled").filter(|n| n.as_bool() == Some(false))
    {
        facts.infra.helm.push(HelmSetting {
            chart: chart.to_string(),
            family: family.to_string(),
            path: format!("{prefix}backup.enabled"),
            what: "backup".into(),
            span: node.span,
        });
    }
    passwords(facts, chart, root, prefix, 0);
}

/// Literal values of password keys (`auth.password`, `auth.rootPassword`, `passwords: [...]`).
fn passwords(facts: &mut FileFacts, chart: &str, node: &Node, prefix: &str, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for pair in node.as_mapping().unwrap_or_default() {
        let Some(key) = pair.key_str() else { continue };
        let path = format!("{prefix}{key}");
        let lower = key.to_ascii_lowercase();
        if lower.starts_with("existing") || lower.contains("secret") {
            continue;
        }
        if pair.value.as_mapping().is_some() {
            passwords(facts, chart, &pair.value, &format!("{path}."), depth + 1);
            continue;
        }
        let is_password = lower.ends_with("password") || lower == "passwords";
        if !is_password {
            continue;
        }
        let values: Vec<&Node> = match pair.value.as_sequence() {
            Some(items) => items.iter().collect(),
            None => vec![&pair.value],
        };
        for v in values {
            let Some(s) = v.as_scalar() else { continue };
            if s.ty != ScalarType::Str || s.value.trim().is_empty() || s.value.contains("{{") {
                continue;
            }
            record_literal(
                facts,
                s.content_span,
                &s.value,
                path.clone(),
                Origin::HelmValues {
                    chart: chart.to_string(),
                },
                None,
                SecretClass::Literal,
            );
        }
    }
}

/// The node at a dotted path.
fn at<'n>(root: &'n Node, path: &str) -> Option<&'n Node> {
    path.split('.').try_fold(root, |node, key| node.get(key))
}

#[cfg(test)]
mod tests {
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::FileFacts;
    use crate::source::SourceFile;

    fn facts(path: &str, text: &str) -> FileFacts {
        FileFacts::extract(
            SourceFile::new(path, text),
            FileKind::HelmValues,
            Context::Production,
        )
    }

    #[test]
    fn only_the_database_subcharts_sections_of_other_values_are_parsed() {
        let wanted = |k: &str| k == "postgresql";
        let text = "# app\nimage: x\nweb:\n  env: [a,\n    b]\n\n# the database\npostgresql:\n  auth:\n    password: pg-pw-1234\n# more\nworkers: 2\n";
        let db = text.find("postgresql:").expect("section");
        let workers = text.find("workers:").expect("section");
        assert_eq!(
            super::other_sections(text, &wanted),
            Some(vec![
                (text.find("image").expect("key"), db),
                (workers, text.len())
            ])
        );
        // The password is found at its own offset, as in a whole parse.
        let f = facts("charts/app/values.yaml", text);
        assert_eq!(f.credentials.len(), 1);
        let at = text.find("pg-pw-1234").expect("value");
        assert_eq!(f.credentials[0].span.start(), at);
        // Anchors may reach across sections, and a sequence or a second document is no block
        // mapping: such files are parsed whole.
        for whole in [
            "base: &b {a: 1}\npostgresql:\n  <<: *b\n",
            "- a\n- b\n",
            "a: 1\n---\npostgresql: {}\n",
        ] {
            assert_eq!(super::other_sections(whole, &wanted), None, "{whole}");
        }
    }

    #[test]
    fn top_level_keys_decide_whether_a_file_is_parsed() {
        let keys: Vec<&str> = super::top_level_keys(
            "# c\nimage: x\n\"postgresql\":\n  auth: {}\n- a: b\n  nested: 1\n",
        )
        .collect();
        assert_eq!(keys, ["image", "postgresql"]);
        // A flow mapping offers every word.
        assert!(super::top_level_keys("{redis: {auth: {password: x}}}").any(|k| k == "redis"));
        // Another chart's values with a database subchart further down are read; without one
        // they are not (no facts, no parse).
        let sub = facts(
            "charts/app/values.yaml",
            "replicas: 2\nservice:\n  port: 80\nmongodb:\n  auth:\n    rootPassword: m0ngo-root-pw\n",
        );
        assert_eq!(sub.credentials.len(), 1);
        let none = facts(
            "charts/app/values.yaml",
            "replicas: 2\nservice:\n  postgresql: {auth: {password: not-a-chart}}\n",
        );
        assert!(none.credentials.is_empty() && none.infra.helm.is_empty());
    }

    #[test]
    fn subchart_values() {
        let f = facts(
            "deploy/values-prod.yaml",
            "postgresql:\n  auth:\n    postgresPassword: s3cret-pg\n    existingSecret: \"\"\n  primary:\n    persistence:\n      enabled: false\n  backup:\n    enabled: false\nredis:\n  master:\n    persistence:\n      enabled: false\n",
        );
        let what: Vec<(&str, &str)> = f
            .infra
            .helm
            .iter()
            .map(|h| (h.path.as_str(), h.what.as_str()))
            .collect();
        assert_eq!(
            what,
            [
                ("postgresql.primary.persistence.enabled", "persistence"),
                ("postgresql.backup.enabled", "backup")
            ]
        );
        assert_eq!(f.credentials.len(), 1);
        assert_eq!(f.credentials[0].name, "postgresql.auth.postgresPassword");
    }

    #[test]
    fn chart_defaults_are_not_a_choice() {
        let f = facts(
            "bitnami/postgresql/values.yaml",
            "auth:\n  postgresPassword: \"\"\nbackup:\n  enabled: false\nprimary:\n  persistence:\n    enabled: true\n",
        );
        assert!(f.infra.helm.is_empty());
        assert!(f.credentials.is_empty());
    }
}
