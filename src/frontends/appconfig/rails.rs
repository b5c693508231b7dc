//! Rails `config/database.yml`: one section per environment (`development:`, `production:`),
//! each a connection (`password:`, `url:`) or, with several databases, a mapping of named
//! connections (`production: primary: …`). ERB is not a literal: `<%= ENV["DB_PASSWORD"] %>` is
//! skipped, and ERB control lines (`<% if … %>`) are blanked at the same length before the YAML
//! is read, so spans hold.
//!
//! A password in an anchored section (`default: &default`) merged into others belongs to the
//! sections that merge it: the most exposed of them (production before development or test) sets
//! its context.

use std::collections::BTreeMap;

use crate::levels::Context;
use crate::model::FileFacts;
use crate::source::Span;
use crate::syntax::yaml::{self, Node, ScalarType};

use super::passwords::{self, Place, Value, mark, section_context};

/// What a section holds, found once per span.
struct Found<'n> {
    section: String,
    context: Option<Context>,
    merged: bool,
    key: String,
    node: &'n Node,
    user: Option<String>,
    url: bool,
}

/// Read a `database.yml`.
pub fn extract(facts: &mut FileFacts) {
    let text = blank_erb_lines(&facts.file.text);
    let parsed = yaml::parse(&text);
    super::yaml_problem(facts, &parsed);
    let place = Place::new("database.yml");
    for doc in &parsed.documents {
        let Some(root) = &doc.root else { continue };
        let mut by_span: BTreeMap<(usize, usize), Vec<Found>> = BTreeMap::new();
        for section in root.as_mapping().unwrap_or_default() {
            let Some(name) = section.key_str() else {
                continue;
            };
            let context = section_context(name);
            connection(&section.value, name, context, false, "", &mut by_span);
            // Several databases: `production: { primary: {…}, cache: {…} }`.
            for inner in section.value.as_mapping().unwrap_or_default() {
                let Some(db) = inner.key_str() else { continue };
                if inner.value.as_mapping().is_some() {
                    let prefix = format!("{db}.");
                    connection(
                        &inner.value,
                        name,
                        context,
                        inner.merged,
                        &prefix,
                        &mut by_span,
                    );
                }
            }
        }
        for found in by_span.into_values() {
            // The sections that merge an anchored password decide; else the one that holds it.
            let merged: Vec<&Found> = found.iter().filter(|f| f.merged).collect();
            let candidates = if merged.is_empty() {
                found.iter().collect()
            } else {
                merged
            };
            let Some(chosen) = candidates
                .iter()
                .find(|f| f.context.is_none())
                .or_else(|| candidates.first())
            else {
                continue;
            };
            let Some(scalar) = chosen.node.as_scalar() else {
                continue;
            };
            let value = Value {
                text: &scalar.value,
                map: &scalar.map,
            };
            let here = place.within(format!("section `{}`", chosen.section));
            let before = facts.credentials.len();
            if chosen.url {
                passwords::urls(facts, &chosen.key, &value, &here);
            } else {
                passwords::password(facts, &chosen.key, &value, chosen.user.as_deref(), &here);
            }
            let spans: Vec<Span> = facts.credentials[before.min(facts.credentials.len())..]
                .iter()
                .map(|c| c.span)
                .collect();
            for span in spans {
                mark(facts, span, chosen.context);
            }
        }
    }
}

/// The `password:` and `url:` of one connection mapping.
fn connection<'n>(
    node: &'n Node,
    section: &str,
    context: Option<Context>,
    merged_parent: bool,
    prefix: &str,
    out: &mut BTreeMap<(usize, usize), Vec<Found<'n>>>,
) {
    let Some(pairs) = node.as_mapping() else {
        return;
    };
    let user = node
        .get_str("username")
        .or_else(|| node.get_str("user"))
        .map(str::to_string);
    for pair in pairs {
        let Some(key) = pair.key_str() else { continue };
        let url = match key {
            "password" => false,
            "url" => true,
            _ => continue,
        };
        let Some(scalar) = pair.value.as_scalar() else {
            continue;
        };
        if scalar.ty == ScalarType::Null {
            continue;
        }
        let span = scalar.content_span;
        out.entry((span.start(), span.end()))
            .or_default()
            .push(Found {
                section: section.to_string(),
                context,
                merged: merged_parent || pair.merged,
                key: format!("{section}.{prefix}{key}"),
                node: &pair.value,
                user: user.clone(),
                url,
            });
    }
}

/// ERB control lines (`<% if … %>`, `<%- end -%>`) blanked with spaces: they are not YAML.
/// `<%= … %>` values stay (a plain scalar to YAML, and not a literal to us).
fn blank_erb_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("<%") && !trimmed.starts_with("<%=") {
            out.extend(
                line.chars()
                    .map(|c| if c == '\n' || c == '\r' { c } else { ' ' }),
            );
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::FileFacts;
    use crate::source::SourceFile;

    #[test]
    fn sections_and_anchors() {
        let text = "default: &default\n  adapter: postgresql\n  password: anchored-pw\n\ndevelopment:\n  <<: *default\n  database: dev\n\ntest:\n  <<: *default\n  password: test-pw\n\nproduction:\n  <<: *default\n  password: <%= ENV[\"DB_PASSWORD\"] %>\n  url: postgres://app:url-pw@db/app\n\nstaging:\n  primary:\n    username: app\n    password: app\n<% if ENV['X'] %>\n  other: 1\n<% end %>\n";
        let f = FileFacts::extract(
            SourceFile::new("config/database.yml", text),
            FileKind::AppConfig,
            Context::Production,
        );
        let got: Vec<(&str, Context)> = f
            .credentials
            .iter()
            .map(|c| (c.name.as_str(), f.context_at(c.span)))
            .collect();
        assert_eq!(
            got,
            [
                ("development.password", Context::Local),
                ("test.password", Context::Test),
                (
                    "the postgres:// URL in `production.url`",
                    Context::Production
                ),
                ("staging.primary.password", Context::Production),
            ]
        );
        assert!(f.credentials[3].well_known);
        assert!(f.notices.is_empty(), "{:?}", f.notices);
    }
}
