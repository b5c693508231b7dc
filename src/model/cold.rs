//! [`Cold`]: a group of facts most files never have (shell commands, SQL statements,
//! infrastructure), kept behind a pointer that is empty until something is written, so that the
//! facts of a file holding none of them cost one word each (memory stays flat as a repository
//! grows to 100,000 files).

use std::fmt;
use std::ops::{Deref, DerefMut};

/// A fact group with an empty value that lives for the whole program.
pub trait Empty: 'static {
    fn empty() -> &'static Self;
}

/// A fact group that reads as its empty value until written; [`Cold::release_if_empty`] gives
/// the allocation back when nothing was kept.
pub struct Cold<T>(Option<Box<T>>);

impl<T> Default for Cold<T> {
    fn default() -> Self {
        Cold(None)
    }
}

impl<T: Empty> Deref for Cold<T> {
    type Target = T;

    fn deref(&self) -> &T {
        match &self.0 {
            Some(group) => group,
            None => T::empty(),
        }
    }
}

impl<T: Empty + Default> DerefMut for Cold<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Empty + PartialEq> Cold<T> {
    /// Drop the group's allocation when it holds nothing (after extraction).
    pub fn release_if_empty(&mut self) {
        if self.0.as_deref().is_some_and(|t| t == T::empty()) {
            self.0 = None;
        }
    }
}

impl<T: Clone> Clone for Cold<T> {
    fn clone(&self) -> Self {
        Cold(self.0.clone())
    }
}

impl<T: Empty + PartialEq> PartialEq for Cold<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Empty + fmt::Debug> fmt::Debug for Cold<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Empty + serde::Serialize> serde::Serialize for Cold<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<T> From<T> for Cold<T> {
    fn from(value: T) -> Self {
        Cold(Some(Box::new(value)))
    }
}
