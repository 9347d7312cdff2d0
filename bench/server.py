"""A minimal HTTP/1.1 keep-alive server for the benchmark, on 127.0.0.1.

It runs in its own process so that its CPU time never shares the client's
GIL. It responds to every GET /tracks/{carrier}/{number} with a canned Track body
chosen by the number (see bodies.tracking_number_for) and reads no request
body, which is enough for GET. Usage: python bench/server.py; it prints the
port on the first line of stdout and serves until killed.
"""

from __future__ import annotations

import asyncio
import sys

from bodies import EVENT_COUNTS, track_body, tracking_number_for

_NOT_FOUND = (
    b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
    b'Content-Length: 25\r\n\r\n{"detail": "Not found."}\n'
)


def _response(body: bytes) -> bytes:
    head = (
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


_RESPONSES = {
    tracking_number_for(n).encode(): _response(track_body(n)) for n in EVENT_COUNTS
}


def _answer(head: bytes) -> bytes:
    request_line = head.split(b"\r\n", 1)[0]
    parts = request_line.split(b" ")
    if len(parts) < 2:
        return _NOT_FOUND
    number = parts[1].rsplit(b"/", 1)[-1].split(b"?", 1)[0]
    return _RESPONSES.get(number, _NOT_FOUND)


async def _serve_connection(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            writer.write(_answer(head))
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _main() -> None:
    server = await asyncio.start_server(
        _serve_connection, "127.0.0.1", 0, backlog=512, limit=1 << 16
    )
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(_main())
