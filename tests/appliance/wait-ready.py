#!/usr/bin/env python3
"""The test's end of systemd's notify protocol: bind an AF_UNIX datagram
socket at PATH (writable by the service's user), then wait up to SECONDS for a
message holding READY=1. Prints every message; exit 0 on READY, 1 on timeout.
Touches PATH.bound once listening so the caller can start the service."""
import os
import socket
import sys
import time

path, seconds = sys.argv[1], float(sys.argv[2])
if os.path.exists(path):
    os.unlink(path)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
os.chmod(path, 0o777)
open(path + ".bound", "w").close()
deadline = time.monotonic() + seconds
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        print("wait-ready: no READY=1 within %.0f s" % seconds, flush=True)
        sys.exit(1)
    sock.settimeout(left)
    try:
        data = sock.recv(4096).decode("utf-8", "replace")
    except socket.timeout:
        continue
    print("notify: " + data.replace("\n", " "), flush=True)
    if "READY=1" in data:
        sys.exit(0)
