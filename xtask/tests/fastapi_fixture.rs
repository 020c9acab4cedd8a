//! The whole pipeline on a page no one here wrote: the OpenAPI 3.1 document
//! FastAPI 0.165 + Pydantic 2.14 emit for `fastapi-fixture/app.py`, which
//! declares every construct of CAMB.AI's pages once. regen converts it,
//! generates the client with camb-api's configuration and compiles camb-api
//! with it; then each construct's rule is checked in the written spec.

use std::fs;

use serde_json::{Value, json};
use tempfile::TempDir;
use xtask::{regen::regen, workspace::Workspace};

/// A workspace whose only upstream page is the fixture, with no overlay.
fn fixture_workspace() -> (TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    for part in ["upstream", "overlay", "generated"] {
        fs::create_dir_all(spec.join(part)).unwrap();
    }
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/fastapi-fixture/openapi.json");
    fs::copy(fixture, spec.join("upstream/openapi.json")).unwrap();
    let sources = json!([{"file": "openapi.json", "url": "xtask/fastapi-fixture/app.py", "taken": "2026-11-29"}]);
    fs::write(spec.join("upstream/sources.json"), sources.to_string()).unwrap();
    let workspace = Workspace::new(dir.path());
    (dir, workspace)
}

#[test]
fn the_fastapi_fixture_converts_generates_and_compiles() {
    let (dir, workspace) = fixture_workspace();
    // Fails unless camb-api compiles with the converted fixture.
    let report = regen(&workspace).unwrap();
    assert!(
        !report
            .code
            .client
            .contains("Option<::std::option::Option<::std::string::String>>"),
        "a nullable parameter became Option<Option<..>>"
    );

    let text = fs::read_to_string(dir.path().join("spec/generated/openapi.json")).unwrap();
    let spec: Value = serde_json::from_str(&text).unwrap();
    let operation = |path: &str, method: &str| spec["paths"][path][method].clone();
    let parameter = |path: &str, method: &str, name: &str| {
        operation(path, method)["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no parameter {name}"))["schema"]
            .clone()
    };
    let schema = |name: &str| spec["components"]["schemas"][name].clone();
    let field = |name: &str, field: &str| schema(name)["properties"][field].clone();

    // Short operation names.
    assert_eq!(
        operation("/dubbing-results", "post")["operationId"],
        "create_dubbing_result"
    );
    assert_eq!(
        operation("/dub-result/{run_id}", "get")["operationId"],
        "get_dubbed_run_info"
    );
    // `str | None` and `int | None` header, path and query parameters.
    assert_eq!(
        parameter("/dubbing-results", "post", "traceparent"),
        json!({"type": "string", "title": "Traceparent"})
    );
    assert_eq!(
        parameter("/dubbing-results", "post", "x-retry-count"),
        json!({"type": "integer", "title": "X-Retry-Count"})
    );
    assert_eq!(
        parameter("/dub-result/{run_id}", "get", "run_id"),
        json!({"type": "integer", "title": "Run Id"})
    );
    assert_eq!(
        parameter("/dub-result/{run_id}", "get", "include"),
        json!({"type": "array", "items": {"type": "string"}, "title": "Include"})
    );
    assert_eq!(
        parameter("/dub-result/{run_id}", "get", "language"),
        json!({"allOf": [{"$ref": "#/components/schemas/Language"}], "title": "Language"})
    );
    // `Annotated[int | None, Query(gt=0, le=100)]`: numeric exclusiveMinimum.
    assert_eq!(
        parameter("/dub-result/{run_id}", "get", "limit"),
        json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 100, "title": "Limit"})
    );
    // IntEnum.
    assert_eq!(schema("Language")["enum"], json!([1, 76, 31]));
    assert_eq!(schema("Language")["type"], "integer");
    // `Literal["dub"] = "dub"`: const, with a default.
    assert_eq!(
        field("DubbingResult", "kind"),
        json!({"type": "string", "enum": ["dub"], "default": "dub", "title": "Kind"})
    );
    // `Speed = Speed.NORMAL`: enum $ref with a default (a $ref with siblings).
    assert_eq!(
        field("DubbingResult", "speed"),
        json!({"allOf": [{"$ref": "#/components/schemas/Speed"}], "default": "normal"})
    );
    assert_eq!(
        field("DubbingResult", "main_segment"),
        json!({"allOf": [{"$ref": "#/components/schemas/Segment"}], "description": "A $ref with a sibling description."})
    );
    // `dict[str, Segment]`, `dict[str, Any]`, `dict[str, float | None]`,
    // `list[str | None]`, `dict[str, list[int | None]] | None`.
    assert_eq!(
        field("DubbingResult", "segments")["additionalProperties"],
        json!({"$ref": "#/components/schemas/Segment"})
    );
    assert_eq!(
        field("DubbingResult", "metadata")["additionalProperties"],
        json!(true)
    );
    assert_eq!(
        field("DubbingResult", "scores")["additionalProperties"],
        json!({"type": "number", "nullable": true})
    );
    assert_eq!(
        field("DubbingResult", "speakers")["items"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        field("DubbingResult", "extra"),
        json!({
            "type": "object", "nullable": true, "title": "Extra",
            "additionalProperties": {"type": "array", "items": {"type": "integer", "nullable": true}}
        })
    );
    // `tuple[int, str] | None`: prefixItems.
    assert_eq!(
        field("DubbingResult", "span"),
        json!({
            "type": "array", "nullable": true, "title": "Span", "minItems": 2, "maxItems": 2,
            "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}
        })
    );
    // `Field(examples=[42], gt=0)` and `Field(deprecated=True)`.
    assert_eq!(field("DubbingResult", "run_id")["example"], 42);
    assert_eq!(field("DubbingResult", "run_id")["exclusiveMinimum"], true);
    assert_eq!(field("DubbingResult", "legacy_id")["deprecated"], true);
    assert_eq!(operation("/pets/{owner_id}", "get")["deprecated"], true);
    // `gt=0, lt=86400` on a float.
    assert_eq!(
        field("Segment", "end"),
        json!({"type": "number", "minimum": 0.0, "exclusiveMinimum": true, "maximum": 86400.0, "exclusiveMaximum": true, "title": "End"})
    );
    // `DubbingResult | dict[str, DubbingResult]`: object or map of objects.
    assert_eq!(
        operation("/dub-result/{run_id}", "get")["responses"]["200"]["content"]["application/json"]
            ["schema"]["anyOf"],
        json!([
            {"$ref": "#/components/schemas/DubbingResult"},
            {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/DubbingResult"}}
        ])
    );
    // Unions of $refs (plain and discriminated) and of a $ref and an inline map.
    assert_eq!(
        field("PetOwner", "pet")["anyOf"],
        json!([{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}])
    );
    assert_eq!(
        field("PetOwner", "tagged_pet")["discriminator"]["propertyName"],
        "pet_type"
    );
    assert_eq!(
        field("PetOwner", "pet_or_counts")["anyOf"][1],
        json!({"type": "object", "additionalProperties": {"type": "integer"}})
    );
    // `Cat | Dog | None`, `list[Segment | None]`, `dict[str, Segment | None]`.
    assert_eq!(
        field("PetOwner", "pet_or_nothing"),
        json!({
            "anyOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "nullable": true, "title": "Pet Or Nothing"
        })
    );
    let nullable_segment =
        json!({"allOf": [{"$ref": "#/components/schemas/Segment"}], "nullable": true});
    assert_eq!(
        field("PetOwner", "segments_or_gaps")["items"],
        nullable_segment
    );
    assert_eq!(
        field("PetOwner", "segment_by_speaker")["additionalProperties"],
        nullable_segment
    );
    // `Speed | None` query parameter: a nullable enum $ref, made optional only.
    assert_eq!(
        parameter("/pets/{owner_id}", "get", "speed"),
        json!({"allOf": [{"$ref": "#/components/schemas/Speed"}], "title": "Speed"})
    );
    // `Literal["cat"]` alone.
    assert_eq!(field("Cat", "pet_type")["enum"], json!(["cat"]));
}
