/**
 * D-Bus connections, exported beans, remote proxies and signal channels.
 */
@NullMarked
package dev.ipcboot.dbus;

import org.jspecify.annotations.NullMarked;
