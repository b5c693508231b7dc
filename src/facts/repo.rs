//! Repository facts: what is known across files (compose projects and their volumes, scripts and
//! their entry points), built once after every file's facts are extracted.

use super::FileFacts;
use super::backup;

/// Facts about the whole repository.
#[derive(Debug, Default)]
pub struct RepoFacts {
    /// What counts as a backup mechanism (shipped table plus the config's additions; the scan
    /// replaces it with [`backup::Catalog::with_config`]).
    pub backup_catalog: backup::Catalog,
}

impl RepoFacts {
    pub fn build(_files: &[FileFacts]) -> RepoFacts {
        RepoFacts {
            backup_catalog: backup::Catalog::builtin().clone(),
        }
    }
}
