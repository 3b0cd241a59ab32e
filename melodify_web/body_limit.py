"""waitress answers a body over its own limit (4x the upload limit) by itself, in plain text. Here that
answer comes from the app instead: the request goes to Django with its headers and an empty body, so
UploadLimitMiddleware refuses it from its Content-Length with the JSON or page every other 413 gets."""

from __future__ import annotations

import io

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge


class _TooLargeTask(WSGITask):
    def get_environment(self) -> dict:
        environ = super().get_environment()
        environ["wsgi.input"] = io.BytesIO()   # nothing of the body is passed on
        declared = int(environ.get("CONTENT_LENGTH") or 0)   # a chunked body has none: claim the limit
        environ["CONTENT_LENGTH"] = str(max(declared, self.channel.server.adj.max_request_body_size))
        return environ

    def execute(self) -> None:
        self.close_on_finish = True   # the rest of the body is never read: this connection is done
        super().execute()


def _error_task(channel: HTTPChannel, request) -> ErrorTask | WSGITask:
    task = _TooLargeTask if isinstance(request.error, RequestEntityTooLarge) else ErrorTask
    return task(channel, request)


class Channel(HTTPChannel):
    error_task_class = staticmethod(_error_task)


def serve(app, **adjustments) -> None:
    """waitress.serve with our Channel on every listening socket."""
    sockets: dict = {}
    server = create_server(app, map=sockets, **adjustments)
    for dispatcher in list(sockets.values()):
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = Channel
    server.print_listen("Serving on http://{}:{}")
    server.run()
