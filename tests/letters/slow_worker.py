"""The Celery app of a worker the tests kill mid-render (tests/letters/test_worker_faults.py): the project's
own app, except that the first rendering, once begun, writes its process id to the file named by
SLOW_RENDER_MARKER and then waits to be killed. Renderings after it (the file there) run as usual."""

import os
import time
from pathlib import Path

from celery.signals import task_prerun

from config.celery import app

__all__ = ["app"]


@task_prerun.connect
def _slow_first_render(**kwargs) -> None:
    """In the process that runs the task (Django set up by then): wrap the renderer once."""
    import core.letters

    real = core.letters.letter_pdf
    if getattr(real, "slowed", False):
        return

    def slow(letter):
        marker = Path(os.environ["SLOW_RENDER_MARKER"])
        if not marker.exists():
            partial = marker.with_suffix(".partial")
            partial.write_text(str(os.getpid()))
            partial.replace(marker)
            time.sleep(300)
        return real(letter)

    slow.slowed = True
    core.letters.letter_pdf = slow
