/**
 * The shared-memory transport's servers, clients, rings and their registry, created by
 * the auto-configuration; internal: no compatibility promise, see ADR 0019.
 */
@NullMarked
package dev.ipcboot.socket.shm.internal;

import org.jspecify.annotations.NullMarked;
