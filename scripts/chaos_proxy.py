"""A TCP proxy on loopback that can freeze: connections stay open, nothing passes, as on a stalled network path.

Unfrozen it forwards both ways and passes on a close from either side, so a database restart
behind it looks to the app like a restart. Frozen it still accepts connections but forwards no
byte and no close until it thaws — what a hung proxy, a full queue or a half-dead link does, and
what keepalives cannot see, since the proxy's own socket keeps acknowledging.
"""

import socket
import threading
import time


class FreezableProxy:
    def __init__(self, port: int, target: tuple[str, int]):
        self.target = target
        self.frozen = threading.Event()
        self.server = socket.create_server(("127.0.0.1", port))
        self.port = self.server.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self._wait_while_frozen()
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
        except OSError:  # the database is down: refuse, as it would
            client.close()
            return
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _wait_while_frozen(self) -> None:
        while self.frozen.is_set() and not self.closed:
            time.sleep(0.01)

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self._wait_while_frozen()
                sink.sendall(data)
        except OSError:
            pass
        self._wait_while_frozen()
        for sock in (source, sink):  # one side closed or failed: close the pair, as a restart would
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def freeze(self) -> None:
        self.frozen.set()

    def thaw(self) -> None:
        self.frozen.clear()

    def close(self) -> None:
        self.closed = True
        self.frozen.clear()
        self.server.close()
