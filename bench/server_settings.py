"""Settings for the benchmark's web server: the project's own, with static files
collected into a throwaway folder (BENCH_STATIC_ROOT), not the project's, so a
benchmark never touches what a deployment collected."""

import os

from netassess.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
