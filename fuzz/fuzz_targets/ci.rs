//! Fuzz the ci front-end: the input is scanned as a file named `.github/workflows/ci.yml`, `.gitlab-ci.yml` (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(&[".github/workflows/ci.yml", ".gitlab-ci.yml"], data);
});
