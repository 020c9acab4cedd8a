//! Contract tests through the client people use, `camb_api_ext::Camb`.

use camb_api_ext::{Camb, Error, ExceptionReason, RunId, TaskId, TaskStatus};
use camb_tests::clients::{API_KEY, camb_client};
use camb_tests::contract_test;
use httpmock::MockServer;

use crate::expect::{self, RUN_ID, TASK_ID};

async fn server() -> (MockServer, Camb) {
    let server = MockServer::start_async().await;
    let camb = camb_client(&server.base_url(), API_KEY);
    (server, camb)
}

fn task_id() -> TaskId {
    TaskId::new(TASK_ID).expect("a valid task id")
}

/// The validation details of an [`Error::Validation`].
fn validation_detail<T: std::fmt::Debug>(
    result: Result<T, Error>,
) -> camb_api::types::HttpValidationError {
    match result {
        Err(Error::Validation { detail }) => camb_api::types::HttpValidationError { detail },
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

contract_test! {
    client = Camb, operation = "end_to_end_dubbing", status = 200,
    async fn create_sends_the_json_body_and_returns_the_task_id() {
        let (server, camb) = server().await;
        let mock = expect::create(&server, |then| {
            then.ok(&camb_api::types::TaskIdResponse { task_id: TASK_ID.into() })
        });

        let created = camb.create_dub(&expect::create_request()).await.expect("create succeeds");

        assert_eq!(created, task_id());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "end_to_end_dubbing", status = 422,
    async fn create_turns_a_validation_error_into_error_validation() {
        let (server, camb) = server().await;
        let mock = expect::create(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = camb.create_dub(&expect::create_request()).await;

        expect::assert_validation_error(&validation_detail(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dub_status", status = 200,
    async fn status_sends_the_task_id_in_the_path_and_types_the_status() {
        let (server, camb) = server().await;
        let mock = expect::status(&server, None, |then| then.ok(&expect::failed_status()));

        let status = camb.status(&task_id()).await.expect("status succeeds");

        assert_eq!(status.status, TaskStatus::Error);
        assert_eq!(status.run_id, None);
        assert_eq!(status.exception_reason, Some(ExceptionReason::SourceNotFound));
        assert_eq!(status.message.as_deref(), Some("The source could not be found"));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dub_status", status = 200,
    async fn status_reports_the_run_id_of_a_success() {
        let (server, camb) = server().await;
        let mock = expect::status(&server, None, |then| then.ok(&expect::succeeded_status()));

        let status = camb.status(&task_id()).await.expect("status succeeds");

        assert_eq!(status.status, TaskStatus::Success);
        assert_eq!(status.run_id, Some(RunId(RUN_ID)));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dub_status", status = 422,
    async fn status_turns_a_validation_error_into_error_validation() {
        let (server, camb) = server().await;
        let mock = expect::status(&server, None, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = camb.status(&task_id()).await;

        expect::assert_validation_error(&validation_detail(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbed_run_info", status = 200,
    async fn result_sends_the_run_id_in_the_path_and_returns_the_result() {
        let (server, camb) = server().await;
        let mock = expect::result(&server, |then| then.ok(&expect::dub_result()));

        let result = camb.result(RunId(RUN_ID)).await.expect("result succeeds");

        expect::assert_dub_result(&result);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbed_run_info", status = 422,
    async fn result_turns_a_validation_error_into_error_validation() {
        let (server, camb) = server().await;
        let mock = expect::result(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = camb.result(RunId(RUN_ID)).await;

        expect::assert_validation_error(&validation_detail(result));
        mock.assert_async().await;
    }
}
