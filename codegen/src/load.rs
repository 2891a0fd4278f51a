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
        if !methods_dir.is_dir() {
            return Err(SpecErrors::one(
                &methods_dir,
                "",
                "a library directory needs a methods/ directory of <Name>.yaml files",
            ));
        }
        // The files before the first that is not a method file, if any.
        let mut stray = None;
        for path in sorted_entries(&methods_dir)? {
            let name = file_name(&path);
            // Editors' and systems' hidden files are no one's methods.
            if name.starts_with('.') {
                continue;
            }
            if path.extension().is_none_or(|e| e != "yaml") {
                stray = Some(SpecErrors::one(
                    &path,
                    "",
                    "methods/ holds method files only, each named <Name>.yaml (a .yml, .YAML or other file is not read)",
                ));
                break;
            }
            let source = format!("{root_name}/{dir_name}/methods/{name}");
            methods.push((path, source));
        }
        // The files parsed on two threads; the first error in file order is the one told (a
        // file before the stray one, or else the stray one).
        let methods = crate::parallel::map(&methods, |(path, source)| parse(path, source.clone()))
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(stray) = stray {
            return Err(stray);
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

/// The largest spec file read: far above any method's, far below what would hurt.
pub const MAX_SPEC_FILE_BYTES: u64 = 1024 * 1024;

/// Parses one library given as texts instead of files, as if it were `spec/<name>/`: for tools
/// and the fuzzer, which check spec text without a directory.
pub fn load_texts(
    name: &str,
    library: &str,
    methods: &[(&str, &str)],
) -> Result<Vec<LibraryFiles>, SpecErrors> {
    let dir = Path::new("spec").join(name);
    let library = parse_text(
        &dir.join("library.yaml"),
        format!("spec/{name}/library.yaml"),
        library.to_owned(),
    )?;
    let methods = methods
        .iter()
        .map(|(file, text)| {
            parse_text(
                &dir.join("methods").join(file),
                format!("spec/{name}/methods/{file}"),
                (*text).to_owned(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(vec![LibraryFiles { library, methods }])
}

fn parse<T: DeserializeOwned>(path: &Path, source: String) -> Result<SpecFile<T>, SpecErrors> {
    parse_text(path, source, read_text(path)?)
}

fn parse_text<T: DeserializeOwned>(
    path: &Path,
    source: String,
    text: String,
) -> Result<SpecFile<T>, SpecErrors> {
    // A byte-order mark would hide the first key; it is not YAML's business.
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    refuse_tags(path, &text)?;
    let doc = serde_yaml::from_str(&text).map_err(|e| SpecErrors::from_yaml(path, &e))?;
    Ok(SpecFile {
        path: path.to_owned(),
        source,
        text,
        doc,
    })
}

/// A spec file's text: a regular file (a FIFO or a device would block or never end) of at most
/// [`MAX_SPEC_FILE_BYTES`].
fn read_text(path: &Path) -> Result<String, SpecErrors> {
    let cannot = |e: &dyn std::fmt::Display| SpecErrors::one(path, "", format!("cannot read: {e}"));
    let metadata = fs::metadata(path).map_err(|e| cannot(&e))?;
    if !metadata.is_file() {
        return Err(SpecErrors::one(
            path,
            "",
            "is not a regular file: a spec file is a plain file",
        ));
    }
    if metadata.len() > MAX_SPEC_FILE_BYTES {
        return Err(SpecErrors::one(
            path,
            "",
            format!(
                "is {} bytes: a spec file is at most {MAX_SPEC_FILE_BYTES}",
                metadata.len()
            ),
        ));
    }
    let file = fs::File::open(path).map_err(|e| cannot(&e))?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_SPEC_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > MAX_SPEC_FILE_BYTES {
        return Err(SpecErrors::one(
            path,
            "",
            "grew past the size a spec file may have",
        ));
    }
    String::from_utf8(bytes).map_err(|e| cannot(&e))
}

/// Refuses a YAML tag (`!foo`) anywhere: the spec has none, and serde would ignore it.
fn refuse_tags(path: &Path, text: &str) -> Result<(), SpecErrors> {
    // A tag is written with `!`: a file without one has none, and is not parsed twice.
    if !text.contains('!') {
        return Ok(());
    }
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        // The typed parse reports it, with its place.
        return Ok(());
    };
    let mut found = None;
    find_tag(&value, "", &mut found);
    match found {
        Some((at, tag)) => Err(SpecErrors::one(
            path,
            &at,
            format!("the YAML tag `{tag}` is not part of the spec format: remove it"),
        )),
        None => Ok(()),
    }
}

fn find_tag(value: &serde_yaml::Value, at: &str, found: &mut Option<(String, String)>) {
    if found.is_some() {
        return;
    }
    match value {
        serde_yaml::Value::Tagged(tagged) => {
            *found = Some((at.to_owned(), tagged.tag.to_string()));
        }
        serde_yaml::Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                find_tag(item, &format!("{at}[{i}]"), found);
            }
        }
        serde_yaml::Value::Mapping(map) => {
            for (key, item) in map {
                let key = key.as_str().unwrap_or("?");
                let inner = if at.is_empty() {
                    key.to_owned()
                } else {
                    format!("{at}.{key}")
                };
                find_tag(item, &inner, found);
            }
        }
        _ => {}
    }
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
