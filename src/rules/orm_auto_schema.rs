//! `orm-auto-schema`: see rules/orm-auto-schema.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::knowledge::orm_settings::orm_settings;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::store::EnvEntry;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, _: &RepoFacts, cx: &mut Ctx) {
    let mut entries: Vec<&EnvEntry> = file.settings.iter().chain(&file.dotenv).collect();
    if let Some(compose) = &file.compose {
        entries.extend(compose.services.iter().flat_map(|s| &s.environment));
    }
    // Spring's profile documents, and the production side of an `if` in code.
    let profiles: Vec<&EnvEntry> = file
        .settings
        .iter()
        .filter(|e| matches!(e.key.value.as_str(), "spring.profile" | "profile"))
        .collect();
    let table = orm_settings();
    for entry in entries {
        let Some(value) = &entry.value else { continue };
        let Some((orm, what)) = table.judge(&entry.key.value, &value.value) else {
            continue;
        };
        let (key, written) = (&entry.key.value, &value.value);
        let message = match orm {
            "Hibernate" | "JPA" => format!(
                "`{key}={written}` {what}: the application wipes its own database every time it starts"
            ),
            _ => {
                let shown = match key.split_once('.') {
                    // Sequelize's `sync({force: true})`.
                    Some((method, option)) => format!("{method}({{ {option}: {written} }})"),
                    None if key.bytes().all(|b| !b.is_ascii_lowercase()) => {
                        format!("{key}={written}")
                    }
                    None => format!("{key}: {written}"),
                };
                let when = if file.kind == crate::classify::FileKind::Program {
                    "every time this program runs"
                } else {
                    "every time the application starts"
                };
                format!("`{shown}` {what} ({orm}), {when}")
            }
        };
        // A YAML document of a test or dev profile is that context.
        let doc_profile = profiles.iter().find_map(|p| {
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
