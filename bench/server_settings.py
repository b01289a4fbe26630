"""Settings for the benchmark's web server: the project's own, with two differences.

- Static files are collected into a throwaway folder (BENCH_STATIC_ROOT), not the
  project's, so a benchmark never touches what a deployment collected.
- Only when BENCH_KEEP_SOURCE_MAPS=1: the fingerprinting storage leaves
  `sourceMappingURL` comments as they are instead of failing on a vendored file whose
  source map is not shipped. The benchmark sets it only after the project's own
  storage failed, and says so in its output.
"""

import os

from netassess.settings import *  # noqa: F403
from netassess.settings import STORAGES

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

if os.environ.get("BENCH_KEEP_SOURCE_MAPS") == "1":
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "bench.storage.KeepSourceMapsStorage"},
    }
