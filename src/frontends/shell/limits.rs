//! Limits on what one shell source may make the walker do: how deep expansions nest inside a
//! word, how long a variable's value may grow, how many bytes of known values a file may copy
//! into words. Past a limit the value is unknown, and one notice per limit says where.

use std::cell::Cell;

use super::Walker;

/// Expansions nested deeper than this inside one word (`${a:-${a:-…}}`) are not followed.
pub(super) const MAX_EXPANSION_DEPTH: usize = 64;

/// A variable whose value is longer than this is unknown from there on.
pub(super) const MAX_VALUE_LEN: usize = 64 * 1024;

/// Bytes of known values one file may copy into words; past it references stay unknown.
pub(super) const MAX_EXPANSION_BYTES: usize = 16 * 1024 * 1024;

/// Where a walk first ran into each of its limits (host offsets), for one notice each.
#[derive(Debug, Default)]
pub(super) struct Limits {
    pub(super) depth: Cell<Option<usize>>,
    pub(super) budget: Cell<Option<usize>>,
    pub(super) value: Cell<Option<usize>>,
}

impl Limits {
    pub(super) fn hit(&self, which: &Cell<Option<usize>>, at: usize) {
        if which.get().is_none() {
            which.set(Some(at));
        }
    }
}

impl Walker<'_> {
    /// One notice per limit the walk ran into.
    pub(super) fn report_limits(&mut self) {
        let messages = [
            (
                self.limits.depth.take(),
                format!(
                    "shell expansions nested deeper than {MAX_EXPANSION_DEPTH} levels were not followed"
                ),
            ),
            (
                self.limits.budget.take(),
                format!(
                    "variable expansion stopped after {} MiB; later references are read as unknown",
                    MAX_EXPANSION_BYTES >> 20
                ),
            ),
            (
                self.limits.value.take(),
                format!(
                    "a variable value over {} KiB is read as unknown",
                    MAX_VALUE_LEN >> 10
                ),
            ),
        ];
        for (at, message) in messages {
            if let Some(at) = at {
                self.out.problems.push((at, message));
            }
        }
    }
}
