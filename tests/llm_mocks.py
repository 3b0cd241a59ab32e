"""Answers shaped like OpenAI's and Gemini's real ones (their JSON bodies, status codes and headers), for
the SDKs' own HTTP layer: `transport(...)` is an httpx2 mock transport that plays a script of answers and
keeps the requests it saw; `MockOpenAIServer` serves the same answers on a loopback port, for a server
in another process (OPENAI_BASE_URL)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2

READING = {"caption": "Two friends laugh on a sunny beach as waves roll in behind them.",
           "caption_ko": "두 친구가 파도가 밀려오는 화창한 해변에서 웃고 있다.",
           "objects": ["friends", "waves", "umbrella"], "scene": "a sandy beach", "time_of_day": "afternoon",
           "weather": "sunny", "mood": ["carefree", "joyful"]}

BRIEF = {"genre": "latin", "mood": ["carefree", "sunny"], "valence": 0.82, "energy": 0.7, "tempo": 104, "key": "A",
         "mode": "major", "time_signature": "4/4", "instruments": ["nylon guitar", "marimba", "acoustic bass"],
         "description": "Latin: This latin track sways like the afternoon tide, a nylon guitar tracing a sunny "
                        "melody over bright marimba chords while the acoustic bass keeps an easy 104 bpm groove.",
         "description_ko": "라틴: 이 라틴 트랙은 오후의 파도처럼 흔들립니다. 나일론 기타가 밝은 마림바 화음 위로 "
                           "햇살 같은 선율을 그리고, 어쿠스틱 베이스가 104 bpm의 여유로운 그루브를 지킵니다.",
         "prompt": "sunny latin, 104 bpm, nylon guitar, marimba, acoustic bass, carefree"}

OPENAI_ERRORS = {
    401: {"error": {"message": "Incorrect API key provided: sk-test. You can find your API key at "
                               "https://platform.openai.com/account/api-keys.", "type": "invalid_request_error",
                    "param": None, "code": "invalid_api_key"}},
    404: {"error": {"message": "The model `gpt-nope` does not exist or you do not have access to it.",
                    "type": "invalid_request_error", "param": None, "code": "model_not_found"}},
    429: {"error": {"message": "Rate limit reached for gpt-6-luna in organization org-x on requests per min "
                               "(RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
                    "type": "requests", "param": None, "code": "rate_limit_exceeded"}},
    500: {"error": {"message": "The server had an error while processing your request. Sorry about that!",
                    "type": "server_error", "param": None, "code": None}},
}

GEMINI_ERRORS = {
    401: {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                    "status": "UNAUTHENTICATED"}},
    429: {"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).",
                    "status": "RESOURCE_EXHAUSTED"}},
    500: {"error": {"code": 500, "message": "An internal error has occurred. Please retry.", "status": "INTERNAL"}},
}


def openai_completion(content: str | None, *, refusal: str | None = None, finish: str = "stop") -> dict:
    return {"id": "chatcmpl-9x1", "object": "chat.completion", "created": 1790000000,
            "model": "gpt-6-luna-2026-09-22", "system_fingerprint": "fp_1a2b3c",
            "choices": [{"index": 0, "finish_reason": finish, "logprobs": None,
                         "message": {"role": "assistant", "content": content, "refusal": refusal,
                                     "annotations": []}}],
            "usage": {"prompt_tokens": 1211, "completion_tokens": 187, "total_tokens": 1398,
                      "prompt_tokens_details": {"cached_tokens": 0},
                      "completion_tokens_details": {"reasoning_tokens": 0}}}


def gemini_response(text: str | None, *, finish: str = "STOP", blocked: str | None = None) -> dict:
    usage = {"promptTokenCount": 1304, "candidatesTokenCount": 176, "totalTokenCount": 1480}
    if blocked:
        return {"promptFeedback": {"blockReason": blocked}, "usageMetadata": usage,
                "modelVersion": "gemini-3.5-flash-lite", "responseId": "r-1"}
    return {"candidates": [{"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": finish,
                            "index": 0}],
            "usageMetadata": usage, "modelVersion": "gemini-3.5-flash-lite", "responseId": "r-1"}


Answer = httpx2.Response | Exception | Callable[[httpx2.Request], httpx2.Response]


class Script:
    """Answers in order (the last one repeats), and the requests that asked for them."""

    def __init__(self, *answers: Answer) -> None:
        self.answers, self.requests = list(answers), []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer(request) if callable(answer) else answer

    def bodies(self) -> list[dict]:
        return [json.loads(r.content) for r in self.requests]

    def client(self) -> httpx2.Client:
        return httpx2.Client(transport=httpx2.MockTransport(self))


def ok(body: dict) -> httpx2.Response:
    return httpx2.Response(200, json=body)


def status(code: int, body: dict, **headers: str) -> httpx2.Response:
    return httpx2.Response(code, json=body, headers=headers)


def timeout() -> Exception:
    return httpx2.ReadTimeout("timed out")


def brief_for(question: str) -> dict:
    """BRIEF, in the genre the question asks for when the listener chose one."""
    from melodify.genres import GENRES

    chosen = re.search(r"The listener chose the genre: ([\w&-]+)\.", question)
    if not chosen or chosen.group(1) == BRIEF["genre"]:
        return BRIEF
    genre = GENRES[chosen.group(1)]
    return {**BRIEF, "genre": genre.name, "description": BRIEF["description"].replace("Latin", genre.label),
            "description_ko": BRIEF["description_ko"].replace("라틴", genre.label_ko)}


class MockOpenAIServer:
    """A loopback OpenAI: chat completions answer READING for a photo_reading schema, BRIEF for a brief."""

    def __init__(self, brief: dict | None = None) -> None:
        outer = self
        self.requests: list[dict] = []
        self.brief = brief   # always this brief (a bad one, say) instead of BRIEF in the genre asked for

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(body)
                name = body["response_format"]["json_schema"]["name"]
                parts = body["messages"][1]["content"]
                question = " ".join(part.get("text", "") for part in parts) if isinstance(parts, list) else parts
                answer = READING if name == "photo_reading" else outer.brief or brief_for(question)
                data = json.dumps(openai_completion(json.dumps(answer, ensure_ascii=False))).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> MockOpenAIServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
