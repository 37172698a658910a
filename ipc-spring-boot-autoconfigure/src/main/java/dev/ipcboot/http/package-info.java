/**
 * HTTP over Unix-domain sockets: the embedded web server listening on a socket file and
 * {@code RestClient}s whose requests go over one.
 */
@NullMarked
package dev.ipcboot.http;

import org.jspecify.annotations.NullMarked;
