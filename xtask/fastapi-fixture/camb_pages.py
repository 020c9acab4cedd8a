"""CAMB.AI's dubbing surface as a FastAPI app, written as one docs page per
endpoint in CAMB.AI's page format (markdown, then a four-backtick
````yaml <method> <path>```` block holding a complete OpenAPI 3.1 document for
that one endpoint).

The models follow CAMB.AI's official Python SDK, camb-sdk 1.6.6 (files
`camb/dub/raw_client.py`, `camb/dub/types/*.py`, `camb/languages/raw_client.py`,
`camb/dictionaries/raw_client.py`, `camb/folders/raw_client.py`,
`camb/transcription/raw_client.py`, `camb/types/*.py`), which Fern generates
from CAMB.AI's own API definition, so its type names are that definition's
component names. Where the SDK inlines a request body its name is ours.

The pages are test input written by us, not CAMB.AI's pages: they never go
into spec/upstream. `cargo test -p xtask --test fixture_corpus` vendors them
on top of the overlay. Not part of the build; regenerate with

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    .venv/bin/python camb_pages.py pages
"""

import re
import sys
from enum import Enum, IntEnum
from pathlib import Path as FilePath
from datetime import datetime
from typing import Annotated, Any, Literal

import yaml
from fastapi import APIRouter, Depends, FastAPI, File, Form, Header, Path, Query, UploadFile
from fastapi.responses import StreamingResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

API_KEY_DESCRIPTION = (
    "The `x-api-key` is a custom header required for authenticating requests to "
    "our API. Include this header in your request with the appropriate API key "
    "value to securely access our endpoints. You can find your API key(s) in the "
    "'API' section of our studio website."
)
api_key = APIKeyHeader(name="x-api-key", description=API_KEY_DESCRIPTION)

app = FastAPI(
    title="FastAPI",
    version="0.1.0",
    servers=[{"url": "https://client.camb.ai/apis"}],
)
router = APIRouter(tags=["Apis"], dependencies=[Depends(api_key)])


# ---- shared types (camb/types/*.py) ----------------------------------------

TaskIDParam = TypeAliasType(
    "TaskIDParam",
    Annotated[
        str,
        Field(
            title="Task ID",
            description=(
                "This parameter represents a unique identifier for a task. It is "
                "used in various API endpoints to query the status or result of a "
                "specific task. The `task_id` is typically returned when a task is "
                "created."
            ),
        ),
    ],
)
TASK_ID_DESCRIPTION = (
    "A unique identifier for the task. This is used to query the status of the "
    "dubbing task that is running. It is returned when a create request is made "
    "for dubbing."
)

# camb/types/language_input.py: "numeric ID, locale tag, or ``auto`` for detection".
LanguageInput = TypeAliasType(
    "LanguageInput",
    Annotated[
        int | str,
        Field(description="A language: its numeric id, its locale tag (`fr-fr`), or `auto` to detect it."),
    ],
)

# camb/types/language_enums.py (typed as `int` in camb/types/languages.py).
LANGUAGE_IDS = """
EN_US=1 AF_ZA=2 AM_ET=3 AR_AE=4 AR_BH=5 AR_DZ=6 AR_EG=7 AR_IQ=8 AR_JO=9 AR_KW=10 AR_LB=11
AR_LY=12 AR_MA=13 AR_OM=14 AR_QA=15 AR_SA=16 AR_SY=17 AR_TN=18 AR_YE=19 AZ_AZ=20 BG_BG=21
BN_BD=22 BN_IN=23 BS_BA=24 CA_ES=25 CS_CZ=26 CY_GB=27 DA_DK=28 DE_AT=29 DE_CH=30 DE_DE=31
EL_GR=32 EN_AU=33 EN_CA=34 EN_GB=35 EN_HK=36 EN_IE=37 EN_IN=38 EN_KE=39 EN_NG=40 EN_NZ=41
EN_PH=42 EN_SG=43 EN_TZ=44 EN_ZA=45 ES_AR=46 ES_BO=47 ES_CL=48 ES_CO=49 ES_CR=50 ES_CU=51
ES_DO=52 ES_EC=53 ES_ES=54 ES_GQ=55 ES_GT=56 ES_HN=57 ES_MX=58 ES_NI=59 ES_PA=60 ES_PE=61
ES_PR=62 ES_PY=63 ES_SV=64 ES_US=65 ES_UY=66 ES_VE=67 ET_EE=68 EU_ES=69 FA_IR=70 FI_FI=71
FIL_PH=72 FR_BE=73 FR_CA=74 FR_CH=75 FR_FR=76 GA_IE=77 GL_ES=78 GU_IN=79 HE_IL=80 HI_IN=81
HR_HR=82 HU_HU=83 HY_AM=84 ID_ID=85 IS_IS=86 IT_IT=87 JA_JP=88 JV_ID=89 KA_GE=90 KK_KZ=91
KM_KH=92 KN_IN=93 KO_KR=94 LO_LA=95 LT_LT=96 LV_LV=97 MK_MK=98 ML_IN=99 MN_MN=100 MR_IN=101
MS_MY=102 MT_MT=103 MY_MM=104 NB_NO=105 NE_NP=106 NL_BE=107 NL_NL=108 PL_PL=109 PS_AF=110
PT_BR=111 PT_PT=112 RO_RO=113 RU_RU=114 SI_LK=115 SK_SK=116 SL_SI=117 SO_SO=118 SQ_AL=119
SR_RS=120 SU_ID=121 SV_SE=122 SW_KE=123 SW_TZ=124 TA_IN=125 TA_LK=126 TA_MY=127 TA_SG=128
TE_IN=129 TH_TH=130 TR_TR=131 UK_UA=132 UR_IN=133 UR_PK=134 UZ_UZ=135 VI_VN=136 ZH_CN=139
ZH_CN_HENAN=140 ZH_CN_LIAONING=141 ZH_CN_SHAANXI=142 ZH_CN_SHANDONG=143 ZH_CN_SICHUAN=144
ZH_HK=145 ZH_TW=146 ZU_ZA=147 PA_IN=148 SA_IN=149 AR_XA=150 TL_PH=151
"""
Languages = IntEnum(
    "Languages",
    [(name, int(id)) for name, id in (pair.split("=") for pair in LANGUAGE_IDS.split())],
)


class TaskStatus(str, Enum):
    # The published status page's five values; the SDK knows three of them
    # and accepts any string (camb/types/task_status.py).
    SUCCESS = "SUCCESS"
    PENDING = "PENDING"
    TIMEOUT = "TIMEOUT"
    ERROR = "ERROR"
    PAYMENT_REQUIRED = "PAYMENT_REQUIRED"


class ExceptionReasons(str, Enum):
    HARMFUL_CONTENT_DETECTED = "HARMFUL_CONTENT_DETECTED"
    VOICE_CONVERSION_ERROR = "VOICE_CONVERSION_ERROR"
    PROCESSING_ERROR = "PROCESSING_ERROR"
    SOURCE_TOO_LONG = "SOURCE_TOO_LONG"
    SOURCE_TOO_LARGE = "SOURCE_TOO_LARGE"
    SOURCE_TYPE_NOT_SUPPORTED = "SOURCE_TYPE_NOT_SUPPORTED"
    ERROR_DOWNLOADING_SOURCE = "ERROR_DOWNLOADING_SOURCE"
    TOO_MANY_GDRIVE_REQUESTS = "TOO_MANY_GDRIVE_REQUESTS"
    SOURCE_BLOCKED_IN_REGION = "SOURCE_BLOCKED_IN_REGION"
    SOURCE_IS_AGE_RESTRICTED = "SOURCE_IS_AGE_RESTRICTED"
    SOURCE_NOT_FOUND = "SOURCE_NOT_FOUND"
    MISMATCHED_SOURCE_CODEC = "MISMATCHED_SOURCE_CODEC"
    CONTENT_DOES_NOT_MATCH_EXTENSION = "CONTENT_DOES_NOT_MATCH_EXTENSION"
    INVALID_SOURCE_DATA = "INVALID_SOURCE_DATA"
    VIDEO_DOES_NOT_HAVE_AUDIO_STREAMS = "VIDEO_DOES_NOT_HAVE_AUDIO_STREAMS"
    MASTERING_OUT_OF_RANGE = "MASTERING_OUT_OF_RANGE"
    INVALID_AUDIO_TRACKS_SELECTION = "INVALID_AUDIO_TRACKS_SELECTION"
    PAYMENT_REQUIRED = "PAYMENT_REQUIRED"
    FORBIDDEN = "FORBIDDEN"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    NONE = "NONE"


def without_default(schema: dict) -> None:
    """Writes a defaulted field as the published status page does: not
    required, and no `default` in the schema."""
    schema.pop("default", None)


class OrchestratorPipelineResult(BaseModel):
    # Not required, as the published status page writes it (the SDK's
    # camb/types/orchestrator_pipeline_result.py requires it).
    status: TaskStatus = Field(default=None, json_schema_extra=without_default)
    run_id: int | None = Field(default=None, title="Run ID")
    # camb/types/orchestrator_pipeline_result_exception_reason.py: any string
    # or a known reason.
    exception_reason: str | ExceptionReasons | None = None
    # camb/types/orchestrator_pipeline_result_message.py: an object or a string.
    message: dict[str, Any] | str | None = None


class OrchestratorPipelineCallResult(BaseModel):
    task_id: str | None = None


class Transcript(BaseModel):
    start: float
    end: float
    text: str
    speaker: str


class DubbingResult(BaseModel):
    audio_url: str
    transcript: list[Transcript]
    video_url: str | None = None


class DubSRTInput(BaseModel):
    """Inline SRT text, not a filename, URL, or base64-encoded file."""

    content: str
    format: Literal["srt"] = "srt"


class DubTargetSRTInput(DubSRTInput):
    """Translated SRT text for one requested target language."""

    language: int | str


class EndToEndDubbingRequestPayload(BaseModel):
    project_name: str | None = None
    project_description: str | None = None
    folder_id: int | None = None
    video_url: str
    source_language: LanguageInput
    target_language: LanguageInput | None = None
    target_languages: list[LanguageInput] | None = None
    selected_audio_tracks: list[int] | None = None
    add_output_as_an_audio_track: bool | None = None
    chosen_dictionaries: list[int] | None = None
    ai_optimization: bool | None = None
    transcription_mode: Literal["fast", "slow"] | None = Field(
        default="fast", description="Transcription mode: `fast` (default) or `slow`."
    )
    source_transcript: DubSRTInput | dict[str, Any] | None = Field(
        default=None,
        description="Optional original-language SRT contents. The API validates parsing and size limits.",
    )
    target_transcripts: list[DubTargetSRTInput | dict[str, Any]] | None = Field(
        default=None,
        description="Optional translated SRT contents, one per requested target language.",
    )


class RunIDsRequestPayload(BaseModel):
    run_ids: list[int]


class TranscriptFileFormat(str, Enum):
    SRT = "srt"
    VTT = "vtt"
    TXT = "txt"


class TranscriptDataType(str, Enum):
    RAW_DATA = "raw_data"
    FILE = "file"


class AudioOutputType(str, Enum):
    FLAC = "flac"
    WAV = "wav"
    MP3 = "mp3"
    AAC = "aac"
    M4A = "m4a"


class VideoOutputTypeWithoutAvi(str, Enum):
    MKV = "mkv"
    MP4 = "mp4"
    MOV = "mov"
    MXF = "mxf"


class DubbedOutputInAltFormatRequestPayload(BaseModel):
    output_format: AudioOutputType | VideoOutputTypeWithoutAvi


class LanguagePydanticModel(BaseModel):
    id: int
    language: str
    short_name: str


class TermTranslationOutput(BaseModel):
    language: int
    term_text: str


class DictionaryTerm(BaseModel):
    id: int
    term_translations: list[TermTranslationOutput]


class DictionaryWithTerms(BaseModel):
    id: int
    name: str
    description: str | None = None
    created_at: datetime | None = None
    last_edited_at: datetime | None = None
    dictionary_terms: list[DictionaryTerm] | None = None
    languages: list[Languages] | None = None


class TermTranslationInput(BaseModel):
    translation: str
    language: Languages


class TermTranslationsRequestPayload(BaseModel):
    translations: list[TermTranslationInput]


class Folder(BaseModel):
    team_id: int
    name: str


class CreateFolderRequestPayload(BaseModel):
    folder_name: str


class TranscriptionResult(BaseModel):
    transcript: list[Transcript]


class TranscriptExportResult(BaseModel):
    transcript: str


RunIdQuery = Annotated[int | None, Query()]
Traceparent = Annotated[str | None, Header()]


# ---- dubbing (camb/dub/raw_client.py, camb/languages/raw_client.py) ---------


@router.post("/dub")
def end_to_end_dubbing(
    request: EndToEndDubbingRequestPayload, run_id: RunIdQuery = None
) -> OrchestratorPipelineCallResult:
    raise NotImplementedError


@router.get("/dub/{task_id}", summary="Get End To End Dubbing Status")
def get_dub_status(
    task_id: Annotated[TaskIDParam, Path(description=TASK_ID_DESCRIPTION)],
    run_id: RunIdQuery = None,
) -> OrchestratorPipelineResult:
    raise NotImplementedError


@router.get("/dub-result/{run_id}")
def get_dubbed_run_info(
    run_id: Annotated[int | None, Path()],
) -> DubbingResult | dict[str, DubbingResult]:
    raise NotImplementedError


@router.post("/dubbing-results")
def get_dubbing_runs_results(
    request: RunIDsRequestPayload, run_id: RunIdQuery = None, traceparent: Traceparent = None
) -> dict[str, DubbingResult | dict[str, DubbingResult]]:
    raise NotImplementedError


@router.get("/transcript/{run_id}/{language}")
def get_dubbed_run_transcript(
    run_id: Annotated[int | None, Path()],
    language: Annotated[LanguageInput, Path()],
    format_type: Annotated[
        TranscriptFileFormat | None,
        Query(description="Format to use for the transcription. Either `srt`, `vtt` or `txt`. Defaults to `txt`."),
    ] = None,
    data_type: Annotated[
        TranscriptDataType | None,
        Query(
            description=(
                "Data type for the transcription being returned. Returns the raw data of the "
                "transcription or a presigned url for the file that holds the transcription data."
            )
        ),
    ] = None,
) -> dict[str, str]:
    raise NotImplementedError


@router.post("/dub-alt-format/{run_id}/{language}")
def get_dubbed_output_in_alt_format(
    run_id: Annotated[int | None, Path()],
    language: Annotated[LanguageInput, Path()],
    request: DubbedOutputInAltFormatRequestPayload,
) -> dict[str, str] | OrchestratorPipelineCallResult:
    raise NotImplementedError


@router.get("/dub-alt-format/{task_id}")
def get_dubbed_output_in_alt_format_status(
    task_id: Annotated[TaskIDParam, Path()], run_id: RunIdQuery = None
) -> OrchestratorPipelineResult:
    raise NotImplementedError


@router.get("/discord/dub/{task_id}")
def poll_discord_dub_task(
    task_id: Annotated[TaskIDParam, Path()], run_id: RunIdQuery = None
) -> OrchestratorPipelineResult:
    raise NotImplementedError


@router.get("/twitter/dub/{task_id}")
def poll_twitter_dub_task(
    task_id: Annotated[TaskIDParam, Path()], run_id: RunIdQuery = None
) -> OrchestratorPipelineResult:
    raise NotImplementedError


@router.get("/source-languages")
def get_source_languages(run_id: RunIdQuery = None) -> list[LanguagePydanticModel]:
    raise NotImplementedError


@router.get("/target-languages")
def get_target_languages(run_id: RunIdQuery = None) -> list[LanguagePydanticModel]:
    raise NotImplementedError


# ---- dictionaries (camb/dictionaries/raw_client.py) ------------------------
# Calls whose SDK answer is `typing.Any` have no return annotation: FastAPI
# then writes an empty response schema.


@router.get("/dictionaries")
def get_dictionaries(run_id: RunIdQuery = None) -> list[DictionaryWithTerms]:
    raise NotImplementedError


@router.post("/dictionaries/create-from-file")
def create_dictionary_from_file(
    dictionary_file: Annotated[UploadFile, File()],
    dictionary_name: Annotated[
        str,
        Form(description="The name of the dictonary to be created. This is mainly used for organizational purposes."),
    ],
    dictionary_description: Annotated[
        str | None,
        Form(
            description=(
                "The description of the dictionary to be created. This is an optional field that is "
                "used to help you provide some info about your dictionaries for better organization."
            )
        ),
    ] = None,
    run_id: RunIdQuery = None,
):
    raise NotImplementedError


@router.get("/dictionaries/{dictionary_id}")
def get_dictionary_info(dictionary_id: int, run_id: RunIdQuery = None) -> DictionaryWithTerms:
    raise NotImplementedError


@router.delete("/dictionaries/{dictionary_id}")
def delete_dictionary(dictionary_id: int, run_id: RunIdQuery = None):
    raise NotImplementedError


@router.get("/dictionaries/{dictionary_id}/full-details")
def get_dictionary_details(
    dictionary_id: int,
    limit: Annotated[
        int | None, Query(description="Limit how many terms are returned when fetching the dictionary details.")
    ] = None,
    search_term: Annotated[str | None, Query()] = None,
    run_id: RunIdQuery = None,
) -> DictionaryWithTerms:
    raise NotImplementedError


@router.post("/dictionaries/{dictionary_id}/add-term")
def add_term_to_dictionary(
    dictionary_id: int, request: TermTranslationsRequestPayload, run_id: RunIdQuery = None
):
    raise NotImplementedError


@router.put("/dictionaries/term/{dictionary_id}/{term_id}")
def update_term_translation_in_dictionary_using_term_id(
    dictionary_id: int, term_id: int, request: TermTranslationsRequestPayload, run_id: RunIdQuery = None
):
    raise NotImplementedError


@router.delete("/dictionaries/term/{dictionary_id}/{term_id}")
def delete_dictionary_term(dictionary_id: int, term_id: int, run_id: RunIdQuery = None):
    raise NotImplementedError


# ---- folders (camb/folders/raw_client.py) ----------------------------------


@router.get("/folders")
def list_folders(
    limit: Annotated[int | None, Query()] = None,
    search_query: Annotated[str | None, Query()] = None,
    run_id: RunIdQuery = None,
) -> list[Folder]:
    raise NotImplementedError


@router.post("/folders/create")
def create_folder(request: CreateFolderRequestPayload, run_id: RunIdQuery = None):
    raise NotImplementedError


# ---- transcription (camb/transcription/raw_client.py) ----------------------
# The SDK's `run_id` and `word_level_timestamps` arguments here are
# "deprecated compatibility" arguments it never sends: not in the API.


@router.post("/transcribe")
def create_transcription(
    language: Annotated[LanguageInput, Form(description='Language ID, locale tag, or "auto" for language detection.')],
    media_file: Annotated[UploadFile | None, File()] = None,
    media_url: Annotated[str | None, Form(description="Signed URL to media file for transcription")] = None,
    file: Annotated[
        UploadFile | None, File(deprecated=True, description="Deprecated alias for media_file.")
    ] = None,
    audio_url: Annotated[str | None, Form(deprecated=True, description="Use 'media_url' instead")] = None,
    project_name: Annotated[str | None, Form()] = None,
    project_description: Annotated[str | None, Form()] = None,
    folder_id: Annotated[int | None, Form()] = None,
    transcription_mode: Annotated[
        Literal["fast", "slow"] | None, Form(description="Transcription mode: `fast` (default) or `slow`.")
    ] = "fast",
    run_audio_cleaning: Annotated[
        bool,
        Form(description="Run source separation before transcription (default True). Set False for clean speech."),
    ] = True,
    include_music_in_fg: Annotated[
        bool,
        Form(
            description=(
                "Keep music in foreground audio during cleaning (default True). "
                "Has no effect when run_audio_cleaning is False."
            )
        ),
    ] = True,
    # The SDK sends SubtitleFormattingOptions (or any object) JSON-encoded.
    formatting_options: Annotated[str | None, Form()] = None,
) -> OrchestratorPipelineCallResult:
    raise NotImplementedError


@router.get("/transcribe/{task_id}")
def get_transcription_task_status(
    task_id: Annotated[TaskIDParam, Path()],
) -> OrchestratorPipelineResult:
    raise NotImplementedError


@router.get("/transcription-result/{run_id}")
def get_transcription_result(
    run_id: Annotated[int, Path(description="Required transcription run ID.")],
    format_type: Annotated[TranscriptFileFormat | None, Query()] = None,
    data_type: Annotated[TranscriptDataType | None, Query()] = None,
) -> TranscriptionResult | TranscriptExportResult:
    raise NotImplementedError


@router.post("/transcription-results")
def get_transcription_results(
    request: RunIDsRequestPayload,
    traceparent: Traceparent = None,
) -> dict[str, TranscriptionResult]:
    raise NotImplementedError


# ---- a binary answer (camb/text_to_audio/raw_client.py) ---------------------
# The one call of the SDK's dubbing neighbours that answers bytes: the
# sound as WAV, streamed (the SDK reads it with `iter_bytes`).


@router.get(
    "/text-to-sound-result/{run_id}",
    response_class=StreamingResponse,
    responses={200: {"content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}}}},
)
def get_text_to_audio_result(
    run_id: Annotated[int | None, Path()],
    output_type: Annotated[str | None, Query(description="Output format for the Text To Speech result")] = None,
):
    raise NotImplementedError


app.include_router(router)


# ---- the pages ---------------------------------------------------------------

# Function name -> (page file name, page title, one-line description). The
# names follow CAMB.AI's docs pages (`end-to-end-dubbing`,
# `get-end-to-end-dubbing-status`, `get-dubbed-run-info`), the rest the SDK's
# method names.
PAGES = {
    "end_to_end_dubbing": (
        "end-to-end-dubbing",
        "End to End Dubbing",
        "Starts a dubbing task for a video or audio file and returns its `task_id`.",
    ),
    "get_dub_status": (
        "get-end-to-end-dubbing-status",
        "Get End to End Dubbing Task Status",
        "Retrieves the current status of a Dubbing task using the specified `task_id`.",
    ),
    "get_dubbed_run_info": (
        "get-dubbed-run-info",
        "Get Dubbed Run Info",
        "Retrieves the outputs of a finished dubbing run: one result, or one per target language.",
    ),
    "get_dubbing_runs_results": (
        "get-dubbing-runs-results",
        "Get Dubbing Runs Results",
        "Retrieves the outputs of many dubbing runs at once, keyed by run id.",
    ),
    "get_dubbed_run_transcript": (
        "get-dubbed-run-transcript",
        "Get Dubbed Run Transcript",
        "Retrieves the transcript of a dubbing run in one language as SRT, VTT or plain text.",
    ),
    "get_dubbed_output_in_alt_format": (
        "get-dubbed-output-in-alt-format",
        "Get Dubbed Output in Alt Format",
        "Exports a dubbing run's output in another audio or video format.",
    ),
    "get_dubbed_output_in_alt_format_status": (
        "get-dubbed-output-in-alt-format-status",
        "Get Dubbed Output in Alt Format Status",
        "Retrieves the status of an alternative-format export task.",
    ),
    "poll_discord_dub_task": (
        "poll-discord-dub-task",
        "Poll Discord Dub Task",
        "Retrieves the status of a dubbing task started from the Discord integration.",
    ),
    "poll_twitter_dub_task": (
        "poll-twitter-dub-task",
        "Poll Twitter Dub Task",
        "Retrieves the status of a dubbing task started from the Twitter integration.",
    ),
    "get_source_languages": (
        "get-source-languages",
        "Get Source Languages",
        "Lists the languages a source can be in.",
    ),
    "get_target_languages": (
        "get-target-languages",
        "Get Target Languages",
        "Lists the languages a dub can be made into.",
    ),
    "get_dictionaries": (
        "get-dictionaries",
        "Get Dictionaries",
        "Lists the account's dictionaries.",
    ),
    "create_dictionary_from_file": (
        "create-dictionary-from-file",
        "Create Dictionary from File",
        "Creates a dictionary from an uploaded term file.",
    ),
    "get_dictionary_info": (
        "get-dictionary-info",
        "Get Dictionary Info",
        "Retrieves one dictionary.",
    ),
    "delete_dictionary": (
        "delete-dictionary",
        "Delete Dictionary",
        "Deletes one dictionary.",
    ),
    "get_dictionary_details": (
        "get-dictionary-details",
        "Get Dictionary Details",
        "Retrieves one dictionary with its terms.",
    ),
    "add_term_to_dictionary": (
        "add-term-to-dictionary",
        "Add Term to Dictionary",
        "Adds a term, with its translations, to a dictionary.",
    ),
    "update_term_translation_in_dictionary_using_term_id": (
        "update-term-translation-in-dictionary-using-term-id",
        "Update Term Translation in Dictionary",
        "Replaces the translations of one term of a dictionary.",
    ),
    "delete_dictionary_term": (
        "delete-dictionary-term",
        "Delete Dictionary Term",
        "Deletes one term of a dictionary.",
    ),
    "list_folders": (
        "list-folders",
        "List Folders",
        "Lists the account's folders.",
    ),
    "create_folder": (
        "create-folder",
        "Create Folder",
        "Creates a folder.",
    ),
    "create_transcription": (
        "create-transcription",
        "Create Transcription",
        "Starts a transcription task for an uploaded file or a media URL.",
    ),
    "get_transcription_task_status": (
        "get-transcription-task-status",
        "Get Transcription Task Status",
        "Retrieves the current status of a transcription task.",
    ),
    "get_transcription_result": (
        "get-transcription-result",
        "Get Transcription Result",
        "Retrieves the transcript of a finished transcription run.",
    ),
    "get_text_to_audio_result": (
        "get-text-to-audio-result",
        "Get Text to Audio Result",
        "Retrieves the sound of a finished text-to-sound run, as WAV audio.",
    ),
    "get_transcription_results": (
        "get-transcription-results",
        "Get Transcription Results",
        "Retrieves the transcripts of many transcription runs at once, keyed by run id.",
    ),
}

PAGE_HEADER = """\
> ## Documentation Index
> Fetch the complete documentation index at: https://docs.camb.ai/llms.txt
> Use this file to discover all available pages before exploring further.
"""

PAGE_NOTE = (
    "This page is a test fixture of camb-dub-rs, written in the format of "
    "CAMB.AI's docs pages: FastAPI emitted its OpenAPI document for a model "
    "of the endpoint taken from CAMB.AI's Python SDK (camb-sdk 1.6.6). It is "
    "not CAMB.AI's page."
)


def refs_of(value: Any) -> list[str]:
    """The component names `value` refers to, in document order."""
    found = []
    if isinstance(value, dict):
        reference = value.get("$ref")
        if isinstance(reference, str):
            found.append(reference.removeprefix("#/components/schemas/"))
        for child in value.values():
            found.extend(refs_of(child))
    elif isinstance(value, list):
        for child in value:
            found.extend(refs_of(child))
    return found


def endpoint_document(spec: dict, path: str, method: str) -> dict:
    """A complete OpenAPI document for one operation of `spec`: the shared
    parts, the path, and the schemas it uses (breadth first, as CAMB.AI's
    pages list them)."""
    operation = dict(spec["paths"][path][method])
    # CAMB.AI's pages write an operation's `security` last.
    operation["security"] = operation.pop("security")
    schemas = spec["components"]["schemas"]
    used, queue = [], refs_of(operation)
    while queue:
        name = queue.pop(0)
        if name not in used:
            used.append(name)
            queue.extend(refs_of(schemas[name]))
    return {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "servers": spec["servers"],
        "security": [],
        "paths": {path: {method: operation}},
        "components": {
            "schemas": {name: schemas[name] for name in used},
            "securitySchemes": spec["components"]["securitySchemes"],
        },
    }


class PageDumper(yaml.SafeDumper):
    """YAML as CAMB.AI's pages write it: sequences indented under their key,
    long strings folded."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = ">" if len(text) > 60 and " " in text and "\n" not in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


PageDumper.add_representer(str, represent_str)


def page(document: dict, path: str, method: str, title: str, description: str) -> str:
    block = yaml.dump(document, Dumper=PageDumper, sort_keys=False, allow_unicode=True, width=80)
    return (
        f"{PAGE_HEADER}\n# {title}\n\n> {description}\n\n{PAGE_NOTE}\n\n\n"
        f"## OpenAPI\n\n````yaml {method} {path}\n{block}\n````"
    )


def write_pages(out_dir: FilePath) -> None:
    spec = app.openapi()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = set()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            # FastAPI's default operationId: the function name, then the path and method.
            function = operation["operationId"].removesuffix(re.sub(r"\W", "_", path) + "_" + method)
            name, title, description = PAGES[function]
            text = page(endpoint_document(spec, path, method), path, method, title, description)
            (out_dir / f"{name}.md").write_text(text)
            written.add(name)
    unused = set(name for name, _, _ in PAGES.values()) - written
    assert not unused, f"pages without an endpoint: {unused}"
    stale = {file.stem for file in out_dir.glob("*.md")} - written
    assert not stale, f"pages of no endpoint in {out_dir}: {stale}"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: camb_pages.py OUT_DIR")
    write_pages(FilePath(sys.argv[1]))
