//! Application configuration files: what the application does at start-up and the database
//! passwords it is configured with.
//!
//! - Spring `application*.properties`/`.yml`/`.yaml`, `bootstrap*`, `hibernate.properties`: the
//!   settings become [`EnvEntry`]s with dotted keys and exact value spans
//!   ([`FileFacts::settings`]), for rules about start-up (`orm-auto-schema`) and for passwords.
//!   `.properties` is read by the format's own rules (java.util.Properties): `#`/`!` comments,
//!   `=`, `:` or whitespace between key and value, `\` continuations, `\` escapes, and Spring's
//!   `#---` documents. YAML goes through the spanned YAML model and is flattened (`spring: jpa:
//!   hibernate: ddl-auto: create` → `spring.jpa.hibernate.ddl-auto`); a document's
//!   `spring.config.activate.on-profile` (or the older `spring.profiles`) is kept as the
//!   `spring.profile` setting of its entries, and a dev or test profile makes the document that
//!   context.
//! - `flyway.conf` and `liquibase.properties` (properties), `flyway.toml` ([`flyway_toml`]),
//!   Rails `config/database.yml` ([`rails`]), .NET `appsettings*.json`, Sequelize
//!   `config/config.json` and TypeORM `ormconfig.*` ([`json`]), Django `settings*.py` and
//!   `knexfile.*` ([`code`]).
//! - ORM schema synchronisation written as JavaScript/TypeScript: TypeORM `synchronize` and
//!   `dropSchema` in data sources and application code under `src/`, Sequelize `sync({force})`
//!   ([`schema_sync`]), as settings for `orm-auto-schema`.
//!
//! Which settings hold a password is data (`[config-settings]` of `rules/credentials.toml`);
//! recording one is [`passwords`].

mod code;
mod flyway_toml;
mod json;
mod passwords;
mod rails;
mod schema_sync;

use crate::classify::FileKind;
use crate::frontends::{ExtractOptions, Frontend};
use crate::knowledge::credentials::config_settings;
use crate::model::FileFacts;
use crate::model::store::{EnvEntry, Spanned};
use crate::notice::{Notice, NoticeKind};
use crate::source::{OffsetMap, Span};
use crate::syntax::yaml::{self, Node, Value};

use passwords::{Place, mark, section_context};

/// Nesting deeper than this is not flattened.
const MAX_DEPTH: usize = 32;

/// The application-config front-end.
pub struct AppConfig;

/// Which configuration format a file is, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Spring,
    Hibernate,
    FlywayConf,
    FlywayToml,
    Liquibase,
    Rails,
    AppSettings,
    Sequelize,
    TypeOrm,
    Django,
    Knexfile,
    TypeOrmCode,
}

fn format_of(path: &str) -> Format {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if name.starts_with("flyway") && name.ends_with(".conf") {
        Format::FlywayConf
    } else if name.starts_with("flyway") && name.ends_with(".toml") {
        Format::FlywayToml
    } else if name.starts_with("liquibase") {
        Format::Liquibase
    } else if name.starts_with("hibernate") {
        Format::Hibernate
    } else if name == "database.yml" || name == "database.yaml" {
        Format::Rails
    } else if name.starts_with("appsettings") {
        Format::AppSettings
    } else if name.starts_with("ormconfig") && (name.ends_with("js") || name.ends_with(".ts")) {
        Format::TypeOrmCode
    } else if name.starts_with("ormconfig") {
        Format::TypeOrm
    } else if name.starts_with("data-source")
        || name.starts_with("datasource")
        || name.starts_with("typeorm.config")
    {
        Format::TypeOrmCode
    } else if name == "config.json" {
        Format::Sequelize
    } else if name.ends_with(".py") {
        Format::Django
    } else if name.starts_with("knexfile") {
        Format::Knexfile
    } else {
        Format::Spring
    }
}

/// The ORM schema-sync settings of a JavaScript/TypeScript program (`new DataSource({…,
/// synchronize: true})` in a seed script), read as in application code.
pub fn program_schema_sync(facts: &mut FileFacts) {
    schema_sync::extract(facts);
}

impl Frontend for AppConfig {
    fn name(&self) -> &'static str {
        "app-config"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::AppConfig, FileKind::AppCode]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<yaml::Yaml> {
        if facts.kind == FileKind::AppCode {
            schema_sync::extract(facts);
            return None;
        }
        let text = facts.file.text.clone();
        let keys = config_settings();
        match format_of(&facts.file.path) {
            Format::Spring | Format::Hibernate if facts.file.path.ends_with(".properties") => {
                facts.settings = properties(&text);
                spring_properties_profiles(facts);
                let entries = facts.settings.clone();
                let profiles = profile_spans(facts);
                passwords::from_settings(facts, &entries, &keys.spring, &|e| {
                    spring_place(&profiles, e.key.span)
                });
            }
            Format::Spring | Format::Hibernate => {
                spring_yaml(facts, &text);
                let entries = facts.settings.clone();
                let profiles = profile_spans(facts);
                passwords::from_settings(facts, &entries, &keys.spring, &|e| {
                    spring_place(&profiles, e.key.span)
                });
            }
            Format::FlywayConf => {
                facts.settings = properties(&text);
                let entries = facts.settings.clone();
                passwords::from_settings(facts, &entries, &keys.flyway, &|_| {
                    Place::new("Flyway configuration")
                });
            }
            Format::Liquibase => {
                facts.settings = properties(&text);
                let entries = facts.settings.clone();
                passwords::from_settings(facts, &entries, &keys.liquibase, &|_| {
                    Place::new("Liquibase configuration")
                });
            }
            Format::FlywayToml => flyway_toml::extract(facts),
            Format::Rails => rails::extract(facts),
            Format::AppSettings => json::appsettings(facts),
            Format::Sequelize => json::sequelize(facts),
            Format::TypeOrm => json::typeorm(facts),
            Format::Django => code::django(facts),
            Format::Knexfile => code::knexfile(facts),
            Format::TypeOrmCode => {
                code::typeorm_code(facts);
                schema_sync::extract(facts);
            }
        }
        None
    }
}

/// A YAML parse problem as a notice.
fn yaml_problem(facts: &mut FileFacts, parsed: &yaml::Yaml) {
    if let Some(p) = parsed.problems.first() {
        let line = facts.file.position(p.offset).line;
        facts.notices.push(
            Notice::file(&facts.file.path, NoticeKind::ParseError, p.message.clone()).at_line(line),
        );
    }
}

/// Spring YAML: every document flattened, its profile kept as `spring.profile`.
fn spring_yaml(facts: &mut FileFacts, text: &str) {
    let parsed = yaml::parse(text);
    yaml_problem(facts, &parsed);
    for doc in &parsed.documents {
        let Some(root) = &doc.root else { continue };
        let mut out = Vec::new();
        flatten(root, String::new(), &mut out, 0);
        let profile = out
            .iter()
            .find(|e| {
                matches!(
                    e.key.value.as_str(),
                    "spring.config.activate.on-profile" | "spring.profiles"
                )
            })
            .and_then(|e| e.value.clone());
        if let Some(profile) = profile {
            mark(facts, doc.span, section_context(&profile.value));
            out.push(EnvEntry {
                key: Spanned {
                    value: "spring.profile".to_string(),
                    span: profile.span,
                },
                value: Some(Spanned {
                    value: profile.value,
                    span: doc.span,
                }),
                map: OffsetMap::default(),
            });
        }
        facts.settings.extend(out);
    }
}

/// Spring `.properties` documents (`#---` or `!---` lines between them, Spring Boot 2.4+): a
/// document's `spring.config.activate.on-profile` becomes its `spring.profile`, as in YAML.
fn spring_properties_profiles(facts: &mut FileFacts) {
    let text = &facts.file.text;
    let mut bounds = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if matches!(line.trim_end(), "#---" | "!---") {
            bounds.push(offset);
        }
        offset += line.len();
    }
    bounds.push(text.len());
    let mut added = Vec::new();
    for pair in bounds.windows(2) {
        let doc = Span::new(pair[0], pair[1]);
        let profile = facts.settings.iter().find(|e| {
            doc.contains(e.key.span)
                && matches!(
                    e.key.value.as_str(),
                    "spring.config.activate.on-profile" | "spring.profiles"
                )
        });
        if let Some(value) = profile.and_then(|e| e.value.clone()) {
            added.push((doc, value));
        }
    }
    for (doc, value) in added {
        mark(facts, doc, section_context(&value.value));
        facts.settings.push(EnvEntry {
            key: Spanned {
                value: "spring.profile".to_string(),
                span: value.span,
            },
            value: Some(Spanned {
                value: value.value,
                span: doc,
            }),
            map: OffsetMap::default(),
        });
    }
}

/// The documents with a profile: (document span, profile).
fn profile_spans(facts: &FileFacts) -> Vec<(Span, String)> {
    facts
        .settings
        .iter()
        .filter(|e| e.key.value == "spring.profile")
        .filter_map(|e| e.value.as_ref().map(|v| (v.span, v.value.clone())))
        .collect()
}

fn spring_place(profiles: &[(Span, String)], at: Span) -> Place {
    let place = Place::new("Spring configuration");
    match profiles.iter().find(|(doc, _)| doc.contains(at)) {
        Some((_, profile)) => place.within(format!("profile `{profile}`")),
        None => place,
    }
}

fn flatten(node: &Node, prefix: String, out: &mut Vec<EnvEntry>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &node.value {
        Value::Mapping(pairs) => {
            for pair in pairs {
                let Some(key) = pair.key.as_str() else {
                    continue;
                };
                let name = if prefix.is_empty() {
                    key.to_string()
                } else {
                    format!("{prefix}.{key}")
                };
                if let Some(s) = pair.value.as_scalar() {
                    out.push(EnvEntry {
                        key: Spanned {
                            value: name,
                            span: pair.key.span,
                        },
                        value: Some(Spanned {
                            value: s.value.clone(),
                            span: s.content_span,
                        }),
                        map: s.map.clone(),
                    });
                } else {
                    flatten(&pair.value, name, out, depth + 1);
                }
            }
        }
        Value::Sequence(_) | Value::Scalar(_) => {}
    }
}

/// The entries of a `.properties` file, values unescaped, spans on the written value.
pub fn properties(text: &str) -> Vec<EnvEntry> {
    let mut out = Vec::new();
    let lines: Vec<(usize, &str)> = {
        let mut offset = 0;
        text.split_inclusive('\n')
            .map(|l| {
                let at = offset;
                offset += l.len();
                (at, l.trim_end_matches(['\n', '\r']))
            })
            .collect()
    };
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        i += 1;
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
            continue;
        }
        // The logical line: continued while it ends in an odd number of backslashes.
        let mut logical: Vec<(usize, &str)> = vec![(start + (line.len() - trimmed.len()), trimmed)];
        while logical.last().is_some_and(|(_, l)| continues(l)) && i < lines.len() {
            let (s, l) = lines[i];
            i += 1;
            let t = l.trim_start();
            logical.push((s + (l.len() - t.len()), t));
        }
        let mut chars: Vec<(usize, char)> = Vec::new();
        for (k, (s, l)) in logical.iter().enumerate() {
            let body = if k + 1 < logical.len() {
                &l[..l.len() - 1]
            } else {
                l
            };
            chars.extend(body.char_indices().map(|(j, c)| (s + j, c)));
        }
        let mut key = String::new();
        let mut key_span: Option<Span> = None;
        let mut at = 0;
        while at < chars.len() {
            let (pos, c) = chars[at];
            if c == '\\' && at + 1 < chars.len() {
                key.push(unescape(chars[at + 1].1));
                at += 2;
                continue;
            }
            if c == '=' || c == ':' || c.is_whitespace() {
                break;
            }
            key.push(c);
            key_span = Some(key_span.map_or(Span::new(pos, pos + c.len_utf8()), |s| {
                s.cover(Span::new(pos, pos + c.len_utf8()))
            }));
            at += 1;
        }
        while at < chars.len() && chars[at].1.is_whitespace() {
            at += 1;
        }
        if at < chars.len() && (chars[at].1 == '=' || chars[at].1 == ':') {
            at += 1;
        }
        while at < chars.len() && chars[at].1.is_whitespace() {
            at += 1;
        }
        let mut value = String::new();
        let mut map = OffsetMap::default();
        let mut value_span: Option<Span> = None;
        while at < chars.len() {
            let (pos, c) = chars[at];
            let (decoded, width) = if c == '\\' && at + 1 < chars.len() {
                (unescape(chars[at + 1].1), 2)
            } else {
                (c, 1)
            };
            map.push(value.len(), pos, decoded.len_utf8());
            value.push(decoded);
            let end = chars[at + width - 1].0 + chars[at + width - 1].1.len_utf8();
            value_span =
                Some(value_span.map_or(Span::new(pos, end), |s| s.cover(Span::new(pos, end))));
            at += width;
        }
        let Some(key_span) = key_span else { continue };
        let value_span = value_span.unwrap_or(Span::new(key_span.end(), key_span.end()));
        out.push(EnvEntry {
            key: Spanned {
                value: key,
                span: key_span,
            },
            value: Some(Spanned {
                value,
                span: value_span,
            }),
            map,
        });
    }
    out
}

fn continues(line: &str) -> bool {
    line.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1
}

fn unescape(c: char) -> char {
    match c {
        't' => '\t',
        'n' => '\n',
        'r' => '\r',
        'f' => '\u{c}',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_documents_take_their_profile() {
        use crate::levels::Context;
        let text = "spring.datasource.password=prod-pw-1\n#---\nspring.config.activate.on-profile=test\nspring.datasource.password=test-pw-1\n";
        let f = FileFacts::extract(
            crate::source::SourceFile::new("src/main/resources/application.properties", text),
            FileKind::AppConfig,
            Context::Production,
        );
        let got: Vec<(&str, Context)> = f
            .credentials
            .iter()
            .map(|c| (f.file.slice(c.span), f.context_at(c.span)))
            .collect();
        assert_eq!(
            got,
            [
                ("prod-pw-1", Context::Production),
                ("test-pw-1", Context::Test)
            ]
        );
    }

    #[test]
    fn properties_forms() {
        let text = "# comment\n! also\nspring.jpa.hibernate.ddl-auto=create\nhibernate.hbm2ddl.auto : create-drop\nkey\\ with\\ space value\nlong = a\\\n    b\n";
        let got: Vec<(String, String)> = properties(text)
            .into_iter()
            .map(|e| (e.key.value, e.value.map(|v| v.value).unwrap_or_default()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("spring.jpa.hibernate.ddl-auto".into(), "create".into()),
                ("hibernate.hbm2ddl.auto".into(), "create-drop".into()),
                ("key with space".into(), "value".into()),
                ("long".into(), "ab".into()),
            ]
        );
        let first = &properties(text)[0];
        let v = first.value.as_ref().map(|v| v.span);
        assert_eq!(v.map(|s| &text[s.start()..s.end()]), Some("create"));
    }
}
