"""`python -m melodify_web.job_process N FD`: one of the embedded server's job processes (tracks/worker.py).
Django is set up before anything imports the models."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "melodify_web.settings")

if __name__ == "__main__":
    import django

    django.setup()
    from melodify_web.tracks.worker import child_main

    child_main(int(sys.argv[1]), int(sys.argv[2]))
