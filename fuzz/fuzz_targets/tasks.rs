//! Fuzz the tasks front-end: the input is scanned as a file named `Makefile`, `justfile`, `Taskfile.yml` (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(&["Makefile", "justfile", "Taskfile.yml"], data);
});
