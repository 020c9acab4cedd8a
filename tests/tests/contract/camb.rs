//! Contract tests through the client people use, `camb_api_ext::Camb`.

use crate::validation_detail;
use camb_api_ext::{
    Camb, ExceptionReason, Export, Language, OutputFormat, RunId, TaskId, TaskStatus,
    TranscriptFileFormat,
};
use camb_tests::clients::{API_KEY, camb_client};
use camb_tests::contract_test;
use httpmock::MockServer;

use crate::expect::{self, EXPORT_TASK_ID, RUN_ID, SRT, TASK_ID};

async fn server() -> (MockServer, Camb) {
    let server = MockServer::start_async().await;
    let camb = camb_client(&server.base_url(), API_KEY);
    (server, camb)
}

fn task_id() -> TaskId {
    TaskId::new(TASK_ID).expect("a valid task id")
}

contract_test! {
    client = Camb, operation = "end_to_end_dubbing", status = 200,
    async fn create_sends_the_json_body_and_returns_the_task_id() {
        let (server, camb) = server().await;
        let mock = expect::create(&server, |then| {
            then.ok(&camb_api::types::TaskIdResponse { task_id: Some(TASK_ID.into()) })
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
        let mock = expect::result(&server, |then| then.ok(&expect::single_result()));

        let outputs = camb.result(RunId(RUN_ID), [Language::DE_DE]).await.expect("result succeeds");

        let [output] = Vec::from_iter(outputs).try_into().expect("one output");
        assert_eq!(output.language, Language::DE_DE, "a single result is in the dub's one target");
        assert_eq!(output.video_url.as_deref(), Some("https://cdn.example.com/out.mp4"));
        assert_eq!(output.transcript.len(), 1);
        expect::assert_dub_result(&output.raw);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbed_run_info", status = 422,
    async fn result_turns_a_validation_error_into_error_validation() {
        let (server, camb) = server().await;
        let mock = expect::result(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = camb.result(RunId(RUN_ID), [Language::FR_FR]).await;

        expect::assert_validation_error(&validation_detail(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbed_run_info", status = 200,
    async fn result_gives_each_language_of_a_per_language_map() {
        let (server, camb) = server().await;
        let mock = expect::result(&server, |then| then.ok(&expect::per_language_result()));

        let outputs = camb.result(RunId(RUN_ID), [Language::FR_FR]).await.expect("result succeeds");

        assert_eq!(outputs.len(), 1);
        let french = outputs.get(Language::FR_FR).expect("the French output");
        assert_eq!(french.key.as_deref(), Some("76"));
        assert_eq!(french.audio_url.as_deref(), Some("https://cdn.example.com/out.mp3"));
        expect::assert_dub_result(&french.raw);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbing_runs_results", status = 200,
    async fn results_account_for_every_run() {
        let (server, camb) = server().await;
        let mock = expect::results(&server, |then| then.ok(&expect::batch_results()));

        let results = camb.results([(expect::run_id(), [Language::FR_FR])]).await.expect("results succeed");

        let [(run_id, outputs)] = <[_; 1]>::try_from(results).expect("one run");
        assert_eq!(run_id, expect::run_id());
        let outputs = outputs.expect("the run's outputs");
        assert_eq!(outputs.run_id(), run_id);
        expect::assert_dub_result(&outputs.get(Language::FR_FR).expect("French").raw);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbing_runs_results", status = 422,
    async fn results_turn_a_validation_error_into_error_validation() {
        let (server, camb) = server().await;
        let mock = expect::results(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = camb.results([(expect::run_id(), [Language::FR_FR])]).await;

        expect::assert_validation_error(&validation_detail(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbed_run_transcript", status = 200,
    async fn transcript_returns_the_text_in_the_asked_format() {
        let (server, camb) = server().await;
        let mock = expect::transcript(&server, |then| then.ok(&expect::transcript_file()));

        let srt = camb.transcript(expect::run_id(), Language::FR_FR, TranscriptFileFormat::Srt).await;

        assert_eq!(srt.expect("transcript succeeds"), SRT);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbed_run_transcript", status = 422,
    async fn transcript_turns_a_validation_error_into_error_validation() {
        let (server, camb) = server().await;
        let mock = expect::transcript(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = camb.transcript(expect::run_id(), Language::FR_FR, TranscriptFileFormat::Srt).await;

        expect::assert_validation_error(&validation_detail(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbed_output_in_alt_format", status = 200,
    async fn start_export_gives_the_file_or_the_task() {
        let (server, camb) = server().await;
        let export = || camb.start_export(expect::run_id(), Language::FR_FR, &OutputFormat::Wav);
        let mock = expect::alt_format(&server, |then| then.ok(&expect::export_task()));
        assert_eq!(export().await.expect("export succeeds"), Export::Pending(export_task_id()));
        mock.assert_async().await;
        mock.delete_async().await;

        let mock = expect::alt_format(&server, |then| then.ok(&expect::export_file()));
        assert_eq!(
            export().await.expect("export succeeds"),
            Export::Ready("https://cdn.example.com/out.wav".into())
        );
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbed_output_in_alt_format", status = 422,
    async fn start_export_turns_a_validation_error_into_error_validation() {
        let (server, camb) = server().await;
        let mock = expect::alt_format(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = camb.start_export(expect::run_id(), Language::FR_FR, &OutputFormat::Wav).await;

        expect::assert_validation_error(&validation_detail(result));
        mock.assert_async().await;
    }
}

fn export_task_id() -> TaskId {
    TaskId::new(EXPORT_TASK_ID).expect("a valid task id")
}

contract_test! {
    client = Camb, operation = "get_dubbed_output_in_alt_format_status", status = 200,
    async fn wait_for_export_polls_the_export_task() {
        let (server, camb) = server().await;
        let mock = expect::alt_format_status(&server, |then| then.ok(&expect::succeeded_status()));
        let mut seen = Vec::new();

        camb.wait_for_export(&export_task_id())
            .on_update(|update| seen.push(update.status.status.clone()))
            .await
            .expect("the export finishes");

        assert_eq!(seen, [TaskStatus::Success]);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dubbed_output_in_alt_format_status", status = 422,
    async fn wait_for_export_ends_on_a_validation_error() {
        let (server, camb) = server().await;
        let mock = expect::alt_format_status(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = camb.wait_for_export(&export_task_id()).await;

        expect::assert_validation_error(&validation_detail(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_source_languages", status = 200,
    async fn source_languages_are_typed_languages() {
        let (server, camb) = server().await;
        let mock = expect::source_languages(&server, |then| then.ok(&expect::language_list()));

        let list = camb.source_languages().await.expect("the list");

        assert_eq!(list[0].language, Language::EN_US);
        assert_eq!(list[0].name, "English (United States)");
        assert_eq!(list[1].language, Language::from_id(152));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_source_languages", status = 422,
    async fn source_languages_turn_a_validation_error_into_error_validation() {
        let (server, camb) = server().await;
        let mock = expect::source_languages(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        expect::assert_validation_error(&validation_detail(camb.source_languages().await));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_target_languages", status = 200,
    async fn target_languages_are_typed_languages() {
        let (server, camb) = server().await;
        let mock = expect::target_languages(&server, |then| then.ok(&expect::language_list()));

        let list = camb.target_languages().await.expect("the list");

        assert_eq!(list[1].language.id(), Some(152));
        assert_eq!(list[1].short_name, "nw-nw");
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_target_languages", status = 422,
    async fn target_languages_turn_a_validation_error_into_error_validation() {
        let (server, camb) = server().await;
        let mock = expect::target_languages(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        expect::assert_validation_error(&validation_detail(camb.target_languages().await));
        mock.assert_async().await;
    }
}
