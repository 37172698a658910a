/**
 * Local (Unix-domain) and TCP socket servers and clients with shared framing.
 */
@NullMarked
package dev.ipcboot.socket;

import org.jspecify.annotations.NullMarked;
