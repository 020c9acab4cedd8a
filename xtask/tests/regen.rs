//! `regen` and `--check` on a temporary copy of spec/.

mod common;

use std::process::Command;

use common::{read, temp_workspace, write};
use xtask::regen::{CheckOutcome, check, regen};

const OPENAPI_30: &str = "spec/generated/openapi.json";
const OVERLAY: &str = "spec/overlay/camb-facts.yaml";

#[test]
fn the_committed_generated_files_are_up_to_date() {
    let (_dir, workspace) = temp_workspace();
    assert!(matches!(
        check(&workspace).unwrap().outcome,
        CheckOutcome::UpToDate
    ));
}

#[test]
fn regen_on_an_up_to_date_workspace_writes_nothing_and_says_no_changes() {
    let (dir, workspace) = temp_workspace();
    let before = read(&dir, OPENAPI_30);
    let report = regen(&workspace).unwrap();
    assert!(report.written.is_empty(), "{:?}", report.written);
    assert_eq!(report.summary.to_string(), "No changes\n");
    assert_eq!(read(&dir, OPENAPI_30), before);
}

#[test]
fn check_detects_a_hand_edited_generated_file_and_regen_repairs_it() {
    let (dir, workspace) = temp_workspace();
    let original = read(&dir, OPENAPI_30);
    let edited = original.replacen(
        "\"title\": \"Run ID\",\n            \"type\": \"integer\"",
        "\"title\": \"Run ID\",\n            \"type\": \"string\"",
        1,
    );
    assert_ne!(edited, original, "the edit must hit the file");
    write(&dir, OPENAPI_30, &edited);

    let CheckOutcome::Stale { diff, summary } = check(&workspace).unwrap().outcome else {
        panic!("a stale openapi.json went unnoticed");
    };
    assert!(diff.contains("-            \"type\": \"string\""), "{diff}");
    assert!(
        diff.contains("+            \"type\": \"integer\""),
        "{diff}"
    );
    assert!(
        diff.contains("spec/generated/openapi.json (on disk)"),
        "{diff}"
    );
    assert_eq!(
        summary.to_string(),
        "~ field DubResult.run_id: type string -> integer\n"
    );
    // --check changed nothing.
    assert_eq!(read(&dir, OPENAPI_30), edited);

    let report = regen(&workspace).unwrap();
    assert_eq!(report.written, ["spec/generated/openapi.json"]);
    assert_eq!(read(&dir, OPENAPI_30), original);
}

#[test]
fn check_detects_an_overlay_change_not_yet_regenerated() {
    let (dir, workspace) = temp_workspace();
    let overlay = read(&dir, OVERLAY).replace(
        "        - NONE\n",
        "        - NONE\n        - SOURCE_IS_PRIVATE\n",
    );
    write(&dir, OVERLAY, &overlay);
    let CheckOutcome::Stale { diff, summary } = check(&workspace).unwrap().outcome else {
        panic!("a changed overlay went unnoticed");
    };
    assert!(diff.contains("+          \"SOURCE_IS_PRIVATE\""), "{diff}");
    assert_eq!(
        summary.to_string(),
        "+ enum ExceptionReason: +1 value (SOURCE_IS_PRIVATE)\n"
    );
}

#[test]
fn regen_reports_details_that_the_summary_does_not_track() {
    let (dir, workspace) = temp_workspace();
    let overlay = read(&dir, OVERLAY).replace(
        "description: Ids of the account's dictionaries to apply.",
        "description: Ids of the account's dictionaries to use.",
    );
    write(&dir, OVERLAY, &overlay);
    let report = regen(&workspace).unwrap();
    assert!(
        report.to_string().starts_with(
            "wrote spec/generated/openapi-3.1.json\nwrote spec/generated/openapi.json\n\
             No API changes (only descriptions or other details changed)\n"
        ),
        "{report}"
    );
}

#[test]
fn an_unconvertible_overlay_is_an_error_naming_the_pointer_and_nothing_is_written() {
    let (dir, workspace) = temp_workspace();
    let before = read(&dir, OPENAPI_30);
    let overlay = read(&dir, OVERLAY).replace(
        "        video_url:\n          type: string\n",
        "        video_url:\n          type: [integer, string]\n",
    );
    write(&dir, OVERLAY, &overlay);
    let error = regen(&workspace).unwrap_err().to_string();
    let (message, drift) = error
        .split_once("\n\nOverlay drift:")
        .unwrap_or((&error, ""));
    assert_eq!(
        message,
        "cannot convert to OpenAPI 3.0 at \
         /components/schemas/EndToEndDubbingRequest/properties/video_url/type: \
         a type array with several non-null types (integer, string) has no OpenAPI 3.0 equivalent"
    );
    // The drift report survives the failure: it may say why.
    assert!(
        drift.contains(
            "adds      spec/overlay/camb-facts.yaml /components/schemas/EndToEndDubbingRequest\n"
        ),
        "{error}"
    );
    assert_eq!(read(&dir, OPENAPI_30), before);
}

#[test]
fn regen_and_check_list_the_same_overlay_drift() {
    let (dir, workspace) = temp_workspace();
    // Against the status page: TaskStatus is `type: string` with title
    // `TaskStatus` upstream, and has no `x-note`.
    write(
        &dir,
        "spec/overlay/zz-drift.yaml",
        "components:\n  schemas:\n    TaskStatus:\n      type: string\n      title: Status\n      x-note: null\n",
    );
    let expected = [
        "  overrides spec/overlay/zz-drift.yaml /components/schemas/TaskStatus/title: upstream \"TaskStatus\" -> overlay \"Status\"",
        "  redundant spec/overlay/zz-drift.yaml /components/schemas/TaskStatus/type: same as upstream: \"string\"",
        "  redundant spec/overlay/zz-drift.yaml /components/schemas/TaskStatus/x-note: deletes a key upstream does not have",
    ];
    let report = regen(&workspace).unwrap().to_string();
    let checked = check(&workspace).unwrap();
    assert!(matches!(checked.outcome, CheckOutcome::UpToDate));
    for output in [report, checked.to_string()] {
        let section = output
            .split_once("Overlay drift:")
            .unwrap_or_else(|| panic!("no drift section: {output}"))
            .1;
        for line in expected {
            assert!(
                section.contains(&format!("{line}\n")),
                "{line} missing in:\n{section}"
            );
        }
    }
}

#[test]
fn an_overlay_that_is_not_a_mapping_is_an_error() {
    let (dir, workspace) = temp_workspace();
    write(&dir, "spec/overlay/zz-empty.yaml", "# nothing yet\n");
    let error = regen(&workspace).unwrap_err().to_string();
    assert_eq!(
        error,
        "spec/overlay/zz-empty.yaml must be a YAML mapping: a merge patch of the spec's top-level object"
    );
}

#[test]
fn overlays_apply_in_name_order() {
    let (dir, workspace) = temp_workspace();
    let title =
        |t: &str| format!("components:\n  schemas:\n    TaskIDResponse:\n      title: {t}\n");
    write(&dir, "spec/overlay/x.yaml", &title("From X"));
    write(&dir, "spec/overlay/y.yaml", &title("From Y"));
    write(&dir, "spec/overlay/notes.txt", "not an overlay");
    regen(&workspace).unwrap();
    let spec_31 = read(&dir, "spec/generated/openapi-3.1.json");
    assert!(spec_31.contains("\"title\": \"From Y\""), "{spec_31}");
    assert!(!spec_31.contains("From X"));
}

#[test]
fn an_upstream_file_missing_from_sources_json_is_an_error() {
    let (dir, workspace) = temp_workspace();
    write(&dir, "spec/upstream/stray.md", "# stray\n");
    let error = regen(&workspace).unwrap_err().to_string();
    assert!(
        error.contains("spec/upstream/stray.md is not listed"),
        "{error}"
    );
}

#[test]
fn a_listed_page_that_is_missing_is_an_error() {
    let (dir, workspace) = temp_workspace();
    std::fs::remove_file(
        dir.path()
            .join("spec/upstream/get-end-to-end-dubbing-status.md"),
    )
    .unwrap();
    let error = format!("{:#}", regen(&workspace).unwrap_err());
    assert!(
        error.contains("get-end-to-end-dubbing-status.md (listed in sources.json)"),
        "{error}"
    );
}

#[test]
fn the_command_line_check_exits_1_with_a_diff_when_stale_and_0_when_not() {
    let (dir, _workspace) = temp_workspace();
    let xtask = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command.args(["regen", "--check", "--root"]).arg(dir.path());
        command
    };
    let fresh = xtask().output().unwrap();
    assert_eq!(fresh.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&fresh.stdout).starts_with("spec/generated is up to date\n"),
        "{}",
        String::from_utf8_lossy(&fresh.stdout)
    );

    write(&dir, OPENAPI_30, "{}\n");
    let stale = xtask().output().unwrap();
    let stdout = String::from_utf8_lossy(&stale.stdout);
    assert_eq!(stale.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("-{}"), "{stdout}");
    assert!(
        stdout.contains("+ operation POST /dub (end_to_end_dubbing)"),
        "{stdout}"
    );
    assert_eq!(read(&dir, OPENAPI_30), "{}\n");
}

#[test]
fn the_command_line_reports_errors_with_exit_code_2() {
    let (dir, _workspace) = temp_workspace();
    write(&dir, "spec/upstream/sources.json", "not json");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: reading spec/upstream/sources.json"),
        "{stderr}"
    );
}

#[test]
fn a_task_family_naming_a_missing_operation_is_an_error_naming_its_pointer() {
    let (dir, workspace) = temp_workspace();
    let before = read(&dir, OPENAPI_30);
    let overlay = read(&dir, OVERLAY).replace(
        "        status: GET /dub/{task_id}\n",
        "        status: GET /dub-status/{task_id}\n",
    );
    write(&dir, OVERLAY, &overlay);
    let error = regen(&workspace).unwrap_err().to_string();
    let message = error.split("\n\nOverlay drift:").next().unwrap_or(&error);
    assert_eq!(
        message,
        "task family at /paths/~1dub/post/x-camb-task/status: \
         names GET /dub-status/{task_id}, an operation the spec does not have"
    );
    assert_eq!(read(&dir, OPENAPI_30), before);
}
