//! Errors that point at the input: a file, a line and column where they can be found, and the
//! path of the value inside the document.

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
    let lines: Vec<&str> = text.lines().collect();
    // The block being searched: lines [start, end), whose entries sit at column `indent`
    // (0-based). `first_col` is set when the block's first entry starts mid-line, after `- `.
    let (mut start, mut end, mut indent) = (0, lines.len(), None::<usize>);
    let mut found = None;
    for step in steps {
        let level = match indent {
            Some(level) => level,
            None => first_entry_column(&lines[start..end])?,
        };
        let mut hit = None;
        let mut count = 0;
        for (i, line) in lines.iter().enumerate().take(end).skip(start) {
            let Some(column) = entry_column(line, i == start, level) else {
                continue;
            };
            if column < level {
                break;
            }
            if column != level {
                continue;
            }
            let rest = &line[column..];
            let matched = match step {
                Step::Key(key) => rest
                    .strip_prefix(key)
                    .is_some_and(|after| after.starts_with(':')),
                Step::Index(index) => {
                    if rest.starts_with("- ") || rest == "-" {
                        count += 1;
                        count - 1 == *index
                    } else {
                        false
                    }
                }
            };
            if matched {
                hit = Some((i, column));
                break;
            }
        }
        let (line_index, column) = hit?;
        found = Some((line_index + 1, column + 1));
        // The next block: the rest of this entry.
        let block_end = (line_index + 1..end)
            .find(|&i| {
                let line = lines[i];
                let trimmed = line.trim_start();
                !trimmed.is_empty()
                    && !trimmed.starts_with('#')
                    && line.len() - trimmed.len() <= column
            })
            .unwrap_or(end);
        match step {
            Step::Index(_) => {
                // The item's keys start after `- `, on the same line.
                start = line_index;
                indent = Some(column + 2);
            }
            Step::Key(_) => {
                start = line_index + 1;
                indent = None;
            }
        }
        end = block_end;
    }
    found
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
}
