//! Contract tests of the project setup family (`POST /project-setup`, its
//! status, which answers a list, a run's result, which may be `null`, and
//! the batch results) through the raw generated client.

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateProjectSetupTaskStatusThen, CreateProjectThen, GetProjectSetupResultThen,
    GetProjectSetupRunsResultsThen,
};
use camb_api::types::{
    CreateProjectSetupOut, CreateProjectSetupRequestPayload, GetCreateProjectSetupResponse,
    RunIDsRequestPayload, TaskIdParam,
};
use camb_tests::clients::{API_KEY, raw_client};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};
use serde_json::json;

use crate::expect::{self, RUN_ID, TASK_ID};
use crate::task_families::{json_request, query_is};

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

contract_test! {
    client = Raw, operation = "create_project", status = 200,
    async fn raw_create_sends_the_body_and_decodes_the_task_id() {
        let server = MockServer::start_async().await;
        let created = CreateProjectSetupOut { task_id: TASK_ID.into() };
        let mock = create(&server, |then| then.ok(&created));

        let answer = raw_client(&server.base_url(), API_KEY)
            .create_project()
            .body(create_body())
            .send()
            .await
            .expect("create succeeds");

        assert_eq!(answer.into_inner().task_id, TASK_ID);
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "create_project", create, CreateProjectThen,
    |client| client.create_project().body(create_body()).send();
    422 => raw_create_422, 401 => raw_create_401,
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

contract_test! {
    client = Raw, operation = "create_project_setup_task_status", status = 200,
    async fn raw_status_decodes_the_list_of_runs() {
        let server = MockServer::start_async().await;
        let mock = status(&server, |then| then.ok(&vec![project()]));

        let answer = raw_client(&server.base_url(), API_KEY)
            .create_project_setup_task_status()
            .task_id(TASK_ID.to_owned())
            .send()
            .await
            .expect("status succeeds")
            .into_inner();

        let [only] = answer.as_slice() else {
            panic!("expected one run, got {answer:?}");
        };
        assert_project(only);
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "create_project_setup_task_status", status, CreateProjectSetupTaskStatusThen,
    |client| client.create_project_setup_task_status().task_id(TASK_ID.to_owned()).send();
    422 => raw_status_422, 401 => raw_status_401, 404 => raw_status_404,
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

async fn send_result(
    client: &camb_api::Client,
) -> Result<
    camb_api::ResponseValue<Option<GetCreateProjectSetupResponse>>,
    camb_api::Error<camb_api::types::HttpValidationError>,
> {
    client
        .get_project_setup_result()
        .run_id(RUN_ID)
        .send()
        .await
}

contract_test! {
    client = Raw, operation = "get_project_setup_result", status = 200,
    async fn raw_result_decodes_the_project() {
        let server = MockServer::start_async().await;
        let answer = project();
        let mock = result(&server, |then| then.ok(Some(&answer)));

        let decoded = send_result(&raw_client(&server.base_url(), API_KEY)).await.expect("result succeeds");

        assert_project(&decoded.into_inner().expect("a project"));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_project_setup_result", status = 200,
    async fn raw_result_decodes_null_as_no_project() {
        let server = MockServer::start_async().await;
        let mock = result(&server, |then| then.ok(None));

        let decoded = send_result(&raw_client(&server.base_url(), API_KEY)).await.expect("result succeeds");

        assert!(decoded.into_inner().is_none());
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "get_project_setup_result", result, GetProjectSetupResultThen, |client| send_result(&client);
    422 => raw_result_422, 401 => raw_result_401, 404 => raw_result_404,
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

contract_test! {
    client = Raw, operation = "get_project_setup_runs_results", status = 200,
    async fn raw_results_sends_the_run_ids_and_decodes_the_list() {
        let server = MockServer::start_async().await;
        let mock = results(&server, |then| then.ok(&vec![project()]));

        let decoded = raw_client(&server.base_url(), API_KEY)
            .get_project_setup_runs_results()
            .body(RunIDsRequestPayload { run_ids: vec![RUN_ID] })
            .send()
            .await
            .expect("results succeed")
            .into_inner();

        let [only] = decoded.as_slice() else {
            panic!("expected one run, got {decoded:?}");
        };
        assert_project(only);
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "get_project_setup_runs_results", results, GetProjectSetupRunsResultsThen,
    |client| client.get_project_setup_runs_results().body(RunIDsRequestPayload { run_ids: vec![RUN_ID] }).send();
    422 => raw_results_422, 401 => raw_results_401,
}
