//! Fuzz the programs front-end: the input is scanned as a standalone program named `scripts/x.js`, `scripts/x.ts`, `scripts/x.py`, `bin/x.rb`, `scripts/x.php` or `bin/x` (a shebang decides) (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(
        &[
            "scripts/x.js",
            "scripts/x.ts",
            "scripts/x.py",
            "bin/x.rb",
            "scripts/x.php",
            "bin/x",
        ],
        data,
    );
});
