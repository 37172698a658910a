/**
 * {@code transport: shm}: servers and clients whose messages pass through two rings in
 * shared memory, handed over and watched through a Unix-domain socket (ADR 0012).
 */
@NullMarked
package dev.ipcboot.socket.shm;

import org.jspecify.annotations.NullMarked;
