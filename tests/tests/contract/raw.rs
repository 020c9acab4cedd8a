//! Contract tests through the raw generated client, `camb_api::Client`.

use camb_api::Error;
use camb_api::types::OrchestratorPipelineResultMessage;
use camb_api::{ExceptionReason, TaskStatus, TranscriptDataType, TranscriptFileFormat};
use camb_tests::clients::{API_KEY, raw_client};
use camb_tests::contract_test;
use httpmock::MockServer;

use camb_api::types::{AltFormatRequest, GetDubbingResultsRequest};

use crate::expect::{self, EXPORT_TASK_ID, LANGUAGE, RUN_ID, SRT, TASK_ID};

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
            then.ok(&camb_api::types::TaskIdResponse { task_id: Some(TASK_ID.into()) })
        });

        let created = client
            .end_to_end_dubbing()
            .body(expect::create_body())
            .send()
            .await
            .expect("create succeeds");

        assert_eq!(created.status(), 200);
        assert_eq!(created.into_inner().task_id.as_deref(), Some(TASK_ID));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "end_to_end_dubbing", status = 422,
    async fn create_decodes_a_validation_error() {
        let (server, client) = server().await;
        let mock = expect::create(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = client.end_to_end_dubbing().body(expect::create_body()).send().await;

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
        let mock = expect::result(&server, |then| then.ok(&expect::single_result()));

        let result = client
            .get_dubbed_run_info()
            .run_id(RUN_ID)
            .send()
            .await
            .expect("result succeeds")
            .into_inner();

        expect::assert_dub_result(result.dub_result.as_ref().expect("a single result"));
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

contract_test! {
    client = Raw, operation = "get_dubbed_run_info", status = 200,
    async fn result_decodes_a_per_language_map() {
        let (server, client) = server().await;
        let mock = expect::result(&server, |then| then.ok(&expect::per_language_result()));

        let result = client.get_dubbed_run_info().run_id(RUN_ID).send().await;

        let map = result.expect("result succeeds").into_inner().by_language.expect("a map");
        expect::assert_dub_result(&map[&LANGUAGE.to_string()]);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dubbing_runs_results", status = 200,
    async fn results_send_the_run_ids_and_decode_a_map_per_run() {
        let (server, client) = server().await;
        let mock = expect::results(&server, |then| then.ok(&expect::batch_results()));

        let answer = client
            .get_dubbing_runs_results()
            .body(GetDubbingResultsRequest { run_ids: vec![RUN_ID] })
            .send()
            .await
            .expect("results succeed")
            .into_inner();

        let per_language = answer[&RUN_ID.to_string()].by_language.as_ref().expect("a map");
        expect::assert_dub_result(&per_language[&LANGUAGE.to_string()]);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dubbing_runs_results", status = 422,
    async fn results_decode_a_validation_error() {
        let (server, client) = server().await;
        let mock = expect::results(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = client
            .get_dubbing_runs_results()
            .body(GetDubbingResultsRequest { run_ids: vec![RUN_ID] })
            .send()
            .await;

        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

/// The raw transcript call of the contract.
async fn transcript(
    client: &camb_api::Client,
) -> Result<
    camb_api::ResponseValue<camb_api::types::StringMap>,
    Error<camb_api::types::HttpValidationError>,
> {
    client
        .get_dubbed_run_transcript()
        .run_id(RUN_ID)
        .language(LANGUAGE)
        .format_type(TranscriptFileFormat::Srt)
        .data_type(TranscriptDataType::RawData)
        .send()
        .await
}

contract_test! {
    client = Raw, operation = "get_dubbed_run_transcript", status = 200,
    async fn transcript_sends_run_language_and_format_and_decodes_the_text() {
        let (server, client) = server().await;
        let mock = expect::transcript(&server, |then| then.ok(&expect::transcript_file()));

        let file = transcript(&client).await.expect("transcript succeeds").into_inner();

        assert_eq!(file.0["transcript"], SRT);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dubbed_run_transcript", status = 422,
    async fn transcript_decodes_a_validation_error() {
        let (server, client) = server().await;
        let mock = expect::transcript(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        expect::assert_validation_error(&unprocessable(transcript(&client).await));
        mock.assert_async().await;
    }
}

/// The raw export call of the contract.
async fn alt_format(
    client: &camb_api::Client,
) -> Result<
    camb_api::ResponseValue<camb_api::types::AltFormatResponse>,
    Error<camb_api::types::HttpValidationError>,
> {
    client
        .get_dubbed_output_in_alt_format()
        .run_id(RUN_ID)
        .language(LANGUAGE)
        .body(AltFormatRequest {
            output_format: "wav".into(),
        })
        .send()
        .await
}

contract_test! {
    client = Raw, operation = "get_dubbed_output_in_alt_format", status = 200,
    async fn alt_format_decodes_both_answer_forms() {
        let (server, client) = server().await;
        let mock = expect::alt_format(&server, |then| then.ok(&expect::export_task()));
        let task = alt_format(&client).await.expect("export succeeds").into_inner();
        assert_eq!(task.task_id_response.expect("a task").task_id.as_deref(), Some(EXPORT_TASK_ID));
        mock.assert_async().await;
        mock.delete_async().await;

        let mock = expect::alt_format(&server, |then| then.ok(&expect::export_file()));
        let file = alt_format(&client).await.expect("export succeeds").into_inner();
        // The task form's `task_id` is optional, so a file decodes as a task without one too.
        assert!(file.task_id_response.is_none_or(|task| task.task_id.is_none()));
        assert_eq!(file.string_map.expect("a file").0["file_url"], "https://cdn.example.com/out.wav");
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dubbed_output_in_alt_format", status = 422,
    async fn alt_format_decodes_a_validation_error() {
        let (server, client) = server().await;
        let mock = expect::alt_format(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        expect::assert_validation_error(&unprocessable(alt_format(&client).await));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dubbed_output_in_alt_format_status", status = 200,
    async fn alt_format_status_sends_the_task_id_and_decodes_the_status() {
        let (server, client) = server().await;
        let mock = expect::alt_format_status(&server, |then| then.ok(&expect::succeeded_status()));

        let status = client
            .get_dubbed_output_in_alt_format_status()
            .task_id(EXPORT_TASK_ID.to_owned())
            .send()
            .await
            .expect("status succeeds")
            .into_inner();

        assert_eq!(status.status, Some(TaskStatus::Success));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dubbed_output_in_alt_format_status", status = 422,
    async fn alt_format_status_decodes_a_validation_error() {
        let (server, client) = server().await;
        let mock = expect::alt_format_status(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = client
            .get_dubbed_output_in_alt_format_status()
            .task_id(EXPORT_TASK_ID.to_owned())
            .send()
            .await;

        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_source_languages", status = 200,
    async fn source_languages_decode_the_list() {
        let (server, client) = server().await;
        let mock = expect::source_languages(&server, |then| then.ok(&expect::language_list()));

        let list = client.get_source_languages().send().await;

        let list = list.expect("the list").into_inner();
        assert_eq!((list[0].id, list[1].id), (1, 152));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_source_languages", status = 422,
    async fn source_languages_decode_a_validation_error() {
        let (server, client) = server().await;
        let mock = expect::source_languages(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = client.get_source_languages().send().await;

        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_target_languages", status = 200,
    async fn target_languages_decode_the_list() {
        let (server, client) = server().await;
        let mock = expect::target_languages(&server, |then| then.ok(&expect::language_list()));

        let list = client.get_target_languages().send().await;

        let list = list.expect("the list").into_inner();
        assert_eq!(list[0].short_name, "en-us");
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_target_languages", status = 422,
    async fn target_languages_decode_a_validation_error() {
        let (server, client) = server().await;
        let mock = expect::target_languages(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = client.get_target_languages().send().await;

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
