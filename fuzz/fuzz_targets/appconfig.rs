//! Fuzz the appconfig front-end: the input is scanned as a file named `config/database.yml`, `src/main/resources/application.properties`, `appsettings.json` (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(
        &[
            "config/database.yml",
            "src/main/resources/application.properties",
            "appsettings.json",
        ],
        data,
    );
});
