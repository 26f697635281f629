"""Where an answer is written: memory while it is small, a named temporary file past that.

The file has a name (unlike :class:`tempfile.SpooledTemporaryFile`), so a worker process can
hand it to the web process, which streams it out and removes it.
"""

from __future__ import annotations

import io
import os
import tempfile

__all__ = ["Spool"]


class Spool(io.RawIOBase):
    """A byte sink kept in memory until it passes ``threshold`` bytes, then in a file.

    Unlike :class:`tempfile.SpooledTemporaryFile`, the file has a name, so a worker process
    can hand it to the web process to stream out.
    """

    def __init__(
        self, directory: str | None = None, threshold: int = 1 << 20, prefix: str | None = None
    ):
        self._directory = directory
        self._threshold = threshold
        self._prefix = prefix
        self._buffer: io.BytesIO | None = io.BytesIO()
        self._file = None
        self.path: str | None = None

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self._buffer is not None:
            self._buffer.write(data)
            if self._buffer.tell() > self._threshold:
                handle, self.path = tempfile.mkstemp(
                    dir=self._directory, prefix=self._prefix, suffix=".answer"
                )
                self._file = os.fdopen(handle, "wb")
                self._file.write(self._buffer.getvalue())
                self._buffer = None
        else:
            self._file.write(data)
        return len(data)

    def finish(self) -> tuple[bytes | None, str | None]:
        """The answer: ``(bytes, None)`` when small, ``(None, path of the file)`` otherwise."""
        if self._buffer is not None:
            return self._buffer.getvalue(), None
        self._file.close()
        return None, self.path

    def discard(self) -> None:
        """Throw the answer away (removing its file, if any)."""
        if self._file is not None:
            self._file.close()
            os.unlink(self.path)
        self._buffer = None
