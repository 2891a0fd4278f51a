//! The CLI's value parsers, and whole command lines through clap with them: a value or a clear
//! message; never a panic. The first byte picks the parser; the rest is the text (for a
//! command line: its arguments, separated by NUL bytes).

#![no_main]

use libfuzzer_sys::fuzz_target;
use oint_runtime::cli;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    // Only inline values: a path would make the fuzzer read the machine's files.
    let inline = !text.contains('/') && !text.ends_with(".json");
    let message = match which % 10 {
        0 => cli::parse_flag(text).err(),
        1 if inline => cli::parse_object(text).err(),
        2 if inline => cli::parse_objects(text).err(),
        3 if inline => cli::parse_texts(text).err(),
        4 if inline => cli::parse_numbers(text).err(),
        5 if inline => cli::parse_ids(text).err(),
        6 => cli::parse_date(text).err(),
        _ if inline => {
            let args = std::iter::once("oint").chain(text.split('\0'));
            let _ = oint::cli::command()
                .try_get_matches_from(args)
                .map_err(|e| e.render());
            None
        }
        _ => None,
    };
    if let Some(message) = message {
        assert!(!message.is_empty(), "a refusal says nothing");
    }
});
