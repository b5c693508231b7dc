//! `orm-auto-schema`: see rules/orm-auto-schema.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::store::EnvEntry;
use crate::rules::Ctx;

/// Settings that make Hibernate rebuild the schema, as dotted keys and environment names.
const KEYS: &[&str] = &[
    "spring.jpa.hibernate.ddl-auto",
    "spring.jpa.hibernate.ddl_auto",
    "spring.jpa.properties.hibernate.hbm2ddl.auto",
    "hibernate.hbm2ddl.auto",
    "javax.persistence.schema-generation.database.action",
    "jakarta.persistence.schema-generation.database.action",
    "spring.jpa.properties.javax.persistence.schema-generation.database.action",
    "spring.jpa.properties.jakarta.persistence.schema-generation.database.action",
    "SPRING_JPA_HIBERNATE_DDL_AUTO",
    "SPRING_JPA_PROPERTIES_HIBERNATE_HBM2DDL_AUTO",
];

pub(super) fn check(file: &FileFacts, _: &RepoFacts, cx: &mut Ctx) {
    let mut entries: Vec<&EnvEntry> = file.settings.iter().chain(&file.dotenv).collect();
    if let Some(compose) = &file.compose {
        entries.extend(compose.services.iter().flat_map(|s| &s.environment));
    }
    let profile = file
        .settings
        .iter()
        .find(|e| e.key.value == "spring.profile");
    for entry in entries {
        if !KEYS.iter().any(|k| entry.key.value.eq_ignore_ascii_case(k)) {
            continue;
        }
        let Some(value) = &entry.value else { continue };
        let v = value.value.trim().to_ascii_lowercase();
        let what = match v.as_str() {
            "create" => "drops and recreates every mapped table at each start",
            "create-drop" => {
                "drops and recreates every mapped table at each start and drops them again at shutdown"
            }
            "drop-and-create" => "drops and recreates every mapped table at each start",
            "drop" => "drops every mapped table at each start",
            _ => continue,
        };
        let message = format!(
            "`{}={}` {what}: the application wipes its own database every time it starts",
            entry.key.value, value.value
        );
        // A YAML document of a test or dev profile is that context.
        let doc_profile = profile.and_then(|p| {
            let doc = p.value.as_ref()?;
            doc.span.contains(value.span).then(|| doc.value.clone())
        });
        let finding = cx.report(value.span, message);
        match doc_profile.as_deref().and_then(crate::levels::name_context) {
            Some(context) => {
                finding.context(context);
            }
            None if is_production_named(file.file.path.rsplit('/').next().unwrap_or(""))
                || doc_profile.as_deref().is_some_and(is_production_named) =>
            {
                finding.level(Level::Error);
            }
            None => {}
        }
    }
}

/// A file or profile named for production (`application-prod.properties`, `production`).
fn is_production_named(name: &str) -> bool {
    crate::levels::name_words(name)
        .iter()
        .any(|w| matches!(w.as_str(), "prod" | "production" | "live"))
}
