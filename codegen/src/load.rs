//! Reading a spec directory: `<root>/<library>/library.yaml` and `<root>/<library>/methods/*.yaml`.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::SpecErrors;
use crate::spec::{LibrarySpec, MethodSpec};

/// A parsed spec file, with what error messages need to point into it.
#[derive(Debug)]
pub struct SpecFile<T> {
    /// The path as the caller named it, for error messages.
    pub path: PathBuf,
    /// The path from the spec root's parent, e.g. `spec/bitrix24/library.yaml`, for preambles.
    pub source: String,
    pub text: String,
    pub doc: T,
}

#[derive(Debug)]
pub struct LibraryFiles {
    pub library: SpecFile<LibrarySpec>,
    /// Sorted by file name.
    pub methods: Vec<SpecFile<MethodSpec>>,
}

/// Reads and parses every library under `root`, sorted by directory name.
pub fn load(root: &Path) -> Result<Vec<LibraryFiles>, SpecErrors> {
    let root_name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "spec".to_owned());
    let mut libraries = Vec::new();
    for dir in sorted_entries(root)? {
        if !dir.is_dir() {
            continue;
        }
        let dir_name = file_name(&dir);
        let library_path = dir.join("library.yaml");
        if !library_path.is_file() {
            return Err(SpecErrors::one(
                &dir,
                "",
                "a library directory needs a library.yaml",
            ));
        }
        let library = parse(
            &library_path,
            format!("{root_name}/{dir_name}/library.yaml"),
        )?;
        let methods_dir = dir.join("methods");
        let mut methods = Vec::new();
        if methods_dir.is_dir() {
            for path in sorted_entries(&methods_dir)? {
                if path.extension().is_some_and(|e| e == "yaml") {
                    let source = format!("{root_name}/{dir_name}/methods/{}", file_name(&path));
                    methods.push(parse(&path, source)?);
                }
            }
        }
        libraries.push(LibraryFiles { library, methods });
    }
    if libraries.is_empty() {
        return Err(SpecErrors::one(
            root,
            "",
            "no library found: expected <library>/library.yaml",
        ));
    }
    Ok(libraries)
}

fn parse<T: DeserializeOwned>(path: &Path, source: String) -> Result<SpecFile<T>, SpecErrors> {
    let text = fs::read_to_string(path)
        .map_err(|e| SpecErrors::one(path, "", format!("cannot read: {e}")))?;
    let doc = serde_yaml::from_str(&text).map_err(|e| SpecErrors::from_yaml(path, &e))?;
    Ok(SpecFile {
        path: path.to_owned(),
        source,
        text,
        doc,
    })
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, SpecErrors> {
    let read = fs::read_dir(dir)
        .map_err(|e| SpecErrors::one(dir, "", format!("cannot read the directory: {e}")))?;
    let mut paths = read
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SpecErrors::one(dir, "", format!("cannot read the directory: {e}")))?;
    paths.sort();
    Ok(paths)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
