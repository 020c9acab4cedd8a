//! Contract tests through the raw generated client, `camb_api::Client`.

use camb_api::Error;
use camb_api::types::OrchestratorPipelineResultMessage;
use camb_api::{ExceptionReason, TaskStatus};
use camb_tests::clients::{API_KEY, raw_client};
use camb_tests::contract_test;
use httpmock::MockServer;

use crate::expect::{self, RUN_ID, TASK_ID};

async fn server() -> (MockServer, camb_api::Client) {
    let server = MockServer::start_async().await;
    let client = raw_client(&server.base_url(), API_KEY);
    (server, client)
}

/// The decoded body of a 422, which the raw client returns as an error.
fn unprocessable<T: std::fmt::Debug>(
    result: Result<T, Error<camb_api::types::HttpValidationError>>,
) -> camb_api::types::HttpValidationError {
    match result {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status(), 422);
            response.into_inner()
        }
        other => panic!("expected a 422 error response, got {other:?}"),
    }
}

contract_test! {
    client = Raw, operation = "end_to_end_dubbing", status = 200,
    async fn create_sends_the_json_body_and_decodes_the_task_id() {
        let (server, client) = server().await;
        let mock = expect::create(&server, |then| {
            then.ok(&camb_api::types::TaskIdResponse { task_id: TASK_ID.into() })
        });

        let created = client
            .end_to_end_dubbing()
            .body(expect::create_request())
            .send()
            .await
            .expect("create succeeds");

        assert_eq!(created.status(), 200);
        assert_eq!(created.into_inner().task_id, TASK_ID);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "end_to_end_dubbing", status = 422,
    async fn create_decodes_a_validation_error() {
        let (server, client) = server().await;
        let mock = expect::create(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = client.end_to_end_dubbing().body(expect::create_request()).send().await;

        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dub_status", status = 200,
    async fn status_sends_the_task_id_in_the_path_and_decodes_the_status() {
        let (server, client) = server().await;
        let mock = expect::status(&server, None, |then| then.ok(&expect::failed_status()));

        let status = client
            .get_dub_status()
            .task_id(TASK_ID.to_owned())
            .send()
            .await
            .expect("status succeeds")
            .into_inner();

        assert_eq!(status.status, Some(TaskStatus::Error));
        assert_eq!(status.run_id, None);
        assert_eq!(status.exception_reason, Some(ExceptionReason::SourceNotFound));
        assert!(matches!(
            status.message,
            Some(OrchestratorPipelineResultMessage::String(ref text)) if text == "The source could not be found"
        ));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dub_status", status = 200,
    async fn status_sends_the_optional_run_id_as_a_query_parameter() {
        let (server, client) = server().await;
        let mock = expect::status(&server, Some(RUN_ID), |then| then.ok(&expect::succeeded_status()));

        let status = client
            .get_dub_status()
            .task_id(TASK_ID.to_owned())
            .run_id(RUN_ID)
            .send()
            .await
            .expect("status succeeds")
            .into_inner();

        assert_eq!(status.status, Some(TaskStatus::Success));
        assert_eq!(status.run_id, Some(RUN_ID));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dub_status", status = 422,
    async fn status_decodes_a_validation_error() {
        let (server, client) = server().await;
        let mock = expect::status(&server, None, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = client.get_dub_status().task_id(TASK_ID.to_owned()).send().await;

        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dubbed_run_info", status = 200,
    async fn result_sends_the_run_id_in_the_path_and_decodes_the_result() {
        let (server, client) = server().await;
        let mock = expect::result(&server, |then| then.ok(&expect::dub_result()));

        let result = client
            .get_dubbed_run_info()
            .run_id(RUN_ID)
            .send()
            .await
            .expect("result succeeds")
            .into_inner();

        expect::assert_dub_result(&result);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dubbed_run_info", status = 422,
    async fn result_decodes_a_validation_error() {
        let (server, client) = server().await;
        let mock = expect::result(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = client.get_dubbed_run_info().run_id(RUN_ID).send().await;

        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn a_request_that_breaks_the_contract_does_not_match() {
    // The contract mocks are strict: a wrong API key gets httpmock's 404, so
    // a client that drifted from the contract fails the tests above.
    let server = MockServer::start_async().await;
    let mock = expect::status(&server, None, |then| then.ok(&expect::succeeded_status()));
    let client = raw_client(&server.base_url(), "some-other-key");

    let result = client
        .get_dub_status()
        .task_id(TASK_ID.to_owned())
        .send()
        .await;

    match result {
        Err(Error::UnexpectedResponse(response)) => assert_eq!(response.status(), 404),
        other => panic!("expected httpmock's 404, got {other:?}"),
    }
    mock.assert_calls_async(0).await;
}
