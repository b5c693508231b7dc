//! Fuzz the shell front-end: the input is scanned as a file named `x.sh`, `scripts/reset-db.bash` (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(&["x.sh", "scripts/reset-db.bash"], data);
});
