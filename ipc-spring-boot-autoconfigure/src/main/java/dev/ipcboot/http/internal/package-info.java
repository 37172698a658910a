/**
 * The machinery of HTTP over Unix-domain sockets (the web server connectors and the
 * clients), wired by auto-configuration; internal: no compatibility promise, see ADR
 * 0019.
 */
@NullMarked
package dev.ipcboot.http.internal;

import org.jspecify.annotations.NullMarked;
