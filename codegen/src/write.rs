//! Writing outputs: each file through a temporary file and a rename, so a reader never sees half
//! a file, and only when its bytes change, so unchanged outputs keep their timestamps.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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

/// Writes `files` under `dir`, creating directories as needed.
pub fn write_files(dir: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    for file in files {
        let path = dir.join(&file.path);
        if fs::read(&path).is_ok_and(|old| old == file.text.as_bytes()) {
            continue;
        }
        let parent = path.parent().unwrap_or(dir);
        fs::create_dir_all(parent).map_err(at(parent))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let temp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        fs::write(&temp, &file.text).map_err(at(&temp))?;
        fs::rename(&temp, &path).map_err(at(&path))?;
    }
    Ok(())
}

/// Makes `dir` hold exactly `files`: writes them, then removes every other file (and emptied
/// directory) under it. For directories that belong to the generator alone.
pub fn replace_tree(dir: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    write_files(dir, files)?;
    for path in existing_files(dir)? {
        if !files.iter().any(|f| f.path == path) {
            let full = dir.join(&path);
            fs::remove_file(&full).map_err(at(&full))?;
            let mut parent = full.parent();
            while let Some(p) = parent.filter(|p| *p != dir) {
                if fs::remove_dir(p).is_err() {
                    break;
                }
                parent = p.parent();
            }
        }
    }
    Ok(())
}

/// What differs between `dir` and `files`, one line each; empty when they match.
pub fn diff_tree(dir: &Path, files: &[OutputFile]) -> Result<Vec<String>, WriteError> {
    let mut differences = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        match fs::read(&path) {
            Ok(old) if old == file.text.as_bytes() => {}
            Ok(_) => differences.push(format!("{} is out of date", path.display())),
            Err(_) => differences.push(format!("{} is missing", path.display())),
        }
    }
    for path in existing_files(dir)? {
        if !files.iter().any(|f| f.path == path) {
            differences.push(format!(
                "{} is not generated from the spec",
                dir.join(path).display()
            ));
        }
    }
    Ok(differences)
}

/// Every file under `dir`, relative to it, sorted; none when `dir` does not exist.
fn existing_files(dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let full = dir.join(&relative);
        let entries = match fs::read_dir(&full) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(at(&full)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(at(&full))?;
            let path = relative.join(entry.file_name());
            if entry.file_type().map_err(at(&full))?.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
