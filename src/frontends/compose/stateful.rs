//! Which Compose services are stateful: a service's image looked up in the stateful-images table,
//! read against its command line and environment ([`ImageEntry::stateful`]), once with the
//! shipped table while the model is built and again with the user's table when the config
//! extends it.
//!
//! The table and what its fields mean are [`crate::knowledge::stateful`]'s; this module only
//! hands it what a Compose service runs.

use crate::knowledge::stateful::StatefulTable;
use crate::model::FileFacts;
use crate::model::store::{ImageRef, Service, Stateful};

#[cfg(doc)]
use crate::knowledge::stateful::ImageEntry;

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
pub(super) fn stateful_of(service: &Service, table: &StatefulTable) -> Option<Stateful> {
    let image = service.image_ref.as_ref()?;
    let entry = table.lookup(&image.path())?;
    let env = |var: &str| {
        service
            .env(var)
            .and_then(|e| e.value.as_ref())
            .map(|v| v.value.clone())
    };
    let mut stateful = entry.stateful(image.major(), &service.argv(), &env)?;
    // The image's `VOLUME`s are anonymous volumes Docker creates at run time: point at `image:`.
    let at = service.image.as_ref().map_or(service.name.span, |i| i.span);
    for v in &mut stateful.image_volumes {
        v.span = at;
    }
    Some(stateful)
}

/// Services built from a Dockerfile of the repository (`build: ./db`, whose Dockerfile says
/// `FROM mysql:5.7`) run that image: read as such, they are stateful by the same table. Runs
/// once every file is read, since the Dockerfile is another file.
pub fn resolve_builds(files: &mut [FileFacts], table: &StatefulTable) {
    let bases: std::collections::BTreeMap<String, String> = files
        .iter()
        .filter_map(|f| Some((f.file.path.clone(), f.base_image.clone()?)))
        .collect();
    if bases.is_empty() {
        return;
    }
    for facts in files.iter_mut() {
        let dir = match facts.file.path.rsplit_once('/') {
            Some((dir, _)) => dir.to_string(),
            None => String::new(),
        };
        let Some(model) = facts.compose.as_mut() else {
            continue;
        };
        for service in &mut model.services {
            if service.image.is_some() {
                continue;
            }
            let Some(file) = &service.build_file else {
                continue;
            };
            let path = if dir.is_empty() {
                file.clone()
            } else {
                crate::model::command::normalize(&format!("{dir}/{file}"))
            };
            let Some(image) = bases.get(&path) else {
                continue;
            };
            service.image_ref = ImageRef::parse(image);
            service.built_from = Some((path, image.clone()));
            service.stateful = stateful_of(service, table);
        }
    }
}
