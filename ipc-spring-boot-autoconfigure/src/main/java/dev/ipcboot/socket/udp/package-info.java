/**
 * {@code transport: udp}: servers and clients whose messages are datagrams, unicast or to
 * a multicast group, on Spring Integration's UDP adapters (ADR 0016). The API is the
 * {@link dev.ipcboot.socket.IpcServer} and {@link dev.ipcboot.socket.IpcClient} beans and
 * the settings records here; the servers and clients themselves are in
 * {@code dev.ipcboot.socket.udp.internal} (ADR 0019).
 */
@NullMarked
package dev.ipcboot.socket.udp;

import org.jspecify.annotations.NullMarked;
