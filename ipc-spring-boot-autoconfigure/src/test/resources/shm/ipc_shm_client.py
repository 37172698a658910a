#!/usr/bin/python3
"""Reference client for a `transport: shm` server of ipc-spring-boot-starter.

Standard library only, plus libatomic (Debian package libatomic1, through ctypes) for the
memory order. The wire layout is in docs/shm-transport.md. What the client relies on:
- A record is published by storing its length last, as a release store; the reader loads
  the length with an acquire load before it reads the record, and the consumer moves the
  head with a release store after zeroing what it read (Agrona's order).
- Sleeping and waking is a Dekker pair: a sleeper stores 1 in its "waits" word with a
  sequentially consistent exchange (a full fence), looks at the ring once more, then
  FUTEX_WAITs on the word while it is 1; a writer, after publishing, exchanges the peer's
  word to 0 (again a full fence) and FUTEX_WAKEs it if it was 1. Either the sleeper sees
  the record or the writer sees the 1, so no wake-up is missed.
- Waits are cut into 200 ms slices; a slice that ends without a wake polls the socket,
  whose end means the server is gone.
Usage:
  ipc_shm_client.py request SOCKET MESSAGE...   send each message, print each reply on a line
  ipc_shm_client.py die-mid-message SOCKET      write the first fragment of a message and a
                                                half-written record, print "ready", sleep
  ipc_shm_client.py bad-record|oversized SOCKET write what no peer may (tests)
"""
import ctypes
import ctypes.util
import mmap
import os
import select
import socket
import struct
import sys
import time

MAGIC, VERSION = 0x52435049, 2
HELLO = b"IPCSHM2\n"
HEADER_LENGTH, TRAILER_LENGTH = 4096, 768
TAIL, HEAD_CACHE, HEAD = 128, 256, 384          # trailer offsets (Agrona RingBufferDescriptor)
RECORD_HEADER, PADDING = 8, -1                  # Agrona RecordDescriptor: i32 length, i32 type
MESSAGE, FIRST, MIDDLE, LAST = 1, 2, 3, 4
SERVER_WAITS_DATA, SERVER_WAITS_SPACE = 64, 68
CLIENT_WAITS_DATA, CLIENT_WAITS_SPACE = 128, 132


SYS_FUTEX = {"x86_64": 202, "aarch64": 98}.get(os.uname().machine)   # __NR_futex
FUTEX_WAIT, FUTEX_WAKE = 0, 1
RELAXED, ACQUIRE, RELEASE, SEQ_CST = 0, 2, 3, 5
SLICE_NANOS = 200_000_000

if SYS_FUTEX is None:
    raise SystemExit("ipc_shm_client.py knows the futex system call of x86_64 and aarch64 only")
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
try:
    _atomic = ctypes.CDLL(ctypes.util.find_library("atomic") or "libatomic.so.1")
except OSError as error:
    raise SystemExit("ipc_shm_client.py needs libatomic.so.1 (Debian package libatomic1): %s" % error)
for _name, _restype, _args in (("__atomic_load_4", ctypes.c_int32, (ctypes.c_void_p, ctypes.c_int)),
                               ("__atomic_store_4", None, (ctypes.c_void_p, ctypes.c_int32, ctypes.c_int)),
                               ("__atomic_exchange_4", ctypes.c_int32,
                                (ctypes.c_void_p, ctypes.c_int32, ctypes.c_int)),
                               ("__atomic_load_8", ctypes.c_int64, (ctypes.c_void_p, ctypes.c_int)),
                               ("__atomic_store_8", None, (ctypes.c_void_p, ctypes.c_int64, ctypes.c_int))):
    getattr(_atomic, _name).restype = _restype
    getattr(_atomic, _name).argtypes = _args
# module-level names: inside a class, Python would mangle the leading "__"
_load4, _store4, _exchange4 = _atomic.__atomic_load_4, _atomic.__atomic_store_4, _atomic.__atomic_exchange_4
_load8, _store8 = _atomic.__atomic_load_8, _atomic.__atomic_store_8


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


def align(value, alignment):
    return (value + alignment - 1) & ~(alignment - 1)


class Ring:
    """An Agrona OneToOneRingBuffer at an offset of the memory: one producer, one consumer."""

    def __init__(self, mm, address, offset, capacity):
        self.mm, self.base, self.capacity = mm, offset, capacity
        self.address = address                      # where the memory is mapped
        self.trailer = offset + capacity

    def _load_int(self, at):
        return _load4(self.address + at, ACQUIRE)

    def _store_int(self, at, value):
        _store4(self.address + at, value, RELEASE)

    def _load_long(self, at):
        return _load8(self.address + at, ACQUIRE)

    def _store_long(self, at, value):
        _store8(self.address + at, value, RELEASE)

    def _get(self, fmt, at):
        return struct.unpack_from(fmt, self.mm, at)[0]

    def _put(self, fmt, at, value):
        struct.pack_into(fmt, self.mm, at, value)

    def write(self, msg_type, data):
        """Append one record; False when the consumer has not made room for it yet."""
        record_length = len(data) + RECORD_HEADER
        aligned = align(record_length, 8)
        required = aligned + RECORD_HEADER
        mask = self.capacity - 1
        tail = self._get("<q", self.trailer + TAIL)             # ours: we are its only writer
        head = self._load_long(self.trailer + HEAD)            # the consumer's
        if required > self.capacity - (tail - head):
            return False
        padding = 0
        index = tail & mask
        to_end = self.capacity - index
        if required > to_end:
            if required > (head & mask):
                return False
            padding = to_end
        if padding:
            self._put("<q", self.base, 0)
            self._put("<i", self.base + index + 4, PADDING)
            self._store_int(self.base + index, padding)
            index = 0
        self._put("<q", self.base + index + aligned, 0)       # pre-zero the next header
        self._store_long(self.trailer + TAIL, tail + aligned + padding)
        start = self.base + index + RECORD_HEADER
        self.mm[start:start + len(data)] = data
        self._put("<i", self.base + index + 4, msg_type)
        self._store_int(self.base + index, record_length)     # publishes the record (release)
        return True

    def claim_without_commit(self, length):
        """Claim a record and never finish it, as a writer killed mid-record leaves it."""
        tail = self._get("<q", self.trailer + TAIL)
        index = tail & (self.capacity - 1)
        aligned = align(length + RECORD_HEADER, 8)
        self._put("<q", self.base + index + aligned, 0)
        self._store_long(self.trailer + TAIL, tail + aligned)
        self._put("<i", self.base + index + 4, MESSAGE)
        self._store_int(self.base + index, -(length + RECORD_HEADER))

    def has_record(self):
        head = self._load_long(self.trailer + HEAD)
        return self._load_int(self.base + (head & (self.capacity - 1))) > 0

    def read(self):
        """Take the finished records at the head: a list of (type, bytes)."""
        head = self._get("<q", self.trailer + HEAD)
        index = head & (self.capacity - 1)
        contiguous = self.capacity - index
        taken, records = 0, []
        while taken < contiguous:
            at = self.base + index + taken
            length = self._load_int(at)                        # acquire: the record is whole
            if length <= 0:
                break
            taken += align(length, 8)
            msg_type = self._get("<i", at + 4)
            if msg_type != PADDING:
                records.append((msg_type, bytes(self.mm[at + RECORD_HEADER:at + length])))
        if taken:
            start = self.base + index
            self.mm[start:start + taken] = bytes(taken)         # as Agrona's consumer does
            self._store_long(self.trailer + HEAD, head + taken)  # release: after the zeroing
        return records


class ShmClient:

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        hello, fds, _, _ = socket.recv_fds(self.sock, len(HELLO), 1)
        if hello != HELLO or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            raise RuntimeError("%s is not a transport: shm server of this version" % path)
        memory_fd = fds[0]
        self.mm = mmap.mmap(memory_fd, os.fstat(memory_fd).st_size)
        os.close(memory_fd)
        self.view = (ctypes.c_char * len(self.mm)).from_buffer(self.mm)
        self.address = ctypes.addressof(self.view)
        magic, version, capacity, self.max_message_size = struct.unpack_from("<IIII", self.mm, 0)
        if magic != MAGIC or version != VERSION:
            raise RuntimeError("unknown memory layout")
        ring_span = align(capacity + TRAILER_LENGTH, 4096)
        self.outbound = Ring(self.mm, self.address, HEADER_LENGTH, capacity)
        self.inbound = Ring(self.mm, self.address, HEADER_LENGTH + ring_span, capacity)
        self.max_record = capacity >> 3
        self.pending, self.fragments = [], None
        self.timeout = _Timespec(0, SLICE_NANOS)

    def _wake(self, offset):
        """After publishing (or making room): wake the server if it sleeps on the word."""
        if _exchange4(self.address + offset, 0, SEQ_CST):
            _libc.syscall(ctypes.c_long(SYS_FUTEX), ctypes.c_void_p(self.address + offset),
                          ctypes.c_long(FUTEX_WAKE), ctypes.c_long(1), None, None, ctypes.c_long(0))

    def _wait(self, offset, ready):
        """Sleep on our word until ready() or the server's end (its socket closes)."""
        _exchange4(self.address + offset, 1, SEQ_CST)   # announce, full fence
        try:
            if ready():
                return
            _libc.syscall(ctypes.c_long(SYS_FUTEX), ctypes.c_void_p(self.address + offset),
                          ctypes.c_long(FUTEX_WAIT), ctypes.c_long(1), ctypes.byref(self.timeout), None,
                          ctypes.c_long(0))
            if _load4(self.address + offset, ACQUIRE) != 0:
                # not woken by the server (the slice ended, a signal): has it gone?
                poller = select.poll()
                poller.register(self.sock, select.POLLIN)
                if poller.poll(0):
                    raise ConnectionError("the server closed the connection")
        finally:
            _store4(self.address + offset, 0, RELEASE)

    def _write(self, msg_type, data):
        while not self.outbound.write(msg_type, data):
            self._wait(CLIENT_WAITS_SPACE, lambda: False)
        self._wake(SERVER_WAITS_DATA)

    def send(self, data):
        if len(data) <= self.max_record:
            self._write(MESSAGE, data)
            return
        chunks = [data[i:i + self.max_record] for i in range(0, len(data), self.max_record)]
        for i, chunk in enumerate(chunks):
            self._write(FIRST if i == 0 else LAST if i == len(chunks) - 1 else MIDDLE, chunk)

    def receive(self):
        while not self.pending:
            records = self.inbound.read()
            if records:
                self._wake(SERVER_WAITS_SPACE)
                for msg_type, data in records:
                    if msg_type == MESSAGE:
                        self.pending.append(data)
                    elif msg_type == FIRST:
                        self.fragments = [data]
                    else:
                        self.fragments.append(data)
                        if msg_type == LAST:
                            self.pending.append(b"".join(self.fragments))
                            self.fragments = None
                continue
            self._wait(CLIENT_WAITS_DATA, self.inbound.has_record)
        return self.pending.pop(0)

    def close(self):
        self.sock.close()
        del self.view                      # the mapping cannot close while ctypes holds it
        self.mm.close()


def main(argv):
    mode, path = argv[1], argv[2]
    client = ShmClient(path)
    if mode == "request":
        for message in argv[3:]:
            if message.startswith("@x*"):
                # a long message of x: travels in fragments and wraps the rings
                client.send(b"x" * int(message[3:]))
                reply = client.receive()
                print("%d bytes, all X: %s" % (len(reply), reply == b"X" * len(reply)), flush=True)
                continue
            client.send(message.encode())
            print(client.receive().decode(), flush=True)
        client.close()
    elif mode == "bad-record":
        client._write(99, b"no peer of this layout writes type 99")
        print(client.receive().decode(), flush=True)     # the server closes: ConnectionError
    elif mode == "oversized":
        client.send(b"y" * (client.max_message_size + 1))
        print(client.receive().decode(), flush=True)
    elif mode == "never-read":
        print("ready", flush=True)
        time.sleep(60)
    elif mode == "die-mid-message":
        client._write(FIRST, b"x" * 16)                    # a message that never ends
        client.outbound.claim_without_commit(32)           # and a record never finished
        client._wake(SERVER_WAITS_DATA)
        print("ready", flush=True)
        time.sleep(60)
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
