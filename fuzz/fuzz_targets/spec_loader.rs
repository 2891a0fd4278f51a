//! Spec text → a model or located errors; never a panic, never a hang. The input is a
//! `library.yaml`, a NUL byte, then one method file (without a NUL, the real library and the
//! input as the method). A model is then put through every emitter.

#![no_main]

use libfuzzer_sys::fuzz_target;

const LIBRARY: &str = include_str!("../../spec/bitrix24/library.yaml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (library, method) = text.split_once('\0').unwrap_or((LIBRARY, text));
    let loaded = oint_codegen::load::load_texts("bitrix24", library, &[("Method.yaml", method)]);
    let model = match loaded.and_then(|files| oint_codegen::validate::validate(&files)) {
        Ok(model) => model,
        Err(errors) => {
            for diagnostic in &errors.0 {
                assert!(!diagnostic.message.is_empty(), "an error says nothing");
            }
            let _ = errors.to_string();
            return;
        }
    };
    let _ = oint_codegen::rust_files(&model);
    let _ = oint_codegen::docs_files(&model);
    let _ = oint_codegen::openapi_files(&model);
});
