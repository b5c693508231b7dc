//! Baselines: the fingerprints of an earlier report (SARIF or JSON), so a scan reports only what
//! is new. Matching uses the scanner's own fingerprint, which survives line shifts.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::report::sarif::SARIF_KEY;

/// Read the fingerprints of a SARIF or JSON report written by this scanner.
pub fn load(path: &Path) -> Result<BTreeSet<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
    let doc: Value = serde_json::from_str(&text)
        .map_err(|e| format!("baseline {} is not JSON: {e}", path.display()))?;
    let mut out = BTreeSet::new();
    if let Some(runs) = doc.get("runs").and_then(Value::as_array) {
        for run in runs {
            for result in run
                .get("results")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(fp) = result
                    .pointer(&format!(
                        "/partialFingerprints/{}",
                        SARIF_KEY.replace('/', "~1")
                    ))
                    .and_then(Value::as_str)
                {
                    out.insert(fp.to_string());
                }
            }
        }
    } else if let Some(findings) = doc.get("findings").and_then(Value::as_array) {
        for f in findings {
            if let Some(fp) = f.get("fingerprint").and_then(Value::as_str) {
                out.insert(fp.to_string());
            }
        }
    } else {
        return Err(format!(
            "baseline {} is neither a SARIF nor a dataloss-scan JSON report",
            path.display()
        ));
    }
    Ok(out)
}
