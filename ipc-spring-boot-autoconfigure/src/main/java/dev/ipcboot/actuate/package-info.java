/**
 * The {@code ipc} actuator endpoint, which lists every channel and resource with its
 * state.
 */
@NullMarked
package dev.ipcboot.actuate;

import org.jspecify.annotations.NullMarked;
