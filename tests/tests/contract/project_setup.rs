//! Contract tests of the project setup family (`POST /project-setup`, its
//! status, which answers a list, a run's result, which may be `null`, and
//! the batch results) through the raw generated client and through `Camb`:
//! `create_task`, `wait_for_project_setup` (the status's own wait),
//! `task_result`, and `call_raw` for the batch, which has no family call
//! (`task_families`).

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateProjectSetupTaskStatusThen, CreateProjectThen, GetProjectSetupResultThen,
    GetProjectSetupRunsResultsThen,
};
use camb_api::types::{
    CreateProjectSetupOut, CreateProjectSetupRequestPayload, GetCreateProjectSetupResponse,
    RunIDsRequestPayload, TaskIdParam,
};
use camb_api_ext::tasks::ProjectSetup;
use camb_api_ext::{RunId, WaitErrorPolicy};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};
use serde_json::json;

use crate::expect::{self, RUN_ID, TASK_ID};
use crate::task_families::{json_request, query_is, task_id};

fn create_body() -> CreateProjectSetupRequestPayload {
    serde_json::from_value(json!({
        "media_url": "https://example.com/talk.mp4",
        "source_language": 1,
        "target_languages": ["fr-fr", 54],
        "project_name": "Talk",
        "folder_id": 3,
        "selected_audio_tracks": [0],
        "add_output_as_an_audio_track": true,
        "chosen_dictionaries": [11],
    }))
    .expect("a valid body")
}

/// `POST /project-setup` with exactly [`create_body`], no query.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateProjectThen) -> CreateProjectThen,
) -> Mock<'a> {
    server.create_project(|when, then| {
        let when = when.body(&create_body()).run_id(None).into_inner();
        json_request(when).is_true(query_is(&[]));
        respond(then);
    })
}

family_contract! {
    create create: "create_project", CreateProjectThen, ProjectSetup,
    |client| client.create_project().body(create_body()).send(),
    |call| call.body(create_body()), CreateProjectSetupOut { task_id: TASK_ID.into() };
    errors 422, 401;
}

/// One run and its project.
fn project() -> GetCreateProjectSetupResponse {
    serde_json::from_value(json!({
        "run_id": RUN_ID,
        "project_details": {
            "project_name": "Talk",
            "created_at": "2026-10-01T12:00:00Z",
            "source_language": 1,
            "target_languages": [76, 54],
            "duration": 61.5,
            "studio_url": "https://studio.camb.ai/project/1",
        },
    }))
    .expect("a valid project")
}

fn assert_project(project: &GetCreateProjectSetupResponse) {
    assert_eq!(project.run_id, RUN_ID);
    let details = &project.project_details;
    assert_eq!(details.project_name, "Talk");
    assert_eq!(details.created_at.to_rfc3339(), "2026-10-01T12:00:00+00:00");
    assert_eq!(
        (details.source_language, details.target_languages.as_slice()),
        (1, &[76, 54][..])
    );
    assert_eq!(details.duration, Some(61.5));
    assert_eq!(details.project_description, None);
    assert_eq!(details.studio_url, "https://studio.camb.ai/project/1");
}

/// Asserts that `runs` lists [`project`] alone.
fn assert_one_project(runs: &[GetCreateProjectSetupResponse]) {
    let [only] = runs else {
        panic!("expected one run, got {runs:?}");
    };
    assert_project(only);
}

/// `GET /project-setup/{TASK_ID}`, no query.
fn status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateProjectSetupTaskStatusThen) -> CreateProjectSetupTaskStatusThen,
) -> Mock<'a> {
    server.create_project_setup_task_status(|when, then| {
        let when = when.task_id(&TaskIdParam(TASK_ID.into())).into_inner();
        expect::authenticated(when).is_true(query_is(&[]));
        respond(then);
    })
}

/// A wait for the project setup that ends at the first failed poll (a
/// failed poll does not end it by default).
fn wait_once(camb: &camb_api_ext::Camb) -> camb_api_ext::ProjectSetupWait<'_> {
    camb.wait_for_project_setup(&task_id())
        .error_policy(WaitErrorPolicy::default().with_max_failures_in_a_row(Some(1)))
}

family_contract! {
    status: "create_project_setup_task_status", CreateProjectSetupTaskStatusThen, Idempotent,
    |client| client.create_project_setup_task_status().task_id(TASK_ID.to_owned()).send(),
    camb |camb| wait_once(&camb);
    ok |then| then.ok(&vec![project()])
        => raw_status_decodes_the_list_of_runs camb_wait_gives_the_run_the_list_names,
        |answer| { assert_one_project(&answer); },
        |run_id| { assert_eq!(run_id, RunId(RUN_ID)); };
    errors 422, 401, 404;
}

/// `GET /project-setup-result/{RUN_ID}`.
fn result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetProjectSetupResultThen) -> GetProjectSetupResultThen,
) -> Mock<'a> {
    server.get_project_setup_result(|when, then| {
        let when = when.run_id(RUN_ID).into_inner();
        expect::authenticated(when).is_true(query_is(&[]));
        respond(then);
    })
}

family_contract! {
    result: "get_project_setup_result", GetProjectSetupResultThen, Idempotent,
    |client| client.get_project_setup_result().run_id(RUN_ID).send(),
    camb |camb| camb.task_result::<ProjectSetup>(RunId(RUN_ID));
    ok |then| then.ok(Some(&project()))
        => raw_result_decodes_the_project camb_result_decodes_the_project,
        |answer| { assert_project(&answer.expect("a project")); };
    ok |then| then.ok(None)
        => raw_result_decodes_null_as_no_project camb_result_decodes_null_as_no_project,
        |answer| { assert!(answer.is_none(), "{answer:?}"); };
    errors 422, 401, 404;
}

/// `POST /project-setup-results` with `{"run_ids": [RUN_ID]}`, no query.
fn results<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetProjectSetupRunsResultsThen) -> GetProjectSetupRunsResultsThen,
) -> Mock<'a> {
    server.get_project_setup_runs_results(|when, then| {
        let when = when
            .body(&RunIDsRequestPayload {
                run_ids: vec![RUN_ID],
            })
            .into_inner();
        json_request(when).is_true(query_is(&[]));
        respond(then);
    })
}

family_contract! {
    results: "get_project_setup_runs_results", GetProjectSetupRunsResultsThen, Idempotent,
    |client| client.get_project_setup_runs_results().body(RunIDsRequestPayload { run_ids: vec![RUN_ID] }).send();
    ok |then| then.ok(&vec![project()])
        => raw_results_sends_the_run_ids_and_decodes_the_list camb_results_sends_the_run_ids_and_decodes_the_list,
        |decoded| { assert_one_project(&decoded); };
    errors 422, 401;
}
