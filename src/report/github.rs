//! GitHub Actions workflow commands (`::error file=…`).

use super::ReportOptions;
use crate::ScanOutcome;

pub fn render(_outcome: &ScanOutcome, _opts: &ReportOptions) -> String {
    String::new()
}
