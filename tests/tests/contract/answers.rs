//! Contract tests of the answers every operation shares, through both
//! clients: `401` for a refused key and `404` for an unknown id (FastAPI's
//! `{"detail": ...}`), and the Discord and Twitter status routes.

use camb_api::types::{HttpValidationError, LanguageInput};
use camb_api_ext::{Camb, Error, Integration, Language, OutputFormat, RunId, TaskId, TaskStatus};
use camb_tests::clients::{API_KEY, camb_client, raw_client};
use camb_tests::contract_test;
use httpmock::{Method, Mock, MockServer};
use serde_json::json;

use crate::expect;

/// The operations, by the short name both clients call them by.
#[derive(Clone, Copy, Debug)]
enum Operation {
    Create,
    Status,
    Result,
    Results,
    Transcript,
    AltFormat,
    AltFormatStatus,
    SourceLanguages,
    TargetLanguages,
    Discord,
    Twitter,
}

impl Operation {
    /// What the request must be: method and path.
    fn request(self) -> (Method, String) {
        let (run, task) = (expect::RUN_ID, expect::TASK_ID);
        let language = expect::LANGUAGE;
        match self {
            Operation::Create => (Method::POST, "/dub".into()),
            Operation::Status => (Method::GET, format!("/dub/{task}")),
            Operation::Result => (Method::GET, format!("/dub-result/{run}")),
            Operation::Results => (Method::POST, "/dubbing-results".into()),
            Operation::Transcript => (Method::GET, format!("/transcript/{run}/{language}")),
            Operation::AltFormat => (Method::POST, format!("/dub-alt-format/{run}/{language}")),
            Operation::AltFormatStatus => (Method::GET, format!("/dub-alt-format/{task}")),
            Operation::SourceLanguages => (Method::GET, "/source-languages".into()),
            Operation::TargetLanguages => (Method::GET, "/target-languages".into()),
            Operation::Discord => (Method::GET, format!("/discord/dub/{task}")),
            Operation::Twitter => (Method::GET, format!("/twitter/dub/{task}")),
        }
    }

    /// Calls the operation through `Camb`, its success value dropped.
    async fn camb(self, camb: &Camb) -> Result<(), Error> {
        let task_id = TaskId::new(expect::TASK_ID).expect("a valid task id");
        let run_id = RunId(expect::RUN_ID);
        let french = Language::from_id(expect::LANGUAGE as u32);
        match self {
            Operation::Create => camb.create_dub(&expect::create_request()).await.map(drop),
            Operation::Status => camb.status(&task_id).await.map(drop),
            Operation::Result => camb.result(run_id, [french]).await.map(drop),
            Operation::Results => camb.results([(run_id, [french])]).await.map(drop),
            Operation::Transcript => camb
                .transcript(run_id, french, camb_api_ext::TranscriptFileFormat::Srt)
                .await
                .map(drop),
            Operation::AltFormat => camb
                .start_export(run_id, french, &OutputFormat::Wav)
                .await
                .map(drop),
            Operation::AltFormatStatus => camb.export_status(&task_id).await.map(drop),
            Operation::SourceLanguages => camb.source_languages().await.map(drop),
            Operation::TargetLanguages => camb.target_languages().await.map(drop),
            Operation::Discord => camb
                .integration_status(Integration::Discord, &task_id)
                .await
                .map(drop),
            Operation::Twitter => camb
                .integration_status(Integration::Twitter, &task_id)
                .await
                .map(drop),
        }
    }

    /// Calls the operation through the raw client: the status it answered.
    async fn raw(
        self,
        client: &camb_api::Client,
    ) -> Result<u16, camb_api::Error<HttpValidationError>> {
        let task = expect::TASK_ID.to_owned();
        let run = expect::RUN_ID;
        let language = LanguageInput::Integer(expect::LANGUAGE);
        let body = expect::create_body();
        Ok(match self {
            Operation::Create => client
                .end_to_end_dubbing()
                .body(body)
                .send()
                .await?
                .status(),
            Operation::Status => client.get_dub_status().task_id(task).send().await?.status(),
            Operation::Result => client
                .get_dubbed_run_info()
                .run_id(run)
                .send()
                .await?
                .status(),
            Operation::Results => client
                .get_dubbing_runs_results()
                .body(camb_api::types::GetDubbingResultsRequest { run_ids: vec![run] })
                .send()
                .await?
                .status(),
            Operation::Transcript => client
                .get_dubbed_run_transcript()
                .run_id(run)
                .language(language)
                .send()
                .await?
                .status(),
            Operation::AltFormat => client
                .get_dubbed_output_in_alt_format()
                .run_id(run)
                .language(language)
                .body(camb_api::types::AltFormatRequest {
                    output_format: "wav".into(),
                })
                .send()
                .await?
                .status(),
            Operation::AltFormatStatus => client
                .get_dubbed_output_in_alt_format_status()
                .task_id(task)
                .send()
                .await?
                .status(),
            Operation::SourceLanguages => client.get_source_languages().send().await?.status(),
            Operation::TargetLanguages => client.get_target_languages().send().await?.status(),
            Operation::Discord => client
                .poll_discord_dub_task()
                .task_id(task)
                .send()
                .await?
                .status(),
            Operation::Twitter => client
                .poll_twitter_dub_task()
                .task_id(task)
                .send()
                .await?
                .status(),
        }
        .as_u16())
    }
}

/// Makes `server` answer the operation's request (method, path, key) with
/// `status` and `body`.
async fn answering(
    server: &MockServer,
    operation: Operation,
    status: u16,
    body: serde_json::Value,
) -> Mock<'_> {
    let (method, path) = operation.request();
    server
        .mock_async(|when, then| {
            when.method(method).path(path).header("x-api-key", API_KEY);
            then.status(status).json_body(body);
        })
        .await
}

/// Camb reads a `401` as `Error::Unauthorized` and a `404` as
/// `Error::NotFound`, keeping the server's detail.
async fn camb_reads(operation: Operation, status: u16) {
    let server = MockServer::start_async().await;
    let mock = answering(&server, operation, status, json!({"detail": "nope"})).await;
    let camb = camb_client(&server.base_url(), API_KEY);
    let error = operation.camb(&camb).await.expect_err("an error answer");
    assert_camb_error_answer(&error, status);
    mock.assert_async().await;
}

/// The raw client hands a `401` or `404` back as an unexpected response
/// with its status (only the `422` is typed).
async fn raw_reads(operation: Operation, status: u16) {
    let server = MockServer::start_async().await;
    let mock = answering(&server, operation, status, json!({"detail": "nope"})).await;
    let client = raw_client(&server.base_url(), API_KEY);
    match operation.raw(&client).await {
        Err(camb_api::Error::UnexpectedResponse(response)) => {
            assert_eq!(response.status().as_u16(), status);
        }
        other => panic!("{operation:?} {status}: {other:?}"),
    }
    mock.assert_async().await;
}

/// How `Camb` reads a `401` or `404` whose detail is `nope`: unauthorized,
/// or the dictionary (and term) or task or run not found, the detail kept.
pub(crate) fn assert_camb_error_answer(error: &Error, status: u16) {
    match (status, error) {
        (401, Error::Unauthorized { message, .. })
        | (404, Error::NotFound { message } | Error::DictionaryNotFound { message, .. }) => {
            assert!(message.contains("nope"), "{message}");
        }
        _ => panic!("{status}: {error:?}"),
    }
}

/// The raw and the `Camb` contract test of an operation's `401` or `404`,
/// for the families with their own typed mock (`$expect`, answering through
/// `$then`): the raw client hands it back as an unexpected response with its
/// status, `Camb` as [`assert_camb_error_answer`] reads it.
macro_rules! error_answer_tests {
    (
        $operation:literal, $status:literal, $expect:expr, $then:ident,
        $raw_test:ident, |$client:ident| $raw_call:expr,
        $camb_test:ident, |$camb:ident| $camb_call:expr $(,)?
    ) => {
        contract_test! {
            client = Raw, operation = $operation, status = $status,
            async fn $raw_test() {
                let server = httpmock::MockServer::start_async().await;
                let answer = serde_json::json!({"detail": "nope"});
                let mock = $expect(&server, |then| $then::new(then.into_inner().status($status).json_body(answer)));
                let $client = camb_tests::clients::raw_client(&server.base_url(), camb_tests::clients::API_KEY);
                match $raw_call.await {
                    Err(camb_api::Error::UnexpectedResponse(response)) => {
                        assert_eq!(response.status().as_u16(), $status);
                    }
                    other => panic!("{other:?}"),
                }
                mock.assert_async().await;
            }
        }

        contract_test! {
            client = Camb, operation = $operation, status = $status,
            async fn $camb_test() {
                let server = httpmock::MockServer::start_async().await;
                let answer = serde_json::json!({"detail": "nope"});
                let mock = $expect(&server, |then| $then::new(then.into_inner().status($status).json_body(answer)));
                let $camb = camb_tests::clients::camb_client(&server.base_url(), camb_tests::clients::API_KEY);
                let error = $camb_call.await.expect_err("an error answer");
                crate::answers::assert_camb_error_answer(&error, $status);
                mock.assert_async().await;
            }
        }
    };
}

/// Defines, for each line, one contract test per client of an operation's
/// `401` or `404`.
macro_rules! error_answers {
    ($( $camb:ident, $raw:ident: $operation:literal, $status:literal, $which:ident; )+) => {
        $(
            contract_test! {
                client = Camb, operation = $operation, status = $status,
                async fn $camb() {
                    camb_reads(Operation::$which, $status).await;
                }
            }
            contract_test! {
                client = Raw, operation = $operation, status = $status,
                async fn $raw() {
                    raw_reads(Operation::$which, $status).await;
                }
            }
        )+
    };
}

error_answers! {
    create_401_camb, create_401_raw: "end_to_end_dubbing", 401, Create;
    create_404_camb, create_404_raw: "end_to_end_dubbing", 404, Create;
    status_401_camb, status_401_raw: "get_dub_status", 401, Status;
    status_404_camb, status_404_raw: "get_dub_status", 404, Status;
    result_401_camb, result_401_raw: "get_dubbed_run_info", 401, Result;
    result_404_camb, result_404_raw: "get_dubbed_run_info", 404, Result;
    results_401_camb, results_401_raw: "get_dubbing_runs_results", 401, Results;
    transcript_401_camb, transcript_401_raw: "get_dubbed_run_transcript", 401, Transcript;
    transcript_404_camb, transcript_404_raw: "get_dubbed_run_transcript", 404, Transcript;
    alt_format_401_camb, alt_format_401_raw: "get_dubbed_output_in_alt_format", 401, AltFormat;
    alt_format_404_camb, alt_format_404_raw: "get_dubbed_output_in_alt_format", 404, AltFormat;
    alt_status_401_camb, alt_status_401_raw: "get_dubbed_output_in_alt_format_status", 401, AltFormatStatus;
    alt_status_404_camb, alt_status_404_raw: "get_dubbed_output_in_alt_format_status", 404, AltFormatStatus;
    source_languages_401_camb, source_languages_401_raw: "get_source_languages", 401, SourceLanguages;
    target_languages_401_camb, target_languages_401_raw: "get_target_languages", 401, TargetLanguages;
    discord_401_camb, discord_401_raw: "poll_discord_dub_task", 401, Discord;
    discord_404_camb, discord_404_raw: "poll_discord_dub_task", 404, Discord;
    twitter_401_camb, twitter_401_raw: "poll_twitter_dub_task", 401, Twitter;
    twitter_404_camb, twitter_404_raw: "poll_twitter_dub_task", 404, Twitter;
}

/// A status answer both clients read from an integration's route.
async fn integration_status(operation: Operation, integration: Integration) {
    let answer = json!({"status": "SUCCESS", "run_id": 42});
    let server = MockServer::start_async().await;
    let mock = answering(&server, operation, 200, answer).await;
    let camb = camb_client(&server.base_url(), API_KEY);
    let task_id = TaskId::new(expect::TASK_ID).expect("a valid task id");
    let status = camb
        .integration_status(integration, &task_id)
        .await
        .expect("a status");
    assert_eq!(status.status, TaskStatus::Success);
    assert_eq!(status.run_id, Some(RunId(42)));
    let client = raw_client(&server.base_url(), API_KEY);
    assert_eq!(operation.raw(&client).await.expect("a status"), 200);
    mock.assert_calls_async(2).await;
}

/// A `422` both clients read from an integration's route.
async fn integration_validation(operation: Operation) {
    let server = MockServer::start_async().await;
    let mock = answering(&server, operation, 422, json!(expect::validation_error())).await;
    let camb = camb_client(&server.base_url(), API_KEY);
    match operation.camb(&camb).await {
        Err(Error::Validation { detail }) => {
            expect::assert_validation_error(&HttpValidationError { detail });
        }
        other => panic!("{other:?}"),
    }
    let client = raw_client(&server.base_url(), API_KEY);
    match operation.raw(&client).await {
        Err(camb_api::Error::ErrorResponse(response)) => {
            expect::assert_validation_error(&response.into_inner());
        }
        other => panic!("{other:?}"),
    }
    mock.assert_calls_async(2).await;
}

contract_test! {
    client = Camb, operation = "poll_discord_dub_task", status = 200,
    async fn discord_status_reads_the_task_status_camb() {
        integration_status(Operation::Discord, Integration::Discord).await;
    }
}

contract_test! {
    client = Raw, operation = "poll_discord_dub_task", status = 200,
    async fn discord_status_reads_the_task_status_raw() {
        integration_status(Operation::Discord, Integration::Discord).await;
    }
}

contract_test! {
    client = Camb, operation = "poll_twitter_dub_task", status = 200,
    async fn twitter_status_reads_the_task_status_camb() {
        integration_status(Operation::Twitter, Integration::Twitter).await;
    }
}

contract_test! {
    client = Raw, operation = "poll_twitter_dub_task", status = 200,
    async fn twitter_status_reads_the_task_status_raw() {
        integration_status(Operation::Twitter, Integration::Twitter).await;
    }
}

contract_test! {
    client = Camb, operation = "poll_discord_dub_task", status = 422,
    async fn discord_status_validation_error_camb() {
        integration_validation(Operation::Discord).await;
    }
}

contract_test! {
    client = Raw, operation = "poll_discord_dub_task", status = 422,
    async fn discord_status_validation_error_raw() {
        integration_validation(Operation::Discord).await;
    }
}

contract_test! {
    client = Camb, operation = "poll_twitter_dub_task", status = 422,
    async fn twitter_status_validation_error_camb() {
        integration_validation(Operation::Twitter).await;
    }
}

contract_test! {
    client = Raw, operation = "poll_twitter_dub_task", status = 422,
    async fn twitter_status_validation_error_raw() {
        integration_validation(Operation::Twitter).await;
    }
}
