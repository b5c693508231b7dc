//! Fuzz the compose front-end: the input is scanned as a file named `docker-compose.yml`, `compose.yaml` (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(&["docker-compose.yml", "compose.yaml"], data);
});
