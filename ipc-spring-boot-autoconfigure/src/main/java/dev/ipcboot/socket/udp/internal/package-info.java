/**
 * The UDP transport's servers, clients and their registry, created by the
 * auto-configuration; internal: no compatibility promise, see ADR 0019.
 */
@NullMarked
package dev.ipcboot.socket.udp.internal;

import org.jspecify.annotations.NullMarked;
