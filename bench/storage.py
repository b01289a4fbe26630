"""The production static storage (fingerprinted, compressed), minus the rewriting of
source-map comments: used by the benchmark server only when the project's storage
cannot collect the vendored files (see server_settings)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class KeepSourceMapsStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (
            glob,
            tuple(
                p for p in rules if "sourceMappingURL" not in (p[0] if isinstance(p, tuple) else p)
            ),
        )
        for glob, rules in CompressedManifestStaticFilesStorage.patterns
    )
