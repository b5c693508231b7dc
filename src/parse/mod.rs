//! Parsing: text → syntax trees. One thread-local parser per grammar, reset before each use.
//! Parse problems come back as data; this layer never decides what a tree means (that is `facts`).

pub mod shell;
pub mod yaml;

/// A problem found while parsing, reported as a notice (never an abort).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseProblem {
    pub message: String,
}
