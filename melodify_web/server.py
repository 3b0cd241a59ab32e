"""Entry points for `melodify serve` and `melodify worker`.

serve():  migrations, then the site with waitress; jobs run in job processes this one starts,
          unless REDIS_URL is set (scale-out: Celery workers run them).
worker(): a Celery worker for scale-out mode; start as many as you like, on any machines.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Sequence

from melodify.errors import MelodifyError

log = logging.getLogger("melodify_web.server")


def _setup() -> None:
    """Django, then the engines the settings name: one that is unknown or cannot run here stops the
    start with the reason, rather than failing every job later."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "melodify_web.settings")
    import django

    django.setup()
    from melodify_web.tracks.services import check_configured_engines

    check_configured_engines()


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    """Serve the site at http://host:port until interrupted."""
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from melodify_web.body_limit import serve as waitress_serve
    from melodify_web.tracks import worker as embedded

    call_command("migrate", interactive=False, verbosity=0)
    workers = None if settings.MELODIFY_SCALE_OUT else embedded.start()
    mode = ("scale-out: jobs go to Celery over REDIS_URL" if workers is None
            else f"{workers.count} embedded job process(es)")
    log.info("Melodify at http://%s:%s/ (%s; data in %s)", host, port, mode, settings.DATA_DIR)
    # waitress reads a whole body before Django sees it; bodies up to 4x the limit get our 413 from
    # UploadLimitMiddleware, and anything bigger is never read: body_limit hands its headers to Django.
    from melodify_web.tracks.owner import upload_limit

    body_limit = 4 * max(upload_limit(path) for path in ("/", "/video", "/album"))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_serving)
    try:
        waitress_serve(get_wsgi_application(), host=host, port=port, threads=threads,
                       max_request_body_size=body_limit, ident="melodify")
    finally:
        if workers is not None:
            log.info("stopping: the job processes hand their jobs back")
            workers.stop()


def _stop_serving(signum, frame) -> None:
    """SIGTERM (a deploy, `docker stop`): waitress stops on SystemExit, then the job processes hand
    their jobs back (tracks/handoff.py) and a server started again makes them."""
    raise SystemExit(0)


def worker(concurrency: int = 1, queues: Sequence[str] | str | None = None, loglevel: str = "INFO",
           name: str | None = None, engines: Sequence[str] = ()) -> None:
    """Run a Celery worker (scale-out mode). Needs REDIS_URL, and DATABASE_URL shared with the site."""
    if not os.environ.get("REDIS_URL"):
        raise MelodifyError("`melodify worker` needs REDIS_URL (e.g. redis://127.0.0.1:6379/0) and a "
                            "DATABASE_URL shared with the site; without them, `melodify serve` runs jobs "
                            "itself", code="no_redis")
    _setup()
    from melodify_web.celery import app

    argv = ["worker", f"--concurrency={int(concurrency)}", f"--loglevel={loglevel}"]
    if engines:   # the queues of those composers; a model engine's jobs share one model in threads
        from melodify.engines import get_spec
        from melodify_web.tracks.jobs import queue_for

        queues = [queue_for(engine) for engine in engines]
        if any(get_spec("composer", engine).extra == "ml" for engine in engines):   # a model: MusicGen
            argv.append("--pool=threads")
    if queues:
        argv.append("--queues=" + (queues if isinstance(queues, str) else ",".join(queues)))
    if name:   # e.g. "w1@%h": each worker on a machine needs its own
        argv.append(f"--hostname={name}")
    from melodify_web.tracks.services import prepare_engines

    prepare_engines(list(engines) or None)
    app.worker_main(argv)
