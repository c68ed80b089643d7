//! The real binary at start: a database it cannot reach is one clear line and exit 1.

use std::process::{Command, Output};
use store::testing::TempDir;

/// Runs the server binary in `dir` with `env` (and no `DATABASE_URL` unless given), on
/// a port of its own, logs off; returns when it exits.
fn start_server(dir: &TempDir, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .current_dir(&dir.path)
        .env_remove("DATABASE_URL")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_OUTPUT_NAME", "tickerboard")
        .env("RUST_LOG", "off");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run the server binary")
}

#[test]
fn unreachable_database_is_one_line_naming_the_setting() {
    let dir = TempDir::new();
    let output = start_server(
        &dir,
        &[(
            "DATABASE_URL",
            "postgres://reader:hunter2-secret@127.0.0.1:1/prices",
        )],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<_> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("DATABASE_URL"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("hunter2"));
}

#[test]
fn a_wrong_settings_file_stops_the_server() {
    let dir = TempDir::new();
    std::fs::write(
        dir.path.join("Leptos.toml"),
        "[dashboard]\ndefault_symbl = \"IBM\"\n",
    )
    .unwrap();
    let output = start_server(&dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("default_symbl"), "{stderr}");
    assert!(
        !dir.path.join("tickerboard.db").exists(),
        "nothing created before the settings are valid"
    );
}
