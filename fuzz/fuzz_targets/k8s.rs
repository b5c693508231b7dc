//! Fuzz the k8s front-end: the input is scanned as a file named `k8s/db.yaml`, `chart/values.yaml`, `chart/templates/db.yaml` (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(
        &[
            "k8s/db.yaml",
            "chart/values.yaml",
            "chart/templates/db.yaml",
        ],
        data,
    );
});
