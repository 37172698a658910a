/**
 * D-Bus machinery the auto-configuration creates (the connection's health resource);
 * internal: no compatibility promise, see ADR 0019.
 */
@NullMarked
package dev.ipcboot.dbus.internal;

import org.jspecify.annotations.NullMarked;
