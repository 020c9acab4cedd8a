"""A FastAPI app that declares, once each, every construct CAMB.AI's
FastAPI-generated OpenAPI pages use. Its OpenAPI 3.1 document is the test
fixture `openapi.json` beside this file: `cargo test -p xtask --test
fastapi_fixture` converts it, generates the client with the shared progenitor
configuration and compiles it. Not part of the build; regenerate with

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    .venv/bin/python app.py > openapi.json
"""

import json
from enum import Enum, IntEnum
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Header, Path, Query
from pydantic import BaseModel, Field

app = FastAPI(title="FastAPI vocabulary fixture", version="0.1.0")


class Language(IntEnum):
    """Integer enum (CAMB.AI's language ids)."""

    ENGLISH = 1
    FRENCH = 76
    GERMAN = 31


class Speed(str, Enum):
    """String enum, used with a default."""

    SLOW = "slow"
    NORMAL = "normal"
    FAST = "fast"


class Segment(BaseModel):
    """A plain model, referenced from maps, arrays and unions."""

    start: Annotated[float, Field(ge=0)]
    end: Annotated[float, Field(gt=0, lt=86400)]
    text: str | None = None


class DubbingResult(BaseModel):
    """A result whose fields cover optional values, maps and nested nullables."""

    run_id: Annotated[int, Field(gt=0, examples=[42])]
    kind: Literal["dub"] = "dub"
    format: Literal["mp4", "mov"] | None = None
    video_url: str | None = Field(default=None, examples=["https://example.com/v.mp4"])
    segments: dict[str, Segment] = {}
    scores: dict[str, float | None] = {}
    speakers: list[str | None] = []
    metadata: dict[str, Any] = {}
    extra: dict[str, list[int | None]] | None = None
    span: tuple[int, str] | None = None
    language: Language = Language.ENGLISH
    speed: Speed = Speed.NORMAL
    first_segment: Segment | None = Field(default=None, description="The first segment, if any.")
    main_segment: Segment = Field(description="A $ref with a sibling description.")
    legacy_id: str | None = Field(default=None, deprecated=True)


class Cat(BaseModel):
    pet_type: Literal["cat"]
    meows: int


class Dog(BaseModel):
    pet_type: Literal["dog"]
    barks: float


class PetOwner(BaseModel):
    """Unions: of $refs, discriminated, of a $ref with an inline object,
    optional ones, and nullable models inside lists and maps."""

    pet: Cat | Dog
    tagged_pet: Annotated[Cat | Dog, Field(discriminator="pet_type")]
    pet_or_counts: Cat | dict[str, int]
    maybe_pets: list[Cat | Dog] | None = None
    pet_or_nothing: Cat | Dog | None = None
    segments_or_gaps: list[Segment | None] = []
    segment_by_speaker: dict[str, Segment | None] = {}


class DubbingRequest(BaseModel):
    """A create body: required, defaulted and bounded fields."""

    video_url: str
    source_language: Language
    target_languages: Annotated[list[Language], Field(min_length=1)]
    speed: Speed = Speed.NORMAL
    quality: Annotated[int, Field(ge=1, le=10)] = 5
    ratio: Annotated[float, Field(gt=0.0, lt=1.0)] | None = None
    mode: Literal["fast", "careful"] = "fast"


class TaskId(BaseModel):
    task_id: str


@app.post("/dubbing-results", response_model=TaskId)
def create_dubbing_result(
    request: DubbingRequest,
    traceparent: Annotated[str | None, Header()] = None,
    x_retry_count: Annotated[int | None, Header()] = None,
) -> TaskId:
    return TaskId(task_id="t")


@app.get("/dub-result/{run_id}")
def get_dubbed_run_info(
    run_id: Annotated[int | None, Path()],
    include: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int | None, Query(gt=0, le=100)] = None,
    speed: Speed = Speed.NORMAL,
    language: Language | None = None,
) -> DubbingResult | dict[str, DubbingResult]:
    raise NotImplementedError


@app.get("/pets/{owner_id}", deprecated=True)
def get_pet_owner(
    owner_id: str, verbose: bool | None = None, speed: Speed | None = None
) -> PetOwner:
    raise NotImplementedError


@app.get("/dub/{task_id}/segments")
def list_segments(task_id: str) -> list[Segment]:
    raise NotImplementedError


if __name__ == "__main__":
    print(json.dumps(app.openapi(), indent=2, sort_keys=True))
