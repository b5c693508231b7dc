//! Fuzz the powershell front-end: the input is scanned as a file named `x.ps1`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(&["x.ps1"], data);
});
