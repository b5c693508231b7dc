//! Fuzz the sql front-end: the input is scanned as a file named `m.sql`, `db/migrations/0001_init.sql` (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(&["m.sql", "db/migrations/0001_init.sql"], data);
});
