#!/usr/bin/python3
"""Reference client for a `transport: shm` server of ipc-spring-boot-starter (stdlib only).

The wire layout is in docs/shm-transport.md. Usage:
  ipc_shm_client.py request SOCKET MESSAGE...   send each message, print each reply on a line
  ipc_shm_client.py die-mid-message SOCKET      write the first fragment of a message and a
                                                half-written record, print "ready", sleep
  ipc_shm_client.py bad-record|oversized SOCKET write what no peer may (tests)
"""
import mmap
import os
import select
import socket
import struct
import sys
import time

MAGIC, VERSION = 0x52435049, 1
HELLO = b"IPCSHM1\n"
HEADER_LENGTH, TRAILER_LENGTH = 4096, 768
TAIL, HEAD_CACHE, HEAD = 128, 256, 384          # trailer offsets (Agrona RingBufferDescriptor)
RECORD_HEADER, PADDING = 8, -1                  # Agrona RecordDescriptor: i32 length, i32 type
MESSAGE, FIRST, MIDDLE, LAST = 1, 2, 3, 4
SERVER_WAITS_DATA, SERVER_WAITS_SPACE = 64, 68
CLIENT_WAITS_DATA, CLIENT_WAITS_SPACE = 128, 132


def align(value, alignment):
    return (value + alignment - 1) & ~(alignment - 1)


class Ring:
    """An Agrona OneToOneRingBuffer at an offset of the memory: one producer, one consumer."""

    def __init__(self, mm, offset, capacity):
        self.mm, self.base, self.capacity = mm, offset, capacity
        self.trailer = offset + capacity

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
        tail = self._get("<q", self.trailer + TAIL)
        head = self._get("<q", self.trailer + HEAD)
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
            self._put("<i", self.base + index, padding)
            index = 0
        self._put("<q", self.base + index + aligned, 0)       # pre-zero the next header
        self._put("<q", self.trailer + TAIL, tail + aligned + padding)
        start = self.base + index + RECORD_HEADER
        self.mm[start:start + len(data)] = data
        self._put("<i", self.base + index + 4, msg_type)
        self._put("<i", self.base + index, record_length)     # publishes the record
        return True

    def claim_without_commit(self, length):
        """Claim a record and never finish it, as a writer killed mid-record leaves it."""
        tail = self._get("<q", self.trailer + TAIL)
        index = tail & (self.capacity - 1)
        aligned = align(length + RECORD_HEADER, 8)
        self._put("<q", self.base + index + aligned, 0)
        self._put("<q", self.trailer + TAIL, tail + aligned)
        self._put("<i", self.base + index + 4, MESSAGE)
        self._put("<i", self.base + index, -(length + RECORD_HEADER))

    def read(self):
        """Take the finished records at the head: a list of (type, bytes)."""
        head = self._get("<q", self.trailer + HEAD)
        index = head & (self.capacity - 1)
        contiguous = self.capacity - index
        taken, records = 0, []
        while taken < contiguous:
            at = self.base + index + taken
            length = self._get("<i", at)
            if length <= 0:
                break
            taken += align(length, 8)
            msg_type = self._get("<i", at + 4)
            if msg_type != PADDING:
                records.append((msg_type, bytes(self.mm[at + RECORD_HEADER:at + length])))
        if taken:
            start = self.base + index
            self.mm[start:start + taken] = bytes(taken)         # as Agrona's consumer does
            self._put("<q", self.trailer + HEAD, head + taken)
        return records


class ShmClient:

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        hello, fds, _, _ = socket.recv_fds(self.sock, len(HELLO), 5)
        if hello != HELLO or len(fds) != 5:
            raise RuntimeError("%s is not a transport: shm server" % path)
        memory_fd, self.server_data, self.server_space, self.client_data, self.client_space = fds
        self.mm = mmap.mmap(memory_fd, os.fstat(memory_fd).st_size)
        os.close(memory_fd)
        magic, version, capacity, self.max_message_size = struct.unpack_from("<IIII", self.mm, 0)
        if magic != MAGIC or version != VERSION:
            raise RuntimeError("unknown memory layout")
        ring_span = align(capacity + TRAILER_LENGTH, 4096)
        self.outbound = Ring(self.mm, HEADER_LENGTH, capacity)
        self.inbound = Ring(self.mm, HEADER_LENGTH + ring_span, capacity)
        self.max_record = capacity >> 3
        self.pending, self.fragments = [], None

    def _flag(self, offset, value=None):
        if value is None:
            return struct.unpack_from("<i", self.mm, offset)[0]
        struct.pack_into("<i", self.mm, offset, value)

    def _wait(self, bell, flag_offset, ready):
        """Sleep on a doorbell until ready() or the server's end (its socket closes)."""
        self._flag(flag_offset, 1)
        try:
            if ready():
                return
            poller = select.poll()
            poller.register(bell, select.POLLIN)
            poller.register(self.sock, select.POLLIN)
            for fd, _ in poller.poll(1000):
                if fd == self.sock.fileno():
                    raise ConnectionError("the server closed the connection")
            try:
                os.eventfd_read(bell)
            except BlockingIOError:
                pass
        finally:
            self._flag(flag_offset, 0)

    def _write(self, msg_type, data):
        while not self.outbound.write(msg_type, data):
            self._wait(self.client_space, CLIENT_WAITS_SPACE, lambda: False)
        if self._flag(SERVER_WAITS_DATA):
            os.eventfd_write(self.server_data, 1)

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
                if self._flag(SERVER_WAITS_SPACE):
                    os.eventfd_write(self.server_space, 1)
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
            self._wait(self.client_data, CLIENT_WAITS_DATA, lambda: self.inbound._get(
                "<i", self.inbound.base + (self.inbound._get("<q", self.inbound.trailer + HEAD)
                                           & (self.inbound.capacity - 1))) > 0)
        return self.pending.pop(0)

    def close(self):
        self.sock.close()
        self.mm.close()
        for fd in (self.server_data, self.server_space, self.client_data, self.client_space):
            os.close(fd)


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
        if client._flag(SERVER_WAITS_DATA):
            os.eventfd_write(client.server_data, 1)
        print("ready", flush=True)
        time.sleep(60)
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
