//! `flyway.toml` (Flyway 10): `[environments.<name>]` tables with `url`, `user`, `password`, and
//! the `[flyway]` table. Read with the `toml` crate's spanned document parser; a string's text is
//! taken between its quotes as written, so its span is exact. `${env.DB_PASSWORD}`,
//! `${localSecret.x}` and `${vault.x}` are Flyway's resolvers, not literals.

use crate::knowledge::credentials::{SettingRole, config_settings};
use crate::model::FileFacts;
use crate::notice::{Notice, NoticeKind};
use crate::source::OffsetMap;
use toml::de::{DeTable, DeValue};

use super::passwords::{self, Place, Value, mark, section_context};

/// Tables are followed this deep.
const MAX_DEPTH: usize = 8;

/// Read a `flyway.toml`.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let (doc, errors) = DeTable::parse_recoverable(&text);
    if let Some(err) = errors.first() {
        let line = err
            .span()
            .map_or(1, |s| facts.file.position(s.start.min(text.len())).line);
        facts.notices.push(
            Notice::file(
                &facts.file.path,
                NoticeKind::ParseError,
                "this flyway.toml could not be fully parsed".to_string(),
            )
            .at_line(line),
        );
    }
    walk(facts, &text, doc.get_ref(), "", 0);
}

fn walk(facts: &mut FileFacts, text: &str, table: &DeTable, path: &str, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let keys = &config_settings().flyway;
    for (key, value) in table.iter() {
        let key: &str = key.get_ref();
        let here = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        match value.get_ref() {
            DeValue::Table(inner) => walk(facts, text, inner, &here, depth + 1),
            DeValue::String(_) => {
                let Some(role) = keys.role(&here) else {
                    continue;
                };
                let span = value.span();
                let Some(raw) = text.get(span.clone()) else {
                    continue;
                };
                // The text between the quotes (`"…"`, `'…'`, `"""…"""`, `'''…'''`).
                let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
                    3
                } else {
                    1
                };
                if raw.len() < 2 * quote {
                    continue;
                }
                let inner = &raw[quote..raw.len() - quote];
                let map = OffsetMap::verbatim(span.start + quote, inner.len());
                let v = Value {
                    text: inner,
                    map: &map,
                };
                // `environments.<name>.password`: the environment sets the context.
                let env = here
                    .strip_prefix("environments.")
                    .and_then(|rest| rest.split('.').next());
                let place = match env {
                    Some(env) => {
                        Place::new("Flyway configuration").within(format!("environment `{env}`"))
                    }
                    None => Place::new("Flyway configuration"),
                };
                let before: Vec<_> = facts.credentials.iter().map(|c| c.span).collect();
                match role {
                    SettingRole::Password => {
                        let user = table.get("user").and_then(|u| match u.get_ref() {
                            DeValue::String(s) => Some(s.to_string()),
                            _ => None,
                        });
                        passwords::password(facts, &here, &v, user.as_deref(), &place);
                    }
                    SettingRole::Url => passwords::urls(facts, &here, &v, &place),
                }
                let new: Vec<_> = facts
                    .credentials
                    .iter()
                    .map(|c| c.span)
                    .filter(|s| !before.contains(s))
                    .collect();
                for s in new {
                    mark(facts, s, env.and_then(section_context));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::FileFacts;
    use crate::source::SourceFile;

    #[test]
    fn environments() {
        let text = "[environments.default]\nurl = \"jdbc:postgresql://db/app?user=app&password=url-pw\"\nuser = \"app\"\npassword = \"pw-default\"\n\n[environments.dev]\npassword = \"pw-dev\"\n\n[environments.ci]\npassword = \"${env.FLYWAY_PASSWORD}\"\n\n[flyway]\nenvironment = \"default\"\n";
        let f = FileFacts::extract(
            SourceFile::new("flyway.toml", text),
            FileKind::AppConfig,
            Context::Production,
        );
        let got: Vec<(&str, &str, Context)> = f
            .credentials
            .iter()
            .map(|c| (c.name.as_str(), f.file.slice(c.span), f.context_at(c.span)))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "the postgresql:// URL in `environments.default.url`",
                    "url-pw",
                    Context::Production
                ),
                (
                    "environments.default.password",
                    "pw-default",
                    Context::Production
                ),
                ("environments.dev.password", "pw-dev", Context::Local),
            ]
        );
    }
}
