/**
 * The machinery of the session facility (logind monitor, signal handlers, systemd
 * readiness and watchdog), wired by auto-configuration; internal: no compatibility
 * promise, see ADR 0019.
 */
@NullMarked
package dev.ipcboot.session.internal;

import org.jspecify.annotations.NullMarked;
