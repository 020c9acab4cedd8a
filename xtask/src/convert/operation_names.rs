//! Short operation names: FastAPI's default operationId is the function name
//! followed by the path and the method (`get_dub_status_dub__task_id__get`
//! for `get_dub_status` on `GET /dub/{task_id}`); the generated client and
//! mocks name their methods after the operationId, so that suffix goes.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{ConvertError, Step};
use crate::{HTTP_METHODS, pointer::Pointer};

/// Replaces every operationId that ends in FastAPI's suffix for its path and
/// method by what precedes it. Other operationIds stay as they are. Two
/// operations whose names would then be the same method name are an error.
pub fn shorten(doc: &mut Value) -> Step {
    let paths_at = Pointer::root().push("paths");
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    // Method name (as progenitor spells it, roughly) -> the operation that has it.
    let mut taken: BTreeMap<String, (Pointer, String)> = BTreeMap::new();
    for (path, item) in paths.iter_mut() {
        for method in HTTP_METHODS {
            let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let at = paths_at.push(path).push(method).push("operationId");
            let short = short_name(id, path, method).to_owned();
            if let Some((other, other_id)) = taken.get(&name_key(&short)) {
                return Err(ConvertError::new(
                    &at,
                    format!(
                        "operationId {id:?} shortens to {short:?}, the same method name as \
                         {other_id:?} at {other}; give one of them another operationId in the overlay"
                    ),
                ));
            }
            taken.insert(name_key(&short), (at, id.to_owned()));
            operation.insert("operationId".into(), Value::String(short));
        }
    }
    Ok(())
}

/// `id` without FastAPI's `_<path>_<method>` suffix, where it has one (and
/// something precedes it).
pub fn short_name<'a>(id: &'a str, path: &str, method: &str) -> &'a str {
    let suffix = fastapi_suffix(path, method);
    match id.strip_suffix(suffix.as_str()) {
        Some(name) if !name.is_empty() => name,
        _ => id,
    }
}

/// FastAPI's `generate_unique_id`: `re.sub(r"\W", "_", path) + "_" + method`.
fn fastapi_suffix(path: &str, method: &str) -> String {
    let path: String = path
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{path}_{method}")
}

/// Names that progenitor turns into the same Rust name (`getThing`,
/// `get_thing`, `get-thing`, `GetThing`) have the same key: `getthing`.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fastapi_suffixes_go() {
        assert_eq!(
            short_name("get_dub_status_dub__task_id__get", "/dub/{task_id}", "get"),
            "get_dub_status"
        );
        assert_eq!(
            short_name("end_to_end_dubbing_dub_post", "/dub", "post"),
            "end_to_end_dubbing"
        );
        assert_eq!(
            short_name(
                "get_dubbed_run_info_dub_result__run_id__get",
                "/dub-result/{run_id}",
                "get"
            ),
            "get_dubbed_run_info"
        );
    }

    #[test]
    fn other_operation_ids_stay() {
        // Hand-chosen, another method's suffix, or nothing but the suffix.
        assert_eq!(
            short_name("getStatus", "/dub/{task_id}", "get"),
            "getStatus"
        );
        assert_eq!(
            short_name("create_dub_post", "/dub", "get"),
            "create_dub_post"
        );
        assert_eq!(short_name("_dub_post", "/dub", "post"), "_dub_post");
    }

    #[test]
    fn every_operation_of_the_document_is_renamed() {
        let mut doc = json!({"paths": {
            "/dub": {"post": {"operationId": "create_dub_post"}},
            "/dub/{id}": {"get": {"operationId": "status_dub__id__get"}, "delete": {}}
        }});
        shorten(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({"paths": {
                "/dub": {"post": {"operationId": "create"}},
                "/dub/{id}": {"get": {"operationId": "status"}, "delete": {}}
            }})
        );
    }

    #[test]
    fn a_clash_is_an_error_naming_both_operations() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "read_a_get"}},
            "/b": {"get": {"operationId": "read_b_get"}}
        }});
        let error = shorten(&mut doc).unwrap_err();
        assert_eq!(error.pointer.as_str(), "/paths/~1b/get/operationId");
        assert!(
            error
                .problem
                .contains("\"read_a_get\" at /paths/~1a/get/operationId"),
            "{}",
            error.problem
        );
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "readThing"}},
            "/b": {"get": {"operationId": "read_thing_b_get"}}
        }});
        assert!(shorten(&mut doc).is_err());
    }
}
