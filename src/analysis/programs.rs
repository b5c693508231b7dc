//! Programs that commands run: `node tools/nuke.js` in a `package.json` script, `python -m
//! tools.wipe` in a Makefile, `CMD ["node", "/app/scripts/reset.js"]` in a Dockerfile. A program
//! file outside the root-level program folders is read only when one of these names it; this
//! finds which, and resolves a command's program to a file of the repository.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::backup::inner_argv;
use crate::analysis::paths::{cwd_candidates, join_path};
use crate::knowledge::framework::FrameworkTable;
use crate::knowledge::programs::ProgramTable;
use crate::model::FileFacts;
use crate::model::command::{Command, Dir};

/// The program a command runs, as written (`tools/nuke.js`), if it runs one.
pub fn program_written(command: &Command) -> Option<String> {
    let words = inner_argv(command);
    ProgramTable::builtin().program_run(&words, FrameworkTable::builtin())
}

/// The paths among `candidates` that some command of `files` runs.
pub fn programs_run<'p>(files: &[FileFacts], candidates: &[&'p str]) -> BTreeSet<&'p str> {
    let index = PathIndex::new(candidates.iter().copied());
    let mut out = BTreeSet::new();
    for file in files {
        for command in &file.shell.commands {
            let Some(written) = program_written(command) else {
                continue;
            };
            if let Some(path) = index.resolve(file, command, &written) {
                out.insert(path);
            }
        }
    }
    out
}

/// Repository paths, for resolving what a command names: exactly from the directories the
/// command may run in, or, for a path inside a container (`/app/scripts/reset.js`), by its end.
pub struct PathIndex<'p> {
    paths: BTreeSet<&'p str>,
    /// File name → paths with that name.
    by_name: BTreeMap<&'p str, Vec<&'p str>>,
}

impl<'p> PathIndex<'p> {
    pub fn new(paths: impl Iterator<Item = &'p str>) -> Self {
        let mut index = PathIndex {
            paths: BTreeSet::new(),
            by_name: BTreeMap::new(),
        };
        for p in paths {
            index.paths.insert(p);
            let name = p.rsplit('/').next().unwrap_or(p);
            index.by_name.entry(name).or_default().push(p);
        }
        index
    }

    /// The path `written` names when `command` of `file` runs it.
    pub fn resolve(&self, file: &FileFacts, command: &Command, written: &str) -> Option<&'p str> {
        let written = written.trim_start_matches("./");
        if !written.starts_with('/') {
            for dir in cwd_candidates(file, command) {
                let joined = join_path(&dir, written);
                if let Some(p) = self.paths.get(joined.as_str()) {
                    return Some(p);
                }
            }
            if !matches!(command.cwd, Dir::Absolute(_) | Dir::Unknown) {
                return None;
            }
        }
        // Inside a container or somewhere else: the longest end of the path that is a
        // repository path (`/app/scripts/reset.js` → `scripts/reset.js`).
        let name = written.rsplit('/').next().unwrap_or(written);
        let same_name = self.by_name.get(name)?;
        let parts: Vec<&str> = written.split('/').filter(|p| !p.is_empty()).collect();
        (0..parts.len()).find_map(|skip| {
            let tail = parts[skip..].join("/");
            same_name.iter().copied().find(|p| **p == tail)
        })
    }
}
