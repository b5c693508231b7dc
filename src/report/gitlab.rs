//! GitLab Code Quality JSON.

use super::ReportOptions;
use crate::ScanOutcome;
use crate::rules::RuleMeta;

pub fn render(_outcome: &ScanOutcome, _meta: &[RuleMeta], _opts: &ReportOptions) -> Vec<u8> {
    Vec::new()
}
