//! Fuzz the env/cron/systemd front-end: the input is scanned as a file named `.env`, `crontab`, `x.service` (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(&[".env", "crontab", "x.service"], data);
});
