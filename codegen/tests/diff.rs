//! `oint-codegen diff` on real edits of the repository's spec: each edit made to a copy, the
//! binary run on the old and the new copy, its report and its exit code checked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A copy of the repository's spec in a directory of its own.
fn copy_of_spec() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(&repository().join("spec"), &dir.path().join("spec"));
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Replaces `old` by `new` in a method's file (once, and it must be there).
fn edit(spec: &Path, file: &str, old: &str, new: &str) {
    let path = spec.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(old), "{file} has no {old:?}");
    std::fs::write(&path, text.replacen(old, new, 1)).unwrap();
}

fn diff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oint-codegen"))
        .arg("diff")
        .args(args)
        .current_dir(repository())
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn run(old: &Path, new: &Path, extra: &[&str]) -> Output {
    let mut args = vec![old.to_str().unwrap(), new.to_str().unwrap()];
    args.extend(extra);
    diff(&args)
}

#[test]
fn the_same_spec_changes_nothing() {
    let spec = repository().join("spec");
    let output = run(&spec, &spec, &[]);
    assert!(output.status.success());
    assert_eq!(
        text(&output),
        "No change for Rust users, CLI users or docs readers.\nSemver: no release needed\n"
    );
    let output = run(&spec, &spec, &["--json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report,
        serde_json::json!({"bump": "none", "breaking": 0, "changes": []})
    );
}

#[test]
fn a_removed_method_breaks_every_audience() {
    let (old, new) = (copy_of_spec(), copy_of_spec());
    let new_spec = new.path().join("spec");
    std::fs::remove_file(new_spec.join("telegram/methods/DeleteMessage.yaml")).unwrap();
    let output = run(&old.path().join("spec"), &new_spec, &["--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["bump"], "major");
    assert_eq!(
        report["changes"],
        serde_json::json!([
            {"audience": "rust", "subject": "oint::telegram::Client::delete_message", "what": "removed", "breaking": true, "adds": false},
            {"audience": "cli", "subject": "oint telegram DeleteMessage", "what": "removed", "breaking": true, "adds": false},
            {"audience": "docs", "subject": "telegram/data-sending/delete-message.md", "what": "page removed", "breaking": true, "adds": false},
        ])
    );
    // Meant: the report is the same, and the exit is 0.
    let allowed = run(
        &old.path().join("spec"),
        &new_spec,
        &["--json", "--allow-breaking"],
    );
    assert!(allowed.status.success());
    assert_eq!(allowed.stdout, output.stdout);
}

#[test]
fn each_edit_is_told_to_whom_it_matters() {
    // (what is edited, the lines the report must hold, whether it breaks)
    type Edit = (&'static str, &'static str, &'static str, &'static str);
    let cases: [(Edit, &[&str], bool); 5] = [
        (
            // An option renamed: the CLI breaks, the Rust function is the same.
            (
                "telegram/methods/SendContact.yaml",
                "cli: --surname",
                "cli: --lastname",
                "",
            ),
            &[
                "CLI users:\n  [breaking] oint telegram SendContact: option --surname renamed to --lastname\n",
            ],
            true,
        ),
        (
            // An optional parameter at the end: a new argument in Rust, a new option.
            (
                "telegram/methods/GetParticipantCount.yaml",
                "ChatID: \"-1001893407333\"\n",
                "ChatID: \"-1001893407333\"\n    Fresh: true\n",
                "",
            ),
            &[
                "  [breaking] oint::telegram::Client::get_participant_count: parameter `fresh` added\n",
                "  [ok] oint telegram GetParticipantCount: option --fresh added\n",
            ],
            true,
        ),
        (
            // A parameter of another type.
            (
                "telegram/methods/GetUpdates.yaml",
                "    types: [Number]\n    field: offset",
                "    types: [String, Number]\n    field: offset",
                "",
            ),
            &[
                "[breaking] oint::telegram::Client::get_updates: parameter `offset` retyped: `Option<i64>` → `Option<Id>`\n",
                "[breaking] oint telegram GetUpdates: option --offset takes another type of value\n",
            ],
            true,
        ),
        (
            // Only the words of a page.
            (
                "telegram/methods/DeleteWebhook.yaml",
                "Stops posting updates",
                "Stops sending updates",
                "",
            ),
            &[
                "docs readers:\n  [ok] telegram/data-retrieval-and-settings/delete-webhook.md: page text changed\n",
                "Semver: a patch release\n",
            ],
            false,
        ),
        (
            // A method renamed, the same REST method behind it: a rename, not a removal.
            (
                "telegram/methods/Ban.yaml",
                "name: Ban\n",
                "name: BanUser\n",
                "telegram/methods/BanUser.yaml",
            ),
            &[
                "  [breaking] oint::telegram::Client::ban: renamed to oint::telegram::Client::ban_user\n",
                "  [breaking] oint telegram Ban: renamed to oint telegram BanUser\n",
                "  [breaking] telegram/administration/ban.md: page moved to telegram/administration/ban-user.md\n",
            ],
            true,
        ),
    ];
    let old = copy_of_spec();
    for ((file, from, to, rename), expected, breaking) in cases {
        let new = copy_of_spec();
        let spec = new.path().join("spec");
        edit(&spec, file, from, to);
        if to.contains("Fresh") {
            // The parameter the example above gives a value.
            edit(
                &spec,
                file,
                "    field: chat_id\n",
                "    field: chat_id\n    description: {en: The chat, ru: Чат}\n  - name: Fresh\n    cli: --fresh\n    types: [Boolean]\n    field: fresh\n    required: false\n",
            );
        }
        if !rename.is_empty() {
            std::fs::rename(spec.join(file), spec.join(rename)).unwrap();
        }
        let output = run(&old.path().join("spec"), &spec, &[]);
        let report = text(&output);
        for line in expected {
            assert!(
                report.contains(line),
                "{file}: {line:?} not in\n{report}{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert_eq!(
            output.status.code(),
            Some(if breaking { 1 } else { 0 }),
            "{report}"
        );
        if breaking {
            assert!(
                report.ends_with("Semver: a major release (0.x: a minor one)\n"),
                "{report}"
            );
        }
    }
}

#[test]
fn a_git_revision_is_read_as_its_spec() {
    // The committed spec against the working tree's: the same unless someone is editing it.
    let output = diff(&["HEAD", "spec", "--allow-breaking"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text(&output).contains("Semver: "), "{}", text(&output));
    let output = diff(&["no-such-revision-or-dir", "spec"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("`no-such-revision-or-dir` is neither a directory nor a git revision")
    );
}
