//! A command line as each shell of the docs pages' tabs writes it — Bash, Windows CMD and
//! PowerShell — one option to a line, each shell with its own line continuation and quoting,
//! so that the program is handed the same words from all three.

/// The shells a page shows its command line for, in the order of its tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    /// Windows' `cmd.exe`, typed at its prompt.
    Cmd,
    /// PowerShell 7.3 or later, which hands a native program its arguments as they are quoted.
    PowerShell,
}

impl Shell {
    pub const ALL: [Shell; 3] = [Shell::Bash, Shell::Cmd, Shell::PowerShell];

    /// What ends a line that goes on on the next one.
    pub fn continuation(self) -> &'static str {
        match self {
            Shell::Bash => " \\",
            Shell::Cmd => " ^",
            Shell::PowerShell => " `",
        }
    }

    /// `raw` as one word of this shell's command line.
    pub fn quote(self, raw: &str) -> String {
        match self {
            // Double quotes, as OPI writes them, unless the shell would read something in
            // them; then single quotes, in which only `'` needs care.
            Shell::Bash if raw.contains(['"', '$', '`', '\\', '!']) => {
                format!("'{}'", raw.replace('\'', "'\\''"))
            }
            Shell::Bash => format!("\"{raw}\""),
            Shell::Cmd => cmd_word(raw),
            // Single quotes: nothing in them is special but `'`, written twice.
            Shell::PowerShell => format!("'{}'", raw.replace('\'', "''")),
        }
    }

    /// The command `head` (e.g. `oint bitrix24 DeleteUserFromChat`) with its options and their
    /// values (unquoted), one option to a line.
    pub fn command_line(self, head: &str, options: &[(&str, &str)]) -> String {
        let mut lines = vec![head.to_owned()];
        lines.extend(
            options
                .iter()
                .map(|(flag, raw)| format!("  --{flag} {}", self.quote(raw))),
        );
        lines.join(&format!("{}\n", self.continuation()))
    }
}

/// One word for a program started from `cmd.exe`. Two readers see it: the program splits its
/// command line by Windows' rules (Rust's `std::env::args` among them): in double quotes, a
/// `"` is `\"`, and backslashes are doubled where a quote follows them. Before that, `cmd.exe`
/// reads every `"` as opening or closing a quoted span (it knows no `\"`), and outside one takes
/// `^ & | < >` as its own: each of those gets a caret.
fn cmd_word(raw: &str) -> String {
    let mut word = String::from("\"");
    let mut backslashes = 0;
    for c in raw.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                word.push_str(&"\\".repeat(2 * backslashes + 1));
                word.push('"');
                backslashes = 0;
            }
            c => {
                word.push_str(&"\\".repeat(backslashes));
                word.push(c);
                backslashes = 0;
            }
        }
    }
    word.push_str(&"\\".repeat(2 * backslashes));
    word.push('"');
    let mut typed = String::new();
    let mut quoted = false;
    for c in word.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && matches!(c, '^' | '&' | '|' | '<' | '>') {
            typed.push('^');
        }
        typed.push(c);
    }
    typed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shell_quotes_as_it_reads() {
        let json = r#"{"a":"b & c"}"#;
        assert_eq!(Shell::Bash.quote("452"), "\"452\"");
        assert_eq!(Shell::Bash.quote(json), format!("'{json}'"));
        assert_eq!(Shell::Cmd.quote("452"), "\"452\"");
        // cmd.exe sees `"{\"` quoted, `a\` bare, `":\"` quoted, `b & c\` bare: the `&` gets
        // a caret.
        assert_eq!(Shell::Cmd.quote(json), r#""{\"a\":\"b ^& c\"}""#);
        assert_eq!(Shell::Cmd.quote(r"C:\dir\"), r#""C:\dir\\""#);
        assert_eq!(Shell::PowerShell.quote("it's"), "'it''s'");
        assert_eq!(
            Shell::Cmd.command_line("oint x Y", &[("a", "1"), ("b", "2")]),
            "oint x Y ^\n  --a \"1\" ^\n  --b \"2\""
        );
    }
}
