//! SQL facts: statements of `.sql` files and of SQL embedded in shell, with spans in the host file.
//! (The full model arrives with the sql pack.)

use super::FileFacts;

/// Everything the SQL layer knows about one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SqlFacts {}

/// Extract the statements of a `.sql` file.
pub fn extract_file(_facts: &mut FileFacts) {}

/// Extract the statements of SQL embedded in the file's shell (`facts.shell.embedded_sql`).
pub fn extract_embedded(_facts: &mut FileFacts) {}
