/**
 * Machinery the socket facility's transports share (the lifecycle of the UDP and
 * shared-memory servers); internal: no compatibility promise, see ADR 0019.
 */
@NullMarked
package dev.ipcboot.socket.internal;

import org.jspecify.annotations.NullMarked;
