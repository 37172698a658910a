/**
 * {@code transport: udp}: servers and clients whose messages are datagrams, unicast or to
 * a multicast group, on Spring Integration's UDP adapters (ADR 0016). Not API beyond the
 * {@link dev.ipcboot.socket.IpcServer} and {@link dev.ipcboot.socket.IpcClient} beans:
 * public only so that the auto-configuration can create them.
 */
@NullMarked
package dev.ipcboot.socket.udp;

import org.jspecify.annotations.NullMarked;
