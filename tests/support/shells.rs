//! The command lines of a docs page's three tabs (Bash, CMD, PowerShell), and the words each
//! shell hands the program: each shell's own reading, written here from its rules, so that a
//! test can check that all three give the CLI the same words.

/// The tabs' command lines, in the order Bash, CMD, PowerShell, each joined into one line;
/// `None` when the page has no command line.
pub fn command_lines(page: &str) -> Option<[String; 3]> {
    let block = |language: &str, continuation: &str| -> Option<String> {
        let opening = format!("```{language} title=\"CLI command example\"\n");
        let start = page.find(&opening)? + opening.len();
        let end = start + page[start..].find("\n```")?;
        let lines: Vec<&str> = page[start..end].lines().collect();
        // Every line but the last ends in the continuation.
        let (last, first) = lines.split_last()?;
        let mut joined: Vec<&str> = Vec::new();
        for line in first {
            joined.push(line.strip_suffix(continuation)?);
        }
        joined.push(last);
        Some(
            joined
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" "),
        )
    };
    Some([
        block("bash", " \\")?,
        block("batch", " ^")?,
        block("powershell", " `")?,
    ])
}

/// Bash's words: spaces split; double quotes keep all but `\`-escapes of `"$\``;
/// single quotes keep everything; outside quotes `\` takes the next character as it is.
pub fn bash_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' => words.extend(word.take()),
            '\'' => {
                let word = word.get_or_insert_with(String::new);
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                let word = word.get_or_insert_with(String::new);
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '$' | '\\' | '`')) => {
                            word.extend(chars.next());
                        }
                        c => word.push(c),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).extend(chars.next()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// The words a program started from `cmd.exe` gets. First `cmd.exe`: every `"` opens or
/// closes a quoted span, and outside one `^` takes the next character as it is (and goes).
/// Then the program splits what is left by Windows' rules: spaces split outside quotes; `2n`
/// backslashes before a `"` are `n` backslashes and the `"` opens or closes quotes, `2n + 1`
/// are `n` and a literal `"`; other backslashes are themselves.
pub fn cmd_words(line: &str) -> Vec<String> {
    let mut passed = String::new();
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                passed.push(c);
            }
            '^' if !quoted => passed.extend(chars.next()),
            c => passed.push(c),
        }
    }
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    let mut chars = passed.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut backslashes = 1;
                while chars.peek() == Some(&'\\') {
                    chars.next();
                    backslashes += 1;
                }
                let word = word.get_or_insert_with(String::new);
                if chars.peek() == Some(&'"') {
                    word.push_str(&"\\".repeat(backslashes / 2));
                    if backslashes % 2 == 1 {
                        chars.next();
                        word.push('"');
                    }
                } else {
                    word.push_str(&"\\".repeat(backslashes));
                }
            }
            '"' => {
                word.get_or_insert_with(String::new);
                quoted = !quoted;
            }
            ' ' if !quoted => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// PowerShell's words for a native program: spaces split; in single quotes everything is
/// kept, and `''` is one `'`.
pub fn powershell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' => words.extend(word.take()),
            '\'' => {
                let word = word.get_or_insert_with(String::new);
                while let Some(c) = chars.next() {
                    match c {
                        '\'' if chars.peek() == Some(&'\'') => {
                            chars.next();
                            word.push('\'');
                        }
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}
