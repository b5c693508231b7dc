//! Recording the database passwords of application configuration files, for every format of
//! [`super`]: a password setting's value (classified by the formats' own reference syntaxes,
//! [`classify_config`]), the passwords of connection URLs and connection strings in a value, and
//! the context of a section (`development:`, profile `dev`) as a region around what it holds.

use crate::frontends::secrets::{classify_config, record_literal, record_urls};
use crate::knowledge::credentials::{SettingKeys, SettingRole};
use crate::levels::{Context, name_context};
use crate::model::secret::{Origin, SecretClass};
use crate::model::store::EnvEntry;
use crate::model::{FileFacts, Region};
use crate::source::{OffsetMap, Span};

/// Where a setting is: the file's format and the section or profile it is in.
#[derive(Clone, Debug)]
pub struct Place {
    /// `Spring configuration`, `database.yml`, `appsettings file`.
    pub format: &'static str,
    /// `profile `prod``, `section `production``.
    pub section: Option<String>,
}

impl Place {
    pub fn new(format: &'static str) -> Place {
        Place {
            format,
            section: None,
        }
    }

    pub fn within(&self, section: String) -> Place {
        Place {
            format: self.format,
            section: Some(section),
        }
    }

    fn origin(&self) -> Origin {
        Origin::AppConfig {
            format: self.format.to_string(),
            section: self.section.clone(),
        }
    }
}

/// A setting's value as written: decoded text and where each byte of it is in the file.
pub struct Value<'a> {
    pub text: &'a str,
    pub map: &'a OffsetMap,
}

/// Record the password held by the setting `key` (its value as written), if it holds a literal,
/// a default or a placeholder. `user` is the user name it goes with, when the file says.
pub fn password(
    facts: &mut FileFacts,
    key: &str,
    value: &Value,
    user: Option<&str>,
    place: &Place,
) {
    let Some((class, start, end)) = classify_config(value.text) else {
        return;
    };
    let Some(secret) = value.text.get(start..end) else {
        return;
    };
    let span = value.map.span_to_host(Span::new(start, end));
    let otherwise = if class == SecretClass::Default {
        SecretClass::Default
    } else {
        SecretClass::Literal
    };
    record_literal(
        facts,
        span,
        secret,
        key.to_string(),
        place.origin(),
        user,
        otherwise,
    );
}

/// Record the passwords of the connection URLs and connection strings in the value of `key`.
pub fn urls(facts: &mut FileFacts, key: &str, value: &Value, place: &Place) {
    if value.text.contains("<%") {
        return;
    }
    record_urls(
        facts,
        value.text,
        value.map,
        &format!("in `{key}`"),
        &place.origin(),
    );
}

/// Record what the settings of a `key=value` format hold (Spring, Flyway, Liquibase), by the
/// format's table of keys. `place_of` gives each entry's place (its profile).
pub fn from_settings(
    facts: &mut FileFacts,
    entries: &[EnvEntry],
    keys: &SettingKeys,
    place_of: &dyn Fn(&EnvEntry) -> Place,
) {
    for entry in entries {
        let Some(role) = keys.role(&entry.key.value) else {
            continue;
        };
        let Some(value) = &entry.value else { continue };
        let place = place_of(entry);
        let v = Value {
            text: &value.value,
            map: &entry.map,
        };
        match role {
            SettingRole::Password => {
                let user = user_of(entries, &entry.key.value);
                password(facts, &entry.key.value, &v, user.as_deref(), &place);
            }
            SettingRole::Url => urls(facts, &entry.key.value, &v, &place),
        }
    }
}

/// The user name next to a password setting (`spring.datasource.username` for
/// `spring.datasource.password`).
fn user_of(entries: &[EnvEntry], key: &str) -> Option<String> {
    let (prefix, _) = key.rsplit_once('.').unwrap_or(("", key));
    let dot = if prefix.is_empty() { "" } else { "." };
    ["username", "user"].iter().find_map(|u| {
        let want = format!("{prefix}{dot}{u}");
        entries
            .iter()
            .find(|e| e.key.value.eq_ignore_ascii_case(&want))
            .and_then(|e| e.value.as_ref())
            .map(|v| v.value.clone())
    })
}

/// The context a section or profile name gives what it holds (`development`, `dev`,
/// `test`), `None` for production or a name that says nothing. A Spring profile expression
/// (`dev | local`, `!prod`) counts only when every profile it names is a dev or test one.
pub fn section_context(name: &str) -> Option<Context> {
    let names: Vec<&str> = name
        .split([',', '|', '&', '(', ')', ' '])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() || names.iter().any(|n| n.starts_with('!')) {
        return None;
    }
    let contexts: Vec<Option<Context>> = names.iter().map(|n| name_context(n)).collect();
    if contexts.iter().all(Option::is_some) {
        contexts.into_iter().flatten().next()
    } else {
        None
    }
}

/// Mark `span` as being in `context` (a dev or test section), when it is not production.
pub fn mark(facts: &mut FileFacts, span: Span, context: Option<Context>) {
    if let Some(context) = context.filter(|c| *c != Context::Production) {
        facts.regions.push(Region {
            span,
            context: Some(context),
            guard: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_contexts() {
        assert_eq!(section_context("development"), Some(Context::Local));
        assert_eq!(section_context("test"), Some(Context::Test));
        assert_eq!(section_context("dev | local"), Some(Context::Local));
        assert_eq!(section_context("production"), None);
        assert_eq!(section_context("dev,prod"), None);
        assert_eq!(section_context("!dev"), None);
        assert_eq!(section_context("staging"), None);
    }
}
