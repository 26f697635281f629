"""The key signing the web app's session cookie, generated once and kept in the data folder.

A key made afresh at each start would sign everyone out at every restart, and several
workers would each refuse the others' cookies; so the first start writes one to
``<data>/secret-key`` and every later start (and every worker) reads it back. The file is
created readable by its owner only (``O_EXCL`` with mode 0600: it is never readable by others,
not even for a moment), and a key file that others can read is refused rather than trusted:
whoever can read the key can forge a session cookie.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from cop_graph.errors import UsageError

__all__ = ["FILE_NAME", "kept_secret_key"]

#: the file's name in the data folder
FILE_NAME = "secret-key"
#: bytes of randomness in a generated key (written as twice as many hex digits)
_KEY_BYTES = 32


def kept_secret_key(data_folder: str | Path) -> str:
    """The key kept in ``data_folder``, generated and written there first if there is none.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first = kept_secret_key(folder)
    ...     len(first), first == kept_secret_key(folder)
    (64, True)
    """
    path = Path(data_folder) / FILE_NAME
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_hex(_KEY_BYTES)
    # written whole under a passing name, then linked into place: a worker starting at the
    # same moment finds either no key file or a complete one, never an empty one
    draft = path.with_name(f".{FILE_NAME}.{secrets.token_hex(8)}")
    handle = os.open(draft, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(key + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.link(draft, path)
    except FileExistsError:  # another worker wrote its key first: everyone uses that one
        return _read(path)
    finally:
        draft.unlink(missing_ok=True)
    return key


def _read(path: Path) -> str:
    """The key in ``path``; refuses a file others can read or write, and an empty one."""
    with open(path, encoding="ascii") as file:
        mode = os.fstat(file.fileno()).st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise UsageError(
                f"the secret key file {path} can be read or changed by other users "
                f"(mode {stat.S_IMODE(mode):o}): make it readable by its owner only "
                f"(chmod 600 {path}), or remove it to have a new key made (everyone is then "
                "signed out)"
            )
        key = file.read().strip()
    if not key:
        raise UsageError(
            f"the secret key file {path} is empty: remove it to have a new key made "
            "(everyone is then signed out)"
        )
    return key
