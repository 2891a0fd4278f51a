//! The committed OpenAPI documents (generated/openapi/): up to date with the spec, and covering
//! every method that calls Bitrix24. `generated/openapi/validate.sh` checks them against the
//! OpenAPI 3.0 schema with openapi-spec-validator.

use std::collections::HashSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn model() -> oint_codegen::Model {
    oint_codegen::model(&root().join("spec")).expect("the repository's spec is valid")
}

#[test]
fn committed_openapi_documents_are_up_to_date() {
    let differences =
        oint_codegen::check_openapi(&root().join("spec"), &root().join("generated/openapi"))
            .unwrap();
    let commands: Vec<String> = model()
        .libraries
        .iter()
        .map(oint_codegen::emit::openapi::command)
        .collect();
    assert!(
        differences.is_empty(),
        "generated/openapi is stale; run `{}` and commit:\n{}",
        commands.join("` and `"),
        differences.join("\n")
    );
}

#[test]
fn every_rest_method_is_an_operation() {
    let model = model();
    for library in &model.libraries {
        let text = oint_codegen::emit::openapi::document(library);
        let document: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(document["openapi"], "3.0.3");
        let mut operation_ids = HashSet::new();
        for item in document["paths"].as_object().unwrap().values() {
            let item = item.as_object().unwrap();
            assert_eq!(item.len(), 1, "one operation per path: {item:?}");
            let (verb, operation) = item.iter().next().unwrap();
            assert!(verb == "get" || verb == "post", "{verb}");
            let id = operation["operationId"].as_str().unwrap().to_owned();
            let method = library.methods().find(|m| m.name == id).unwrap();
            let rest = method.rest().unwrap();
            assert_eq!(
                verb.to_uppercase(),
                format!("{:?}", rest.http).to_uppercase(),
                "{id}"
            );
            assert!(operation_ids.insert(id.clone()), "{id} twice");
        }
        for method in library.methods() {
            assert_eq!(
                operation_ids.contains(&method.name),
                method.rest().is_some(),
                "{}: an operation exactly when the method calls Bitrix24",
                method.name
            );
        }
    }
}
