/**
 * The socket engine: the Netty-based local and TCP servers ({@code SocketServer},
 * {@code SocketServers}), the clients ({@code SocketIpcClient} and its subscriptions),
 * the shared event loops ({@code SocketEngine}), framing ({@code FrameCodec}) and the
 * endpoints behind {@link dev.ipcboot.socket.ClientEndpoint}, plus the machinery the
 * socket facility's transports share (the lifecycle of the UDP and shared-memory servers,
 * {@code ClientPayloads}). Internal: no compatibility promise, see ADR 0019. Applications
 * use {@link dev.ipcboot.socket.IpcServer}, {@link dev.ipcboot.socket.IpcClient} and
 * {@link dev.ipcboot.socket.IpcConnection}.
 */
@NullMarked
package dev.ipcboot.socket.internal;

import org.jspecify.annotations.NullMarked;
