//! Fuzz the migrations front-end: the input is scanned as a file named `db/migrate/20240101000000_x.rb`, `alembic/versions/x.py`, `app/migrations/0001_initial.py`, `migrations/20240101_x.js`, `src/migrations/1700000000000-X.ts`, `database/migrations/2024_01_01_000000_x.php`, `priv/repo/migrations/20240101_x.exs`, `Migrations/20240101_X.cs` (the first byte picks the name).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dataloss_scan_fuzz::scan_as(
        &[
            "db/migrate/20240101000000_x.rb",
            "alembic/versions/x.py",
            "app/migrations/0001_initial.py",
            "migrations/20240101_x.js",
            "src/migrations/1700000000000-X.ts",
            "database/migrations/2024_01_01_000000_x.php",
            "priv/repo/migrations/20240101_x.exs",
            "Migrations/20240101_X.cs",
        ],
        data,
    );
});
