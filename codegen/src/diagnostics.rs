//! Errors that point at the input: a file, a line and column where they can be found, and the
//! path of the value inside the document.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line and column, when known.
    pub location: Option<(usize, usize)>,
    /// Path of the value inside the document, e.g. `params[1].cli`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.location {
            write!(f, ":{line}:{column}")?;
        }
        if self.path.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.path, self.message)
        }
    }
}

/// Everything wrong with a spec, in file order. Generation stops at the first file that has any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<Diagnostic>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

impl SpecErrors {
    pub fn one(file: &Path, path: &str, message: impl Into<String>) -> Self {
        SpecErrors(vec![Diagnostic {
            file: file.to_owned(),
            location: None,
            path: path.to_owned(),
            message: message.into(),
        }])
    }

    /// Turns a serde_yaml error into a diagnostic with its line, column and path.
    pub fn from_yaml(file: &Path, error: &serde_yaml::Error) -> Self {
        let location = error.location().map(|l| (l.line(), l.column()));
        let mut message = error.to_string();
        if let Some((line, column)) = location {
            let suffix = format!(" at line {line} column {column}");
            if let Some(stripped) = message.strip_suffix(&suffix) {
                message = stripped.to_owned();
            }
        }
        // serde_yaml writes `path: message`; keep the path in its own field.
        let (path, message) = match message.split_once(": ") {
            Some((path, rest)) if is_document_path(path) => (path.to_owned(), rest.to_owned()),
            _ => (String::new(), message),
        };
        SpecErrors(vec![Diagnostic {
            file: file.to_owned(),
            location,
            path,
            message,
        }])
    }
}

fn is_document_path(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'))
}

/// A step of a path inside a YAML document.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Renders a path the way serde_yaml does: `params[1].cli`.
pub fn path_text(steps: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Finds the 1-based line and column of the value at `steps` in block-style YAML, the style the
/// spec files are written in. Returns `None` for anything it does not recognise; the message
/// then carries the path alone.
pub fn locate(text: &str, steps: &[Step<'_>]) -> Option<(usize, usize)> {
    Locator::new(text).locate(steps)
}

/// Locates many paths in one text: each block of the document is indexed once, the first time
/// a path passes through it, so a file with thousands of errors costs no more than its size
/// times its depth.
pub struct Locator<'t> {
    lines: Vec<&'t str>,
    /// Blocks by (first line, end line, entry column when known).
    blocks: HashMap<(usize, usize, Option<usize>), Block<'t>>,
    /// Lines read while indexing, for the test that keeps locating linear.
    scanned: usize,
}

/// The entries of one block: its keys and its items, each with where it starts and ends.
#[derive(Default)]
struct Block<'t> {
    keys: HashMap<&'t str, Entry>,
    items: Vec<Entry>,
}

#[derive(Clone, Copy)]
struct Entry {
    line: usize,
    column: usize,
    /// The line after the entry's last.
    end: usize,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        Locator {
            lines: text.lines().collect(),
            blocks: HashMap::new(),
            scanned: 0,
        }
    }

    pub fn locate(&mut self, steps: &[Step<'_>]) -> Option<(usize, usize)> {
        // The block being searched: lines [start, end), whose entries sit at column `indent`
        // (0-based), or at the column of its first entry when `indent` is not known.
        let (mut start, mut end, mut indent) = (0, self.lines.len(), None::<usize>);
        let mut found = None;
        for step in steps {
            let key = (start, end, indent);
            if !self.blocks.contains_key(&key) {
                let block = self.index(start, end, indent);
                self.blocks.insert(key, block);
            }
            let block = &self.blocks[&key];
            let entry = match step {
                Step::Key(name) => block.keys.get(name).copied(),
                Step::Index(index) => block.items.get(*index).copied(),
            }?;
            found = Some((entry.line + 1, entry.column + 1));
            match step {
                Step::Index(_) => {
                    // The item's keys start after `- `, on the same line.
                    start = entry.line;
                    indent = Some(entry.column + 2);
                }
                Step::Key(_) => {
                    start = entry.line + 1;
                    indent = None;
                }
            }
            end = entry.end;
        }
        found
    }

    fn index(&mut self, start: usize, end: usize, indent: Option<usize>) -> Block<'t> {
        let mut block = Block::default();
        let level = match indent {
            Some(level) => level,
            None => match first_entry_column(&self.lines[start..end]) {
                Some(level) => level,
                None => return block,
            },
        };
        let mut entries = Vec::new();
        for i in start..end {
            self.scanned += 1;
            let line = self.lines[i];
            let Some(column) = entry_column(line, i == start, level) else {
                continue;
            };
            if column < level {
                break;
            }
            if column == level {
                entries.push((i, column));
            }
        }
        for (n, &(line_index, column)) in entries.iter().enumerate() {
            // An entry ends where a line at its column or left of it begins: at the latest,
            // where the next entry begins, so no line is scanned twice.
            let limit = entries.get(n + 1).map_or(end, |&(next, _)| next + 1);
            let entry_end = (line_index + 1..limit)
                .find(|&i| {
                    self.scanned += 1;
                    let line = self.lines[i];
                    let trimmed = line.trim_start();
                    !trimmed.is_empty()
                        && !trimmed.starts_with('#')
                        && line.len() - trimmed.len() <= column
                })
                .unwrap_or(end);
            let entry = Entry {
                line: line_index,
                column,
                end: entry_end,
            };
            let rest = &self.lines[line_index][column..];
            if rest.starts_with("- ") || rest == "-" {
                block.items.push(entry);
            } else if let Some((name, _)) = rest.split_once(':') {
                block.keys.entry(name).or_insert(entry);
            }
        }
        block
    }
}

/// The column where an entry starts on `line`, treating the part after `- ` on the first line
/// of an item as starting at that column.
fn entry_column(line: &str, first: bool, level: usize) -> Option<usize> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let column = line.len() - trimmed.len();
    if first && column < level && line.len() > level {
        // `- key: value`: the entry of the item begins after the dash.
        return Some(level);
    }
    Some(column)
}

fn first_entry_column(lines: &[&str]) -> Option<usize> {
    lines.iter().find_map(|line| {
        let trimmed = line.trim_start();
        (!trimmed.is_empty() && !trimmed.starts_with('#')).then(|| line.len() - trimmed.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "name: A\nparams:\n  - name: ChatID\n    cli: --chat\n  - name: UserID\n    cli: --user\nexample:\n  args:\n    ChatID: 1\n";

    #[test]
    fn locates_keys_and_items() {
        assert_eq!(locate(DOC, &[Step::Key("name")]), Some((1, 1)));
        assert_eq!(
            locate(DOC, &[Step::Key("params"), Step::Index(1)]),
            Some((5, 3))
        );
        assert_eq!(
            locate(
                DOC,
                &[Step::Key("params"), Step::Index(1), Step::Key("cli")]
            ),
            Some((6, 5))
        );
        assert_eq!(
            locate(
                DOC,
                &[Step::Key("params"), Step::Index(0), Step::Key("name")]
            ),
            Some((3, 5))
        );
        assert_eq!(
            locate(
                DOC,
                &[Step::Key("example"), Step::Key("args"), Step::Key("ChatID")]
            ),
            Some((9, 5))
        );
        assert_eq!(locate(DOC, &[Step::Key("missing")]), None);
        assert_eq!(locate(DOC, &[Step::Key("params"), Step::Index(2)]), None);
    }

    /// Thousands of errors in one file: each line is read a bounded number of times, not once
    /// per error (which took 33 s for 4,000 errors).
    #[test]
    fn locating_many_paths_reads_each_line_a_few_times() {
        let items = 4000;
        let mut doc = String::from("name: A\nparams:\n");
        for i in 0..items {
            doc.push_str(&format!(
                "  - name: P{i}\n    cli: --p{i}\n    type: nope\n"
            ));
        }
        let lines = doc.lines().count();
        let mut locator = Locator::new(&doc);
        for i in (0..items).rev() {
            let at = [Step::Key("params"), Step::Index(i), Step::Key("type")];
            assert_eq!(locator.locate(&at), Some((3 + 3 * i + 2, 5)), "item {i}");
        }
        assert!(
            locator.scanned <= 8 * lines,
            "{} lines read for a document of {lines}",
            locator.scanned
        );
    }
}
