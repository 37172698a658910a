/**
 * Actuator health of the starter's resources: a composite contributor {@code ipc} with
 * one indicator per {@link dev.ipcboot.internal.IpcResource}, grouped by kind.
 */
@NullMarked
package dev.ipcboot.health;

import org.jspecify.annotations.NullMarked;
