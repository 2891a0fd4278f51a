//! The OpenAPI documents: an operation for every method that calls its service, with the verb
//! and the body the method sends. `tests/docs.rs` checks that the committed ones
//! (generated/openapi/) are up to date; `generated/openapi/validate.sh` checks them against the
//! OpenAPI 3.0 schema with openapi-spec-validator.

use oint_codegen::model::Http;
use std::collections::HashSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn model() -> oint_codegen::Model {
    oint_codegen::model(&root().join("spec")).expect("the repository's spec is valid")
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
            // A form is a POST whose body is `multipart/form-data`.
            let (expected, body) = match rest.http {
                Http::Get => ("get", None),
                Http::Post => ("post", Some("application/json")),
                Http::Multipart => ("post", Some("multipart/form-data")),
            };
            assert_eq!(verb, expected, "{id}");
            match body {
                Some(body) => {
                    let content = operation["requestBody"]["content"].as_object().unwrap();
                    assert_eq!(content.keys().collect::<Vec<_>>(), [body], "{id}");
                }
                // A GET's fields are its query parameters.
                None => assert!(operation.get("requestBody").is_none(), "{id}"),
            }
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

/// A split value's second field (Telegram's `message_thread_id` of `ChatID*TopicID`) is in the
/// operation, and a library whose query carries objects as JSON says so (`content`), not as
/// PHP's brackets.
#[test]
fn split_fields_and_json_in_a_query_are_described() {
    let mut splits = 0;
    let mut json_queries = 0;
    for library in &model().libraries {
        let text = oint_codegen::emit::openapi::document(library);
        let document: serde_json::Value = serde_json::from_str(&text).unwrap();
        let operations: Vec<&serde_json::Value> = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .collect();
        for method in library.methods() {
            let Some(operation) = operations
                .iter()
                .find(|o| o["operationId"] == method.name.as_str())
            else {
                continue;
            };
            let query: Vec<&serde_json::Value> = operation["parameters"]
                .as_array()
                .map(|p| p.iter().collect())
                .unwrap_or_default();
            let body = operation["requestBody"]["content"]
                .as_object()
                .and_then(|c| c.values().next())
                .map(|media| &media["schema"]["properties"]);
            let described = |field: &str| {
                query.iter().any(|p| p["name"] == field)
                    || body.is_some_and(|properties| properties.get(field).is_some())
            };
            for param in &method.params {
                if let Some((_, then)) = &param.split {
                    assert!(described(then), "{}: {then}", method.name);
                    splits += 1;
                }
                let json = library.query_form == oint_codegen::spec::QueryForm::Json;
                if json && param.kind == oint_codegen::model::ParamKind::Collection {
                    let field = param.field.as_deref().unwrap();
                    if let Some(p) = query.iter().find(|p| p["name"] == field) {
                        assert!(p.get("content").is_some(), "{}: {field}", method.name);
                        json_queries += 1;
                    }
                }
            }
        }
    }
    assert!(splits > 10, "{splits} split values");
    assert!(json_queries > 0, "no JSON in a query");
}
