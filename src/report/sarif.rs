//! SARIF 2.1.0 for GitHub code scanning.

use super::ReportOptions;
use crate::ScanOutcome;
use crate::rules::RuleMeta;

pub fn render(_outcome: &ScanOutcome, _meta: &[RuleMeta], _opts: &ReportOptions) -> Vec<u8> {
    Vec::new()
}

/// A warning when the report would exceed GitHub's upload limits.
pub fn limit_warning(_outcome: &ScanOutcome) -> Option<String> {
    None
}
