//! Merging Compose models the way Compose merges files: later documents of one file, and
//! override files (`docker-compose.override.yml`, `-f base.yml -f prod.yml`) onto their base.
//! Environment merges by key, mounts by target, ports add up.

use crate::model::store::{ComposeFile, Service};

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
    // An override's `build:` whose Dockerfile was read brings that image with it.
    if over.image.is_none() && over.built_from.is_some() {
        base.image = None;
        base.image_ref = over.image_ref.clone();
    }
    if over.image.is_some() {
        base.image = over.image;
        base.image_ref = over.image_ref;
    }
    base.build |= over.build;
    if over.build_file.is_some() {
        base.build_file = over.build_file;
        base.built_from = over.built_from;
    }
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
