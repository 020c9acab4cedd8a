"""What FastAPI does with empty multipart form fields and odd file parts: the
measurement behind scripts/schemathesis_hooks.py (the two ST201 cases of
`POST /create-custom-voice` and `POST /story`, and their neighbours).

The endpoints are declared as CAMB.AI's spec implies (FastAPI names a form
schema `Body_<function>_<path>_<method>` when the `Form` and `File`
parameters are in the signature; optional ones `Optional[X] = Form(None)`).
Not run by CI (no Python there); to run it:

    python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi python-multipart httpx
    /tmp/fa/bin/python scripts/fastapi_form_probe.py

Measured with FastAPI 0.165.0, Pydantic 2.14.4, python-multipart 0.0.34:
an empty optional field is read as None (200), an empty required one is
422 `missing`, and a file part holding `3` is an upload of `3` (200).
"""
from typing import List, Optional

import fastapi
import pydantic
from fastapi import FastAPI, File, Form, UploadFile
from fastapi.testclient import TestClient

app = FastAPI()


@app.post("/create-custom-voice")
async def create_custom_voice(
    voice_name: str = Form(...),
    gender: int = Form(...),
    file: UploadFile = File(...),
    description: Optional[str] = Form(None),
    age: Optional[int] = Form(None),
    language: Optional[int] = Form(None),
    enhance_audio: Optional[bool] = Form(None),
    publish_voice_to_market_place: Optional[bool] = Form(None),
):
    return {"voice_name": voice_name, "enhance_audio": enhance_audio, "description": description,
            "file": (await file.read()).decode("latin-1")}


@app.post("/story")
async def create_story(
    file: UploadFile = File(...),
    source_language: int = Form(...),
    title: Optional[str] = Form(None),
    description: Optional[str] = Form(None),
    folder_id: Optional[int] = Form(None),
    narrator_voice_id: Optional[int] = Form(None),
    chosen_dictionaries: Optional[List[int]] = Form(None),
):
    return {"description": description, "file": (await file.read()).decode("latin-1"),
            "source_language": source_language}


client = TestClient(app)
print("fastapi", fastapi.__version__, "pydantic", pydantic.VERSION)
schema = app.openapi()["components"]["schemas"]
print("schema enhance_audio:", schema["Body_create_custom_voice_create_custom_voice_post"]["properties"]["enhance_audio"])
print("schema story description:", schema["Body_create_story_story_post"]["properties"]["description"])


def post(path, fields, file=("file", b"x")):
    files = [(name, (None, value)) for name, value in fields] + [("file", (file[0], file[1]))]
    r = client.post(path, files=files)
    print(f"  {path} {fields} -> {r.status_code} {r.text[:200]}")


print("ST201 case 1: enhance_audio empty")
post("/create-custom-voice", [("publish_voice_to_market_place", "true"), ("voice_name", "P"),
                              ("gender", "14996"), ("enhance_audio", ""), ("age", "2979")])
print("ST201 case 2: story description empty, file content '3'")
post("/story", [("description", ""), ("source_language", "0")], file=("file", b"3"))
print("neighbours:")
post("/create-custom-voice", [("voice_name", "P"), ("gender", "1"), ("enhance_audio", "true")])
post("/create-custom-voice", [("voice_name", "P"), ("gender", "1"), ("enhance_audio", "yes")])
post("/create-custom-voice", [("voice_name", "P"), ("gender", "1"), ("enhance_audio", "x")])
post("/create-custom-voice", [("voice_name", "P"), ("gender", "1"), ("enhance_audio", "null")])
post("/create-custom-voice", [("voice_name", "P"), ("gender", "1"), ("age", "")])
post("/create-custom-voice", [("voice_name", ""), ("gender", "1")])
post("/create-custom-voice", [("voice_name", "P"), ("gender", "")])
post("/story", [("source_language", "1"), ("description", "text")])
post("/story", [("source_language", "1"), ("title", "")])
post("/story", [("source_language", "")])
