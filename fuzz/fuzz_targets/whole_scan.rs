//! Fuzz a whole scan: the input, split on NUL bytes, is up to 8 files of every kind written
//! beside a Compose file and a script holding a planted password; no panic, every JSON report
//! parses, and the password appears in no report.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::whole_scan(data);
});
