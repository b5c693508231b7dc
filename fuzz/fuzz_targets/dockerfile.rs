//! Fuzz the dockerfile front-end: the input is scanned as a file named `Dockerfile`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(&["Dockerfile"], data);
});
