"""freeport.py: a TCP port on 127.0.0.1 for a test server to listen on.

The port is chosen below the kernel's range of ephemeral ports
(/proc/sys/net/ipv4/ip_local_port_range), so no outgoing connection (to
PostgreSQL, or a test's own HTTP client) can hold it, in use or in
TIME_WAIT, when a server binds it, or binds it again after being killed.
It is checked by binding it the way the server does (SO_REUSEADDR).

usage from Python: sys.path.insert(0, "tests/lib"); from freeport import listen_port
usage from a shell: python3 tests/lib/freeport.py
"""
import random
import socket


def ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def listen_port(taken=()):
    """A port not in taken that can be bound now, below the ephemeral range."""
    high = max(ephemeral_low() - 1, 11000)
    for _ in range(1000):
        p = random.randint(10000, high)
        if p in taken:
            continue
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", p))
            return p
        except OSError:
            continue
        finally:
            s.close()
    raise SystemExit("freeport: no free port below the ephemeral range")


if __name__ == "__main__":
    print(listen_port())
