//! Injections: text of one language inside another (SQL handed to `psql` by a shell script, and
//! later SQL in a Rails `execute`), with the offset map that takes every position in the inner
//! text back to the host file, so a finding in the inner text points at the right host line.

use crate::source::OffsetMap;

/// SQL text handed to a database client (`psql <<EOF`, `psql -c "…"`, `mysql -e`, `echo … | psql`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EmbeddedSql {
    /// The SQL as the client receives it; shell expansions appear as written (`$DB_NAME`).
    pub text: String,
    /// Offsets into `text` → host-file offsets.
    #[serde(skip)]
    pub map: OffsetMap,
    /// The client program (`psql`, `mysql`, `sqlite3`, …).
    pub client: String,
    /// Index into [`ShellFacts::commands`] of the command that runs it.
    pub command: usize,
}
