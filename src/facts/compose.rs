//! Compose facts: services, images, volumes, ports and environment of a Compose file, with spans.
//! (The full model arrives with the compose pack.)

use super::FileFacts;

/// The model of one Compose file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ComposeFile {}

/// Build the compose model of a YAML file, when it is a Compose file.
pub fn extract_file(_facts: &mut FileFacts) {}
