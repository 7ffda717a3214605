"""Every file ttx reads or writes goes through here: a read that takes only a regular file of bounded
size (never a device, FIFO or /proc entry), and a write that a reader sees whole or not at all."""

from __future__ import annotations

import errno
import os
import stat


def write_atomic(path: str, data: str | bytes) -> None:
    """Write a file so that a reader sees the old content or the new, never half."""
    directory = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if os.path.exists(path) and not os.path.isfile(path) and not os.path.isdir(path):
        # a device or a pipe (-o /dev/null, /dev/stdout): written to, never replaced (as root, a rename
        # over /dev/null would leave a plain file there and break every program that uses it)
        with open(path, "wb") as fh:
            fh.write(raw)
        return
    try:
        with open(tmp, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:  # name the file the user asked for, never the temporary one beside it
        raise OSError(e.errno, e.strerror, path) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class NotRegular(OSError):
    """A path that names something other than a regular file (a device, FIFO, /proc entry, link...)."""


_PSEUDO = ("/proc", "/sys", "/dev")


def read_regular(path: str, limit: int, follow: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or NotRegular/OSError saying why not.

    Opened without blocking (a FIFO or a terminal cannot hang us) and checked with fstat on what was
    opened (no race between check and open). /proc, /sys and device files never qualify: they say
    they are empty or small and produce anything, and reading some of them has effects."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    real = os.path.realpath(path)
    pseudo = next((p for p in _PSEUDO if real == p or real.startswith(p + "/")), None)
    if pseudo:
        raise NotRegular(f"is under {pseudo}, not a regular file")
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if not follow and e.errno == errno.ELOOP:
            raise NotRegular("is a symbolic link (not followed)") from None
        raise
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular("is not a regular file (a device, pipe or socket)")
        if st.st_size > limit:
            raise NotRegular(f"is {st.st_size:,} bytes; the limit is {limit:,}")
        chunks, got = [], 0
        while got <= st.st_size:  # read what fstat promised, and one byte more to see it is really all
            chunk = os.read(fd, min(1 << 20, st.st_size + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got != st.st_size:
            raise NotRegular("changed size while being read")
        return b"".join(chunks)
    finally:
        os.close(fd)
