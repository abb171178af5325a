"""Cut a query worker process off from the network, so no query can make it fetch a URL.

pyoxigraph evaluates ``SERVICE`` by fetching the URL itself and nothing in its Python API
turns that off; the query check refuses such queries, and this is the layer under it that
holds even if the check were wrong. Two independent layers, each applied when the kernel
allows it and reported when it does not (never silently):

* ``netns``: a network namespace of the worker's own (``unshare(CLONE_NEWNET)``, or with
  ``CLONE_NEWUSER`` where the process is unprivileged) holding only a loopback interface
  that is down: no address is reachable, not even 127.0.0.1;
* ``seccomp``: a libseccomp filter (pyseccomp) under which ``socket()`` fails with EACCES
  for the Internet, packet and netlink families, so no new network socket can be made.

Call :func:`isolate` first thing in a new, single-threaded worker process: namespaces are
per thread and inherited by the threads started afterwards, and ``CLONE_NEWUSER`` needs a
single-threaded caller.
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_BLOCKED_FAMILIES = (socket.AF_INET, socket.AF_INET6, socket.AF_PACKET, socket.AF_NETLINK)


def isolate() -> dict[str, str]:
    """Apply both layers to the calling process; return each layer's state.

    A state is ``"on"``, or ``"off: <why>"`` when the kernel or the platform refused it.
    """
    return {"netns": _unshare_network(), "seccomp": _forbid_network_sockets()}


def _unshare_network() -> str:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:
        return f"off: no C library ({exc})"
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return "on"
        failure = ctypes.get_errno()
    return f"off: unshare refused ({os.strerror(failure)})"


def _forbid_network_sockets() -> str:
    try:
        import pyseccomp as seccomp

        flt = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for family in _BLOCKED_FAMILIES:
            flt.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family))
        flt.load()
    except Exception as exc:  # no libseccomp, an unknown architecture, or a refusing kernel
        return f"off: {type(exc).__name__}: {exc}"
    return "on"


def describe(layers: dict[str, str]) -> str:
    """One line for the log and /health, e.g. ``netns on, seccomp on``."""
    return ", ".join(f"{name} {state}" for name, state in layers.items())
