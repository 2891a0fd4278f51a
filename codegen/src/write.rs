//! Writing outputs where the generator owns them, and nowhere else.
//!
//! - A tree of outputs (the docs pages) carries a manifest, [`MANIFEST`]: the files the
//!   generator wrote there last time. A run removes only those it no longer makes; any other
//!   file (a reader's own) stays.
//! - A directory that holds a `Cargo.toml`, a `.git` or the spec itself is refused as an output
//!   tree: `--out .` in a repository must not touch it.
//! - Every new file is written to a temporary file first; only when all of them are written are
//!   they renamed into place. A run that fails while writing leaves the previous tree as it was,
//!   and no temporary file behind.
//! - A file is rewritten only when its bytes change, so unchanged outputs keep their timestamps.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The manifest of a generated tree: one relative path per line, after a comment line.
pub const MANIFEST: &str = ".oint-generated";

/// A file under some output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output directory.
    pub path: PathBuf,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError {
        path: path.to_owned(),
        source,
    }
}

fn refused(path: &Path, why: String) -> WriteError {
    WriteError {
        path: path.to_owned(),
        source: io::Error::new(io::ErrorKind::InvalidInput, why),
    }
}

/// Writes `files` under `dir`, creating directories as needed: all to temporary files first,
/// then into place.
pub fn write_files(dir: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = stage(dir, files, &mut staged);
    if let Err(error) = result {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(error);
    }
    for (i, (temp, path)) in staged.iter().enumerate() {
        if let Err(error) = fs::rename(temp, path) {
            for (temp, _) in &staged[i..] {
                let _ = fs::remove_file(temp);
            }
            return Err(at(path)(error));
        }
    }
    Ok(())
}

/// Writes each changed file to a temporary file beside its place; records (temporary, place).
fn stage(
    dir: &Path,
    files: &[OutputFile],
    staged: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<(), WriteError> {
    for (n, file) in files.iter().enumerate() {
        let path = dir.join(&file.path);
        if fs::read(&path).is_ok_and(|old| old == file.text.as_bytes()) {
            continue;
        }
        if path.is_dir() {
            return Err(refused(&path, "a directory is where the file goes".into()));
        }
        let parent = path.parent().unwrap_or(dir);
        fs::create_dir_all(parent).map_err(at(parent))?;
        // Short, whatever the file's name: a long name must not make the temporary one too long.
        let temp = parent.join(format!(".oint-{}-{n}.tmp", std::process::id()));
        staged.push((temp.clone(), path));
        fs::write(&temp, &file.text).map_err(at(&temp))?;
    }
    Ok(())
}

/// Refuses `dir` as an output tree when it holds what the generator must never touch: a
/// `Cargo.toml`, a `.git`, or the spec (`spec_root`) itself.
pub fn check_output_tree(dir: &Path, spec_root: &Path) -> Result<(), WriteError> {
    for name in ["Cargo.toml", ".git"] {
        if dir.join(name).exists() {
            return Err(refused(
                dir,
                format!("holds a {name}: the generated tree needs a directory of its own"),
            ));
        }
    }
    let (Ok(dir_full), Ok(spec_full)) = (dir.canonicalize(), spec_root.canonicalize()) else {
        return Ok(());
    };
    if spec_full.starts_with(&dir_full) || dir_full.starts_with(&spec_full) {
        return Err(refused(
            dir,
            format!(
                "holds the spec ({}) or is inside it: the generated tree needs a directory of its own",
                spec_root.display()
            ),
        ));
    }
    Ok(())
}

/// Makes `dir` hold `files` and its manifest, and no longer hold the files the generator wrote
/// there before and makes no more. Other files stay.
pub fn replace_tree(dir: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let before = manifest(dir)?;
    let mut with_manifest = files.to_vec();
    with_manifest.push(OutputFile {
        path: PathBuf::from(MANIFEST),
        text: manifest_text(files),
    });
    write_files(dir, &with_manifest)?;
    let now: BTreeSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    for path in before.iter().filter(|p| !now.contains(p.as_path())) {
        let full = dir.join(path);
        match fs::remove_file(&full) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(at(&full)(e)),
        }
        let mut parent = full.parent();
        while let Some(p) = parent.filter(|p| *p != dir) {
            if fs::remove_dir(p).is_err() {
                break;
            }
            parent = p.parent();
        }
    }
    Ok(())
}

/// A manifest lists paths, one per line: far below this for any spec.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

fn manifest_text(files: &[OutputFile]) -> String {
    let mut text = String::from(
        "# Written by oint-codegen: the files it generated here, which it may replace or remove.\n",
    );
    let mut paths: Vec<String> = files
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .collect();
    paths.sort();
    for path in paths {
        text.push_str(&path);
        text.push('\n');
    }
    text
}

/// The files the manifest of `dir` lists; none without one. A listed path that would leave the
/// tree is not believed.
fn manifest(dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let path = dir.join(MANIFEST);
    let metadata = match fs::symlink_metadata(&path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(at(&path)(e)),
    };
    if !metadata.is_file() || metadata.len() > MAX_MANIFEST_BYTES {
        return Err(refused(
            &path,
            format!(
                "is not a manifest oint-codegen wrote (a regular file of at most {MAX_MANIFEST_BYTES} bytes)"
            ),
        ));
    }
    let text = fs::read_to_string(&path).map_err(at(&path))?;
    Ok(text
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(PathBuf::from)
        .filter(|p| {
            p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
        })
        .collect())
}

/// What differs between `dir` and `files`, one line each; empty when they match. A file the
/// manifest lists that is no longer generated counts; a reader's own file does not.
pub fn diff_tree(dir: &Path, files: &[OutputFile]) -> Result<Vec<String>, WriteError> {
    let mut differences = Vec::new();
    let mut with_manifest = files.to_vec();
    with_manifest.push(OutputFile {
        path: PathBuf::from(MANIFEST),
        text: manifest_text(files),
    });
    for file in &with_manifest {
        let path = dir.join(&file.path);
        match fs::read(&path) {
            Ok(old) if old == file.text.as_bytes() => {}
            Ok(_) => differences.push(format!("{} is out of date", path.display())),
            Err(_) => differences.push(format!("{} is missing", path.display())),
        }
    }
    let now: BTreeSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    for path in manifest(dir)? {
        if !now.contains(path.as_path()) && dir.join(&path).exists() {
            differences.push(format!(
                "{} is not generated from the spec any more",
                dir.join(path).display()
            ));
        }
    }
    Ok(differences)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            text: text.to_owned(),
        }
    }

    #[test]
    fn removes_only_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        replace_tree(dir.path(), &[file("a/one.md", "1"), file("a/two.md", "2")]).unwrap();
        fs::write(dir.path().join("a/mine.md"), "a reader's own").unwrap();
        replace_tree(dir.path(), &[file("a/one.md", "1!")]).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("a/one.md")).unwrap(),
            "1!"
        );
        assert!(!dir.path().join("a/two.md").exists());
        assert!(dir.path().join("a/mine.md").exists());
        assert!(
            diff_tree(dir.path(), &[file("a/one.md", "1!")])
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_failed_run_leaves_the_tree_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        replace_tree(dir.path(), &[file("a.md", "old"), file("b.md", "old")]).unwrap();
        // A directory where the new run wants a file: its write fails.
        fs::create_dir_all(dir.path().join("c.md")).unwrap();
        let error = replace_tree(
            dir.path(),
            &[
                file("a.md", "new"),
                file("b.md", "new"),
                file("c.md", "new"),
            ],
        );
        assert!(error.is_err());
        assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), "old");
        assert_eq!(fs::read_to_string(dir.path().join("b.md")).unwrap(), "old");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn refuses_a_repository_or_the_spec() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec");
        fs::create_dir_all(&spec).unwrap();
        assert!(
            check_output_tree(dir.path(), &spec).is_err(),
            "holds the spec"
        );
        assert!(check_output_tree(&spec, &spec).is_err(), "is the spec");
        let out = dir.path().join("docs");
        fs::create_dir_all(&out).unwrap();
        assert!(check_output_tree(&out, &spec).is_ok());
        fs::write(out.join("Cargo.toml"), "").unwrap();
        assert!(check_output_tree(&out, &spec).is_err(), "a crate");
    }

    #[test]
    fn a_long_file_name_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("{}.md", "x".repeat(250));
        write_files(dir.path(), &[file(&name, "long")]).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join(name)).unwrap(), "long");
    }
}
