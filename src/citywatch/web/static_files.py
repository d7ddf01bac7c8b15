"""Static files with content-hashed names, precompressed (gzip and Brotli), cached for good.

``citywatch init`` and ``citywatch serve`` collect the files (``collectstatic``) into
``CITYWATCH_DATA_DIR/static``: each gets a copy named after a hash of its content
(``site.3f2a9c1b7d4e.css``) plus ``.gz`` and ``.br`` versions, and a manifest maps the plain
names to the hashed ones. WhiteNoise serves the hashed names with ``Cache-Control: max-age``
of ten years and ``immutable``, and the compressed version the browser accepts: a browser
fetches each file once until its content changes (and with it its name).

Before the files have been collected (a development checkout, the test suite) there is no
manifest: names stay plain and the files are served from the apps' folders.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedCompressedStaticFiles(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage that falls back to the plain name of a file
    the manifest does not know (files not collected yet) instead of failing the page."""

    manifest_strict = False
    # Rewrite references to other files (CSS url(), @import) to their hashed names, but leave
    # source-map comments alone: the vendored libraries name maps they do not ship.
    patterns = tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for extension, rules in CompressedManifestStaticFilesStorage.patterns
    )

    def stored_name(self, name: str) -> str:
        if settings.WHITENOISE_USE_FINDERS:
            # This process serves the apps' folders (nothing was collected when it started):
            # pages must name the files as those folders do, even if a command run in this
            # process (``init``, ``demo``) has collected them since.
            return name
        try:
            return super().stored_name(name)
        except ValueError:  # not collected: served under its plain name from the app's folder
            return name


STAMP_NAME = ".citywatch-sources"


def sources_stamp() -> str:
    """A hash of the name, size and modification time of every static file the apps ship:
    it changes when CityWatch is upgraded or a file is edited."""
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list(None), key=lambda item: item[0]):
            found = os.stat(storage.path(path))
            digest.update(f"{path}\0{found.st_size}\0{found.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect(force: bool = False) -> bool:
    """Collect, hash and compress the static files into STATIC_ROOT unless the files there
    were collected from these very sources (a minute or two on a small machine: Brotli at
    its best setting). Returns whether it collected."""
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp_file = root / STAMP_NAME
    stamp = sources_stamp()
    manifest = root / "staticfiles.json"
    collected = manifest.exists() and stamp_file.exists() and stamp_file.read_text() == stamp
    if collected and not force:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp_file.write_text(stamp)
    return True
