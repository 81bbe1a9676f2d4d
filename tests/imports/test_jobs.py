"""unionportal.jobs: inline in tests, a daemon thread otherwise; progress through the cache."""

from __future__ import annotations

import threading

from unionportal import jobs


def test_jobs_run_inline_when_the_settings_say_so(settings):
    settings.JOBS_RUN_INLINE = True
    seen = []
    jobs.run_in_background(lambda value: seen.append((value, threading.current_thread())), 7)
    assert seen == [(7, threading.current_thread())]


def test_jobs_run_in_a_daemon_thread_by_default(settings):
    settings.JOBS_RUN_INLINE = False
    done = threading.Event()
    seen = []

    def job(value):
        seen.append((value, threading.current_thread().daemon, threading.current_thread() is threading.main_thread()))
        done.set()

    jobs.run_in_background(job, 3)
    assert done.wait(5)
    assert seen == [(3, True, False)]


def test_a_failing_job_does_not_take_the_process_down(settings):
    settings.JOBS_RUN_INLINE = False
    done = threading.Event()

    def job():
        done.set()
        raise RuntimeError("boom")

    jobs.run_in_background(job)
    assert done.wait(5)


def test_progress_is_kept_in_the_cache():
    jobs.set_progress("t:1", phase="validating", done=5, total=10)
    assert jobs.get_progress("t:1") == {"phase": "validating", "done": 5, "total": 10}
    jobs.clear_progress("t:1")
    assert jobs.get_progress("t:1") is None
