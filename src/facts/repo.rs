//! Repository facts: what is known across files (compose projects and their volumes, scripts and
//! their entry points), built once after every file's facts are extracted.

use super::FileFacts;

/// Facts about the whole repository.
#[derive(Debug, Default)]
pub struct RepoFacts {}

impl RepoFacts {
    pub fn build(_files: &[FileFacts]) -> RepoFacts {
        RepoFacts {}
    }
}
