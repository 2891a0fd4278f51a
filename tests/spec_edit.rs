//! The maintainer's loop: edit the spec, run `cargo build`, and the CLI follows — with no other
//! step. And a broken spec fails the build with the located error.
//!
//! Runs on a copy of the workspace with its own target directory (`target/spec-edit`, kept
//! between runs), so the real `target/debug/oint` is never touched.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies what a build needs: every top-level file and folder of the workspace but the build
/// output, the VCS and the fuzzer's own workspace — so a new member crate is never forgotten.
/// Symlinks are copied as symlinks (`generated/spec` → `../spec`).
fn copy_workspace(to: &Path) {
    for entry in fs::read_dir(root()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if [".git", "target", "fuzz"].iter().any(|skip| name == *skip) {
            continue;
        }
        let (source, target) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&source, &target);
        } else {
            fs::copy(&source, &target).unwrap();
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        // The docs site's packages and builds are not needed to build the crate.
        if ["node_modules", "build", ".docusaurus"]
            .iter()
            .any(|skip| entry.file_name() == *skip)
        {
            continue;
        }
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&source).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            copy_tree(&source, &target);
        } else {
            fs::copy(&source, &target).unwrap();
        }
    }
}

fn cargo_build(workspace: &Path, target_dir: &Path) -> Output {
    Command::new(env!("CARGO"))
        // A plain build at the root: its package turns on `oint`'s `regenerate`.
        .args(["build", "--quiet"])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .unwrap()
}

fn method_help(target_dir: &Path) -> String {
    let output = Command::new(target_dir.join("debug/oint"))
        .args(["bitrix24", "DeleteUserFromChat", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_spec_edit_shows_in_help_after_cargo_build_alone() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path();
    copy_workspace(workspace);
    let target_dir: PathBuf = root().join("target/spec-edit");

    let built = cargo_build(workspace, &target_dir);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(method_help(&target_dir).contains("ID of the user to remove [String, Number]"));

    let method = workspace.join("spec/bitrix24/methods/DeleteUserFromChat.yaml");
    edit(
        &method,
        "en: ID of the user to remove",
        "en: Whom to show the door",
    );
    edit(&method, "cli: --user", "cli: --member");
    let built = cargo_build(workspace, &target_dir);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let help = method_help(&target_dir);
    assert!(help.contains("--member <UserID>"), "{help}");
    assert!(
        help.contains("Whom to show the door [String, Number]"),
        "{help}"
    );
    assert!(!help.contains("--user"), "{help}");

    // A broken spec fails the build and says where.
    edit(&method, "cli: --member", "cli: --chat");
    let line = fs::read_to_string(&method)
        .unwrap()
        .lines()
        .position(|l| l == "    cli: --chat")
        .and_then(|first| {
            let text = fs::read_to_string(&method).unwrap();
            text.lines()
                .skip(first + 1)
                .position(|l| l == "    cli: --chat")
                .map(|second| first + 1 + second + 1)
        })
        .unwrap();
    let built = cargo_build(workspace, &target_dir);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(!built.status.success());
    let located = format!(
        "spec/bitrix24/methods/DeleteUserFromChat.yaml:{line}:5: params[1].cli: `--chat` is the option of `ChatID` already"
    );
    assert!(stderr.contains(&located), "want {located:?} in:\n{stderr}");
}
